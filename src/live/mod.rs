//! `--follow`: watch growing logs. Appended lines are parsed, filtered and
//! counted exactly as in a whole-file run, one interval at a time; each
//! interval becomes a row for a pipe ([`rows`]) or a redraw of the
//! full-screen view on a terminal ([`screen`]). `--fail-if` is checked on
//! every interval.
//!
//! Memory is bounded however long it runs: an interval's counts are
//! folded into the running total (bounded like any run) and into a
//! one-minute window of bounded intervals, then dropped; rates keep one
//! number per interval for fifteen minutes.

pub mod rows;
pub mod screen;
mod signals;
mod tty;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::engine::{Live, Notice, Options};
use crate::input::follow::{Change, Followed};
use crate::input::watch::Watch;
use crate::stats::Stats;
use crate::stats::latency::Hist;
use crate::threshold::Threshold;

/// How results are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The full-screen view (stdout is a terminal).
    Screen,
    /// One CSV row per interval, header once.
    Csv,
    /// One JSON object per line per interval.
    Json,
}

/// What `--follow` was asked for.
pub struct Settings {
    /// The files to follow.
    pub files: Vec<PathBuf>,
    /// Read what the files hold first (`--from-start`), else start at their ends.
    pub from_start: bool,
    /// Interval between rows or redraws.
    pub interval: Duration,
    /// Screen or rows.
    pub mode: Mode,
    /// Colour on the screen.
    pub color: bool,
    /// Thresholds checked on every interval.
    pub fail_if: Vec<Threshold>,
    /// Rows per table on the screen.
    pub top: usize,
    /// No notices on stderr (format chosen, rotations).
    pub quiet: bool,
    /// Poll instead of inotify (test knob `LOGSTAT_FOLLOW_POLL=1`).
    pub poll: bool,
}

/// One interval's numbers: a row of the stream.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Interval {
    /// When it ended (Unix milliseconds).
    pub end_ms: i64,
    /// Its length in seconds.
    pub seconds: f64,
    /// Requests counted (parsed, kept by the filters).
    pub requests: u64,
    /// Requests per class: 1xx … 5xx, then other.
    pub class: [u64; 6],
    /// Response body bytes.
    pub bytes: u64,
    /// Requests in the `--failures` set.
    pub failures: u64,
    /// Latency quantiles in microseconds, when timed.
    pub p50: Option<u64>,
    /// 99th percentile.
    pub p99: Option<u64>,
    /// Lines read (requests + excluded + malformed).
    pub lines: u64,
    /// Lines that did not parse.
    pub malformed: u64,
    /// Parsed lines the filters left out.
    pub excluded: u64,
}

/// The latency histogram over every class.
pub fn latency(s: &Stats) -> Hist {
    let mut h = Hist::default();
    s.timing.class.iter().for_each(|c| h.merge(c));
    h
}

impl Interval {
    /// The numbers of `s`, an interval of `seconds` ending at `end`.
    pub fn of(s: &Stats, end_ms: i64, seconds: f64) -> Interval {
        let h = latency(s);
        Interval {
            end_ms,
            seconds,
            requests: s.requests(),
            class: s.classes,
            bytes: s.bytes,
            failures: s.failures,
            p50: h.quantile(5_000),
            p99: h.quantile(9_900),
            lines: s.lines,
            malformed: s.malformed_total(),
            excluded: s.excluded,
        }
    }
}

/// Routes and clients kept per interval for the one-minute view (only
/// the top few are shown).
const RECENT_CAP: usize = 2_000;
/// The recent window shown for top routes, clients, latency and findings.
pub const RECENT: Duration = Duration::from_secs(60);
/// Rates are kept this long (the 15-minute rate).
const RATES: Duration = Duration::from_secs(15 * 60);

/// What the view shows: totals, rates, the recent window, alerts.
pub struct State {
    /// Counts since start (bounded like any run).
    pub total: Stats,
    /// The intervals of the last minute.
    pub recent: VecDeque<(Instant, Stats)>,
    /// Requests per interval for the last fifteen minutes.
    pub rates: VecDeque<(Instant, u64, f64)>,
    /// The last interval.
    pub last: Interval,
    /// When following started.
    pub started: Instant,
    /// Threshold crossings so far, newest last (bounded).
    pub alerts: VecDeque<String>,
    /// Whether any threshold was ever crossed.
    pub crossed: bool,
    /// Notices (rotations, truncations), newest last (bounded).
    pub notes: VecDeque<String>,
    /// The files followed, with the format chosen.
    pub files: Vec<(String, Option<String>)>,
    /// The zone times are shown in.
    pub zone: crate::zone::Zone,
}

const KEEP_NOTES: usize = 20;

fn push_bounded(q: &mut VecDeque<String>, s: String) {
    if q.len() == KEEP_NOTES {
        q.pop_front();
    }
    q.push_back(s);
}

impl State {
    /// Requests per second over the last `span` (what is known of it).
    pub fn rate(&self, span: Duration) -> f64 {
        let now = Instant::now();
        let (mut n, mut secs) = (0u64, 0f64);
        for (at, req, s) in self.rates.iter().rev() {
            if now.duration_since(*at) > span {
                break;
            }
            n += req;
            secs += s;
        }
        if secs > 0.0 { n as f64 / secs } else { 0.0 }
    }

    /// The counts of the last minute, merged.
    pub fn recent(&self, window: Option<i64>) -> Stats {
        let mut s = Stats::new(window);
        for (_, i) in &self.recent {
            s.merge(i.clone());
        }
        s
    }
}

/// Follow the files until interrupted (SIGINT, SIGTERM, `q` on the
/// screen). Returns whether a threshold was ever crossed. Files that cannot
/// be opened are an error before anything starts.
pub fn follow(set: &Settings, opts: &Options) -> std::io::Result<bool> {
    let mut files = Vec::with_capacity(set.files.len());
    for p in &set.files {
        let f = Followed::open(p, set.from_start, crate::stats::MAX_LINE_BYTES).map_err(|e| {
            std::io::Error::new(e.kind(), format!("{}: {e}", crate::text::escape(p.as_os_str().as_encoded_bytes())))
        })?;
        files.push(f);
    }
    let names: Vec<String> = set.files.iter().map(|p| crate::text::escape(p.as_os_str().as_encoded_bytes())).collect();
    let mut live = Live::new(opts, names.clone());
    let mut notes: Vec<String> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let head = f.head(crate::parse::detect::SAMPLE_BYTES);
        if head.is_empty() {
            notes.push(format!("{}: empty; the format will be chosen from the first lines appended", names[i]));
        }
        live.detect(i, &head, &mut |n| detected(&mut notes, n))?;
    }
    let dirs: Vec<PathBuf> = {
        let mut d: Vec<PathBuf> = files.iter().map(Followed::dir).collect();
        d.sort();
        d.dedup();
        d
    };
    let watch = Watch::with(&dirs, !set.poll);
    signals::install();
    let mut view: Box<dyn View> = match set.mode {
        Mode::Screen => Box::new(screen::Screen::open(set)?),
        m => Box::new(rows::Rows::new(m, set.interval)),
    };
    let mut state = State {
        total: Stats::new(opts.window),
        recent: VecDeque::new(),
        rates: VecDeque::new(),
        last: Interval::default(),
        started: Instant::now(),
        alerts: VecDeque::new(),
        crossed: false,
        notes: VecDeque::new(),
        files: names.iter().map(|n| (n.clone(), None)).collect(),
        zone: live.zone(),
    };
    for n in notes.drain(..) {
        view.note(&n, set.quiet);
        push_bounded(&mut state.notes, n);
    }
    let (mut out, mut buf, mut changes) = (Vec::new(), vec![0u8; 1 << 16], Vec::new());
    let mut last_error: Vec<Option<String>> = vec![None; files.len()];
    let mut tick_start = Instant::now();
    let mut next = tick_start + set.interval;
    let result = loop {
        let stop = signals::stopped() || view.quit_requested();
        let now = Instant::now();
        let due = now >= next || stop;
        // Read on every wake: what was appended goes into this interval.
        let mut fatal = None;
        for (i, f) in files.iter_mut().enumerate() {
            changes.clear();
            out.clear();
            match f.read(&mut out, &mut buf, &mut changes) {
                // Said once, not on every wake; again if it changes.
                Err(e) if last_error[i].as_ref() != Some(&e.to_string()) => {
                    let note = format!("{}: {e}", names[i]);
                    view.note(&note, false);
                    push_bounded(&mut state.notes, note);
                    last_error[i] = Some(e.to_string());
                }
                Err(_) => {}
                Ok(()) => last_error[i] = None,
            }
            if let Err(e) = live.feed(i, &out, &mut |n| detected(&mut notes, n)) {
                fatal = Some(e);
                break;
            }
            for c in &changes {
                let note = change_note(&names[i], c);
                view.note(&note, set.quiet);
                push_bounded(&mut state.notes, note);
            }
        }
        if let Some(e) = fatal {
            break Err(e);
        }
        for n in notes.drain(..) {
            view.note(&n, set.quiet);
            push_bounded(&mut state.notes, n);
        }
        for (i, f) in state.files.iter_mut().enumerate() {
            if f.1.is_none() {
                f.1 = live.format(i).map(|f| f.name.clone());
            }
        }
        if due {
            let now = Instant::now();
            let seconds = now.duration_since(tick_start).as_secs_f64();
            tick_start = now;
            state.zone = live.zone();
            state.close_interval(live.take(), now, seconds, &set.fail_if, view.as_mut(), opts);
            if let Err(e) = view.interval(&state, opts) {
                break Err(e);
            }
            // The next tick on the interval grid; after a stall, from now.
            next += set.interval;
            if next <= now {
                next = now + set.interval;
            }
        } else if view.resized()
            && let Err(e) = view.interval(&state, opts)
        {
            break Err(e);
        }
        if stop {
            break Ok(());
        }
        let wait = next.saturating_duration_since(Instant::now());
        // Coalesce bursts of change events: at most one read per 50 ms.
        let wake = watch.wait(wait, view.input_fd());
        if wake.input {
            view.key();
        }
        if wake.changed && !due {
            std::thread::sleep(Duration::from_millis(50).min(next.saturating_duration_since(Instant::now())));
        }
    };
    let crossed = state.crossed;
    view.close(&state)?;
    result.map(|()| crossed)
}

/// What happened to a followed file, as a notice.
fn change_note(name: &str, c: &Change) -> String {
    match c {
        Change::Rotated => {
            format!("{name}: rotated; the old file was read to its end, the new one is followed from its start")
        }
        Change::Truncated { was } => {
            format!("{name}: truncated (copytruncate) after {was} bytes; followed from its start")
        }
        Change::Gone => format!("{name}: moved or deleted; still reading the open file"),
        Change::Overlong => {
            format!(
                "{name}: a line longer than {} MiB was cut; counted as malformed",
                crate::stats::MAX_LINE_BYTES >> 20
            )
        }
    }
}

impl State {
    /// An interval ended at `now` after `seconds` with the counts `s`:
    /// check the thresholds on it, then fold it into the rates, the recent
    /// minute and the running total (each bounded).
    fn close_interval(
        &mut self,
        mut s: Stats,
        now: Instant,
        seconds: f64,
        fail_if: &[Threshold],
        view: &mut dyn View,
        opts: &Options,
    ) {
        s.forget_positions();
        self.last = Interval::of(&s, jiff::Timestamp::now().as_millisecond(), seconds);
        for t in fail_if {
            if let (Some(shown), _) = t.check(&s) {
                self.crossed = true;
                let at = jiff::Timestamp::now().strftime("%H:%M:%S").to_string();
                let msg = format!("{at} --fail-if '{}' crossed: {shown}", t.text);
                view.alert(&msg);
                push_bounded(&mut self.alerts, msg);
            }
        }
        self.rates.push_back((now, self.last.requests, seconds));
        while self.rates.front().is_some_and(|r| now.duration_since(r.0) > RATES) {
            self.rates.pop_front();
        }
        let mut recent = s.clone();
        recent.bound(RECENT_CAP, crate::stats::who::Limits { clients: RECENT_CAP });
        self.recent.push_back((now, recent));
        while self.recent.front().is_some_and(|r| now.duration_since(r.0) > RECENT) {
            self.recent.pop_front();
        }
        self.total.merge(s);
        self.total.bound(opts.max_routes, crate::stats::who::Limits { clients: opts.max_clients });
    }
}

/// A format chosen, as a notice.
fn detected(notes: &mut Vec<String>, n: Notice) {
    if let Notice::Detected { file, detection: d, chosen } = n {
        let how = if chosen { "format" } else { "format (given)" };
        notes.push(format!("{file}: {how} {} ({} of {} sample lines match)", d.format.name, d.matched, d.sampled));
    }
}

/// Where intervals go: the screen or a stream of rows.
pub trait View {
    /// An interval ended: write its row, or redraw.
    fn interval(&mut self, state: &State, opts: &Options) -> std::io::Result<()>;
    /// A notice (format chosen, rotation): stderr for rows, a line on screen.
    fn note(&mut self, msg: &str, quiet: bool);
    /// A threshold crossed in an interval.
    fn alert(&mut self, msg: &str);
    /// The descriptor keys come from, if any.
    fn input_fd(&self) -> Option<std::os::fd::RawFd> {
        None
    }
    /// Read pending keys.
    fn key(&mut self) {}
    /// Whether the user asked to quit.
    fn quit_requested(&self) -> bool {
        false
    }
    /// Whether the terminal was resized since the last draw.
    fn resized(&mut self) -> bool {
        false
    }
    /// Following ends: restore the terminal, say what was crossed.
    fn close(&mut self, state: &State) -> std::io::Result<()>;
}
