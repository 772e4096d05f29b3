//! status: requests per status code, with names from the registry.

use super::{Cell, Ctx, Table, View};
use crate::status::{CLASS_NAMES as CLASSES, Class, class_index};
use crate::status::{label_of, name_of};
use crate::units::percent;
use crate::units::thousands;

/// (status, count) sorted by count descending, then code.
fn sorted(ctx: &Ctx) -> Vec<(Option<u32>, u64)> {
    let mut v = ctx.run.stats.status_counts();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The table: one row per status code.
pub fn table(ctx: &Ctx) -> Table {
    let parsed = ctx.run.stats.requests();
    let mut v = sorted(ctx);
    if let Some(n) = ctx.top {
        v.truncate(n);
    }
    let rows = v
        .into_iter()
        .map(|(s, n)| {
            vec![
                s.map_or(Cell::text("-"), |s| Cell::Text(s.to_string())),
                Cell::text(name_of(s)),
                Cell::text(CLASSES[class_index(s)]),
                Cell::Int(n),
                Cell::Pct(percent(n, parsed)),
            ]
        })
        .collect();
    Table { name: "status", columns: vec!["status", "name", "class", "count", "percent"], rows }
}

/// The view: one line per status code, coloured by class.
pub fn show(ctx: &Ctx, t: &mut View) {
    let parsed = ctx.run.stats.requests();
    let v = sorted(ctx);
    let top = ctx.top.unwrap_or(10);
    t.heading(&format!("Status codes ({} distinct)", v.len()));
    let labels: Vec<String> = v.iter().take(top).map(|(s, _)| label_of(*s)).collect();
    let w = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for ((s, n), l) in v.iter().zip(&labels) {
        let line = format!("  {l:<w$} {:>12} {:>6.1}%", thousands(*n), percent(*n, parsed));
        t.class_line(&line, Class::of(*s));
    }
    if v.len() > top {
        t.dim(&format!("  … {} more codes (--top N, or --format csv for all)", v.len() - top));
    }
    t.blank();
}
