//! W3C extended log files (IIS, CloudFront and others): the `#Fields:`
//! header names the columns. A file may start a new header mid-way (IIS
//! after a restart, a changed field set); every header found is kept, and
//! each line is read with the header whose column count it has (the latest
//! such header when several share a count).

use super::Field;

/// What a W3C column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    /// `date` (`2019-12-04`).
    Date,
    /// `time` (`21:02:31`), UTC.
    Time,
    /// `c-ip`.
    Client,
    /// `cs-username`.
    User,
    /// `cs-method`.
    Method,
    /// `cs-uri-stem`.
    Stem,
    /// `cs-uri-query`.
    Query,
    /// `sc-status`.
    Status,
    /// `sc-bytes`.
    Bytes,
    /// `cs-bytes`.
    RequestBytes,
    /// `time-taken`: seconds when written with a fraction (CloudFront),
    /// else milliseconds (IIS).
    TimeTaken,
    /// `cs(User-Agent)`.
    UserAgent,
    /// `cs(Referer)`.
    Referer,
    /// `cs(Host)`, `cs-host`, `x-host-header` (CloudFront: the viewer's
    /// Host, where `cs(Host)` is the distribution's domain; later columns win).
    Host,
    /// `cs-version`, `cs-protocol-version`.
    Protocol,
    /// Anything else.
    Other,
}

impl Col {
    fn of(name: &str) -> Col {
        match name.to_ascii_lowercase().as_str() {
            "date" => Col::Date,
            "time" => Col::Time,
            "c-ip" => Col::Client,
            "cs-username" => Col::User,
            "cs-method" => Col::Method,
            "cs-uri-stem" => Col::Stem,
            "cs-uri-query" => Col::Query,
            "sc-status" => Col::Status,
            "sc-bytes" => Col::Bytes,
            "cs-bytes" => Col::RequestBytes,
            "time-taken" => Col::TimeTaken,
            "cs(user-agent)" => Col::UserAgent,
            "cs(referer)" | "cs(referrer)" => Col::Referer,
            "cs(host)" | "cs-host" | "x-host-header" => Col::Host,
            "cs-version" | "cs-protocol-version" => Col::Protocol,
            _ => Col::Other,
        }
    }

    fn field(self) -> Option<Field> {
        Some(match self {
            Col::Date | Col::Time => Field::TimeIso8601,
            Col::Client => Field::Client,
            Col::User => Field::User,
            Col::Method => Field::Method,
            Col::Stem | Col::Query => Field::Target,
            Col::Status => Field::Status,
            Col::Bytes => Field::Bytes,
            Col::RequestBytes => Field::RequestLength,
            Col::TimeTaken => Field::Duration(super::Unit::Millis),
            Col::UserAgent => Field::UserAgent,
            Col::Referer => Field::Referer,
            Col::Host => Field::Host,
            Col::Protocol => Field::Protocol,
            Col::Other => return None,
        })
    }
}

/// The column layouts of a file's `#Fields:` headers, in the order found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    /// Each header's columns.
    pub layouts: Vec<Vec<Col>>,
}

/// A `#Fields:` header's columns (`None` when `line` is not one).
pub fn header(line: &[u8]) -> Option<Vec<Col>> {
    let rest = line.strip_prefix(b"#Fields:")?;
    let text = String::from_utf8_lossy(rest);
    let cols: Vec<Col> = text.split_ascii_whitespace().map(Col::of).collect();
    (!cols.is_empty()).then_some(cols)
}

/// IIS's default field set (IIS 7 and later), for headerless IIS logs
/// (`--log-format iis`).
pub const IIS_DEFAULT: &str = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

impl Columns {
    /// The layouts of every `#Fields:` header in `data` (`None`: none).
    pub fn find(data: &[u8]) -> Option<Columns> {
        let mut layouts: Vec<Vec<Col>> = Vec::new();
        let mut at = 0;
        while let Some(i) = memchr::memmem::find(&data[at..], b"#Fields:") {
            let start = at + i;
            at = start + 8;
            if start > 0 && data[start - 1] != b'\n' {
                continue;
            }
            let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |e| start + e);
            let line = &data[start..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Some(cols) = header(line)
                && !layouts.contains(&cols)
            {
                layouts.push(cols);
            }
            if layouts.len() >= 64 {
                break;
            }
        }
        (!layouts.is_empty()).then_some(Columns { layouts })
    }

    /// The layout for a line of `n` columns.
    #[inline]
    pub fn layout(&self, n: usize) -> Option<&[Col]> {
        self.layouts.iter().rev().find(|l| l.len() == n).map(Vec::as_slice)
    }

    /// Whether some layout fills `f`.
    pub fn captures(&self, f: Field) -> bool {
        self.layouts.iter().flatten().any(|c| c.field() == Some(f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_distinct_header_is_kept() {
        let data = b"#Version: 1.0\n#Fields: date time c-ip sc-status\nx\n#Fields: date time sc-status\n#Fields: date time c-ip sc-status\n";
        let c = Columns::find(data).unwrap();
        assert_eq!(c.layouts.len(), 2);
        assert_eq!(c.layout(3).unwrap(), [Col::Date, Col::Time, Col::Status]);
        assert!(c.layout(5).is_none());
        assert!(Columns::find(b"no header\n").is_none());
    }
}
