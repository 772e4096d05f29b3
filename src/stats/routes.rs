//! The route table: counts per route template, laid out for the lookup
//! every counted line makes.
//!
//! The hash index holds only entry numbers; keys sit back to back in one
//! buffer and counts in a vector beside it, with each entry's hash. A map
//! of boxed keys to 176-byte slots allocated (and later freed) one box per
//! route, which a log of distinct paths does millions of times (1 GiB:
//! 4.13 → 2.99 s), and hashed every key again to merge or prune. A lookup
//! of a route outside the hottest few still misses the cache: the index
//! slot and the key (~14% of a one-thread run on the 100 MB real-shaped
//! log, as before); keys held inline beside the counts moved the miss
//! into the entry rather than removing it.

use std::hash::BuildHasher;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use hashbrown::HashTable;

use super::RouteCounts;

/// Counts per route template (see the module docs).
#[derive(Debug)]
pub struct RouteMap {
    /// Names this table's entry numbering (see [`RouteMap::epoch`]).
    epoch: u64,
    /// Entry numbers, found by hash.
    index: HashTable<usize>,
    /// Each entry's hash: growing and merging do not hash keys again.
    hashes: Vec<u64>,
    /// Entry `i`'s key is `keys[bounds[i]..bounds[i + 1]]`.
    bounds: Vec<usize>,
    keys: Vec<u8>,
    counts: Vec<RouteCounts>,
}

impl Clone for RouteMap {
    /// A copy under an epoch of its own: the copies' numberings part ways
    /// as each adds routes.
    fn clone(&self) -> Self {
        RouteMap {
            epoch: next_epoch(),
            index: self.index.clone(),
            hashes: self.hashes.clone(),
            bounds: self.bounds.clone(),
            keys: self.keys.clone(),
            counts: self.counts.clone(),
        }
    }
}

/// A number no table has had (from 1: 0 is never an epoch).
fn next_epoch() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Default for RouteMap {
    fn default() -> Self {
        RouteMap::with_capacity(0)
    }
}

/// Key bytes reserved per route (route templates are short).
const KEY_BYTES: usize = 32;

/// The hash of a route key: one random seed per process, shared by every
/// table, so a hash kept by one table is valid in another (merges reuse
/// them) and crafted paths cannot be chosen to collide.
#[inline]
pub fn hash(key: &[u8]) -> u64 {
    static STATE: OnceLock<foldhash::fast::RandomState> = OnceLock::new();
    STATE.get_or_init(foldhash::fast::RandomState::default).hash_one(key)
}

impl RouteMap {
    /// An empty table with room for `n` routes.
    pub fn with_capacity(n: usize) -> RouteMap {
        let mut bounds = Vec::with_capacity(n + 1);
        bounds.push(0);
        RouteMap {
            epoch: next_epoch(),
            index: HashTable::with_capacity(n),
            hashes: Vec::with_capacity(n),
            bounds,
            keys: Vec::with_capacity(n * KEY_BYTES),
            counts: Vec::with_capacity(n),
        }
    }

    /// The table's entry numbering: entries are only ever appended under
    /// one epoch, so an entry number found under it stays the same route's
    /// while the epoch is unchanged. Every table (a copy, or one rebuilt by
    /// [`keep_heaviest`](Self::keep_heaviest)) has an epoch of its own.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Routes held.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether no route is held.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Routes the index holds before it grows.
    pub fn capacity(&self) -> usize {
        self.index.capacity()
    }

    /// Make room for `n` more routes.
    pub fn reserve(&mut self, n: usize) {
        let hashes = &self.hashes;
        self.index.reserve(n, |&i| hashes[i]);
        self.hashes.reserve(n);
        self.bounds.reserve(n);
        self.keys.reserve(n * KEY_BYTES);
        self.counts.reserve(n);
    }

    fn key(&self, i: usize) -> &[u8] {
        &self.keys[self.bounds[i]..self.bounds[i + 1]]
    }

    /// The counts of `key`, if held.
    pub fn get(&self, key: &[u8]) -> Option<&RouteCounts> {
        let (keys, bounds) = (&self.keys, &self.bounds);
        self.index.find(hash(key), |&i| &keys[bounds[i]..bounds[i + 1]] == key).map(|&i| &self.counts[i])
    }

    /// The counts of `key`, inserted empty when new.
    #[inline]
    pub fn entry(&mut self, key: &[u8]) -> &mut RouteCounts {
        let i = self.number(hash(key), key);
        &mut self.counts[i]
    }

    /// The entry number of `key`, whose [`hash`] is `h` (inserted empty
    /// when new): valid for [`at`](Self::at) while the
    /// [`epoch`](Self::epoch) is unchanged.
    #[inline]
    pub fn number(&mut self, h: u64, key: &[u8]) -> usize {
        debug_assert_eq!(h, hash(key));
        self.slot(h, key).0
    }

    /// The counts of entry number `i` (from [`number`](Self::number)).
    #[inline]
    pub fn at(&mut self, i: usize) -> &mut RouteCounts {
        &mut self.counts[i]
    }

    /// The entry number of `key` (hashed to `h`), inserted empty when new
    /// (then `true`).
    #[inline]
    fn slot(&mut self, h: u64, key: &[u8]) -> (usize, bool) {
        let RouteMap { index, hashes, bounds, keys, counts, .. } = self;
        if let Some(&i) = index.find(h, |&i| &keys[bounds[i]..bounds[i + 1]] == key) {
            return (i, false);
        }
        let i = counts.len();
        keys.extend_from_slice(key);
        bounds.push(keys.len());
        hashes.push(h);
        counts.push(RouteCounts::default());
        index.insert_unique(h, i, |&j| hashes[j]);
        (i, true)
    }

    /// Add `c` to the counts of `key` (hashed to `h`).
    fn add(&mut self, h: u64, key: &[u8], c: RouteCounts) {
        match self.slot(h, key) {
            // New: `c` as it is (its histograms are not copied).
            (i, true) => self.counts[i] = c,
            (i, false) => self.counts[i].merge(&c),
        }
    }

    /// Every route and its counts, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &RouteCounts)> {
        self.counts.iter().enumerate().map(|(i, c)| (self.key(i), c))
    }

    /// Add every route of `from`.
    pub fn merge(&mut self, from: RouteMap) {
        self.reserve(from.len().saturating_sub(self.capacity() - self.len()));
        let RouteMap { hashes, bounds, keys, counts, .. } = from;
        for (i, c) in counts.into_iter().enumerate() {
            self.add(hashes[i], &keys[bounds[i]..bounds[i + 1]], c);
        }
    }

    /// [`merge`](Self::merge) on the pool's threads, for two large tables
    /// at the end of a run (each worker's table holds nearly every route
    /// of the log). One route at a time, the lookups and the count
    /// updates missed the cache in turn on one thread (2.9 ms of a
    /// two-thread run on the 100 MB real-shaped log: ~17 k routes into
    /// ~18 k, 21.8 k in all). Here the lookups run in parallel without
    /// writing, then each entry adds the counts found for it (in parallel,
    /// entry by entry), and the routes not held are appended in `from`'s
    /// order: the same table as [`merge`](Self::merge) makes. What is left
    /// of `from` is for the caller to drop (~0.4 ms for such a table).
    pub fn merge_parallel(&mut self, from: &mut RouteMap) {
        use rayon::prelude::*;
        const NONE: usize = usize::MAX;
        const MIN: usize = 1024;
        // Where each route of `from` is held here.
        let found: Vec<usize> = (0..from.len())
            .into_par_iter()
            .with_min_len(MIN)
            .map(|i| {
                let key = from.key(i);
                let (keys, bounds) = (&self.keys, &self.bounds);
                self.index.find(from.hashes[i], |&j| &keys[bounds[j]..bounds[j + 1]] == key).map_or(NONE, |&j| j)
            })
            .collect();
        // Which route of `from` adds to each entry here; the routes new here.
        let mut source = vec![NONE; self.len()];
        let mut new = Vec::new();
        for (i, &j) in found.iter().enumerate() {
            match j {
                NONE => new.push(i),
                j => source[j] = i,
            }
        }
        self.counts.par_iter_mut().zip(source.par_iter()).with_min_len(MIN).for_each(|(c, &i)| {
            if i != NONE {
                c.merge(&from.counts[i]);
            }
        });
        self.reserve(new.len().saturating_sub(self.capacity() - self.len()));
        for i in new {
            let c = std::mem::take(&mut from.counts[i]);
            let (j, fresh) = self.slot(from.hashes[i], &from.keys[from.bounds[i]..from.bounds[i + 1]]);
            debug_assert!(fresh);
            self.counts[j] = c;
        }
    }

    /// Keep the `keep` heaviest routes (by requests, ties by key) in a
    /// table with room for `room`; returns the counts of the others.
    pub fn keep_heaviest(&mut self, keep: usize, room: usize) -> Vec<RouteCounts> {
        if keep >= self.len() {
            return Vec::new();
        }
        let old = std::mem::replace(self, RouteMap::with_capacity(room.max(keep)));
        let mut order: Vec<usize> = (0..old.len()).collect();
        order.select_nth_unstable_by(keep, |&a, &b| {
            old.counts[b].counts.requests.cmp(&old.counts[a].counts.requests).then_with(|| old.key(a).cmp(old.key(b)))
        });
        let RouteMap { hashes, bounds, keys, mut counts, .. } = old;
        for &i in &order[..keep] {
            self.add(hashes[i], &keys[bounds[i]..bounds[i + 1]], std::mem::take(&mut counts[i]));
        }
        order[keep..].iter().map(|&i| std::mem::take(&mut counts[i])).collect()
    }
}

impl<'a> IntoIterator for &'a RouteMap {
    type Item = (&'a [u8], &'a RouteCounts);
    type IntoIter = Box<dyn Iterator<Item = (&'a [u8], &'a RouteCounts)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<K: AsRef<[u8]>> FromIterator<(K, RouteCounts)> for RouteMap {
    /// A table of these routes (a route given twice is added up).
    fn from_iter<I: IntoIterator<Item = (K, RouteCounts)>>(iter: I) -> Self {
        let mut m = RouteMap::default();
        for (k, c) in iter {
            let k = k.as_ref();
            m.add(hash(k), k, c);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(n: u64) -> RouteCounts {
        let mut c = RouteCounts::default();
        c.counts.requests = n;
        c.counts.class[2] = n;
        c
    }

    #[test]
    fn finds_merges_and_keeps_the_heaviest() {
        let mut a = RouteMap::default();
        for i in 0..1000u64 {
            a.entry(format!("/r/{i}").as_bytes()).merge(&counted(i + 1));
        }
        a.entry(b"/r/7").merge(&counted(5));
        assert_eq!(a.len(), 1000);
        assert_eq!(a.get(b"/r/7").map(|c| c.counts.requests), Some(13));
        assert_eq!(a.get(b"/r/1000"), None);
        assert_eq!(a.get(b""), None);
        a.entry(b"").merge(&counted(1));
        assert_eq!(a.get(b"").map(|c| c.counts.requests), Some(1));

        let b: RouteMap = [(b"/r/7".to_vec(), counted(2)), (b"/new".to_vec(), counted(3))].into_iter().collect();
        a.merge(b);
        assert_eq!(a.len(), 1002);
        assert_eq!(a.get(b"/r/7").map(|c| c.counts.requests), Some(15));
        assert_eq!(a.get(b"/new").map(|c| c.counts.class[2]), Some(3));
        let total: u64 = a.iter().map(|(_, c)| c.counts.requests).sum();

        // Heaviest 10: /r/990../r/999 (991..1000 requests); ties by key.
        let pruned = a.keep_heaviest(10, 16);
        assert_eq!(a.len(), 10);
        assert_eq!(pruned.len(), 992);
        let mut kept: Vec<Vec<u8>> = a.iter().map(|(k, _)| k.to_vec()).collect();
        kept.sort();
        let want: Vec<Vec<u8>> = (990..1000).map(|i| format!("/r/{i}").into_bytes()).collect();
        assert_eq!(kept, want);
        let left: u64 = (&a).into_iter().map(|(_, c)| c.counts.requests).sum();
        assert_eq!(left + pruned.iter().map(|c| c.counts.requests).sum::<u64>(), total);
        assert_eq!(a.get(b"/r/995").map(|c| c.counts.requests), Some(996));
        // Still a working table after the rebuild.
        a.entry(b"/r/1").merge(&counted(1));
        assert_eq!(a.len(), 11);
    }

    proptest::proptest! {
        /// The parallel merge makes the table the one-by-one merge makes:
        /// the same entries, counts and entry order (routes new to `into`
        /// appended in `from`'s order), histograms included.
        #[test]
        fn parallel_merge_is_the_same_merge(
            a in proptest::collection::vec((0u32..6000, 1u64..50, proptest::option::of(1u64..100_000)), 0..3000),
            b in proptest::collection::vec((0u32..6000, 1u64..50, proptest::option::of(1u64..100_000)), 0..3000),
        ) {
            let table = |v: &[(u32, u64, Option<u64>)]| {
                let mut t = RouteMap::default();
                for &(k, n, us) in v {
                    let c = t.entry(format!("/r/{k}").as_bytes());
                    c.counts.requests += n;
                    c.notable[(k % 3) as usize] += n;
                    if let Some(us) = us {
                        c.counts.latency.record(us);
                    }
                }
                t
            };
            let (mut one, mut par) = (table(&a), table(&a));
            one.merge(table(&b));
            par.merge_parallel(&mut table(&b));
            let (one, par): (Vec<_>, Vec<_>) = (one.iter().collect(), par.iter().collect());
            proptest::prop_assert_eq!(one, par);
        }
    }
}
