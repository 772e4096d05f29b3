//! routes: requests per route template, by class, with bytes.

use super::{Cell, Ctx, Table};
use crate::render::terminal::{Term, thousands};
use crate::stats::Counts;

/// Routes sorted by requests descending, then by route bytes.
fn sorted<'a>(ctx: &'a Ctx) -> Vec<(&'a [u8], &'a Counts)> {
    let mut v: Vec<(&[u8], &Counts)> = ctx
        .run
        .stats
        .routes
        .iter()
        .map(|(k, c)| (&k[..], c))
        .collect();
    v.sort_unstable_by(|a, b| b.1.requests.cmp(&a.1.requests).then(a.0.cmp(b.0)));
    v
}

pub fn table(ctx: &Ctx) -> Table {
    let mut v = sorted(ctx);
    if let Some(n) = ctx.top {
        v.truncate(n);
    }
    let rows = v
        .into_iter()
        .map(|(r, c)| {
            let mut row = vec![Cell::bytes(r), Cell::Int(c.requests)];
            row.extend(c.class[..5].iter().map(|n| Cell::Int(*n)));
            row.push(Cell::Int(c.bytes));
            row.push(Cell::Int(c.class[5]));
            row
        })
        .collect();
    Table {
        name: "routes",
        columns: vec![
            "route", "requests", "1xx", "2xx", "3xx", "4xx", "5xx", "bytes", "other",
        ],
        rows,
    }
}

pub fn show(ctx: &Ctx, t: &mut Term) -> std::io::Result<()> {
    let v = sorted(ctx);
    let top = ctx.top.unwrap_or(10);
    t.heading(&format!(
        "Top routes ({} distinct)",
        thousands(v.len() as u64)
    ))?;
    t.dim(&format!(
        "  {:>12} {:>7} {:>7}  route",
        "requests", "4xx%", "5xx%"
    ))?;
    for (r, c) in v.iter().take(top) {
        let p4 = crate::stats::percent(c.class[3], c.requests);
        let p5 = crate::stats::percent(c.class[4], c.requests);
        let route = t.clip(&crate::text::escape(r), 80);
        let line = format!(
            "  {:>12} {:>6.1}% {:>6.1}%  {route}",
            thousands(c.requests),
            p4,
            p5
        );
        let class = if p5 >= 5.0 {
            4
        } else if p4 >= 50.0 {
            3
        } else {
            1
        };
        t.class_line(&line, class)?;
    }
    if v.len() > top {
        t.dim(&format!(
            "  … {} more routes",
            thousands((v.len() - top) as u64)
        ))?;
    }
    t.blank()
}
