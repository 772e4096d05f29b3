//! hosts: requests per virtual host, when the format logs one.

use super::{Cell, Ctx, Table, View};
use crate::units::{percent, thousands};

/// The table: `host,requests,percent`.
pub fn table(ctx: &Ctx) -> Table {
    let s = &ctx.run.stats;
    let t = &s.who.hosts;
    let mut rows: Vec<Vec<Cell>> = t
        .sorted()
        .into_iter()
        .map(|(k, n)| vec![Cell::bytes(k), Cell::Int(*n), Cell::Pct(percent(*n, s.requests()))])
        .collect();
    if t.other > 0 {
        rows.push(vec![Cell::text("(other hosts)"), Cell::Int(t.other), Cell::Pct(percent(t.other, s.requests()))]);
    }
    Table { name: "hosts", columns: vec!["host", "requests", "percent"], rows }
}

/// The view: one line per host (or a note that none is logged).
pub fn show(ctx: &Ctx, t: &mut View) {
    let s = &ctx.run.stats;
    let h = &s.who.hosts;
    t.heading("Virtual hosts");
    if h.map.is_empty() {
        t.dim("  the log format has no host field ($host, %v)");
    }
    for (k, n) in h.sorted().into_iter().take(ctx.top.unwrap_or(10)) {
        t.line(&format!("  {:>12} {:>6.1}%  {}", thousands(*n), percent(*n, s.requests()), crate::text::escape(k)));
    }
    t.blank();
}
