//! A serialisable copy of [`Stats`], for state files. Maps become vectors
//! sorted by key, so the same aggregate always gives the same bytes.

use serde::{Deserialize, Serialize};

use super::latency::Timing;
use super::window::Windows;
use super::{Counts, RouteCounts, Sample, Stats};
use crate::parse::Reason;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
/// A malformed sample as saved.
pub struct SampleSnap {
    /// The input's number.
    pub file: u32,
    /// The line number in the input.
    pub line: u64,
    /// The reason's index.
    pub reason: u8,
    /// The line's first bytes.
    pub excerpt: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
/// [`Stats`] as saved in a state file: plain vectors, in a fixed order.
pub struct StatsSnap {
    /// Lines seen.
    pub lines: u64,
    /// Lines parsed.
    pub parsed: u64,
    /// Parsed lines the filters left out.
    pub excluded: u64,
    /// Malformed lines per reason.
    pub malformed: Vec<u64>,
    /// Malformed samples.
    pub samples: Vec<SampleSnap>,
    /// Response body bytes.
    pub bytes: u64,
    /// Earliest instant.
    pub first: Option<i64>,
    /// Latest instant.
    pub last: Option<i64>,
    /// (status, count) for every status seen; `None` is `-`.
    pub status: Vec<(Option<u32>, u64)>,
    /// Requests per class.
    pub classes: [u64; 6],
    /// Requests in the failure set.
    pub failures: u64,
    /// Routes, sorted by key.
    pub routes: Vec<(Vec<u8>, RouteCounts)>,
    /// Pruned routes' counts.
    pub other_routes: RouteCounts,
    /// Route entries pruned.
    pub routes_pruned: u64,
    /// Bound on how short a kept route's count may be.
    pub route_error: u64,
    /// Window bucket width (seconds).
    pub window_width: i64,
    /// Whether the width was chosen automatically.
    pub window_auto: bool,
    /// Windows, sorted by start.
    pub windows: Vec<(i64, Counts)>,
    /// Run-wide histograms.
    pub timing: Timing,
    /// Who called.
    pub who: super::who::WhoSnap,
}

impl StatsSnap {
    /// The snapshot of `s`.
    pub fn of(s: &Stats) -> StatsSnap {
        let mut routes: Vec<(Vec<u8>, RouteCounts)> = s.routes.iter().map(|(k, v)| (k.to_vec(), v.clone())).collect();
        routes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (window_width, window_auto, windows) = s.windows.parts();
        StatsSnap {
            lines: s.lines,
            parsed: s.parsed,
            excluded: s.excluded,
            malformed: s.malformed.to_vec(),
            samples: s
                .samples
                .iter()
                .map(|x| SampleSnap {
                    file: x.file,
                    line: x.line,
                    reason: x.reason.index() as u8,
                    excerpt: x.excerpt.to_vec(),
                })
                .collect(),
            bytes: s.bytes,
            first: s.first,
            last: s.last,
            status: s.status_counts(),
            classes: s.classes,
            failures: s.failures,
            routes,
            other_routes: s.other_routes.clone(),
            routes_pruned: s.routes_pruned,
            route_error: s.route_error,
            window_width,
            window_auto,
            windows,
            timing: s.timing.clone(),
            who: s.who.snap(),
        }
    }

    /// Back to [`Stats`]; `None` when a value is out of range (a damaged
    /// file that still decoded).
    pub fn into_stats(self) -> Option<Stats> {
        let mut s = Stats::new(None);
        s.lines = self.lines;
        s.parsed = self.parsed;
        s.excluded = self.excluded;
        if self.malformed.len() != s.malformed.len() || self.window_width <= 0 || self.excluded > self.parsed {
            return None;
        }
        let t = &self.timing;
        let hists = [&t.request, &t.upstream, &t.request_length]
            .into_iter()
            .chain(&t.class)
            .chain(&t.body_class)
            .chain(self.routes.iter().flat_map(|r| [&r.1.counts.latency, &r.1.counts.body]))
            .chain(self.windows.iter().flat_map(|w| [&w.1.latency, &w.1.body]))
            .chain([&self.other_routes.counts.latency, &self.other_routes.counts.body]);
        if !hists.into_iter().all(|h| h.is_valid()) {
            return None;
        }
        s.malformed.copy_from_slice(&self.malformed);
        for x in self.samples {
            let reason = *Reason::ALL.get(x.reason as usize)?;
            s.samples.push(Sample { file: x.file, chunk: 0, line: x.line, reason, excerpt: x.excerpt.into() });
        }
        s.bytes = self.bytes;
        s.first = self.first;
        s.last = self.last;
        for (st, n) in self.status {
            match st {
                Some(c) if c < 1000 => s.status[c as usize] += n,
                Some(c) => *s.status_big.entry(c).or_default() += n,
                None => s.status_dash += n,
            }
        }
        s.classes = self.classes;
        s.failures = self.failures;
        s.routes = self.routes.into_iter().collect();
        s.other_routes = self.other_routes;
        s.routes_pruned = self.routes_pruned;
        s.route_error = self.route_error;
        s.windows = Windows::from_parts(self.window_width, self.window_auto, self.windows);
        s.timing = self.timing;
        s.who = super::who::Who::from_snap(self.who)?;
        Some(s)
    }
}
