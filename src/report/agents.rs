//! agents: requests per agent family, with its category; and the bot share.

use super::{Cell, Ctx, Table, View};
use crate::agent::Category;
use crate::status::Class;
use crate::units::{percent, thousands};

/// Row name of the families folded by the agent bound.
pub const OTHER: &str = "(other agents)";

/// The table: `agent,category,requests,percent`, then `bytes`, `4xx`, `5xx`,
/// `not_found`.
pub fn table(ctx: &Ctx) -> Table {
    let s = &ctx.run.stats;
    let w = &s.who;
    let row = |name: Cell, c: &crate::stats::who::AgentCounts| {
        vec![
            name,
            Cell::text(c.category.name()),
            Cell::Int(c.requests),
            Cell::Pct(percent(c.requests, s.requests())),
            Cell::Int(c.bytes),
            Cell::Int(c.class[Class::ClientError.index()]),
            Cell::Int(c.class[Class::ServerError.index()]),
            Cell::Int(c.not_found),
        ]
    };
    let mut v = w.agents.sorted();
    if let Some(n) = ctx.top {
        v.truncate(n);
    }
    let mut rows: Vec<Vec<Cell>> = v.into_iter().map(|(k, c)| row(Cell::bytes(k.as_bytes()), c)).collect();
    if w.agents.other.requests > 0 {
        rows.push(row(Cell::text(OTHER), &w.agents.other));
    }
    let columns = vec!["agent", "category", "requests", "percent", "bytes", "4xx", "5xx", "not_found"];
    Table { name: "agents", columns, rows }
}

/// Requests per category, in category order.
pub fn by_category(ctx: &Ctx) -> Vec<(Category, u64, u64)> {
    let w = &ctx.run.stats.who;
    Category::ALL
        .iter()
        .map(|c| {
            let (n, b) = w
                .agents
                .map
                .values()
                .filter(|a| a.category == *c)
                .fold((0, 0), |(n, b), a| (n + a.requests, b + a.bytes));
            (*c, n, b)
        })
        .collect()
}

/// The view: the bot/human split by category, then the top families.
pub fn show(ctx: &Ctx, t: &mut View) {
    let s = &ctx.run.stats;
    let w = &s.who;
    t.heading(&format!("Callers by agent ({} bot requests, {:.1}%)", thousands(w.bots), percent(w.bots, s.requests())));
    for (c, n, _) in by_category(ctx) {
        if n > 0 {
            t.line(&format!("  {:<11} {:>12} {:>6.1}%", c.name(), thousands(n), percent(n, s.requests())));
        }
    }
    let v = w.agents.sorted();
    let top = ctx.top.unwrap_or(10);
    t.dim(&format!("  {:>12} {:>7}  {:<11} agent", "requests", "share", "category"));
    for (k, a) in v.iter().take(top) {
        t.line(&format!(
            "  {:>12} {:>6.1}%  {:<11} {}",
            thousands(a.requests),
            percent(a.requests, s.requests()),
            a.category.name(),
            crate::text::escape(k.as_bytes())
        ));
    }
    if v.len() > top {
        t.dim(&format!("  … {} more agents", thousands((v.len() - top) as u64)));
    }
    t.blank();
}
