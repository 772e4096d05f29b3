//! Inputs: each argument (a path or `-`) becomes bytes — a memory map for
//! regular files, a stream for stdin and everything else.

pub mod chunk;
pub mod decompress;
pub mod follow;
pub mod glob;
pub mod mmap;
pub mod prefetch;
pub mod watch;

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use crate::error::InputError;
use decompress::Compression;

#[derive(Clone, Debug, PartialEq, Eq)]
/// An input as named on the command line.
pub enum Source {
    /// Standard input (`-`, or nothing named).
    Stdin,
    /// A file.
    Path(PathBuf),
}

impl Source {
    /// `-` is stdin; anything else a path.
    pub fn from_arg(arg: &std::ffi::OsStr) -> Source {
        if arg == "-" { Source::Stdin } else { Source::Path(PathBuf::from(arg)) }
    }

    /// The name used in reports and messages (escaped for display by callers).
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "-".to_string(),
            // Escaped like log text: a name may hold control bytes or bytes
            // that are not UTF-8 (shown as `\xHH`).
            Source::Path(p) => crate::text::escape(p.as_os_str().as_encoded_bytes()),
        }
    }
}

/// When to memory-map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MmapPolicy {
    /// Map regular files of at least [`mmap::MIN_MAP_BYTES`]; read the rest.
    Auto,
    /// Map every regular file.
    Always,
    /// Never map; read.
    Never,
}

/// An opened input.
pub enum Opened {
    /// A regular file, memory-mapped and guarded against truncation.
    Mapped(mmap::GuardedMap),
    /// A stream, the compression it was decoded from, and for a plain
    /// regular file its size when opened (a read that ends short of it met
    /// a truncation).
    Stream(Box<dyn Read + Send>, Compression, Option<u64>),
}

/// Open an input: mapped when the policy allows, else a (decompressed) stream.
pub fn open(src: &Source, policy: MmapPolicy) -> Result<Opened, InputError> {
    let path = match src {
        Source::Stdin => {
            let (r, c) = decompress::decode_reader(std::io::stdin())
                .map_err(|source| InputError::Io { path: "-".to_string(), source })?;
            return Ok(Opened::Stream(r, c, None));
        }
        Source::Path(p) => p,
    };
    let name = src.name();
    let io = |source| InputError::Io { path: name.clone(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(InputError::Directory { path: name });
    }
    let file = File::open(path).map_err(io)?;
    if !meta.is_file() {
        // A pipe, FIFO or device (`<(gzip -c …)`, `/dev/stdin`): no
        // positioned reads; the magic bytes come from the stream itself.
        let (r, c) = decompress::decode_reader(file).map_err(io)?;
        return Ok(Opened::Stream(r, c, None));
    }
    let mut magic = [0u8; 4];
    let n = std::os::unix::fs::FileExt::read_at(&file, &mut magic, 0).unwrap_or(0);
    if Compression::sniff(&magic[..n]) != Compression::None {
        let (r, c) = decompress::decode_reader(file).map_err(io)?;
        return Ok(Opened::Stream(r, c, None));
    }
    let want_map = match policy {
        MmapPolicy::Never => false,
        MmapPolicy::Always => meta.is_file() && meta.len() > 0,
        MmapPolicy::Auto => meta.is_file() && meta.len() >= mmap::MIN_MAP_BYTES,
    };
    if want_map {
        // A failed mapping is not an error: fall back to reading.
        if let Ok(m) = file.try_clone().and_then(mmap::map) {
            return Ok(Opened::Mapped(m));
        }
    }
    Ok(Opened::Stream(Box::new(file), Compression::None, Some(meta.len())))
}

/// The last `n` bytes of an input (decompressed), starting at a line
/// boundary: for finding the time of its last lines.
pub fn tail(path: &std::path::Path, n: usize) -> std::io::Result<Vec<u8>> {
    let file = File::open(path)?;
    let mut magic = [0u8; 4];
    let got = std::os::unix::fs::FileExt::read_at(&file, &mut magic, 0).unwrap_or(0);
    let mut buf = Vec::new();
    if Compression::sniff(&magic[..got]) != Compression::None {
        let (mut r, _) = decompress::decode_reader(file)?;
        let mut block = vec![0u8; 1 << 16];
        loop {
            let k = r.read(&mut block)?;
            if k == 0 {
                break;
            }
            buf.extend_from_slice(&block[..k]);
            if buf.len() > 2 * n {
                buf.drain(..buf.len() - n);
            }
        }
    } else {
        let len = file.metadata()?.len();
        let start = len.saturating_sub(n as u64);
        buf.resize((len - start) as usize, 0);
        std::os::unix::fs::FileExt::read_exact_at(&file, &mut buf, start)?;
    }
    if buf.len() >= n {
        let cut = memchr::memchr(b'\n', &buf).map_or(buf.len(), |i| i + 1);
        buf.drain(..cut);
    }
    Ok(buf)
}
