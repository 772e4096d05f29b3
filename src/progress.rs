//! A progress line on stderr for long runs — only on a terminal, so cron
//! and pipes never see it.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::engine::PROGRESS;
use crate::units::human_bytes;

/// Show nothing for runs expected to be quicker than this many bytes.
pub const MIN_BYTES: u64 = 256 << 20;

pub struct Progress {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Start a display for `total` bytes (0 when unknown).
    pub fn start(total: u64) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let t0 = Instant::now();
            let mut shown = false;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                if t0.elapsed() < Duration::from_millis(600) {
                    continue;
                }
                let done = PROGRESS.load(Ordering::Relaxed);
                let pct =
                    if total > 0 { format!(" ({:.0}%)", done as f64 * 100.0 / total as f64) } else { String::new() };
                let rate = done as f64 / t0.elapsed().as_secs_f64();
                eprint!(
                    "\rlogstat: {} of {}{pct}, {}/s   ",
                    human_bytes(done),
                    human_bytes(total),
                    human_bytes(rate as u64)
                );
                let _ = std::io::stderr().flush();
                shown = true;
            }
            if shown {
                eprint!("\r\x1b[2K");
            }
        });
        Progress { stop, handle: Some(handle) }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
