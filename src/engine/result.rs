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
    /// Bytes (decompressed) to skip before reading.
    pub skip: u64,
    /// Bytes to read at most (`None`: to the end).
    pub limit: Option<u64>,
    /// Lines before the first line read (for line numbers).
    pub line_base: u64,
    /// The format this input was read with before (skips detection).
    pub format: Option<LogFormat>,
}

/// What happened to one input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileInfo {
    /// The input's name as given.
    pub name: String,
    /// The format it was read with (and its compression, if any).
    pub format: String,
    /// Lines read.
    pub lines: u64,
    /// Lines parsed (counted or excluded by filters).
    pub parsed: u64,
    /// Lines that could not be parsed.
    pub malformed: u64,
    /// Earliest time seen (Unix seconds).
    pub first: Option<i64>,
    /// Latest time seen (Unix seconds).
    pub last: Option<i64>,
    /// Bytes read (decompressed).
    pub bytes_read: u64,
}

/// Things worth telling the user on stderr while running.
pub enum Notice<'a> {
    /// The format of an input was detected (or a given one scored).
    Detected {
        /// The input's name.
        file: &'a str,
        /// What detection found.
        detection: &'a Detection,
        /// Whether detection chose the format (else it was given).
        chosen: bool,
    },
    /// An input could not be opened or read to its end.
    InputFailed(&'a InputError),
}

#[derive(Clone)]
/// The outcome of a run: every input's facts and the aggregate.
pub struct Run {
    /// Every input's name, in argument order (indexed by file number).
    pub names: Vec<String>,
    /// Everything counted, over all inputs.
    pub stats: Stats,
    /// Per-input facts, in argument order (inputs that could be opened).
    pub files: Vec<FileInfo>,
    /// The display zone: asked for, or the first input's offset.
    pub zone: Zone,
    /// Inputs that failed (not opened, or cut short).
    pub failed_inputs: usize,
    /// Rotated files whose unread tail was not found (`--state`): a gap in
    /// the counts, reported in the summary.
    pub unread_tails: u64,
}

/// What [`run_spans`](super::run_spans) read of one input that did not fail.
#[derive(Clone, Debug)]
pub struct Consumed {
    /// Bytes read after the span's `skip` (decompressed).
    pub bytes: u64,
    /// Lines read after the span's `skip`.
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
