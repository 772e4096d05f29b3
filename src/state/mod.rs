//! State files: a run's complete aggregate (for `--save-state` and
//! `logstat merge`), plus, for `--state`, where each log file was left.
//!
//! Layout: 8 bytes of magic `LOGSTAT\x00`, a little-endian u32 format
//! version, a u64 payload length, the payload (postcard), and a u64 FNV-1a
//! checksum of the payload. A file that is not ours, from another version,
//! truncated or damaged is refused with a clear error; nothing is reset
//! silently. Writes go to a temporary file in the same directory, are
//! synced, then renamed over the old one; `--state` holds an exclusive
//! `flock` on `FILE.lock` for the whole run.

pub mod session;
pub mod track;

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::{FileInfo, Run};
use crate::stats::latency::Metric;
use crate::stats::min_opt;
use crate::stats::snapshot::StatsSnap;
use crate::zone::Zone;

/// First bytes of every state file.
pub const MAGIC: [u8; 8] = *b"LOGSTAT\x00";
/// The state file format's version.
pub const VERSION: u32 = 3;

/// A state file that cannot be used: printed as `logstat: <path>: <reason>`.
#[derive(Debug, thiserror::Error)]
#[error("{}: {reason}", path.display())]
pub struct StateError {
    /// The state file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub reason: String,
}

fn err(path: &Path, reason: impl Into<String>) -> StateError {
    StateError { path: path.to_path_buf(), reason: reason.into() }
}

/// Settings that shape the aggregate: runs and merges must agree on them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `--window` in seconds, or automatic.
    pub window: Option<i64>,
    /// The `--failures` set.
    pub failures: String,
    /// The `--latency` metric.
    pub metric: Metric,
    /// The `--max-routes` bound.
    pub max_routes: u64,
    /// The `--max-clients` bound.
    pub max_clients: u64,
    /// The filters as given (for `--state`, which must not change them).
    pub filters: String,
    /// Body sizes kept per route and window (`--report sizes`).
    pub sizes: bool,
    /// Who called was counted (a who report, or `--who`).
    pub who: bool,
}

impl Settings {
    /// The settings as options, for messages.
    pub fn describe(&self) -> String {
        let w = self.window.map_or("auto".to_string(), crate::units::width_text);
        let f = if self.filters.is_empty() { "none".to_string() } else { self.filters.clone() };
        let sizes = if self.sizes { "with" } else { "without" };
        let who = if self.who { "with" } else { "without" };
        format!(
            "--window {w}, --failures {}, --latency {}, --max-routes {}, --max-clients {}, filters {f}, {sizes} the sizes report, {who} who counts (--who)",
            self.failures,
            self.metric.name(),
            self.max_routes,
            self.max_clients
        )
    }
}

/// A [`Run`] in serialisable form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSnap {
    /// Input names, by file number.
    pub names: Vec<String>,
    /// Per-input facts.
    pub files: Vec<FileInfo>,
    /// [`Zone::spec`] of the zone windows were cut in.
    pub zone: String,
    /// Inputs that failed.
    pub failed_inputs: u64,
    /// The aggregate.
    pub stats: StatsSnap,
}

impl RunSnap {
    /// The snapshot of a run (fails for a zone that cannot be saved).
    pub fn of(run: &Run) -> Result<RunSnap, String> {
        let zone = run.zone.spec().ok_or_else(|| {
            format!("the time zone {} has no name to save; give --tz with an IANA name or offset", run.zone.describe())
        })?;
        Ok(RunSnap {
            names: run.names.clone(),
            files: run.files.clone(),
            zone,
            failed_inputs: run.failed_inputs as u64,
            stats: StatsSnap::of(&run.stats),
        })
    }

    /// The run again (`None` when a value does not hold: an unknown zone).
    pub fn into_run(self) -> Option<Run> {
        Some(Run {
            names: self.names,
            files: self.files,
            zone: Zone::parse(&self.zone).ok()?,
            failed_inputs: self.failed_inputs as usize,
            unread_tails: 0,
            stats: self.stats.into_stats()?,
        })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
/// What a state file holds: the settings it was counted with, the run, and the inputs' positions.
pub struct State {
    /// The machine that wrote it (`/etc/machine-id`, else the host name).
    pub host: String,
    /// Settings that must match to add to or merge this state.
    pub settings: Settings,
    /// Everything counted so far.
    pub run: RunSnap,
    /// `--state` only: where each log file was left.
    pub tracked: Vec<track::Tracked>,
    /// Runs that wrote this state (for `--state`).
    pub runs: u64,
}

/// An identifier for this machine.
pub fn host_id() -> String {
    if let Ok(id) = std::fs::read_to_string("/etc/machine-id") {
        let id = id.trim();
        if !id.is_empty() {
            return id.to_string();
        }
    }
    match std::fs::read_to_string("/proc/sys/kernel/hostname") {
        Ok(h) if !h.trim().is_empty() => h.trim().to_string(),
        _ => "unknown".to_string(),
    }
}

/// 64-bit FNV-1a: stable across builds and platforms.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The bytes of a state file: magic, version, checksum, payload.
pub fn encode(state: &State) -> Result<Vec<u8>, String> {
    let payload = postcard::to_stdvec(state).map_err(|e| format!("cannot encode the state: {e}"))?;
    let mut out = Vec::with_capacity(payload.len() + 28);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&fnv1a(&payload).to_le_bytes());
    Ok(out)
}

/// Read a state file's bytes, checking magic, version and checksum.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<State, StateError> {
    if bytes.len() < 20 || bytes[..8] != MAGIC {
        return Err(err(path, "not a logstat state file (no LOGSTAT magic at its start)"));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != VERSION {
        return Err(err(
            path,
            format!(
                "state format version {version}; this logstat reads version {VERSION} (use the logstat that wrote it, or a new state file)"
            ),
        ));
    }
    let len = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let body = &bytes[20..];
    if (body.len() as u64) < len.saturating_add(8) || body.len() as u64 != len + 8 {
        return Err(err(path, "corrupted state file (truncated or extended: length does not match)"));
    }
    let (payload, sum) = body.split_at(len as usize);
    if fnv1a(payload).to_le_bytes() != sum {
        return Err(err(path, "corrupted state file (checksum mismatch)"));
    }
    postcard::from_bytes::<State>(payload).map_err(|e| err(path, format!("corrupted state file ({e})")))
}

/// Read a state file; `Ok(None)` when it does not exist.
pub fn read(path: &Path) -> Result<Option<State>, StateError> {
    match std::fs::read(path) {
        Ok(b) => decode(path, &b).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(err(path, e.to_string())),
    }
}

/// Write atomically: a temporary file beside it, synced, renamed over.
pub fn write(path: &Path, state: &State) -> Result<(), StateError> {
    let bytes = encode(state).map_err(|e| err(path, e))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| err(path, "not a file name"))?;
    let tmp = dir.join(format!(".{}.tmp.{}", name.to_string_lossy(), std::process::id()));
    let res = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok::<(), std::io::Error>(())
    })();
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(path, format!("cannot write the state: {e}"))
    })
}

/// `--save-state FILE`: a run's whole aggregate, for `logstat merge`.
pub fn save(path: &Path, run: &Run, settings: Settings) -> Result<(), StateError> {
    let snap = RunSnap::of(run).map_err(|reason| err(path, reason))?;
    write(path, &State { host: host_id(), settings, run: snap, tracked: Vec::new(), runs: 1 })
}

/// An exclusive lock on `FILE.lock`, held until dropped.
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Lock a state file for this run; refused while another run holds it.
    pub fn take(path: &Path) -> Result<Lock, StateError> {
        let mut lp = path.as_os_str().to_owned();
        lp.push(".lock");
        let lock_path = PathBuf::from(lp);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| err(&lock_path, format!("cannot open the lock file: {e}")))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(err(path, "in use by another logstat run (its .lock is held); nothing was read or written"))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(err(&lock_path, format!("cannot lock: {e}"))),
        }
    }
}

/// `logstat merge`: the states at `paths` combined in order, and their
/// common settings. States must agree on every setting but the filters, and
/// on the zone their windows were cut in.
pub fn merge(paths: &[PathBuf]) -> Result<(Run, Settings), StateError> {
    let mut total: Option<(Run, Settings)> = None;
    for path in paths {
        let st = read(path)?.ok_or_else(|| err(path, "no such file"))?;
        let run = st.run.into_run().ok_or_else(|| err(path, "corrupted state file (values out of range)"))?;
        let Some((t, s)) = &mut total else {
            total = Some((run, st.settings));
            continue;
        };
        let unfiltered = |x: &Settings| Settings { filters: String::new(), ..x.clone() };
        if unfiltered(s) != unfiltered(&st.settings) {
            return Err(err(
                path,
                format!(
                    "aggregated with other settings ({}) than the first state ({}); aggregate every log with the same \
                     --window, --failures, --latency, --max-routes and sizes report",
                    st.settings.describe(),
                    s.describe()
                ),
            ));
        }
        if t.zone.spec() != run.zone.spec() {
            return Err(err(
                path,
                format!(
                    "windows cut in {}, the first state's in {}; aggregate every log with the same --tz (e.g. --tz UTC)",
                    run.zone.describe(),
                    t.zone.describe()
                ),
            ));
        }
        absorb(t, run, false);
        t.stats.bound(s.max_routes as usize, crate::stats::who::Limits { clients: s.max_clients as usize });
    }
    total.ok_or_else(|| err(Path::new("merge"), "no state files given"))
}

/// Fold `other` into `into`. `by_name` (incremental runs) merges inputs of
/// the same name into one entry; otherwise (merging servers) they are
/// appended, as if given after `into`'s inputs in one run.
pub fn absorb(into: &mut Run, other: Run, by_name: bool) {
    let mut map = Vec::with_capacity(other.names.len());
    for name in &other.names {
        let at = match into.names.iter().position(|n| by_name && n == name) {
            Some(i) => i,
            None => {
                into.names.push(name.clone());
                into.names.len() - 1
            }
        };
        map.push(at as u32);
    }
    for f in other.files {
        match into.files.iter_mut().find(|g| by_name && g.name == f.name) {
            Some(g) => {
                g.lines += f.lines;
                g.parsed += f.parsed;
                g.malformed += f.malformed;
                g.bytes_read += f.bytes_read;
                g.first = min_opt(g.first, f.first, i64::min);
                g.last = min_opt(g.last, f.last, i64::max);
                g.format = f.format;
            }
            None => into.files.push(f),
        }
    }
    let mut stats = other.stats;
    for s in &mut stats.samples {
        s.file = map.get(s.file as usize).copied().unwrap_or(s.file);
    }
    into.stats.merge(stats);
    into.failed_inputs += other.failed_inputs;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> State {
        let run = Run {
            names: vec!["a.log".into()],
            files: Vec::new(),
            zone: Zone::Fixed(3_600),
            failed_inputs: 0,
            unread_tails: 0,
            stats: crate::stats::Stats::new(None),
        };
        State {
            host: "h".into(),
            settings: Settings {
                window: None,
                failures: "5xx".into(),
                metric: Metric::Auto,
                max_routes: 10,
                max_clients: 10,
                filters: String::new(),
                sizes: false,
                who: false,
            },
            run: RunSnap::of(&run).unwrap(),
            tracked: Vec::new(),
            runs: 1,
        }
    }

    #[test]
    fn round_trip_and_damage_is_refused() {
        let p = Path::new("s");
        let bytes = encode(&sample()).unwrap();
        let back = decode(p, &bytes).unwrap();
        assert_eq!(back.run, sample().run);
        assert_eq!(back.run.zone, "+01:00");
        let mut bad = bytes.clone();
        let mid = bad.len() / 2;
        bad[mid] ^= 0x40;
        assert!(decode(p, &bad).unwrap_err().reason.contains("checksum"));
        assert!(decode(p, &bytes[..bytes.len() - 3]).unwrap_err().reason.contains("length"));
        assert!(decode(p, b"hello world, not a state file").unwrap_err().reason.contains("magic"));
        let mut v2 = bytes.clone();
        v2[8] = 9;
        assert!(decode(p, &v2).unwrap_err().reason.contains("version 9"));
    }

    /// A tampered payload with a recomputed checksum decodes to an error or
    /// to a state whose aggregate is checked; nothing panics, and reports
    /// render.
    #[test]
    fn tampered_states_never_panic() {
        let mut g = crate::synth::Generator::new(3, 1_700_000_000, 100_000);
        g.timings = true;
        let mut text = String::new();
        for _ in 0..300 {
            g.line(&mut text);
        }
        let opts = crate::engine::Options::default();
        let run = crate::engine::run_reader("t.log", Box::new(std::io::Cursor::new(text.into_bytes())), &opts).unwrap();
        let mut st = sample();
        st.run = RunSnap::of(&run).unwrap();
        let good = encode(&st).unwrap();
        let payload = &good[20..good.len() - 8];
        let mut rng = crate::synth::Rng::new(9);
        for round in 0..3_000 {
            let mut p = payload.to_vec();
            for _ in 0..1 + round % 4 {
                let i = (rng.next_u64() % p.len() as u64) as usize;
                p[i] = rng.next_u64() as u8;
            }
            let mut bytes = good[..12].to_vec();
            bytes.extend_from_slice(&(p.len() as u64).to_le_bytes());
            bytes.extend_from_slice(&p);
            bytes.extend_from_slice(&fnv1a(&p).to_le_bytes());
            let Ok(s) = decode(Path::new("x"), &bytes) else { continue };
            let Some(run) = s.run.into_run() else { continue };
            let ctx = crate::report::Ctx { run: &run, window: 60, top: Some(5), failures: "5xx" };
            for k in crate::report::Kind::ALL {
                let _ = crate::report::table(k, &ctx);
            }
        }
    }

    /// A state whose checksum is valid but whose zone is not a zone is
    /// refused, and left as it was (issue 16 #4: it used to be reset).
    #[test]
    fn unusable_zone_is_refused_not_reset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.state");
        let mut st = sample();
        st.host = host_id();
        st.run.zone = "Mars/Olympus".into();
        write(&path, &st).unwrap();
        let before = std::fs::read(&path).unwrap();
        let settings = st.settings.clone();
        let err = session::Session::open(&path, &[], &settings, &mut None).err().expect("refused");
        assert!(err.reason.contains("time zone"), "{}", err.reason);
        assert_eq!(std::fs::read(&path).unwrap(), before, "untouched");
    }
}
