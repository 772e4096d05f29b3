//! sizes: p50, p90, p99, p99.9 and max of response body bytes (overall, per
//! status class, route and window) and of request length when logged.

use super::{Cell, Ctx, Table, View};
use crate::stats::latency::Hist;
use crate::status::CLASS_NAMES as CLASSES;
use crate::units::thousands;

fn row(scope: &str, key: Cell, h: &Hist) -> Vec<Cell> {
    let mut r = vec![Cell::text(scope), key, Cell::Int(h.count())];
    match h.summary() {
        Some(v) => r.extend(v.iter().map(|n| Cell::Int(*n))),
        None => r.extend([Cell::Null, Cell::Null, Cell::Null, Cell::Null, Cell::Null]),
    }
    r
}

/// The table: size percentiles overall, per class, per route and per window.
pub fn table(ctx: &Ctx) -> Table {
    let t = &ctx.run.stats.timing;
    let mut rows = Vec::new();
    let body = t.body();
    if !body.is_empty() {
        rows.push(row("all", Cell::text("body_bytes"), &body));
    }
    if !t.request_length.is_empty() {
        rows.push(row("all", Cell::text("request_length"), &t.request_length));
    }
    for (c, h) in CLASSES.iter().zip(&t.body_class) {
        if !h.is_empty() {
            rows.push(row("class", Cell::text(*c), h));
        }
    }
    super::hist_rows(ctx, |c| &c.body, |scope, key, h| rows.push(row(scope, key, h)));
    Table {
        name: "sizes",
        columns: vec!["scope", "key", "count", "p50_bytes", "p90_bytes", "p99_bytes", "p999_bytes", "max_bytes"],
        rows,
    }
}

/// The view: size percentiles overall and per class.
pub fn show(ctx: &Ctx, t: &mut View) {
    let tm = &ctx.run.stats.timing;
    let body = tm.body();
    if body.is_empty() {
        return;
    }
    t.heading("Sizes (bytes)");
    t.dim(&format!("  {:>12} {:>10} {:>10} {:>10} {:>10} {:>12}", "requests", "p50", "p90", "p99", "p99.9", "max"));
    let mut line = |label: &str, h: &Hist| {
        let v = h.summary().unwrap_or_default();
        t.line(&format!(
            "  {:>12} {:>10} {:>10} {:>10} {:>10} {:>12}  {label}",
            thousands(h.count()),
            v[0],
            v[1],
            v[2],
            v[3],
            v[4]
        ))
    };
    line("body bytes", &body);
    if !tm.request_length.is_empty() {
        line("request length", &tm.request_length);
    }
    for (c, h) in CLASSES.iter().zip(&tm.body_class) {
        if !h.is_empty() {
            line(&format!("body bytes, {c}"), h);
        }
    }
    t.blank();
}
