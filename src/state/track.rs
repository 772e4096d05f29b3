//! Where each log file was left, and where to resume.
//!
//! A file is known by a fingerprint of its first bytes (up to [`FP_BYTES`] of
//! its decompressed content), with its device and inode preferred when
//! several entries fit — not by its name. That one rule covers:
//! - appends: same inode, same first bytes → resume at the offset;
//! - rename rotation: `access.log` → `access.log.1` keeps inode and content
//!   → the unread tail is read under the new name; the new `access.log` is
//!   unknown → read from its start;
//! - a rotated file compressed later (`access.log.1.gz`): new inode, same
//!   decompressed first bytes → resume at the same (decompressed) offset;
//! - copytruncate: the copy (`access.log.1`, new inode) has the old first
//!   bytes → its tail is read; the truncated live file's first bytes changed
//!   → read from its start.
//!
//! Only whole lines are consumed from plain files: a last line still being
//! written is left for the next run.

use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;

use serde::{Deserialize, Serialize};

use super::fnv1a;
use crate::engine::{Consumed, Span};
use crate::input::Source;
use crate::input::decompress::{Compression, decode_reader};

/// Bytes of a file's start that identify it.
pub const FP_BYTES: usize = 1024;
/// Entries kept for files no longer among the inputs (rotated away), so a
/// later compressed copy is still recognised.
pub const MAX_TRACKED: usize = 4096;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
/// An input as a state file remembers it.
pub struct Tracked {
    /// Its name.
    pub name: String,
    /// Its device.
    pub dev: u64,
    /// Its inode.
    pub ino: u64,
    /// Fingerprint: FNV-1a of the first `fp_len` bytes.
    pub fp_len: u32,
    /// A fingerprint of its first bytes (to know it after a rename).
    pub fp: u64,
    /// Bytes (decompressed) consumed so far.
    pub offset: u64,
    /// Lines consumed so far.
    pub lines: u64,
    /// The format the file was read with.
    pub format: String,
    /// The run that last saw it.
    pub seen: u64,
}

/// One input's plan: its span and what is needed to update its entry.
#[derive(Clone, Debug, Default)]
pub struct Planned {
    /// What to read of it this time.
    pub span: Span,
    /// The tracked entry resumed, if any.
    pub resumed: Option<usize>,
    /// Its device now.
    pub dev: u64,
    /// Its inode now.
    pub ino: u64,
    /// The first bytes (decompressed), up to [`FP_BYTES`].
    pub head: Vec<u8>,
    /// The format it was read with before.
    pub format: Option<String>,
}

/// Decide where each input starts and stops.
pub fn plan(inputs: &[Source], tracked: &[Tracked]) -> Vec<Planned> {
    let mut claimed = vec![false; tracked.len()];
    let mut seen: Vec<(u64, u64)> = Vec::new();
    inputs
        .iter()
        .map(|src| {
            let Source::Path(path) = src else { return Planned::default() };
            let Ok(meta) = std::fs::metadata(path) else { return Planned::default() };
            let Ok(file) = std::fs::File::open(path) else { return Planned::default() };
            let (dev, ino, size) = (meta.dev(), meta.ino(), meta.len());
            if seen.contains(&(dev, ino)) {
                // The same file named twice (a glob and a path): read once.
                let span = Span { limit: Some(0), ..Default::default() };
                return Planned { span, ..Default::default() };
            }
            seen.push((dev, ino));
            let mut magic = [0u8; 4];
            let n = std::os::unix::fs::FileExt::read_at(&file, &mut magic, 0).unwrap_or(0);
            let compressed = Compression::sniff(&magic[..n]) != Compression::None;
            let head = read_head(&file, compressed);
            let fits = |t: &Tracked| {
                t.fp_len > 0 && t.fp_len as usize <= head.len() && fnv1a(&head[..t.fp_len as usize]) == t.fp
            };
            // Same inode first, then the longest fingerprint.
            let best = (0..tracked.len()).filter(|&i| !claimed[i] && fits(&tracked[i])).max_by_key(|&i| {
                let t = &tracked[i];
                ((t.dev, t.ino) == (dev, ino), t.fp_len, std::cmp::Reverse(i))
            });
            let mut p = Planned { dev, ino, head, ..Default::default() };
            if let Some(i) = best
                && (compressed || tracked[i].offset <= size)
            {
                claimed[i] = true;
                let t = &tracked[i];
                p.resumed = Some(i);
                p.span.skip = t.offset;
                p.span.line_base = t.lines;
                p.format = Some(t.format.clone());
                p.span.format = crate::format::presets::preset(&t.format);
            }
            if !compressed {
                // Whole lines only: stop after the last newline.
                let end = last_newline_end(&file, size, p.span.skip);
                p.span.limit = Some(end.saturating_sub(p.span.skip));
            }
            p
        })
        .collect()
}

/// Up to [`FP_BYTES`] of the (decompressed) start of a file.
fn read_head(file: &std::fs::File, compressed: bool) -> Vec<u8> {
    let mut head = Vec::with_capacity(FP_BYTES);
    let Ok(f) = file.try_clone() else { return head };
    if compressed {
        if let Ok((r, _)) = decode_reader(f) {
            let _ = r.take(FP_BYTES as u64).read_to_end(&mut head);
        }
    } else {
        let mut f = f;
        if f.seek(SeekFrom::Start(0)).is_ok() {
            let _ = f.take(FP_BYTES as u64).read_to_end(&mut head);
        }
    }
    head
}

/// The offset just past the last `\n` at or after `from` in the first `size`
/// bytes (`from` when there is none).
fn last_newline_end(file: &std::fs::File, size: u64, from: u64) -> u64 {
    const BLOCK: u64 = 64 << 10;
    let mut end = size;
    let mut buf = vec![0u8; BLOCK as usize];
    while end > from {
        let start = end.saturating_sub(BLOCK).max(from);
        let n = (end - start) as usize;
        if std::os::unix::fs::FileExt::read_exact_at(file, &mut buf[..n], start).is_err() {
            return from;
        }
        if let Some(i) = memchr::memrchr(b'\n', &buf[..n]) {
            return start + i as u64 + 1;
        }
        end = start;
    }
    from
}

/// The tracked entries after a run: resumed and new files updated, the rest
/// kept (newest first) up to [`MAX_TRACKED`].
pub fn update(
    old: &[Tracked],
    inputs: &[Source],
    plans: &[Planned],
    read: &[Option<Consumed>],
    run: u64,
) -> Vec<Tracked> {
    let mut out: Vec<Tracked> = Vec::new();
    let mut replaced = vec![false; old.len()];
    for ((src, p), r) in inputs.iter().zip(plans).zip(read) {
        let Some(r) = r else { continue };
        if let Some(i) = p.resumed {
            replaced[i] = true;
        }
        let offset = p.span.skip + r.bytes;
        if offset == 0 || p.head.is_empty() {
            continue;
        }
        let fp_len = (p.head.len() as u64).min(offset) as usize;
        out.push(Tracked {
            name: src.name(),
            dev: p.dev,
            ino: p.ino,
            fp_len: fp_len as u32,
            fp: fnv1a(&p.head[..fp_len]),
            offset,
            lines: p.span.line_base + r.lines,
            format: r.format.clone(),
            seen: run,
        });
    }
    let mut rest: Vec<Tracked> = old.iter().zip(&replaced).filter(|(_, r)| !**r).map(|(t, _)| t.clone()).collect();
    // Drop entries that now describe the same content as a fresh one.
    rest.retain(|t| !out.iter().any(|n| n.fp_len == t.fp_len && n.fp == t.fp && n.offset >= t.offset));
    rest.sort_by_key(|t| std::cmp::Reverse(t.seen));
    out.extend(rest);
    out.truncate(MAX_TRACKED);
    out
}
