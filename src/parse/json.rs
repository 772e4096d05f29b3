//! JSON lines, read by a hand scanner: no DOM, no allocation. Each scalar
//! value's key path (`request.headers.User-Agent[0]`) is built in a stack
//! buffer and looked up in the format's [`Keys`]; values stay borrowed
//! from the line (string escapes kept as written, like every text field).

use super::{
    Malformed, Reason, Record, bad, parse_bytes, parse_duration, parse_status, parse_upstream, strip_port, time,
};
use crate::format::json::{Keys, SLOTS, Slot};
use crate::format::{Field, Unit};

/// Nesting deeper than this is refused (a hostile line cannot recurse far).
const MAX_DEPTH: usize = 32;
/// Key paths longer than this are not looked up.
const MAX_PATH: usize = 192;

/// A value found for a slot: its bytes and the rank of the key that gave it.
type Found<'a> = Option<(&'a [u8], u16)>;

struct Scan<'a, 'k> {
    s: &'a [u8],
    i: usize,
    keys: &'k Keys,
    path: [u8; MAX_PATH],
    len: usize,
    /// The path does not fit in `path` (nothing under it is looked up).
    over: usize,
    found: [Found<'a>; SLOTS],
}

fn mismatch() -> Malformed {
    bad(Reason::Mismatch, None)
}

impl<'a> Scan<'a, '_> {
    #[inline]
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\r' | b'\n') {
            self.i += 1;
        }
    }

    #[inline]
    fn eat(&mut self, b: u8) -> Result<(), Malformed> {
        self.ws();
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            Ok(())
        } else {
            Err(mismatch())
        }
    }

    /// A string's raw bytes (the opening quote already eaten).
    #[inline]
    fn string(&mut self) -> Result<&'a [u8], Malformed> {
        let start = self.i;
        loop {
            match memchr::memchr2(b'"', b'\\', &self.s[self.i..]) {
                Some(k) if self.s[self.i + k] == b'"' => {
                    let v = &self.s[start..self.i + k];
                    self.i += k + 1;
                    return Ok(v);
                }
                Some(k) => self.i += k + 2,
                None => return Err(bad(Reason::UnclosedQuote, None)),
            }
            if self.i > self.s.len() {
                return Err(bad(Reason::UnclosedQuote, None));
            }
        }
    }

    /// Append a path segment; returns the length to restore.
    #[inline]
    fn push(&mut self, seg: &[u8], index: bool) -> usize {
        let before = self.len;
        let need = seg.len() + 1;
        if self.over > 0 || self.len + need > MAX_PATH {
            self.over += 1;
            return before;
        }
        if self.len > 0 && !index {
            self.path[self.len] = b'.';
            self.len += 1;
        }
        self.path[self.len..self.len + seg.len()].copy_from_slice(seg);
        self.len += seg.len();
        before
    }

    #[inline]
    fn pop(&mut self, before: usize) {
        if self.over > 0 {
            self.over -= 1;
        } else {
            self.len = before;
        }
    }

    #[inline]
    fn leaf(&mut self, v: &'a [u8]) {
        if self.over > 0 {
            return;
        }
        if let Some((slot, rank)) = self.keys.get(&self.path[..self.len]) {
            let f = &mut self.found[slot.index()];
            if f.is_none_or(|(_, r)| rank < r) {
                *f = Some((v, rank));
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), Malformed> {
        self.ws();
        match self.s.get(self.i) {
            Some(b'"') => {
                self.i += 1;
                let v = self.string()?;
                self.leaf(v);
            }
            Some(b'{') => {
                self.i += 1;
                self.object(depth + 1)?;
            }
            Some(b'[') => {
                self.i += 1;
                self.array(depth + 1)?;
            }
            Some(_) => {
                let start = self.i;
                while self.i < self.s.len() && !matches!(self.s[self.i], b',' | b'}' | b']' | b' ' | b'\t' | b'\r') {
                    self.i += 1;
                }
                if self.i == start {
                    return Err(mismatch());
                }
                let v = &self.s[start..self.i];
                if v != b"null" {
                    self.leaf(v);
                }
            }
            None => return Err(mismatch()),
        }
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<(), Malformed> {
        if depth > MAX_DEPTH {
            return Err(mismatch());
        }
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.eat(b'"')?;
            let key = self.string()?;
            self.eat(b':')?;
            let before = self.push(key, false);
            self.value(depth)?;
            self.pop(before);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(mismatch()),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Malformed> {
        if depth > MAX_DEPTH {
            return Err(mismatch());
        }
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(());
        }
        let mut n = 0usize;
        loop {
            // Only the first elements get an index path ([0] … [9]).
            let mut seg = [b'[', b'0', b']'];
            let indexed = n < 10;
            seg[1] = b'0' + n.min(9) as u8;
            let before = if indexed { self.push(&seg, true) } else { self.push(b"[*]", true) };
            self.value(depth)?;
            self.pop(before);
            n += 1;
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(mismatch()),
            }
        }
    }
}

/// A time written as RFC 3339, CLF, or Unix seconds/ms/µs/ns.
pub fn parse_time(v: &[u8]) -> Option<time::LogTime> {
    if v.len() >= 19 && v[4] == b'-' {
        return time::parse_iso8601(v);
    }
    if memchr::memchr(b'/', v).is_some() {
        return time::parse_clf(v).ok();
    }
    let int_len = v.iter().position(|&b| b == b'.').unwrap_or(v.len());
    let int = &v[..int_len];
    if int.is_empty() || !int.iter().all(u8::is_ascii_digit) || int.len() > 19 {
        return None;
    }
    let n: i64 = std::str::from_utf8(int).ok()?.parse().ok()?;
    let unix = match int.len() {
        ..=11 => n,
        12..=14 => n / 1_000,
        15..=17 => n / 1_000_000,
        _ => n / 1_000_000_000,
    };
    Some(time::LogTime { unix, offset: 0 })
}

/// Parse one JSON line with `keys`.
pub fn parse<'a>(keys: &Keys, line: &'a [u8]) -> Result<Record<'a>, Malformed> {
    let mut sc = Scan { s: line, i: 0, keys, path: [0; MAX_PATH], len: 0, over: 0, found: [None; SLOTS] };
    sc.eat(b'{')?;
    sc.object(1)?;
    sc.ws();
    if sc.i < line.len() {
        return Err(mismatch());
    }
    let f = sc.found;
    let get = |s: Slot| f[s.index()].map(|x| x.0);
    let mut rec = Record::empty();
    let field = |s: Slot| Some(s.field());
    if let Some(v) = get(Slot::Request) {
        rec.request = v;
        let (m, t, p) = super::request::split(v);
        (rec.method, rec.target, rec.protocol) = (m, t, p);
    }
    if let Some(v) = get(Slot::Method) {
        rec.method = (!v.is_empty() && v.iter().all(u8::is_ascii_uppercase)).then_some(v);
    }
    if let Some(v) = get(Slot::Target).filter(|v| !v.is_empty()) {
        rec.target = v;
    }
    if let Some(v) = get(Slot::Protocol).filter(|v| !v.is_empty()) {
        rec.protocol = v;
    }
    if rec.request == b"-" && rec.method.is_some() {
        // No request line logged: the target stands for it (messages, records).
        rec.request = rec.target;
    }
    let status = get(Slot::Status).ok_or(bad(Reason::Mismatch, field(Slot::Status)))?;
    rec.status = parse_status(status).ok_or(bad(Reason::BadStatus, field(Slot::Status)))?;
    let t = get(Slot::Time).ok_or(bad(Reason::MissingTimestamp, field(Slot::Time)))?;
    rec.time = Some(parse_time(t).ok_or(bad(Reason::BadTimestamp, field(Slot::Time)))?);
    if let Some(v) = get(Slot::Client).filter(|v| !v.is_empty()) {
        rec.client = strip_port(v);
    }
    if let Some(v) = get(Slot::Bytes) {
        rec.bytes = parse_bytes(v).ok_or(bad(Reason::BadBytes, field(Slot::Bytes)))?;
    }
    let text = |s: Slot| get(s).filter(|v| !v.is_empty());
    rec.referrer = text(Slot::Referer).unwrap_or(b"-");
    rec.user_agent = text(Slot::UserAgent).unwrap_or(b"-");
    rec.vhost = text(Slot::Host).unwrap_or(b"-");
    let dur = |v: &[u8], unit: Unit| parse_duration(v, unit).ok_or(bad(Reason::Mismatch, field(Slot::Seconds)));
    rec.request_time_us = if let Some(v) = get(Slot::Seconds) {
        dur(v, Unit::Seconds)?
    } else if let Some(v) = get(Slot::Millis) {
        dur(v, Unit::Millis)?
    } else if let Some(v) = get(Slot::Micros) {
        dur(v, Unit::Micros)?
    } else if let Some(v) = get(Slot::Nanos) {
        dur(v, Unit::Micros)?.map(|us| us / 1_000)
    } else if let Some(v) = get(Slot::Duration) {
        dur(v, if memchr::memchr(b'.', v).is_some() { Unit::Seconds } else { Unit::Millis })?
    } else {
        None
    };
    rec.upstream_time_us = if let Some(v) = get(Slot::Upstream) {
        parse_upstream(v).ok_or(bad(Reason::Mismatch, Some(Field::UpstreamTime)))?
    } else if let Some(v) = get(Slot::UpstreamMillis) {
        dur(v, Unit::Millis)?
    } else {
        None
    };
    if let Some(v) = get(Slot::UpstreamStatus) {
        // nginx logs one per upstream tried (`502, 200`): the last answered.
        let last = v.rsplit(|&b| b == b',' || b == b' ' || b == b':').find(|t| !t.is_empty()).unwrap_or(v);
        rec.upstream_status = parse_status(last).flatten();
    }
    if let Some(v) = get(Slot::Flags).filter(|v| !v.is_empty()) {
        rec.flags = v;
    }
    if let Some(v) = get(Slot::RequestLength) {
        rec.request_length = parse_bytes(v).filter(|_| v != b"-");
    }
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<Record<'_>, Malformed> {
        parse(&Keys::default_keys(), line.as_bytes())
    }

    #[test]
    fn nginx_escape_json() {
        let r = p(r#"{"time_local":"10/Oct/2024:13:55:36 +0200","remote_addr":"1.2.3.4","request":"GET /a?b=1 HTTP/1.1","status": "404","body_bytes_sent":"12","request_time":"0.250","http_referer":"","http_user_agent":"curl/8 \"x\"","upstream_response_time":"0.1, 0.2"}"#).unwrap();
        assert_eq!((r.method, r.target, r.status, r.bytes), (Some(&b"GET"[..]), &b"/a?b=1"[..], Some(404), 12));
        assert_eq!((r.request_time_us, r.upstream_time_us), (Some(250_000), Some(300_000)));
        assert_eq!((r.referrer, r.user_agent), (&b"-"[..], &br#"curl/8 \"x\""#[..]));
        assert_eq!(r.time.unwrap().offset, 7200);
    }

    #[test]
    fn caddy_nested_keys() {
        let r = p(r#"{"level":"info","ts":1646861401.5241024,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"41342","client_ip":"10.9.8.7","proto":"HTTP/2.0","method":"GET","host":"example.com","uri":"/x","headers":{"User-Agent":["curl/7.82.0"],"Accept":["*/*"]}},"bytes_read":0,"user_id":"","duration":0.000929675,"size":10900,"status":200,"resp_headers":{"Server":["Caddy"]}}"#).unwrap();
        assert_eq!(
            (r.client, r.vhost, r.user_agent, r.bytes),
            (&b"10.9.8.7"[..], &b"example.com"[..], &b"curl/7.82.0"[..], 10900)
        );
        assert_eq!((r.request_time_us, r.time.unwrap().unix), (Some(929), 1646861401));
        assert_eq!(r.protocol, b"HTTP/2.0");
    }

    #[test]
    fn missing_keys_and_broken_lines_are_malformed_with_the_field() {
        let m = p(r#"{"time":"2024-01-01T00:00:00Z","path":"/"}"#).unwrap_err();
        assert_eq!((m.reason, m.field), (Reason::Mismatch, Some(Field::Status)));
        let m = p(r#"{"status":200}"#).unwrap_err();
        assert_eq!(m.reason, Reason::MissingTimestamp);
        assert_eq!(p(r#"{"status":200,"time":"x"#).unwrap_err().reason, Reason::UnclosedQuote);
        assert!(p("not json").is_err());
        assert!(p(r#"{"a":1} trailing"#).is_err());
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(p(&format!(r#"{{"a":{deep}}}"#)).is_err());
    }

    #[test]
    fn times_in_every_spelling() {
        for (v, unix) in [
            ("2021-03-16T18:56:54.735539596Z", 1615921014),
            ("1615921014", 1615921014),
            ("1615921014735", 1615921014),
            ("1615921014735539596", 1615921014),
            ("16/Mar/2021:18:56:54 +0000", 1615921014),
        ] {
            assert_eq!(parse_time(v.as_bytes()).map(|t| t.unix), Some(unix), "{v}");
        }
    }
}
