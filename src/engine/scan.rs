//! The line loop: split a chunk into lines, parse each, apply the filters,
//! and hand each record kept to [`Stats::add`], which only counts.

use crate::filter::Filter;
use crate::format::LogFormat;
use crate::parse::{Malformed, Record, parse_next, route};
use crate::stats::{CountCtx, Stats};
use crate::zone::Zone;

/// One chunk's records as a [`RecordSink`] encoded them: bytes for the text
/// outputs, column vectors for Parquet. Only the sink that made a buffer
/// and the [`RecordOut`] it goes to look inside.
pub type Rows = Box<dyn std::any::Any + Send>;

/// A counted record and what the scanner worked out about it, for the
/// records outputs (so they need not normalise the route or classify the
/// agent again).
pub struct Counted<'a> {
    /// The record.
    pub rec: &'a Record<'a>,
    /// Its line number within the chunk (1-based).
    pub line: u64,
    /// Its route (`route::NO_ROUTE` without a request line).
    pub route: &'a [u8],
    /// Its agent, when agents are classified (`--who`, `--bots`).
    pub agent: Option<&'a crate::agent::Agent>,
}

/// Where `--report records` output is encoded: one record at a time, into a
/// chunk's buffer that the engine hands to a [`RecordOut`] in file order.
/// Implemented by the outputs (`render::records`, `render::parquet`); the
/// engine knows only this trait.
pub trait RecordSink: Sync {
    /// What goes before the first record (a CSV header).
    fn header(&self) -> Vec<u8>;
    /// An empty buffer for the records of a chunk of `len` input bytes
    /// (by default bytes, room for twice the input).
    fn rows(&self, len: usize) -> Rows {
        Box::new(Vec::<u8>::with_capacity(len * 2))
    }
    /// Append record `c.rec`, line `line` of input `file` (`c.line` counts
    /// within the chunk), to `out` (a buffer from [`rows`](Self::rows)).
    fn write(&self, out: &mut Rows, file: &str, line: u64, c: &Counted, zone: &Zone);
}

/// Receives each chunk's records, in file order. Any writer takes byte
/// buffers (CSV, JSON Lines); the Parquet file takes its column vectors.
pub trait RecordOut {
    /// Take the records of the next chunk.
    fn put(&mut self, rows: Rows) -> std::io::Result<()>;
}

impl<W: std::io::Write + ?Sized> RecordOut for W {
    fn put(&mut self, rows: Rows) -> std::io::Result<()> {
        match rows.downcast::<Vec<u8>>() {
            Ok(bytes) => self.write_all(&bytes),
            Err(_) => Err(std::io::Error::other("records encoded for another output")),
        }
    }
}

/// What scanning one input's chunks needs.
#[derive(Clone, Copy)]
pub struct ScanCtx<'a> {
    /// The input's format.
    pub format: &'a LogFormat,
    /// Records failing it are counted as `excluded` only.
    pub filter: &'a Filter,
    /// The input's number (argument order).
    pub file: u32,
    /// Window width in seconds, or automatic.
    pub window: Option<i64>,
    /// Route bound (see [`Stats::bound_routes`]).
    pub max_routes: usize,
    /// Bounds of the who tables.
    pub who: crate::stats::who::Limits,
    /// Classify agents (for who counts or a `--bots` filter).
    pub classify: bool,
    /// What counting needs.
    pub count: CountCtx<'a>,
}

/// Bytes asked for ahead of the line being parsed. Finding a line's end
/// in its own pass used to bring its bytes in from memory, in a tight loop
/// with many loads in flight; parsing fields from the chunk directly stalls
/// on each first touch instead, unless the bytes are asked for ahead
/// (`-j1` on the 100 MB log, 41 alternated runs: lower quartile 155.8 ms
/// before, 156.8 without prefetch, 140.5 with it; 1024 and 2048 bytes ahead
/// measured alike).
const AHEAD: usize = 1024;

/// A worker's reusable state: its counts, the route buffer and the agent
/// cache.
pub struct Scanner {
    /// What this worker counted.
    pub stats: Stats,
    /// Route normalisation buffer, reused from line to line.
    route: Vec<u8>,
    /// Agents classified so far, by agent string: classification runs once
    /// per distinct agent, not per line.
    agents: hashbrown::HashMap<Box<[u8]>, Known>,
}

/// A classified agent, cached.
struct Known {
    agent: crate::agent::Agent,
    hash: u64,
}

/// Distinct agent strings cached per worker; past it the cache starts
/// again (hostile input cannot grow it).
const AGENT_CACHE: usize = 16_384;

impl Scanner {
    /// An empty scanner for windows of `window`.
    pub fn new(window: Option<i64>) -> Scanner {
        Scanner { stats: Stats::new(window), route: Vec::with_capacity(256), agents: hashbrown::HashMap::new() }
    }

    /// Parse, filter and count every line of one chunk. `chunk` numbers
    /// chunks in file order; `on_record` sees each counted record. Returns
    /// the number of lines.
    #[inline]
    pub fn chunk<F: FnMut(&Counted)>(&mut self, ctx: &ScanCtx, chunk: u32, data: &[u8], mut on_record: F) -> u64 {
        let mut n = 0u64;
        let mut start = 0;
        let mut pf = 0;
        // Each line's end is found by its parse (`parse_next`), not by a
        // search of its own first.
        while start < data.len() {
            n += 1;
            let rest = &data[start..];
            // One hint per cache line, AHEAD bytes on.
            while pf < (start + AHEAD).min(data.len()) {
                prefetch(data, pf);
                pf += 64;
            }
            let mut rec = Record::empty();
            let (len, parsed) = parse_next(ctx.format, rest, &mut rec);
            self.line(ctx, chunk, n, &rest[..len], &rec, parsed, &mut on_record);
            start += len + 1;
        }
        self.stats.add_lines(chunk, n);
        n
    }

    /// Count line `n` (`bytes`), parsed into `rec` as `parsed` says.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn line<'a, F: FnMut(&Counted)>(
        &mut self,
        ctx: &ScanCtx,
        chunk: u32,
        n: u64,
        bytes: &'a [u8],
        rec: &Record<'a>,
        parsed: Result<(), Malformed>,
        on_record: &mut F,
    ) {
        match parsed {
            Ok(()) => {
                // The route once, for the filters and the route table.
                let key: &[u8] = match rec.method {
                    Some(_) => {
                        route::normalize(rec.target, &mut self.route);
                        &self.route
                    }
                    None => route::NO_ROUTE,
                };
                if !ctx.classify {
                    if ctx.filter.active && !ctx.filter.keep(rec, key, crate::agent::Category::Unknown) {
                        self.stats.add_excluded();
                    } else {
                        self.stats.add(rec, key, None, &ctx.count);
                        on_record(&Counted { rec, line: n, route: key, agent: None });
                    }
                    return;
                }
                if self.agents.len() >= AGENT_CACHE && !self.agents.contains_key(rec.user_agent) {
                    self.agents.clear();
                }
                let known = match self.agents.get(rec.user_agent) {
                    Some(k) => k,
                    None => self.agents.entry(rec.user_agent.into()).or_insert_with(|| Known {
                        agent: crate::agent::classify(rec.user_agent),
                        hash: crate::stats::distinct::hash64(rec.user_agent),
                    }),
                };
                let a = &known.agent;
                if ctx.filter.active && !ctx.filter.keep(rec, key, a.category) {
                    self.stats.add_excluded();
                } else {
                    let agent = crate::stats::AgentRef {
                        family: &a.family,
                        category: a.category,
                        os: a.os,
                        ua_hash: known.hash,
                    };
                    self.stats.add(rec, key, Some(&agent), &ctx.count);
                    on_record(&Counted { rec, line: n, route: key, agent: Some(a) });
                }
            }
            Err(m) => self.stats.add_malformed(ctx.file, chunk, n, m, bytes),
        }
    }
}

/// Ask for the cache line holding `data[at]` (`at < data.len()`); a hint
/// only, nothing on other architectures.
#[inline(always)]
fn prefetch(data: &[u8], at: usize) {
    debug_assert!(at < data.len());
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `at` is inside `data`, so the pointer is in bounds; a
    // prefetch reads nothing and cannot fault.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch(data.as_ptr().add(at) as *const i8, _MM_HINT_T0)
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (data, at);
}
