//! class: requests per status class.

use super::{Cell, Ctx, Table};
use crate::render::terminal::{Term, thousands};
use crate::stats::{CLASSES, percent};

pub fn table(ctx: &Ctx) -> Table {
    let s = &ctx.run.stats;
    let rows = CLASSES
        .iter()
        .zip(s.classes)
        .map(|(c, n)| vec![Cell::text(*c), Cell::Int(n), Cell::Pct(percent(n, s.requests()))])
        .collect();
    Table { name: "class", columns: vec!["class", "count", "percent"], rows }
}

pub fn show(ctx: &Ctx, t: &mut Term) -> std::io::Result<()> {
    let s = &ctx.run.stats;
    t.heading("Status classes")?;
    for (i, (c, n)) in CLASSES.iter().zip(s.classes).enumerate() {
        if n == 0 && i == 5 {
            continue;
        }
        let p = percent(n, s.requests());
        let bar = t.bar(p / 100.0, 30, i);
        t.line(&format!("  {c:<5} {:>12} {:>6.1}%  {bar}", thousands(n), p))?;
    }
    t.blank()
}
