//! The routes of recently seen request targets, so that a target seen
//! again is neither normalised, nor its route hashed and looked up again.
//!
//! Route work was a third of a one-thread run on the 100 MB real-shaped
//! log (a build counting every line under one route: 120.5 → 81.2 ms);
//! normalising alone ~50 ns a line (a table lookup and an unpredictable
//! branch per byte, a copy per segment), the route table lookup most of
//! the rest (its index, bounds and key are three cache misses for a route
//! outside the hottest few). Meanwhile a few thousand targets make up most
//! lines: a 4096-slot cache would hit 61% of that log's lines and 70–94% of
//! four real logs' (simulated in file order). A slot holds one target and
//! its route, found by a hash of the target and confirmed by comparing the
//! bytes, so the answer is always the one [`route::normalize`] gives; a
//! slot is overwritten by the next target hashed to it. Fixed size: hostile
//! targets only cause misses. A slot also keeps the route's entry number
//! in the worker's route table under that table's
//! [epoch](crate::stats::RouteMap::epoch), which the lookup checks.
//!
//! The slot itself is a cache miss: looked up at once, it cost what it
//! saved. So the scanner asks for a line's slot ([`Memo::ask`]) when the
//! line is parsed and counts the line after parsing the next one.
//!
//! Where few targets repeat (the generated 1 GiB log: 38% of lines would
//! hit), looking a target up and filling its slot costs more than it saves
//! (6% slower); the memo counts its hits and, below half, stands aside for
//! a while before trying again, and the scanner then counts each line at
//! once.

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::parse::route;
use crate::stats::routes;

/// Slots (a power of two).
const SLOTS: usize = 4096;

/// Lookups whose hits are counted before deciding whether to go on.
const TRIAL: u32 = 4096;

/// Targets let through without a lookup after a trial hit less than half.
const ASIDE: u32 = 1 << 18;

/// Whether the last trial in this process paid: a new memo (a scanner per
/// chunk, as `--report records` and pruned inputs use) starts aside when
/// it did not, rather than paying for a trial of its own per chunk.
static PAID: AtomicBool = AtomicBool::new(true);

/// Bytes a slot holds: the target, then its route.
const SLOT_BYTES: usize = 106;

/// One cached target and its route: 128 bytes, two cache lines.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    /// The route's [`routes::hash`].
    hash: u64,
    /// The route table epoch `entry` belongs to (0: none).
    epoch: u64,
    /// The route's entry number in that table.
    entry: u32,
    /// Target length plus one (0: empty slot).
    target: u8,
    /// Route length.
    route: u8,
    /// The target, then the route.
    bytes: [u8; SLOT_BYTES],
}

const EMPTY: Slot = Slot { hash: 0, epoch: 0, entry: 0, target: 0, route: 0, bytes: [0; SLOT_BYTES] };

/// What [`Memo::route`] found besides the route.
#[derive(Clone, Copy, Debug)]
pub struct Found {
    /// The route's [`routes::hash`].
    pub hash: u64,
    /// The slot holding the target (`usize::MAX`: none).
    slot: usize,
    /// The entry number kept there, and its epoch.
    entry: (u64, u32),
}

impl Found {
    /// The route's entry number in the table of epoch `epoch`, if kept.
    #[inline]
    pub fn entry(&self, epoch: u64) -> Option<usize> {
        (self.entry.0 == epoch).then_some(self.entry.1 as usize)
    }
}

/// A worker's cache of target → route (see the module docs).
pub struct Memo {
    slots: Box<[Slot]>,
    /// Lookups and hits in the current trial.
    tried: u32,
    hits: u32,
    /// Targets still to let through without a lookup.
    aside: u32,
    /// Hashes targets to slots (seeded per process: crafted targets cannot
    /// be chosen to share a slot).
    state: foldhash::fast::RandomState,
}

impl Default for Memo {
    fn default() -> Self {
        Memo {
            slots: vec![EMPTY; SLOTS].into_boxed_slice(),
            tried: 0,
            hits: 0,
            aside: if PAID.load(Ordering::Relaxed) { 0 } else { ASIDE },
            state: foldhash::fast::RandomState::default(),
        }
    }
}

impl Memo {
    /// A memo that never looks anything up (for tests comparing with one
    /// that does).
    #[cfg(test)]
    pub(super) fn never() -> Memo {
        Memo { aside: u32::MAX, ..Memo::default() }
    }

    /// A memo that looks targets up from the start, whatever trials ran
    /// before in the process.
    #[cfg(test)]
    pub(super) fn fresh() -> Memo {
        Memo { aside: 0, ..Memo::default() }
    }

    /// Slots holding an entry number.
    #[cfg(test)]
    pub(super) fn kept(&self) -> usize {
        self.slots.iter().filter(|s| s.epoch != 0).count()
    }

    /// Whether the memo stands aside (see the module docs): the caller
    /// then reports the targets it let through with [`passed`](Self::passed).
    #[inline]
    pub fn aside(&self) -> bool {
        self.aside > 0
    }

    /// `n` targets went by while the memo stood aside.
    #[inline]
    pub fn passed(&mut self, n: u64) {
        self.aside = self.aside.saturating_sub(u32::try_from(n).unwrap_or(u32::MAX));
    }

    /// The slot of `target`, for [`route`](Self::route), asked for from
    /// memory now: a line is counted after the next one is parsed, by
    /// which time its slot has arrived. `None` for a target longer than a
    /// slot, or while the memo stands aside.
    #[inline]
    pub fn ask(&mut self, target: &[u8]) -> Option<usize> {
        if self.aside > 0 {
            self.aside -= 1;
            return None;
        }
        if target.len() >= SLOT_BYTES {
            return None;
        }
        let i = self.state.hash_one(target) as usize & (SLOTS - 1);
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `i < SLOTS`, the slice's length: the pointer is in
        // bounds; a prefetch reads nothing and cannot fault.
        unsafe {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            _mm_prefetch(self.slots.as_ptr().add(i) as *const i8, _MM_HINT_T0)
        }
        Some(i)
    }

    /// Count a lookup; at the end of a trial, stand aside if fewer than
    /// half hit.
    #[inline(always)]
    fn tally(&mut self, hit: bool) {
        self.tried += 1;
        self.hits += hit as u32;
        if self.tried == TRIAL {
            let paid = self.hits >= TRIAL / 2;
            if !paid {
                self.aside = ASIDE;
            }
            PAID.store(paid, Ordering::Relaxed);
            (self.tried, self.hits) = (0, 0);
        }
    }

    /// The route of `target`, its hash and what entry number is kept for
    /// it: from the cache, or normalised into `scratch` (and cached when it
    /// fits a slot). `slot` is [`ask`](Self::ask)`(target)`.
    #[inline]
    pub fn route<'m>(&'m mut self, target: &[u8], slot: Option<usize>, scratch: &'m mut Vec<u8>) -> (&'m [u8], Found) {
        let none = |hash| Found { hash, slot: usize::MAX, entry: (0, 0) };
        let Some(i) = slot else {
            route::normalize(target, scratch);
            let h = routes::hash(scratch);
            return (scratch, none(h));
        };
        debug_assert_eq!(i, self.state.hash_one(target) as usize & (SLOTS - 1));
        let n = target.len();
        let hit = {
            let slot = &self.slots[i];
            slot.target as usize == n + 1 && &slot.bytes[..n] == target
        };
        self.tally(hit);
        let slot = &mut self.slots[i];
        if hit {
            let found = Found { hash: slot.hash, slot: i, entry: (slot.epoch, slot.entry) };
            return (&slot.bytes[n..n + slot.route as usize], found);
        }
        route::normalize(target, scratch);
        let h = routes::hash(scratch);
        if n + scratch.len() > SLOT_BYTES {
            return (scratch, none(h));
        }
        slot.bytes[..n].copy_from_slice(target);
        slot.bytes[n..n + scratch.len()].copy_from_slice(scratch);
        (slot.target, slot.route, slot.hash, slot.epoch) = (n as u8 + 1, scratch.len() as u8, h, 0);
        (scratch, Found { hash: h, slot: i, entry: (0, 0) })
    }

    /// Keep `entry`, the route's entry number in the table of epoch
    /// `epoch`, with the target `found` came from.
    #[inline]
    pub fn remember(&mut self, found: &Found, epoch: u64, entry: usize) {
        if let (Some(slot), Ok(entry)) = (self.slots.get_mut(found.slot), u32::try_from(entry)) {
            (slot.epoch, slot.entry) = (epoch, entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn look<'m>(memo: &'m mut Memo, target: &[u8], scratch: &'m mut Vec<u8>) -> (&'m [u8], Found) {
        let slot = memo.ask(target);
        memo.route(target, slot, scratch)
    }

    /// Targets from a small alphabet, so that they repeat, share slots and
    /// produce every kind of segment; some longer than a slot.
    fn target() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            4 => proptest::collection::vec(prop::sample::select(b"/0123456789abcdefxyz.?-".to_vec()), 0..24),
            1 => proptest::collection::vec(prop::sample::select(b"/0123abc.".to_vec()), 90..140),
        ]
    }

    proptest! {
        /// Whatever was cached before, the memo answers what `normalize`
        /// and `routes::hash` do.
        #[test]
        fn memo_agrees_with_normalize(targets in proptest::collection::vec(target(), 1..300), repeat in 1usize..4) {
            let mut memo = Memo::fresh();
            let (mut scratch, mut want) = (Vec::new(), Vec::new());
            for _ in 0..repeat {
                for t in &targets {
                    route::normalize(t, &mut want);
                    let (got, found) = look(&mut memo, t, &mut scratch);
                    prop_assert_eq!(got, &want[..]);
                    prop_assert_eq!(found.hash, routes::hash(&want));
                }
            }
        }
    }

    #[test]
    fn a_target_seen_again_comes_from_its_slot() {
        let mut memo = Memo::fresh();
        let mut scratch = Vec::new();
        assert_eq!(look(&mut memo, b"/users/8812?x=1", &mut scratch).0, b"/users/:id");
        scratch.clear();
        // From the slot: the scratch buffer is not written.
        let (r, found) = look(&mut memo, b"/users/8812?x=1", &mut scratch);
        assert_eq!((r, found.hash), (&b"/users/:id"[..], routes::hash(b"/users/:id")));
        assert!(scratch.is_empty());
        // An entry number is kept for its epoch only.
        assert_eq!(found.entry(7), None);
        memo.remember(&found, 7, 3);
        let (_, found) = look(&mut memo, b"/users/8812?x=1", &mut scratch);
        assert_eq!((found.entry(7), found.entry(8)), (Some(3), None));
        // A target normalised again forgets it.
        let long = vec![b'a'; SLOT_BYTES];
        let (_, f) = look(&mut memo, &long, &mut scratch);
        memo.remember(&f, 7, 4);
        assert_eq!(look(&mut memo, &long, &mut scratch).1.entry(7), None);
        // The empty target is a target like any other.
        assert_eq!(look(&mut memo, b"", &mut scratch).0, b"");
        assert_eq!(look(&mut memo, b"", &mut scratch).0, b"");
    }
}
