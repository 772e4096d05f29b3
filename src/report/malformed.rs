//! malformed: lines that did not fit the format, with reason and excerpt.

use super::{Cell, Ctx, Table, View};
use crate::parse::Reason;
use crate::stats::MAX_SAMPLES;
use crate::units::thousands;

/// Characters of a line shown in the excerpt column.
const EXCERPT_CHARS: usize = 120;

/// The table: counts per reason, then the samples kept.
pub fn table(ctx: &Ctx) -> Table {
    let samples = &ctx.run.stats.samples;
    let n = ctx.top.unwrap_or(samples.len()).min(samples.len());
    let rows = samples[..n]
        .iter()
        .map(|s| {
            vec![
                Cell::Text(ctx.file_name(s.file)),
                Cell::Int(s.line),
                Cell::text(s.reason.name()),
                Cell::Text(crate::text::excerpt(&s.excerpt, EXCERPT_CHARS)),
            ]
        })
        .collect();
    Table { name: "malformed", columns: vec!["file", "line", "reason", "excerpt"], rows }
}

/// The view: counts per reason and the first samples.
pub fn show(ctx: &Ctx, t: &mut View) {
    let s = &ctx.run.stats;
    let total = s.malformed_total();
    if total == 0 {
        return;
    }
    t.heading(&format!("Malformed lines ({})", thousands(total)));
    let by_reason: Vec<String> = Reason::ALL
        .iter()
        .filter(|r| s.malformed[r.index()] > 0)
        .map(|r| format!("{} {}", r.name(), thousands(s.malformed[r.index()])))
        .collect();
    t.line(&format!("  {}", by_reason.join(" · ")));
    let shown = ctx.top.unwrap_or(10);
    for smp in s.samples.iter().take(shown) {
        let excerpt = crate::text::clip(&crate::text::excerpt(&smp.excerpt, EXCERPT_CHARS), 100);
        t.dim(&format!("  {}:{} {}: {}", ctx.file_name(smp.file), smp.line, smp.reason.name(), excerpt));
    }
    if total as usize > shown {
        t.dim(&format!(
            "  (first {} kept; --report malformed --format csv lists them)",
            s.samples.len().min(MAX_SAMPLES)
        ));
    }
    t.blank();
}
