//! Cutting bytes into chunks that end just after a `\n`, without copying.

use memchr::memchr;

/// Default chunk size: large enough to amortise scheduling, small enough to
/// balance two workers and stay cache-friendly.
pub const CHUNK_BYTES: usize = 2 << 20;

/// Split bytes that start at absolute offset `abs` of an input into chunks
/// whose boundaries depend only on absolute offsets: a chunk starting at `s`
/// ends just after the first newline at or after the smallest multiple of
/// `target` above `s`. A mapped file and the same bytes read as a stream in
/// pieces therefore cut into the same chunks. Returns the chunks and the
/// bytes they cover; without `eof`, a trailing piece whose end is not yet
/// known is left for the next call.
pub fn split_aligned(data: &[u8], abs: u64, target: usize, eof: bool) -> (Vec<&[u8]>, usize) {
    let t = target.max(1) as u64;
    let mut out = Vec::new();
    let mut start = 0usize;
    while start < data.len() {
        let here = abs + start as u64;
        let mark = (here / t + 1) * t;
        let rel = (mark - abs) as usize;
        let end = if rel < data.len() { memchr(b'\n', &data[rel..]).map(|i| rel + i + 1) } else { None };
        match end {
            Some(e) => {
                out.push(&data[start..e]);
                start = e;
            }
            None if eof => {
                out.push(&data[start..]);
                start = data.len();
            }
            None => break,
        }
    }
    (out, start)
}

/// Number of lines in `data`: newlines, plus one for a final unterminated line.
pub fn count_lines(data: &[u8]) -> u64 {
    let n = memchr::memchr_iter(b'\n', data).count() as u64;
    n + u64::from(!data.is_empty() && data[data.len() - 1] != b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_end_on_newlines_and_cover_everything() {
        let data = b"aaa\nbb\ncccc\nd";
        for t in 1..20 {
            let (parts, used) = split_aligned(data, 0, t, true);
            assert_eq!((parts.concat(), used), (data.to_vec(), data.len()));
            for p in &parts[..parts.len() - 1] {
                assert_eq!(p.last(), Some(&b'\n'));
            }
        }
        assert!(split_aligned(b"", 0, 4, true).0.is_empty());
        // Aligned chunks are the same whether the bytes come whole or in pieces.
        let text = b"a\nbbbbbbb\ncc\nd\neeeeeeeeeeee\nf\n";
        for t in 1..10 {
            let (whole, n) = split_aligned(text, 0, t, true);
            assert_eq!(n, text.len());
            for piece in 1..text.len() {
                let mut got: Vec<Vec<u8>> = Vec::new();
                let mut abs = 0;
                let mut buf: Vec<u8> = Vec::new();
                for part in text.chunks(piece) {
                    buf.extend_from_slice(part);
                    let eof = abs + buf.len() == text.len();
                    let (cs, used) = split_aligned(&buf, abs as u64, t, eof);
                    got.extend(cs.iter().map(|c| c.to_vec()));
                    buf.drain(..used);
                    abs += used;
                }
                assert_eq!(got, whole.iter().map(|c| c.to_vec()).collect::<Vec<_>>(), "t {t} piece {piece}");
            }
        }
        assert_eq!(count_lines(data), 4);
        assert_eq!(count_lines(b"a\n"), 1);
        assert_eq!(count_lines(b"\n\n"), 2);
        assert_eq!(count_lines(b""), 0);
    }
}
