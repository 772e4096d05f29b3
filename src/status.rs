//! The status-code registry: every code logstat knows, with its name, class,
//! origin, meaning, defining reference, retry advice, who is usually at fault
//! and the headers that belong with it.
//!
//! Facts come from the IANA HTTP Status Code Registry, the RFCs it cites and
//! vendor documentation (nginx, Cloudflare, AWS Elastic Load Balancing, IIS);
//! the wording is logstat's own. Names follow RFC 9110 where it renamed codes
//! (413, 422, 418); the older name is kept in `formerly`.

/// Where a code is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// IANA-registered HTTP semantics (RFC 9110 and companions).
    Iana,
    /// IANA-registered, from the WebDAV family (RFC 4918, 5842, 2518).
    WebDav,
    /// nginx-internal codes; never sent to clients as such, only logged.
    Nginx,
    Cloudflare,
    AwsElb,
    Iis,
    /// Used by some software but registered nowhere (or a joke).
    Unofficial,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::Iana => "IANA",
            Origin::WebDav => "WebDAV",
            Origin::Nginx => "nginx",
            Origin::Cloudflare => "Cloudflare",
            Origin::AwsElb => "AWS ELB",
            Origin::Iis => "IIS",
            Origin::Unofficial => "unofficial",
        }
    }

    /// Whether the code is part of standard, registered HTTP.
    pub fn is_standard(self) -> bool {
        matches!(self, Origin::Iana | Origin::WebDav)
    }
}

/// What a client should do about the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Nothing to retry: the request succeeded or is still in progress.
    Done,
    /// Follow the redirect (or use the cached copy); do not repeat as is.
    Follow,
    /// Repeating the same request will fail the same way.
    No,
    /// Retry only after changing the request (credentials, body, headers).
    AfterFix,
    /// Retry later, honouring Retry-After when present.
    AfterDelay,
    /// Retry with backoff (idempotent requests; the failure may be transient).
    Backoff,
}

impl Retry {
    pub fn label(self) -> &'static str {
        match self {
            Retry::Done => "no need",
            Retry::Follow => "follow the redirect",
            Retry::No => "no",
            Retry::AfterFix => "only after changing the request",
            Retry::AfterDelay => "yes, after the delay in Retry-After",
            Retry::Backoff => "yes, with backoff (idempotent requests)",
        }
    }
}

/// Who usually causes the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Not a failure.
    Nobody,
    Client,
    Server,
    /// An upstream/origin behind a proxy, gateway or CDN.
    Upstream,
    /// A deliberate network or policy decision (blocking, rate limiting).
    Policy,
}

impl Fault {
    pub fn label(self) -> &'static str {
        match self {
            Fault::Nobody => "nobody (not an error)",
            Fault::Client => "client",
            Fault::Server => "server",
            Fault::Upstream => "upstream / proxy",
            Fault::Policy => "network / policy",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Code {
    pub code: u16,
    pub name: &'static str,
    pub origin: Origin,
    pub fault: Fault,
    pub retry: Retry,
    pub headers: &'static [&'static str],
    pub reference: &'static str,
    pub meaning: &'static str,
    /// An older or widely used alternative name.
    pub formerly: Option<&'static str>,
}

impl Code {
    pub fn class(&self) -> &'static str {
        class_name(self.code as u32)
    }

    /// Heuristically cacheable by default (RFC 9110 §15.1).
    pub fn cacheable_by_default(&self) -> bool {
        matches!(self.code, 200 | 203 | 204 | 206 | 300 | 301 | 308 | 404 | 405 | 410 | 414 | 501)
    }

    /// For redirects: (permanent, method preserved).
    pub fn redirect(&self) -> Option<(bool, &'static str)> {
        match self.code {
            301 => Some((true, "no: clients may turn POST into GET")),
            302 => Some((false, "no: clients may turn POST into GET")),
            303 => Some((false, "no: the follow-up is always GET (or HEAD)")),
            307 => Some((false, "yes")),
            308 => Some((true, "yes")),
            _ => None,
        }
    }

    /// `499 Client Closed Request (nginx)` — origin shown when non-standard.
    pub fn label(&self) -> String {
        if self.origin.is_standard() {
            format!("{} {}", self.code, self.name)
        } else {
            format!("{} {} ({})", self.code, self.name, self.origin.label())
        }
    }
}

/// The class of any status number: `1xx`–`5xx`, else `other`.
pub fn class_name(code: u32) -> &'static str {
    crate::stats::CLASSES[crate::stats::class_index(Some(code))]
}

/// The registry entry of a code.
pub fn lookup(code: u32) -> Option<&'static Code> {
    let code = u16::try_from(code).ok()?;
    REGISTRY.binary_search_by_key(&code, |c| c.code).ok().map(|i| &REGISTRY[i])
}

/// The name to show next to a logged status.
pub fn name_of(status: Option<u32>) -> &'static str {
    match status {
        None => "(no status)",
        Some(s) => lookup(s).map_or("unregistered", |c| c.name),
    }
}

/// `499 Client Closed Request (nginx)`, `299 unregistered`, `- (no status)`.
pub fn label_of(status: Option<u32>) -> String {
    match status {
        None => "- (no status)".to_string(),
        Some(s) => lookup(s).map_or_else(|| format!("{s} unregistered"), Code::label),
    }
}

/// What each class means.
pub fn class_meaning(class: &str) -> &'static str {
    match class {
        "1xx" => "informational: an interim answer; the final response follows",
        "2xx" => "success: the request was received, understood and carried out",
        "3xx" => "redirection: the client must look elsewhere or use its cached copy",
        "4xx" => "client error: the request is at fault and repeating it unchanged will not help",
        "5xx" => "server error: the server or something behind it failed a request that may be valid",
        _ => "outside 100–599: not an HTTP status (0 and `-` mean no response was sent)",
    }
}

use Fault::*;
use Origin::*;
use Retry::*;

const LOC: &[&str] = &["Location"];
const NONE: &[&str] = &[];

macro_rules! code {
    (@opt) => {
        None
    };
    (@opt $old:expr) => {
        Some($old)
    };
    ($code:expr, $name:expr, $origin:expr, $fault:expr, $retry:expr, $headers:expr, $reference:expr, $meaning:expr $(, formerly $old:expr)?) => {
        Code {
            code: $code,
            name: $name,
            origin: $origin,
            fault: $fault,
            retry: $retry,
            headers: $headers,
            reference: $reference,
            meaning: $meaning,
            formerly: code!(@opt $($old)?),
        }
    };
}

/// Every known code, sorted by number.
pub static REGISTRY: &[Code] = &[
    code!(
        100,
        "Continue",
        Iana,
        Nobody,
        Done,
        NONE,
        "RFC 9110 §15.2.1",
        "Interim answer to `Expect: 100-continue`: the headers are acceptable, so the client may send the body."
    ),
    code!(
        101,
        "Switching Protocols",
        Iana,
        Nobody,
        Done,
        &["Upgrade"],
        "RFC 9110 §15.2.2",
        "The server agrees to change protocol on this connection as the client asked in Upgrade (for example to WebSocket)."
    ),
    code!(
        102,
        "Processing",
        WebDav,
        Nobody,
        Done,
        NONE,
        "RFC 2518 §10.1 (removed from WebDAV in RFC 4918)",
        "Interim keep-alive for a long WebDAV operation: work continues, no final answer yet. Deprecated."
    ),
    code!(
        103,
        "Early Hints",
        Iana,
        Nobody,
        Done,
        &["Link"],
        "RFC 8297",
        "Interim answer carrying headers (usually Link preload hints) so the client can fetch resources before the final response."
    ),
    code!(
        104,
        "Upload Resumption Supported",
        Iana,
        Nobody,
        Done,
        &["Location"],
        "IANA temporary registration (draft-ietf-httpbis-resumable-upload)",
        "Interim answer telling the client that this upload can be resumed at the given location if interrupted."
    ),
    code!(
        200,
        "OK",
        Iana,
        Nobody,
        Done,
        NONE,
        "RFC 9110 §15.3.1",
        "Success; the body is the result appropriate to the method (the resource for GET, an outcome for POST)."
    ),
    code!(
        201,
        "Created",
        Iana,
        Nobody,
        Done,
        &["Location", "ETag"],
        "RFC 9110 §15.3.2",
        "Success, and one or more new resources exist; Location names the primary one."
    ),
    code!(
        202,
        "Accepted",
        Iana,
        Nobody,
        Done,
        &["Location"],
        "RFC 9110 §15.3.3",
        "Accepted for later processing; the outcome is not known yet and may still be a failure."
    ),
    code!(
        203,
        "Non-Authoritative Information",
        Iana,
        Nobody,
        Done,
        NONE,
        "RFC 9110 §15.3.4",
        "Success, but a transforming proxy changed the origin's payload."
    ),
    code!(
        204,
        "No Content",
        Iana,
        Nobody,
        Done,
        &["ETag"],
        "RFC 9110 §15.3.5",
        "Success with deliberately no body; the client should stay on its current view."
    ),
    code!(
        205,
        "Reset Content",
        Iana,
        Nobody,
        Done,
        NONE,
        "RFC 9110 §15.3.6",
        "Success; the client should reset the form or view that sent the request."
    ),
    code!(
        206,
        "Partial Content",
        Iana,
        Nobody,
        Done,
        &["Content-Range"],
        "RFC 9110 §15.3.7",
        "Success for a Range request: only the requested byte ranges are sent (video seeking, resumed downloads)."
    ),
    code!(
        207,
        "Multi-Status",
        WebDav,
        Nobody,
        Done,
        NONE,
        "RFC 4918 §11.1",
        "WebDAV: the XML body holds a separate status for each of several resources."
    ),
    code!(
        208,
        "Already Reported",
        WebDav,
        Nobody,
        Done,
        NONE,
        "RFC 5842 §7.1",
        "WebDAV binding: members of this collection were listed earlier in the same Multi-Status answer and are not repeated."
    ),
    code!(
        218,
        "This Is Fine",
        Unofficial,
        Nobody,
        Done,
        NONE,
        "Apache Web Server (unofficial)",
        "Unofficial code some Apache setups use to pass an error body through a proxy unchanged."
    ),
    code!(
        226,
        "IM Used",
        Iana,
        Nobody,
        Done,
        &["IM"],
        "RFC 3229 §10.4.1",
        "Delta encoding: the body is the result of instance manipulations applied to the current resource."
    ),
    code!(
        300,
        "Multiple Choices",
        Iana,
        Nobody,
        Follow,
        LOC,
        "RFC 9110 §15.4.1",
        "Several representations exist; the client (or user) picks one, Location may name the preferred one."
    ),
    code!(
        301,
        "Moved Permanently",
        Iana,
        Nobody,
        Follow,
        LOC,
        "RFC 9110 §15.4.2",
        "The resource has a new permanent URI; update links. Clients may change POST into GET when following."
    ),
    code!(302, "Found", Iana, Nobody, Follow, LOC, "RFC 9110 §15.4.3",
        "The resource is temporarily elsewhere; keep using this URI. Clients may change POST into GET when following (307 forbids that).",
        formerly "Moved Temporarily"),
    code!(
        303,
        "See Other",
        Iana,
        Nobody,
        Follow,
        LOC,
        "RFC 9110 §15.4.4",
        "Look at another URI with GET; the usual answer after a POST (post/redirect/get)."
    ),
    code!(
        304,
        "Not Modified",
        Iana,
        Nobody,
        Follow,
        &["ETag", "Cache-Control", "Expires", "Vary"],
        "RFC 9110 §15.4.5",
        "A conditional GET found the client's cached copy still current; no body is sent."
    ),
    code!(
        305,
        "Use Proxy",
        Iana,
        Nobody,
        No,
        LOC,
        "RFC 9110 §15.4.6 (deprecated)",
        "Deprecated: once asked the client to go through a proxy; ignored by clients for security reasons."
    ),
    code!(
        306,
        "(Unused)",
        Iana,
        Nobody,
        No,
        NONE,
        "RFC 9110 §15.4.7",
        "Reserved; once meant \"Switch Proxy\" in a draft and is no longer used."
    ),
    code!(
        307,
        "Temporary Redirect",
        Iana,
        Nobody,
        Follow,
        LOC,
        "RFC 9110 §15.4.8",
        "Temporarily elsewhere; the client must repeat the same method and body at the new URI."
    ),
    code!(
        308,
        "Permanent Redirect",
        Iana,
        Nobody,
        Follow,
        LOC,
        "RFC 9110 §15.4.9",
        "Permanently elsewhere; like 301 but the method and body must be kept."
    ),
    code!(
        400,
        "Bad Request",
        Iana,
        Client,
        AfterFix,
        NONE,
        "RFC 9110 §15.5.1",
        "The server will not process the request because it is malformed (bad syntax, invalid framing, garbage on the port)."
    ),
    code!(
        401,
        "Unauthorized",
        Iana,
        Client,
        AfterFix,
        &["WWW-Authenticate"],
        "RFC 9110 §15.5.2",
        "No valid credentials: the client has to authenticate (the name is historical; it is about authentication)."
    ),
    code!(
        402,
        "Payment Required",
        Iana,
        Client,
        AfterFix,
        NONE,
        "RFC 9110 §15.5.3",
        "Reserved for future use; some APIs use it for billing or quota problems."
    ),
    code!(
        403,
        "Forbidden",
        Iana,
        Client,
        No,
        NONE,
        "RFC 9110 §15.5.4",
        "Understood but refused; authenticating again will not help (permissions, WAF or IP rules)."
    ),
    code!(
        404,
        "Not Found",
        Iana,
        Client,
        No,
        NONE,
        "RFC 9110 §15.5.5",
        "Nothing at this URI (or the server will not say). Cacheable by default."
    ),
    code!(
        405,
        "Method Not Allowed",
        Iana,
        Client,
        AfterFix,
        &["Allow"],
        "RFC 9110 §15.5.6",
        "The resource exists but not for this method; Allow lists the methods it supports."
    ),
    code!(
        406,
        "Not Acceptable",
        Iana,
        Client,
        AfterFix,
        &["Vary"],
        "RFC 9110 §15.5.7",
        "No representation matches the request's Accept headers."
    ),
    code!(
        407,
        "Proxy Authentication Required",
        Iana,
        Client,
        AfterFix,
        &["Proxy-Authenticate"],
        "RFC 9110 §15.5.8",
        "Like 401, but the proxy in between wants the credentials."
    ),
    code!(
        408,
        "Request Timeout",
        Iana,
        Client,
        Backoff,
        &["Connection"],
        "RFC 9110 §15.5.9",
        "The server gave up waiting for the complete request; idle keep-alive connections are closed with it too."
    ),
    code!(
        409,
        "Conflict",
        Iana,
        Client,
        AfterFix,
        NONE,
        "RFC 9110 §15.5.10",
        "The request clashes with the resource's current state (edit conflict, duplicate); resolve and resend."
    ),
    code!(
        410,
        "Gone",
        Iana,
        Client,
        No,
        NONE,
        "RFC 9110 §15.5.11",
        "The resource was removed on purpose and will not return; remove links to it."
    ),
    code!(
        411,
        "Length Required",
        Iana,
        Client,
        AfterFix,
        NONE,
        "RFC 9110 §15.5.12",
        "The server requires a Content-Length for this request."
    ),
    code!(
        412,
        "Precondition Failed",
        Iana,
        Client,
        AfterFix,
        &["ETag"],
        "RFC 9110 §15.5.13",
        "A conditional header (If-Match, If-Unmodified-Since) was false; someone else changed the resource."
    ),
    code!(413, "Content Too Large", Iana, Client, AfterFix, &["Retry-After"], "RFC 9110 §15.5.14",
        "The request body is larger than the server will take (nginx: client_max_body_size).",
        formerly "Payload Too Large / Request Entity Too Large"),
    code!(414, "URI Too Long", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.15",
        "The target URI is longer than the server will parse; often a scanner or a redirect loop growing a query.",
        formerly "Request-URI Too Long"),
    code!(
        415,
        "Unsupported Media Type",
        Iana,
        Client,
        AfterFix,
        &["Accept", "Accept-Encoding"],
        "RFC 9110 §15.5.16",
        "The body's Content-Type or Content-Encoding is not supported for this resource."
    ),
    code!(416, "Range Not Satisfiable", Iana, Client, AfterFix, &["Content-Range"], "RFC 9110 §15.5.17",
        "None of the requested byte ranges overlap the resource; Content-Range gives its length.",
        formerly "Requested Range Not Satisfiable"),
    code!(
        417,
        "Expectation Failed",
        Iana,
        Client,
        AfterFix,
        NONE,
        "RFC 9110 §15.5.18",
        "The server cannot meet the request's Expect header."
    ),
    code!(418, "(Unused)", Unofficial, Client, No, NONE, "RFC 9110 §15.5.19; RFC 2324 §2.3.2 (joke)",
        "Reserved by RFC 9110 because the April Fools' \"I'm a teapot\" (HTCPCP) is widely deployed as an easter egg.",
        formerly "I'm a teapot"),
    code!(
        419,
        "Page Expired",
        Unofficial,
        Client,
        AfterFix,
        NONE,
        "Laravel framework (unofficial)",
        "Laravel: the CSRF token is missing or expired, usually a form submitted from a stale page."
    ),
    code!(
        420,
        "Enhance Your Calm",
        Unofficial,
        Policy,
        AfterDelay,
        NONE,
        "Twitter API v1 (unofficial)",
        "Old Twitter API rate limiting; today's equivalent is 429."
    ),
    code!(
        421,
        "Misdirected Request",
        Iana,
        Client,
        AfterFix,
        NONE,
        "RFC 9110 §15.5.20",
        "The request reached a server that cannot answer for this scheme and authority (connection reuse across hosts, SNI/Host mismatch)."
    ),
    code!(422, "Unprocessable Content", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.21",
        "Well-formed and of a supported type, but its content is semantically wrong (validation errors).",
        formerly "Unprocessable Entity"),
    code!(
        423,
        "Locked",
        WebDav,
        Client,
        AfterDelay,
        NONE,
        "RFC 4918 §11.3",
        "WebDAV: the resource is locked by someone else."
    ),
    code!(
        424,
        "Failed Dependency",
        WebDav,
        Client,
        AfterFix,
        NONE,
        "RFC 4918 §11.4",
        "WebDAV: this part failed because another action it depended on failed."
    ),
    code!(
        425,
        "Too Early",
        Iana,
        Client,
        Backoff,
        NONE,
        "RFC 8470 §5.2",
        "The server will not risk replaying a request sent in TLS 1.3 early data; resend after the handshake."
    ),
    code!(
        426,
        "Upgrade Required",
        Iana,
        Client,
        AfterFix,
        &["Upgrade"],
        "RFC 9110 §15.5.22",
        "The server refuses this protocol; Upgrade says which one to switch to."
    ),
    code!(
        428,
        "Precondition Required",
        Iana,
        Client,
        AfterFix,
        NONE,
        "RFC 6585 §3",
        "The server insists on a conditional request (If-Match) to prevent lost updates."
    ),
    code!(
        429,
        "Too Many Requests",
        Iana,
        Policy,
        AfterDelay,
        &["Retry-After"],
        "RFC 6585 §4",
        "Rate limited: the client sent too many requests in a time window (nginx limit_req can be set to answer 429)."
    ),
    code!(
        430,
        "Request Header Fields Too Large",
        Unofficial,
        Client,
        AfterFix,
        NONE,
        "Shopify (unofficial)",
        "Shopify's code for too many or too large headers; also used for its rate limits."
    ),
    code!(
        431,
        "Request Header Fields Too Large",
        Iana,
        Client,
        AfterFix,
        NONE,
        "RFC 6585 §5",
        "One header or all headers together are too large (often oversized cookies)."
    ),
    code!(
        440,
        "Login Time-out",
        Iis,
        Client,
        AfterFix,
        NONE,
        "Microsoft IIS",
        "IIS: the client's session expired and it must log in again."
    ),
    code!(
        444,
        "No Response",
        Nginx,
        Policy,
        No,
        NONE,
        "nginx (ngx_http_special_response / `return 444`)",
        "nginx closed the connection without sending anything, as configured (`return 444`); used to drop scanners and bad hosts. Only the log sees this code."
    ),
    code!(
        449,
        "Retry With",
        Iis,
        Client,
        AfterFix,
        NONE,
        "Microsoft IIS",
        "IIS: the request lacks information; retry after supplying it."
    ),
    code!(
        450,
        "Blocked by Windows Parental Controls",
        Unofficial,
        Policy,
        No,
        NONE,
        "Microsoft (unofficial)",
        "Windows parental controls blocked the page."
    ),
    code!(
        451,
        "Unavailable For Legal Reasons",
        Iana,
        Policy,
        No,
        &["Link"],
        "RFC 7725 §3",
        "Access denied because of a legal demand (censorship, court order); a Link with rel=\"blocked-by\" may name who."
    ),
    code!(
        460,
        "Client Closed Connection",
        AwsElb,
        Client,
        Backoff,
        NONE,
        "AWS Elastic Load Balancing (ALB) docs",
        "AWS ALB: the client closed the connection before the load balancer's idle timeout ran out."
    ),
    code!(
        463,
        "Too Many Forwarded IPs",
        AwsElb,
        Client,
        AfterFix,
        NONE,
        "AWS Elastic Load Balancing (ALB) docs",
        "AWS ALB: the X-Forwarded-For header carried more than 30 addresses."
    ),
    code!(
        464,
        "Incompatible Protocol",
        AwsElb,
        Client,
        AfterFix,
        NONE,
        "AWS Elastic Load Balancing (ALB) docs",
        "AWS ALB: the request's protocol version does not match the target group's (HTTP/1.1 vs gRPC/HTTP/2)."
    ),
    code!(
        494,
        "Request Header Too Large",
        Nginx,
        Client,
        AfterFix,
        NONE,
        "nginx (large_client_header_buffers)",
        "nginx: a request header or the request line did not fit large_client_header_buffers; sent to clients as 400."
    ),
    code!(
        495,
        "SSL Certificate Error",
        Nginx,
        Client,
        AfterFix,
        NONE,
        "nginx (ssl_verify_client)",
        "nginx: the client presented a certificate that failed verification; sent to clients as 400."
    ),
    code!(
        496,
        "SSL Certificate Required",
        Nginx,
        Client,
        AfterFix,
        NONE,
        "nginx (ssl_verify_client)",
        "nginx: client certificate verification is on but none was presented; sent to clients as 400."
    ),
    code!(
        497,
        "HTTP Request Sent to HTTPS Port",
        Nginx,
        Client,
        AfterFix,
        NONE,
        "nginx (ngx_http_ssl_module)",
        "nginx: plain HTTP arrived on a TLS port; sent to clients as 400, often redirected with `error_page 497`."
    ),
    code!(
        498,
        "Invalid Token",
        Unofficial,
        Client,
        AfterFix,
        NONE,
        "Esri ArcGIS (unofficial)",
        "ArcGIS: the token is expired or invalid."
    ),
    code!(
        499,
        "Client Closed Request",
        Nginx,
        Client,
        Backoff,
        NONE,
        "nginx (ngx_http_request.h)",
        "nginx: the client closed the connection before the response was ready; usually a slow upstream that made the client (or a proxy) give up."
    ),
    code!(
        500,
        "Internal Server Error",
        Iana,
        Server,
        Backoff,
        NONE,
        "RFC 9110 §15.6.1",
        "The server hit an unexpected condition: an unhandled exception, a crash, a misconfiguration."
    ),
    code!(
        501,
        "Not Implemented",
        Iana,
        Server,
        No,
        NONE,
        "RFC 9110 §15.6.2",
        "The server does not support the functionality (usually the method) at all. Cacheable by default."
    ),
    code!(
        502,
        "Bad Gateway",
        Iana,
        Upstream,
        Backoff,
        NONE,
        "RFC 9110 §15.6.3",
        "A proxy or gateway got an invalid answer from its upstream (crashed app, refused connection, bad headers)."
    ),
    code!(
        503,
        "Service Unavailable",
        Iana,
        Server,
        AfterDelay,
        &["Retry-After"],
        "RFC 9110 §15.6.4",
        "Temporarily unable to serve: overload or maintenance (nginx limit_req/limit_conn answer 503 by default)."
    ),
    code!(
        504,
        "Gateway Timeout",
        Iana,
        Upstream,
        Backoff,
        NONE,
        "RFC 9110 §15.6.5",
        "A proxy or gateway gave up waiting for its upstream (nginx proxy_read_timeout)."
    ),
    code!(
        505,
        "HTTP Version Not Supported",
        Iana,
        Server,
        AfterFix,
        NONE,
        "RFC 9110 §15.6.6",
        "The server refuses the HTTP major version of the request."
    ),
    code!(
        506,
        "Variant Also Negotiates",
        Iana,
        Server,
        No,
        NONE,
        "RFC 2295 §8.1",
        "Transparent content negotiation is misconfigured: the chosen variant negotiates again (a loop)."
    ),
    code!(
        507,
        "Insufficient Storage",
        WebDav,
        Server,
        Backoff,
        NONE,
        "RFC 4918 §11.5",
        "WebDAV: the server cannot store what the request needs (disk or quota full)."
    ),
    code!(
        508,
        "Loop Detected",
        WebDav,
        Server,
        No,
        NONE,
        "RFC 5842 §7.2",
        "WebDAV: an infinite loop was found while processing a Depth: infinity request."
    ),
    code!(
        509,
        "Bandwidth Limit Exceeded",
        Unofficial,
        Policy,
        AfterDelay,
        NONE,
        "Apache/cPanel (unofficial)",
        "Hosting panels: the site used up its bandwidth allowance."
    ),
    code!(
        510,
        "Not Extended",
        Iana,
        Server,
        AfterFix,
        NONE,
        "RFC 2774 §7 (historic)",
        "The request needs an HTTP extension (RFC 2774) that it did not declare. The RFC is historic."
    ),
    code!(
        511,
        "Network Authentication Required",
        Iana,
        Policy,
        AfterFix,
        NONE,
        "RFC 6585 §6",
        "A captive portal (hotel, airport Wi-Fi) intercepts traffic until the user logs in to the network."
    ),
    code!(
        520,
        "Web Server Returned an Unknown Error",
        Cloudflare,
        Upstream,
        Backoff,
        NONE,
        "Cloudflare docs (5xx errors)",
        "Cloudflare: the origin answered with something empty, unknown or unexpected (reset connection, oversized headers)."
    ),
    code!(
        521,
        "Web Server Is Down",
        Cloudflare,
        Upstream,
        Backoff,
        NONE,
        "Cloudflare docs (5xx errors)",
        "Cloudflare: the origin refused the connection (server down or blocking Cloudflare's addresses)."
    ),
    code!(
        522,
        "Connection Timed Out",
        Cloudflare,
        Upstream,
        Backoff,
        NONE,
        "Cloudflare docs (5xx errors)",
        "Cloudflare: the TCP connection to the origin timed out."
    ),
    code!(
        523,
        "Origin Is Unreachable",
        Cloudflare,
        Upstream,
        Backoff,
        NONE,
        "Cloudflare docs (5xx errors)",
        "Cloudflare: no route to the origin (bad DNS record or network problem)."
    ),
    code!(
        524,
        "A Timeout Occurred",
        Cloudflare,
        Upstream,
        Backoff,
        NONE,
        "Cloudflare docs (5xx errors)",
        "Cloudflare: connected to the origin but no HTTP answer came within the timeout (100 s by default)."
    ),
    code!(
        525,
        "SSL Handshake Failed",
        Cloudflare,
        Upstream,
        AfterFix,
        NONE,
        "Cloudflare docs (5xx errors)",
        "Cloudflare: the TLS handshake with the origin failed."
    ),
    code!(
        526,
        "Invalid SSL Certificate",
        Cloudflare,
        Upstream,
        AfterFix,
        NONE,
        "Cloudflare docs (5xx errors)",
        "Cloudflare: the origin's certificate could not be validated in Full (strict) mode."
    ),
    code!(
        527,
        "Railgun Error",
        Cloudflare,
        Upstream,
        Backoff,
        NONE,
        "Cloudflare docs (deprecated Railgun)",
        "Cloudflare: the connection between Cloudflare and the Railgun listener failed. Railgun is retired."
    ),
    code!(
        529,
        "Site Is Overloaded",
        Unofficial,
        Server,
        AfterDelay,
        &["Retry-After"],
        "Qualys SSL Labs (unofficial)",
        "Used by a few services (Qualys SSL Labs) for overload."
    ),
    code!(
        530,
        "Origin DNS Error",
        Cloudflare,
        Upstream,
        AfterFix,
        NONE,
        "Cloudflare docs (5xx errors)",
        "Cloudflare: returned with a 1xxx error code in the body, most often an origin DNS problem."
    ),
    code!(
        561,
        "Unauthorized",
        AwsElb,
        Upstream,
        AfterFix,
        NONE,
        "AWS Elastic Load Balancing (ALB) docs",
        "AWS ALB: the identity provider returned an error while authenticating the user."
    ),
    code!(
        598,
        "Network Read Timeout Error",
        Unofficial,
        Upstream,
        Backoff,
        NONE,
        "some HTTP proxies (unofficial)",
        "Some proxies: timed out reading from the upstream."
    ),
    code!(
        599,
        "Network Connect Timeout Error",
        Unofficial,
        Upstream,
        Backoff,
        NONE,
        "some HTTP proxies (unofficial)",
        "Some proxies: timed out connecting to the upstream."
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code named in ../shared/seeds/ (extracted once; the test keeps the list).
    const SEED_CODES: &[u16] = &[
        100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
        400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423,
        424, 425, 426, 428, 429, 431, 444, 451, 494, 495, 496, 497, 499, 500, 501, 502, 503, 504, 505, 506, 507, 508,
        510, 511,
    ];

    /// IANA HTTP Status Code Registry entries (assigned numbers).
    const IANA: &[u16] = &[
        100, 101, 102, 103, 104, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306,
        307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
        422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
    ];

    const VENDOR: &[u16] = &[444, 494, 495, 496, 497, 499, 520, 521, 522, 523, 524, 525, 526, 527, 530, 460, 463, 561];

    #[test]
    fn sorted_and_unique() {
        assert!(REGISTRY.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn covers_seeds_iana_and_vendors() {
        for c in SEED_CODES.iter().chain(IANA).chain(VENDOR) {
            assert!(lookup(*c as u32).is_some(), "{c} missing");
        }
    }

    #[test]
    fn rfc9110_names_win_over_seeds() {
        assert_eq!(lookup(302).unwrap().name, "Found");
        assert_eq!(lookup(413).unwrap().name, "Content Too Large");
        assert_eq!(lookup(422).unwrap().name, "Unprocessable Content");
        assert!(lookup(413).unwrap().formerly.unwrap().contains("Payload Too Large"));
    }

    #[test]
    fn classes_faults_and_retry_are_consistent() {
        for c in REGISTRY {
            assert!((100..600).contains(&c.code));
            assert_eq!(c.class(), ["1xx", "2xx", "3xx", "4xx", "5xx"][c.code as usize / 100 - 1]);
            match c.code / 100 {
                1 | 2 => assert_eq!((c.fault, c.retry), (Nobody, Done), "{}", c.code),
                3 => assert_eq!(c.fault, Nobody, "{}", c.code),
                4 => assert!(c.fault != Nobody && c.fault != Server && c.retry != Done, "{}", c.code),
                5 => assert!(matches!(c.fault, Server | Upstream | Policy), "{}", c.code),
                _ => unreachable!(),
            }
            if matches!(c.code, 301 | 302 | 303 | 307 | 308 | 201) {
                assert!(c.headers.contains(&"Location"), "{}", c.code);
            }
            assert!(!c.meaning.is_empty() && !c.reference.is_empty());
        }
        for (code, h) in [
            (401, "WWW-Authenticate"),
            (405, "Allow"),
            (429, "Retry-After"),
            (503, "Retry-After"),
            (206, "Content-Range"),
            (416, "Content-Range"),
        ] {
            assert!(lookup(code).unwrap().headers.contains(&h), "{code} {h}");
        }
        for code in [408, 425, 429, 503] {
            assert!(matches!(lookup(code).unwrap().retry, AfterDelay | Backoff), "{code}");
        }
        assert_eq!(lookup(444).unwrap().origin, Nginx);
        assert_eq!(lookup(520).unwrap().origin, Cloudflare);
        assert_eq!(lookup(460).unwrap().origin, AwsElb);
    }

    #[test]
    fn labels() {
        assert_eq!(label_of(Some(499)), "499 Client Closed Request (nginx)");
        assert_eq!(label_of(Some(404)), "404 Not Found");
        assert_eq!(label_of(Some(299)), "299 unregistered");
        assert_eq!(label_of(None), "- (no status)");
        assert_eq!(class_name(0), "other");
        assert_eq!(class_name(299), "2xx");
        assert_eq!(class_name(600), "other");
    }
}
