//! Reports: each builds a plain table (columns + rows) from the aggregates
//! for CSV/JSON, and a human view for the terminal. One module per report.

pub mod agents;
pub mod class;
pub mod clients;
pub mod files;
pub mod findings;
pub mod hosts;
pub mod latency;
pub mod malformed;
pub mod methods;
pub mod os;
pub mod records;
pub mod referrers;
pub mod routes;
pub mod sizes;
pub mod status;
pub mod summary;
pub mod visitors;
pub mod windows;

pub mod model;

use crate::engine::Run;
use crate::status::Class;
pub use model::{Block, Cell, Span, SparkLabel, Table, Tone, View};

/// The reports a user can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Lines, requests, time span, failure rate, latency.
    Summary,
    /// One row per input.
    Files,
    /// Requests per status class.
    Class,
    /// Requests per status code, with names.
    Status,
    /// Requests per route template.
    Routes,
    /// Requests per time window.
    Windows,
    /// Latency percentiles.
    Latency,
    /// Response and request size percentiles.
    Sizes,
    /// Lines that could not be parsed, by reason, with samples.
    Malformed,
    /// Things worth attention.
    Findings,
    /// One row per counted line (streamed).
    Records,
    /// Requests per client address.
    Clients,
    /// Requests per agent family, with its category.
    Agents,
    /// Browser requests per operating system.
    Os,
    /// Requests per referrer host.
    Referrers,
    /// Visitors (client and agent pairs) per day.
    Visitors,
    /// Requests per virtual host.
    Hosts,
    /// Requests per method and protocol.
    Methods,
}

impl Kind {
    /// Every report, in the order the terminal shows them.
    pub const ALL: [Kind; 18] = [
        Kind::Summary,
        Kind::Files,
        Kind::Class,
        Kind::Status,
        Kind::Routes,
        Kind::Clients,
        Kind::Agents,
        Kind::Os,
        Kind::Referrers,
        Kind::Visitors,
        Kind::Hosts,
        Kind::Methods,
        Kind::Windows,
        Kind::Latency,
        Kind::Sizes,
        Kind::Malformed,
        Kind::Findings,
        Kind::Records,
    ];
    /// The reports shown when none is asked for.
    pub const DEFAULT: [Kind; 5] = [Kind::Summary, Kind::Class, Kind::Status, Kind::Routes, Kind::Windows];

    /// The report's name (`routes`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Summary => "summary",
            Kind::Files => "files",
            Kind::Class => "class",
            Kind::Status => "status",
            Kind::Routes => "routes",
            Kind::Windows => "windows",
            Kind::Latency => "latency",
            Kind::Sizes => "sizes",
            Kind::Malformed => "malformed",
            Kind::Findings => "findings",
            Kind::Records => "records",
            Kind::Clients => "clients",
            Kind::Agents => "agents",
            Kind::Os => "os",
            Kind::Referrers => "referrers",
            Kind::Visitors => "visitors",
            Kind::Hosts => "hosts",
            Kind::Methods => "methods",
        }
    }

    /// Whether the report shows who called (clients, agents, …), which is
    /// counted only when asked for.
    pub fn needs_who(self) -> bool {
        matches!(
            self,
            Kind::Clients | Kind::Agents | Kind::Os | Kind::Referrers | Kind::Visitors | Kind::Hosts | Kind::Methods
        )
    }

    /// The report of a name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// What every report reads.
pub struct Ctx<'a> {
    /// The run being reported.
    pub run: &'a Run,
    /// Window width shown, in seconds.
    pub window: i64,
    /// Row limit for routes and status (None: all).
    pub top: Option<usize>,
    /// The `--failures` spec, for display.
    pub failures: &'a str,
}

impl Ctx<'_> {
    /// The file name of input `idx`, escaped.
    pub fn file_name(&self, idx: u32) -> String {
        self.run.files_by_idx(idx)
    }
}

/// How a row of a route or client is coloured: red when 5% or more of its
/// requests got a 5xx, amber when half got a 4xx, plain otherwise.
pub fn error_tone(requests: u64, e4: u64, e5: u64) -> crate::status::Class {
    use crate::status::Class;
    if crate::units::percent(e5, requests) >= 5.0 {
        Class::ServerError
    } else if crate::units::percent(e4, requests) >= 50.0 {
        Class::ClientError
    } else {
        Class::Success
    }
}

/// The columns routes and windows share after their key.
pub const COUNT_COLUMNS: [&str; 14] = [
    "requests", "1xx", "2xx", "3xx", "4xx", "5xx", "bytes", "other", "failures", "p50_ms", "p90_ms", "p99_ms",
    "p999_ms", "max_ms",
];

/// A routes/windows row: `key`, then [`COUNT_COLUMNS`] of `c`.
pub fn counts_row(key: Cell, c: &crate::stats::Counts) -> Vec<Cell> {
    let mut row = vec![key, Cell::Int(c.requests)];
    row.extend(Class::ALL[..5].iter().map(|k| Cell::Int(c.in_class(*k))));
    row.push(Cell::Int(c.bytes));
    row.push(Cell::Int(c.in_class(Class::Other)));
    row.push(Cell::Int(c.failures));
    row.extend(ms_cells(&c.latency));
    row
}

/// `p50…max` cells of a histogram (empty cells when it is empty), in ms.
pub fn ms_cells(h: &crate::stats::latency::Hist) -> Vec<Cell> {
    match h.summary() {
        Some(v) => v.iter().map(|us| Cell::Ms(*us)).collect(),
        None => vec![Cell::Null; 5],
    }
}

/// The `route` and `window` rows of a histogram report: `hist` picks the
/// histogram out of each route's or window's counts; empty ones are skipped.
/// Routes in `routes` order (limited by `--top`), then `(other routes)`,
/// then windows in time order.
pub fn hist_rows(
    ctx: &Ctx,
    hist: impl Fn(&crate::stats::Counts) -> &crate::stats::latency::Hist,
    mut push: impl FnMut(&'static str, Cell, &crate::stats::latency::Hist),
) {
    let s = &ctx.run.stats;
    for (r, rc) in routes::sorted(ctx, ctx.top) {
        let h = hist(&rc.counts);
        if !h.is_empty() {
            push("route", Cell::bytes(r), h);
        }
    }
    let other = hist(&s.other_routes.counts);
    if !other.is_empty() {
        push("route", Cell::text(routes::OTHER), other);
    }
    let z = &ctx.run.zone;
    for (wall, c) in s.windows.series(ctx.window) {
        let h = hist(&c);
        if !h.is_empty() {
            push("window", Cell::Text(z.rfc3339(z.from_wall(wall).0)), h);
        }
    }
}

/// Sort `v` by `cmp`, keeping only the first `limit` when given: a top 10
/// of 20 k routes by selection then sorting ten, not sorting all (2 ms).
/// `cmp` must be a total order (ties broken by a unique key), so the
/// result is the same as sorting everything and truncating.
pub fn sort_top<T>(v: &mut Vec<T>, limit: Option<usize>, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if let Some(n) = limit
        && n < v.len()
    {
        if n == 0 {
            v.clear();
            return;
        }
        v.select_nth_unstable_by(n - 1, &cmp);
        v.truncate(n);
    }
    v.sort_unstable_by(cmp);
}

/// The machine table of a report (not records, which stream).
pub fn table(kind: Kind, ctx: &Ctx) -> Table {
    match kind {
        Kind::Summary => summary::table(ctx),
        Kind::Files => files::table(ctx),
        Kind::Class => class::table(ctx),
        Kind::Status => status::table(ctx),
        Kind::Routes => routes::table(ctx),
        Kind::Windows => windows::table(ctx),
        Kind::Latency => latency::table(ctx),
        Kind::Sizes => sizes::table(ctx),
        Kind::Malformed => malformed::table(ctx),
        Kind::Findings => findings::table(ctx),
        Kind::Records => Table { name: "records", columns: records::COLUMNS.to_vec(), rows: Vec::new() },
        Kind::Clients => clients::table(ctx),
        Kind::Agents => agents::table(ctx),
        Kind::Os => os::table(ctx),
        Kind::Referrers => referrers::table(ctx),
        Kind::Visitors => visitors::table(ctx),
        Kind::Hosts => hosts::table(ctx),
        Kind::Methods => methods::table(ctx),
    }
}

/// The view of a report for people (empty for records).
pub fn view(kind: Kind, ctx: &Ctx) -> View {
    let mut v = View::default();
    let t = &mut v;
    match kind {
        Kind::Summary => summary::show(ctx, t),
        Kind::Files => files::show(ctx, t),
        Kind::Class => class::show(ctx, t),
        Kind::Status => status::show(ctx, t),
        Kind::Routes => routes::show(ctx, t),
        Kind::Windows => windows::show(ctx, t),
        Kind::Latency => latency::show(ctx, t),
        Kind::Sizes => sizes::show(ctx, t),
        Kind::Malformed => malformed::show(ctx, t),
        Kind::Findings => findings::show(ctx, t),
        Kind::Records => {}
        Kind::Clients => clients::show(ctx, t),
        Kind::Agents => agents::show(ctx, t),
        Kind::Os => os::show(ctx, t),
        Kind::Referrers => referrers::show(ctx, t),
        Kind::Visitors => visitors::show(ctx, t),
        Kind::Hosts => hosts::show(ctx, t),
        Kind::Methods => methods::show(ctx, t),
    }
    v
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// A top `n` by selection is the first `n` of a full sort.
        #[test]
        fn sort_top_is_a_truncated_sort(v in prop::collection::vec((0u8..8, any::<u16>()), 0..300), n in 0usize..320) {
            let cmp = |a: &(u8, u16), b: &(u8, u16)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
            let mut v: Vec<(u8, u16)> = v;
            v.sort_unstable_by_key(|x| x.1);
            v.dedup_by_key(|x| x.1);
            let mut all = v.clone();
            all.sort_unstable_by(cmp);
            all.truncate(n);
            let mut top = v;
            super::sort_top(&mut top, Some(n), cmp);
            prop_assert_eq!(top, all);
        }
    }
}
