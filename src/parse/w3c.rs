//! W3C extended lines (IIS, CloudFront), read with the columns of the
//! file's `#Fields:` header (see [`Columns`]). Columns are separated by
//! tabs (CloudFront) or spaces (IIS); `-` is empty; `date` and `time` are
//! UTC. Header and other `#` lines are directives, counted as such.

use super::{Malformed, Reason, Record, bad, parse_bytes, parse_duration, parse_status, time};
use crate::format::w3c::{Col, Columns};
use crate::format::{Field, Unit};

/// Parse one W3C line.
pub fn parse<'a>(cols: &Columns, line: &'a [u8]) -> Result<Record<'a>, Malformed> {
    if line.first() == Some(&b'#') {
        return Err(bad(Reason::Directive, None));
    }
    let sep = if memchr::memchr(b'\t', line).is_some() { b'\t' } else { b' ' };
    let n = memchr::memchr_iter(sep, line).count() + 1;
    // The header with this many columns; else one with more (trailing
    // columns missing, as in CloudFront lines written before a header grew).
    // At most a few, and never the status.
    let layout = cols
        .layout(n)
        .or_else(|| {
            let l = cols.layouts.iter().filter(|l| l.len() > n && l.len() <= n + 4).min_by_key(|l| l.len())?;
            (!l[n..].contains(&Col::Status)).then_some(&l[..n])
        })
        .ok_or(bad(Reason::Mismatch, None))?;
    let mut rec = Record::empty();
    let (mut date, mut clock): (&[u8], &[u8]) = (b"", b"");
    for (v, col) in line.split(|&b| b == sep).zip(layout) {
        match col {
            Col::Date => date = v,
            Col::Time => clock = v,
            Col::Client => rec.client = v,
            Col::User => rec.user = v,
            Col::Method => rec.method = (!v.is_empty() && v.iter().all(u8::is_ascii_uppercase)).then_some(v),
            Col::Stem => rec.target = v,
            Col::Status => {
                rec.status = match v {
                    b"000" => Some(0),
                    _ => parse_status(v).ok_or(bad(Reason::BadStatus, Some(Field::Status)))?,
                }
            }
            Col::Bytes => rec.bytes = parse_bytes(v).ok_or(bad(Reason::BadBytes, Some(Field::Bytes)))?,
            Col::RequestBytes => rec.request_length = parse_bytes(v).filter(|_| v != b"-"),
            Col::TimeTaken => {
                let unit = if memchr::memchr(b'.', v).is_some() { Unit::Seconds } else { Unit::Millis };
                rec.request_time_us =
                    parse_duration(v, unit).ok_or(bad(Reason::Mismatch, Some(Field::Duration(unit))))?;
            }
            Col::UserAgent => rec.user_agent = v,
            Col::Referer => rec.referrer = v,
            Col::Host => rec.vhost = v,
            Col::Protocol => rec.protocol = v,
            Col::Query | Col::Other => {}
        }
    }
    if date.len() != 10 || clock.len() < 8 {
        return Err(bad(Reason::MissingTimestamp, Some(Field::TimeIso8601)));
    }
    let mut iso = [0u8; 20];
    iso[..10].copy_from_slice(date);
    iso[10] = b'T';
    iso[11..19].copy_from_slice(&clock[..8]);
    iso[19] = b'Z';
    rec.time = Some(time::parse_iso8601(&iso).ok_or(bad(Reason::BadTimestamp, Some(Field::TimeIso8601)))?);
    if rec.method.is_some() {
        rec.request = rec.target;
    }
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iis_line_with_its_header() {
        let cols = Columns::find(b"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n").unwrap();
        let l =
            b"2018-01-01 08:09:10 127.0.0.1 GET / q=100 80 - 67.43.156.13 Mozilla/5.0+(Windows+NT+6.1) - 200 0 0 123";
        let r = parse(&cols, l).unwrap();
        assert_eq!(
            (r.client, r.target, r.status, r.request_time_us),
            (&b"67.43.156.13"[..], &b"/"[..], Some(200), Some(123_000))
        );
        assert_eq!(r.time.unwrap().unix, 1514794150);
        assert_eq!(parse(&cols, b"#Fields: x").unwrap_err().reason, Reason::Directive);
        assert_eq!(parse(&cols, b"2018-01-01 08:09:10 only").unwrap_err().reason, Reason::Mismatch);
    }
}
