//! The hot path allocates nothing per line: once a chunk's routes and
//! windows exist, parsing and counting the same lines again allocates zero
//! times. (Its own test binary, so the counting allocator sees only this.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use logstat::format::presets::preset;
use logstat::stats::failures::Failures;
use logstat::stats::{AddCtx, Stats};
use logstat::zone::Zone;

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

#[test]
fn counting_lines_does_not_allocate() {
    let text = logstat::synth::Generator::new(11, 1_700_000_000, 18_000_000).fill(1 << 20);
    let lines = text.lines().count();
    let fmt = preset("combined").unwrap();
    let zone = Zone::Fixed(0);
    let failures = Failures::default();
    let filter = logstat::filter::Filter::default();
    let ctx = AddCtx {
        format: &fmt,
        zone: &zone,
        file: 0,
        window: None,
        failures: &failures,
        max_routes: 50_000,
        metric: Default::default(),
        filter: &filter,
        sizes: false,
    };
    let mut s = Stats::new(None);
    s.add_chunk(&ctx, 0, text.as_bytes(), |_, _| {}); // warm: routes, windows, buffers
    let before = ALLOCS.load(Ordering::Relaxed);
    s.add_chunk(&ctx, 1, text.as_bytes(), |_, _| {});
    let allocs = ALLOCS.load(Ordering::Relaxed) - before;
    assert_eq!(s.parsed as usize, 2 * lines);
    eprintln!("{allocs} allocations for {lines} lines");
    assert_eq!(allocs, 0, "{allocs} allocations for {lines} lines");
}
