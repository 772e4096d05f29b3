//! The registry data: one row per code, sorted by number —
//! `code!(number, name, origin, fault, retry, headers, reference, meaning[, formerly OLD])`.

use super::Code;
use super::Fault::*;
use super::Origin::*;
use super::Retry::*;

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
#[rustfmt::skip]
pub static REGISTRY: &[Code] = &[
    code!(100, "Continue", Iana, Nobody, Done, NONE, "RFC 9110 §15.2.1", "Interim answer to `Expect: 100-continue`: the headers are acceptable, so the client may send the body."),
    code!(101, "Switching Protocols", Iana, Nobody, Done, &["Upgrade"], "RFC 9110 §15.2.2", "The server agrees to change protocol on this connection as the client asked in Upgrade (for example to WebSocket)."),
    code!(102, "Processing", WebDav, Nobody, Done, NONE, "RFC 2518 §10.1 (removed from WebDAV in RFC 4918)", "Interim keep-alive for a long WebDAV operation: work continues, no final answer yet. Deprecated."),
    code!(103, "Early Hints", Iana, Nobody, Done, &["Link"], "RFC 8297", "Interim answer carrying headers (usually Link preload hints) so the client can fetch resources before the final response."),
    code!(104, "Upload Resumption Supported", Iana, Nobody, Done, &["Location"], "IANA temporary registration (draft-ietf-httpbis-resumable-upload)", "Interim answer telling the client that this upload can be resumed at the given location if interrupted."),
    code!(200, "OK", Iana, Nobody, Done, NONE, "RFC 9110 §15.3.1", "Success; the body is the result appropriate to the method (the resource for GET, an outcome for POST)."),
    code!(201, "Created", Iana, Nobody, Done, &["Location", "ETag"], "RFC 9110 §15.3.2", "Success, and one or more new resources exist; Location names the primary one."),
    code!(202, "Accepted", Iana, Nobody, Done, &["Location"], "RFC 9110 §15.3.3", "Accepted for later processing; the outcome is not known yet and may still be a failure."),
    code!(203, "Non-Authoritative Information", Iana, Nobody, Done, NONE, "RFC 9110 §15.3.4", "Success, but a transforming proxy changed the origin's payload."),
    code!(204, "No Content", Iana, Nobody, Done, &["ETag"], "RFC 9110 §15.3.5", "Success with deliberately no body; the client should stay on its current view."),
    code!(205, "Reset Content", Iana, Nobody, Done, NONE, "RFC 9110 §15.3.6", "Success; the client should reset the form or view that sent the request."),
    code!(206, "Partial Content", Iana, Nobody, Done, &["Content-Range"], "RFC 9110 §15.3.7", "Success for a Range request: only the requested byte ranges are sent (video seeking, resumed downloads)."),
    code!(207, "Multi-Status", WebDav, Nobody, Done, NONE, "RFC 4918 §11.1", "WebDAV: the XML body holds a separate status for each of several resources."),
    code!(208, "Already Reported", WebDav, Nobody, Done, NONE, "RFC 5842 §7.1", "WebDAV binding: members of this collection were listed earlier in the same Multi-Status answer and are not repeated."),
    code!(218, "This Is Fine", Unofficial, Nobody, Done, NONE, "Apache Web Server (unofficial)", "Unofficial code some Apache setups use to pass an error body through a proxy unchanged."),
    code!(226, "IM Used", Iana, Nobody, Done, &["IM"], "RFC 3229 §10.4.1", "Delta encoding: the body is the result of instance manipulations applied to the current resource."),
    code!(300, "Multiple Choices", Iana, Nobody, Follow, LOC, "RFC 9110 §15.4.1", "Several representations exist; the client (or user) picks one, Location may name the preferred one."),
    code!(301, "Moved Permanently", Iana, Nobody, Follow, LOC, "RFC 9110 §15.4.2", "The resource has a new permanent URI; update links. Clients may change POST into GET when following."),
    code!(302, "Found", Iana, Nobody, Follow, LOC, "RFC 9110 §15.4.3",
        "The resource is temporarily elsewhere; keep using this URI. Clients may change POST into GET when following (307 forbids that).",
        formerly "Moved Temporarily"),
    code!(303, "See Other", Iana, Nobody, Follow, LOC, "RFC 9110 §15.4.4", "Look at another URI with GET; the usual answer after a POST (post/redirect/get)."),
    code!(304, "Not Modified", Iana, Nobody, Follow, &["ETag", "Cache-Control", "Expires", "Vary"], "RFC 9110 §15.4.5", "A conditional GET found the client's cached copy still current; no body is sent."),
    code!(305, "Use Proxy", Iana, Nobody, No, LOC, "RFC 9110 §15.4.6 (deprecated)", "Deprecated: once asked the client to go through a proxy; ignored by clients for security reasons."),
    code!(306, "(Unused)", Iana, Nobody, No, NONE, "RFC 9110 §15.4.7", "Reserved; once meant \"Switch Proxy\" in a draft and is no longer used."),
    code!(307, "Temporary Redirect", Iana, Nobody, Follow, LOC, "RFC 9110 §15.4.8", "Temporarily elsewhere; the client must repeat the same method and body at the new URI."),
    code!(308, "Permanent Redirect", Iana, Nobody, Follow, LOC, "RFC 9110 §15.4.9", "Permanently elsewhere; like 301 but the method and body must be kept."),
    code!(400, "Bad Request", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.1", "The server will not process the request because it is malformed (bad syntax, invalid framing, garbage on the port)."),
    code!(401, "Unauthorized", Iana, Client, AfterFix, &["WWW-Authenticate"], "RFC 9110 §15.5.2", "No valid credentials: the client has to authenticate (the name is historical; it is about authentication)."),
    code!(402, "Payment Required", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.3", "Reserved for future use; some APIs use it for billing or quota problems."),
    code!(403, "Forbidden", Iana, Client, No, NONE, "RFC 9110 §15.5.4", "Understood but refused; authenticating again will not help (permissions, WAF or IP rules)."),
    code!(404, "Not Found", Iana, Client, No, NONE, "RFC 9110 §15.5.5", "Nothing at this URI (or the server will not say). Cacheable by default."),
    code!(405, "Method Not Allowed", Iana, Client, AfterFix, &["Allow"], "RFC 9110 §15.5.6", "The resource exists but not for this method; Allow lists the methods it supports."),
    code!(406, "Not Acceptable", Iana, Client, AfterFix, &["Vary"], "RFC 9110 §15.5.7", "No representation matches the request's Accept headers."),
    code!(407, "Proxy Authentication Required", Iana, Client, AfterFix, &["Proxy-Authenticate"], "RFC 9110 §15.5.8", "Like 401, but the proxy in between wants the credentials."),
    code!(408, "Request Timeout", Iana, Client, Backoff, &["Connection"], "RFC 9110 §15.5.9", "The server gave up waiting for the complete request; idle keep-alive connections are closed with it too."),
    code!(409, "Conflict", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.10", "The request clashes with the resource's current state (edit conflict, duplicate); resolve and resend."),
    code!(410, "Gone", Iana, Client, No, NONE, "RFC 9110 §15.5.11", "The resource was removed on purpose and will not return; remove links to it."),
    code!(411, "Length Required", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.12", "The server requires a Content-Length for this request."),
    code!(412, "Precondition Failed", Iana, Client, AfterFix, &["ETag"], "RFC 9110 §15.5.13", "A conditional header (If-Match, If-Unmodified-Since) was false; someone else changed the resource."),
    code!(413, "Content Too Large", Iana, Client, AfterFix, &["Retry-After"], "RFC 9110 §15.5.14",
        "The request body is larger than the server will take (nginx: client_max_body_size).",
        formerly "Payload Too Large / Request Entity Too Large"),
    code!(414, "URI Too Long", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.15",
        "The target URI is longer than the server will parse; often a scanner or a redirect loop growing a query.",
        formerly "Request-URI Too Long"),
    code!(415, "Unsupported Media Type", Iana, Client, AfterFix, &["Accept", "Accept-Encoding"], "RFC 9110 §15.5.16", "The body's Content-Type or Content-Encoding is not supported for this resource."),
    code!(416, "Range Not Satisfiable", Iana, Client, AfterFix, &["Content-Range"], "RFC 9110 §15.5.17",
        "None of the requested byte ranges overlap the resource; Content-Range gives its length.",
        formerly "Requested Range Not Satisfiable"),
    code!(417, "Expectation Failed", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.18", "The server cannot meet the request's Expect header."),
    code!(418, "(Unused)", Unofficial, Client, No, NONE, "RFC 9110 §15.5.19; RFC 2324 §2.3.2 (joke)",
        "Reserved by RFC 9110 because the April Fools' \"I'm a teapot\" (HTCPCP) is widely deployed as an easter egg.",
        formerly "I'm a teapot"),
    code!(419, "Page Expired", Unofficial, Client, AfterFix, NONE, "Laravel framework (unofficial)", "Laravel: the CSRF token is missing or expired, usually a form submitted from a stale page."),
    code!(420, "Enhance Your Calm", Unofficial, Policy, AfterDelay, NONE, "Twitter API v1 (unofficial)", "Old Twitter API rate limiting; today's equivalent is 429."),
    code!(421, "Misdirected Request", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.20", "The request reached a server that cannot answer for this scheme and authority (connection reuse across hosts, SNI/Host mismatch)."),
    code!(422, "Unprocessable Content", Iana, Client, AfterFix, NONE, "RFC 9110 §15.5.21",
        "Well-formed and of a supported type, but its content is semantically wrong (validation errors).",
        formerly "Unprocessable Entity"),
    code!(423, "Locked", WebDav, Client, AfterDelay, NONE, "RFC 4918 §11.3", "WebDAV: the resource is locked by someone else."),
    code!(424, "Failed Dependency", WebDav, Client, AfterFix, NONE, "RFC 4918 §11.4", "WebDAV: this part failed because another action it depended on failed."),
    code!(425, "Too Early", Iana, Client, Backoff, NONE, "RFC 8470 §5.2", "The server will not risk replaying a request sent in TLS 1.3 early data; resend after the handshake."),
    code!(426, "Upgrade Required", Iana, Client, AfterFix, &["Upgrade"], "RFC 9110 §15.5.22", "The server refuses this protocol; Upgrade says which one to switch to."),
    code!(428, "Precondition Required", Iana, Client, AfterFix, NONE, "RFC 6585 §3", "The server insists on a conditional request (If-Match) to prevent lost updates."),
    code!(429, "Too Many Requests", Iana, Policy, AfterDelay, &["Retry-After"], "RFC 6585 §4", "Rate limited: the client sent too many requests in a time window (nginx limit_req can be set to answer 429)."),
    code!(430, "Request Header Fields Too Large", Unofficial, Client, AfterFix, NONE, "Shopify (unofficial)", "Shopify's code for too many or too large headers; also used for its rate limits."),
    code!(431, "Request Header Fields Too Large", Iana, Client, AfterFix, NONE, "RFC 6585 §5", "One header or all headers together are too large (often oversized cookies)."),
    code!(440, "Login Time-out", Iis, Client, AfterFix, NONE, "Microsoft IIS", "IIS: the client's session expired and it must log in again."),
    code!(444, "No Response", Nginx, Policy, No, NONE, "nginx (ngx_http_special_response / `return 444`)", "nginx closed the connection without sending anything, as configured (`return 444`); used to drop scanners and bad hosts. Only the log sees this code."),
    code!(449, "Retry With", Iis, Client, AfterFix, NONE, "Microsoft IIS", "IIS: the request lacks information; retry after supplying it."),
    code!(450, "Blocked by Windows Parental Controls", Unofficial, Policy, No, NONE, "Microsoft (unofficial)", "Windows parental controls blocked the page."),
    code!(451, "Unavailable For Legal Reasons", Iana, Policy, No, &["Link"], "RFC 7725 §3", "Access denied because of a legal demand (censorship, court order); a Link with rel=\"blocked-by\" may name who."),
    code!(460, "Client Closed Connection", AwsElb, Client, Backoff, NONE, "AWS Elastic Load Balancing (ALB) docs", "AWS ALB: the client closed the connection before the load balancer's idle timeout ran out."),
    code!(463, "Too Many Forwarded IPs", AwsElb, Client, AfterFix, NONE, "AWS Elastic Load Balancing (ALB) docs", "AWS ALB: the X-Forwarded-For header carried more than 30 addresses."),
    code!(464, "Incompatible Protocol", AwsElb, Client, AfterFix, NONE, "AWS Elastic Load Balancing (ALB) docs", "AWS ALB: the request's protocol version does not match the target group's (HTTP/1.1 vs gRPC/HTTP/2)."),
    code!(494, "Request Header Too Large", Nginx, Client, AfterFix, NONE, "nginx (large_client_header_buffers)", "nginx: a request header or the request line did not fit large_client_header_buffers; sent to clients as 400."),
    code!(495, "SSL Certificate Error", Nginx, Client, AfterFix, NONE, "nginx (ssl_verify_client)", "nginx: the client presented a certificate that failed verification; sent to clients as 400."),
    code!(496, "SSL Certificate Required", Nginx, Client, AfterFix, NONE, "nginx (ssl_verify_client)", "nginx: client certificate verification is on but none was presented; sent to clients as 400."),
    code!(497, "HTTP Request Sent to HTTPS Port", Nginx, Client, AfterFix, NONE, "nginx (ngx_http_ssl_module)", "nginx: plain HTTP arrived on a TLS port; sent to clients as 400, often redirected with `error_page 497`."),
    code!(498, "Invalid Token", Unofficial, Client, AfterFix, NONE, "Esri ArcGIS (unofficial)", "ArcGIS: the token is expired or invalid."),
    code!(499, "Client Closed Request", Nginx, Client, Backoff, NONE, "nginx (ngx_http_request.h)", "nginx: the client closed the connection before the response was ready; usually a slow upstream that made the client (or a proxy) give up."),
    code!(500, "Internal Server Error", Iana, Server, Backoff, NONE, "RFC 9110 §15.6.1", "The server hit an unexpected condition: an unhandled exception, a crash, a misconfiguration."),
    code!(501, "Not Implemented", Iana, Server, No, NONE, "RFC 9110 §15.6.2", "The server does not support the functionality (usually the method) at all. Cacheable by default."),
    code!(502, "Bad Gateway", Iana, Upstream, Backoff, NONE, "RFC 9110 §15.6.3", "A proxy or gateway got an invalid answer from its upstream (crashed app, refused connection, bad headers)."),
    code!(503, "Service Unavailable", Iana, Server, AfterDelay, &["Retry-After"], "RFC 9110 §15.6.4", "Temporarily unable to serve: overload or maintenance (nginx limit_req/limit_conn answer 503 by default)."),
    code!(504, "Gateway Timeout", Iana, Upstream, Backoff, NONE, "RFC 9110 §15.6.5", "A proxy or gateway gave up waiting for its upstream (nginx proxy_read_timeout)."),
    code!(505, "HTTP Version Not Supported", Iana, Server, AfterFix, NONE, "RFC 9110 §15.6.6", "The server refuses the HTTP major version of the request."),
    code!(506, "Variant Also Negotiates", Iana, Server, No, NONE, "RFC 2295 §8.1", "Transparent content negotiation is misconfigured: the chosen variant negotiates again (a loop)."),
    code!(507, "Insufficient Storage", WebDav, Server, Backoff, NONE, "RFC 4918 §11.5", "WebDAV: the server cannot store what the request needs (disk or quota full)."),
    code!(508, "Loop Detected", WebDav, Server, No, NONE, "RFC 5842 §7.2", "WebDAV: an infinite loop was found while processing a Depth: infinity request."),
    code!(509, "Bandwidth Limit Exceeded", Unofficial, Policy, AfterDelay, NONE, "Apache/cPanel (unofficial)", "Hosting panels: the site used up its bandwidth allowance."),
    code!(510, "Not Extended", Iana, Server, AfterFix, NONE, "RFC 2774 §7 (historic)", "The request needs an HTTP extension (RFC 2774) that it did not declare. The RFC is historic."),
    code!(511, "Network Authentication Required", Iana, Policy, AfterFix, NONE, "RFC 6585 §6", "A captive portal (hotel, airport Wi-Fi) intercepts traffic until the user logs in to the network."),
    code!(520, "Web Server Returned an Unknown Error", Cloudflare, Upstream, Backoff, NONE, "Cloudflare docs (5xx errors)", "Cloudflare: the origin answered with something empty, unknown or unexpected (reset connection, oversized headers)."),
    code!(521, "Web Server Is Down", Cloudflare, Upstream, Backoff, NONE, "Cloudflare docs (5xx errors)", "Cloudflare: the origin refused the connection (server down or blocking Cloudflare's addresses)."),
    code!(522, "Connection Timed Out", Cloudflare, Upstream, Backoff, NONE, "Cloudflare docs (5xx errors)", "Cloudflare: the TCP connection to the origin timed out."),
    code!(523, "Origin Is Unreachable", Cloudflare, Upstream, Backoff, NONE, "Cloudflare docs (5xx errors)", "Cloudflare: no route to the origin (bad DNS record or network problem)."),
    code!(524, "A Timeout Occurred", Cloudflare, Upstream, Backoff, NONE, "Cloudflare docs (5xx errors)", "Cloudflare: connected to the origin but no HTTP answer came within the timeout (100 s by default)."),
    code!(525, "SSL Handshake Failed", Cloudflare, Upstream, AfterFix, NONE, "Cloudflare docs (5xx errors)", "Cloudflare: the TLS handshake with the origin failed."),
    code!(526, "Invalid SSL Certificate", Cloudflare, Upstream, AfterFix, NONE, "Cloudflare docs (5xx errors)", "Cloudflare: the origin's certificate could not be validated in Full (strict) mode."),
    code!(527, "Railgun Error", Cloudflare, Upstream, Backoff, NONE, "Cloudflare docs (deprecated Railgun)", "Cloudflare: the connection between Cloudflare and the Railgun listener failed. Railgun is retired."),
    code!(529, "Site Is Overloaded", Unofficial, Server, AfterDelay, &["Retry-After"], "Qualys SSL Labs (unofficial)", "Used by a few services (Qualys SSL Labs) for overload."),
    code!(530, "Origin DNS Error", Cloudflare, Upstream, AfterFix, NONE, "Cloudflare docs (5xx errors)", "Cloudflare: returned with a 1xxx error code in the body, most often an origin DNS problem."),
    code!(561, "Unauthorized", AwsElb, Upstream, AfterFix, NONE, "AWS Elastic Load Balancing (ALB) docs", "AWS ALB: the identity provider returned an error while authenticating the user."),
    code!(598, "Network Read Timeout Error", Unofficial, Upstream, Backoff, NONE, "some HTTP proxies (unofficial)", "Some proxies: timed out reading from the upstream."),
    code!(599, "Network Connect Timeout Error", Unofficial, Upstream, Backoff, NONE, "some HTTP proxies (unofficial)", "Some proxies: timed out connecting to the upstream."),
];
