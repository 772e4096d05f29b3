//! Write a synthetic combined access log to stdout.
//!
//! cargo run --release --example genlog -- BYTES [--seed N] [--timings] [--lines N] [--per-day N] [--real]
//!   --real: real-shaped traffic (long browser agents, referrers, crawlers,
//!   scanners, tens of thousands of routes); use with --per-day 35000 for
//!   two weeks in about 100 MB, as a real site's log.
//!   BYTES accepts suffixes K, M, G (binary). --lines N writes exactly N lines.

use std::io::Write;

use logstat::synth::Generator;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut bytes: u64 = 1 << 20;
    let mut seed = 1;
    let mut timings = false;
    let mut real = false;
    let mut lines: Option<u64> = None;
    let mut per_day: u64 = 18_000_000;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seed" => {
                i += 1;
                seed = args[i].parse().expect("--seed N");
            }
            "--lines" => {
                i += 1;
                lines = Some(args[i].parse().expect("--lines N"));
            }
            "--per-day" => {
                i += 1;
                per_day = args[i].parse().expect("--per-day N");
            }
            "--timings" => timings = true,
            "--real" => real = true,
            s => bytes = parse_size(s).expect("BYTES like 64M or 1G"),
        }
        i += 1;
    }
    // 2024-03-01T00:00:00Z; about one day of traffic per 4 GB.
    let mut g = if real {
        Generator::real_shaped(seed, 1_709_251_200, per_day)
    } else {
        Generator::new(seed, 1_709_251_200, per_day)
    };
    g.timings = timings;
    g.offset = 3_600;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out.lock());
    let mut written = 0u64;
    let mut n = 0u64;
    let mut buf = String::new();
    loop {
        if let Some(l) = lines {
            if n >= l {
                break;
            }
        } else if written >= bytes {
            break;
        }
        buf.clear();
        g.line(&mut buf);
        out.write_all(buf.as_bytes()).expect("write");
        written += buf.len() as u64;
        n += 1;
    }
    out.flush().expect("flush");
}

fn parse_size(s: &str) -> Option<u64> {
    let (num, mul) = match s.chars().last()? {
        'K' | 'k' => (&s[..s.len() - 1], 1 << 10),
        'M' | 'm' => (&s[..s.len() - 1], 1 << 20),
        'G' | 'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mul)
}
