//! methods: requests per method and protocol.

use super::{Cell, Ctx, Table, View};
use crate::units::{percent, thousands};

fn split(k: &[u8]) -> (&[u8], &[u8]) {
    match k.iter().position(|&b| b == b' ') {
        Some(i) => (&k[..i], &k[i + 1..]),
        None => (k, b""),
    }
}

/// The table: `method,protocol,requests,percent`.
pub fn table(ctx: &Ctx) -> Table {
    let s = &ctx.run.stats;
    let t = &s.who.methods;
    let mut rows: Vec<Vec<Cell>> = t
        .sorted()
        .into_iter()
        .map(|(k, n)| {
            let (m, p) = split(k);
            vec![Cell::bytes(m), Cell::bytes(p), Cell::Int(*n), Cell::Pct(percent(*n, s.requests()))]
        })
        .collect();
    if t.other > 0 {
        rows.push(vec![
            Cell::text("(other)"),
            Cell::Null,
            Cell::Int(t.other),
            Cell::Pct(percent(t.other, s.requests())),
        ]);
    }
    Table { name: "methods", columns: vec!["method", "protocol", "requests", "percent"], rows }
}

/// The view: one line per method and protocol.
pub fn show(ctx: &Ctx, t: &mut View) {
    let s = &ctx.run.stats;
    t.heading("Methods and protocols");
    for (k, n) in s.who.methods.sorted().into_iter().take(ctx.top.unwrap_or(10)) {
        t.line(&format!("  {:>12} {:>6.1}%  {}", thousands(*n), percent(*n, s.requests()), crate::text::escape(k)));
    }
    t.blank();
}
