//! Cutting bytes into chunks that end just after a `\n`, without copying.

use memchr::memchr;

/// Default chunk size: large enough to amortise scheduling, small enough to
/// balance two workers and stay cache-friendly.
pub const CHUNK_BYTES: usize = 2 << 20;

/// Split `data` into pieces of about `target` bytes, each ending after a
/// newline (the last piece may end without one). Lines are never split.
pub fn split(data: &[u8], target: usize) -> Vec<&[u8]> {
    let target = target.max(1);
    let mut out = Vec::with_capacity(data.len() / target + 1);
    let mut start = 0;
    while start < data.len() {
        let want = start + target;
        if want >= data.len() {
            out.push(&data[start..]);
            break;
        }
        let end = match memchr(b'\n', &data[want..]) {
            Some(i) => want + i + 1,
            None => data.len(),
        };
        out.push(&data[start..end]);
        start = end;
    }
    out
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
            let parts = split(data, t);
            assert_eq!(parts.concat(), data.to_vec());
            for p in &parts[..parts.len() - 1] {
                assert_eq!(p.last(), Some(&b'\n'));
            }
        }
        assert!(split(b"", 4).is_empty());
        assert_eq!(count_lines(data), 4);
        assert_eq!(count_lines(b"a\n"), 1);
        assert_eq!(count_lines(b"\n\n"), 2);
        assert_eq!(count_lines(b""), 0);
    }
}
