//! class: requests per status class.

use super::{Cell, Ctx, Span, Table, View};
use crate::status::{CLASS_NAMES as CLASSES, Class};
use crate::units::percent;
use crate::units::thousands;

/// The table: one row per class.
pub fn table(ctx: &Ctx) -> Table {
    let s = &ctx.run.stats;
    let rows = CLASSES
        .iter()
        .zip(s.classes)
        .map(|(c, n)| vec![Cell::text(*c), Cell::Int(n), Cell::Pct(percent(n, s.requests()))])
        .collect();
    Table { name: "class", columns: vec!["class", "count", "percent"], rows }
}

/// The view: a bar per class.
pub fn show(ctx: &Ctx, t: &mut View) {
    let s = &ctx.run.stats;
    t.heading("Status classes");
    for (i, (c, n)) in CLASSES.iter().zip(s.classes).enumerate() {
        if n == 0 && i == 5 {
            continue;
        }
        let p = percent(n, s.requests());
        let text = format!("  {c:<5} {:>12} {:>6.1}%  ", thousands(n), p);
        t.spans(vec![Span::Text(text), Span::Bar { frac: p / 100.0, width: 30, class: Class::ALL[i] }]);
    }
    t.blank();
}
