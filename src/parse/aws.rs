//! AWS load balancer access logs: Application (ALB) and Classic (ELB).
//!
//! `type time elb client:port target:port request_processing_time
//! target_processing_time response_processing_time elb_status_code
//! target_status_code received_bytes sent_bytes "request" "user_agent" …`
//! (Classic ELB: no `type`, the same up to the user agent, which newer
//! Classic logs add). Times of `-1` mean the target was not reached. The
//! status reported is `elb_status_code`, the one the client saw. The
//! request holds an absolute URL: its host goes to the virtual host and
//! its path to the target.

use super::{Malformed, Reason, Record, bad, parse_bytes, parse_duration, parse_status, request, strip_port, time};
use crate::format::{Field, Unit};

/// Space-separated tokens.
pub(super) struct Tokens<'a> {
    pub(super) s: &'a [u8],
    pub(super) i: usize,
}

impl<'a> Tokens<'a> {
    /// The next token; `field` names it in the error when missing.
    pub(super) fn next(&mut self, field: Option<Field>) -> Result<&'a [u8], Malformed> {
        while self.i < self.s.len() && self.s[self.i] == b' ' {
            self.i += 1;
        }
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i] != b' ' {
            self.i += 1;
        }
        if start == self.i {
            return Err(bad(Reason::Mismatch, field));
        }
        Ok(&self.s[start..self.i])
    }

    /// A quoted value: from the next `"` to a `"` followed by a space or the
    /// end (so quotes inside, as in a URL, are kept).
    pub(super) fn quoted(&mut self, field: Option<Field>) -> Result<&'a [u8], Malformed> {
        while self.i < self.s.len() && self.s[self.i] == b' ' {
            self.i += 1;
        }
        if self.s.get(self.i) != Some(&b'"') {
            return Err(bad(Reason::Mismatch, field));
        }
        let start = self.i + 1;
        let mut at = start;
        while let Some(k) = memchr::memchr(b'"', &self.s[at..]) {
            let q = at + k;
            if q + 1 == self.s.len() || self.s[q + 1] == b' ' {
                self.i = q + 1;
                return Ok(&self.s[start..q]);
            }
            at = q + 1;
        }
        Err(bad(Reason::UnclosedQuote, field))
    }

    /// What is left after the current position.
    pub(super) fn rest(&self) -> &'a [u8] {
        &self.s[self.i..]
    }
}

/// Seconds, or none for `-1` (not reached).
fn seconds(v: &[u8]) -> Result<Option<u64>, Malformed> {
    if v == b"-1" || v == b"-" {
        return Ok(None);
    }
    parse_duration(v, Unit::Seconds).ok_or(bad(Reason::Mismatch, Some(Field::Duration(Unit::Seconds))))
}

/// An absolute-form target (`http://host:80/path?q`): (host, path).
pub(super) fn split_url(t: &[u8]) -> Option<(&[u8], &[u8])> {
    let after = memchr::memmem::find(&t[..t.len().min(10)], b"://")? + 3;
    let end = t[after..].iter().position(|&b| b == b'/' || b == b'?').map_or(t.len(), |e| after + e);
    let host = strip_port(&t[after..end]);
    let path: &[u8] = if end == t.len() { b"/" } else { &t[end..] };
    Some((host, path))
}

/// Parse an ALB line (`classic` false) or a Classic ELB line.
pub fn parse(line: &[u8], classic: bool) -> Result<Record<'_>, Malformed> {
    let mut t = Tokens { s: line, i: 0 };
    let mut rec = Record::empty();
    if !classic {
        let ty = t.next(None)?;
        if !matches!(ty, b"http" | b"https" | b"h2" | b"ws" | b"wss" | b"grpcs") {
            return Err(bad(Reason::Mismatch, None));
        }
    }
    let ts = t.next(Some(Field::TimeIso8601))?;
    rec.time = Some(time::parse_iso8601(ts).ok_or(bad(Reason::BadTimestamp, Some(Field::TimeIso8601)))?);
    let _elb = t.next(Some(Field::Host))?;
    rec.client = strip_port(t.next(Some(Field::Client))?);
    let _target = t.next(None)?;
    let (req, tgt, resp) = (t.next(None)?, t.next(None)?, t.next(None)?);
    let (req, tgt, resp) = (seconds(req)?, seconds(tgt)?, seconds(resp)?);
    rec.request_time_us = match (req, tgt, resp) {
        (Some(a), Some(b), Some(c)) => Some(a + b + c),
        _ => None,
    };
    rec.upstream_time_us = tgt;
    rec.status = parse_status(t.next(Some(Field::Status))?).ok_or(bad(Reason::BadStatus, Some(Field::Status)))?;
    let target_status = t.next(Some(Field::Status))?;
    rec.upstream_status = parse_status(target_status).flatten();
    let received = t.next(Some(Field::RequestLength))?;
    rec.request_length = parse_bytes(received).filter(|_| received != b"-");
    rec.bytes = parse_bytes(t.next(Some(Field::Bytes))?).ok_or(bad(Reason::BadBytes, Some(Field::Bytes)))?;
    let r = t.quoted(Some(Field::Request))?;
    rec.request = r;
    let (m, target, p) = request::split(r);
    (rec.method, rec.target, rec.protocol) = (m, target, p);
    if let Some((host, path)) = split_url(target) {
        rec.vhost = host;
        rec.target = path;
    }
    if !t.rest().is_empty() {
        rec.user_agent = t.quoted(Some(Field::UserAgent))?;
    } else if !classic {
        return Err(bad(Reason::Mismatch, Some(Field::UserAgent)));
    }
    rec.rest = t.rest();
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alb_line() {
        let l = br#"https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/a/b?c=1 HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn "Root=1" "www.example.com" "arn" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-""#;
        let r = parse(l, false).unwrap();
        assert_eq!(
            (r.client, r.vhost, r.target, r.status, r.bytes),
            (&b"192.168.131.39"[..], &b"www.example.com"[..], &b"/a/b?c=1"[..], Some(200), 57)
        );
        assert_eq!((r.request_time_us, r.upstream_time_us), (Some(171_000), Some(48_000)));
        assert_eq!(r.time.unwrap().unix, 1530570180);
        assert!(parse(b"tls 2.0 2018-12-20T02:59:40 net/x", false).is_err());
    }

    #[test]
    fn classic_elb_line_with_unreached_backend() {
        let l = br#"2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 - -1 -1 -1 503 0 0 0 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -"#;
        let r = parse(l, true).unwrap();
        assert_eq!((r.status, r.request_time_us, r.target), (Some(503), None, &b"/"[..]));
    }
}
