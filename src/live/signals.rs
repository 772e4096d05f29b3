//! Signals while following: SIGINT, SIGTERM and SIGHUP end the run cleanly
//! (the last partial interval is flushed, the terminal restored);
//! SIGWINCH asks for a redraw. Handlers only set flags; installed without
//! `SA_RESTART` so a sleeping `poll(2)` wakes at once.

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);
static RESIZED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

extern "C" fn on_resize(_: libc::c_int) {
    RESIZED.store(true, Ordering::SeqCst);
}

fn set(sig: libc::c_int, handler: extern "C" fn(libc::c_int)) {
    // SAFETY: a zeroed sigaction with a handler that only stores to an
    // atomic is valid; sa_mask is emptied before use.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = handler as usize;
        libc::sigemptyset(&mut sa.sa_mask);
        sa.sa_flags = 0;
        libc::sigaction(sig, &sa, std::ptr::null_mut());
    }
}

/// Install the handlers.
pub fn install() {
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        set(sig, on_stop);
    }
    set(libc::SIGWINCH, on_resize);
}

/// Whether a stop signal arrived.
pub fn stopped() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Whether the terminal was resized since the last call.
pub fn take_resized() -> bool {
    RESIZED.swap(false, Ordering::SeqCst)
}
