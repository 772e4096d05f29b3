//! The one `unsafe` in logstat: memory-mapping a log file.

use std::fs::File;

use memmap2::Mmap;

/// Files smaller than this are read, not mapped: mapping costs more than it
/// saves on small files.
pub const MIN_MAP_BYTES: u64 = 1 << 20;

/// Map `file` read-only.
///
/// SAFETY: `Mmap::map` is unsafe because the mapped bytes can change or
/// vanish underneath us if another process modifies the file. logstat only
/// reads the map as `&[u8]` and makes no assumption about its contents (every
/// byte sequence parses or is counted malformed), so concurrent *appends* and
/// rewrites are harmless. A file *truncated* while mapped (logrotate's
/// `copytruncate`) makes access to the lost pages raise SIGBUS; the `auto`
/// policy therefore maps only files of at least [`MIN_MAP_BYTES`], and
/// `--mmap never` reads with ordinary reads for live files that may be
/// truncated. (A guarded policy for live files is tracked in the robustness
/// issue.)
pub fn map(file: &File) -> std::io::Result<Mmap> {
    unsafe { Mmap::map(file) }
}
