//! One parsed line, borrowing its text from the input.

use super::time::LogTime;

/// The fields of one access-log line. Text fields hold the bytes as logged
/// (escapes included); a field the format lacks is `-`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// The virtual host (`$host`, `%v`), when logged.
    pub vhost: &'a [u8],
    /// The client address.
    pub client: &'a [u8],
    /// The identd field (`%l`).
    pub ident: &'a [u8],
    /// The authenticated user.
    pub user: &'a [u8],
    /// When the request was logged.
    pub time: Option<LogTime>,
    /// The whole request line as logged.
    pub request: &'a [u8],
    /// `None` when the request does not start with an all-`A`–`Z` token.
    pub method: Option<&'a [u8]>,
    /// The request target (path and query).
    pub target: &'a [u8],
    /// The protocol (`HTTP/1.1`).
    pub protocol: &'a [u8],
    /// `None` for a logged `-`.
    pub status: Option<u32>,
    /// Response body bytes (0 for `-`).
    pub bytes: u64,
    /// The Referer header.
    pub referrer: &'a [u8],
    /// The User-Agent header.
    pub user_agent: &'a [u8],
    /// Bytes after the format's last field, ignored (appended fields).
    pub rest: &'a [u8],
    /// Request duration in microseconds, when the format logs one.
    pub request_time_us: Option<u64>,
    /// Sum of the upstream response times in microseconds, when logged.
    pub upstream_time_us: Option<u64>,
    /// `$request_length` / `%I`, when logged.
    pub request_length: Option<u64>,
    /// The status the backend answered, where a proxy logs it beside its
    /// own (ALB/ELB `target_status_code`); `None` when not logged or `-`.
    pub upstream_status: Option<u32>,
    /// How a proxy says the request ended (Envoy response flags such as
    /// `UF,URX`, HAProxy's termination state such as `SC--`), `-` if none.
    pub flags: &'a [u8],
}

impl Record<'_> {
    /// A record with every field empty.
    pub fn empty() -> Self {
        Record {
            vhost: b"-",
            client: b"-",
            ident: b"-",
            user: b"-",
            time: None,
            request: b"-",
            method: None,
            target: b"-",
            protocol: b"-",
            status: None,
            bytes: 0,
            referrer: b"-",
            user_agent: b"-",
            rest: b"",
            request_time_us: None,
            upstream_time_us: None,
            request_length: None,
            upstream_status: None,
            flags: b"-",
        }
    }
}
