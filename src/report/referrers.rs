//! referrers: requests per referrer host (`http(s)://` referrers, lower-cased).

use super::{Cell, Ctx, Table, View};
use crate::units::{percent, thousands};

/// Row name of the hosts folded by the referrer bound.
pub const OTHER: &str = "(other referrers)";

/// Whether `host` is one of the site's own virtual hosts (when logged).
fn own(ctx: &Ctx, host: &[u8]) -> bool {
    ctx.run.stats.who.hosts.map.keys().any(|h| {
        let h = h.split(|&b| b == b':').next().unwrap_or(h);
        h.eq_ignore_ascii_case(host)
    })
}

/// The table: `referrer_host,requests,percent,own` (`own`: the host is one
/// of the logged virtual hosts; empty when the format logs none).
pub fn table(ctx: &Ctx) -> Table {
    let s = &ctx.run.stats;
    let w = &s.who;
    let hosts_logged = !w.hosts.map.is_empty();
    let mut v = w.referrers.sorted();
    if let Some(n) = ctx.top {
        v.truncate(n);
    }
    let mut rows: Vec<Vec<Cell>> = v
        .into_iter()
        .map(|(k, n)| {
            let mark = if hosts_logged { Cell::text(if own(ctx, k) { "yes" } else { "no" }) } else { Cell::Null };
            vec![Cell::bytes(k), Cell::Int(*n), Cell::Pct(percent(*n, s.requests())), mark]
        })
        .collect();
    if w.referrers.other > 0 {
        rows.push(vec![
            Cell::text(OTHER),
            Cell::Int(w.referrers.other),
            Cell::Pct(percent(w.referrers.other, s.requests())),
            Cell::Null,
        ]);
    }
    Table { name: "referrers", columns: vec!["referrer_host", "requests", "percent", "own"], rows }
}

/// The view: the top referrer hosts.
pub fn show(ctx: &Ctx, t: &mut View) {
    let s = &ctx.run.stats;
    let w = &s.who;
    let v = w.referrers.sorted();
    t.heading(&format!(
        "Referrer hosts ({} distinct; {} requests without one)",
        thousands(v.len() as u64),
        thousands(w.no_referrer)
    ));
    let top = ctx.top.unwrap_or(10);
    for (k, n) in v.iter().take(top) {
        let mark = if own(ctx, k) { "  (own site)" } else { "" };
        t.line(&format!(
            "  {:>12} {:>6.1}%  {}{mark}",
            thousands(**n),
            percent(**n, s.requests()),
            crate::text::escape(k)
        ));
    }
    if v.len() > top {
        t.dim(&format!("  … {} more referrer hosts", thousands((v.len() - top) as u64)));
    }
    t.blank();
}
