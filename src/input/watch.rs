//! Waiting for followed files to change: inotify on their directories
//! where the kernel has it, a poll tick otherwise. Never a busy wait: the
//! caller sleeps in `poll(2)` until a change, input on another descriptor
//! (the terminal), a signal, or its timeout.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::time::Duration;

/// How often files are re-read without inotify.
pub const POLL_TICK: Duration = Duration::from_millis(250);

/// Why [`Watch::wait`] returned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wake {
    /// A watched directory changed (or the poll tick passed): read the files.
    pub changed: bool,
    /// The extra descriptor has input.
    pub input: bool,
}

/// The change notifier.
pub struct Watch {
    inotify: Option<OwnedFd>,
}

impl Watch {
    /// Watch `dirs` (each followed file's directory) with inotify; when
    /// that fails (no inotify, limits reached), fall back to polling.
    pub fn new(dirs: &[PathBuf]) -> Watch {
        Watch::with(dirs, true)
    }

    /// [`Watch::new`], or polling only when `inotify` is false (a test
    /// knob: `LOGSTAT_FOLLOW_POLL=1`).
    pub fn with(dirs: &[PathBuf], inotify: bool) -> Watch {
        if !inotify {
            return Watch { inotify: None };
        }
        // SAFETY: plain syscall; the descriptor is owned below.
        let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        if fd < 0 {
            return Watch { inotify: None };
        }
        // SAFETY: fd is a fresh descriptor owned by nothing else.
        let owned = unsafe { OwnedFd::from_raw_fd(fd) };
        let mask = libc::IN_MODIFY
            | libc::IN_CREATE
            | libc::IN_MOVED_TO
            | libc::IN_MOVED_FROM
            | libc::IN_DELETE
            | libc::IN_ATTRIB
            | libc::IN_CLOSE_WRITE;
        for d in dirs {
            let Ok(c) = std::ffi::CString::new(d.as_os_str().as_encoded_bytes()) else {
                return Watch { inotify: None };
            };
            // SAFETY: valid descriptor and NUL-terminated path.
            if unsafe { libc::inotify_add_watch(fd, c.as_ptr(), mask) } < 0 {
                return Watch { inotify: None };
            }
        }
        Watch { inotify: Some(owned) }
    }

    /// Whether changes come from inotify (else from a poll tick).
    pub fn is_inotify(&self) -> bool {
        self.inotify.is_some()
    }

    /// Sleep until a change, input on `extra`, a signal or `timeout`.
    pub fn wait(&self, timeout: Duration, extra: Option<RawFd>) -> Wake {
        let mut fds = Vec::with_capacity(2);
        if let Some(i) = &self.inotify {
            fds.push(libc::pollfd { fd: i.as_raw_fd(), events: libc::POLLIN, revents: 0 });
        }
        if let Some(e) = extra {
            fds.push(libc::pollfd { fd: e, events: libc::POLLIN, revents: 0 });
        }
        let limit = if self.inotify.is_some() { timeout } else { timeout.min(POLL_TICK) };
        let ms = limit.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: fds is a valid array of pollfd of the given length.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
        let mut wake = Wake::default();
        if n <= 0 {
            // Timeout or a signal: without inotify, a tick means "look".
            wake.changed = self.inotify.is_none() && n == 0;
            return wake;
        }
        for p in &fds {
            if p.revents == 0 {
                continue;
            }
            if Some(p.fd) == extra {
                wake.input = true;
            } else {
                wake.changed = true;
                self.drain();
            }
        }
        wake
    }

    /// Discard pending events (which file changed does not matter: all are read).
    fn drain(&self) {
        let Some(i) = &self.inotify else { return };
        let mut buf = [0u8; 4096];
        loop {
            // SAFETY: reading into a buffer of the given length.
            let n = unsafe { libc::read(i.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_append_wakes_the_watcher() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.log");
        std::fs::write(&p, "").unwrap();
        let w = Watch::new(&[d.path().to_path_buf()]);
        assert!(w.is_inotify(), "inotify is available on Linux test machines");
        let quiet = w.wait(Duration::from_millis(50), None);
        assert!(!quiet.changed);
        std::fs::write(&p, "x\n").unwrap();
        assert!(w.wait(Duration::from_secs(5), None).changed);
    }
}
