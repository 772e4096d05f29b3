//! Where one thread's time goes, stage by stage, in ns per line:
//! `cargo run --release --example stages -- FILE [MB]` (default 200 MB of FILE).
//! Used to decide what to optimise; the figures are for comparison between
//! builds on one machine, not targets.

use std::hint::black_box;
use std::time::Instant;

use logstat::format::presets::preset;
use logstat::parse::{parse_line, route};
use logstat::zone::Zone;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: stages FILE [MB]");
    let mb: usize = args.next().map_or(200, |s| s.parse().expect("MB"));
    let data = std::fs::read(&path).expect("read");
    let cut = data.len().min(mb << 20);
    let cut = memchr::memrchr(b'\n', &data[..cut]).map_or(cut, |i| i + 1);
    let data = &data[..cut];
    let fmt = preset("combined").unwrap();
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let n = lines.len() as f64;
    let time = |name: &str, f: &mut dyn FnMut() -> u64| {
        let mut best = f64::MAX;
        let mut r = 0;
        for _ in 0..5 {
            let t = Instant::now();
            r = f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{name:<28} {:7.1} ns/line  ({r})", best * 1e9 / n);
    };
    time("newlines", &mut || memchr::memchr_iter(b'\n', black_box(data)).count() as u64);
    time("parse_line", &mut || lines.iter().filter(|l| parse_line(&fmt, black_box(l)).is_ok()).count() as u64);
    let mut buf = Vec::with_capacity(256);
    let targets: Vec<&[u8]> = lines.iter().filter_map(|l| parse_line(&fmt, l).ok()).map(|r| r.target).collect();
    time("route::normalize", &mut || {
        let mut s = 0u64;
        for t in &targets {
            route::normalize(black_box(t), &mut buf);
            s += buf.len() as u64;
        }
        s
    });
    let zone = Zone::Fixed(3600);
    let filter = logstat::filter::Filter::default();
    let opts = logstat::engine::Options::default();
    let ctx = opts.scan_ctx(&fmt, &zone, 0, &filter);
    time("scanner (whole line path)", &mut || {
        let mut s = logstat::engine::Scanner::new(None);
        s.chunk(&ctx, 0, black_box(data), |_| {});
        s.stats.parsed
    });
}
