//! Log-linear histograms for latencies (µs) and sizes (bytes).
//!
//! The bucket layout is HDR Histogram's at two significant digits: values
//! below 128 have a bucket each (exact); above, every power of two is split
//! into 64 equal buckets, so a bucket is at most 1/64 of its lower bound
//! wide. A percentile is reported as the middle of the bucket holding the
//! nearest-rank value, clamped to the exact minimum and maximum, so it is
//! within 1/128 (0.78 %) of the exact nearest-rank percentile; the maximum is
//! exact. (`tests/latency.rs` checks this against a sorted list and against
//! the `hdrhistogram` crate.)
//!
//! Why not `hdrhistogram::Histogram` itself: its counts array is dense from
//! zero up to the largest value (~14–27 KB for 1 ms–1 h), fine for a few
//! histograms but not for one per route and per window. A [`Hist`] stores only
//! the span of buckets between its smallest and largest value (8 bytes per
//! bucket; a route whose requests take 1 ms–10 s spans ~850 buckets, 7 KB; a
//! route with one request, one bucket). Merging adds counts bucket by bucket,
//! so it is exact, associative and order-independent.

use serde::{Deserialize, Serialize};

/// Values below this have their own bucket.
const EXACT: u64 = 128;
/// Buckets per power of two above [`EXACT`].
const SUB: u64 = 64;

/// Bucket index of a value.
#[inline]
pub fn index(v: u64) -> u32 {
    if v < EXACT {
        v as u32
    } else {
        let e = 63 - v.leading_zeros() as u64; // floor(log2 v) >= 7
        let shift = e - 6;
        (EXACT + (shift - 1) * SUB + ((v >> shift) - SUB)) as u32
    }
}

/// Smallest and largest value of bucket `i`.
pub fn bounds(i: u32) -> (u64, u64) {
    let i = i as u64;
    if i < EXACT {
        (i, i)
    } else {
        let shift = (i - EXACT) / SUB + 1;
        let low = ((i - EXACT) % SUB + SUB) << shift;
        (low, low + ((1u64 << shift) - 1))
    }
}

/// Percentiles reported, in ten-thousandths: p50, p90, p99, p99.9.
pub const QUANTILES: [u64; 4] = [5_000, 9_000, 9_900, 9_990];

/// A histogram; 8 bytes until its first value (most routes of a log
/// without timings never get one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hist(Option<Box<Inner>>);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Inner {
    /// Index of `counts[0]`.
    lo: u32,
    counts: Vec<u64>,
    count: u64,
    min: u64,
    max: u64,
}

impl Hist {
    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Values recorded.
    pub fn count(&self) -> u64 {
        self.0.as_ref().map_or(0, |h| h.count)
    }

    /// The exact largest value (0 when empty).
    pub fn max(&self) -> u64 {
        self.0.as_ref().map_or(0, |h| h.max)
    }

    /// Record one value.
    #[inline(always)]
    pub fn record(&mut self, v: u64) {
        let i = index(v);
        match &mut self.0 {
            Some(h) => {
                let at = i.wrapping_sub(h.lo) as usize;
                h.count += 1;
                h.min = h.min.min(v);
                h.max = h.max.max(v);
                match h.counts.get_mut(at) {
                    Some(c) => *c += 1,
                    None => h.widen_and_add(i),
                }
            }
            None => self.first(i, v),
        }
    }

    /// Record the first value (allocates).
    #[cold]
    #[inline(never)]
    fn first(&mut self, i: u32, v: u64) {
        self.0 = Some(Box::new(Inner { lo: i, counts: vec![1], count: 1, min: v, max: v }));
    }

    /// Add every value of `o` (exact: buckets add).
    pub fn merge(&mut self, o: &Hist) {
        let Some(o) = &o.0 else { return };
        let Some(h) = &mut self.0 else {
            self.0 = Some(o.clone());
            return;
        };
        h.slot(o.lo);
        h.slot(o.lo + o.counts.len() as u32 - 1);
        let off = (o.lo - h.lo) as usize;
        for (a, b) in h.counts[off..].iter_mut().zip(&o.counts) {
            *a += b;
        }
        h.count += o.count;
        h.min = h.min.min(o.min);
        h.max = h.max.max(o.max);
    }

    /// Nearest-rank value at `q` ten-thousandths (see the module docs), or
    /// `None` when empty.
    pub fn quantile(&self, q: u64) -> Option<u64> {
        let h = self.0.as_ref()?;
        let rank = ((h.count as u128 * q as u128).div_ceil(10_000) as u64).max(1);
        let mut seen = 0u64;
        for (k, &c) in h.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (low, high) = bounds(h.lo + k as u32);
                let mid = low + (high - low) / 2;
                return Some(mid.clamp(h.min, h.max));
            }
        }
        Some(h.max)
    }

    /// p50, p90, p99, p99.9 and max, or `None` when empty.
    pub fn summary(&self) -> Option<[u64; 5]> {
        let mut out = [0; 5];
        for (o, q) in out.iter_mut().zip(QUANTILES) {
            *o = self.quantile(q)?;
        }
        out[4] = self.max();
        Some(out)
    }

    /// Whether the internals are consistent (for histograms read from a
    /// state file that may have been tampered with).
    pub fn is_valid(&self) -> bool {
        let Some(h) = &self.0 else { return true };
        let (Some(&first), Some(&last)) = (h.counts.first(), h.counts.last()) else { return false };
        let end = h.lo as u64 + h.counts.len() as u64 - 1;
        first > 0
            && last > 0
            && end <= index(u64::MAX) as u64
            && h.min <= h.max
            && index(h.min) == h.lo
            && index(h.max) as u64 == end
            && h.counts.iter().try_fold(0u64, |a, &c| a.checked_add(c)) == Some(h.count)
    }

    /// Buckets held (memory is 8 bytes each).
    pub fn span(&self) -> usize {
        self.0.as_ref().map_or(0, |h| h.counts.len())
    }
}

impl Inner {
    /// Count one value in bucket `i`, outside the span held so far.
    #[cold]
    fn widen_and_add(&mut self, i: u32) {
        let at = self.slot(i);
        self.counts[at] += 1;
    }

    /// Position of bucket `i` in `counts`, widening the span to hold it.
    fn slot(&mut self, i: u32) -> usize {
        if i < self.lo {
            let grow = (self.lo - i) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.lo = i;
            0
        } else {
            let at = (i - self.lo) as usize;
            if at >= self.counts.len() {
                self.counts.resize(at + 1, 0);
            }
            at
        }
    }
}

/// Which duration feeds the per-class, per-route and per-window histograms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    /// `request_time` when the line has one, else `upstream_time`.
    #[default]
    Auto,
    /// `request_time` only.
    Request,
    /// `upstream_time` only.
    Upstream,
}

impl Metric {
    /// The metric's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Auto => "auto",
            Metric::Request => "request_time",
            Metric::Upstream => "upstream_time",
        }
    }

    #[inline]
    /// The duration this metric takes from a record's two.
    pub fn pick(self, request: Option<u64>, upstream: Option<u64>) -> Option<u64> {
        match self {
            Metric::Auto => request.or(upstream),
            Metric::Request => request,
            Metric::Upstream => upstream,
        }
    }
}

/// Run-wide histograms: both durations, the chosen one by status class, and
/// sizes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    /// `request_time` of every request that logged it.
    pub request: Hist,
    /// `upstream_time` of every request that logged it.
    pub upstream: Hist,
    /// The [`Metric`] by status class (see `CLASSES`).
    pub class: [Hist; 6],
    /// Response body bytes by status class (overall: [`Timing::body`]).
    pub body_class: [Hist; 6],
    /// Request sizes, when logged.
    pub request_length: Hist,
}

impl Timing {
    /// Record one counted request: both durations, the chosen one (`latency`)
    /// and the body size by class, the request length.
    #[inline]
    pub fn record(&mut self, rec: &crate::parse::Record, class: usize, latency: Option<u64>) {
        if let Some(us) = rec.request_time_us {
            self.request.record(us);
        }
        if let Some(us) = rec.upstream_time_us {
            self.upstream.record(us);
        }
        if let Some(us) = latency {
            self.class[class].record(us);
        }
        self.body_class[class].record(rec.bytes);
        if let Some(n) = rec.request_length {
            self.request_length.record(n);
        }
    }

    /// Response body bytes of every request: the classes merged.
    pub fn body(&self) -> Hist {
        let mut h = Hist::default();
        self.body_class.iter().for_each(|c| h.merge(c));
        h
    }

    /// Add `o`.
    pub fn merge(&mut self, o: &Timing) {
        self.request.merge(&o.request);
        self.upstream.merge(&o.upstream);
        self.request_length.merge(&o.request_length);
        for (a, b) in self.class.iter_mut().zip(&o.class) {
            a.merge(b);
        }
        for (a, b) in self.body_class.iter_mut().zip(&o.body_class) {
            a.merge(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_tile_the_range() {
        let mut next = 0u64;
        for i in 0..index(u64::MAX) {
            let (lo, hi) = bounds(i);
            assert_eq!(lo, next, "bucket {i}");
            assert!(hi >= lo);
            if lo >= EXACT {
                assert!((hi - lo + 1) * SUB <= lo, "bucket {i} too wide");
            }
            assert_eq!(index(lo), i);
            assert_eq!(index(hi), i);
            next = hi + 1;
        }
        assert_eq!(bounds(index(u64::MAX)).1, u64::MAX);
    }

    #[test]
    fn merge_equals_recording_all() {
        let vals: Vec<u64> = (0..5000u64).map(|i| (i * 7919) % 100_003 + i / 3).collect();
        let mut all = Hist::default();
        vals.iter().for_each(|v| all.record(*v));
        let (mut a, mut b) = (Hist::default(), Hist::default());
        for (k, v) in vals.iter().enumerate() {
            if k % 3 == 0 { a.record(*v) } else { b.record(*v) }
        }
        let mut ab = a.clone();
        ab.merge(&b);
        b.merge(&a);
        assert_eq!(ab.summary(), all.summary());
        assert_eq!(b.summary(), all.summary());
        assert_eq!(ab.count(), 5000);
    }
}
