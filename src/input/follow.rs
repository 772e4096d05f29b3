//! Following a growing file (`--follow`): read what is appended, across
//! rename rotation and copytruncate, and hand on complete lines only.
//!
//! A [`Followed`] file is re-read whenever the caller asks (after an
//! inotify event or a poll tick, see [`super::watch`]). After each read to
//! the end it checks the path: another file there means the log was
//! rotated by rename (the old file was read to its end; it is still
//! drained for [`DRAIN`] in case the writer has not reopened yet, and the
//! new file is followed from its start); the same file shorter than what
//! was read means copytruncate (followed again from its start).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a rotated-away file is still read after a new file took its
/// name: writers (nginx after `USR1`, Apache after a graceful restart) keep
/// writing to the old file until they reopen.
pub const DRAIN: Duration = Duration::from_secs(5);

/// Bytes handed on per read call at most, so one huge append is processed
/// in bounded steps.
const STEP: usize = 4 << 20;

/// Something that happened to a followed path, for a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new file took the name; the old one was read to its end.
    Rotated,
    /// The file got shorter than what had been read (copytruncate).
    Truncated {
        /// Bytes read before the truncation.
        was: u64,
    },
    /// The name no longer exists (moved or deleted); the open file is still read.
    Gone,
    /// A line longer than the limit was cut (its start is passed on as a line).
    Overlong,
}

/// One open generation of a followed file.
struct Generation {
    file: File,
    id: (u64, u64),
    /// Bytes read from this file.
    offset: u64,
    /// The unterminated end of what was read.
    partial: Vec<u8>,
    /// Drop bytes up to the first newline (started inside a line, or
    /// inside an overlong one).
    skip_line: bool,
}

impl Generation {
    /// Read to the end (at most about `STEP` bytes), appending complete
    /// lines to `out`. Returns whether anything was read.
    fn read(
        &mut self,
        out: &mut Vec<u8>,
        buf: &mut [u8],
        max_line: usize,
        changes: &mut Vec<Change>,
    ) -> std::io::Result<bool> {
        let start = out.len();
        let mut any = false;
        while out.len() - start < STEP {
            let n = match self.file.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            any = true;
            self.offset += n as u64;
            let mut data = &buf[..n];
            if self.skip_line {
                match memchr::memchr(b'\n', data) {
                    Some(i) => {
                        self.skip_line = false;
                        data = &data[i + 1..];
                    }
                    None => continue,
                }
            }
            match memchr::memrchr(b'\n', data) {
                Some(i) => {
                    out.extend_from_slice(&self.partial);
                    self.partial.clear();
                    out.extend_from_slice(&data[..=i]);
                    self.partial.extend_from_slice(&data[i + 1..]);
                }
                None => self.partial.extend_from_slice(data),
            }
            if self.partial.len() > max_line {
                // Hand on the start (it is counted as too long) and skip the rest.
                out.extend_from_slice(&self.partial);
                out.push(b'\n');
                self.partial.clear();
                self.skip_line = true;
                changes.push(Change::Overlong);
            }
        }
        Ok(any)
    }

    /// The unterminated end, as a line (the file will not grow any more).
    fn flush(&mut self, out: &mut Vec<u8>) {
        if !self.partial.is_empty() && !self.skip_line {
            out.extend_from_slice(&self.partial);
            out.push(b'\n');
        }
        self.partial.clear();
    }
}

/// A file being followed.
pub struct Followed {
    path: PathBuf,
    cur: Generation,
    /// The file the name pointed to before a rotation, read until quiet.
    old: Option<(Generation, Instant)>,
    /// The name was missing at the last check.
    gone: bool,
    max_line: usize,
}

fn id(m: &std::fs::Metadata) -> (u64, u64) {
    (m.dev(), m.ino())
}

impl Followed {
    /// Open `path`; unless `from_start`, position at its end (after the
    /// last complete line: a line being written is skipped to its end).
    /// Lines longer than `max_line` are cut.
    pub fn open(path: &Path, from_start: bool, max_line: usize) -> std::io::Result<Followed> {
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(std::io::Error::from_raw_os_error(libc::EISDIR));
        }
        if !meta.is_file() {
            return Err(std::io::Error::other("not a regular file: --follow reads files that grow"));
        }
        let mut magic = [0u8; 4];
        let got = std::os::unix::fs::FileExt::read_at(&file, &mut magic, 0).unwrap_or(0);
        if super::decompress::Compression::sniff(&magic[..got]) != super::decompress::Compression::None {
            return Err(std::io::Error::other("compressed: --follow reads plain files that grow"));
        }
        let (mut offset, mut skip_line) = (0, false);
        if !from_start && meta.len() > 0 {
            offset = meta.len();
            let mut last = [0u8; 1];
            std::os::unix::fs::FileExt::read_exact_at(&file, &mut last, offset - 1)?;
            skip_line = last[0] != b'\n';
            file.seek(SeekFrom::Start(offset))?;
        }
        let cur = Generation { file, id: id(&meta), offset, partial: Vec::new(), skip_line };
        Ok(Followed { path: path.to_path_buf(), cur, old: None, gone: false, max_line })
    }

    /// The path followed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The first bytes of the current file (for format detection).
    pub fn head(&self, n: usize) -> Vec<u8> {
        let mut buf = vec![0u8; n];
        let mut got = 0;
        while got < n {
            match std::os::unix::fs::FileExt::read_at(&self.cur.file, &mut buf[got..], got as u64) {
                Ok(0) | Err(_) => break,
                Ok(k) => got += k,
            }
        }
        buf.truncate(got);
        buf
    }

    /// Read what was appended since the last call, appending complete lines
    /// to `out` and what happened to the name to `changes`. `buf` is scratch.
    pub fn read(&mut self, out: &mut Vec<u8>, buf: &mut [u8], changes: &mut Vec<Change>) -> std::io::Result<()> {
        if let Some((g, since)) = &mut self.old {
            if g.read(out, buf, self.max_line, changes)? {
                *since = Instant::now();
            } else if since.elapsed() >= DRAIN {
                g.flush(out);
                self.old = None;
            }
        }
        self.cur.read(out, buf, self.max_line, changes)?;
        match std::fs::metadata(&self.path) {
            Ok(m) if id(&m) != self.cur.id => {
                // Rotated: a new file has the name. Open it first; if it
                // went away again, look next time.
                let Ok(file) = File::open(&self.path) else { return Ok(()) };
                let Ok(meta) = file.metadata() else { return Ok(()) };
                let new = Generation { file, id: id(&meta), offset: 0, partial: Vec::new(), skip_line: false };
                let mut prev = std::mem::replace(&mut self.cur, new);
                if let Some((mut older, _)) = self.old.take() {
                    older.flush(out);
                }
                prev.read(out, buf, self.max_line, changes)?;
                self.old = Some((prev, Instant::now()));
                self.gone = false;
                changes.push(Change::Rotated);
                self.cur.read(out, buf, self.max_line, changes)?;
            }
            Ok(m) if m.len() < self.cur.offset => {
                changes.push(Change::Truncated { was: self.cur.offset });
                self.cur.flush(out);
                self.cur.file.seek(SeekFrom::Start(0))?;
                self.cur.offset = 0;
                self.cur.skip_line = false;
                self.cur.read(out, buf, self.max_line, changes)?;
            }
            Ok(_) => self.gone = false,
            Err(_) if !self.gone => {
                self.gone = true;
                changes.push(Change::Gone);
            }
            Err(_) => {}
        }
        Ok(())
    }

    /// The parent directory to watch for changes to this file.
    pub fn dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(f: &mut Followed) -> (Vec<u8>, Vec<Change>) {
        let (mut out, mut ch, mut buf) = (Vec::new(), Vec::new(), vec![0u8; 64]);
        f.read(&mut out, &mut buf, &mut ch).unwrap();
        (out, ch)
    }

    fn append(p: &Path, s: &str) {
        std::fs::OpenOptions::new().append(true).create(true).open(p).unwrap().write_all(s.as_bytes()).unwrap();
    }

    #[test]
    fn starts_at_the_end_after_a_partial_line() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.log");
        append(&p, "old 1\nold 2\nhalf");
        let mut f = Followed::open(&p, false, 1 << 20).unwrap();
        assert_eq!(read_all(&mut f).0, b"");
        append(&p, " done\nnew 1\nnew");
        assert_eq!(read_all(&mut f).0, b"new 1\n");
        append(&p, " 2\n");
        assert_eq!(read_all(&mut f).0, b"new 2\n");
        let mut g = Followed::open(&p, true, 1 << 20).unwrap();
        assert_eq!(read_all(&mut g).0, b"old 1\nold 2\nhalf done\nnew 1\nnew 2\n");
    }

    #[test]
    fn rename_rotation_reads_the_old_file_to_its_end_then_the_new_one() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.log");
        append(&p, "");
        let mut f = Followed::open(&p, false, 1 << 20).unwrap();
        append(&p, "1\n2\n");
        assert_eq!(read_all(&mut f).0, b"1\n2\n");
        append(&p, "3\nunterminated");
        std::fs::rename(&p, d.path().join("a.log.1")).unwrap();
        let (out, ch) = read_all(&mut f);
        assert_eq!((out.as_slice(), ch.as_slice()), (&b"3\n"[..], &[Change::Gone][..]));
        append(&p, "4\n");
        // The writer has not reopened yet: it still writes to the old file.
        append(&d.path().join("a.log.1"), " end\n");
        let (out, ch) = read_all(&mut f);
        assert_eq!(ch, [Change::Rotated]);
        assert_eq!(out, b"unterminated end\n4\n");
    }

    #[test]
    fn copytruncate_is_followed_from_the_start() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.log");
        append(&p, "x\n");
        let mut f = Followed::open(&p, false, 1 << 20).unwrap();
        append(&p, "1\n2\n");
        assert_eq!(read_all(&mut f).0, b"1\n2\n");
        std::fs::OpenOptions::new().write(true).open(&p).unwrap().set_len(0).unwrap();
        append(&p, "3\n");
        let (out, ch) = read_all(&mut f);
        assert_eq!(ch, [Change::Truncated { was: 6 }]);
        assert_eq!(out, b"3\n");
    }

    #[test]
    fn an_overlong_line_is_cut_and_the_rest_skipped() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.log");
        append(&p, "");
        let mut f = Followed::open(&p, false, 100).unwrap();
        append(&p, &format!("{}\nok\n", "y".repeat(500)));
        let (out, ch) = read_all(&mut f);
        assert_eq!(ch, [Change::Overlong]);
        let lines: Vec<&[u8]> = out.split(|&b| b == b'\n').collect();
        assert!(lines[0].len() > 100 && lines[0].len() < 500, "{}", lines[0].len());
        assert_eq!(&lines[1..], [&b"ok"[..], b""]);
    }

    #[test]
    fn refuses_what_cannot_grow() {
        let d = tempfile::tempdir().unwrap();
        assert!(Followed::open(d.path(), false, 100).is_err());
        let gz = d.path().join("a.gz");
        std::fs::write(&gz, [0x1f, 0x8b, 8, 0]).unwrap();
        let e = Followed::open(&gz, false, 100).err().unwrap();
        assert!(e.to_string().contains("compressed"), "{e}");
    }
}
