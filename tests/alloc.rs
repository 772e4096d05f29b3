//! The hot path allocates nothing per line: once a chunk's routes and
//! windows exist, parsing and counting the same lines again allocates zero
//! times. (Its own test binary, so the counting allocator sees only this.)
//!
//! Only the test's own thread is counted: libtest's main thread waits for the
//! result on a channel, and when it first blocks there (later on a loaded
//! machine, inside the measured window) the channel allocates its waker entry.
//! Counting every thread made this test fail one run in ten under load.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use logstat::format::presets::preset;
use logstat::zone::Zone;

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on the thread whose allocations are counted. A `const`
    /// thread-local without a destructor: reading it never allocates.
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    if COUNTED.with(Cell::get) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Allocations while counting a warm 1 MiB chunk again, and its line count.
fn allocs_when_warm(timings: bool, filter: &logstat::filter::Filter, format: &str) -> (usize, usize) {
    let mut g = logstat::synth::Generator::new(11, 1_700_000_000, 18_000_000);
    g.timings = timings;
    let text = g.fill(1 << 20);
    let lines = text.lines().count();
    let fmt = preset(format).unwrap();
    let zone = Zone::Fixed(0);
    let opts = logstat::engine::Options { sizes: true, ..Default::default() };
    let ctx = opts.scan_ctx(&fmt, &zone, 0, filter);
    let mut s = logstat::engine::Scanner::new(None);
    s.chunk(&ctx, 0, text.as_bytes(), |_| {}); // warm: routes, windows, histograms, buffers
    let before = ALLOCS.load(Ordering::Relaxed);
    s.chunk(&ctx, 1, text.as_bytes(), |_| {});
    let allocs = ALLOCS.load(Ordering::Relaxed) - before;
    assert_eq!(s.stats.parsed as usize, 2 * lines);
    (allocs, lines)
}

/// One test, so no other test's allocations are counted meanwhile.
#[test]
fn counting_lines_does_not_allocate() {
    COUNTED.with(|c| c.set(true));
    let none = logstat::filter::Filter::default();
    let (allocs, lines) = allocs_when_warm(false, &none, "combined");
    assert_eq!(allocs, 0, "{allocs} allocations for {lines} lines (combined)");
    // Timed lines (latency histograms per class, route and window; sizes
    // per route and window) under every filter kind.
    let spec = logstat::filter::FilterSpec {
        since: Some(logstat::filter::TimeSpec::Instant(0)),
        status: Some(logstat::status::StatusSet::parse("--status", "2xx,4xx").unwrap()),
        methods: vec![b"GET".to_vec(), b"POST".to_vec()],
        routes: vec![logstat::filter::Pattern::new("/*")],
        paths: vec![logstat::filter::Pattern::new("/")],
        hosts: vec![logstat::filter::Pattern::new("*")],
        ..Default::default()
    };
    let filter = spec.resolve(&Zone::Fixed(0), 0);
    let (allocs, lines) = allocs_when_warm(true, &filter, "nginx_timed");
    assert_eq!(allocs, 0, "{allocs} allocations for {lines} lines (timed, filtered)");
}
