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
        sse2::find(hay, a, a, a)
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
        sse2::find(hay, a, b, b)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        memchr::memchr2(a, b, hay)
    }
}

/// Position of the first `a`, `b` or `c` in `hay` (a field's end or the
/// line's `\n`, when the line's end is not known yet).
#[inline(always)]
pub fn find3(hay: &[u8], a: u8, b: u8, c: u8) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::find(hay, a, b, c)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        memchr::memchr3(a, b, c, hay)
    }
}

/// Bit i set where byte i of the first 32 bytes of `hay` is `a`, `b` or
/// `c`: several short fields' ends from two loads. `None` when `hay` is
/// shorter (or off x86-64).
#[inline(always)]
pub fn mask32(hay: &[u8], a: u8, b: u8, c: u8) -> Option<u32> {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::mask32(hay, a, b, c)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (hay, a, b, c);
        None
    }
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};

    /// The needles, one per lane set; repeated when fewer than three are
    /// searched (the compiler folds the repeated compares away).
    #[derive(Clone, Copy)]
    struct Needles(__m128i, __m128i, __m128i);

    impl Needles {
        /// 0xff in each byte of `v` that is a needle.
        #[inline(always)]
        fn eq(self, v: __m128i) -> __m128i {
            // SAFETY: SSE2 is part of the x86-64 baseline.
            unsafe {
                _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(v, self.0), _mm_cmpeq_epi8(v, self.1)),
                    _mm_cmpeq_epi8(v, self.2),
                )
            }
        }
    }

    /// Bit i set where byte i of `hay[at..at + 16]` is a needle.
    ///
    /// # Safety
    /// `at + 16 <= hay.len()`.
    #[inline(always)]
    unsafe fn mask(hay: &[u8], at: usize, n: Needles) -> u32 {
        debug_assert!(at + 16 <= hay.len());
        // SAFETY: the caller guarantees 16 readable bytes at `at`; SSE2 is
        // part of the x86-64 baseline, and loadu has no alignment demand.
        unsafe {
            let v = _mm_loadu_si128(hay.as_ptr().add(at) as *const __m128i);
            _mm_movemask_epi8(n.eq(v)) as u32
        }
    }

    /// Bit i set where byte i of `hay[at..at + 64]` is a needle, and
    /// whether any is: four loads, one branch.
    ///
    /// # Safety
    /// `at + 64 <= hay.len()`.
    #[inline(always)]
    unsafe fn mask64(hay: &[u8], at: usize, n: Needles) -> u64 {
        debug_assert!(at + 64 <= hay.len());
        // SAFETY: as `mask`, for four 16-byte loads inside `hay`.
        unsafe {
            let p = hay.as_ptr().add(at) as *const __m128i;
            let eq = |v: __m128i| n.eq(v);
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
    pub(super) fn mask32(hay: &[u8], a: u8, b: u8, c: u8) -> Option<u32> {
        if hay.len() < 32 {
            return None;
        }
        // SAFETY: SSE2 is part of the x86-64 baseline; 32 bytes checked.
        unsafe {
            let nd = Needles(_mm_set1_epi8(a as i8), _mm_set1_epi8(b as i8), _mm_set1_epi8(c as i8));
            Some(mask(hay, 0, nd) | mask(hay, 16, nd) << 16)
        }
    }

    #[inline(always)]
    pub(super) fn find(hay: &[u8], a: u8, b: u8, c: u8) -> Option<usize> {
        let n = hay.len();
        if n < 16 {
            return hay.iter().position(|&x| x == a || x == b || x == c);
        }
        // SAFETY (for every `mask`/`mask64` call below): each offset is
        // checked to leave 16 (64) bytes inside `hay`.
        let nd = unsafe { Needles(_mm_set1_epi8(a as i8), _mm_set1_epi8(b as i8), _mm_set1_epi8(c as i8)) };
        // Short fields end in the first 16 bytes.
        let m = unsafe { mask(hay, 0, nd) };
        if m != 0 {
            return Some(m.trailing_zeros() as usize);
        }
        let mut i = 16;
        // Long ones (agents, referrers) go 64 bytes per step.
        while i + 64 <= n {
            if i >= super::LONG {
                let rest = &hay[i..];
                let hit = if a == b && b == c {
                    memchr::memchr(a, rest)
                } else if b == c {
                    memchr::memchr2(a, b, rest)
                } else {
                    memchr::memchr3(a, b, c, rest)
                };
                return hit.map(|p| p + i);
            }
            let m = unsafe { mask64(hay, i, nd) };
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
            i += 64;
        }
        while i + 16 <= n {
            let m = unsafe { mask(hay, i, nd) };
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
            i += 16;
        }
        if i < n {
            // The last bytes: one load ending at the end of `hay`, with the
            // bytes already searched shifted out.
            let m = unsafe { mask(hay, n - 16, nd) } >> (i - (n - 16));
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{find1, find2, find3, mask32};

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
                    if p + 5 < len {
                        hay[p + 5] = b'\n';
                    }
                }
                assert_eq!(find1(&hay, b'"'), memchr::memchr(b'"', &hay), "{len} {at:?}");
                assert_eq!(find1(&hay, b'\\'), memchr::memchr(b'\\', &hay), "{len} {at:?}");
                assert_eq!(find2(&hay, b'\\', b'"'), memchr::memchr2(b'\\', b'"', &hay), "{len} {at:?}");
                assert_eq!(find2(&hay, b'y', b'z'), None);
                assert_eq!(find3(&hay, b'\n', b'\\', b'"'), memchr::memchr3(b'\n', b'\\', b'"', &hay), "{len} {at:?}");
                assert_eq!(find3(&hay, b'"', b'y', b'z'), memchr::memchr(b'"', &hay), "{len} {at:?}");
                let want = hay.iter().take(32).enumerate().filter(|&(_, &x)| matches!(x, b'\n' | b'\\' | b'"'));
                match mask32(&hay, b'\n', b'\\', b'"') {
                    Some(m) => assert_eq!(m, want.map(|(i, _)| 1u32 << i).sum::<u32>(), "{len} {at:?}"),
                    None => assert!(len < 32 || cfg!(not(target_arch = "x86_64")), "{len}"),
                }
            }
        }
    }
}
