//! HAProxy's HTTP log (`option httplog`), behind a syslog prefix or not:
//! `client:port [accept_date] frontend backend/server TR/Tw/Tc/Tr/Ta status
//! bytes cookies termination_state conns queues {headers} "request"`.
//! Timers of `-1` were not reached; `Ta` (total) is the request time and
//! `Tr` (server response) the upstream time. The accept date has no zone:
//! it is read as UTC.

use super::aws::Tokens;
use super::{Malformed, Reason, Record, bad, parse_bytes, parse_status, request, strip_port, time};
use crate::format::{Field, Unit};

/// The timers token: 4 or 5 `/`-separated integers (`-1` allowed), as
/// (Tr, total) in milliseconds.
fn timers(v: &[u8]) -> Option<(Option<u64>, Option<u64>)> {
    let parts = v.split(|&b| b == b'/');
    let mut vals = [None::<u64>; 5];
    let mut n = 0;
    for p in parts {
        if n == 5 {
            return None;
        }
        let p = p.strip_prefix(b"+").unwrap_or(p);
        vals[n] = match p {
            b"-1" => None,
            _ if !p.is_empty() && p.len() < 12 && p.iter().all(u8::is_ascii_digit) => {
                Some(p.iter().fold(0u64, |a, &d| a * 10 + (d - b'0') as u64))
            }
            _ => return None,
        };
        n += 1;
    }
    (n >= 4).then(|| (vals[3], vals[n - 1]))
}

/// Parse one HAProxy HTTP log line.
pub fn parse(line: &[u8]) -> Result<Record<'_>, Malformed> {
    // The accept date: ` [dd/Mon/yyyy:hh:mm:ss.mmm]`, after the client.
    let mut br = None;
    let mut from = 0;
    while let Some(k) = memchr::memmem::find(&line[from..], b" [") {
        let p = from + k + 1;
        let d = &line[p + 1..];
        if d.len() > 21 && d[2] == b'/' && d[6] == b'/' && d[11] == b':' && d[0].is_ascii_digit() {
            br = Some(p);
            break;
        }
        from = p;
    }
    let br = br.ok_or(bad(Reason::MissingTimestamp, Some(Field::TimeLocal)))?;
    let client_start = line[..br - 1].iter().rposition(|&b| b == b' ').map_or(0, |s| s + 1);
    let client = &line[client_start..br - 1];
    let mut rec = Record::empty();
    rec.client = strip_port(client);
    let close = memchr::memchr(b']', &line[br..]).ok_or(bad(Reason::BadTimestamp, Some(Field::TimeLocal)))? + br;
    let date = &line[br + 1..close];
    let mut clf = [0u8; 26];
    if date.len() < 20 {
        return Err(bad(Reason::BadTimestamp, Some(Field::TimeLocal)));
    }
    clf[..20].copy_from_slice(&date[..20]);
    clf[20..].copy_from_slice(b" +0000");
    rec.time = Some(time::parse_clf(&clf).map_err(|_| bad(Reason::BadTimestamp, Some(Field::TimeLocal)))?);
    let mut t = Tokens { s: line, i: close + 1 };
    let _frontend = t.next(None)?;
    // backend/server, then (perhaps after extra captured fields) the timers.
    let mut timed = None;
    for _ in 0..4 {
        let tok = t.next(Some(Field::Duration(Unit::Millis)))?;
        if let Some(x) = timers(tok) {
            timed = Some(x);
            break;
        }
    }
    let (tr, ta) = timed.ok_or(bad(Reason::Mismatch, Some(Field::Duration(Unit::Millis))))?;
    rec.request_time_us = ta.map(|ms| ms * 1_000);
    rec.upstream_time_us = tr.map(|ms| ms * 1_000);
    let status = t.next(Some(Field::Status))?;
    rec.status =
        if status == b"-1" { None } else { parse_status(status).ok_or(bad(Reason::BadStatus, Some(Field::Status)))? };
    let bytes = t.next(Some(Field::Bytes))?;
    rec.bytes =
        parse_bytes(bytes.strip_prefix(b"+").unwrap_or(bytes)).ok_or(bad(Reason::BadBytes, Some(Field::Bytes)))?;
    // Request and response cookies, then the termination state (`----`, `SC--`).
    let mut look = Tokens { s: line, i: t.i };
    if let (Ok(_), Ok(_), Ok(state)) = (look.next(None), look.next(None), look.next(Some(Field::Flags))) {
        rec.flags = state;
    }
    // The request is the first quoted value after the counters.
    let q = memchr::memchr(b'"', t.rest()).ok_or(bad(Reason::Mismatch, Some(Field::Request)))?;
    t.i += q;
    let r = t.quoted(Some(Field::Request))?;
    rec.request = r;
    let (m, target, p) = request::split(r);
    (rec.method, rec.target, rec.protocol) = (m, target, p);
    if let Some((host, path)) = super::aws::split_url(target) {
        rec.vhost = host;
        rec.target = path;
    }
    rec.rest = t.rest();
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syslog_prefixed_line() {
        let l = br#"Jul 30 09:03:52 localhost haproxy[32450]: 67.43.156.13:38862 [30/Jul/2018:09:03:52.726] incoming~ docs_microservice/docs 0/0/1/0/2 304 168 - - ---- 6/6/0/0/0 0/0 {docs.example.internal||} {|||} "GET /a.js HTTP/1.1""#;
        let r = parse(l).unwrap();
        assert_eq!((r.client, r.status, r.bytes, r.target), (&b"67.43.156.13"[..], Some(304), 168, &b"/a.js"[..]));
        assert_eq!((r.request_time_us, r.upstream_time_us), (Some(2_000), Some(0)));
        assert!(
            parse(b"Sep 20 15:42:59 1.2.3.4 haproxy[24551]: Connect from 1.2.3.4:40780 to 1.2.3.4:5000 (main/HTTP)")
                .is_err()
        );
    }
}
