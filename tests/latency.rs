//! Latency and size percentiles against exact values computed here.

mod util;

use std::collections::BTreeMap;

use logstat::stats::latency::Hist;
use logstat::synth::Rng;
use util::*;

/// Exact nearest-rank percentile (q in ten-thousandths) of sorted values.
fn exact(sorted: &[u64], q: u64) -> u64 {
    let rank = ((sorted.len() as u64 * q).div_ceil(10_000)).max(1);
    sorted[rank as usize - 1]
}

/// `1.234` (ms) → 1234 µs; a plain integer (bytes) as is.
fn ms_to_us(s: &str) -> u64 {
    match s.split_once('.') {
        Some((a, b)) => a.parse::<u64>().unwrap() * 1000 + b.parse::<u64>().unwrap(),
        None => s.parse().unwrap(),
    }
}

/// Every p50…p99.9 cell within 1% of the exact value, max exact.
fn check(row: &[String], values: &mut [u64], what: &str) {
    values.sort_unstable();
    assert_eq!(row[2].parse::<usize>().unwrap(), values.len(), "{what}: count");
    for (i, q) in [5_000u64, 9_000, 9_900, 9_990].into_iter().enumerate() {
        let got = ms_to_us(&row[3 + i]) as f64;
        let want = exact(values, q) as f64;
        assert!((got - want).abs() <= want * 0.01, "{what} q{q}: got {got} µs, exact {want} µs");
    }
    assert_eq!(ms_to_us(&row[7]), *values.last().unwrap(), "{what}: max");
}

const ROUTES: [&str; 4] = ["/api/users/1", "/api/orders", "/static/app.js", "/health"];

/// A timed nginx log with a latency profile per route and status, and the
/// values that went in, keyed by scope.
fn timed_log(lines: usize) -> (String, BTreeMap<(String, String), Vec<u64>>) {
    let mut rng = Rng::new(42);
    let mut text = String::new();
    let mut want: BTreeMap<(String, String), Vec<u64>> = BTreeMap::new();
    for i in 0..lines {
        let r = rng.next_u64();
        let route = ROUTES[(r % 4) as usize];
        let status = [200, 200, 200, 404, 502][(r >> 8) as usize % 5];
        // Log-normal-ish: most fast, a long tail; ms resolution like nginx.
        let base = [3u64, 40, 1, 120][(r % 4) as usize];
        let tail = if (r >> 16).is_multiple_of(50) { 20 + (r >> 24) % 3000 } else { 1 };
        let ms = base * tail + (r >> 40) % (base * 4 + 1);
        let up = ms.saturating_sub(1);
        let body = (r >> 32) % 100_000;
        let (min, sec) = (i / 600 % 60, i / 10 % 60);
        text.push_str(&format!(
            "10.0.0.{} - - [01/Mar/2024:10:{min:02}:{sec:02} +0000] \"GET {route} HTTP/1.1\" {status} {} \"-\" \"t\" {}.{:03} {}.{:03}\n",
            r % 250,
            body,
            ms / 1000,
            ms % 1000,
            up / 1000,
            up % 1000
        ));
        let us = ms * 1000;
        let class = format!("{}xx", status / 100);
        let norm = if route == "/api/users/1" { "/api/users/:id" } else { route };
        for key in [
            ("all".to_string(), "request_time".to_string()),
            ("class".to_string(), class),
            ("route".to_string(), norm.to_string()),
            ("window".to_string(), format!("2024-03-01T10:{min:02}:00+00:00")),
        ] {
            want.entry(key).or_default().push(us);
        }
        want.entry(("all".into(), "upstream_time".into())).or_default().push(up * 1000);
        for key in [
            ("size:all".to_string(), "body_bytes".to_string()),
            ("size:route".to_string(), norm.to_string()),
            ("size:window".to_string(), format!("2024-03-01T10:{min:02}:00+00:00")),
        ] {
            want.entry(key).or_default().push(body);
        }
    }
    (text, want)
}

#[test]
fn percentiles_match_exact_values_for_every_scope() {
    let env = Env::new();
    let (text, mut want) = timed_log(30_000);
    let p = env.write("timed.log", &text);
    let out = stdout_of(logstat().arg(&p).args(["-r", "latency", "-f", "csv", "--window", "1m", "--tz", "UTC"]), 0);
    let rows = csv_rows(&out);
    assert_eq!(rows[0], ["scope", "key", "count", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"]);
    let mut seen = 0;
    for row in &rows[1..] {
        let key = (row[0].clone(), row[1].clone());
        assert!(!key.0.starts_with("size:"));
        let values = want.get_mut(&key).unwrap_or_else(|| panic!("unexpected row {row:?}"));
        check(row, values, &format!("{key:?}"));
        seen += 1;
    }
    assert_eq!(seen, want.keys().filter(|k| !k.0.starts_with("size:")).count(), "one row per scope and key");
    // Body sizes: overall, per route and per window, in bytes.
    let out = stdout_of(logstat().arg(&p).args(["-r", "sizes", "-f", "csv", "--window", "1m", "--tz", "UTC"]), 0);
    let rows = csv_rows(&out);
    assert_eq!(rows[0], ["scope", "key", "count", "p50_bytes", "p90_bytes", "p99_bytes", "p999_bytes", "max_bytes"]);
    let mut sized = 0;
    for row in &rows[1..] {
        if row[0] == "class" {
            continue;
        }
        let key = (format!("size:{}", row[0]), row[1].clone());
        let values = want.get_mut(&key).unwrap_or_else(|| panic!("unexpected row {row:?}"));
        check(row, values, &format!("{key:?}"));
        sized += 1;
    }
    assert_eq!(sized, want.keys().filter(|k| k.0.starts_with("size:")).count());
}

#[test]
fn routes_and_windows_gain_percentile_columns() {
    let env = Env::new();
    let (text, mut want) = timed_log(6_000);
    let p = env.write("timed.log", &text);
    let dir = env.path("out");
    stdout_of(
        logstat()
            .arg(&p)
            .args(["-r", "routes,windows,summary", "-o"])
            .arg(&dir)
            .args(["--window", "1m", "--tz", "UTC"]),
        0,
    );
    let routes = csv_rows(&std::fs::read_to_string(dir.join("routes.csv")).unwrap());
    assert_eq!(routes[0][10..], ["p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"]);
    for row in &routes[1..] {
        let values = want.get_mut(&("route".to_string(), row[0].clone())).unwrap();
        // Same layout as the latency report from column 10: count is requests.
        let mut as_latency = vec![String::new(), String::new(), row[1].clone()];
        as_latency.extend(row[10..].iter().cloned());
        check(&as_latency, values, &row[0]);
    }
    let windows = csv_rows(&std::fs::read_to_string(dir.join("windows.csv")).unwrap());
    assert_eq!(windows[0][10..15], routes[0][10..]);
    assert_eq!(windows[0][15], "bot_requests");
    assert_eq!(windows.len(), 11, "10 one-minute windows");
    for row in &windows[1..] {
        let values = want.get_mut(&("window".to_string(), row[0].clone())).unwrap();
        let mut as_latency = vec![String::new(), String::new(), row[1].clone()];
        as_latency.extend(row[10..15].iter().cloned());
        check(&as_latency, values, &row[0]);
    }
    let s = summary(&std::fs::read_to_string(dir.join("summary.csv")).unwrap());
    assert_eq!(s["timed_requests"], "6000");
}

#[test]
fn untimed_logs_leave_percentile_cells_empty_and_skip_the_report() {
    let env = Env::new();
    let p = env.write(
        "c.log",
        "1.2.3.4 - - [01/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n\
         1.2.3.4 - - [01/Mar/2024:10:00:01 +0000] \"GET / HTTP/1.1\" 200 7 \"-\" \"x\"\n",
    );
    let out = stdout_of(logstat().arg(&p).args(["-r", "routes", "-f", "csv"]), 0);
    assert_eq!(out.lines().nth(1).unwrap(), "/,2,0,2,0,0,0,12,0,0,,,,,");
    let out = stdout_of(logstat().arg(&p).args(["-r", "latency", "-f", "csv"]), 0);
    assert_eq!(out, "scope,key,count,p50_ms,p90_ms,p99_ms,p999_ms,max_ms\n");
    let table = stdout_of(logstat().arg(&p), 0);
    assert!(!table.contains("Latency"), "{table}");
    let sizes = stdout_of(logstat().arg(&p).args(["-r", "sizes", "-f", "csv"]), 0);
    assert!(sizes.contains("all,body_bytes,2,5,7,7,7,7"), "{sizes}");
}

#[test]
fn upstream_lists_are_summed_and_metric_is_selectable() {
    let env = Env::new();
    let fmt = "nginx:$remote_addr [$time_local] \"$request\" $status $body_bytes_sent $request_length $request_time $upstream_response_time";
    let p = env.write(
        "u.log",
        "1.1.1.1 [01/Mar/2024:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 10 300 0.500 0.002, 0.118 : 0.010\n\
         1.1.1.1 [01/Mar/2024:10:00:00 +0000] \"GET /a HTTP/1.1\" 502 10 700 0.200 -\n",
    );
    let out = stdout_of(logstat().arg(&p).args(["--log-format", fmt, "-r", "latency", "-f", "csv"]), 0);
    assert!(out.contains("all,request_time,2,"), "{out}");
    assert!(out.contains("all,upstream_time,1,130.000,130.000,130.000,130.000,130.000"), "{out}");
    assert!(out.contains("class,5xx,1,200.000,"), "{out}");
    let out = stdout_of(
        logstat().arg(&p).args(["--log-format", fmt, "-r", "latency", "-f", "csv", "--latency", "upstream"]),
        0,
    );
    assert!(out.contains("class,2xx,1,130.000,"), "{out}");
    assert!(!out.contains("class,5xx"), "a request without upstream time has no upstream latency: {out}");
    let sizes = stdout_of(logstat().arg(&p).args(["--log-format", fmt, "-r", "sizes", "-f", "csv"]), 0);
    // Sizes share the histogram: within 1%, max exact.
    let len = csv_rows(&sizes).into_iter().find(|r| r[1] == "request_length").unwrap();
    check(&len, &mut [300, 700], "request_length");
    let bad = logstat().arg(&p).args(["--latency", "slow"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn apache_microseconds_feed_the_same_histograms() {
    let env = Env::new();
    let p = env.write(
        "a.log",
        "1.1.1.1 - - [01/Mar/2024:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 10 1500\n\
         1.1.1.1 - - [01/Mar/2024:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 10 250000\n",
    );
    let fmt = r#"apache:%h %l %u %t \"%r\" %>s %b %D"#;
    let out = stdout_of(logstat().arg(&p).args(["--log-format", fmt, "-r", "latency", "-f", "csv"]), 0);
    assert!(out.contains("all,request_time,2,1.500,250.000,250.000,250.000,250.000"), "{out}");
}

/// The histogram agrees with the hdrhistogram crate (2 significant digits)
/// to within the 1% both promise, on a heavy-tailed sample.
#[test]
fn agrees_with_hdrhistogram() {
    let mut rng = Rng::new(7);
    let mut ours = Hist::default();
    let mut hdr = hdrhistogram::Histogram::<u64>::new(2).unwrap();
    let mut all = Vec::new();
    for _ in 0..200_000 {
        let r = rng.next_u64();
        let v = (r % 1_000) * (1 + (r >> 20) % 1_000) + (r >> 40) % 7;
        ours.record(v);
        hdr.record(v).unwrap();
        all.push(v);
    }
    all.sort_unstable();
    for q in [5_000u64, 9_000, 9_900, 9_990] {
        let a = ours.quantile(q).unwrap() as f64;
        let b = hdr.value_at_quantile(q as f64 / 10_000.0) as f64;
        let e = exact(&all, q) as f64;
        assert!((a - b).abs() <= b * 0.01, "q{q}: ours {a} hdr {b}");
        assert!((a - e).abs() <= e * 0.01, "q{q}: ours {a} exact {e}");
    }
    assert_eq!(ours.max(), *all.last().unwrap(), "max is exact");
}
