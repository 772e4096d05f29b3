//! Byte search tuned for the short fields of a log line.
//!
//! Most fields are a few to a few dozen bytes long. `memchr` is built for
//! long haystacks: each call goes through a function pointer chosen at run
//! time and sets up 32-byte vectors, which on a 10-byte field costs more
//! than the search (the memchr family was ~13% of a one-thread run). These
//! inline searches look at the first 16 bytes with SSE2, which every
//! x86-64 processor has, then 64 bytes per step with one branch (long
//! user agents and referrers: 16 per step was 9% of a run in
//! `closing_quote`), and finish with one overlapping load instead of a
//! byte loop; past [`LONG`] bytes they hand over to `memchr`. Other
//! architectures use `memchr` throughout.

/// Bytes searched inline before handing over to `memchr`.
pub const LONG: usize = 512;

/// Position of the first `a` in `hay`.
#[inline(always)]
pub fn find1(hay: &[u8], a: u8) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::find(hay, a, a)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        memchr::memchr(a, hay)
    }
}

/// Position of the first `a` or `b` in `hay`.
#[inline(always)]
pub fn find2(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::find(hay, a, b)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        memchr::memchr2(a, b, hay)
    }
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};

    /// Bit i set where byte i of `hay[at..at + 16]` is `a` or `b`.
    ///
    /// # Safety
    /// `at + 16 <= hay.len()`.
    #[inline(always)]
    unsafe fn mask(hay: &[u8], at: usize, a: __m128i, b: __m128i) -> u32 {
        debug_assert!(at + 16 <= hay.len());
        // SAFETY: the caller guarantees 16 readable bytes at `at`; SSE2 is
        // part of the x86-64 baseline, and loadu has no alignment demand.
        unsafe {
            let v = _mm_loadu_si128(hay.as_ptr().add(at) as *const __m128i);
            _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b))) as u32
        }
    }

    /// Bit i set where byte i of `hay[at..at + 64]` is `a` or `b`, and
    /// whether any is: four loads, one branch.
    ///
    /// # Safety
    /// `at + 64 <= hay.len()`.
    #[inline(always)]
    unsafe fn mask64(hay: &[u8], at: usize, a: __m128i, b: __m128i) -> u64 {
        debug_assert!(at + 64 <= hay.len());
        // SAFETY: as `mask`, for four 16-byte loads inside `hay`.
        unsafe {
            let p = hay.as_ptr().add(at) as *const __m128i;
            let eq = |v: __m128i| _mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b));
            let (e0, e1, e2, e3) = (
                eq(_mm_loadu_si128(p)),
                eq(_mm_loadu_si128(p.add(1))),
                eq(_mm_loadu_si128(p.add(2))),
                eq(_mm_loadu_si128(p.add(3))),
            );
            if _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(e0, e1), _mm_or_si128(e2, e3))) == 0 {
                return 0;
            }
            let m = |e: __m128i| _mm_movemask_epi8(e) as u16 as u64;
            m(e0) | m(e1) << 16 | m(e2) << 32 | m(e3) << 48
        }
    }

    #[inline(always)]
    pub(super) fn find(hay: &[u8], a: u8, b: u8) -> Option<usize> {
        let n = hay.len();
        if n < 16 {
            return hay.iter().position(|&c| c == a || c == b);
        }
        // SAFETY (for every `mask`/`mask64` call below): each offset is
        // checked to leave 16 (64) bytes inside `hay`.
        let (va, vb) = unsafe { (_mm_set1_epi8(a as i8), _mm_set1_epi8(b as i8)) };
        // Short fields end in the first 16 bytes.
        let m = unsafe { mask(hay, 0, va, vb) };
        if m != 0 {
            return Some(m.trailing_zeros() as usize);
        }
        let mut i = 16;
        // Long ones (agents, referrers) go 64 bytes per step.
        while i + 64 <= n {
            if i >= super::LONG {
                let rest = &hay[i..];
                let hit = if a == b { memchr::memchr(a, rest) } else { memchr::memchr2(a, b, rest) };
                return hit.map(|p| p + i);
            }
            let m = unsafe { mask64(hay, i, va, vb) };
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
            i += 64;
        }
        while i + 16 <= n {
            let m = unsafe { mask(hay, i, va, vb) };
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
            i += 16;
        }
        if i < n {
            // The last bytes: one load ending at the end of `hay`, with the
            // bytes already searched shifted out.
            let m = unsafe { mask(hay, n - 16, va, vb) } >> (i - (n - 16));
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{find1, find2};

    #[test]
    fn agrees_with_memchr() {
        let mut hay = Vec::new();
        for len in 0usize..700 {
            for at in [None, Some(0), Some(len / 2), Some(len / 3), Some(79), Some(144), Some(len.saturating_sub(1))] {
                hay.clear();
                hay.resize(len, b'x');
                if let Some(p) = at.filter(|p| *p < len) {
                    hay[p] = b'"';
                    if p + 3 < len {
                        hay[p + 3] = b'\\';
                    }
                }
                assert_eq!(find1(&hay, b'"'), memchr::memchr(b'"', &hay), "{len} {at:?}");
                assert_eq!(find1(&hay, b'\\'), memchr::memchr(b'\\', &hay), "{len} {at:?}");
                assert_eq!(find2(&hay, b'\\', b'"'), memchr::memchr2(b'\\', b'"', &hay), "{len} {at:?}");
                assert_eq!(find2(&hay, b'y', b'z'), None);
            }
        }
    }
}
