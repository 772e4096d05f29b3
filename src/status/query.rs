//! The code/class syntax people type: `499`, `4xx`, and comma lists with
//! removals (`4xx,5xx,-404`). One parser for `explain`, `--failures`,
//! `--status` and `--fail-if`.

use std::fmt;

use super::Class;

/// A status code or a whole class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    /// One code, 100–999.
    Code(u32),
    /// A class, 1xx–5xx.
    Class(Class),
}

/// Text that is neither a code (100–999) nor a class (1xx–5xx).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{}' is not a status code (100–999) or class (1xx–5xx)", crate::text::escape(.0.as_bytes()))]
pub struct QueryError(pub String);

/// Parse `499`, `4xx`/`4XX`.
pub fn parse_query(s: &str) -> Result<Query, QueryError> {
    let t = s.trim();
    let b = t.as_bytes();
    if b.len() == 3
        && b[1..].eq_ignore_ascii_case(b"xx")
        && let Some(c) = Class::from_digit(b[0].wrapping_sub(b'0') as u32)
    {
        return Ok(Query::Class(c));
    }
    match t.parse::<u32>() {
        Ok(n) if (100..=999).contains(&n) || n == 0 => Ok(Query::Code(n)),
        _ => Err(QueryError(s.to_string())),
    }
}

impl Query {
    /// The codes it covers.
    pub fn codes(self) -> std::ops::RangeInclusive<u32> {
        match self {
            Query::Code(c) => c..=c,
            Query::Class(c) => {
                let d = c.index() as u32 + 1;
                d * 100..=d * 100 + 99
            }
        }
    }
}

/// A set of statuses from a comma list of codes and classes, where a
/// leading `-` removes (`5xx,499`, `4xx,5xx,-404`); looked up in a table on
/// the hot path. `--failures` and `--status` use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusSet {
    table: Box<[bool; 1000]>,
    /// The text it was built from, for the summary.
    pub spec: String,
}

/// An item of a status list that is not a code or class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetError {
    /// The option the list was given to (`--failures`, `--status`).
    pub option: &'static str,
    /// The item at fault.
    pub item: String,
}

impl fmt::Display for SetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: '{}' is not a status code or class (e.g. 5xx,499 or 4xx,5xx,-404)",
            self.option,
            crate::text::escape(self.item.as_bytes())
        )
    }
}

impl std::error::Error for SetError {}

impl Default for StatusSet {
    /// `5xx`: the default failure set.
    fn default() -> Self {
        StatusSet::parse("--failures", "5xx").expect("default failure set")
    }
}

impl StatusSet {
    /// Parse a code/class list given to `option` (named in errors).
    pub fn parse(option: &'static str, spec: &str) -> Result<StatusSet, SetError> {
        let mut table = Box::new([false; 1000]);
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (on, item) = match item.strip_prefix('-') {
                Some(rest) => (false, rest),
                None => (true, item),
            };
            let q = parse_query(item).map_err(|_| SetError { option, item: item.to_string() })?;
            for c in q.codes() {
                table[c as usize] = on;
            }
        }
        Ok(StatusSet { table, spec: spec.to_string() })
    }

    /// Whether `status` is in the set (`None`, a logged `-`, never is).
    #[inline]
    pub fn contains(&self, status: Option<u32>) -> bool {
        matches!(status, Some(s) if s < 1000 && self.table[s as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries() {
        assert_eq!(parse_query("499"), Ok(Query::Code(499)));
        assert_eq!(parse_query("4xx"), Ok(Query::Class(Class::ClientError)));
        assert_eq!(parse_query("5XX"), Ok(Query::Class(Class::ServerError)));
        assert!(parse_query("6xx").is_err());
        assert!(parse_query("0xx").is_err());
        assert!(parse_query("99").is_err());
        assert!(parse_query("é").is_err());
        assert_eq!(Query::Class(Class::Success).codes(), 200..=299);
    }

    #[test]
    fn sets() {
        let f = StatusSet::default();
        assert!(f.contains(Some(502)) && !f.contains(Some(404)) && !f.contains(None));
        let f = StatusSet::parse("--failures", "4xx,5xx,-404").unwrap();
        assert!(f.contains(Some(403)) && !f.contains(Some(404)) && f.contains(Some(500)));
        let f = StatusSet::parse("--failures", "5xx,499").unwrap();
        assert!(f.contains(Some(499)) && !f.contains(Some(498)));
        let e = StatusSet::parse("--status", "5xx,teapot").unwrap_err();
        assert_eq!(e.to_string(), "--status: 'teapot' is not a status code or class (e.g. 5xx,499 or 4xx,5xx,-404)");
    }
}
