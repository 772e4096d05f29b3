//! Counting lines as they are appended (`--follow`): the same parse, filter
//! and count as a whole-file run, one interval at a time.

use super::{FileCtx, Notice, Options, Scanner, Span};
use crate::filter::Filter;
use crate::format::LogFormat;
use crate::stats::Stats;
use crate::zone::Zone;

/// A followed input once its format is known.
struct Ready {
    format: LogFormat,
    filter: Filter,
}

/// Followed inputs and the counts of the interval being filled.
pub struct Live<'o> {
    opts: &'o Options,
    names: Vec<String>,
    inputs: Vec<Option<Ready>>,
    zone: Option<Zone>,
    scanner: Scanner,
    chunk: u32,
}

impl<'o> Live<'o> {
    /// Inputs named `names`, not yet read.
    pub fn new(opts: &'o Options, names: Vec<String>) -> Live<'o> {
        let inputs = names.iter().map(|_| None).collect();
        Live { opts, names, inputs, zone: opts.zone.clone(), scanner: Scanner::new(opts.window), chunk: 0 }
    }

    /// Choose input `idx`'s format from `sample` (its first bytes, or the
    /// first lines appended when it started empty). An empty sample waits
    /// for lines. Errors when a filter cannot apply to the format.
    pub fn detect(&mut self, idx: usize, sample: &[u8], notify: &mut dyn FnMut(Notice)) -> std::io::Result<()> {
        if sample.is_empty() || self.inputs[idx].is_some() {
            return Ok(());
        }
        let span = Span::default();
        let mut ctx = FileCtx {
            idx: idx as u32,
            name: &self.names[idx],
            opts: self.opts,
            zone: &mut self.zone,
            notify,
            span: &span,
        };
        let format = ctx.choose(sample, false, sample);
        let zone = ctx.zone();
        let filter = ctx.filter(&format, &zone)?;
        self.inputs[idx] = Some(Ready { format, filter });
        Ok(())
    }

    /// Count complete lines appended to input `idx` (its format must have
    /// been chosen: see [`Live::detect`]).
    pub fn feed(&mut self, idx: usize, lines: &[u8], notify: &mut dyn FnMut(Notice)) -> std::io::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        if self.inputs[idx].is_none() {
            self.detect(idx, lines, notify)?;
        }
        let Some(r) = &self.inputs[idx] else { return Ok(()) };
        let zone = self.zone.clone().unwrap_or(Zone::Fixed(0));
        let ctx = self.opts.scan_ctx(&r.format, &zone, idx as u32, &r.filter);
        self.scanner.chunk(&ctx, self.chunk, lines, |_| {});
        self.chunk = self.chunk.wrapping_add(1);
        Ok(())
    }

    /// The format chosen for input `idx`, once known.
    pub fn format(&self, idx: usize) -> Option<&LogFormat> {
        self.inputs[idx].as_ref().map(|r| &r.format)
    }

    /// The counts since the last call; the next interval starts empty.
    pub fn take(&mut self) -> Stats {
        std::mem::replace(&mut self.scanner.stats, Stats::new(self.opts.window))
    }

    /// The zone times are shown in.
    pub fn zone(&self) -> Zone {
        self.zone.clone().unwrap_or(Zone::Fixed(0))
    }
}
