//! routes: requests per route template, by class, with bytes.

use super::{COUNT_COLUMNS, Cell, Ctx, Table, View, counts_row};
use crate::stats::RouteCounts;
use crate::status::Class;
use crate::units::thousands;

/// Routes sorted by requests descending, then by route bytes; only the
/// first `limit` when given.
pub fn sorted<'a>(ctx: &'a Ctx, limit: Option<usize>) -> Vec<(&'a [u8], &'a RouteCounts)> {
    let mut v: Vec<(&[u8], &RouteCounts)> = ctx.run.stats.routes.iter().collect();
    super::sort_top(&mut v, limit, |a, b| b.1.counts.requests.cmp(&a.1.counts.requests).then(a.0.cmp(b.0)));
    v
}

/// Name of the row that holds requests of routes pruned by `--max-routes`.
pub const OTHER: &str = "(other routes)";

/// The table: one row per route (then the pruned routes' row).
pub fn table(ctx: &Ctx) -> Table {
    let v = sorted(ctx, ctx.top);
    let mut rows: Vec<Vec<Cell>> = v.into_iter().map(|(r, rc)| counts_row(Cell::bytes(r), &rc.counts)).collect();
    let other = &ctx.run.stats.other_routes.counts;
    if other.requests > 0 {
        rows.push(counts_row(Cell::text(OTHER), other));
    }
    Table { name: "routes", columns: ["route"].into_iter().chain(COUNT_COLUMNS).collect(), rows }
}

/// The view: the top routes with their 4xx/5xx shares.
pub fn show(ctx: &Ctx, t: &mut View) {
    let top = ctx.top.unwrap_or(10);
    let v = sorted(ctx, Some(top));
    let distinct = ctx.run.stats.routes.len();
    t.heading(&format!("Top routes ({} distinct)", thousands(distinct as u64)));
    // With a custom --failures set, a fail% column shows its rate too.
    let custom = ctx.failures != "5xx";
    let fail_head = if custom { format!(" {:>7}", "fail%") } else { String::new() };
    t.dim(&format!("  {:>12} {:>7} {:>7}{fail_head}  route", "requests", "4xx%", "5xx%"));
    for (r, rc) in v.iter().take(top) {
        let c = &rc.counts;
        let p4 = crate::units::percent(c.in_class(Class::ClientError), c.requests);
        let p5 = crate::units::percent(c.in_class(Class::ServerError), c.requests);
        let route = crate::text::clip(&crate::text::escape(r), 80);
        let fail =
            if custom { format!(" {:>6.1}%", crate::units::percent(c.failures, c.requests)) } else { String::new() };
        let line = format!("  {:>12} {:>6.1}% {:>6.1}%{fail}  {route}", thousands(c.requests), p4, p5);
        let class = super::error_tone(c.requests, c.in_class(Class::ClientError), c.in_class(Class::ServerError));
        t.class_line(&line, class);
    }
    if distinct > top {
        t.dim(&format!("  … {} more routes", thousands((distinct - top) as u64)));
    }
    let s = &ctx.run.stats;
    if s.other_routes.counts.requests > 0 {
        t.warn(&format!(
            "  {} requests of {} pruned routes are counted as {OTHER} (--max-routes); kept counts may be short by at most {}",
            thousands(s.other_routes.counts.requests),
            thousands(s.routes_pruned),
            thousands(s.route_error)
        ));
    }
    t.blank();
}
