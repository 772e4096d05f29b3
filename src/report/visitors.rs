//! visitors: distinct (client, agent) pairs per calendar day in the display
//! zone, as GoAccess counts them; exact up to 2,048 a day, then estimated
//! (HyperLogLog, within 1%).

use super::{Cell, Ctx, Table, View};
use crate::units::thousands;

fn day_text(day: i64) -> String {
    let (y, m, d) = crate::parse::time::civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The table: `day,visitors,requests,bytes`.
pub fn table(ctx: &Ctx) -> Table {
    let rows = ctx
        .run
        .stats
        .who
        .days
        .iter()
        .map(|(d, v)| {
            vec![Cell::Text(day_text(*d)), Cell::Int(v.visitors.count()), Cell::Int(v.requests), Cell::Int(v.bytes)]
        })
        .collect();
    Table { name: "visitors", columns: vec!["day", "visitors", "requests", "bytes"], rows }
}

/// The view: one line per day.
pub fn show(ctx: &Ctx, t: &mut View) {
    let w = &ctx.run.stats.who;
    t.heading(&format!("Visitors per day ({})", ctx.run.zone.describe()));
    t.dim(&format!("  {:<10} {:>10} {:>12}", "day", "visitors", "requests"));
    for (d, v) in &w.days {
        t.line(&format!("  {:<10} {:>10} {:>12}", day_text(*d), thousands(v.visitors.count()), thousands(v.requests)));
    }
    t.blank();
}
