//! The line loop: split a chunk into lines, parse each, apply the filters,
//! and hand each record kept to [`Stats::add`], which only counts.

use crate::filter::Filter;
use crate::format::LogFormat;
use crate::parse::{Malformed, Reason, Record, parse_into, route};
use crate::stats::{CountCtx, MAX_LINE_BYTES, Stats};
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
        // Lines are a few hundred bytes: an inline search per line is
        // cheaper than memchr's iterator (5% of a run).
        while let Some(len) = crate::parse::find::find1(&data[start..], b'\n') {
            n += 1;
            self.line(ctx, chunk, n, &data[start..start + len], &mut on_record);
            start += len + 1;
        }
        if start < data.len() {
            n += 1;
            self.line(ctx, chunk, n, &data[start..], &mut on_record);
        }
        self.stats.add_lines(chunk, n);
        n
    }

    #[inline(always)]
    fn line<F: FnMut(&Counted)>(&mut self, ctx: &ScanCtx, chunk: u32, n: u64, bytes: &[u8], on_record: &mut F) {
        let mut rec = Record::empty();
        match parse_bounded(ctx.format, bytes, &mut rec) {
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
                    if ctx.filter.active && !ctx.filter.keep(&rec, key, crate::agent::Category::Unknown) {
                        self.stats.add_excluded();
                    } else {
                        self.stats.add(&rec, key, None, &ctx.count);
                        on_record(&Counted { rec: &rec, line: n, route: key, agent: None });
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
                if ctx.filter.active && !ctx.filter.keep(&rec, key, a.category) {
                    self.stats.add_excluded();
                } else {
                    let agent = crate::stats::AgentRef {
                        family: &a.family,
                        category: a.category,
                        os: a.os,
                        ua_hash: known.hash,
                    };
                    self.stats.add(&rec, key, Some(&agent), &ctx.count);
                    on_record(&Counted { rec: &rec, line: n, route: key, agent: Some(a) });
                }
            }
            Err(m) => self.stats.add_malformed(ctx.file, chunk, n, m, bytes),
        }
    }
}

/// `parse_into`, with lines over [`MAX_LINE_BYTES`] rejected unread.
#[inline]
fn parse_bounded<'a>(fmt: &LogFormat, line: &'a [u8], rec: &mut Record<'a>) -> Result<(), Malformed> {
    if line.len() > MAX_LINE_BYTES {
        return Err(Malformed { reason: Reason::TooLong, field: None });
    }
    parse_into(fmt, line, rec)
}
