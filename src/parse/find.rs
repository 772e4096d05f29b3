//! Byte search tuned for the short fields of a log line.
//!
//! Most fields are a few to a few dozen bytes long. `memchr` is built for
//! long haystacks: each call goes through a function pointer chosen at run
//! time and sets up 32-byte vectors, which on a 10-byte field costs more
//! than the search (the memchr family was ~13% of a one-thread run). These
//! inline searches compare 16 bytes at a time with SSE2, which every
//! x86-64 processor has, and finish with one overlapping load instead of a
//! byte loop; past [`LONG`] bytes they hand over to `memchr`. Other
//! architectures use `memchr` throughout.

/// Bytes searched inline before handing over to `memchr`.
pub const LONG: usize = 64;

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

    #[inline(always)]
    pub(super) fn find(hay: &[u8], a: u8, b: u8) -> Option<usize> {
        let n = hay.len();
        if n < 16 {
            return hay.iter().position(|&c| c == a || c == b);
        }
        // SAFETY (for every `mask` call below): each offset is checked to
        // leave 16 bytes inside `hay`.
        let (va, vb) = unsafe { (_mm_set1_epi8(a as i8), _mm_set1_epi8(b as i8)) };
        let mut i = 0;
        while i + 16 <= n {
            let m = unsafe { mask(hay, i, va, vb) };
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
            i += 16;
            if i >= super::LONG && i < n {
                let rest = &hay[i..];
                let hit = if a == b { memchr::memchr(a, rest) } else { memchr::memchr2(a, b, rest) };
                return hit.map(|p| p + i);
            }
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
        for len in 0usize..200 {
            for at in [None, Some(0), Some(len / 2), Some(len.saturating_sub(1))] {
                hay.clear();
                hay.resize(len, b'x');
                if let Some(p) = at.filter(|_| len > 0) {
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
