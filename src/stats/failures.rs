//! Which status codes count as failures in error-rate figures.
//!
//! Sites disagree (a static site may call 404 fine; an API may call 499 an
//! error), so `--failures` takes a comma list of codes and classes, where a
//! leading `-` removes: `5xx,499` or `4xx,5xx,-404`. Default: `5xx`.

/// A set of statuses, looked up in a table on the hot path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failures {
    table: Box<[bool; 1000]>,
    /// The text it was built from, for the summary.
    pub spec: String,
}

impl Default for Failures {
    fn default() -> Self {
        Failures::parse("5xx").expect("default failure set")
    }
}

impl Failures {
    pub fn parse(spec: &str) -> Result<Failures, String> {
        Failures::parse_for("--failures", spec)
    }

    /// Parse a code/class list given to `option` (named in errors).
    pub fn parse_for(option: &str, spec: &str) -> Result<Failures, String> {
        let mut table = Box::new([false; 1000]);
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (on, item) = match item.strip_prefix('-') {
                Some(rest) => (false, rest),
                None => (true, item),
            };
            let range = match crate::explain::parse_query(item) {
                Ok(crate::explain::Query::Code(c)) => c..=c,
                Ok(crate::explain::Query::Class(d)) => d * 100..=d * 100 + 99,
                Err(_) => {
                    return Err(format!(
                        "{option}: '{}' is not a status code or class (e.g. 5xx,499 or 4xx,5xx,-404)",
                        crate::text::escape(item.as_bytes())
                    ));
                }
            };
            for c in range {
                table[c as usize] = on;
            }
        }
        Ok(Failures { table, spec: spec.to_string() })
    }

    #[inline]
    pub fn contains(&self, status: Option<u32>) -> bool {
        matches!(status, Some(s) if s < 1000 && self.table[s as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets() {
        let f = Failures::default();
        assert!(f.contains(Some(502)) && !f.contains(Some(404)) && !f.contains(None));
        let f = Failures::parse("4xx,5xx,-404").unwrap();
        assert!(f.contains(Some(403)) && !f.contains(Some(404)) && f.contains(Some(500)));
        let f = Failures::parse("5xx,499").unwrap();
        assert!(f.contains(Some(499)) && !f.contains(Some(498)));
        assert!(Failures::parse("5xx,teapot").is_err());
    }
}
