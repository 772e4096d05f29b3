//! What a run gives: per-input facts, the aggregate, and what was read of
//! each input (for incremental runs).

use crate::error::InputError;
use crate::format::LogFormat;
use crate::parse::detect::Detection;
use crate::stats::Stats;
use crate::zone::Zone;

/// The part of an input to read: from `skip` bytes (decompressed), at most
/// `limit` bytes; line numbers continue from `line_base`. Incremental runs
/// (`--state`) resume this way; a plain run reads everything.
#[derive(Clone, Debug, Default)]
pub struct Span {
    pub skip: u64,
    pub limit: Option<u64>,
    pub line_base: u64,
    /// The format this input was read with before (skips detection).
    pub format: Option<LogFormat>,
}

/// What happened to one input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileInfo {
    pub name: String,
    pub format: String,
    pub lines: u64,
    pub parsed: u64,
    pub malformed: u64,
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub bytes_read: u64,
}

/// Things worth telling the user on stderr while running.
pub enum Notice<'a> {
    Detected { file: &'a str, detection: &'a Detection, chosen: bool },
    InputFailed(&'a InputError),
}

#[derive(Clone)]
pub struct Run {
    /// Every input's name, in argument order (indexed by file number).
    pub names: Vec<String>,
    pub stats: Stats,
    pub files: Vec<FileInfo>,
    pub zone: Zone,
    pub failed_inputs: usize,
}

/// What [`run_spans`] read of one input that did not fail.
#[derive(Clone, Debug)]
pub struct Consumed {
    /// Bytes read after the span's `skip` (decompressed).
    pub bytes: u64,
    pub lines: u64,
    /// The format's name as chosen (without the compression label).
    pub format: String,
}

impl Run {
    /// The escaped name of input number `idx`.
    pub fn files_by_idx(&self, idx: u32) -> String {
        self.names.get(idx as usize).map_or_else(String::new, |n| crate::text::escape(n.as_bytes()))
    }
}

/// What one input gave.
pub(super) struct Outcome {
    pub(super) stats: Stats,
    /// The format's own name.
    pub(super) format_name: String,
    /// The format's name (with the compression, if any).
    pub(super) format: String,
    pub(super) bytes_read: u64,
    /// A read error that ended the input early (what came before is counted).
    pub(super) error: Option<std::io::Error>,
}

impl Outcome {
    /// Final line numbers, and what the files report says about this input.
    pub(super) fn finish(self, name: &str) -> (Stats, FileInfo, Option<std::io::Error>) {
        let mut stats = self.stats;
        stats.fix_lines();
        let info = FileInfo {
            name: name.to_string(),
            format: self.format,
            lines: stats.lines,
            parsed: stats.parsed,
            malformed: stats.malformed_total(),
            first: stats.first,
            last: stats.last,
            bytes_read: self.bytes_read,
        };
        (stats, info, self.error)
    }
}
