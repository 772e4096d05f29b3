//! `--follow` into a pipe: one row per interval, CSV (header once) or JSON
//! Lines, flushed as each interval ends.
//!
//! Columns: `time,requests,1xx,2xx,3xx,4xx,5xx,bytes,other,failures,p50_ms,p99_ms`
//! (the quantiles empty, or `null`, without timings), then `lines`,
//! `malformed` and `excluded`: the rows' `lines` add up to every line
//! appended while following. `time` is the interval's end, UTC.

use std::io::Write;

use super::{Interval, Mode, State, View};
use crate::engine::Options;

/// The column names, in order.
pub const COLUMNS: [&str; 15] = [
    "time",
    "requests",
    "1xx",
    "2xx",
    "3xx",
    "4xx",
    "5xx",
    "bytes",
    "other",
    "failures",
    "p50_ms",
    "p99_ms",
    "lines",
    "malformed",
    "excluded",
];

/// Rows on stdout.
pub struct Rows {
    mode: Mode,
    header: bool,
    /// Times with milliseconds (intervals shorter than a second).
    millis: bool,
}

impl Rows {
    /// Rows in `mode` (CSV or JSON), every `interval`.
    pub fn new(mode: Mode, interval: std::time::Duration) -> Rows {
        Rows { mode, header: false, millis: interval.subsec_millis() != 0 }
    }
}

/// The values of a row, as text (`None`: no value).
fn values(i: &Interval, millis: bool) -> Vec<Option<String>> {
    let form = if millis { "%Y-%m-%dT%H:%M:%S%.3fZ" } else { "%Y-%m-%dT%H:%M:%SZ" };
    let time = jiff::Timestamp::from_millisecond(i.end_ms)
        .map_or_else(|_| i.end_ms.to_string(), |t| t.strftime(form).to_string());
    let n = |v: u64| Some(v.to_string());
    vec![
        Some(time),
        n(i.requests),
        n(i.class[0]),
        n(i.class[1]),
        n(i.class[2]),
        n(i.class[3]),
        n(i.class[4]),
        n(i.bytes),
        n(i.class[5]),
        n(i.failures),
        i.p50.map(crate::units::ms),
        i.p99.map(crate::units::ms),
        n(i.lines),
        n(i.malformed),
        n(i.excluded),
    ]
}

/// A row in `mode`, with its newline.
pub fn row(mode: Mode, i: &Interval, millis: bool) -> String {
    let v = values(i, millis);
    match mode {
        Mode::Json => {
            let fields: Vec<String> = COLUMNS
                .iter()
                .zip(&v)
                .map(|(k, v)| match (k, v) {
                    (_, None) => format!("\"{k}\":null"),
                    (&"time", Some(t)) => format!("\"{k}\":\"{t}\""),
                    (_, Some(x)) => format!("\"{k}\":{x}"),
                })
                .collect();
            format!("{{{}}}\n", fields.join(","))
        }
        _ => {
            let cells: Vec<&str> = v.iter().map(|x| x.as_deref().unwrap_or("")).collect();
            format!("{}\n", cells.join(","))
        }
    }
}

impl View for Rows {
    fn interval(&mut self, state: &State, _: &Options) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        if !self.header && self.mode == Mode::Csv {
            writeln!(out, "{}", COLUMNS.join(","))?;
        }
        self.header = true;
        out.write_all(row(self.mode, &state.last, self.millis).as_bytes())?;
        out.flush()
    }

    fn note(&mut self, msg: &str, quiet: bool) {
        if !quiet {
            eprintln!("logstat: {msg}");
        }
    }

    fn alert(&mut self, msg: &str) {
        eprintln!("logstat: {msg}");
    }

    fn close(&mut self, _: &State) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_json_rows() {
        let i = Interval {
            end_ms: 1_700_000_000_000,
            seconds: 1.0,
            requests: 5,
            class: [0, 3, 0, 1, 1, 0],
            bytes: 99,
            failures: 1,
            p50: Some(1500),
            p99: None,
            lines: 6,
            malformed: 1,
            excluded: 0,
        };
        assert_eq!(row(Mode::Csv, &i, false), "2023-11-14T22:13:20Z,5,0,3,0,1,1,99,0,1,1.500,,6,1,0\n");
        assert!(row(Mode::Csv, &i, true).starts_with("2023-11-14T22:13:20.000Z,5,"));
        let j: serde_json::Value = serde_json::from_str(&row(Mode::Json, &i, false)).unwrap();
        assert_eq!(j["p50_ms"], serde_json::json!(1.5));
        assert_eq!(j["p99_ms"], serde_json::Value::Null);
        assert_eq!(j["5xx"], 1);
        assert_eq!(j["lines"], 6);
    }
}
