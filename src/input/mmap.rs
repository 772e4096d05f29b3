//! The one `unsafe` corner of logstat: memory-mapping a log file, guarded
//! against files that shrink underneath us.
//!
//! Policy (`--mmap`): `auto` maps regular files of at least
//! [`MIN_MAP_BYTES`] and reads the rest; `always` maps every non-empty
//! regular file; `never` reads. Compressed files and stdin are always read.
//!
//! A file truncated while mapped (logrotate's `copytruncate` does this to
//! the live log) makes the lost pages raise SIGBUS on access, which would
//! kill the process. logstat installs a SIGBUS handler that, for a fault
//! inside one of its registered mappings, maps a zero-filled page over the
//! lost page and flags that mapping; the access then reads zeros and the run
//! goes on. The engine drops every chunk that a truncation touched (it checks
//! the flag and the file's size after each chunk), so zeros are never
//! counted, and reports the input as cut short (exit code 1). A SIGBUS
//! outside our mappings gets the default action, as before.

use std::fs::File;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use memmap2::Mmap;

/// Files smaller than this are read, not mapped: mapping costs more than it
/// saves on small files.
pub const MIN_MAP_BYTES: u64 = 1 << 20;

const SLOTS: usize = 64;
static STARTS: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static ENDS: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static FAULTED: [AtomicBool; SLOTS] = [const { AtomicBool::new(false) }; SLOTS];
static PAGE: AtomicUsize = AtomicUsize::new(4096);
static INSTALL: Once = Once::new();

extern "C" fn on_sigbus(_sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo_t for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    let page = PAGE.load(Ordering::Relaxed);
    for i in 0..SLOTS {
        let (s, e) = (STARTS[i].load(Ordering::Acquire), ENDS[i].load(Ordering::Acquire));
        if s != 0 && addr >= s && addr < e {
            let at = addr & !(page - 1);
            // SAFETY: `at` is a page inside a mapping we own; replacing it
            // with a private anonymous page (zeros) is what keeps the read
            // from faulting again. mmap is async-signal-safe.
            let r = unsafe {
                libc::mmap(
                    at as *mut libc::c_void,
                    page,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            if r != libc::MAP_FAILED {
                FAULTED[i].store(true, Ordering::Release);
                return;
            }
        }
    }
    // Not ours: restore the default action; the faulting access runs again
    // and the process ends with SIGBUS as it would have without us.
    // SAFETY: signal() with SIG_DFL is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGBUS, libc::SIG_DFL);
    }
}

fn install() {
    INSTALL.call_once(|| {
        // SAFETY: sysconf and sigaction with a zeroed, filled-in struct.
        unsafe {
            let p = libc::sysconf(libc::_SC_PAGESIZE);
            if p > 0 {
                PAGE.store(p as usize, Ordering::Relaxed);
            }
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_sigbus as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(libc::SIGBUS, &sa, std::ptr::null_mut());
        }
    });
}

/// A read-only mapping registered with the SIGBUS guard.
pub struct GuardedMap {
    map: Mmap,
    file: File,
    slot: Option<usize>,
}

impl GuardedMap {
    /// Whether a truncation has hit this mapping so far.
    pub fn faulted(&self) -> bool {
        self.slot.is_some_and(|i| FAULTED[i].load(Ordering::Acquire))
    }

    /// Map the pages of `part` (a slice of this map) in one call before
    /// they are read, and ask for `next` to be read ahead meanwhile: page
    /// faults (one per 64 KiB) were 5% of a one-thread run on a cached
    /// file. Advice only: a failure (an old kernel, a truncated file)
    /// leaves the pages to fault in as before.
    pub fn populate(&self, part: &[u8], next: &[u8]) {
        use memmap2::Advice;
        for (p, advice) in [(part, Advice::PopulateRead), (next, Advice::WillNeed)] {
            let Some(off) = (p.as_ptr() as usize).checked_sub(self.map.as_ptr() as usize) else { continue };
            if !p.is_empty() && off + p.len() <= self.map.len() {
                let _ = self.map.advise_range(advice, off, p.len());
            }
        }
    }

    /// Drop the page-table entries of the whole pages inside `part` (a
    /// slice of this map) once it has been read: unmapping a 1 GiB file at
    /// the end took 30–45 ms on one thread (100 MB: 3–5 ms); the engine
    /// releases each batch once it is counted, on a worker while the other
    /// workers go on counting. Each call flushes the TLBs of
    /// the other cores running this process, so it is made once a batch,
    /// not once a chunk. Advice only: a failure leaves the pages mapped
    /// until the end.
    pub fn release(&self, part: &[u8]) {
        let page = PAGE.load(Ordering::Relaxed).max(1);
        let Some(off) = (part.as_ptr() as usize).checked_sub(self.map.as_ptr() as usize) else { return };
        // Only pages wholly inside `part`: a page shared with the next
        // chunk may still be being read.
        let (start, end) = (off.div_ceil(page) * page, (off + part.len()) / page * page);
        if start < end && end <= self.map.len() {
            // SAFETY: the map is a shared mapping of a file opened read-only
            // (memmap2 maps with MAP_SHARED, and nothing writes it), so
            // MADV_DONTNEED only drops page-table entries: a later read of
            // these bytes (a chunk counted again after a truncation) faults
            // the same file pages back in, or meets the SIGBUS guard as any
            // read would. Pages the guard replaced are private anonymous
            // zeros, which DONTNEED leaves zero.
            let _ = unsafe { self.map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start) };
        }
    }

    /// The file's length now (it may have shrunk since mapping).
    pub fn current_len(&self) -> u64 {
        self.file.metadata().map_or(0, |m| m.len())
    }
}

impl std::ops::Deref for GuardedMap {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.map
    }
}

impl Drop for GuardedMap {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            STARTS[i].store(0, Ordering::Release);
            ENDS[i].store(0, Ordering::Release);
            FAULTED[i].store(false, Ordering::Release);
        }
    }
}

/// Map `file` read-only under the guard. Fails (and the caller reads
/// instead) when all guard slots are in use.
pub fn map(file: File) -> std::io::Result<GuardedMap> {
    install();
    // SAFETY: `Mmap::map` is unsafe because another process may change the
    // file while it is mapped. Changed bytes are harmless (every byte
    // sequence parses or is counted malformed, and nothing assumes UTF-8);
    // lost pages (truncation) are turned from SIGBUS into zeros by the guard
    // above, and the engine discards what they touched.
    let map = unsafe { Mmap::map(&file)? };
    let (s, e) = (map.as_ptr() as usize, map.as_ptr() as usize + map.len());
    for i in 0..SLOTS {
        if STARTS[i].compare_exchange(0, s, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            FAULTED[i].store(false, Ordering::Release);
            ENDS[i].store(e, Ordering::Release);
            return Ok(GuardedMap { map, file, slot: Some(i) });
        }
    }
    Err(std::io::Error::other("too many mapped files"))
}
