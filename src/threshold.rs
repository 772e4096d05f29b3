//! `--fail-if` thresholds: `5xx > 1%`, `499 > 0.5%`, `p99 > 800ms`,
//! `requests < 100`, `route=/api/* 5xx > 2%`. Checked against the final
//! aggregate; any crossed one makes the run exit with code 3.

use crate::filter::Pattern;
use crate::stats::{RouteCounts, Stats};
use crate::status::{Class, NOTABLE, Query};
use crate::units::ms;
use crate::units::percent;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Requests,
    Failures,
    Malformed,
    /// A class's share (1xx … 5xx).
    Class(Class),
    Code(u32),
    /// Latency quantile in ten-thousandths; 10_000 is the maximum.
    Quantile(u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Count(f64),
    Percent(f64),
    /// Microseconds.
    Micros(f64),
}

#[derive(Clone, Debug)]
pub struct Threshold {
    pub text: String,
    pub route: Option<Pattern>,
    pub metric: Metric,
    pub op: Op,
    pub value: Value,
}

/// A `--fail-if` expression that cannot be read: where and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThresholdError {
    /// The whole expression.
    pub expr: String,
    /// The text where reading stopped (empty: the end).
    pub at: String,
    /// What was expected there.
    pub expected: String,
}

impl std::fmt::Display for ThresholdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let esc = |s: &str| crate::text::escape(s.as_bytes());
        let at = if self.at.is_empty() { "the end".to_string() } else { format!("'{}'", esc(&self.at)) };
        write!(f, "--fail-if '{}': at {at}: {} ({FORMS})", esc(&self.expr), self.expected)
    }
}

impl std::error::Error for ThresholdError {}

const FORMS: &str = "e.g. '5xx > 1%', '499 > 0.5%', 'p99 > 800ms', 'requests < 100', 'route=/api/* 5xx > 2%'";

impl Threshold {
    pub fn parse(expr: &str) -> Result<Threshold, ThresholdError> {
        let fail = |rest: &str, what: &str| {
            Err(ThresholdError { expr: expr.to_string(), at: rest.trim().to_string(), expected: what.to_string() })
        };
        let mut rest = expr.trim_start();
        let mut route = None;
        if let Some(r) = rest.strip_prefix("route=") {
            let end = r.find(char::is_whitespace).unwrap_or(r.len());
            if end == 0 {
                return fail(r, "expected a route pattern after 'route='");
            }
            route = Some(Pattern::new(&r[..end]));
            rest = r[end..].trim_start();
        }
        let end = rest.find(|c: char| c.is_whitespace() || "<>=".contains(c)).unwrap_or(rest.len());
        let word = &rest[..end];
        let metric = match word {
            "requests" => Metric::Requests,
            "failures" => Metric::Failures,
            "malformed" => Metric::Malformed,
            "p50" => Metric::Quantile(5_000),
            "p90" => Metric::Quantile(9_000),
            "p95" => Metric::Quantile(9_500),
            "p99" => Metric::Quantile(9_900),
            "p999" | "p99.9" => Metric::Quantile(9_990),
            "max" => Metric::Quantile(10_000),
            w => match crate::status::parse_query(w) {
                Ok(Query::Class(c)) => Metric::Class(c),
                Ok(Query::Code(c)) => Metric::Code(c),
                _ => {
                    return fail(
                        rest,
                        "expected requests, failures, malformed, a class (5xx), a code (499) or a latency (p50, p90, p95, p99, p999, max)",
                    );
                }
            },
        };
        if route.is_some() {
            if metric == Metric::Malformed {
                return fail(rest, "malformed lines have no route");
            }
            if let Metric::Code(c) = metric
                && !NOTABLE.contains(&c)
            {
                let known: Vec<String> = NOTABLE.iter().map(u32::to_string).collect();
                let what = format!("per-route thresholds know the codes {}, and classes", known.join(", "));
                return fail(rest, &what);
            }
        }
        rest = rest[end..].trim_start();
        let (op, len) = if rest.starts_with(">=") {
            (Op::Ge, 2)
        } else if rest.starts_with("<=") {
            (Op::Le, 2)
        } else if rest.starts_with('>') {
            (Op::Gt, 1)
        } else if rest.starts_with('<') {
            (Op::Lt, 1)
        } else {
            return fail(rest, "expected >, >=, < or <=");
        };
        rest = rest[len..].trim_start();
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let Ok(n) = rest[..num_end].parse::<f64>() else {
            return fail(rest, "expected a number");
        };
        let unit = rest[num_end..].trim();
        let value = match (metric, unit) {
            (Metric::Quantile(_), "ms") => Value::Micros(n * 1_000.0),
            (Metric::Quantile(_), "s") => Value::Micros(n * 1_000_000.0),
            (Metric::Quantile(_), "us" | "µs") => Value::Micros(n),
            (Metric::Quantile(_), _) => return fail(&rest[num_end..], "expected a duration unit: ms, s or us"),
            (Metric::Requests, "") => Value::Count(n),
            (Metric::Requests, _) => return fail(&rest[num_end..], "requests is a count: no unit"),
            (_, "%") => Value::Percent(n),
            (_, "") => Value::Count(n),
            _ => return fail(&rest[num_end..], "expected % or nothing after the number"),
        };
        Ok(Threshold { text: expr.trim().to_string(), route, metric, op, value })
    }

    /// The measured value (as shown) when the threshold is crossed; `None`
    /// when it holds. A latency threshold over no timed requests holds, and
    /// says so in the second field.
    pub fn check(&self, s: &Stats) -> (Option<String>, Option<String>) {
        let scope = match &self.route {
            None => {
                let mut rc = RouteCounts::default();
                rc.counts.requests = s.requests();
                rc.counts.class = s.classes;
                rc.counts.failures = s.failures;
                s.timing.class.iter().for_each(|c| rc.counts.latency.merge(c));
                rc
            }
            Some(p) => {
                let mut rc = RouteCounts::default();
                for (k, v) in &s.routes {
                    if p.matches(k) {
                        rc.merge(v);
                    }
                }
                rc
            }
        };
        let whole = self.route.is_none();
        let total = scope.counts.requests;
        let (measured, shown): (f64, String) = match (self.metric, self.value) {
            (Metric::Quantile(q), _) => {
                let h = &scope.counts.latency;
                let v = if q >= 10_000 { (!h.is_empty()).then_some(h.max()) } else { h.quantile(q) };
                match v {
                    Some(us) => (us as f64, format!("{} ms", ms(us))),
                    None => return (None, Some(format!("{}: not checked: no timed requests", self.text))),
                }
            }
            (Metric::Requests, _) => (total as f64, total.to_string()),
            (Metric::Malformed, v) => ratio(s.malformed_total(), s.lines, v),
            (Metric::Failures, v) => ratio(scope.counts.failures, total, v),
            (Metric::Class(c), v) => ratio(scope.counts.in_class(c), total, v),
            (Metric::Code(c), v) => {
                let n = if whole {
                    if c < 1000 { s.status[c as usize] } else { s.status_big.get(&c).copied().unwrap_or(0) }
                } else {
                    scope.code(c)
                };
                ratio(n, total, v)
            }
        };
        let limit = match self.value {
            Value::Count(n) | Value::Percent(n) | Value::Micros(n) => n,
        };
        let crossed = match self.op {
            Op::Gt => measured > limit,
            Op::Ge => measured >= limit,
            Op::Lt => measured < limit,
            Op::Le => measured <= limit,
        };
        (crossed.then_some(shown), None)
    }
}

/// A count or its share of `of`, per the threshold's unit.
fn ratio(n: u64, of: u64, v: Value) -> (f64, String) {
    match v {
        Value::Percent(_) => {
            let p = percent(n, of);
            (p, format!("{p:.2}% ({n} of {of})"))
        }
        _ => (n as f64, n.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let t = Threshold::parse("5xx > 1%").unwrap();
        assert_eq!((t.metric, t.op, t.value), (Metric::Class(Class::ServerError), Op::Gt, Value::Percent(1.0)));
        let t = Threshold::parse("p99>800ms").unwrap();
        assert_eq!((t.metric, t.value), (Metric::Quantile(9_900), Value::Micros(800_000.0)));
        let t = Threshold::parse("route=/api/* 499 >= 0.5%").unwrap();
        assert_eq!(t.route.unwrap().text, "/api/*");
        assert_eq!(Threshold::parse("requests < 100").unwrap().op, Op::Lt);
        for bad in ["5xx >", "5xx ~ 1%", "teapot > 1", "p99 > 800", "requests < 10%", "5xx > 1x%", "route= 5xx > 1"] {
            let e = Threshold::parse(bad).unwrap_err();
            assert!(e.to_string().contains("at "), "{bad}: {e}");
        }
        assert!(Threshold::parse("route=/x 418 > 1").is_err());
    }
}
