//! Aggregation: `Stats::add` counts one record (the engine parses and
//! filters), `Stats::merge` folds workers together.
//!
//! Every part merges exactly and order-independently (sums, min/max, maps
//! keyed by value, the smallest-N malformed samples by position), so the
//! result is the same whatever the chunking or thread count.

pub mod distinct;
pub mod latency;
pub mod routes;
pub mod snapshot;
pub mod who;
pub mod window;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::parse::{Malformed, Reason, Record};
use crate::status::{Class, NOTABLE, POST_REDIRECT, StatusSet, class_index, notable_index};
use crate::zone::Zone;
use latency::{Hist, Metric, Timing};
pub use routes::RouteMap;
use window::Windows;

/// Malformed lines kept as samples (line number and excerpt), per run.
pub const MAX_SAMPLES: usize = 1_000;
pub use crate::parse::MAX_LINE_BYTES;

/// Bytes of a malformed line kept for its excerpt.
pub const EXCERPT_BYTES: usize = 160;

/// What one counted request adds to a route or window.
#[derive(Clone, Copy, Debug)]
pub struct Hit {
    /// The status class index.
    pub class: usize,
    /// Response body bytes.
    pub bytes: u64,
    /// Whether the status is in the `--failures` set.
    pub failed: bool,
    /// The chosen duration, in µs.
    pub latency: Option<u64>,
    /// Whether body sizes are kept per route and window (`--report sizes`).
    pub sizes: bool,
    /// Whether the caller is a bot.
    pub bot: bool,
}

/// Requests, per-class counts, body bytes and the latency histogram: what
/// routes and windows keep.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Requests counted.
    pub requests: u64,
    /// Requests per status class (index: `status::Class`).
    pub class: [u64; 6],
    /// Response body bytes.
    pub bytes: u64,
    /// Requests whose status is in the `--failures` set.
    pub failures: u64,
    /// The chosen [`Metric`] in µs, for requests that logged it.
    pub latency: Hist,
    /// Response body bytes (only when the `sizes` report is asked for:
    /// a histogram per route costs an allocation per route).
    pub body: Hist,
    /// Requests from bots.
    pub bots: u64,
}

impl Counts {
    #[inline]
    /// Count one request.
    pub fn add(&mut self, h: &Hit) {
        self.requests += 1;
        self.class[h.class] += 1;
        self.bytes = self.bytes.saturating_add(h.bytes);
        self.failures += h.failed as u64;
        self.bots += h.bot as u64;
        if let Some(us) = h.latency {
            self.latency.record(us);
        }
        if h.sizes {
            self.body.record(h.bytes);
        }
    }

    /// Requests in class `c`.
    #[inline]
    pub fn in_class(&self, c: Class) -> u64 {
        self.class[c.index()]
    }

    /// Histogram buckets held (for memory bounds).
    pub fn spans(&self) -> usize {
        self.latency.span() + self.body.span()
    }

    /// Add `o`.
    pub fn merge(&mut self, o: &Counts) {
        self.requests += o.requests;
        for (a, b) in self.class.iter_mut().zip(o.class) {
            *a += b;
        }
        self.bytes = self.bytes.saturating_add(o.bytes);
        self.failures += o.failures;
        self.bots += o.bots;
        self.latency.merge(&o.latency);
        self.body.merge(&o.body);
    }
}

/// What a route keeps: its counts plus the notable codes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteCounts {
    /// Requests, classes, bytes, latency.
    pub counts: Counts,
    /// Per notable code (`status::NOTABLE`), then POST answered with a redirect.
    pub notable: [u64; NOTABLE.len() + 1],
}

impl RouteCounts {
    /// Add `o`.
    pub fn merge(&mut self, o: &RouteCounts) {
        self.counts.merge(&o.counts);
        for (a, b) in self.notable.iter_mut().zip(o.notable) {
            *a += b;
        }
    }

    /// Count of a notable code (see [`NOTABLE`]).
    pub fn code(&self, code: u32) -> u64 {
        NOTABLE.iter().position(|c| *c == code).map_or(0, |i| self.notable[i])
    }
}

/// A malformed line kept for the report.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sample {
    /// The input's number.
    pub file: u32,
    /// Chunk index until [`Stats::fix_lines`] runs, then 0.
    pub chunk: u32,
    /// Line within the chunk (1-based) until fixed, then line within the file.
    pub line: u64,
    /// Why it was refused.
    pub reason: Reason,
    /// Its first bytes.
    pub excerpt: Box<[u8]>,
}

/// What counting a record needs besides the record.
#[derive(Clone, Copy)]
pub struct CountCtx<'a> {
    /// The display zone: windows align to its wall clock.
    pub zone: &'a Zone,
    /// Statuses counted as failures.
    pub failures: &'a StatusSet,
    /// The duration kept per class, route and window.
    pub metric: Metric,
    /// Keep body-size histograms per route and window.
    pub sizes: bool,
    /// Count who called (clients, agents, referrers, visitors): only when a
    /// report, filter or state file needs it (it costs a third of a run).
    pub who: bool,
}

/// The caller of a record, as the engine classified its agent.
#[derive(Clone, Copy, Debug)]
pub struct AgentRef<'a> {
    /// Agent family.
    pub family: &'a str,
    /// Agent category.
    pub category: crate::agent::Category,
    /// Operating system (browsers).
    pub os: Option<&'static str>,
    /// Stable hash of the agent string.
    pub ua_hash: u64,
}

#[derive(Clone, Debug)]
/// Everything counted: lines, statuses, classes, routes, windows, timings and malformed samples. Merges exactly.
pub struct Stats {
    /// Lines seen.
    pub lines: u64,
    /// Lines parsed, whether counted or excluded by filters.
    pub parsed: u64,
    /// Parsed lines the filters left out (`--since`, `--status`, …).
    pub excluded: u64,
    /// Malformed lines per reason.
    pub malformed: [u64; Reason::ALL.len()],
    /// The first malformed lines, by position.
    pub samples: Vec<Sample>,
    /// Response body bytes of counted requests.
    pub bytes: u64,
    /// Earliest and latest instant (Unix seconds).
    pub first: Option<i64>,
    /// Latest instant (Unix seconds).
    pub last: Option<i64>,
    /// Counts for status 0–999.
    pub status: Box<[u64; 1000]>,
    /// Lines whose status was `-`.
    pub status_dash: u64,
    /// Statuses of four or more digits.
    pub status_big: BTreeMap<u32, u64>,
    /// Requests per status class.
    pub classes: [u64; 6],
    /// Requests whose status is in the `--failures` set.
    pub failures: u64,
    /// Counts per route template.
    pub routes: RouteMap,
    /// Requests of routes pruned by the route bound (`--max-routes`).
    pub other_routes: RouteCounts,
    /// Route entries pruned so far (a route pruned twice counts twice).
    pub routes_pruned: u64,
    /// Upper bound on how much any kept route's count may be short: the sum
    /// over prune rounds of the largest count pruned in that round.
    pub route_error: u64,
    /// Counts per time window.
    pub windows: Windows,
    /// Run-wide histograms.
    pub timing: Timing,
    /// Who called: clients, agents, referrers, visitors.
    pub who: who::Who,
    /// (chunk index, lines in it), to turn chunk-relative line numbers into
    /// file line numbers once all chunks are in.
    chunk_lines: Vec<(u32, u64)>,
}

impl Stats {
    /// Empty counts, with windows of `window` seconds (or automatic).
    pub fn new(window: Option<i64>) -> Self {
        Stats {
            lines: 0,
            parsed: 0,
            excluded: 0,
            malformed: [0; Reason::ALL.len()],
            samples: Vec::new(),
            bytes: 0,
            first: None,
            last: None,
            status: Box::new([0; 1000]),
            status_dash: 0,
            status_big: BTreeMap::new(),
            classes: [0; 6],
            failures: 0,
            routes: RouteMap::default(),
            other_routes: RouteCounts::default(),
            routes_pruned: 0,
            route_error: 0,
            windows: Windows::new(window),
            timing: Timing::default(),
            who: who::Who::default(),
            chunk_lines: Vec::new(),
        }
    }

    /// Requests in class `c`.
    pub fn in_class(&self, c: Class) -> u64 {
        self.classes[c.index()]
    }

    /// Malformed lines over all reasons.
    pub fn malformed_total(&self) -> u64 {
        self.malformed.iter().sum()
    }

    /// Requests counted: parsed lines the filters kept.
    pub fn requests(&self) -> u64 {
        self.parsed - self.excluded
    }

    /// Note that chunk number `chunk` of the current input held `lines`
    /// lines (each counted by [`Stats::add`], [`Stats::add_excluded`] or
    /// [`Stats::add_malformed`]).
    #[inline]
    pub fn add_lines(&mut self, chunk: u32, lines: u64) {
        self.lines += lines;
        self.chunk_lines.push((chunk, lines));
    }

    /// A parsed line the filters left out.
    #[inline]
    pub fn add_excluded(&mut self) {
        self.parsed += 1;
        self.excluded += 1;
    }

    /// Count one parsed record the filters kept, under route key `route`,
    /// entry number `entry` of [`Stats::routes`] (from
    /// [`RouteMap::number`]), from the caller `agent`.
    #[inline]
    pub fn add(&mut self, rec: &Record, route: &[u8], entry: usize, agent: Option<&AgentRef>, ctx: &CountCtx) {
        self.parsed += 1;
        let failed = ctx.failures.contains(rec.status);
        self.failures += failed as u64;
        let class = class_index(rec.status);
        self.classes[class] += 1;
        match rec.status {
            Some(s) if s < 1000 => self.status[s as usize] += 1,
            Some(s) => *self.status_big.entry(s).or_default() += 1,
            None => self.status_dash += 1,
        }
        self.bytes = self.bytes.saturating_add(rec.bytes);
        let latency = ctx.metric.pick(rec.request_time_us, rec.upstream_time_us);
        self.timing.record(rec, class, latency);
        let bot = agent.is_some_and(|a| a.category.is_bot());
        let hit = Hit { class, bytes: rec.bytes, failed, latency, sizes: ctx.sizes, bot };
        let mut day = None;
        if let Some(t) = rec.time {
            self.first = Some(self.first.map_or(t.unix, |f| f.min(t.unix)));
            self.last = Some(self.last.map_or(t.unix, |l| l.max(t.unix)));
            let wall = ctx.zone.wall(t.unix);
            day = Some(wall.div_euclid(86_400));
            self.windows.add(wall, &hit);
        }
        let not_found = rec.status == Some(404);
        if let Some(agent) = agent.filter(|_| ctx.who) {
            self.who.add(&who::Caller {
                client: rec.client,
                family: agent.family,
                category: agent.category,
                os: agent.os,
                ua_hash: agent.ua_hash,
                referrer: rec.referrer,
                host: rec.vhost,
                method: rec.method.unwrap_or(b""),
                protocol: rec.protocol,
                day,
                time: rec.time.map(|t| t.unix),
                class,
                failed,
                not_found,
                route_hash: if not_found { distinct::hash64(route) } else { 0 },
                bytes: rec.bytes,
            });
        }
        let rc = self.routes.at(entry);
        rc.counts.add(&hit);
        if let Some(i) = notable_index(rec.status) {
            rc.notable[i] += 1;
        } else if matches!(rec.status, Some(301 | 302)) && rec.method == Some(b"POST") {
            rc.notable[POST_REDIRECT] += 1;
        }
    }

    /// Count a line that could not be parsed, keeping the first
    /// [`MAX_SAMPLES`] as samples.
    pub fn add_malformed(&mut self, file: u32, chunk: u32, local_line: u64, m: Malformed, line: &[u8]) {
        self.malformed[m.reason.index()] += 1;
        if self.samples.len() < MAX_SAMPLES {
            let line = crate::parse::trim_cr(line);
            let cut = &line[..line.len().min(EXCERPT_BYTES)];
            self.samples.push(Sample { file, chunk, line: local_line, reason: m.reason, excerpt: cut.into() });
        }
    }

    /// Count a line longer than [`MAX_LINE_BYTES`] seen by a stream, which
    /// skipped it; it sits alone in chunk number `chunk`.
    pub fn add_overlong(&mut self, file: u32, chunk: u32, head: &[u8]) {
        let m = Malformed { reason: Reason::TooLong, field: None };
        self.add_malformed(file, chunk, 1, m, head);
        self.lines += 1;
        self.chunk_lines.push((chunk, 1));
    }

    /// Fold `other` into `self`.
    pub fn merge(&mut self, other: Stats) {
        self.merge_with(other, false);
    }

    /// [`Stats::merge`]; with `parallel`, a large route table is merged on
    /// a second thread beside the rest (for the end of a run, which waits
    /// for it; merging chunk by chunk, the wake-ups cost more than that).
    fn merge_with(&mut self, other: Stats, parallel: bool) {
        self.lines += other.lines;
        self.parsed += other.parsed;
        self.excluded += other.excluded;
        for (a, b) in self.malformed.iter_mut().zip(other.malformed) {
            *a += b;
        }
        if !other.samples.is_empty() {
            self.samples.extend(other.samples);
            self.samples.sort_unstable_by_key(|a| (a.file, a.chunk, a.line));
            self.samples.truncate(MAX_SAMPLES);
        }
        self.bytes = self.bytes.saturating_add(other.bytes);
        self.first = min_opt(self.first, other.first, i64::min);
        self.last = min_opt(self.last, other.last, i64::max);
        for (a, b) in self.status.iter_mut().zip(other.status.iter()) {
            *a += b;
        }
        self.status_dash += other.status_dash;
        for (k, v) in other.status_big {
            *self.status_big.entry(k).or_default() += v;
        }
        for (a, b) in self.classes.iter_mut().zip(other.classes) {
            *a += b;
        }
        self.failures += other.failures;
        // Merge the smaller route table into the larger one.
        let mut routes = other.routes;
        if self.routes.len() < routes.len() {
            std::mem::swap(&mut self.routes, &mut routes);
        }
        self.other_routes.merge(&other.other_routes);
        self.routes_pruned += other.routes_pruned;
        self.route_error += other.route_error;
        // At the end of a run, a large route table is merged on the pool's
        // threads beside the rest (windows, who).
        let (into, windows, timing, who) = (&mut self.routes, &mut self.windows, &mut self.timing, &mut self.who);
        let rest = || {
            windows.merge(other.windows);
            timing.merge(&other.timing);
            who.merge(other.who);
        };
        if parallel && routes.len() >= PARALLEL_MERGE {
            rayon::join(|| into.merge_parallel(&mut routes), rest);
            // Freed on an idle thread of the pool, not in the join (where
            // the thread waiting for the other half took it up).
            rayon::spawn(move || drop(routes));
        } else {
            into.merge(routes);
            rest();
        }
        self.chunk_lines.extend(other.chunk_lines);
    }

    /// [`Stats::merge`] at the end of a run (the route table merged beside
    /// the rest), or a move when `self` has counted nothing yet:
    /// merging into empty tables re-inserts every route and window (1–2 ms
    /// a merge on a 100 MB log) to give the same counts. Both sides must come from
    /// `Stats::new` with the same window (the engine's case).
    pub fn absorb(&mut self, other: Stats) {
        if self.lines == 0 && self.chunk_lines.is_empty() && self.routes.is_empty() && self.windows.buckets.is_empty() {
            *self = other;
            // What merging would have done to `other`'s own parts.
            self.windows.flush();
            self.samples.sort_unstable_by_key(|a| (a.file, a.chunk, a.line));
            self.samples.truncate(MAX_SAMPLES);
        } else {
            self.merge_with(other, true);
        }
    }

    /// Merge everything counted into `total` and start again empty.
    pub fn drain_into(&mut self, total: &mut Stats, window: Option<i64>) {
        let done = std::mem::replace(self, Stats::new(window));
        total.merge(done);
    }

    /// Keep at most `cap` routes: when over, keep the `cap / 2` heaviest
    /// (by requests, ties by route bytes) and fold the rest into
    /// `other_routes`. Deterministic given the order of calls, which the
    /// engine fixes (file order). Heavy routes are never pruned, so their
    /// counts stay exact; a route pruned and seen again restarts, so kept
    /// counts may be short by at most `route_error`.
    /// Apply every bound: routes (`cap`) and the who tables (`who`).
    pub fn bound(&mut self, cap: usize, who: who::Limits) {
        self.bound_routes(cap);
        self.who.bound(who);
    }

    /// Whether any bound has acted.
    pub fn pruned(&self) -> bool {
        self.routes_pruned > 0 || self.who.pruned()
    }

    /// Keep at most `cap` routes (see [`Stats::bound`]).
    pub fn bound_routes(&mut self, cap: usize) {
        if self.routes.len() <= cap {
            return;
        }
        let keep = (cap / 2).max(1);
        // A fresh table sized for what is kept: one that once held a whole
        // batch's routes stays that large and slows every later merge.
        let room = if self.routes.capacity() > 4 * cap { cap } else { self.routes.capacity() };
        let pruned = self.routes.keep_heaviest(keep, room);
        let mut max = 0;
        for rc in &pruned {
            self.other_routes.merge(rc);
            max = max.max(rc.counts.requests);
        }
        self.routes_pruned += pruned.len() as u64;
        self.route_error += max;
    }

    /// Drop what line numbers are worked out from (and the malformed
    /// samples, whose positions need it): for counts that keep being
    /// merged (`--follow`), where they would grow without end.
    pub fn forget_positions(&mut self) {
        self.chunk_lines = Vec::new();
        self.samples = Vec::new();
    }

    /// Turn chunk-relative sample positions into file line numbers. Call once
    /// per input, after all its chunks are merged.
    pub fn fix_lines(&mut self) {
        self.chunk_lines.sort_unstable();
        let mut start: Vec<(u32, u64)> = Vec::with_capacity(self.chunk_lines.len());
        let mut acc = 0u64;
        for &(c, n) in &self.chunk_lines {
            if start.last().is_none_or(|l| l.0 != c) {
                start.push((c, acc));
            }
            acc += n;
        }
        for s in &mut self.samples {
            if let Ok(i) = start.binary_search_by_key(&s.chunk, |x| x.0) {
                s.line += start[i].1;
            }
            s.chunk = 0;
        }
        self.chunk_lines.clear();
    }

    /// Every status seen with its count: (status or None for `-`, count).
    pub fn status_counts(&self) -> Vec<(Option<u32>, u64)> {
        let mut v: Vec<(Option<u32>, u64)> =
            self.status.iter().enumerate().filter(|(_, n)| **n > 0).map(|(s, n)| (Some(s as u32), *n)).collect();
        v.extend(self.status_big.iter().map(|(s, n)| (Some(*s), *n)));
        if self.status_dash > 0 {
            v.push((None, self.status_dash));
        }
        v
    }
}

/// Routes to merge from which the route table is merged on its own thread.
const PARALLEL_MERGE: usize = 4096;

/// `f` of two optional values, or whichever is present.
pub(crate) fn min_opt(a: Option<i64>, b: Option<i64>, f: fn(i64, i64) -> i64) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(f(x, y)),
        (x, None) => x,
        (None, y) => y,
    }
}
