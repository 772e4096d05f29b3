//! os: browser requests per operating system.

use super::{Cell, Ctx, Table, View};
use crate::units::{percent, thousands};

fn sorted<'a>(ctx: &'a Ctx) -> (Vec<(&'a str, u64)>, u64) {
    let w = &ctx.run.stats.who;
    let mut v: Vec<(&str, u64)> = w.os.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total = v.iter().map(|x| x.1).sum();
    (v, total)
}

/// The table: `os,requests,percent` (percent of browser requests).
pub fn table(ctx: &Ctx) -> Table {
    let (v, total) = sorted(ctx);
    let rows = v.into_iter().map(|(o, n)| vec![Cell::text(o), Cell::Int(n), Cell::Pct(percent(n, total))]).collect();
    Table { name: "os", columns: vec!["os", "requests", "percent"], rows }
}

/// The view: one line per operating system.
pub fn show(ctx: &Ctx, t: &mut View) {
    let (v, total) = sorted(ctx);
    t.heading(&format!("Browser requests by OS ({})", thousands(total)));
    for (o, n) in v {
        t.line(&format!("  {:<10} {:>12} {:>6.1}%", o, thousands(n), percent(n, total)));
    }
    t.blank();
}
