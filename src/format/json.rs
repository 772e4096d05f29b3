//! JSON access logs: which key path holds which field.
//!
//! The default table knows the spellings of nginx (`log_format …
//! escape=json` with the variable names as keys), Caddy (nested:
//! `request.uri`, `request.headers.User-Agent[0]`), Traefik (`RequestPath`,
//! `DownstreamStatus`, `Duration` in ns), Envoy (`response_code`,
//! `duration` in ms) and Kubernetes ingress. `--json-field` puts the user's
//! own paths first (`status=resp.code,time=@timestamp`).

use super::Field;

/// What a JSON value is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    /// Client address (a trailing `:port` is dropped).
    Client,
    /// Time: RFC 3339, CLF, or Unix seconds/ms/µs/ns (told by size).
    Time,
    /// The whole request line.
    Request,
    /// The method.
    Method,
    /// Path and query.
    Target,
    /// Protocol (`HTTP/1.1`).
    Protocol,
    /// Status code (number or string).
    Status,
    /// Response body bytes.
    Bytes,
    /// Referer.
    Referer,
    /// User agent.
    UserAgent,
    /// Virtual host.
    Host,
    /// Request time in seconds.
    Seconds,
    /// Request time in milliseconds.
    Millis,
    /// Request time in microseconds.
    Micros,
    /// Request time in nanoseconds.
    Nanos,
    /// Request time: seconds when written with a fraction, else milliseconds
    /// (Caddy writes `0.0012`, Envoy `12`).
    Duration,
    /// Upstream time in seconds (an nginx list is summed).
    Upstream,
    /// Upstream time in milliseconds.
    UpstreamMillis,
    /// Request size in bytes.
    RequestLength,
    /// The backend's status (the last of an nginx list).
    UpstreamStatus,
    /// How the request ended (Envoy response flags).
    Flags,
}

/// Number of slots.
pub const SLOTS: usize = 21;

impl Slot {
    /// Index into per-slot arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The format field this slot fills.
    pub fn field(self) -> Field {
        match self {
            Slot::Client => Field::Client,
            Slot::Time => Field::TimeIso8601,
            Slot::Request => Field::Request,
            Slot::Method => Field::Method,
            Slot::Target => Field::Target,
            Slot::Protocol => Field::Protocol,
            Slot::Status => Field::Status,
            Slot::Bytes => Field::Bytes,
            Slot::Referer => Field::Referer,
            Slot::UserAgent => Field::UserAgent,
            Slot::Host => Field::Host,
            Slot::Seconds | Slot::Millis | Slot::Micros | Slot::Nanos | Slot::Duration => {
                Field::Duration(super::Unit::Seconds)
            }
            Slot::Upstream | Slot::UpstreamMillis => Field::UpstreamTime,
            Slot::RequestLength => Field::RequestLength,
            Slot::UpstreamStatus => Field::OpaqueList,
            Slot::Flags => Field::Flags,
        }
    }
}

/// The default key paths, most preferred first within each slot.
const DEFAULT: &[(&str, Slot)] = &[
    // Client: Caddy's client_ip is the client after trusted proxies.
    ("remote_addr", Slot::Client),
    ("request.client_ip", Slot::Client),
    ("request.remote_ip", Slot::Client),
    ("ClientHost", Slot::Client),
    ("client_ip", Slot::Client),
    ("remote_ip", Slot::Client),
    ("ClientAddr", Slot::Client),
    ("downstream_remote_address", Slot::Client),
    ("client", Slot::Client),
    ("ip", Slot::Client),
    // Time.
    ("time_iso8601", Slot::Time),
    ("time_local", Slot::Time),
    ("@timestamp", Slot::Time),
    ("time", Slot::Time),
    ("timestamp", Slot::Time),
    ("StartUTC", Slot::Time),
    ("StartLocal", Slot::Time),
    ("start_time", Slot::Time),
    ("ts", Slot::Time),
    ("msec", Slot::Time),
    // Request.
    ("request", Slot::Request),
    ("request_method", Slot::Method),
    ("method", Slot::Method),
    ("RequestMethod", Slot::Method),
    ("request.method", Slot::Method),
    ("request_uri", Slot::Target),
    ("uri", Slot::Target),
    ("RequestPath", Slot::Target),
    ("request.uri", Slot::Target),
    ("path", Slot::Target),
    ("server_protocol", Slot::Protocol),
    ("protocol", Slot::Protocol),
    ("RequestProtocol", Slot::Protocol),
    ("request.proto", Slot::Protocol),
    // Response.
    ("status", Slot::Status),
    ("DownstreamStatus", Slot::Status),
    ("response_code", Slot::Status),
    ("status_code", Slot::Status),
    ("body_bytes_sent", Slot::Bytes),
    ("size", Slot::Bytes),
    ("DownstreamContentSize", Slot::Bytes),
    ("bytes_sent", Slot::Bytes),
    ("response_bytes", Slot::Bytes),
    // Headers.
    ("http_referer", Slot::Referer),
    ("referer", Slot::Referer),
    ("referrer", Slot::Referer),
    ("request_Referer", Slot::Referer),
    ("request.headers.Referer[0]", Slot::Referer),
    ("http_user_agent", Slot::UserAgent),
    ("user_agent", Slot::UserAgent),
    ("request_User-Agent", Slot::UserAgent),
    ("request.headers.User-Agent[0]", Slot::UserAgent),
    ("user-agent", Slot::UserAgent),
    ("host", Slot::Host),
    ("http_host", Slot::Host),
    ("server_name", Slot::Host),
    ("RequestHost", Slot::Host),
    ("request.host", Slot::Host),
    ("authority", Slot::Host),
    // Timings and sizes.
    ("request_time", Slot::Seconds),
    ("Duration", Slot::Nanos),
    ("duration", Slot::Duration),
    ("duration_ms", Slot::Millis),
    ("upstream_response_time", Slot::Upstream),
    ("upstream_service_time", Slot::UpstreamMillis),
    ("request_length", Slot::RequestLength),
    ("bytes_read", Slot::RequestLength),
    ("bytes_received", Slot::RequestLength),
    ("upstream_status", Slot::UpstreamStatus),
    ("OriginStatus", Slot::UpstreamStatus),
    ("response_flags", Slot::Flags),
];

/// The names `--json-field` accepts, with their slots.
pub const NAMES: &[(&str, Slot)] = &[
    ("client", Slot::Client),
    ("time", Slot::Time),
    ("request", Slot::Request),
    ("method", Slot::Method),
    ("path", Slot::Target),
    ("protocol", Slot::Protocol),
    ("status", Slot::Status),
    ("bytes", Slot::Bytes),
    ("referrer", Slot::Referer),
    ("user_agent", Slot::UserAgent),
    ("host", Slot::Host),
    ("request_time", Slot::Seconds),
    ("request_time_ms", Slot::Millis),
    ("request_time_us", Slot::Micros),
    ("request_time_ns", Slot::Nanos),
    ("upstream_time", Slot::Upstream),
    ("upstream_time_ms", Slot::UpstreamMillis),
    ("request_length", Slot::RequestLength),
    ("upstream_status", Slot::UpstreamStatus),
];

/// Key paths and the slot each fills, with a rank (lower wins when a line
/// has several keys for one slot).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    map: hashbrown::HashMap<Box<[u8]>, (Slot, u16)>,
    /// Paths deeper than this are not looked up.
    pub depth: usize,
}

/// A `--json-field` mapping that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("--json-field '{given}': {why}")]
pub struct MappingError {
    given: String,
    why: String,
}

impl Keys {
    /// The default table.
    pub fn default_keys() -> Keys {
        Keys::with(&[]).expect("no user mapping")
    }

    /// The default table with `mapping` (`status=resp.code,time=@timestamp`)
    /// taking precedence.
    pub fn parse(mapping: &str) -> Result<Keys, MappingError> {
        let mut user = Vec::new();
        for part in mapping.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let err = |why: &str| MappingError { given: crate::text::escape(part.as_bytes()), why: why.to_string() };
            let (name, path) = part.split_once('=').ok_or_else(|| err("expected NAME=KEY.PATH"))?;
            let slot = NAMES.iter().find(|(n, _)| *n == name.trim()).map(|x| x.1).ok_or_else(|| {
                let names: Vec<&str> = NAMES.iter().map(|x| x.0).collect();
                err(&format!("unknown field name (choose from {})", names.join(", ")))
            })?;
            if path.trim().is_empty() {
                return Err(err("empty key path"));
            }
            user.push((path.trim().to_string(), slot));
        }
        Keys::with(&user)
    }

    fn with(user: &[(String, Slot)]) -> Result<Keys, MappingError> {
        let mut map = hashbrown::HashMap::new();
        let mut depth = 1;
        let all = user.iter().map(|(p, s)| (p.as_str(), *s)).chain(DEFAULT.iter().copied());
        for (rank, (path, slot)) in all.enumerate() {
            depth = depth.max(path.split('.').count() + path.matches('[').count());
            map.entry(path.as_bytes().into()).or_insert((slot, rank as u16));
        }
        Ok(Keys { map, depth })
    }

    /// The slot and rank of a key path (`request.headers.User-Agent[0]`).
    #[inline]
    pub fn get(&self, path: &[u8]) -> Option<(Slot, u16)> {
        self.map.get(path).copied()
    }

    /// Whether some key fills `f`.
    pub fn captures(&self, f: Field) -> bool {
        self.map.values().any(|(s, _)| s.field() == f)
            || matches!(f, Field::Method | Field::Target | Field::Protocol) && self.captures(Field::Request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_paths_come_first_and_bad_ones_are_named() {
        let k = Keys::parse("status=resp.code, time=@t").unwrap();
        assert_eq!(k.get(b"resp.code").unwrap().0, Slot::Status);
        assert!(k.get(b"resp.code").unwrap().1 < k.get(b"status").unwrap().1);
        assert!(k.get(b"@t").is_some());
        let e = Keys::parse("stat=x").unwrap_err().to_string();
        assert!(e.contains("unknown field name") && e.contains("status"), "{e}");
        assert!(Keys::parse("status").unwrap_err().to_string().contains("NAME=KEY.PATH"));
        assert!(Keys::parse("status=").is_err());
    }
}
