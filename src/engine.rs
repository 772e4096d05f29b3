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
use crate::format::LogFormat;
use crate::format::detect::{self, Detection};
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
    pub failures: crate::stats::failures::Failures,
}

/// What happened to one input.
#[derive(Clone, Debug)]
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
    mut records: Option<RecordsOut>,
) -> std::io::Result<Run> {
    let mut total = Stats::new(opts.window);
    let mut files = Vec::new();
    let mut zone = opts.zone.clone();
    let mut failed = 0;
    for (idx, src) in inputs.iter().enumerate() {
        let name = src.name();
        let opened = match input::open(src, opts.mmap) {
            Ok(o) => o,
            Err(e) => {
                notify(Notice::InputFailed(&e));
                failed += 1;
                continue;
            }
        };
        let mut ctx = FileCtx { idx: idx as u32, name: &name, opts, zone: &mut zone, notify: &mut *notify };
        let outcome = match opened {
            Opened::Mapped(map) => ctx.run_bytes(&map, records.as_mut()),
            Opened::Stream(r, c) => ctx.run_stream(r, c, records.as_mut()),
        }?;
        let mut stats = outcome.stats;
        stats.fix_lines();
        files.push(FileInfo {
            name: name.clone(),
            format: outcome.format,
            lines: stats.lines,
            parsed: stats.parsed,
            malformed: stats.malformed_total(),
            first: stats.first,
            last: stats.last,
            bytes_read: outcome.bytes_read,
        });
        total.merge(stats);
        if let Some(source) = outcome.error {
            // What was read before the error is counted; the input is failed.
            notify(Notice::InputFailed(&InputError::Io { path: name, source }));
            failed += 1;
        }
    }
    let names = inputs.iter().map(Source::name).collect();
    Ok(Run { names, stats: total, files, zone: zone.unwrap_or(Zone::Fixed(0)), failed_inputs: failed })
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
}

impl FileCtx<'_> {
    /// Choose the format from the first bytes, and the default zone.
    fn choose(&mut self, head: &[u8], whole: bool) -> LogFormat {
        let (d, chosen) = match &self.opts.format {
            FormatChoice::Auto => (detect::detect(head, whole), true),
            FormatChoice::Fixed(f) => (detect::score(f.clone(), head, whole), false),
        };
        if self.zone.is_none() {
            if let Some(off) = d.offset {
                *self.zone = Some(Zone::Fixed(off));
            }
        }
        (self.notify)(Notice::Detected { file: self.name, detection: &d, chosen });
        d.format
    }

    fn zone(&self) -> Zone {
        self.zone.clone().unwrap_or(Zone::Fixed(0))
    }

    /// A memory-mapped input. After each chunk the mapping's guard and the
    /// file's size are checked; chunks that a truncation touched are dropped
    /// and the input is reported as cut short.
    fn run_bytes(&mut self, map: &GuardedMap, records: Option<&mut RecordsOut>) -> std::io::Result<Outcome> {
        let data: &[u8] = map;
        let format = self.choose(data, true);
        let zone = self.zone();
        let ctx = AddCtx {
            format: &format,
            zone: &zone,
            file: self.idx,
            window: self.opts.window,
            failures: &self.opts.failures,
        };
        let base = data.as_ptr() as usize;
        let delay = self.opts.chunk_delay;
        let intact = |c: &[u8]| {
            if let Some(d) = delay {
                std::thread::sleep(d);
            }
            let end = (c.as_ptr() as usize - base + c.len()) as u64;
            !map.faulted() && end <= map.current_len()
        };
        let chunks = chunk::split(data, self.opts.chunk_bytes);
        let (stats, lost) = match records {
            None => fold_checked(&ctx, &chunks, &intact),
            Some(rec) => {
                let mut total = Stats::new(self.opts.window);
                let mut lost = 0;
                let mut line0 = 0;
                let batch = rayon::current_num_threads() * 4;
                for (b, group) in chunks.chunks(batch).enumerate() {
                    let (s, l) = records_batch(&ctx, self.name, group, (b * batch) as u32, &mut line0, rec, &intact)?;
                    total.merge(s);
                    lost += l;
                }
                (total, lost)
            }
        };
        PROGRESS.fetch_add(data.len() as u64, Ordering::Relaxed);
        let error = (lost > 0).then(|| {
            std::io::Error::other(format!(
                "the file shrank while being read (truncated, e.g. by logrotate copytruncate): {lost} of {} bytes were not counted",
                data.len()
            ))
        });
        Ok(Outcome { stats, format: format.name.clone(), bytes_read: data.len() as u64 - lost, error })
    }

    /// A stream, read in batches of chunks into one reused buffer. A line
    /// longer than [`MAX_LINE_BYTES`] is skipped to its end and counted
    /// malformed, so the buffer never grows past that.
    fn run_stream(
        &mut self,
        mut r: Box<dyn Read + Send>,
        compression: Compression,
        mut records: Option<&mut RecordsOut>,
    ) -> std::io::Result<Outcome> {
        let chunk_bytes = self.opts.chunk_bytes;
        // At least 1 MiB, so format detection always sees a real sample.
        let batch = (chunk_bytes * rayon::current_num_threads().max(1) * 4).max(1 << 20);
        let mut buf = vec![0u8; batch];
        let mut fill = Filler { filled: 0, eof: false, bytes_read: 0, error: None };
        fill.fill(&mut r, &mut buf);
        let format = self.choose(&buf[..fill.filled], fill.eof);
        let zone = self.zone();
        let ctx = AddCtx {
            format: &format,
            zone: &zone,
            file: self.idx,
            window: self.opts.window,
            failures: &self.opts.failures,
        };
        let mut total = Stats::new(self.opts.window);
        let (mut chunk_idx, mut line0) = (0u32, 0u64);
        // Inside an overlong line: its first bytes, kept for the excerpt.
        let mut overlong: Option<Vec<u8>> = None;
        while fill.filled > 0 {
            if let Some(head) = &overlong {
                // Drop bytes up to the end of the overlong line.
                match memchr::memchr(b'\n', &buf[..fill.filled]) {
                    Some(i) => {
                        total.add_overlong(self.idx, chunk_idx, head);
                        chunk_idx += 1;
                        line0 += 1;
                        overlong = None;
                        buf.copy_within(i + 1..fill.filled, 0);
                        fill.filled -= i + 1;
                    }
                    None => fill.filled = 0,
                }
                fill.fill(&mut r, &mut buf);
                continue;
            }
            let cut = if fill.eof {
                fill.filled
            } else {
                match memchr::memrchr(b'\n', &buf[..fill.filled]) {
                    Some(i) => i + 1,
                    None if buf.len() > MAX_LINE_BYTES => {
                        overlong = Some(buf[..crate::stats::EXCERPT_BYTES].to_vec());
                        fill.filled = 0;
                        fill.fill(&mut r, &mut buf);
                        continue;
                    }
                    None => {
                        // One line longer than the buffer: grow and read on.
                        buf.resize((buf.len() * 2).min(MAX_LINE_BYTES + batch), 0);
                        fill.fill(&mut r, &mut buf);
                        continue;
                    }
                }
            };
            let chunks = chunk::split(&buf[..cut], chunk_bytes);
            let s = match records.as_deref_mut() {
                None => fold_chunks(&ctx, &chunks, chunk_idx),
                Some(rec) => records_batch(&ctx, self.name, &chunks, chunk_idx, &mut line0, rec, &|_| true)?.0,
            };
            total.merge(s);
            chunk_idx += chunks.len() as u32;
            PROGRESS.fetch_add(cut as u64, Ordering::Relaxed);
            buf.copy_within(cut..fill.filled, 0);
            fill.filled -= cut;
            fill.fill(&mut r, &mut buf);
        }
        if let Some(head) = &overlong {
            total.add_overlong(self.idx, chunk_idx, head);
        }
        let mut name = format.name.clone();
        if let Some(c) = compression.label() {
            name = format!("{name} ({c})");
        }
        Ok(Outcome { stats: total, format: name, bytes_read: fill.bytes_read, error: fill.error })
    }
}

/// What one input gave.
struct Outcome {
    stats: Stats,
    /// The format's name (with the compression, if any).
    format: String,
    bytes_read: u64,
    /// A read error that ended the input early (what came before is counted).
    error: Option<std::io::Error>,
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

/// Fold chunks into per-worker stats and merge them.
fn fold_chunks(ctx: &AddCtx, chunks: &[&[u8]], first_idx: u32) -> Stats {
    let window = ctx.window;
    chunks
        .par_iter()
        .enumerate()
        .fold(
            || Stats::new(window),
            |mut s, (i, c)| {
                s.add_chunk(ctx, first_idx + i as u32, c, |_, _| {});
                s
            },
        )
        .reduce(
            || Stats::new(window),
            |mut a, b| {
                a.merge(b);
                a
            },
        )
}

/// Like [`fold_chunks`], but each chunk goes into a scratch `Stats` that is
/// kept only if `intact(chunk)` holds afterwards. Returns the bytes dropped.
fn fold_checked(ctx: &AddCtx, chunks: &[&[u8]], intact: &(dyn Fn(&[u8]) -> bool + Sync)) -> (Stats, u64) {
    let window = ctx.window;
    chunks
        .par_iter()
        .enumerate()
        .fold(
            || (Stats::new(window), Stats::new(window), 0u64),
            |(mut acc, mut scratch, mut lost), (i, c)| {
                scratch.add_chunk(ctx, i as u32, c, |_, _| {});
                if intact(c) {
                    acc.merge(std::mem::replace(&mut scratch, Stats::new(window)));
                } else {
                    scratch = Stats::new(window);
                    lost += c.len() as u64;
                }
                (acc, scratch, lost)
            },
        )
        .map(|(acc, _, lost)| (acc, lost))
        .reduce(
            || (Stats::new(window), 0),
            |(mut a, la), (b, lb)| {
                a.merge(b);
                (a, la + lb)
            },
        )
}

/// Parse a batch of chunks in parallel, each into its own output buffer, and
/// write the buffers in file order. `line0` is the file line number before
/// the batch and advances past it.
fn records_batch(
    ctx: &AddCtx,
    file: &str,
    chunks: &[&[u8]],
    first_idx: u32,
    line0: &mut u64,
    rec: &mut RecordsOut,
    intact: &(dyn Fn(&[u8]) -> bool + Sync),
) -> std::io::Result<(Stats, u64)> {
    let mut starts = Vec::with_capacity(chunks.len());
    for c in chunks {
        starts.push(*line0);
        *line0 += chunk::count_lines(c);
    }
    let writer = &rec.writer;
    let parts: Vec<(Stats, Vec<u8>, bool, u64)> = chunks
        .par_iter()
        .zip(starts.par_iter())
        .enumerate()
        .map(|(i, (c, start))| {
            let mut s = Stats::new(ctx.window);
            let mut out = Vec::with_capacity(c.len() * 2);
            let mut scratch = String::new();
            s.add_chunk(ctx, first_idx + i as u32, c, |n, r| {
                writer.write(&mut out, &mut scratch, file, start + n, r, ctx.zone);
            });
            let ok = intact(c);
            (s, out, ok, c.len() as u64)
        })
        .collect();
    let mut total = Stats::new(ctx.window);
    let mut lost = 0;
    for (s, out, ok, len) in parts {
        if ok {
            rec.out.write_all(&out)?;
            total.merge(s);
        } else {
            lost += len;
        }
    }
    Ok((total, lost))
}
