//! The status-code registry: every code logstat knows, with its name, class,
//! origin, meaning, defining reference, retry advice, who is usually at fault
//! and the headers that belong with it; classes; the code/class query syntax
//! shared by `--failures`, `--status`, `--fail-if` and `explain`.
//!
//! Facts come from the IANA HTTP Status Code Registry, the RFCs it cites and
//! vendor documentation (nginx, Cloudflare, AWS Elastic Load Balancing, IIS);
//! the wording is logstat's own. Names follow RFC 9110 where it renamed codes
//! (413, 422, 418); the older name is kept in `formerly`.

mod class;
pub mod query;
mod registry;

pub use class::{CLASS_NAMES, Class, class_index};
pub use query::{Query, StatusSet, parse_query};
pub use registry::REGISTRY;

/// Codes counted per route for findings and per-route thresholds, in slot
/// order; one more slot after them counts POST requests answered with 301 or
/// 302 ([`POST_REDIRECT`]).
pub const NOTABLE: [u32; 7] = [401, 403, 404, 429, 444, 499, 503];
/// The slot after the [`NOTABLE`] codes: POST answered with a 301/302 redirect.
pub const POST_REDIRECT: usize = NOTABLE.len();

/// Slot of each status below 600 in [`NOTABLE`] (255: none), built from it.
const NOTABLE_SLOT: [u8; 600] = {
    let mut t = [u8::MAX; 600];
    let mut i = 0;
    while i < NOTABLE.len() {
        t[NOTABLE[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The slot of `status` in [`NOTABLE`], if it is one of them.
#[inline]
pub fn notable_index(status: Option<u32>) -> Option<usize> {
    match NOTABLE_SLOT.get(status? as usize) {
        Some(&i) if i != u8::MAX => Some(i as usize),
        _ => None,
    }
}

/// Where a code is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// IANA-registered HTTP semantics (RFC 9110 and companions).
    Iana,
    /// IANA-registered, from the WebDAV family (RFC 4918, 5842, 2518).
    WebDav,
    /// nginx-internal codes; never sent to clients as such, only logged.
    Nginx,
    /// Cloudflare codes (52x, 530).
    Cloudflare,
    /// AWS Elastic Load Balancing codes.
    AwsElb,
    /// Microsoft IIS codes.
    Iis,
    /// Used by some software but registered nowhere (or a joke).
    Unofficial,
}

impl Origin {
    /// The origin's name.
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
    /// The advice in words.
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
    /// The client's request.
    Client,
    /// The server itself.
    Server,
    /// An upstream/origin behind a proxy, gateway or CDN.
    Upstream,
    /// A deliberate network or policy decision (blocking, rate limiting).
    Policy,
}

impl Fault {
    /// Who, in words.
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
/// One status code in the registry.
pub struct Code {
    /// The number.
    pub code: u16,
    /// Its name (`Not Found`).
    pub name: &'static str,
    /// Where it is defined.
    pub origin: Origin,
    /// Who is usually at fault.
    pub fault: Fault,
    /// Whether and how to retry.
    pub retry: Retry,
    /// Headers that belong with it.
    pub headers: &'static [&'static str],
    /// The defining reference.
    pub reference: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// An older or widely used alternative name.
    pub formerly: Option<&'static str>,
}

impl Code {
    /// Its class (`4xx`).
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
    Class::of(Some(code)).name()
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

#[cfg(test)]
mod tests {
    use super::*;
    use Fault::*;
    use Origin::*;
    use Retry::*;

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
    fn notable_slots() {
        for (i, c) in NOTABLE.iter().enumerate() {
            assert_eq!(notable_index(Some(*c)), Some(i));
        }
        assert_eq!(notable_index(Some(500)), None);
        assert_eq!(notable_index(Some(4040)), None);
        assert_eq!(notable_index(None), None);
    }

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
            if c.code == 0 {
                // Not HTTP: what proxies log when nothing was sent.
                assert_eq!((c.class(), c.origin), ("other", Origin::Unofficial));
                continue;
            }
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
