//! files: which inputs were read, their formats and line counts.

use super::{Cell, Ctx, Table, View};
use crate::units::thousands;

/// The table: one row per input.
pub fn table(ctx: &Ctx) -> Table {
    let z = &ctx.run.zone;
    let time = |t: Option<i64>| t.map_or(Cell::Null, |t| Cell::Text(z.rfc3339(t)));
    let rows = ctx
        .run
        .files
        .iter()
        .map(|f| {
            vec![
                Cell::bytes(f.name.as_bytes()),
                Cell::text(f.format.clone()),
                Cell::Int(f.lines),
                Cell::Int(f.parsed),
                Cell::Int(f.malformed),
                time(f.first),
                time(f.last),
                Cell::Int(f.bytes_read),
            ]
        })
        .collect();
    Table {
        name: "files",
        columns: vec!["file", "format", "lines", "parsed", "malformed", "first_time", "last_time", "bytes_read"],
        rows,
    }
}

/// The view: one line per input.
pub fn show(ctx: &Ctx, t: &mut View) {
    t.heading(&format!("Files ({})", ctx.run.files.len()));
    for f in &ctx.run.files {
        let name = crate::text::clip(&crate::text::escape(f.name.as_bytes()), 60);
        t.line(&format!(
            "  {name:<40} {:<22} {:>12} lines {:>10} malformed",
            f.format,
            thousands(f.lines),
            thousands(f.malformed)
        ));
    }
    t.blank();
}
