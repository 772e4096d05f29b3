//! windows: requests per time window, by class, with bytes.

use super::{COUNT_COLUMNS, Cell, Ctx, Table, counts_row};
use crate::render::terminal::{Term, thousands};
use crate::stats::Counts;
use crate::stats::window::width_text;

/// (start instant, counts) in time order.
fn series(ctx: &Ctx) -> Vec<(i64, Counts)> {
    let z = &ctx.run.zone;
    ctx.run.stats.windows.series(ctx.window).into_iter().map(|(wall, c)| (z.from_wall(wall).0, c)).collect()
}

pub fn table(ctx: &Ctx) -> Table {
    let z = &ctx.run.zone;
    let rows = series(ctx).into_iter().map(|(start, c)| counts_row(Cell::Text(z.rfc3339(start)), &c)).collect();
    Table { name: "windows", columns: ["window_start"].into_iter().chain(COUNT_COLUMNS).collect(), rows }
}

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One sparkline character per value, scaled to the maximum.
pub fn sparkline(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values.iter().map(|&v| if max == 0 || v == 0 { ' ' } else { SPARK[(v * 7).div_ceil(max) as usize] }).collect()
}

pub fn show(ctx: &Ctx, t: &mut Term) -> std::io::Result<()> {
    let z = &ctx.run.zone;
    let s = series(ctx);
    if s.is_empty() {
        return Ok(());
    }
    t.heading(&format!("Requests per {} window ({} windows, {})", width_text(ctx.window), s.len(), z.describe()))?;
    let req: Vec<u64> = s.iter().map(|(_, c)| c.requests).collect();
    let err: Vec<u64> = s.iter().map(|(_, c)| c.class[4]).collect();
    let width = t.width().saturating_sub(12).max(20);
    for (i, part) in req.chunks(width).enumerate() {
        let start = z.rfc3339(s[i * width].0);
        t.line(&format!("  {}  from {start}", sparkline(part)))?;
    }
    if err.iter().any(|&e| e > 0) {
        for part in err.chunks(width) {
            t.class_line(&format!("  {}  5xx", sparkline(part)), 4)?;
        }
    }
    let (pi, peak) =
        s.iter().enumerate().max_by(|a, b| a.1.1.requests.cmp(&b.1.1.requests).then(b.0.cmp(&a.0))).expect("non-empty");
    let (li, low) =
        s.iter().enumerate().min_by(|a, b| a.1.1.requests.cmp(&b.1.1.requests).then(a.0.cmp(&b.0))).expect("non-empty");
    t.line(&format!("  busiest  {}  {} requests", z.rfc3339(s[pi].0), thousands(peak.1.requests)))?;
    t.line(&format!("  quietest {}  {} requests", z.rfc3339(s[li].0), thousands(low.1.requests)))?;
    t.blank()
}
