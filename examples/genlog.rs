//! Write a synthetic combined access log to stdout.
//!
//! cargo run --release --example genlog -- BYTES [--seed N] [--timings] [--lines N] [--per-day N] [--real]
//!   --real: real-shaped traffic (long browser agents, referrers, crawlers,
//!   scanners, tens of thousands of routes); use with --per-day 35000 for
//!   two weeks in about 100 MB, as a real site's log.
//!   BYTES accepts suffixes K, M, G (binary). --lines N writes exactly N lines.
//!   --json: the same traffic as nginx `escape=json` lines (keys named after
//!   the variables), for the JSON reader's benchmark.

use std::io::Write;

use logstat::synth::Generator;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut bytes: u64 = 1 << 20;
    let mut seed = 1;
    let mut timings = false;
    let mut real = false;
    let mut json = false;
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
            "--json" => json = true,
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
    let mut js = String::new();
    let combined = logstat::format::presets::preset(if timings { "nginx_timed" } else { "combined" }).expect("preset");
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
        let line = if json { to_json(&combined, buf.trim_end(), &mut js) } else { &buf };
        out.write_all(line.as_bytes()).expect("write");
        written += line.len() as u64;
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

/// A combined line as nginx writes it with `escape=json` (every value a string).
fn to_json<'a>(fmt: &logstat::format::LogFormat, line: &str, out: &'a mut String) -> &'a str {
    use std::fmt::Write as _;
    let r = logstat::parse::parse_line(fmt, line.as_bytes()).expect("generated lines parse");
    let esc = |b: &[u8]| {
        let mut s = String::new();
        for c in String::from_utf8_lossy(b).chars() {
            match c {
                '"' => s.push_str("\\\""),
                '\\' => s.push_str("\\\\"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(s, "\\u{:04x}", c as u32);
                }
                c => s.push(c),
            }
        }
        s
    };
    let time = &line[line.find('[').unwrap() + 1..line.find(']').unwrap()];
    out.clear();
    let _ = write!(
        out,
        "{{\"time_local\":\"{time}\",\"remote_addr\":\"{}\",\"remote_user\":\"{}\",\"request\":\"{}\",\"status\":\"{}\",\"body_bytes_sent\":\"{}\",\"http_referer\":\"{}\",\"http_user_agent\":\"{}\"",
        esc(r.client),
        esc(r.user),
        esc(r.request),
        r.status.map_or("-".to_string(), |s| s.to_string()),
        r.bytes,
        esc(r.referrer),
        esc(r.user_agent)
    );
    if let Some(us) = r.request_time_us {
        let _ = write!(out, ",\"request_time\":\"{}.{:03}\"", us / 1_000_000, us / 1000 % 1000);
    }
    out.push_str("}\n");
    out
}
