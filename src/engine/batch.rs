//! Batches of chunks counted in parallel: one accumulator per worker,
//! checkpointed into the total where the route bound or a truncation check
//! needs it; chunk by chunk where records must be written in order (from a
//! mapped file without batches: [`records_in_order`]).

use std::sync::atomic::Ordering;

use rayon::prelude::*;

use super::RecordsOut;
use super::scan::{ScanCtx, Scanner};
use crate::input::chunk;
use crate::stats::Stats;

/// Parse a batch of chunks in parallel and merge them into `total`, then
/// bound the route table once for the batch. `prepare` runs on the worker
/// before it parses a chunk (maps its pages), `finished` after it: whether
/// the chunk was intact (a chunk that was not is dropped); it may also let
/// the chunk's pages go. `rec` carries the file name, the line number
/// before the batch (advanced past it) and the records sink. Returns the
/// bytes dropped.
///
/// Without records, each worker counts into its own `Stats` (`workers`, one
/// per thread, kept across batches): a route table built and merged per
/// chunk cost a third of the run on logs with tens of thousands of routes.
/// Merging is exact and order-independent, and the route bound is applied
/// only at batch ends, so the result does not depend on which worker took
/// which chunk: byte-identical for any thread count.
#[allow(clippy::too_many_arguments)]
pub(super) fn process_batch(
    ctx: &ScanCtx,
    chunks: &[&[u8]],
    first_idx: u32,
    total: &mut Stats,
    workers: &mut Workers,
    finished: &(dyn Fn(&[u8]) -> bool + Sync),
    prepare: &(dyn Fn(&[u8]) + Sync),
    rec: Option<(&str, &mut u64, &mut RecordsOut)>,
) -> std::io::Result<u64> {
    // Once the route bound has acted on this input, there are more routes
    // than it keeps: chunk by chunk, bounded after each, keeps the tables
    // small (workers' tables grew to a batch's distinct routes, and a log
    // of distinct paths ran 1.8x slower).
    if rec.is_none() && !total.pruned() {
        // One accumulator per worker, kept across batches so its route keys
        // are allocated once, not once per batch; workers take chunks in
        // file order from a shared counter, so the load stays balanced.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let n = rayon::current_num_threads().clamp(1, chunks.len().max(1));
        let list = &mut workers.list;
        list.resize_with(n.max(list.len()), || None);
        let timed = crate::phases::on();
        let ran: Vec<(bool, Option<std::time::Instant>, usize)> = list[..n]
            .par_iter_mut()
            .map(|w| {
                let started = timed.then(std::time::Instant::now);
                // Made on its own thread: made before the batch, one after
                // the other, they held it up (~0.35 ms each by timers, for
                // `Scanner::new`, whose route memo is 512 KiB written up
                // front).
                let Worker(s) = w.get_or_insert_with(|| Worker::new(ctx.window));
                let (mut ok, mut taken) = (true, 0);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((ci, p, c)) = work(chunks, i) else { break };
                    prepare(c);
                    s.chunk(ctx, piece_id(first_idx + ci as u32, p), c, |_| {});
                    ok &= finished(c);
                    taken += 1;
                }
                (ok, started, taken)
            })
            .collect();
        if timed {
            let workers: Vec<String> = ran
                .iter()
                .map(|(_, t, n)| format!("at {:.3} ms {n} pieces", t.map_or(0.0, crate::phases::at)))
                .collect();
            crate::phases::mark(format_args!("batch from chunk {first_idx}: workers started {}", workers.join(", ")));
        }
        if ran.iter().all(|(ok, ..)| *ok) {
            workers.pending_bytes += chunks.iter().map(|c| c.len() as u64).sum::<u64>();
            workers.pending_batches += 1;
            // The route bound can only act when the routes held everywhere
            // could exceed it; until then the workers keep counting. A
            // guarded input is also merged every `GUARD_BATCHES`.
            let held: usize = total.routes.len() + list.iter().flatten().map(|w| w.0.stats.routes.len()).sum::<usize>();
            let whos: Vec<&crate::stats::who::Who> =
                std::iter::once(&total.who).chain(list.iter().flatten().map(|w| &w.0.stats.who)).collect();
            let over = held > ctx.max_routes || crate::stats::who::Who::over(&whos, ctx.who);
            if over || (workers.guarded && workers.pending_batches >= GUARD_BATCHES) {
                workers.checkpoint(ctx, total);
            }
            return Ok(0);
        }
        // A chunk was cut short (the file shrank): what the workers counted
        // since the last checkpoint may hold zeros from lost pages, so it
        // is dropped as lost; this batch is counted again chunk by chunk,
        // so that only its damaged chunks are dropped.
        let lost = workers.pending_bytes;
        workers.list.clear();
        (workers.pending_bytes, workers.pending_batches) = (0, 0);
        return Ok(lost + per_chunk(ctx, chunks, first_idx, total, finished, prepare, None)?);
    }
    per_chunk(ctx, chunks, first_idx, total, finished, prepare, rec)
}

/// Pieces the last [`SPLIT`] chunks of a batch are cut into for the
/// workers: both wait at a batch's end for the slowest, and with whole
/// 2 MiB chunks the first to finish waited about half a chunk (idle time
/// summed over a 1 GiB run: 70 ms of 2 × 977).
const PIECES: usize = 4;

/// Chunks at the end of a batch handed out in pieces.
const SPLIT: usize = 2;

/// The number a chunk's piece `p` is counted under (what orders
/// malformed samples and their line numbers): chunk `chunk` of the input
/// is pieces `chunk * PIECES ..`; a chunk counted whole is its piece 0.
pub(super) fn piece_id(chunk: u32, p: usize) -> u32 {
    chunk.wrapping_mul(PIECES as u32).wrapping_add(p as u32)
}

/// Work item `i` of a batch: (chunk, piece, bytes). Whole chunks first,
/// then the last [`SPLIT`] in [`PIECES`] pieces each; `None` past the end.
fn work<'a>(chunks: &[&'a [u8]], i: usize) -> Option<(usize, usize, &'a [u8])> {
    let whole = chunks.len().saturating_sub(SPLIT);
    if i < whole {
        return Some((i, 0, chunks[i]));
    }
    let (ci, p) = (whole + (i - whole) / PIECES, (i - whole) % PIECES);
    let c: &'a [u8] = chunks.get(ci)?;
    // Piece boundaries: just after the first newline at or past each
    // quarter (so a piece may be empty when one line spans a quarter).
    let cut = |q: usize| match q {
        0 => 0,
        q if q >= PIECES => c.len(),
        q => {
            let m = c.len() / PIECES * q;
            memchr::memchr(b'\n', &c[m..]).map_or(c.len(), |j| m + j + 1)
        }
    };
    let (a, b) = (cut(p), cut(p + 1));
    Some((ci, p, &c[a..b.max(a)]))
}

/// One worker's counts, alone on its cache lines: two workers' hot counters
/// side by side in one `Vec` made them share a line (false sharing cost 15%
/// with two threads).
#[repr(align(128))]
struct Worker(Scanner);

/// Routes a worker's table holds before it first grows. Each worker sees
/// nearly every route of a log; growing from empty to ~20 k routes, rehash
/// by rehash, on both threads at once made the first batch of a 100 MB log
/// 1.4x slower than the others (3 ms of 47). Twice this many would no
/// longer fit the cache as well (slower again).
const WORKER_ROUTES: usize = 16_384;

impl Worker {
    fn new(window: Option<i64>) -> Worker {
        let mut s = Scanner::new(window);
        s.stats.routes.reserve(WORKER_ROUTES);
        Worker(s)
    }
}

/// Batches of a guarded (mapped) input counted between checkpoints: what a
/// truncation during the run makes the run drop. 8 × 16 × 2 MiB = 256 MiB.
const GUARD_BATCHES: u32 = 8;

/// The workers of [`process_batch`] and what they hold that is not yet in
/// the total.
#[derive(Default)]
pub(super) struct Workers {
    /// Made by the first batch that uses them.
    list: Vec<Option<Worker>>,
    /// A mapped input, which a truncation can damage: checkpoint it every
    /// [`GUARD_BATCHES`].
    guarded: bool,
    /// Input bytes counted by the workers since the last checkpoint.
    pending_bytes: u64,
    pending_batches: u32,
}

impl Workers {
    /// Workers for a mapped input, checkpointed every [`GUARD_BATCHES`].
    pub(super) fn guarded() -> Workers {
        Workers { guarded: true, ..Workers::default() }
    }

    /// Merge what the workers hold into `total` and apply the route bound
    /// (exactly as if merged batch by batch: no bound could have acted in
    /// between). Workers start again empty.
    fn checkpoint(&mut self, ctx: &ScanCtx, total: &mut Stats) {
        for w in self.list.iter_mut().flatten() {
            w.0.stats.drain_into(total, ctx.window);
        }
        total.bound(ctx.max_routes, ctx.who);
        if !total.pruned() {
            // The workers go on counting (once a bound acts, chunks are
            // counted one by one instead).
            for w in self.list.iter_mut().flatten() {
                w.0.stats.routes.reserve(WORKER_ROUTES);
            }
        }
        (self.pending_bytes, self.pending_batches) = (0, 0);
    }

    /// The last checkpoint of an input: the workers' tables move into
    /// `total` whole.
    pub(super) fn finish(&mut self, ctx: &ScanCtx, total: &mut Stats) {
        for w in self.list.drain(..).flatten() {
            total.absorb(w.0.stats);
        }
        total.bound(ctx.max_routes, ctx.who);
        (self.pending_bytes, self.pending_batches) = (0, 0);
    }
}

/// Chunks counted ahead of the one being written by [`records_in_order`]
/// (with the writer's own queue, what bounds its memory: a chunk's records
/// are a few MiB). At most [`BATCH_CHUNKS`](super::BATCH_CHUNKS): the
/// engine releases a batch's pages two batches on.
pub(super) const AHEAD: usize = 16;
const _: () = assert!(AHEAD <= super::BATCH_CHUNKS);

/// What a chunk task of [`records_in_order`] gives: its counts, its
/// records, whether the chunk was intact after parsing; or its panic.
type Done = std::thread::Result<(Stats, crate::engine::Rows, bool)>;

/// `--report records` over a mapped input: every chunk is a task of the
/// pool, started up to [`AHEAD`] chunks before the one being written, and
/// the results are taken in file order (records written, counts merged and
/// bounded chunk by chunk, as [`per_chunk`] does). Unlike batches, no
/// thread waits at a batch's end for the slowest chunk, and the pool keeps
/// counting while the records output is busy. `before(i)` runs before
/// chunk `i` is started (it maps the pages ahead). Returns the bytes of
/// chunks a truncation damaged (dropped).
///
/// The tasks are spawned from this thread, which only waits for them (it
/// is not a thread of the pool, so with one thread the pool still runs
/// every task).
#[allow(clippy::too_many_arguments)]
pub(super) fn records_in_order(
    ctx: &ScanCtx,
    chunks: &[&[u8]],
    total: &mut Stats,
    finished: &(dyn Fn(&[u8]) -> bool + Sync),
    file: &str,
    line0: &mut u64,
    rec: &mut RecordsOut,
    before: &mut dyn FnMut(usize),
) -> std::io::Result<u64> {
    let sink = rec.sink;
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Done)>();
    let mut ready: Vec<Option<Done>> = (0..AHEAD).map(|_| None).collect();
    let mut lost = 0;
    rayon::in_place_scope(|scope| {
        let mut started = 0;
        for (i, c) in chunks.iter().enumerate() {
            while started < chunks.len() && started < i + AHEAD {
                before(started);
                let (c, start, tx) = (chunks[started], *line0, tx.clone());
                *line0 += chunk::count_lines(c);
                let idx = started;
                scope.spawn(move |_| {
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let mut s = Scanner::new(ctx.window);
                        let mut out = sink.rows(c.len());
                        s.chunk(ctx, idx as u32, c, |r| sink.write(&mut out, file, start + r.line, r, ctx.count.zone));
                        let ok = finished(c);
                        (s.stats, out, ok)
                    }));
                    // The receiver outlives the scope.
                    let _ = tx.send((idx, done));
                });
                started += 1;
            }
            let done = loop {
                if let Some(d) = ready[i % AHEAD].take() {
                    break d;
                }
                // This thread holds a sender: `recv` waits, never fails.
                let Ok((j, d)) = rx.recv() else { unreachable!("a sender is held") };
                ready[j % AHEAD] = Some(d);
            };
            let (stats, out, ok) = done.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if ok {
                rec.out.put(out)?;
                total.merge(stats);
                total.bound(ctx.max_routes, ctx.who);
            } else {
                lost += c.len() as u64;
            }
            crate::engine::PROGRESS.fetch_add(c.len() as u64, Ordering::Relaxed);
        }
        Ok(lost)
    })
}

/// [`process_batch`] one `Stats` per chunk: for records output, which must
/// be written in file order, and for batches a truncation damaged.
fn per_chunk(
    ctx: &ScanCtx,
    chunks: &[&[u8]],
    first_idx: u32,
    total: &mut Stats,
    finished: &(dyn Fn(&[u8]) -> bool + Sync),
    prepare: &(dyn Fn(&[u8]) + Sync),
    mut rec: Option<(&str, &mut u64, &mut RecordsOut)>,
) -> std::io::Result<u64> {
    let starts: Vec<u64> = match rec.as_mut() {
        Some((_, line0, _)) => chunks
            .iter()
            .map(|c| {
                let s = **line0;
                **line0 += chunk::count_lines(c);
                s
            })
            .collect(),
        None => Vec::new(),
    };
    let writer = rec.as_ref().map(|(f, _, r)| (*f, r.sink));
    // A scanner per rayon job rather than per chunk: its route memo and
    // agent cache stay warm from chunk to chunk.
    let parts: Vec<(Stats, Option<crate::engine::Rows>, bool)> = chunks
        .par_iter()
        .enumerate()
        .map_init(
            || Scanner::new(ctx.window),
            |s, (i, c)| {
                let idx = piece_id(first_idx + i as u32, 0);
                let mut out = None;
                prepare(c);
                match writer {
                    Some((file, w)) => {
                        let out = out.insert(w.rows(c.len()));
                        let start = starts[i];
                        s.chunk(ctx, idx, c, |r| w.write(out, file, start + r.line, r, ctx.count.zone));
                    }
                    None => {
                        s.chunk(ctx, idx, c, |_| {});
                    }
                }
                let ok = finished(c);
                (std::mem::replace(&mut s.stats, Stats::new(ctx.window)), out, ok)
            },
        )
        .collect();
    let mut lost = 0;
    for ((s, out, ok), c) in parts.into_iter().zip(chunks) {
        if ok {
            if let (Some((_, _, r)), Some(out)) = (rec.as_mut(), out) {
                r.out.put(out)?;
            }
            total.merge(s);
            total.bound(ctx.max_routes, ctx.who);
        } else {
            lost += c.len() as u64;
        }
    }
    Ok(lost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_items_cover_a_batch_in_order_with_pieces_at_the_end() {
        let text: Vec<u8> = (0..400).flat_map(|i| format!("line {i} {}\n", "x".repeat(i % 37)).into_bytes()).collect();
        let (chunks, _) = chunk::split_aligned(&text, 0, 997, true);
        assert!(chunks.len() > SPLIT + 2);
        for n in [0, 1, SPLIT, chunks.len()] {
            let batch = &chunks[..n];
            let items: Vec<(usize, usize, &[u8])> = (0..).map_while(|i| work(batch, i)).collect();
            assert_eq!(items.len(), n.saturating_sub(SPLIT) + n.min(SPLIT) * PIECES, "{n} chunks");
            // In file order, whole, each piece ending on a line end.
            assert_eq!(items.iter().flat_map(|w| w.2.iter().copied()).collect::<Vec<u8>>(), batch.concat());
            let ids: Vec<u32> = items.iter().map(|&(c, p, _)| piece_id(7 + c as u32, p)).collect();
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
            assert!(items.iter().all(|w| w.2.is_empty() || w.2.ends_with(b"\n")));
            // The pieces really split their chunks.
            let pieces = items[n.saturating_sub(SPLIT)..].iter().filter(|w| !w.2.is_empty()).count();
            assert!(n == 0 || pieces > n.min(SPLIT), "{pieces} pieces");
        }
    }
}
