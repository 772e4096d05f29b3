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
//! - a file and its copy (`access.log.1` beside `access.log.1.gz`): one
//!   content, read once;
//! - a replaced file whose rotated copy was not named: looked for beside it
//!   (`NAME.1`, `NAME.1.gz`, `NAME-YYYYMMDD`, …) by fingerprint
//!   ([`find_rotated`]), or reported as a gap.
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
    /// Not read: a copy of this other input, which is.
    pub copy_of: Option<usize>,
}

/// Shortest common start (bytes) for two inputs to count as copies of one
/// file: a line's worth, so two short files that merely begin alike are not.
const MIN_COPY: usize = 64;

/// What planning needs of one input that could be opened.
struct Opened {
    file: std::fs::File,
    dev: u64,
    ino: u64,
    size: u64,
    compressed: bool,
    head: Vec<u8>,
}

impl Opened {
    fn of(src: &Source) -> Option<Opened> {
        let Source::Path(path) = src else { return None };
        let meta = std::fs::metadata(path).ok()?;
        let file = std::fs::File::open(path).ok()?;
        let mut magic = [0u8; 4];
        let n = std::os::unix::fs::FileExt::read_at(&file, &mut magic, 0).unwrap_or(0);
        let compressed = Compression::sniff(&magic[..n]) != Compression::None;
        let head = read_head(&file, compressed);
        Some(Opened { dev: meta.dev(), ino: meta.ino(), size: meta.len(), compressed, head, file })
    }

    /// Whether `self` and `o` hold the same file's content (one a copy of
    /// the other: `gzip -k`, a compression still being written, a
    /// `delaycompress` setup keeping both): one's start is the other's.
    fn same_content(&self, o: &Opened) -> bool {
        let m = self.head.len().min(o.head.len());
        m >= MIN_COPY && self.head[..m] == o.head[..m]
    }
}

/// Decide where each input starts and stops. Inputs that are copies of one
/// file (the same content, compressed or not) are read once: the one that
/// continues a tracked entry, else a plain one, else the first; the others
/// get an empty span and `copy_of`.
pub fn plan(inputs: &[Source], tracked: &[Tracked]) -> Vec<Planned> {
    let opened: Vec<Option<Opened>> = inputs.iter().map(Opened::of).collect();
    let mut plans: Vec<Planned> = vec![Planned::default(); inputs.len()];
    let fits = Tracked::fits;
    // The same file named twice (a glob and a path), or a copy of another
    // input: read once.
    let mut read_once: Vec<Option<usize>> = vec![None; inputs.len()];
    for i in 0..inputs.len() {
        let Some(a) = &opened[i] else { continue };
        if read_once[i].is_some() {
            continue;
        }
        let group: Vec<usize> = (i..inputs.len())
            .filter(|&j| opened[j].as_ref().is_some_and(|b| (b.dev, b.ino) == (a.dev, a.ino) || a.same_content(b)))
            .collect();
        // Which member to read: one whose inode a tracked entry names, then
        // one any entry fits, then a plain one, then the first.
        let rank = |&j: &usize| {
            let o = opened[j].as_ref().expect("in group");
            let same_inode = tracked.iter().any(|t| (t.dev, t.ino) == (o.dev, o.ino) && fits(t, &o.head));
            let any = tracked.iter().any(|t| fits(t, &o.head));
            (same_inode, any, !o.compressed, std::cmp::Reverse(j))
        };
        let keep = group.iter().copied().max_by_key(rank).expect("i is in its group");
        for &j in &group {
            read_once[j] = Some(keep);
        }
    }
    let mut claimed = vec![false; tracked.len()];
    for (i, o) in opened.iter().enumerate() {
        let Some(o) = o else { continue };
        let keep = read_once[i].unwrap_or(i);
        if keep != i {
            plans[i].span.limit = Some(0);
            plans[i].copy_of = Some(keep);
            continue;
        }
        // Same inode first, then the longest fingerprint.
        let best = (0..tracked.len()).filter(|&t| !claimed[t] && fits(&tracked[t], &o.head)).max_by_key(|&t| {
            let e = &tracked[t];
            ((e.dev, e.ino) == (o.dev, o.ino), e.fp_len, std::cmp::Reverse(t))
        });
        let p = &mut plans[i];
        (p.dev, p.ino, p.head) = (o.dev, o.ino, o.head.clone());
        if let Some(t) = best
            && (o.compressed || tracked[t].offset <= o.size)
        {
            claimed[t] = true;
            p.resume(&tracked[t], t);
        }
        p.whole_lines(o);
    }
    plans
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

/// Where logrotate and common daemons put a rotated `NAME`, in the order
/// they are tried: `NAME.1`, `NAME.0`, compressed variants, then dated names
/// (`NAME-YYYYMMDD`, `NAME.YYYY-MM-DD`, `NAME-YYYY-MM-DD`, each plain or
/// compressed) found in the same directory.
pub fn rotated_candidates(live: &std::path::Path) -> Vec<std::path::PathBuf> {
    let (Some(dir), Some(name)) = (live.parent(), live.file_name()) else { return Vec::new() };
    // Names beside a bare `access.log` stay bare (no `./`).
    let join = |n: &std::ffi::OsStr| if dir.as_os_str().is_empty() { n.into() } else { dir.join(n) };
    let base = name.as_encoded_bytes();
    let mut out = Vec::new();
    for suffix in [".1", ".1.gz", ".1.zst", ".0", ".0.gz", ".0.zst"] {
        let mut n = name.to_os_string();
        n.push(suffix);
        out.push(join(&n));
    }
    let listed = if dir.as_os_str().is_empty() { std::path::Path::new(".") } else { dir };
    let mut dated: Vec<std::path::PathBuf> = std::fs::read_dir(listed)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let f = e.file_name();
            let f = f.as_encoded_bytes();
            f.len() > base.len() && f.starts_with(base) && is_dated_suffix(&f[base.len()..])
        })
        .map(|e| join(&e.file_name()))
        .collect();
    // Newest date first: the file rotated last holds the tail.
    dated.sort_by(|a, b| b.cmp(a));
    out.extend(dated);
    out
}

/// `-YYYYMMDD`, `.YYYY-MM-DD` or `-YYYY-MM-DD`, optionally `.gz`/`.zst`
/// (and logrotate's `dateformat` with an hour or seconds: digits after).
fn is_dated_suffix(s: &[u8]) -> bool {
    let s = s.strip_suffix(b".gz").or_else(|| s.strip_suffix(b".zst")).unwrap_or(s);
    let (Some(&sep), rest) = (s.first(), s.get(1..).unwrap_or(&[])) else { return false };
    if sep != b'-' && sep != b'.' {
        return false;
    }
    let digits = rest.iter().filter(|b| b.is_ascii_digit()).count();
    digits >= 8
        && rest.iter().all(|b| b.is_ascii_digit() || *b == b'-' || *b == b'_')
        && rest[..4].iter().all(u8::is_ascii_digit)
}

/// A tracked file that was replaced since the last run (rename rotation or
/// copytruncate) and whose unread tail no input covers.
#[derive(Clone, Debug)]
pub struct Lost {
    /// The entry (index into the tracked list).
    pub entry: usize,
    /// The live input now under its name.
    pub input: usize,
}

/// Entries seen in the last run (`last_run`), not continued by any input,
/// whose name is an input's name now: the file under that name was
/// replaced, so the rest of the old one is somewhere else (or gone).
pub fn replaced(inputs: &[Source], plans: &[Planned], tracked: &[Tracked], last_run: u64) -> Vec<Lost> {
    let resumed: Vec<usize> = plans.iter().filter_map(|p| p.resumed).collect();
    tracked
        .iter()
        .enumerate()
        .filter(|(i, t)| t.seen == last_run && t.offset > 0 && !resumed.contains(i))
        .filter_map(|(i, t)| {
            let input = inputs.iter().position(|s| s.name() == t.name)?;
            Some(Lost { entry: i, input })
        })
        .collect()
}

/// A rotated copy of entry `t` beside `live`: the first candidate whose
/// start fits its fingerprint and which is long enough to hold what was read.
pub fn find_rotated(live: &std::path::Path, t: &Tracked, exclude: &[std::path::PathBuf]) -> Option<std::path::PathBuf> {
    rotated_candidates(live).into_iter().filter(|c| !exclude.contains(c)).find(|c| {
        let Some(o) = Opened::of(&Source::Path(c.clone())) else { return false };
        t.fits(&o.head) && (o.compressed || o.size >= t.offset)
    })
}

/// The plan for reading the rest of entry `t` from `path`.
pub fn plan_tail(path: &std::path::Path, t: &Tracked, entry: usize) -> Planned {
    let Some(o) = Opened::of(&Source::Path(path.to_path_buf())) else { return Planned::default() };
    let mut p = Planned { dev: o.dev, ino: o.ino, head: o.head.clone(), ..Default::default() };
    p.resume(t, entry);
    p.whole_lines(&o);
    p
}

impl Tracked {
    /// Whether a file starting with `head` (decompressed) is this entry's
    /// file: its fingerprint matches.
    fn fits(&self, head: &[u8]) -> bool {
        self.fp_len > 0 && self.fp_len as usize <= head.len() && fnv1a(&head[..self.fp_len as usize]) == self.fp
    }
}

impl Planned {
    /// Continue tracked entry `t` (number `entry`) where it was left.
    fn resume(&mut self, t: &Tracked, entry: usize) {
        self.resumed = Some(entry);
        self.span.skip = t.offset;
        self.span.line_base = t.lines;
        self.format = Some(t.format.clone());
        self.span.format = crate::format::presets::preset(&t.format);
    }

    /// Plain files: read whole lines only, up to the last newline (a line
    /// still being written is left for the next run).
    fn whole_lines(&mut self, o: &Opened) {
        if !o.compressed {
            let end = last_newline_end(&o.file, o.size, self.span.skip);
            self.span.limit = Some(end.saturating_sub(self.span.skip));
        }
    }
}
