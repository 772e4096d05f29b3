//! The pipeline: input → chunk → parse → stats, in parallel with rayon.
//!
//! Mapped files are split into chunks that workers fold into their own
//! `Stats`, reduced by exact merges. Streams (stdin, pipes, small files) are
//! read in batches of chunks into one reused buffer, so memory does not grow
//! with the input. `--report records` processes chunks in batches and writes
//! each batch's output in file order.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::error::InputError;
use crate::format::detect::{self, Detection};
use crate::format::{Field, LogFormat};
use crate::input::decompress::Compression;
use crate::input::mmap::GuardedMap;
use crate::input::{self, MmapPolicy, Opened, Source, chunk};
use crate::report::records::RecordWriter;
use crate::stats::MAX_LINE_BYTES;
use crate::stats::{AddCtx, Stats};
use crate::zone::Zone;

/// How the format of each input is chosen.
#[derive(Clone, Debug)]
pub enum FormatChoice {
    Auto,
    Fixed(LogFormat),
}

#[derive(Clone)]
pub struct Options {
    pub format: FormatChoice,
    /// `None`: the offset of the first parsed line of the first input.
    pub zone: Option<Zone>,
    /// Window width in seconds, or automatic.
    pub window: Option<i64>,
    pub mmap: MmapPolicy,
    pub chunk_bytes: usize,
    /// Testing knob (`LOGSTAT_CHUNK_DELAY_MS`): sleep after each mapped
    /// chunk, so a test can truncate a file in the middle of a run.
    pub chunk_delay: Option<std::time::Duration>,
    /// Statuses counted as failures.
    pub failures: crate::status::StatusSet,
    /// Distinct routes kept before the lightest are folded into `(other routes)`.
    pub max_routes: usize,
    /// The duration kept per class, route and window.
    pub metric: crate::stats::latency::Metric,
    pub filter: crate::filter::FilterSpec,
    /// What relative `--since`/`--until` count back from (Unix seconds).
    pub reference: i64,
    /// Keep body-size histograms per route and window (`--report sizes`).
    pub sizes: bool,
}

/// The part of an input to read: from `skip` bytes (decompressed), at most
/// `limit` bytes; line numbers continue from `line_base`. Incremental runs
/// (`--state`) resume this way; a plain run reads everything.
#[derive(Clone, Debug, Default)]
pub struct Span {
    pub skip: u64,
    pub limit: Option<u64>,
    pub line_base: u64,
    /// The format this input was read with before (skips detection).
    pub format: Option<LogFormat>,
}

/// What happened to one input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileInfo {
    pub name: String,
    pub format: String,
    pub lines: u64,
    pub parsed: u64,
    pub malformed: u64,
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub bytes_read: u64,
}

/// Things worth telling the user on stderr while running.
pub enum Notice<'a> {
    Detected { file: &'a str, detection: &'a Detection, chosen: bool },
    InputFailed(&'a InputError),
}

#[derive(Clone)]
pub struct Run {
    /// Every input's name, in argument order (indexed by file number).
    pub names: Vec<String>,
    pub stats: Stats,
    pub files: Vec<FileInfo>,
    pub zone: Zone,
    pub failed_inputs: usize,
}

/// Where `--report records` output goes, and how it is written.
pub struct RecordsOut<'w> {
    pub writer: RecordWriter,
    pub out: &'w mut dyn Write,
}

/// Bytes processed so far (for a progress display).
pub static PROGRESS: AtomicU64 = AtomicU64::new(0);

pub fn run(
    inputs: &[Source],
    opts: &Options,
    notify: &mut dyn FnMut(Notice),
    records: Option<RecordsOut>,
) -> std::io::Result<Run> {
    let spans = vec![Span::default(); inputs.len()];
    run_spans(inputs, &spans, opts, notify, records).map(|(run, _)| run)
}

/// What [`run_spans`] read of one input that did not fail.
#[derive(Clone, Debug)]
pub struct Consumed {
    /// Bytes read after the span's `skip` (decompressed).
    pub bytes: u64,
    pub lines: u64,
    /// The format's name as chosen (without the compression label).
    pub format: String,
}

/// [`run`] over part of each input; also returns, per input, what was read
/// (`None` for an input that failed).
pub fn run_spans(
    inputs: &[Source],
    spans: &[Span],
    opts: &Options,
    notify: &mut dyn FnMut(Notice),
    mut records: Option<RecordsOut>,
) -> std::io::Result<(Run, Vec<Option<Consumed>>)> {
    let mut total = Stats::new(opts.window);
    let mut read = Vec::with_capacity(inputs.len());
    let mut files = Vec::new();
    let mut zone = opts.zone.clone();
    let mut failed = 0;
    for (idx, (src, span)) in inputs.iter().zip(spans).enumerate() {
        let name = src.name();
        let opened = match input::open(src, opts.mmap) {
            Ok(o) => o,
            Err(e) => {
                notify(Notice::InputFailed(&e));
                failed += 1;
                read.push(None);
                continue;
            }
        };
        let mut ctx = FileCtx { idx: idx as u32, name: &name, opts, zone: &mut zone, notify: &mut *notify, span };
        let outcome = match opened {
            Opened::Mapped(map) => ctx.run_bytes(&map, records.as_mut()),
            Opened::Stream(mut r, c) => match skip(&mut r, span.skip) {
                Ok(()) => {
                    let r: Box<dyn Read + Send> = match span.limit {
                        Some(n) => Box::new(r.take(n)),
                        None => r,
                    };
                    ctx.run_stream(r, c, records.as_mut())
                }
                Err(source) => {
                    notify(Notice::InputFailed(&InputError::Io { path: name, source }));
                    failed += 1;
                    read.push(None);
                    continue;
                }
            },
        }?;
        let format = outcome.format_name.clone();
        let (mut stats, info, error) = outcome.finish(&name);
        for s in &mut stats.samples {
            s.line += span.line_base;
        }
        files.push(info);
        total.merge(stats);
        if let Some(source) = error {
            // What was read before the error is counted; the input is failed.
            notify(Notice::InputFailed(&InputError::Io { path: name, source }));
            failed += 1;
            read.push(None);
        } else {
            let f = files.last().expect("just pushed");
            read.push(Some(Consumed { bytes: f.bytes_read, lines: f.lines, format }));
        }
    }
    let names = inputs.iter().map(Source::name).collect();
    Ok((Run { names, stats: total, files, zone: zone.unwrap_or(Zone::Fixed(0)), failed_inputs: failed }, read))
}

/// Read and drop `n` bytes; fewer is an error (the input is shorter than
/// where the last run stopped).
fn skip(r: &mut Box<dyn Read + Send>, n: u64) -> std::io::Result<()> {
    if n == 0 {
        return Ok(());
    }
    let got = std::io::copy(&mut r.take(n), &mut std::io::sink())?;
    if got < n {
        return Err(std::io::Error::other(format!("shorter ({got} bytes) than where the last run stopped ({n})")));
    }
    Ok(())
}

/// Analyse one stream (decompressed when its magic bytes say so) as the
/// single input `name`. For library users and fuzzing; the CLI uses [`run`].
pub fn run_reader(name: &str, reader: Box<dyn Read + Send>, opts: &Options) -> std::io::Result<Run> {
    let (r, c) = crate::input::decompress::decode_reader(reader)?;
    let mut zone = opts.zone.clone();
    let mut quiet = |_: Notice| {};
    let span = Span::default();
    let mut ctx = FileCtx { idx: 0, name, opts, zone: &mut zone, notify: &mut quiet, span: &span };
    let (stats, file, error) = ctx.run_stream(r, c, None)?.finish(name);
    let failed = usize::from(error.is_some());
    Ok(Run {
        names: vec![name.to_string()],
        stats,
        files: vec![file],
        zone: zone.unwrap_or(Zone::Fixed(0)),
        failed_inputs: failed,
    })
}

impl Run {
    /// The escaped name of input number `idx`.
    pub fn files_by_idx(&self, idx: u32) -> String {
        self.names.get(idx as usize).map_or_else(String::new, |n| crate::text::escape(n.as_bytes()))
    }
}

struct FileCtx<'a> {
    idx: u32,
    name: &'a str,
    opts: &'a Options,
    zone: &'a mut Option<Zone>,
    notify: &'a mut dyn FnMut(Notice),
    span: &'a Span,
}

impl FileCtx<'_> {
    /// Choose the format from the first bytes, and the default zone.
    fn choose(&mut self, head: &[u8], whole: bool) -> LogFormat {
        let (d, chosen) = match (&self.opts.format, &self.span.format) {
            (FormatChoice::Fixed(f), _) | (FormatChoice::Auto, Some(f)) => {
                (detect::score(f.clone(), head, whole), false)
            }
            (FormatChoice::Auto, None) => (detect::detect(head, whole), true),
        };
        if self.zone.is_none()
            && let Some(off) = d.offset
        {
            *self.zone = Some(Zone::Fixed(off));
        }
        (self.notify)(Notice::Detected { file: self.name, detection: &d, chosen });
        d.format
    }

    /// The filters with time bounds fixed in the run's zone.
    fn filter(&self, format: &LogFormat, zone: &Zone) -> std::io::Result<crate::filter::Filter> {
        let f = self.opts.filter.resolve(zone, self.opts.reference);
        if f.wants_host() && !format.captures(Field::Host) && !format.captures(Field::VhostPort) {
            return Err(std::io::Error::other(format!(
                "--host: the format of {} ({}) has no host field ($host, $server_name, %v)",
                self.name, format.name
            )));
        }
        Ok(f)
    }

    fn zone(&self) -> Zone {
        self.zone.clone().unwrap_or(Zone::Fixed(0))
    }

    /// A memory-mapped input. After each chunk the mapping's guard and the
    /// file's size are checked; chunks that a truncation touched are dropped
    /// and the input is reported as cut short.
    fn run_bytes(&mut self, map: &GuardedMap, mut records: Option<&mut RecordsOut>) -> std::io::Result<Outcome> {
        let whole: &[u8] = map;
        let start = (self.span.skip as usize).min(whole.len());
        let end = self.span.limit.map_or(whole.len(), |n| (start as u64 + n).min(whole.len() as u64) as usize);
        let data = &whole[start..end];
        let format = self.choose(data, true);
        let zone = self.zone();
        let filter = self.filter(&format, &zone)?;
        let ctx = self.opts.add_ctx(&format, &zone, self.idx, &filter);
        let base = whole.as_ptr() as usize;
        let delay = self.opts.chunk_delay;
        let intact = |c: &[u8]| {
            if let Some(d) = delay {
                std::thread::sleep(d);
            }
            let end = (c.as_ptr() as usize - base + c.len()) as u64;
            !map.faulted() && end <= map.current_len()
        };
        let (chunks, _) = chunk::split_aligned(data, 0, self.opts.chunk_bytes, true);
        let mut total = Stats::new(self.opts.window);
        let mut workers = Workers { guarded: true, ..Workers::default() };
        let (mut lost, mut line0) = (0, self.span.line_base);
        for (b, group) in chunks.chunks(BATCH_CHUNKS).enumerate() {
            let rec = records.as_deref_mut().map(|r| (self.name, &mut line0, r));
            lost += process_batch(&ctx, group, (b * BATCH_CHUNKS) as u32, &mut total, &mut workers, &intact, rec)?;
            PROGRESS.fetch_add(group.iter().map(|c| c.len() as u64).sum(), Ordering::Relaxed);
        }
        workers.finish(&ctx, &mut total);
        let error = (lost > 0).then(|| {
            std::io::Error::other(format!(
                "the file shrank while being read (truncated, e.g. by logrotate copytruncate): {lost} of {} bytes were not counted",
                data.len()
            ))
        });
        Ok(Outcome {
            stats: total,
            format_name: format.name.clone(),
            format: format.name.clone(),
            bytes_read: data.len() as u64 - lost,
            error,
        })
    }

    /// A stream, read into one reused buffer and cut into the same chunks a
    /// mapped file would give. A line longer than [`MAX_LINE_BYTES`] is
    /// skipped to its end and counted malformed, so the buffer stays bounded.
    fn run_stream(
        &mut self,
        mut r: Box<dyn Read + Send>,
        compression: Compression,
        mut records: Option<&mut RecordsOut>,
    ) -> std::io::Result<Outcome> {
        let chunk_bytes = self.opts.chunk_bytes;
        // Room for a batch of chunks; at least 1 MiB so detection sees a real sample.
        let batch = (chunk_bytes * (BATCH_CHUNKS + 1)).max(1 << 20);
        // Start with the detection sample; grow to a whole batch only when
        // the input is larger (small inputs stay cheap).
        let mut buf = vec![0u8; batch.min(crate::format::detect::SAMPLE_BYTES)];
        let mut fill = Filler { filled: 0, eof: false, bytes_read: 0, error: None };
        fill.fill(&mut r, &mut buf);
        if !fill.eof {
            buf.resize(batch, 0);
            fill.fill(&mut r, &mut buf);
        }
        let format = self.choose(&buf[..fill.filled], fill.eof);
        let zone = self.zone();
        let filter = self.filter(&format, &zone)?;
        let ctx = self.opts.add_ctx(&format, &zone, self.idx, &filter);
        let all = |_: &[u8]| true;
        let mut total = Stats::new(self.opts.window);
        let mut workers = Workers::default();
        let (mut chunk_idx, mut line0, mut abs) = (0u32, self.span.line_base, 0u64);
        // Inside an overlong line: its first bytes, kept for the excerpt.
        let mut overlong: Option<Vec<u8>> = None;
        while fill.filled > 0 {
            if let Some(head) = &overlong {
                match memchr::memchr(b'\n', &buf[..fill.filled]) {
                    Some(i) => {
                        total.add_overlong(self.idx, chunk_idx, head);
                        (chunk_idx, line0, overlong) = (chunk_idx + 1, line0 + 1, None);
                        buf.copy_within(i + 1..fill.filled, 0);
                        fill.filled -= i + 1;
                        abs += (i + 1) as u64;
                    }
                    None => {
                        abs += fill.filled as u64;
                        fill.filled = 0;
                    }
                }
                fill.fill(&mut r, &mut buf);
                continue;
            }
            let (chunks, used) = chunk::split_aligned(&buf[..fill.filled], abs, chunk_bytes, fill.eof);
            if chunks.is_empty() {
                if fill.filled < buf.len() {
                    fill.fill(&mut r, &mut buf);
                    continue;
                }
                if buf.len() <= MAX_LINE_BYTES {
                    // A line longer than the buffer: grow and read on.
                    buf.resize((buf.len() * 2).min(MAX_LINE_BYTES + batch), 0);
                    fill.fill(&mut r, &mut buf);
                    continue;
                }
                // The buffer holds complete lines, then the start of a line
                // longer than MAX_LINE_BYTES: count the lines, skip the rest.
                let cut = memchr::memrchr(b'\n', &buf[..fill.filled]).map_or(0, |i| i + 1);
                let (pre, _) = chunk::split_aligned(&buf[..cut], abs, chunk_bytes, true);
                let rec = records.as_deref_mut().map(|r| (self.name, &mut line0, r));
                process_batch(&ctx, &pre, chunk_idx, &mut total, &mut workers, &all, rec)?;
                chunk_idx += pre.len() as u32;
                overlong = Some(buf[cut..cut + crate::stats::EXCERPT_BYTES].to_vec());
                abs += fill.filled as u64;
                fill.filled = 0;
                fill.fill(&mut r, &mut buf);
                continue;
            }
            for group in chunks.chunks(BATCH_CHUNKS) {
                let rec = records.as_deref_mut().map(|r| (self.name, &mut line0, r));
                process_batch(&ctx, group, chunk_idx, &mut total, &mut workers, &all, rec)?;
                chunk_idx += group.len() as u32;
            }
            PROGRESS.fetch_add(used as u64, Ordering::Relaxed);
            buf.copy_within(used..fill.filled, 0);
            fill.filled -= used;
            abs += used as u64;
            fill.fill(&mut r, &mut buf);
        }
        workers.finish(&ctx, &mut total);
        if let Some(head) = &overlong {
            total.add_overlong(self.idx, chunk_idx, head);
        }
        let mut name = format.name.clone();
        if let Some(c) = compression.label() {
            name = format!("{name} ({c})");
        }
        Ok(Outcome {
            stats: total,
            format_name: format.name.clone(),
            format: name,
            bytes_read: fill.bytes_read,
            error: fill.error,
        })
    }
}

/// Chunks parsed in parallel per batch before their in-order merge. Fixed,
/// so results do not depend on the number of threads.
pub const BATCH_CHUNKS: usize = 16;

impl Default for Options {
    fn default() -> Self {
        Options {
            format: FormatChoice::Auto,
            zone: None,
            window: None,
            mmap: MmapPolicy::Auto,
            chunk_bytes: chunk::CHUNK_BYTES,
            chunk_delay: None,
            failures: Default::default(),
            max_routes: 50_000,
            metric: Default::default(),
            filter: Default::default(),
            reference: 0,
            sizes: false,
        }
    }
}

impl Options {
    /// What `Stats::add_chunk` needs for input `file` read with `format`.
    pub fn add_ctx<'a>(
        &'a self,
        format: &'a LogFormat,
        zone: &'a Zone,
        file: u32,
        filter: &'a crate::filter::Filter,
    ) -> AddCtx<'a> {
        AddCtx {
            format,
            zone,
            file,
            window: self.window,
            failures: &self.failures,
            max_routes: self.max_routes,
            metric: self.metric,
            filter,
            sizes: self.sizes,
        }
    }
}

/// What one input gave.
struct Outcome {
    stats: Stats,
    /// The format's own name.
    format_name: String,
    /// The format's name (with the compression, if any).
    format: String,
    bytes_read: u64,
    /// A read error that ended the input early (what came before is counted).
    error: Option<std::io::Error>,
}

impl Outcome {
    /// Final line numbers, and what the files report says about this input.
    fn finish(self, name: &str) -> (Stats, FileInfo, Option<std::io::Error>) {
        let mut stats = self.stats;
        stats.fix_lines();
        let info = FileInfo {
            name: name.to_string(),
            format: self.format,
            lines: stats.lines,
            parsed: stats.parsed,
            malformed: stats.malformed_total(),
            first: stats.first,
            last: stats.last,
            bytes_read: self.bytes_read,
        };
        (stats, info, self.error)
    }
}

struct Filler {
    filled: usize,
    eof: bool,
    bytes_read: u64,
    /// A read error ends the input like EOF, and is kept to be reported.
    error: Option<std::io::Error>,
}

impl Filler {
    /// Read until the buffer is full or the input ends (or fails).
    fn fill(&mut self, r: &mut dyn Read, buf: &mut [u8]) {
        while !self.eof && self.filled < buf.len() {
            match r.read(&mut buf[self.filled..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.filled += n;
                    self.bytes_read += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.eof = true;
                    self.error = Some(e);
                }
            }
        }
    }
}

/// Parse a batch of chunks in parallel and merge them into `total`, then
/// bound the route table once for the batch. Chunks for which `intact` fails
/// after parsing are dropped. `rec` carries the file name, the line number
/// before the batch (advanced past it) and the records sink. Returns the
/// bytes dropped.
///
/// Without records, each worker counts into its own `Stats` (`workers`, one
/// per thread, kept across batches): a route table built and merged per
/// chunk cost a third of the run on logs with tens of thousands of routes.
/// Merging is exact and order-independent, and the route bound is applied
/// only at batch ends, so the result does not depend on which worker took
/// which chunk: byte-identical for any thread count.
fn process_batch(
    ctx: &AddCtx,
    chunks: &[&[u8]],
    first_idx: u32,
    total: &mut Stats,
    workers: &mut Workers,
    intact: &(dyn Fn(&[u8]) -> bool + Sync),
    rec: Option<(&str, &mut u64, &mut RecordsOut)>,
) -> std::io::Result<u64> {
    // Once the route bound has acted on this input, there are more routes
    // than it keeps: chunk by chunk, bounded after each, keeps the tables
    // small (workers' tables grew to a batch's distinct routes, and a log
    // of distinct paths ran 1.8x slower).
    if rec.is_none() && total.routes_pruned == 0 {
        // One accumulator per worker, kept across batches so its route keys
        // are allocated once, not once per batch; workers take chunks in
        // file order from a shared counter, so the load stays balanced.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let n = rayon::current_num_threads().clamp(1, chunks.len().max(1));
        let list = &mut workers.list;
        list.resize_with(n.max(list.len()), || Worker(Stats::new(ctx.window)));
        let ok: Vec<bool> = list[..n]
            .par_iter_mut()
            .map(|Worker(s)| {
                let mut ok = true;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(c) = chunks.get(i) else { break };
                    s.add_chunk(ctx, first_idx + i as u32, c, |_, _| {});
                    ok &= intact(c);
                }
                ok
            })
            .collect();
        if ok.iter().all(|ok| *ok) {
            workers.pending_bytes += chunks.iter().map(|c| c.len() as u64).sum::<u64>();
            workers.pending_batches += 1;
            // The route bound can only act when the routes held everywhere
            // could exceed it; until then the workers keep counting. A
            // guarded input is also merged every `GUARD_BATCHES`.
            let held: usize = total.routes.len() + list.iter().map(|w| w.0.routes.len()).sum::<usize>();
            if held > ctx.max_routes || (workers.guarded && workers.pending_batches >= GUARD_BATCHES) {
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
        return Ok(lost + per_chunk(ctx, chunks, first_idx, total, intact, None)?);
    }
    per_chunk(ctx, chunks, first_idx, total, intact, rec)
}

/// One worker's counts, alone on its cache lines: two workers' hot counters
/// side by side in one `Vec` made them share a line (false sharing cost 15%
/// with two threads).
#[repr(align(128))]
struct Worker(Stats);

/// Batches of a guarded (mapped) input counted between checkpoints: what a
/// truncation during the run makes the run drop. 8 × 16 × 2 MiB = 256 MiB.
const GUARD_BATCHES: u32 = 8;

/// The workers of [`process_batch`] and what they hold that is not yet in
/// the total.
#[derive(Default)]
struct Workers {
    list: Vec<Worker>,
    /// A mapped input, which a truncation can damage: checkpoint it every
    /// [`GUARD_BATCHES`].
    guarded: bool,
    /// Input bytes counted by the workers since the last checkpoint.
    pending_bytes: u64,
    pending_batches: u32,
}

impl Workers {
    /// Merge what the workers hold into `total` and apply the route bound
    /// (exactly as if merged batch by batch: no bound could have acted in
    /// between). Workers start again empty.
    fn checkpoint(&mut self, ctx: &AddCtx, total: &mut Stats) {
        for w in &mut self.list {
            w.0.drain_into(total, ctx.window);
        }
        total.bound_routes(ctx.max_routes);
        (self.pending_bytes, self.pending_batches) = (0, 0);
    }

    /// The last checkpoint of an input: the workers' tables move into
    /// `total` whole.
    fn finish(&mut self, ctx: &AddCtx, total: &mut Stats) {
        for w in self.list.drain(..) {
            total.merge(w.0);
        }
        total.bound_routes(ctx.max_routes);
        (self.pending_bytes, self.pending_batches) = (0, 0);
    }
}

/// [`process_batch`] one `Stats` per chunk: for records output, which must
/// be written in file order, and for batches a truncation damaged.
fn per_chunk(
    ctx: &AddCtx,
    chunks: &[&[u8]],
    first_idx: u32,
    total: &mut Stats,
    intact: &(dyn Fn(&[u8]) -> bool + Sync),
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
    let writer = rec.as_ref().map(|(f, _, r)| (*f, r.writer));
    let parts: Vec<(Stats, Vec<u8>, bool)> = chunks
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let mut s = Stats::new(ctx.window);
            let mut out = Vec::new();
            let idx = first_idx + i as u32;
            match writer {
                Some((file, w)) => {
                    out.reserve(c.len() * 2);
                    let mut scratch = crate::report::records::Scratch::default();
                    let start = starts[i];
                    s.add_chunk(ctx, idx, c, |n, r| w.write(&mut out, &mut scratch, file, start + n, r, ctx.zone));
                }
                None => {
                    s.add_chunk(ctx, idx, c, |_, _| {});
                }
            }
            let ok = intact(c);
            (s, out, ok)
        })
        .collect();
    let mut lost = 0;
    for ((s, out, ok), c) in parts.into_iter().zip(chunks) {
        if ok {
            if let Some((_, _, r)) = rec.as_mut() {
                r.out.write_all(&out)?;
            }
            total.merge(s);
            total.bound_routes(ctx.max_routes);
        } else {
            lost += c.len() as u64;
        }
    }
    Ok(lost)
}
