//! Streams (stdin, pipes, compressed and small files): read into one reused
//! buffer and cut into the same chunks a mapped file would give. A line
//! longer than [`MAX_LINE_BYTES`] is skipped to its end and counted
//! malformed, so the buffer stays bounded.

use std::io::Read;
use std::sync::atomic::Ordering;

use super::batch::{Workers, process_batch};
use super::result::Outcome;
use super::{BATCH_CHUNKS, FileCtx, PROGRESS, RecordsOut};
use crate::input::chunk;
use crate::input::decompress::Compression;
use crate::stats::{MAX_LINE_BYTES, Stats};

impl FileCtx<'_> {
    /// A stream, read into one reused buffer and cut into the same chunks a
    /// mapped file would give. A line longer than [`MAX_LINE_BYTES`] is
    /// skipped to its end and counted malformed, so the buffer stays bounded.
    pub(super) fn run_stream(
        &mut self,
        mut r: Box<dyn Read + Send>,
        compression: Compression,
        expect: Option<u64>,
        mut records: Option<&mut RecordsOut>,
    ) -> std::io::Result<Outcome> {
        let chunk_bytes = self.opts.chunk_bytes;
        // Room for a batch of chunks; at least 1 MiB so detection sees a real sample.
        let batch = (chunk_bytes * (BATCH_CHUNKS + 1)).max(1 << 20);
        // Start with the detection sample; grow to a whole batch only when
        // the input is larger (small inputs stay cheap).
        let mut buf = vec![0u8; batch.min(crate::parse::detect::SAMPLE_BYTES)];
        let mut fill = Filler { filled: 0, eof: false, bytes_read: 0, error: None, expect };
        fill.fill(&mut r, &mut buf);
        // Grow by doubling: zeroing a whole batch up front cost more than
        // reading a small file (8 of 12 ms for 1 MB).
        while !fill.eof && buf.len() < batch {
            buf.resize((buf.len() * 2).min(batch), 0);
            fill.fill(&mut r, &mut buf);
        }
        let format = self.choose(&buf[..fill.filled], fill.eof, &buf[..fill.filled]);
        let zone = self.zone();
        let filter = self.filter(&format, &zone)?;
        let ctx = self.opts.scan_ctx(&format, &zone, self.idx, &filter);
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
                        total.add_overlong(self.idx, super::batch::piece_id(chunk_idx, 0), head);
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
                process_batch(&ctx, &pre, chunk_idx, &mut total, &mut workers, &all, &|_| {}, rec)?;
                chunk_idx += pre.len() as u32;
                overlong = Some(buf[cut..cut + crate::stats::EXCERPT_BYTES].to_vec());
                abs += fill.filled as u64;
                fill.filled = 0;
                fill.fill(&mut r, &mut buf);
                continue;
            }
            for group in chunks.chunks(BATCH_CHUNKS) {
                let rec = records.as_deref_mut().map(|r| (self.name, &mut line0, r));
                process_batch(&ctx, group, chunk_idx, &mut total, &mut workers, &all, &|_| {}, rec)?;
                chunk_idx += group.len() as u32;
                if let Some(d) = self.opts.chunk_delay {
                    // Test knob: slow the run so a truncation lands mid-read.
                    std::thread::sleep(d * group.len() as u32);
                }
            }
            PROGRESS.fetch_add(used as u64, Ordering::Relaxed);
            buf.copy_within(used..fill.filled, 0);
            fill.filled -= used;
            abs += used as u64;
            fill.fill(&mut r, &mut buf);
        }
        workers.finish(&ctx, &mut total);
        if let Some(head) = &overlong {
            total.add_overlong(self.idx, super::batch::piece_id(chunk_idx, 0), head);
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

pub(super) struct Filler {
    pub(super) filled: usize,
    pub(super) eof: bool,
    pub(super) bytes_read: u64,
    /// A read error ends the input like EOF, and is kept to be reported.
    pub(super) error: Option<std::io::Error>,
    /// Bytes a plain file held when opened: an end before them is a
    /// truncation during the read.
    pub(super) expect: Option<u64>,
}

impl Filler {
    /// Read until the buffer is full or the input ends (or fails).
    pub(super) fn fill(&mut self, r: &mut dyn Read, buf: &mut [u8]) {
        while !self.eof && self.filled < buf.len() {
            match r.read(&mut buf[self.filled..]) {
                Ok(0) => {
                    self.eof = true;
                    if let Some(e) = self.expect
                        && self.bytes_read < e
                    {
                        // Cut short: the last line read may be cut too, so
                        // it is dropped with the rest.
                        let keep = memchr::memrchr(b'\n', &buf[..self.filled]).map_or(0, |i| i + 1);
                        let dropped = (self.filled - keep) as u64;
                        self.filled = keep;
                        self.bytes_read -= dropped;
                        self.error = Some(std::io::Error::other(format!(
                            "the file shrank while being read (truncated, e.g. by logrotate copytruncate): {} of {e} bytes were not counted",
                            e - self.bytes_read
                        )));
                    }
                }
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
