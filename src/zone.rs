//! The display time zone: windows align to it and times are shown in it.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

#[derive(Clone, Debug)]
/// A display time zone: windows and times are shown in it.
pub enum Zone {
    /// A fixed UTC offset in seconds (the default: the log's own offset).
    Fixed(i32),
    /// An IANA zone or the system's local zone (offsets change with DST).
    Named(TimeZone),
}

/// A `--tz` value (or a state file's zone) that names no zone logstat knows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone '{}' (use UTC, local, +HH:MM or an IANA name)", crate::text::escape(.0.as_bytes()))]
pub struct ZoneError(pub String);

impl Zone {
    /// `UTC`, `local`, `+05:30` / `-0700`, or an IANA name (`Europe/Berlin`).
    pub fn parse(s: &str) -> Result<Zone, ZoneError> {
        if s.eq_ignore_ascii_case("utc") || s == "Z" {
            return Ok(Zone::Fixed(0));
        }
        if s.eq_ignore_ascii_case("local") {
            return Ok(Zone::Named(TimeZone::system()));
        }
        if let Some(off) = parse_offset(s) {
            return Ok(Zone::Fixed(off));
        }
        TimeZone::get(s).map(Zone::Named).map_err(|_| ZoneError(s.to_string()))
    }

    /// UTC offset in seconds at an instant.
    #[inline]
    pub fn offset_at(&self, unix: i64) -> i32 {
        match self {
            Zone::Fixed(o) => *o,
            Zone::Named(tz) => Timestamp::from_second(unix).map(|t| tz.to_offset(t).seconds()).unwrap_or(0),
        }
    }

    /// Wall-clock seconds (the instant shifted into this zone).
    #[inline]
    pub fn wall(&self, unix: i64) -> i64 {
        unix + self.offset_at(unix) as i64
    }

    /// The instant and offset at which a wall-clock time starts in this zone
    /// (the earlier one when the wall time repeats; the later when skipped).
    pub fn from_wall(&self, wall: i64) -> (i64, i32) {
        match self {
            Zone::Fixed(o) => (wall - *o as i64, *o),
            Zone::Named(tz) => {
                let dt = Timestamp::from_second(wall)
                    .map(|t| t.to_zoned(TimeZone::UTC).datetime())
                    .unwrap_or(DateTime::ZERO);
                match tz.to_ambiguous_timestamp(dt).compatible() {
                    Ok(ts) => (ts.as_second(), tz.to_offset(ts).seconds()),
                    Err(_) => (wall, 0),
                }
            }
        }
    }

    /// RFC 3339 text of an instant in this zone.
    pub fn rfc3339(&self, unix: i64) -> String {
        crate::parse::time::rfc3339(unix, self.offset_at(unix))
    }

    /// Text that [`Zone::parse`] reads back into this zone (for state
    /// files); `None` for a system zone without an IANA name.
    pub fn spec(&self) -> Option<String> {
        match self {
            Zone::Fixed(o) => {
                let sign = if *o < 0 { '-' } else { '+' };
                let a = o.unsigned_abs();
                Some(format!("{sign}{:02}:{:02}", a / 3600, a % 3600 / 60))
            }
            Zone::Named(tz) => tz.iana_name().map(str::to_string),
        }
    }

    /// The zone in words (`UTC`, `+02:00`, `Europe/Berlin`).
    pub fn describe(&self) -> String {
        match self {
            Zone::Fixed(0) => "UTC".to_string(),
            Zone::Fixed(o) => {
                let sign = if *o < 0 { '-' } else { '+' };
                let a = o.unsigned_abs();
                format!("UTC{sign}{:02}:{:02}", a / 3600, a % 3600 / 60)
            }
            Zone::Named(tz) => tz.iana_name().unwrap_or("local").to_string(),
        }
    }
}

fn parse_offset(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: Vec<u8> = b[1..].iter().copied().filter(|c| *c != b':').collect();
    if digits.len() != 4 || !digits.iter().all(u8::is_ascii_digit) || (b.len() == 6 && b[3] != b':') {
        return None;
    }
    let h = ((digits[0] - b'0') * 10 + digits[1] - b'0') as i32;
    let m = ((digits[2] - b'0') * 10 + digits[3] - b'0') as i32;
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert!(matches!(Zone::parse("UTC"), Ok(Zone::Fixed(0))));
        assert!(matches!(Zone::parse("+05:30"), Ok(Zone::Fixed(19_800))));
        assert!(matches!(Zone::parse("-0700"), Ok(Zone::Fixed(-25_200))));
        assert!(Zone::parse("Mars/Base").is_err());
        assert!(Zone::parse("+5").is_err());
    }

    #[test]
    fn named_zone_dst() {
        let Ok(z) = Zone::parse("Europe/Berlin") else {
            eprintln!("skipping: no tz database");
            return;
        };
        // 2024-07-01T00:00:00Z is 02:00 in Berlin (CEST, +02:00).
        assert_eq!(z.offset_at(1_719_792_000), 7_200);
        assert_eq!(z.rfc3339(1_719_792_000), "2024-07-01T02:00:00+02:00");
        let (unix, off) = z.from_wall(1_719_792_000 + 7_200);
        assert_eq!((unix, off), (1_719_792_000, 7_200));
    }
}
