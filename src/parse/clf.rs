//! The start every CLF-family line shares — `client ident user [time]
//! "request" status bytes` — read straight through, without the template
//! interpreter. Formats that begin so (`combined`, `common`, nginx's
//! `main`, `nginx_timed`, `upstreaminfo`, Traefik's CLF) take this path;
//! anything unusual on a line (a `[` in the head, a time that is not the
//! 26-byte CLF form, a status that is not three digits, …) returns `None`
//! and the line is read again by the general parser, which has the last
//! word on every field and on the reason for a refusal. So this path only
//! has to agree with the general one on the lines it accepts
//! (`tests::clf_prefix_agrees` checks that).
//!
//! With `OPEN`, `line` is the rest of a chunk, and the line's end is found
//! on the way ([`super::parse_next`]): each search also stops at `\n`,
//! which no field read here may hold, and "end of line" is a `\n` or
//! `\r\n` as well as the end of `line`. The bytes of a line are then read
//! once, not once to find its end and again to split it.

use super::find::{self, find3};
use super::{Record, ends_at, quote_end, request, time::parse_clf};

/// Parse the common start of `line` into `rec`; the position after the
/// bytes field, or `None` to leave the line to the general parser.
#[inline]
pub(super) fn prefix<'a, const OPEN: bool>(line: &'a [u8], rec: &mut Record<'a>) -> Option<usize> {
    // Three space-ended head fields with no `[` (or `\n`) in them, then
    // `[digit`. (Without `OPEN`, the third needle repeats the second.)
    let nl = if OPEN { b'\n' } else { b'[' };
    let (s1, s2, s3) = head(line, nl)?;
    if line[s1] != b' ' || line[s2] != b' ' || line[s3] != b' ' {
        return None;
    }
    let t = s3 + 2;
    // `[` + 26-byte time + `] "`.
    if line.len() < t + 29 || line[t - 1] != b'[' || !line[t].is_ascii_digit() {
        return None;
    }
    if line[t + 26] != b']' || line[t + 27] != b' ' || line[t + 28] != b'"' {
        return None;
    }
    // A time parse_clf accepts has no `]` in it, so `]` at t + 26 is the
    // first one, where the general parser ends the field (nor a `\n`: it
    // checks each of the 26 bytes).
    let time = parse_clf(&line[t..t + 26]).ok()?;
    let q = t + 29;
    let stop = quote_end::<OPEN>(line, q, Some(b"\" "))?;
    if line.get(stop + 1) != Some(&b' ') {
        return None;
    }
    // Three digits and a space, or leave it.
    let p = stop + 2;
    let st = line.get(p..p + 4)?;
    if !(st[0].is_ascii_digit() && st[1].is_ascii_digit() && st[2].is_ascii_digit() && st[3] == b' ') {
        return None;
    }
    let status = (st[0] - b'0') as u32 * 100 + (st[1] - b'0') as u32 * 10 + (st[2] - b'0') as u32;
    // The size: digits (saturating, as `parse_bytes`) or `-`, up to a space
    // or the end.
    let b = p + 4;
    let (bytes, mut e) = size(line, b);
    if e == b && line.get(b) == Some(&b'-') {
        e += 1;
    }
    if e == b || !(ends_at::<OPEN>(line, e) || line[e] == b' ') {
        return None;
    }

    rec.client = &line[..s1];
    rec.ident = &line[s1 + 1..s2];
    rec.user = &line[s2 + 1..s3];
    rec.time = Some(time);
    let req = &line[q..stop];
    rec.request = req;
    (rec.method, rec.target, rec.protocol) = request::split(req);
    rec.status = Some(status);
    rec.bytes = bytes;
    Some(e)
}

/// The first three of ` `, `[` and `nl` in `line`: when they lie in its
/// first 32 bytes (an IPv4 client, `-`, `-`), from one pair of loads
/// rather than three searches each waiting for the one before.
#[inline(always)]
fn head(line: &[u8], nl: u8) -> Option<(usize, usize, usize)> {
    if let Some(m1) = find::mask32(line, b' ', b'[', nl) {
        // Each with its lowest bit cleared: the third bit is m3's lowest.
        let m2 = m1 & m1.wrapping_sub(1);
        let m3 = m2 & m2.wrapping_sub(1);
        if m3 != 0 {
            let at = |m: u32| m.trailing_zeros() as usize;
            return Some((at(m1), at(m2), at(m3)));
        }
    }
    let s1 = find3(line, b' ', b'[', nl)?;
    let s2 = s1 + 1 + find3(&line[s1 + 1..], b' ', b'[', nl)?;
    let s3 = s2 + 1 + find3(&line[s2 + 1..], b' ', b'[', nl)?;
    Some((s1, s2, s3))
}

/// The digits of `line` from `b`: their value (saturating, as
/// `parse_bytes`) and the position after them. Up to seven digits — every
/// real response size — are read from one 8-byte load without a branch on
/// their count (the digit-by-digit loop, a multiply and an overflow check
/// per digit in a chain, and a mispredicted exit, was ~14% of parsing a
/// combined line); longer runs, and the last bytes of a line that has fewer
/// than 8 left, take that loop.
#[inline(always)]
fn size(line: &[u8], b: usize) -> (u64, usize) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    if let Some(w) = line.get(b..b + 8) {
        // Each byte minus '0': a digit is 0..=9 and nothing else is.
        let x = u64::from_le_bytes(w.try_into().unwrap_or([0; 8])) ^ (ONES * b'0' as u64);
        // The high bit of each byte that is not a digit (no carry crosses
        // bytes: 0x7f + 0x76 < 0x100).
        let non = (((x & (ONES * 0x7f)) + ONES * 0x76) | x) & (ONES * 0x80);
        if non != 0 {
            let n = non.trailing_zeros() as usize / 8;
            if n == 0 {
                return (0, b);
            }
            // The n digits to the top bytes, zeros before them: eight
            // digits, most significant in the lowest byte, combined in
            // pairs, fours, eights.
            let mut v = x << (64 - 8 * n);
            v = (v.wrapping_mul(10) + (v >> 8)) & 0x00ff_00ff_00ff_00ff;
            v = (v.wrapping_mul(100) + (v >> 16)) & 0x0000_ffff_0000_ffff;
            v = (v.wrapping_mul(10_000) + (v >> 32)) & 0xffff_ffff;
            return (v, b + n);
        }
    }
    by_digit(line, b)
}

/// [`size`] one digit at a time: for runs of eight digits or more, the
/// last bytes of a line, and as the tests' reference.
fn by_digit(line: &[u8], b: usize) -> (u64, usize) {
    let mut e = b;
    let mut v = 0u64;
    while let Some(&d) = line.get(e).filter(|d| d.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add((d - b'0') as u64);
        e += 1;
    }
    (v, e)
}

/// After [`prefix`]: ` "referrer" "user agent"` from `e`; the position after
/// the closing quote, or `None` to leave the line to the general parser.
#[inline]
pub(super) fn agent_tail<'a, const OPEN: bool>(line: &'a [u8], e: usize, rec: &mut Record<'a>) -> Option<usize> {
    if line.get(e..e + 2) != Some(b" \"") {
        return None;
    }
    let r = e + 2;
    let r_end = quote_end::<OPEN>(line, r, Some(b"\" \""))?;
    if line.get(r_end..r_end + 3) != Some(b"\" \"") {
        return None;
    }
    let u = r_end + 3;
    // Ends at a quote followed by a space or the end, like the general
    // parser's final literal.
    let u_end = quote_end::<OPEN>(line, u, Some(b"\""))?;
    if !(ends_at::<OPEN>(line, u_end + 1) || line[u_end + 1] == b' ') {
        return None;
    }
    rec.referrer = &line[r..r_end];
    rec.user_agent = &line[u..u_end];
    Some(u_end + 1)
}

#[cfg(test)]
mod tests {
    use super::by_digit;
    use proptest::prelude::*;

    #[test]
    fn size_reads_every_digit_count() {
        for n in 0..=24 {
            for tail in [&b""[..], b" ", b"\n", b"\"x", b"/", b":", b"\xff\x80 1"] {
                let mut line = b"200 ".to_vec();
                line.extend((0..n).map(|k| b"9876543210"[k % 10]));
                line.extend_from_slice(tail);
                line.extend_from_slice(b"1 2345678 ");
                for cut in [line.len(), 4 + n + tail.len().min(1), 4 + n] {
                    let l = &line[..cut];
                    assert_eq!(super::size(l, 4), by_digit(l, 4), "{:?}", String::from_utf8_lossy(l));
                }
            }
        }
    }

    /// The three chained searches `head` replaced, kept as its reference.
    fn chained(line: &[u8], nl: u8) -> Option<(usize, usize, usize)> {
        let find = |from: usize| line[from..].iter().position(|&b| b == b' ' || b == b'[' || b == nl).map(|p| from + p);
        let s1 = find(0)?;
        let s2 = find(s1 + 1)?;
        Some((s1, s2, find(s2 + 1)?))
    }

    proptest! {
        #[test]
        fn head_agrees_with_three_searches(
            line in proptest::collection::vec(prop_oneof![6 => proptest::sample::select(b"a1.:".to_vec()), 1 => proptest::sample::select(b" [\n\x00".to_vec())], 0..70),
            open in any::<bool>(),
        ) {
            let nl = if open { b'\n' } else { b'[' };
            prop_assert_eq!(super::head(&line, nl), chained(&line, nl));
        }

        #[test]
        fn size_agrees_with_the_digit_loop(line in proptest::collection::vec(prop_oneof![8 => b'0'..=b'9', 1 => proptest::sample::select(b"/:\x00\x7f\x80\xb9\xba\xff -".to_vec()), 1 => any::<u8>()], 0..30), b in 0usize..30) {
            let b = b.min(line.len());
            prop_assert_eq!(super::size(&line, b), by_digit(&line, b));
        }
    }
}
