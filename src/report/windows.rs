//! windows: requests per time window, by class, with bytes.

use super::{COUNT_COLUMNS, Cell, Ctx, SparkLabel, Table, Tone, View, counts_row};
use crate::stats::Counts;
use crate::status::Class;
use crate::units::thousands;
use crate::units::width_text;

/// (start instant, counts) in time order.
fn series(ctx: &Ctx) -> Vec<(i64, Counts)> {
    let z = &ctx.run.zone;
    ctx.run.stats.windows.series(ctx.window).into_iter().map(|(wall, c)| (z.from_wall(wall).0, c)).collect()
}

/// The table: one row per window, empty windows included.
pub fn table(ctx: &Ctx) -> Table {
    let z = &ctx.run.zone;
    let tracked = ctx.run.stats.who.tracked;
    let rows = series(ctx)
        .into_iter()
        .map(|(start, c)| {
            let mut row = counts_row(Cell::Text(z.rfc3339(start)), &c);
            row.push(if tracked { Cell::Int(c.bots) } else { Cell::Null });
            row
        })
        .collect();
    let columns = ["window_start"].into_iter().chain(COUNT_COLUMNS).chain(["bot_requests"]).collect();
    Table { name: "windows", columns, rows }
}

/// The view: sparklines of requests and 5xx, busiest and quietest window.
pub fn show(ctx: &Ctx, t: &mut View) {
    let z = &ctx.run.zone;
    let s = series(ctx);
    if s.is_empty() {
        return;
    }
    t.heading(&format!("Requests per {} window ({} windows, {})", width_text(ctx.window), s.len(), z.describe()));
    let req: Vec<u64> = s.iter().map(|(_, c)| c.requests).collect();
    let err: Vec<u64> = s.iter().map(|(_, c)| c.in_class(Class::ServerError)).collect();
    let starts = s.iter().map(|(start, _)| z.rfc3339(*start)).collect();
    t.spark(req, SparkLabel::From(starts), Tone::Plain);
    if err.iter().any(|&e| e > 0) {
        t.spark(err, SparkLabel::Fixed("5xx".into()), Tone::Class(Class::ServerError));
    }
    let (pi, peak) =
        s.iter().enumerate().max_by(|a, b| a.1.1.requests.cmp(&b.1.1.requests).then(b.0.cmp(&a.0))).expect("non-empty");
    let (li, low) =
        s.iter().enumerate().min_by(|a, b| a.1.1.requests.cmp(&b.1.1.requests).then(a.0.cmp(&b.0))).expect("non-empty");
    t.line(&format!("  busiest  {}  {} requests", z.rfc3339(s[pi].0), thousands(peak.1.requests)));
    t.line(&format!("  quietest {}  {} requests", z.rfc3339(s[li].0), thousands(low.1.requests)));
    t.blank();
}
