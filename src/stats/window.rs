//! Time windows: counts per wall-clock window in the display time zone.
//!
//! Buckets are keyed by `floor(wall_seconds / width)`, where wall seconds are
//! the instant shifted by the display zone's offset at that instant, so
//! windows align to local midnight and hours even across DST (a 1d window on a
//! DST day covers 23 or 25 real hours; the repeated fall-back hour shares its
//! wall-clock windows). Without `--window`, buckets start at one minute and
//! coarsen (1m → 1h → 1d) only if a log spans so long that the bucket count
//! would pass [`MAX_BUCKETS`]; the report then rolls buckets up to a width
//! chosen from the time span.

use hashbrown::HashMap;

use super::Counts;
#[cfg(test)]
use super::Hit;

/// Bucket count past which automatic windows coarsen.
pub const MAX_BUCKETS: usize = 100_000;
/// Histogram buckets (8 bytes each; latency and body sizes) all windows may hold together
/// before windows coarsen: 64 MiB. A busy minute spans a few hundred.
pub const MAX_SPANS: usize = 8 << 20;
const LEVELS: [i64; 3] = [60, 3_600, 86_400];

#[derive(Clone, Debug)]
/// Counts per time window, bounded: buckets widen when too many.
pub struct Windows {
    /// Bucket width in seconds.
    pub width: i64,
    /// Whether the width may coarsen (no explicit `--window`).
    pub auto: bool,
    /// Counts per bucket key.
    pub buckets: Buckets,
    /// The bucket being filled (lines come mostly in time order), and its key.
    cur: Option<(i64, Counts)>,
    /// The wall-clock seconds `cur` covers, `[start, end)`: a line inside
    /// is counted without working out its key (a division per line).
    cur_span: (i64, i64),
    /// Sum of the histograms' spans over `buckets`.
    spans: usize,
}

impl Windows {
    /// Windows of `width` seconds, or fine buckets for an automatic width.
    pub fn new(width: Option<i64>) -> Self {
        Windows {
            width: width.unwrap_or(LEVELS[0]),
            auto: width.is_none(),
            buckets: Buckets::default(),
            cur: None,
            cur_span: (0, 0),
            spans: 0,
        }
    }

    #[inline]
    /// Count a request at wall-clock time `wall`.
    pub fn add(&mut self, wall: i64, hit: &super::Hit) {
        if let Some((_, c)) = &mut self.cur
            && wall >= self.cur_span.0
            && wall < self.cur_span.1
        {
            c.add(hit);
            return;
        }
        self.add_keyed(wall, hit);
    }

    /// [`add`](Self::add) outside the current bucket's span.
    #[inline(never)]
    fn add_keyed(&mut self, wall: i64, hit: &super::Hit) {
        let key = (wall - origin(self.width)).div_euclid(self.width);
        match &mut self.cur {
            Some((k, c)) if *k == key => c.add(hit),
            _ => {
                self.flush();
                // Flushing may have widened the buckets: the key at the
                // width now (a key kept from before was read at the new
                // width, a request thousands of years away, and a report
                // widened to weeks, only when one worker saw enough
                // windows to widen: -j1 and -j2 disagreed).
                let key = (wall - origin(self.width)).div_euclid(self.width);
                let mut c = Counts::default();
                c.add(hit);
                self.cur = Some((key, c));
                // Where key `key` starts and ends (an end past i64 leaves
                // the last seconds to this keyed path, which agrees).
                let start = key * self.width + origin(self.width);
                self.cur_span = (start, start.saturating_add(self.width));
            }
        }
    }

    /// Move the bucket being filled into the map.
    pub(crate) fn flush(&mut self) {
        if let Some((k, c)) = self.cur.take() {
            self.put(k, c);
            self.coarsen_auto();
        }
    }

    /// Merge `c` into bucket `k`, keeping `spans` up to date.
    fn put(&mut self, k: i64, c: Counts) {
        let (before, after) = self.buckets.put(k, c);
        self.spans += after - before;
    }

    fn over(&self) -> bool {
        self.buckets.len() > MAX_BUCKETS || self.spans > MAX_SPANS
    }

    /// Widen until at most [`MAX_BUCKETS`] buckets remain: 1m → 1h → 1d
    /// (or doubling, for a width those do not divide). An explicit
    /// `--window` is widened the same way, and the report says so.
    fn coarsen_auto(&mut self) {
        while self.over() {
            let next =
                LEVELS.iter().copied().find(|&w| w > self.width && w % self.width == 0).unwrap_or(self.width * 2);
            self.coarsen_to(next);
        }
    }

    /// Re-bucket at `width` (a multiple of the current width).
    pub fn coarsen_to(&mut self, width: i64) {
        self.flush();
        if width == self.width {
            return;
        }
        let old = std::mem::take(&mut self.buckets);
        self.spans = 0;
        let (from, to) = (origin(self.width), origin(width));
        let mut old = old.into_vec();
        old.sort_unstable_by_key(|(k, _)| *k);
        for (k, c) in old {
            let start = k * self.width + from;
            self.put((start - to).div_euclid(width), c);
        }
        self.width = width;
    }

    /// Width, whether automatic, and every bucket in key order.
    pub fn parts(&self) -> (i64, bool, Vec<(i64, Counts)>) {
        let mut w = self.clone();
        w.flush();
        let mut v = w.buckets.into_vec();
        v.sort_unstable_by_key(|(k, _)| *k);
        (self.width, self.auto, v)
    }

    /// The inverse of [`Windows::parts`].
    pub fn from_parts(width: i64, auto: bool, buckets: Vec<(i64, Counts)>) -> Windows {
        let mut w = Windows { width, auto, buckets: Buckets::default(), cur: None, cur_span: (0, 0), spans: 0 };
        for (k, c) in buckets {
            w.put(k, c);
        }
        w
    }

    /// Add `other` (the coarser width wins).
    pub fn merge(&mut self, mut other: Windows) {
        self.flush();
        other.flush();
        if other.width > self.width {
            self.coarsen_to(other.width);
        } else if other.width < self.width {
            other.coarsen_to(self.width);
        }
        let (before, after) = self.buckets.merge(other.buckets);
        self.spans = self.spans - before + after;
        self.coarsen_auto();
    }

    /// The width to show when `asked` (at least the kept width) would give
    /// [`MAX_BUCKETS`] windows or more between the first and the last
    /// bucket: the smallest of 1m, 5m, 15m, 1h, 6h, 1d, 7d (or a whole
    /// number of weeks) that is a multiple of the kept width and gives
    /// fewer. `asked` itself when it fits.
    pub fn fitting_width(&self, asked: i64) -> i64 {
        let w = asked.max(self.width);
        let mut keys = self.buckets.iter().map(|(k, _)| k).chain(self.cur.as_ref().map(|(k, _)| *k));
        let Some(first) = keys.next() else { return w };
        let (lo, hi) = keys.fold((first, first), |(lo, hi), k| (lo.min(k), hi.max(k)));
        let span = (hi - lo) * self.width;
        let fits = |w: i64| span / w < MAX_BUCKETS as i64 - 1;
        if fits(w) {
            return w;
        }
        let ladder = [60, 300, 900, 3_600, 21_600, 86_400, 604_800];
        if let Some(c) = ladder.into_iter().find(|c| *c > w && c % self.width == 0 && fits(*c)) {
            return c;
        }
        let weeks = (span / 604_800 / (MAX_BUCKETS as i64 - 2) + 1).max(1);
        let c = weeks * 604_800;
        if c % self.width == 0 { c } else { (c / self.width + 1) * self.width }
    }

    /// Buckets rolled up to `width`, in time order: (wall start seconds,
    /// counts). Windows without requests between the first and the last are
    /// included with zero counts (up to [`MAX_BUCKETS`] windows in all), so a
    /// drop in traffic shows as zeros rather than as a gap.
    pub fn series(&self, width: i64) -> Vec<(i64, Counts)> {
        // Roll the buckets up in key order without copying the table (a
        // clone of every bucket per report was a tenth of a run on a
        // two-week log).
        let width = width.max(self.width);
        let (from, org) = (origin(self.width), origin(width));
        let mut keys: Vec<(i64, &Counts)> = self.buckets.iter().collect();
        if let Some((k, c)) = &self.cur {
            keys.push((*k, c));
        }
        keys.sort_unstable_by_key(|(k, _)| *k);
        let mut rolled: Vec<(i64, Counts)> = Vec::new();
        for (k, c) in keys {
            let key = (k * self.width + from - org).div_euclid(width);
            match rolled.last_mut() {
                Some((last, acc)) if *last == key => acc.merge(c),
                _ => rolled.push((key, c.clone())),
            }
        }
        let (Some(&(lo, _)), Some(&(hi, _))) = (rolled.first(), rolled.last()) else {
            return Vec::new();
        };
        if ((hi - lo) as u64) < MAX_BUCKETS as u64 {
            let mut out = Vec::with_capacity((hi - lo + 1) as usize);
            let mut it = rolled.into_iter().peekable();
            for k in lo..=hi {
                let c = match it.peek() {
                    Some((key, _)) if *key == k => it.next().map(|(_, c)| c).unwrap_or_default(),
                    _ => Counts::default(),
                };
                out.push((k * width + org, c));
            }
            out
        } else {
            rolled.into_iter().map(|(k, c)| (k * width + org, c)).collect()
        }
    }
}

/// A window table's buckets by key: those that came in increasing key
/// order (most logs are in time order) appended to a vector, the rest in a
/// map; no key is in both. A new minute used to be a hash-map insert (with
/// the table's growth and a cache miss), ~6% of a one-thread run on a
/// two-week log.
#[derive(Clone, Debug, Default)]
pub struct Buckets {
    /// Buckets in increasing key order.
    run: Vec<(i64, Counts)>,
    /// Buckets whose key came below the largest held.
    map: HashMap<i64, Counts>,
    /// The largest key held.
    hi: Option<i64>,
}

impl Buckets {
    /// Buckets held.
    pub fn len(&self) -> usize {
        self.run.len() + self.map.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every bucket, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &Counts)> {
        self.run.iter().map(|(k, c)| (*k, c)).chain(self.map.iter().map(|(k, c)| (*k, c)))
    }

    /// Every bucket, in no particular order.
    fn into_vec(self) -> Vec<(i64, Counts)> {
        let mut v = self.run;
        v.extend(self.map);
        v
    }

    /// Merge every bucket of `other`: the histogram spans the buckets
    /// changed held before and hold after (summed). Two workers' buckets
    /// interleave (each counted every other stretch of the log), so most
    /// of `other`'s keys are new: put one by one, each went to the map
    /// (2.2 ms of a two-thread run on the 100 MB real-shaped log, 20 k
    /// minutes a worker). Two runs are merged in one pass instead.
    fn merge(&mut self, other: Buckets) -> (usize, usize) {
        let (mut before, mut after) = (0, 0);
        let Buckets { run, map, hi } = other;
        if self.map.is_empty() {
            // In place, from the back: merged into a fresh vector (4 MiB
            // of pages never touched before) it took 1.5 ms, in place ~1.
            let dup = {
                let (mut i, mut j, mut d) = (0, 0, 0);
                while i < self.run.len() && j < run.len() {
                    match self.run[i].0.cmp(&run[j].0) {
                        std::cmp::Ordering::Less => i += 1,
                        std::cmp::Ordering::Greater => j += 1,
                        std::cmp::Ordering::Equal => (i, j, d) = (i + 1, j + 1, d + 1),
                    }
                }
                d
            };
            let mut i = self.run.len();
            self.run.resize_with(i + run.len() - dup, Default::default);
            let mut k = self.run.len();
            for (key, mut c) in run.into_iter().rev() {
                while i > 0 && self.run[i - 1].0 > key {
                    k -= 1;
                    i -= 1;
                    self.run.swap(i, k);
                }
                if i > 0 && self.run[i - 1].0 == key {
                    i -= 1;
                    let mut held = std::mem::take(&mut self.run[i].1);
                    before += held.spans();
                    held.merge(&c);
                    c = held;
                }
                after += c.spans();
                k -= 1;
                self.run[k] = (key, c);
            }
            debug_assert_eq!(i, k);
            self.hi = self.hi.max(hi);
        } else {
            for (k, c) in run {
                let (b, a) = self.put(k, c);
                (before, after) = (before + b, after + a);
            }
        }
        for (k, c) in map {
            let (b, a) = self.put(k, c);
            (before, after) = (before + b, after + a);
        }
        (before, after)
    }

    /// Merge `c` into bucket `k`: the histogram spans the bucket held
    /// before and holds after.
    fn put(&mut self, k: i64, c: Counts) -> (usize, usize) {
        if self.hi.is_none_or(|hi| k > hi) {
            // Above every key held: in neither part yet.
            self.hi = Some(k);
            let after = c.spans();
            self.run.push((k, c));
            return (0, after);
        }
        let held = match self.run.binary_search_by_key(&k, |(key, _)| *key) {
            Ok(i) => &mut self.run[i].1,
            Err(_) => match self.map.entry(k) {
                hashbrown::hash_map::Entry::Occupied(e) => e.into_mut(),
                hashbrown::hash_map::Entry::Vacant(e) => {
                    let after = c.spans();
                    e.insert(c);
                    return (0, after);
                }
            },
        };
        let before = held.spans();
        held.merge(&c);
        (before, held.spans())
    }
}

/// Where windows of `width` start counting: weeks start on Monday
/// (1970-01-05), everything else at the Unix epoch in wall-clock time.
fn origin(width: i64) -> i64 {
    if width % 604_800 == 0 { 4 * 86_400 } else { 0 }
}

/// The window width to show when none was asked for: the smallest of
/// 1m, 5m, 15m, 1h, 6h, 1d, 7d that gives fewer than 300 windows over the
/// span (never finer than the buckets kept); for longer spans, a whole
/// number of weeks that does.
pub fn auto_width(span_seconds: i64, bucket_width: i64) -> i64 {
    const CHOICES: [i64; 7] = [60, 300, 900, 3_600, 21_600, 86_400, 604_800];
    const WEEK: i64 = 604_800;
    let fits = |w: i64| span_seconds / w < 300;
    if let Some(w) = CHOICES.into_iter().filter(|w| *w >= bucket_width && w % bucket_width == 0).find(|w| fits(*w)) {
        return w;
    }
    let weeks = (span_seconds / 300 / WEEK + 1).max(1);
    let w = weeks * WEEK;
    // Keep a multiple of the bucket width so buckets roll up exactly.
    if w % bucket_width == 0 { w } else { (w / bucket_width + 1) * bucket_width }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Counting a line inside the current bucket's span without its key
        /// gives what working out every line's key gives: in order, out of
        /// order, across week origins and negative times, with widening.
        #[test]
        fn span_shortcut_agrees_with_keys(
            steps in proptest::collection::vec((prop_oneof![8 => 0i64..90, 1 => -5_000_000i64..5_000_000], 0u64..5000, any::<bool>()), 1..400),
            width in proptest::sample::select(vec![None, Some(60), Some(3_600), Some(604_800), Some(7)]),
            start in proptest::sample::select(vec![0i64, -86_400 * 4 - 1, 1_709_251_199, 4 * 86_400 - 30]),
        ) {
            let (mut fast, mut keyed) = (Windows::new(width), Windows::new(width));
            let mut wall = start;
            for (dt, bytes, back) in steps {
                wall += if back { -dt } else { dt };
                let hit = Hit { class: (bytes % 6) as usize, bytes, failed: back, latency: None, sizes: false, bot: false };
                fast.add(wall, &hit);
                keyed.add_keyed(wall, &hit);
            }
            fast.flush();
            keyed.flush();
            prop_assert_eq!(fast.width, keyed.width);
            prop_assert_eq!(fast.series(fast.width), keyed.series(keyed.width));
        }

        /// Whatever order the buckets come in (kept in order in `run`, or
        /// out of it in `map`), split between two tables and merged, or
        /// saved and restored: each window holds what its lines add up to.
        #[test]
        fn buckets_hold_what_their_lines_add_up_to(
            steps in proptest::collection::vec((prop_oneof![6 => 0i64..200, 1 => -400_000i64..400_000], 1u64..5000, any::<bool>(), any::<bool>()), 1..300),
            width in proptest::sample::select(vec![None, Some(60), Some(3_600), Some(604_800), Some(7)]),
        ) {
            let (mut one, mut a, mut b) = (Windows::new(width), Windows::new(width), Windows::new(width));
            let mut want: std::collections::BTreeMap<i64, (u64, u64)> = Default::default();
            let w = width.unwrap_or(60);
            let mut wall = 1_709_251_200;
            for (dt, bytes, back, to_a) in steps {
                wall += if back { -dt } else { dt };
                let hit = Hit { class: 2, bytes, failed: false, latency: None, sizes: false, bot: false };
                one.add(wall, &hit);
                if to_a { a.add(wall, &hit) } else { b.add(wall, &hit) }
                let e = want.entry((wall - origin(w)).div_euclid(w) * w + origin(w)).or_default();
                *e = (e.0 + 1, e.1 + bytes);
            }
            a.merge(b);
            let (pw, pauto, parts) = one.parts();
            let restored = Windows::from_parts(pw, pauto, parts);
            for t in [&mut one, &mut a] {
                t.flush();
            }
            for t in [&one, &a, &restored] {
                prop_assert_eq!(t.width, w);
                let got: std::collections::BTreeMap<i64, (u64, u64)> =
                    t.series(w).into_iter().filter(|(_, c)| c.requests > 0).map(|(s, c)| (s, (c.requests, c.bytes))).collect();
                prop_assert_eq!(&got, &want);
                prop_assert_eq!(t.buckets.len(), want.len());
            }
        }
    }

    proptest! {
        /// Two workers' windows, each counting every other stretch of a log
        /// in time order (both runs merged in place), merge to what one
        /// table counting every line holds: counts, latency histograms and
        /// the histogram spans the bound is kept by.
        #[test]
        fn interleaved_runs_merge_to_one_table(
            stretches in proptest::collection::vec(proptest::collection::vec((0i64..150, 1u64..5000, proptest::option::of(1u64..2_000_000)), 0..40), 1..20),
            width in proptest::sample::select(vec![None, Some(60), Some(7)]),
            to_b_first in any::<bool>(),
        ) {
            let (mut one, mut a, mut b) = (Windows::new(width), Windows::new(width), Windows::new(width));
            let mut wall = 1_709_251_200;
            for (i, stretch) in stretches.iter().enumerate() {
                for &(dt, bytes, latency) in stretch {
                    wall += dt;
                    let hit = Hit { class: 2, bytes, failed: false, latency, sizes: false, bot: false };
                    one.add(wall, &hit);
                    if (i % 2 == 0) == to_b_first { b.add(wall, &hit) } else { a.add(wall, &hit) }
                }
            }
            a.merge(b);
            one.flush();
            prop_assert!(a.buckets.map.is_empty());
            prop_assert_eq!(a.width, one.width);
            prop_assert_eq!(a.spans, one.spans);
            prop_assert_eq!(a.buckets.len(), one.buckets.len());
            prop_assert_eq!(a.series(a.width), one.series(one.width));
        }
    }

    #[test]
    fn widths() {
        assert_eq!(auto_width(3_600, 60), 60);
        assert_eq!(auto_width(86_400, 60), 300);
        assert_eq!(auto_width(30 * 86_400, 60), 21_600);
        assert_eq!(auto_width(86_400, 3_600), 3_600);
        let decades = 40 * 365 * 86_400;
        let w = auto_width(decades, 86_400);
        assert!(decades / w < 300 && w % 604_800 == 0 && w % 86_400 == 0, "{w}");
    }

    #[test]
    fn merge_and_rollup() {
        let mut a = Windows::new(None);
        a.add(0, &Hit { class: 1, bytes: 10, failed: false, latency: None, sizes: false, bot: false });
        a.add(61, &Hit { class: 1, bytes: 10, failed: false, latency: None, sizes: false, bot: false });
        let mut b = Windows::new(None);
        b.add(3_599, &Hit { class: 4, bytes: 1, failed: true, latency: Some(5), sizes: false, bot: false });
        a.merge(b);
        let s = a.series(3_600);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].1.requests, 3);
        assert_eq!(s[0].1.bytes, 21);
        let s = a.series(60);
        assert_eq!(s.len(), 60, "empty minutes are filled in");
        assert_eq!((s[0].0, s[1].0, s[59].0), (0, 60, 3_540));
        assert_eq!(s[2].1.requests, 0);
    }

    #[test]
    fn explicit_windows_widen_past_the_bound() {
        let mut w = Windows::new(Some(1));
        for t in 0..(MAX_BUCKETS as i64 + 10) {
            w.add(t, &Hit { class: 1, bytes: 0, failed: false, latency: None, sizes: false, bot: false });
        }
        w.flush();
        assert_eq!(w.width, 60);
        assert!(w.buckets.len() <= MAX_BUCKETS);
        // Every request stays at its time: nothing past the last second.
        let n = MAX_BUCKETS as i64 + 10;
        let s = w.series(60);
        assert_eq!(s.iter().map(|(_, c)| c.requests).sum::<u64>(), n as u64);
        assert!(s.last().is_some_and(|(start, _)| *start < n), "{:?}", s.last().map(|x| x.0));
        assert_eq!(w.fitting_width(1), 60);
    }

    #[test]
    fn weeks_start_on_monday() {
        let mut w = Windows::new(Some(604_800));
        // 2024-01-31 is a Wednesday; its week starts Monday 2024-01-29.
        let wed = crate::parse::time::days_from_civil(2024, 1, 31) * 86_400 + 3_600;
        w.add(wed, &Hit { class: 1, bytes: 0, failed: false, latency: None, sizes: false, bot: false });
        let mon = crate::parse::time::days_from_civil(2024, 1, 29) * 86_400;
        assert_eq!(w.series(604_800)[0].0, mon);
    }
}
