//! The line loop: split a chunk into lines, parse each, apply the filters,
//! and hand each record kept to [`Stats::add`], which only counts.

use super::memo::Memo;
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
    /// Routes of recent targets.
    memo: Memo,
    /// Agents classified so far, by agent string: classification runs once
    /// per distinct agent, not per line.
    agents: hashbrown::HashMap<Box<[u8]>, Known>,
}

/// A line parsed and not yet counted.
struct Held<'a> {
    /// Its number in the chunk.
    n: u64,
    /// Its bytes.
    bytes: &'a [u8],
    /// Whether it parsed.
    parsed: Result<(), Malformed>,
    /// Its target's memo slot ([`Memo::ask`]).
    slot: Option<usize>,
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
        Scanner {
            stats: Stats::new(window),
            route: Vec::with_capacity(256),
            memo: Memo::default(),
            agents: hashbrown::HashMap::new(),
        }
    }

    /// Parse, filter and count every line of one chunk. `chunk` numbers
    /// chunks in file order; `on_record` sees each counted record. Returns
    /// the number of lines.
    #[inline]
    pub fn chunk<F: FnMut(&Counted)>(&mut self, ctx: &ScanCtx, chunk: u32, data: &[u8], on_record: F) -> u64 {
        if self.memo.aside() {
            let n = self.lines::<false, F>(ctx, chunk, data, on_record);
            self.memo.passed(n);
            n
        } else {
            self.lines::<true, F>(ctx, chunk, data, on_record)
        }
    }

    /// [`chunk`](Self::chunk), with the route memo (`MEMO`) or while it
    /// stands aside.
    #[inline(always)]
    fn lines<const MEMO: bool, F: FnMut(&Counted)>(
        &mut self,
        ctx: &ScanCtx,
        chunk: u32,
        data: &[u8],
        mut on_record: F,
    ) -> u64 {
        let mut n = 0u64;
        let mut start = 0;
        let mut pf = 0;
        // With the memo, line n is counted after line n + 1 is parsed: its
        // memo slot, asked for when it was parsed, has arrived meanwhile
        // (looked up at once, the slot's cache miss cost what the memo
        // saved). Two records, taking turns (moving a record costs more
        // than parsing a field).
        let (mut a, mut b) = (Record::empty(), Record::empty());
        let (mut cur, mut prev) = (&mut a, &mut b);
        let mut held: Option<Held> = None;
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
            *cur = Record::empty();
            let (len, parsed) = parse_next(ctx.format, rest, cur);
            if MEMO {
                let slot = match (&parsed, cur.method) {
                    (Ok(()), Some(_)) => self.memo.ask(cur.target),
                    _ => None,
                };
                if let Some(h) = held.take() {
                    self.line(ctx, chunk, h, prev, &mut on_record);
                }
                held = Some(Held { n, bytes: &rest[..len], parsed, slot });
                std::mem::swap(&mut cur, &mut prev);
            } else {
                self.line(ctx, chunk, Held { n, bytes: &rest[..len], parsed, slot: None }, cur, &mut on_record);
            }
            start += len + 1;
        }
        if let Some(h) = held.take() {
            self.line(ctx, chunk, h, prev, &mut on_record);
        }
        self.stats.add_lines(chunk, n);
        n
    }

    /// Count a parsed line (its record: `rec`).
    #[inline(always)]
    fn line<'a, F: FnMut(&Counted)>(
        &mut self,
        ctx: &ScanCtx,
        chunk: u32,
        h: Held<'a>,
        rec: &Record<'a>,
        on_record: &mut F,
    ) {
        let Held { n, bytes, parsed, slot } = h;
        match parsed {
            Ok(()) => {
                // The route once, for the filters and the route table.
                let (key, found) = match rec.method {
                    Some(_) => {
                        let (key, found) = self.memo.route(rec.target, slot, &mut self.route);
                        (key, Some(found))
                    }
                    None => (route::NO_ROUTE, None),
                };
                if !ctx.classify {
                    if ctx.filter.active && !ctx.filter.keep(rec, key, crate::agent::Category::Unknown) {
                        self.stats.add_excluded();
                    } else {
                        let entry = entry(&mut self.stats, key, found.as_ref());
                        self.stats.add(rec, key, entry, None, &ctx.count);
                        on_record(&Counted { rec, line: n, route: key, agent: None });
                        if let Some(f) = &found {
                            self.memo.remember(f, self.stats.routes.epoch(), entry);
                        }
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
                    let entry = entry(&mut self.stats, key, found.as_ref());
                    self.stats.add(rec, key, entry, Some(&agent), &ctx.count);
                    on_record(&Counted { rec, line: n, route: key, agent: Some(a) });
                    if let Some(f) = &found {
                        self.memo.remember(f, self.stats.routes.epoch(), entry);
                    }
                }
            }
            Err(m) => self.stats.add_malformed(ctx.file, chunk, n, m, bytes),
        }
    }
}

/// The entry number of route `key` in `stats`' route table: the one the
/// memo kept for it (`found`) when kept under the table's epoch, else
/// looked up (inserted when new).
#[inline(always)]
fn entry(stats: &mut Stats, key: &[u8], found: Option<&super::memo::Found>) -> usize {
    let epoch = stats.routes.epoch();
    match found {
        Some(f) => f.entry(epoch).unwrap_or_else(|| stats.routes.number(f.hash, key)),
        None => stats.routes.number(crate::stats::routes::hash(key), key),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Routes and their requests, sorted.
    fn routes(s: &Stats) -> Vec<(Vec<u8>, u64)> {
        let mut v: Vec<(Vec<u8>, u64)> = s.routes.iter().map(|(k, c)| (k.to_vec(), c.counts.requests)).collect();
        v.sort();
        v
    }

    /// The memo (entry numbers kept per route table epoch) counts exactly
    /// what normalising every target does, across route bounds (a table
    /// rebuilt under a new epoch) and counts moved out (a new table).
    #[test]
    fn memo_counts_what_normalising_counts() {
        let mut g = crate::synth::Generator::real_shaped(5, 1_700_000_000, 2_000_000);
        let text = g.fill(3 << 20);
        let fmt = crate::format::presets::preset("combined").unwrap();
        let zone = Zone::Fixed(0);
        let opts = crate::engine::Options { ..Default::default() };
        let filter = crate::filter::Filter::default();
        let ctx = opts.scan_ctx(&fmt, &zone, 0, &filter);
        let (mut with, mut without) = (Scanner::new(None), Scanner::new(None));
        (with.memo, without.memo) = (Memo::fresh(), Memo::never());
        let bytes = text.as_bytes();
        let (mut cut, mut i) = (0, 0);
        while cut < bytes.len() {
            // Whole lines, a quarter MiB or so at a time.
            let want = (cut + (256 << 10)).min(bytes.len());
            let end = memchr::memchr(b'\n', &bytes[want..]).map_or(bytes.len(), |j| want + j + 1);
            let piece = &bytes[cut..end];
            with.chunk(&ctx, i, piece, |_| {});
            without.chunk(&ctx, i, piece, |_| {});
            assert!(routes(&with.stats) == routes(&without.stats), "piece {i}: the route counts differ");
            match i % 3 {
                // A bound: the table is rebuilt (a new epoch).
                0 => {
                    with.stats.bound_routes(500);
                    without.stats.bound_routes(500);
                }
                // The counts move out: a new table.
                1 => {
                    with.stats = Stats::new(None);
                    without.stats = Stats::new(None);
                }
                _ => {}
            }
            assert!(routes(&with.stats) == routes(&without.stats), "piece {i}, bounded: the route counts differ");
            (cut, i) = (end, i + 1);
        }
        assert!(i >= 9, "{i} pieces");
        // Entry numbers were kept (and so reused) by one memo only.
        assert!(with.memo.kept() > 100 && without.memo.kept() == 0, "{}", with.memo.kept());
    }
}
