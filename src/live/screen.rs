//! `--follow` on a terminal: a full-screen view redrawn every interval and
//! on resize. Rates now and over 1/5/15 minutes, totals since start, the
//! status mix (4xx amber, 5xx red), latency, the top routes and clients and
//! the findings of the last minute, threshold alerts and notices. `q` or
//! Ctrl-C quits; the terminal is restored on quit, on a stop signal and on
//! panic. Colour follows `--color` and `NO_COLOR`.

use std::io::Write;
use std::time::Duration;

use super::tty::Tty;
use super::{RECENT, Settings, State, View, latency, signals};
use crate::engine::{Options, Run};
use crate::report::{Ctx, findings, routes};
use crate::status::Class;
use crate::text::{clip, escape};
use crate::units::{human_bytes, ms, percent, thousands};

/// How a piece of a line is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Bold,
    Dim,
    Amber,
    Red,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Plain => "",
            Style::Bold => "\x1b[1m",
            Style::Dim => "\x1b[2m",
            Style::Amber => "\x1b[33m",
            Style::Red => "\x1b[31m",
        }
    }
}

type Line = Vec<(String, Style)>;

/// The full-screen view.
pub struct Screen {
    tty: Tty,
    color: bool,
    top: usize,
    quit: bool,
    interval: Duration,
}

impl Screen {
    /// Take over the terminal.
    pub fn open(set: &Settings) -> std::io::Result<Screen> {
        Ok(Screen { tty: Tty::open()?, color: set.color, top: set.top, quit: false, interval: set.interval })
    }

    fn draw(&mut self, lines: &[Line]) -> std::io::Result<()> {
        let (w, h) = Tty::size();
        let mut out = String::with_capacity(w * h * 2);
        out.push_str("\x1b[H");
        for line in lines.iter().take(h) {
            let mut left = w;
            for (text, style) in line {
                if left == 0 {
                    break;
                }
                let t = clip(text, left);
                left -= t.chars().count();
                if self.color && *style != Style::Plain {
                    out.push_str(style.code());
                    out.push_str(&t);
                    out.push_str("\x1b[0m");
                } else {
                    out.push_str(&t);
                }
            }
            out.push_str("\x1b[K\r\n");
        }
        out.push_str("\x1b[J");
        let mut so = std::io::stdout().lock();
        so.write_all(out.as_bytes())?;
        so.flush()
    }
}

fn plain(s: impl Into<String>) -> (String, Style) {
    (s.into(), Style::Plain)
}

fn styled(s: impl Into<String>, st: Style) -> (String, Style) {
    (s.into(), st)
}

/// Style of a count of class `c`: amber for 4xx, red for 5xx, when non-zero.
fn tone(c: Class, n: u64) -> Style {
    match c {
        Class::ClientError if n > 0 => Style::Amber,
        Class::ServerError if n > 0 => Style::Red,
        _ => Style::Plain,
    }
}

fn hms(d: Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn rate(r: f64) -> String {
    if r >= 100.0 { thousands(r.round() as u64) } else { format!("{r:.1}") }
}

/// The lines of the view for `state`, `width` columns wide with room for
/// `rows` lines.
fn lines(state: &State, opts: &Options, top: usize, interval: Duration, width: usize, rows: usize) -> Vec<Line> {
    let mut v: Vec<Line> = Vec::new();
    let files: Vec<String> =
        state.files.iter().map(|(n, f)| format!("{n} ({})", f.as_deref().unwrap_or("waiting for lines"))).collect();
    let now = jiff::Timestamp::now().strftime("%H:%M:%S UTC").to_string();
    v.push(vec![
        styled("logstat --follow", Style::Bold),
        plain(format!("  {}  ", files.join(", "))),
        styled(
            format!("{now} · following {} · every {:?} · q quits", hms(state.started.elapsed()), interval),
            Style::Dim,
        ),
    ]);
    v.push(vec![styled("─".repeat(width.min(200)), Style::Dim)]);
    let now_rate = if state.last.seconds > 0.0 { state.last.requests as f64 / state.last.seconds } else { 0.0 };
    v.push(vec![
        styled("requests/s ", Style::Bold),
        plain(format!(
            " now {}   1 min {}   5 min {}   15 min {}",
            rate(now_rate),
            rate(state.rate(Duration::from_secs(60))),
            rate(state.rate(Duration::from_secs(300))),
            rate(state.rate(Duration::from_secs(900)))
        )),
    ]);
    let t = &state.total;
    let mut total = vec![
        styled("total      ", Style::Bold),
        plain(format!(
            " {} requests   {} lines   {} ",
            thousands(t.requests()),
            thousands(t.lines),
            human_bytes(t.bytes)
        )),
    ];
    let bad = t.malformed_total();
    total.push(styled(format!("  {} malformed", thousands(bad)), if bad > 0 { Style::Amber } else { Style::Plain }));
    if t.excluded > 0 {
        total.push(plain(format!("   {} excluded by filters", thousands(t.excluded))));
    }
    v.push(total);
    let recent = state.recent(opts.window);
    let req = recent.requests();
    let mut status = vec![styled("status 1m  ", Style::Bold)];
    for c in Class::ALL {
        let n = recent.in_class(c);
        status.push(plain(" "));
        status.push(styled(format!("{} {:.1}%", c.name(), percent(n, req)), tone(c, n)));
        status.push(plain("  "));
    }
    status.push(styled(format!(" of {}", thousands(req)), Style::Dim));
    v.push(status);
    let h = latency(&recent);
    v.push(match (h.quantile(5_000), h.quantile(9_900)) {
        (Some(p50), Some(p99)) => {
            vec![styled("latency 1m ", Style::Bold), plain(format!(" p50 {} ms   p99 {} ms", ms(p50), ms(p99)))]
        }
        _ => vec![
            styled("latency 1m ", Style::Bold),
            styled(" not logged (or no requests in the last minute)", Style::Dim),
        ],
    });
    v.push(Vec::new());
    // What is left is shared by routes, clients, findings, alerts, notes.
    let names = vec![String::new()];
    let run =
        Run { names, stats: recent, files: Vec::new(), zone: state.zone.clone(), failed_inputs: 0, unread_tails: 0 };
    let ctx = Ctx { run: &run, window: RECENT.as_secs() as i64, top: Some(top), failures: "" };
    let found = findings::findings(&ctx);
    let extra = found.len().min(5) + state.alerts.len().min(5) + state.notes.len().min(3) + 6;
    let n = (rows.saturating_sub(v.len() + extra) / 2).clamp(1, top.max(1));
    let key_w = width.saturating_sub(40).clamp(20, 100);
    v.push(vec![styled(
        format!("{:<key_w$} {:>10} {:>8} {:>8}", "TOP ROUTES · last minute", "requests", "4xx", "5xx"),
        Style::Bold,
    )]);
    let rs = routes::sorted(&ctx, Some(n));
    if rs.is_empty() {
        v.push(vec![styled("(none yet)", Style::Dim)]);
    }
    for (r, rc) in rs.into_iter().take(n) {
        let c = &rc.counts;
        let (e4, e5) = (c.in_class(Class::ClientError), c.in_class(Class::ServerError));
        v.push(vec![
            plain(format!("{:<key_w$} {:>10} ", clip(&escape(r), key_w), thousands(c.requests))),
            styled(format!("{:>8} ", thousands(e4)), tone(Class::ClientError, e4)),
            styled(format!("{:>8}", thousands(e5)), tone(Class::ServerError, e5)),
        ]);
    }
    v.push(vec![styled(
        format!("{:<key_w$} {:>10} {:>8} {:>8}", "TOP CLIENTS · last minute", "requests", "4xx", "5xx"),
        Style::Bold,
    )]);
    let cs = run.stats.who.clients.sorted();
    if cs.is_empty() {
        v.push(vec![styled("(none yet)", Style::Dim)]);
    }
    for (k, c) in cs.into_iter().take(n) {
        let (e4, e5) = (c.class[Class::ClientError.index()], c.class[Class::ServerError.index()]);
        v.push(vec![
            plain(format!("{:<key_w$} {:>10} ", clip(&escape(k), key_w), thousands(c.requests))),
            styled(format!("{:>8} ", thousands(e4)), tone(Class::ClientError, e4)),
            styled(format!("{:>8}", thousands(e5)), tone(Class::ServerError, e5)),
        ]);
    }
    if !found.is_empty() {
        v.push(vec![styled("FINDINGS · last minute", Style::Bold)]);
        for f in found.iter().take(5) {
            let st = match f.severity {
                "critical" => Style::Red,
                "warn" => Style::Amber,
                _ => Style::Plain,
            };
            let route = if f.route.is_empty() { String::new() } else { format!(" {}", f.route) };
            v.push(vec![
                styled(format!("{:<8}", f.severity), st),
                plain(format!(" {}{route}: {}", f.finding, f.detail)),
            ]);
        }
    }
    if !state.alerts.is_empty() {
        v.push(vec![styled("ALERTS (--fail-if)", Style::Bold)]);
        for a in state.alerts.iter().rev().take(5) {
            v.push(vec![styled(a.clone(), Style::Red)]);
        }
    }
    if !state.notes.is_empty() {
        v.push(vec![styled("NOTES", Style::Bold)]);
        for a in state.notes.iter().rev().take(3) {
            v.push(vec![styled(a.clone(), Style::Dim)]);
        }
    }
    v
}

impl View for Screen {
    fn interval(&mut self, state: &State, opts: &Options) -> std::io::Result<()> {
        let (w, h) = Tty::size();
        let l = lines(state, opts, self.top, self.interval, w, h);
        self.draw(&l)
    }

    fn note(&mut self, _: &str, _: bool) {}

    fn alert(&mut self, _: &str) {}

    fn input_fd(&self) -> Option<std::os::fd::RawFd> {
        Some(self.tty.fd())
    }

    fn key(&mut self) {
        for k in self.tty.read_keys() {
            if matches!(k, b'q' | b'Q' | 0x03) {
                self.quit = true;
            }
        }
    }

    fn quit_requested(&self) -> bool {
        self.quit
    }

    fn resized(&mut self) -> bool {
        signals::take_resized()
    }

    fn close(&mut self, state: &State) -> std::io::Result<()> {
        super::tty::leave();
        // What scrolled by on the screen, kept on stderr.
        for a in &state.alerts {
            eprintln!("logstat: {a}");
        }
        eprintln!(
            "logstat: followed for {}: {} requests, {} lines ({} malformed)",
            hms(state.started.elapsed()),
            thousands(state.total.requests()),
            thousands(state.total.lines),
            thousands(state.total.malformed_total())
        );
        Ok(())
    }
}
