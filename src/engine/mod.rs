//! The pipeline driver: input → format → parse → filter → stats, in
//! parallel with rayon. `scan` is the line loop, `batch` the parallel
//! counting, `stream` the reader for non-mapped inputs, `result` what a run
//! gives.
//!
//! Mapped files are split into chunks that workers fold into their own
//! `Stats`, reduced by exact merges. Streams (stdin, pipes, small files) are
//! read in batches of chunks into one reused buffer, so memory does not grow
//! with the input. `--report records` writes each chunk's records in file
//! order: from a mapped file, chunks are pool tasks started ahead of the one
//! being written; from a stream, in batches.

mod batch;
mod live;
mod memo;
mod result;
mod scan;
mod stream;

use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::error::InputError;
use crate::format::{Field, LogFormat};
use crate::input::mmap::GuardedMap;
use crate::input::{self, MmapPolicy, Opened, Source, chunk};
use crate::parse::detect;
use crate::stats::{CountCtx, Stats};
use crate::zone::Zone;
use batch::{Workers, process_batch};
pub use live::Live;
use result::Outcome;
pub use result::{Consumed, FileInfo, Notice, Run, Span};
pub use scan::{Counted, RecordOut, RecordSink, Rows, ScanCtx, Scanner};

/// How the format of each input is chosen.
#[derive(Clone, Debug)]
pub enum FormatChoice {
    /// Detect each input's format from its first lines.
    Auto,
    /// Read every input with this format.
    Fixed(LogFormat),
}

#[derive(Clone)]
/// How a run reads, parses and counts its inputs.
pub struct Options {
    /// How each input's format is chosen.
    pub format: FormatChoice,
    /// `None`: the offset of the first parsed line of the first input.
    pub zone: Option<Zone>,
    /// Window width in seconds, or automatic.
    pub window: Option<i64>,
    /// When inputs are memory-mapped.
    pub mmap: MmapPolicy,
    /// Bytes per chunk handed to a worker (cut at line ends).
    pub chunk_bytes: usize,
    /// Testing knob (`LOGSTAT_CHUNK_DELAY_MS`): sleep after each mapped
    /// chunk, so a test can truncate a file in the middle of a run.
    pub chunk_delay: Option<std::time::Duration>,
    /// Statuses counted as failures.
    pub failures: crate::status::StatusSet,
    /// Distinct routes kept before the lightest are folded into `(other routes)`.
    pub max_routes: usize,
    /// Distinct clients kept before the lightest are folded into `(other clients)`.
    pub max_clients: usize,
    /// The duration kept per class, route and window.
    pub metric: crate::stats::latency::Metric,
    /// The filters (`--since`, `--status`, `--route`, …), unresolved.
    pub filter: crate::filter::FilterSpec,
    /// What relative `--since`/`--until` count back from (Unix seconds).
    pub reference: i64,
    /// Keep body-size histograms per route and window (`--report sizes`).
    pub sizes: bool,
    /// Count who called (a who report, or a state file, needs it).
    pub who: bool,
}

/// Where `--report records` output goes, and how it is encoded.
pub struct RecordsOut<'w> {
    /// Encodes each record.
    pub sink: &'w dyn RecordSink,
    /// Receives the encoded records in file order.
    pub out: &'w mut dyn RecordOut,
}

/// Bytes processed so far (for a progress display).
pub static PROGRESS: AtomicU64 = AtomicU64::new(0);

/// Read, parse and count every input in full; inputs that cannot be opened are reported through `notify` and skipped.
pub fn run(
    inputs: &[Source],
    opts: &Options,
    notify: &mut dyn FnMut(Notice),
    records: Option<RecordsOut>,
) -> std::io::Result<Run> {
    let spans = vec![Span::default(); inputs.len()];
    run_spans(inputs, &spans, opts, notify, records).map(|(run, _)| run)
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
            Opened::Mapped(map) => {
                let outcome = ctx.run_bytes(&map, records.as_mut());
                // What is left to unmap (the pages chunks share), on an idle
                // pool thread beside the report.
                rayon::spawn(move || drop(map));
                outcome
            }
            Opened::Stream(mut r, c, size) => match skip(&mut r, span.skip) {
                Ok(()) => {
                    let r: Box<dyn Read + Send> = match span.limit {
                        Some(n) => Box::new(r.take(n)),
                        None => r,
                    };
                    // What a plain file held when opened: a read ending short
                    // of it met a truncation.
                    let expect = size.map(|sz| {
                        let left = sz.saturating_sub(span.skip);
                        span.limit.map_or(left, |l| l.min(left))
                    });
                    ctx.run_stream(r, c, expect, records.as_mut())
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
        total.absorb(stats);
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
    Ok((
        Run {
            names,
            stats: total,
            files,
            zone: zone.unwrap_or(Zone::Fixed(0)),
            failed_inputs: failed,
            unread_tails: 0,
        },
        read,
    ))
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
    let (stats, file, error) = ctx.run_stream(r, c, None, None)?.finish(name);
    let failed = usize::from(error.is_some());
    Ok(Run {
        names: vec![name.to_string()],
        stats,
        files: vec![file],
        zone: zone.unwrap_or(Zone::Fixed(0)),
        failed_inputs: failed,
        unread_tails: 0,
    })
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
    /// Choose the format from the first bytes, and the default zone. A W3C
    /// format takes its columns from the `#Fields:` headers in `all` (the
    /// whole input when mapped, else what was read).
    fn choose(&mut self, head: &[u8], whole: bool, all: &[u8]) -> LogFormat {
        let (d, chosen) = match (&self.opts.format, &self.span.format) {
            (FormatChoice::Fixed(f), _) | (FormatChoice::Auto, Some(f)) => {
                let f = detect::with_columns(f.clone(), all).unwrap_or_else(|| f.clone());
                (detect::score(f, head, whole), false)
            }
            (FormatChoice::Auto, None) => {
                let mut d = detect::detect(head, whole);
                if let Some(f) = detect::with_columns(d.format.clone(), all) {
                    d.format = f;
                }
                (d, true)
            }
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
    /// file's size are checked (chunks that a truncation touched are dropped
    /// and the input is reported as cut short); the pages of each batch are
    /// released once it is counted ([`GuardedMap::release`]), in one call
    /// by the worker that starts the next batch. Released chunk by chunk by
    /// the workers, each release made the kernel flush the other workers'
    /// TLBs (an interrupt on every other core): two threads on the
    /// real-shaped 100 MB log ran 58.4 ms against 56.1 ms batch by batch
    /// (alternated lower quartiles of 15; one thread alike). Released by
    /// the main thread between batches, the pool waited for it: 1 GiB,
    /// two threads, 538.7 → 509.1 ms (medians of 9, alternated).
    fn run_bytes(&mut self, map: &GuardedMap, records: Option<&mut RecordsOut>) -> std::io::Result<Outcome> {
        let whole: &[u8] = map;
        let start = (self.span.skip as usize).min(whole.len());
        let end = self.span.limit.map_or(whole.len(), |n| (start as u64 + n).min(whole.len() as u64) as usize);
        let data = &whole[start..end];
        let format = self.choose(data, true, whole);
        let zone = self.zone();
        let filter = self.filter(&format, &zone)?;
        let ctx = self.opts.scan_ctx(&format, &zone, self.idx, &filter);
        let base = whole.as_ptr() as usize;
        let delay = self.opts.chunk_delay;
        // After each chunk (`batch`'s `finished`): intact?
        let finished = |c: &[u8]| {
            if let Some(d) = delay {
                // Per chunk's worth of bytes (the ends of batches go in pieces).
                std::thread::sleep(d.mul_f64((c.len() as f64 / self.opts.chunk_bytes.max(1) as f64).min(1.0)));
            }
            let end = (c.as_ptr() as usize - base + c.len()) as u64;
            !map.faulted() && end <= map.current_len()
        };
        let (chunks, _) = chunk::split_aligned(data, 0, self.opts.chunk_bytes, true);
        crate::phases::mark(format_args!("format chosen, {} bytes cut into {} chunks", data.len(), chunks.len()));
        let mut total = Stats::new(self.opts.window);
        let mut workers = Workers::guarded();
        let (mut lost, mut line0) = (0, self.span.line_base);
        let batches: Vec<&[&[u8]]> = chunks.chunks(BATCH_CHUNKS).collect();
        // The bytes a batch's chunks cover (they are consecutive).
        let span = |g: &[&[u8]]| -> &[u8] {
            match (g.first(), g.last()) {
                (Some(a), Some(z)) => &whole[a.as_ptr() as usize - base..z.as_ptr() as usize - base + z.len()],
                _ => &[],
            }
        };
        if let Some(rec) = records {
            // Records: chunk by chunk in file order, the pages of a batch
            // mapped when its first chunk starts. Chunk `i` starts once the
            // chunks [`batch::AHEAD`] before it are written, so batch
            // `b - 2` is done with: its pages go.
            let mut before = |i: usize| {
                if i.is_multiple_of(BATCH_CHUNKS) {
                    let b = i / BATCH_CHUNKS;
                    if let Some(done) = b.checked_sub(2) {
                        map.release(span(batches[done]));
                    }
                    map.populate(span(batches[b]), span(batches.get(b + 1).copied().unwrap_or_default()));
                }
            };
            lost =
                batch::records_in_order(&ctx, &chunks, &mut total, &finished, self.name, &mut line0, rec, &mut before)?;
        } else {
            // Each worker maps its chunk's pages as it takes the chunk: done
            // here for the whole batch, it held the pool up (1–5 ms a batch).
            // The first worker to start a batch also releases the batch
            // before it and asks for the next one to be read ahead: done
            // here between batches, with the pool idle, that was 6% of a
            // two-thread run (1 GiB: ~30 ms of release, ~3 ms of advice),
            // while the other worker can go on counting meanwhile.
            let mut done: &[u8] = &[];
            for (b, group) in batches.iter().enumerate() {
                let ahead = span(batches.get(b + 1).copied().unwrap_or_default());
                let first = AtomicBool::new(true);
                let prepare = |c: &[u8]| {
                    if first.swap(false, Ordering::Relaxed) {
                        map.release(done);
                        map.populate(&[], ahead);
                    }
                    map.populate(c, &[]);
                };
                lost += process_batch(
                    &ctx,
                    group,
                    (b * BATCH_CHUNKS) as u32,
                    &mut total,
                    &mut workers,
                    &finished,
                    &prepare,
                    None,
                )?;
                done = span(group);
                PROGRESS.fetch_add(group.iter().map(|c| c.len() as u64).sum(), Ordering::Relaxed);
            }
            map.release(done);
        }
        workers.finish(&ctx, &mut total);
        crate::phases::mark(format_args!("workers' counts merged"));
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
            max_clients: 50_000,
            metric: Default::default(),
            filter: Default::default(),
            reference: 0,
            sizes: false,
            who: false,
        }
    }
}

impl Options {
    /// What scanning input `file` read with `format` needs.
    pub fn scan_ctx<'a>(
        &'a self,
        format: &'a LogFormat,
        zone: &'a Zone,
        file: u32,
        filter: &'a crate::filter::Filter,
    ) -> ScanCtx<'a> {
        ScanCtx {
            format,
            filter,
            file,
            window: self.window,
            max_routes: self.max_routes,
            who: crate::stats::who::Limits { clients: self.max_clients },
            classify: self.who || self.filter.bots != crate::filter::Bots::Include,
            count: CountCtx { zone, failures: &self.failures, metric: self.metric, sizes: self.sizes, who: self.who },
        }
    }
}
