//! One `--state` run: lock the state file, check it, plan where each input
//! resumes; after the run, fold the new counts into the running aggregate,
//! update file positions and write the state back.

use std::path::{Path, PathBuf};

use super::track::{self, Planned};
use super::{Lock, RunSnap, Settings, State, StateError};
use crate::engine::{Consumed, Run, Span};
use crate::input::Source;
use crate::stats::Stats;
use crate::zone::Zone;

/// An incremental run: the state read, what to read of each input, and the state to write.
pub struct Session {
    path: PathBuf,
    _lock: Lock,
    prev: Option<State>,
    plans: Vec<Planned>,
    /// Rotated files found beside a replaced input, read for their tail.
    extra: Vec<Source>,
    /// Notices about them.
    found: Vec<String>,
    /// Replaced files whose unread tail was not found.
    gaps: Vec<String>,
}

fn refuse(path: &Path, reason: String) -> StateError {
    StateError { path: path.to_path_buf(), reason }
}

impl Session {
    /// Lock and read the state at `path` and plan the inputs. `zone` is the
    /// run's `--tz`: it must match the state's, and is set from it when not
    /// given.
    pub fn open(
        path: &Path,
        inputs: &[Source],
        settings: &Settings,
        zone: &mut Option<Zone>,
    ) -> Result<Self, StateError> {
        let lock = Lock::take(path)?;
        let prev = super::read(path)?;
        if let Some(p) = &prev {
            if p.host != super::host_id() {
                return Err(refuse(
                    path,
                    format!(
                        "written on another machine ({}); file positions only hold where they were taken (start a new state file here, or combine results with logstat merge)",
                        p.host
                    ),
                ));
            }
            if &p.settings != settings {
                return Err(refuse(
                    path,
                    format!(
                        "written with other settings ({}); this run has ({}): use a new state file",
                        p.settings.describe(),
                        settings.describe()
                    ),
                ));
            }
            let kept = Zone::parse(&p.run.zone)
                .map_err(|_| refuse(path, format!("holds an unusable time zone '{}' (damaged?)", p.run.zone)))?;
            match (&*zone, Some(kept)) {
                (Some(z), Some(old)) if z.spec() != old.spec() => {
                    return Err(refuse(
                        path,
                        format!(
                            "windows were cut in {}; this run asks for {}: use a new state file",
                            old.describe(),
                            z.describe()
                        ),
                    ));
                }
                // The zone of the first line ever counted (not of an empty first run).
                (None, Some(old)) if p.run.stats.first.is_some() => *zone = Some(old),
                _ => {}
            }
        }
        let tracked = prev.as_ref().map_or(&[][..], |p| &p.tracked[..]);
        let mut plans = track::plan(inputs, tracked);
        let (mut extra, mut found, mut gaps) = (Vec::new(), Vec::new(), Vec::new());
        if let Some(p) = &prev {
            let given: Vec<PathBuf> =
                inputs.iter().filter_map(|s| if let Source::Path(p) = s { Some(p.clone()) } else { None }).collect();
            for lost in track::replaced(inputs, &plans, tracked, p.runs) {
                let t = &tracked[lost.entry];
                let Source::Path(live) = &inputs[lost.input] else { continue };
                let name = crate::text::escape(t.name.as_bytes());
                match track::find_rotated(live, t, &given) {
                    Some(rot) => {
                        found.push(format!(
                            "{name}: replaced since the last run (rotated); reading the rest of it from {} (after byte {})",
                            crate::text::escape(rot.as_os_str().as_encoded_bytes()),
                            t.offset
                        ));
                        plans.push(track::plan_tail(&rot, t, lost.entry));
                        extra.push(Source::Path(rot));
                    }
                    None => gaps.push(format!(
                        "{name}: replaced since the last run (rotated or truncated), and the rest of the old file \
                         (after byte {}, line {}) was not found beside it ({name}.1, .1.gz, .0, -YYYYMMDD…): \
                         its unread lines are not counted; name rotated files too ('{name}*'), \
                         or pass --allow-gaps to accept this",
                        t.offset, t.lines
                    )),
                }
            }
        }
        Ok(Session { path: path.to_path_buf(), _lock: lock, prev, plans, extra, found, gaps })
    }

    /// The inputs to read: those given, then rotated files found for the
    /// tail of a replaced one.
    pub fn inputs(&self, given: &[Source]) -> Vec<Source> {
        given.iter().cloned().chain(self.extra.iter().cloned()).collect()
    }

    /// Replaced files whose unread tail was not found: each is a gap in
    /// the counts (exit 1 unless `--allow-gaps`).
    pub fn gaps(&self) -> &[String] {
        &self.gaps
    }

    /// What the plan decided that the user should hear: copies read once,
    /// rotated files found.
    pub fn notes(&self, inputs: &[Source]) -> Vec<String> {
        self.copies(inputs).into_iter().chain(self.found.iter().cloned()).collect()
    }

    fn copies(&self, inputs: &[Source]) -> Vec<String> {
        let esc = |i: usize| crate::text::escape(inputs[i].name().as_bytes());
        self.plans
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let k = p.copy_of?;
                let what = if inputs[i].name() == inputs[k].name() { "named twice" } else { "same content as" };
                Some(if what == "named twice" {
                    format!("{}: named twice; read once", esc(i))
                } else {
                    format!("{}: {what} {} (a copy, e.g. compressed by logrotate); read once", esc(i), esc(k))
                })
            })
            .collect()
    }

    /// Where each input starts and stops.
    pub fn spans(&self) -> Vec<Span> {
        self.plans.iter().map(|p| p.span.clone()).collect()
    }

    /// Record this run; returns the running total (everything counted since
    /// the state was created) and the state to write, which the caller
    /// commits only once every output was written: a failed report must
    /// not move the positions past lines nobody saw.
    pub fn finish(
        self,
        inputs: &[Source],
        run: &Run,
        read: &[Option<Consumed>],
        settings: Settings,
    ) -> Result<(Run, Pending), StateError> {
        let runs = self.prev.as_ref().map_or(0, |p| p.runs) + 1;
        let old = self.prev.as_ref().map_or(&[][..], |p| &p.tracked[..]);
        let tracked = track::update(old, inputs, &self.plans, read, runs);
        let mut total = match self.prev.and_then(|p| p.run.into_run()) {
            Some(mut t) => {
                if t.stats.first.is_none() {
                    t.zone = run.zone.clone();
                }
                t
            }
            None => Run {
                names: Vec::new(),
                files: Vec::new(),
                zone: run.zone.clone(),
                failed_inputs: 0,
                unread_tails: 0,
                stats: Stats::new(settings.window),
            },
        };
        let mut this = run.clone();
        this.failed_inputs = 0;
        super::absorb(&mut total, this, true);
        total
            .stats
            .bound(settings.max_routes as usize, crate::stats::who::Limits { clients: settings.max_clients as usize });
        let snap = RunSnap::of(&total).map_err(|reason| refuse(&self.path, reason))?;
        let state = State { host: super::host_id(), settings, run: snap, tracked, runs };
        total.failed_inputs = run.failed_inputs;
        Ok((total, Pending { path: self.path, _lock: self._lock, state }))
    }
}

/// A state ready to be written, still under the session's lock.
pub struct Pending {
    path: PathBuf,
    _lock: Lock,
    state: State,
}

impl Pending {
    /// Write the state (atomically) and release the lock.
    pub fn commit(self) -> Result<(), StateError> {
        super::write(&self.path, &self.state)
    }
}
