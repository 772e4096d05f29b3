//! Transparent decompression, detected by magic bytes (not by extension):
//! gzip (all members of a concatenated file, as `cat a.gz b.gz` or some
//! rotation tools make) and zstd (all frames). Decoders stream; nothing needs
//! the whole file in memory.

use std::io::{BufRead, BufReader, Read};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// How an input is compressed, by its magic bytes.
pub enum Compression {
    /// Plain text.
    None,
    /// gzip (`1f 8b`).
    Gzip,
    /// zstd (`28 b5 2f fd`).
    Zstd,
}

impl Compression {
    /// The compression of a stream that starts with `head`.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// `gzip`, `zstd`, or `None` for plain text.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Compression::None => None,
            Compression::Gzip => Some("gzip"),
            Compression::Zstd => Some("zstd"),
        }
    }
}

/// Wrap a buffered reader in the decoder its first bytes call for.
pub fn decode<R: BufRead + Send + 'static>(mut r: R) -> std::io::Result<(Box<dyn Read + Send>, Compression)> {
    let c = Compression::sniff(r.fill_buf()?);
    let out: Box<dyn Read + Send> = match c {
        Compression::None => Box::new(r),
        // Decoders run a few blocks ahead on their own thread.
        Compression::Gzip => Box::new(super::prefetch::Prefetch::new(Box::new(Explained {
            inner: flate2::bufread::MultiGzDecoder::new(r),
            what: "gzip",
            out: 0,
        }))),
        Compression::Zstd => Box::new(super::prefetch::Prefetch::new(Box::new(Explained {
            inner: zstd::stream::read::Decoder::with_buffer(r)?,
            what: "zstd",
            out: 0,
        }))),
    };
    Ok((out, c))
}

/// A decoder whose errors say what they mean for the reader: decoding stopped
/// at a damaged or cut place, after how much output ("unexpected end of
/// file" alone reads like a bug; it is a truncated file or bytes appended
/// after the compressed data).
struct Explained<R> {
    inner: R,
    what: &'static str,
    out: u64,
}

impl<R: Read> Read for Explained<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.out += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Err(e),
            Err(e) => Err(std::io::Error::new(
                e.kind(),
                format!(
                    "{} data damaged or cut short after {} decompressed bytes (a truncated file, or other bytes after the compressed data): {e}; what came before is counted",
                    self.what, self.out
                ),
            )),
        }
    }
}

/// `decode` for an unbuffered reader. The magic bytes are read first in
/// full (a pipe may deliver fewer than four at once), so a compressed
/// stream through a pipe or FIFO is recognised as reliably as a file.
pub fn decode_reader<R: Read + Send + 'static>(mut r: R) -> std::io::Result<(Box<dyn Read + Send>, Compression)> {
    let mut magic = Vec::with_capacity(4);
    while magic.len() < 4 {
        let mut b = [0u8; 4];
        match r.read(&mut b[..4 - magic.len()]) {
            Ok(0) => break,
            Ok(n) => magic.extend_from_slice(&b[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    decode(BufReader::with_capacity(1 << 20, std::io::Cursor::new(magic).chain(r)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn multi_member_gzip_and_zstd_frames() {
        let gz = |s: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(s).unwrap();
            e.finish().unwrap()
        };
        let cat = [gz(b"one\n"), gz(b"two\n")].concat();
        let (mut r, c) = decode_reader(std::io::Cursor::new(cat)).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!((s.as_str(), c), ("one\ntwo\n", Compression::Gzip));

        let zs = [zstd::encode_all(&b"a\n"[..], 1).unwrap(), zstd::encode_all(&b"b\n"[..], 1).unwrap()].concat();
        let (mut r, c) = decode_reader(std::io::Cursor::new(zs)).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!((s.as_str(), c), ("a\nb\n", Compression::Zstd));

        let (mut r, c) = decode_reader(std::io::Cursor::new(b"plain\n".to_vec())).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!((s.as_str(), c), ("plain\n", Compression::None));
    }
}
