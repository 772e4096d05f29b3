//! summary: lines, parsed, malformed, bytes, time range.

use super::{Cell, Ctx, Table, View};
use crate::parse::Reason;
use crate::units::thousands;
use crate::units::width_text;

/// The table: one row per figure (name, value).
pub fn table(ctx: &Ctx) -> Table {
    let s = &ctx.run.stats;
    let z = &ctx.run.zone;
    let time = |t: Option<i64>| t.map_or(Cell::Null, |t| Cell::Text(z.rfc3339(t)));
    let mut rows = vec![
        vec![Cell::text("lines"), Cell::Int(s.lines)],
        vec![Cell::text("parsed"), Cell::Int(s.parsed)],
        vec![Cell::text("malformed"), Cell::Int(s.malformed_total())],
        vec![Cell::text("bytes"), Cell::Int(s.bytes)],
        vec![Cell::text("first_time"), time(s.first)],
        vec![Cell::text("last_time"), time(s.last)],
        vec![Cell::text("files"), Cell::Int(ctx.run.files.len() as u64)],
        vec![Cell::text("files_failed"), Cell::Int(ctx.run.failed_inputs as u64)],
        vec![Cell::text("window"), Cell::text(width_text(ctx.window))],
        vec![Cell::text("time_zone"), Cell::text(z.describe())],
        vec![Cell::text("routes"), Cell::Int(s.routes.len() as u64)],
        vec![Cell::text("routes_pruned"), Cell::Int(s.routes_pruned)],
        vec![Cell::text("other_routes_requests"), Cell::Int(s.other_routes.counts.requests)],
        vec![Cell::text("route_count_error_bound"), Cell::Int(s.route_error)],
        vec![Cell::text("failures"), Cell::Int(s.failures)],
        vec![Cell::text("failure_rate"), Cell::Pct(crate::units::percent(s.failures, s.requests()))],
        vec![Cell::text("failure_codes"), Cell::Text(ctx.failures.to_string())],
    ];
    rows.push(vec![Cell::text("excluded"), Cell::Int(s.excluded)]);
    rows.push(vec![Cell::text("requests"), Cell::Int(s.requests())]);
    let t = &s.timing;
    rows.push(vec![Cell::text("timed_requests"), Cell::Int(t.request.count().max(t.upstream.count()))]);
    for (name, h) in [("request_time", &t.request), ("upstream_time", &t.upstream)] {
        for (q, v) in ["p50", "p99"].iter().zip([0, 2]) {
            let cell = h.summary().map_or(Cell::Null, |s| Cell::Ms(s[v]));
            rows.push(vec![Cell::Text(format!("{name}_{q}_ms")), cell]);
        }
    }
    for r in Reason::ALL {
        rows.push(vec![
            Cell::Text(format!("malformed_{}", r.name().replace('-', "_"))),
            Cell::Int(s.malformed[r.index()]),
        ]);
    }
    rows.push(vec![Cell::text("unread_rotated_tails"), Cell::Int(ctx.run.unread_tails)]);
    // Who called: counted only when a who report or a state file asked for
    // it; empty cells otherwise, never a zero that was not counted.
    let w = &s.who;
    let who = |v: Cell| if w.tracked { v } else { Cell::Null };
    rows.push(vec![Cell::text("unique_clients"), who(Cell::Int(w.unique_clients.count()))]);
    rows.push(vec![Cell::text("bot_requests"), who(Cell::Int(w.bots))]);
    rows.push(vec![Cell::text("bot_percent"), who(Cell::Pct(crate::units::percent(w.bots, s.requests())))]);
    rows.push(vec![Cell::text("clients_pruned"), who(Cell::Int(w.clients.pruned))]);
    rows.push(vec![Cell::text("other_clients_requests"), who(Cell::Int(w.clients.other.requests))]);
    Table { name: "summary", columns: vec!["metric", "value"], rows }
}

/// What the report is about: the inputs and their formats.
pub fn title(ctx: &Ctx) -> String {
    let names: Vec<String> =
        ctx.run.files.iter().map(|f| format!("{} ({})", crate::text::escape(f.name.as_bytes()), f.format)).collect();
    names.join(", ")
}

/// The view: the run at a glance.
pub fn show(ctx: &Ctx, t: &mut View) {
    let s = &ctx.run.stats;
    let z = &ctx.run.zone;
    t.heading(&format!("logstat — {}", title(ctx)));
    t.line(&format!(
        "  {} lines · {} parsed · {} malformed · {} body bytes",
        thousands(s.lines),
        thousands(s.parsed),
        thousands(s.malformed_total()),
        crate::units::human_bytes(s.bytes)
    ));
    if s.excluded > 0 {
        t.line(&format!(
            "  filters kept {} requests and excluded {} parsed lines",
            thousands(s.requests()),
            thousands(s.excluded)
        ));
    }
    if let (Some(a), Some(b)) = (s.first, s.last) {
        t.line(&format!("  {} → {}  ({})", z.rfc3339(a), z.rfc3339(b), z.describe()));
    }
    for (name, h) in [("request_time", &s.timing.request), ("upstream_time", &s.timing.upstream)] {
        if let Some(v) = h.summary() {
            use crate::units::ms_short as ms;
            t.line(&format!(
                "  {name}: p50 {} ms · p90 {} ms · p99 {} ms · max {} ms",
                ms(v[0]),
                ms(v[1]),
                ms(v[2]),
                ms(v[4])
            ));
        }
    }
    if ctx.run.failed_inputs > 0 {
        t.warn(&format!("  {} input(s) could not be read (see messages above)", ctx.run.failed_inputs));
    }
    t.blank();
}
