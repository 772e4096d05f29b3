//! latency: p50, p90, p99, p99.9 and max of request durations, overall and
//! per status class, route and window.
//!
//! `all` rows hold each logged duration (`request_time`, `upstream_time`);
//! `class`, `route` and `window` rows hold the one chosen with `--latency`
//! (by default `request_time` where logged, else `upstream_time`).

use super::{Cell, Ctx, Table, View, ms_cells, routes};
use crate::stats::latency::Hist;
use crate::status::CLASS_NAMES as CLASSES;
use crate::units::ms_short as ms;
use crate::units::thousands;

/// The table's columns.
pub const COLUMNS: [&str; 8] = ["scope", "key", "count", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"];

/// Whether the run saw any duration.
pub fn has_timings(ctx: &Ctx) -> bool {
    let t = &ctx.run.stats.timing;
    !t.request.is_empty() || !t.upstream.is_empty()
}

fn row(scope: &str, key: Cell, h: &Hist) -> Vec<Cell> {
    let mut r = vec![Cell::text(scope), key, Cell::Int(h.count())];
    r.extend(ms_cells(h));
    r
}

/// The table: percentiles overall, per class, per route and per window.
pub fn table(ctx: &Ctx) -> Table {
    let s = &ctx.run.stats;
    let t = &s.timing;
    let mut rows = Vec::new();
    for (name, h) in [("request_time", &t.request), ("upstream_time", &t.upstream)] {
        if !h.is_empty() {
            rows.push(row("all", Cell::text(name), h));
        }
    }
    for (c, h) in CLASSES.iter().zip(&t.class) {
        if !h.is_empty() {
            rows.push(row("class", Cell::text(*c), h));
        }
    }
    super::hist_rows(ctx, |c| &c.latency, |scope, key, h| rows.push(row(scope, key, h)));
    Table { name: "latency", columns: COLUMNS.to_vec(), rows }
}

fn line(t: &mut View, label: &str, h: &Hist) {
    let v = h.summary().unwrap_or_default();
    t.line(&format!(
        "  {:>12} {:>10} {:>10} {:>10} {:>10} {:>10}  {label}",
        thousands(h.count()),
        ms(v[0]),
        ms(v[1]),
        ms(v[2]),
        ms(v[3]),
        ms(v[4])
    ))
}

/// The view: percentiles overall, per class, and the slowest routes.
pub fn show(ctx: &Ctx, t: &mut View) {
    if !has_timings(ctx) {
        return;
    }
    let s = &ctx.run.stats;
    let tm = &s.timing;
    t.heading("Latency (ms)");
    t.dim(&format!("  {:>12} {:>10} {:>10} {:>10} {:>10} {:>10}", "requests", "p50", "p90", "p99", "p99.9", "max"));
    for (name, h) in [("request_time", &tm.request), ("upstream_time", &tm.upstream)] {
        if !h.is_empty() {
            line(t, name, h);
        }
    }
    for (c, h) in CLASSES.iter().zip(&tm.class) {
        if !h.is_empty() {
            line(t, c, h);
        }
    }
    // The slowest of the busier routes: by p99 among routes with at least
    // 1% of the timed requests (so one odd request does not top the list).
    let timed: u64 = tm.class.iter().map(|h| h.count()).sum();
    let floor = (timed / 100).max(1);
    let mut slow: Vec<(&[u8], &Hist, u64)> = routes::sorted(ctx, None)
        .into_iter()
        .filter(|(_, rc)| rc.counts.latency.count() >= floor)
        .filter_map(|(r, rc)| Some((r, &rc.counts.latency, rc.counts.latency.quantile(9_900)?)))
        .collect();
    slow.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    let top = ctx.top.unwrap_or(10);
    if !slow.is_empty() {
        t.dim("  slowest routes by p99 (routes with ≥1% of timed requests):");
        for (r, h, _) in slow.iter().take(top) {
            let route = crate::text::clip(&crate::text::escape(r), 60);
            line(t, &route, h);
        }
    }
    t.blank();
}
