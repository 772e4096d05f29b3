//! Phase timings for whoever tunes the engine: with `LOGSTAT_PHASES=1` in
//! the environment, each phase of a run is printed on stderr as it ends —
//! milliseconds since the process started its `main`, the phase's own
//! milliseconds, and what it was. The default report of a mapped file
//! shows the argument parsing, the thread pool, the format detection, each
//! batch (with when each worker started counting and how many pieces it
//! took), the end-of-run merge and the report; other inputs show fewer.
//!
//! It is how the first batch of a two-thread run was found to start its
//! second worker up to ~5 ms late, in some hours, on a 2-vCPU VM
//! (`benches/RESULTS.md`; `benches/phases.sh` gives the medians). Off, a
//! mark costs one load of a flag.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// When `main` started, if timings were asked for.
static START: OnceLock<Option<Instant>> = OnceLock::new();

/// Nanoseconds since [`START`] at the last mark.
static LAST: AtomicU64 = AtomicU64::new(0);

/// Start the clock (first thing in `main`): timings are on when
/// `LOGSTAT_PHASES` is `1`.
pub fn start() {
    START.get_or_init(|| (std::env::var_os("LOGSTAT_PHASES").is_some_and(|v| v == "1")).then(Instant::now));
}

/// The start, when timings are on.
fn clock() -> Option<Instant> {
    *START.get().unwrap_or(&None)
}

/// Whether timings are on (callers skip working out details when not).
#[inline]
pub fn on() -> bool {
    clock().is_some()
}

/// Milliseconds from the start to `t` (0 when timings are off).
pub fn at(t: Instant) -> f64 {
    clock().map_or(0.0, |s| t.saturating_duration_since(s).as_secs_f64() * 1e3)
}

/// A phase ended: print its line (when timings are on).
pub fn mark(what: std::fmt::Arguments<'_>) {
    let Some(s) = clock() else { return };
    let now = s.elapsed().as_nanos() as u64;
    let last = LAST.swap(now, Ordering::Relaxed);
    let ms = |ns: u64| ns as f64 / 1e6;
    eprintln!("logstat: phase {:9.3} ms {:+9.3} ms  {what}", ms(now), ms(now.saturating_sub(last)));
}
