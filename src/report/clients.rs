//! clients: requests per client address, heaviest first.

use super::{Cell, Ctx, Table, View};
use crate::status::Class;
use crate::units::{percent, thousands};

/// Row name of the clients folded by `--max-clients`.
pub const OTHER: &str = "(other clients)";

/// The table: `client,requests,1xx…5xx,bytes,other,failures,first_time,last_time`,
/// then `not_found` and `not_found_routes` (estimated distinct routes of its 404s).
pub fn table(ctx: &Ctx) -> Table {
    let w = &ctx.run.stats.who;
    let z = &ctx.run.zone;
    let time = |t: Option<i64>| t.map_or(Cell::Null, |t| Cell::Text(z.rfc3339(t)));
    let row = |key: Cell, c: &crate::stats::who::ClientCounts| {
        let mut r = vec![key, Cell::Int(c.requests)];
        r.extend(Class::ALL[..5].iter().map(|k| Cell::Int(c.class[k.index()])));
        r.extend([
            Cell::Int(c.bytes),
            Cell::Int(c.class[Class::Other.index()]),
            Cell::Int(c.failures),
            time(c.first),
            time(c.last),
            Cell::Int(c.not_found),
            Cell::Int(c.not_found_route_estimate()),
        ]);
        r
    };
    let mut v = w.clients.sorted();
    if let Some(n) = ctx.top {
        v.truncate(n);
    }
    let mut rows: Vec<Vec<Cell>> = v.into_iter().map(|(k, c)| row(Cell::bytes(k), c)).collect();
    if w.clients.other.requests > 0 {
        rows.push(row(Cell::text(OTHER), &w.clients.other));
    }
    let columns = vec![
        "client",
        "requests",
        "1xx",
        "2xx",
        "3xx",
        "4xx",
        "5xx",
        "bytes",
        "other",
        "failures",
        "first_time",
        "last_time",
        "not_found",
        "not_found_routes",
    ];
    Table { name: "clients", columns, rows }
}

/// The view: the top clients with their error shares.
pub fn show(ctx: &Ctx, t: &mut View) {
    let s = &ctx.run.stats;
    let w = &s.who;
    let v = w.clients.sorted();
    let top = ctx.top.unwrap_or(10);
    t.heading(&format!("Top clients ({} distinct)", thousands(w.unique_clients.count())));
    t.dim(&format!("  {:>12} {:>7} {:>7} {:>7}  client", "requests", "share", "4xx%", "5xx%"));
    for (k, c) in v.iter().take(top) {
        let p4 = percent(c.class[Class::ClientError.index()], c.requests);
        let p5 = percent(c.class[Class::ServerError.index()], c.requests);
        let line = format!(
            "  {:>12} {:>6.1}% {:>6.1}% {:>6.1}%  {}",
            thousands(c.requests),
            percent(c.requests, s.requests()),
            p4,
            p5,
            crate::text::clip(&crate::text::escape(k), 60)
        );
        let class =
            super::error_tone(c.requests, c.class[Class::ClientError.index()], c.class[Class::ServerError.index()]);
        t.class_line(&line, class);
    }
    if v.len() > top {
        t.dim(&format!("  … {} more clients", thousands((v.len() - top) as u64)));
    }
    if w.clients.other.requests > 0 {
        t.warn(&format!(
            "  {} requests of {} pruned clients are counted as {OTHER} (--max-clients); kept counts may be short by at most {}",
            thousands(w.clients.other.requests),
            thousands(w.clients.pruned),
            thousands(w.clients.error)
        ));
    }
    t.blank();
}
