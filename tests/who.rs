//! Who is calling (issue 12): clients, agents, referrers and visitors
//! against counts computed here from the records output, bounds under
//! hostile input, merge equality, and the `--bots`/`--client` filters.

mod util;

use std::collections::{HashMap, HashSet};

use util::*;

/// Rows of `logstat LOG ARGS -q -f csv` as maps by column name.
fn rows(log: &std::path::Path, args: &[&str]) -> Vec<HashMap<String, String>> {
    let out = stdout_of(logstat().arg(log).args(["-q", "-f", "csv", "--tz", "UTC"]).args(args), 0);
    let t = csv_rows(&out);
    t[1..].iter().map(|r| t[0].iter().cloned().zip(r.iter().cloned()).collect()).collect()
}

#[test]
fn real_logs_match_counts_computed_from_the_records() {
    let Some(dir) = real_logs() else { return };
    for name in
        ["bplogs-20240131.log", "nasa-aug95-5000.log", "zanbil-1000.log", "meade-apache-2022.log", "elastic-apache.log"]
    {
        let log = dir.join(name);
        let recs = rows(&log, &["-r", "records"]);
        // Independent counts.
        let mut per_client: HashMap<&str, u64> = HashMap::new();
        let mut hosts: HashMap<String, u64> = HashMap::new();
        let mut visitors: HashMap<String, HashSet<(&str, &str)>> = HashMap::new();
        for r in &recs {
            *per_client.entry(r["ip"].as_str()).or_default() += 1;
            let rf = r["referrer"].to_ascii_lowercase();
            if let Some(rest) = rf.strip_prefix("https://").or_else(|| rf.strip_prefix("http://")) {
                let host = rest.split(['/', '?', '#']).next().unwrap();
                let host = host.rsplit('@').next().unwrap();
                let host = if host.ends_with(']') { host } else { host.split(':').next().unwrap() };
                if !host.is_empty() {
                    *hosts.entry(host.to_string()).or_default() += 1;
                }
            }
            if !r["time"].is_empty() {
                visitors
                    .entry(r["time"][..10].to_string())
                    .or_default()
                    .insert((r["ip"].as_str(), r["user_agent"].as_str()));
            }
        }
        // Top clients exact.
        let clients = rows(&log, &["-r", "clients", "--top", "20"]);
        let mut want: Vec<(&str, u64)> = per_client.iter().map(|(k, v)| (*k, *v)).collect();
        want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (row, (ip, n)) in clients.iter().zip(&want) {
            assert_eq!((row["client"].as_str(), row["requests"].parse::<u64>().unwrap()), (*ip, *n), "{name}");
        }
        // Unique clients and visitors within 1%.
        let out = tempfile::tempdir().unwrap();
        stdout_of(logstat().arg(&log).args(["-q", "-f", "csv", "-r", "summary,clients", "-o"]).arg(out.path()), 0);
        let sum = summary(&std::fs::read_to_string(out.path().join("summary.csv")).unwrap());
        let unique: f64 = sum["unique_clients"].parse().unwrap();
        assert!(
            (unique - per_client.len() as f64).abs() <= per_client.len() as f64 * 0.01,
            "{name}: {unique} vs {}",
            per_client.len()
        );
        for row in rows(&log, &["-r", "visitors"]) {
            let exact = visitors[&row["day"]].len() as f64;
            let got: f64 = row["visitors"].parse().unwrap();
            assert!((got - exact).abs() <= exact * 0.01, "{name} {}: {got} vs {exact}", row["day"]);
        }
        // Referrer hosts exact.
        let got: HashMap<String, u64> = rows(&log, &["-r", "referrers"])
            .into_iter()
            .map(|r| (r["referrer_host"].clone(), r["requests"].parse().unwrap()))
            .collect();
        assert_eq!(got, hosts, "{name}");
        // Known crawlers in their category.
        for r in rows(&log, &["-r", "agents"]) {
            let want = match r["agent"].as_str() {
                "Googlebot" | "bingbot" | "YandexBot" | "Baiduspider" | "AhrefsBot" | "SemrushBot" | "Applebot" => {
                    "crawler"
                }
                "GPTBot" | "ClaudeBot" | "CCBot" | "PerplexityBot" | "Bytespider" | "Amazonbot" => "ai-crawler",
                "curl" | "python-requests" | "Wget" | "Go-http-client" => "tool",
                "Uptime-Kuma" | "ELB-HealthChecker" => "monitor",
                "zgrab" | "masscan" => "scanner",
                _ => continue,
            };
            assert_eq!(r["category"], want, "{name}: {}", r["agent"]);
        }
    }
}

fn tagged(i: usize, ua: &str) -> String {
    format!(
        "10.{}.{}.{} - - {T} \"GET /p/{} HTTP/1.1\" 200 10 \"https://Ref{}.example/\" \"{ua}\"\n",
        i / 65536 % 256,
        i / 256 % 256,
        i % 256,
        i % 50,
        i % 7
    )
}

#[test]
fn hostile_cardinality_is_bounded_and_totals_add_up() {
    let env = Env::new();
    // 60,000 distinct clients, agents and referrer hosts, one heavy client.
    let mut text: String = (0..60_000).map(|i| tagged(i, &format!("Bot{i}/1.0 crawler"))).collect();
    for _ in 0..500 {
        text.push_str(&format!("192.0.2.250 - - {T} \"GET / HTTP/1.1\" 200 1 \"-\" \"curl/8\"\n"));
    }
    let p = env.write("flood.log", text);
    let out = logstat().arg(&p).args(["-f", "csv", "-r", "clients", "--max-clients", "1000"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("too many distinct clients") && err.contains("too many distinct agent families"), "{err}");
    let t = rows(&p, &["-r", "clients", "--max-clients", "1000"]);
    assert!(t.len() <= 1001, "{} rows", t.len());
    assert_eq!(t[0]["client"], "192.0.2.250");
    assert_eq!(t[0]["requests"], "500", "the heavy client stays exact");
    let total: u64 = t.iter().map(|r| r["requests"].parse::<u64>().unwrap()).sum();
    assert_eq!(total, 60_500, "kept + (other clients) = all");
    assert_eq!(t.last().unwrap()["client"], "(other clients)");
    let agents = rows(&p, &["-r", "agents"]);
    assert!(agents.len() <= 2_001);
    assert_eq!(agents.iter().map(|r| r["requests"].parse::<u64>().unwrap()).sum::<u64>(), 60_500);
}

#[test]
fn merged_halves_equal_one_run() {
    let env = Env::new();
    let uas = [
        "curl/8.5.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    ];
    let lines: Vec<String> = (0..6_000).map(|i| tagged(i % 2_500, uas[i % 3])).collect();
    let a = env.write("a.log", lines[..3_000].concat());
    let b = env.write("b.log", lines[3_000..].concat());
    let all = env.write("all.log", lines.concat());
    for (log, st) in [(&a, "a.state"), (&b, "b.state")] {
        stdout_of(
            logstat()
                .arg(log)
                .args(["-q", "-r", "summary", "-f", "csv", "--tz", "UTC", "--who", "--save-state"])
                .arg(env.path(st)),
            0,
        );
    }
    // States saved without who counts cannot give who reports.
    stdout_of(
        logstat().arg(&a).args(["-q", "-r", "summary", "-f", "csv", "--save-state"]).arg(env.path("plain.state")),
        0,
    );
    let out = logstat().arg("merge").arg(env.path("plain.state")).args(["-r", "clients"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("saved without who counts"));
    for report in ["clients", "agents", "os", "referrers", "visitors", "methods", "windows"] {
        let one = stdout_of(logstat().arg(&all).args(["-q", "-f", "csv", "--tz", "UTC", "--who", "-r", report]), 0);
        let merged = stdout_of(
            logstat().arg("merge").arg(env.path("a.state")).arg(env.path("b.state")).args(["-f", "csv", "-r", report]),
            0,
        );
        assert_eq!(merged, one, "{report}");
    }
    let one = summary(&stdout_of(logstat().arg(&all).args(["-q", "-f", "csv", "--who", "-r", "summary"]), 0));
    let merged = summary(&stdout_of(
        logstat()
            .args(["merge"])
            .arg(env.path("a.state"))
            .arg(env.path("b.state"))
            .args(["-f", "csv", "-r", "summary"]),
        0,
    ));
    for k in ["unique_clients", "bot_requests", "bot_percent", "requests"] {
        assert_eq!(merged[k], one[k], "summary {k}");
    }
}

#[test]
fn bots_only_and_exclude_add_up_and_clients_filter() {
    let env = Env::new();
    let uas = [
        "curl/8.5.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1)",
        "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "-",
    ];
    let text: String = (0..1_000).map(|i| tagged(i, uas[i % 4])).collect();
    let p = env.write("mix.log", text);
    let req = |args: &[&str]| -> u64 {
        summary(&stdout_of(logstat().arg(&p).args(["-q", "-f", "csv", "-r", "summary"]).args(args), 0))["requests"]
            .parse()
            .unwrap()
    };
    let (only, excl) = (req(&["--bots", "only"]), req(&["--bots", "exclude"]));
    assert_eq!((only, excl), (500, 500), "curl and Googlebot are bots; Firefox and - are not");
    assert_eq!(req(&["--client", "10.0.0.0/24"]), 256);
    assert_eq!(req(&["--client", "10.0.0.7", "--client", "10.0.1.0/31"]), 3);
    logstat().arg(&p).args(["--client", "10.0.0.0/40"]).assert().code(2);
    stdout_of(logstat().arg(&p).args(["-q", "-f", "csv", "-r", "summary,agents", "-o"]).arg(env.path("o")), 0);
    let sum = summary(&std::fs::read_to_string(env.path("o/summary.csv")).unwrap());
    assert_eq!((sum["bot_requests"].as_str(), sum["bot_percent"].as_str()), ("500", "50.00"));
    // Without a who report, those cells are empty, not zero.
    let plain = summary(&stdout_of(logstat().arg(&p).args(["-q", "-f", "csv", "-r", "summary"]), 0));
    assert_eq!(plain["bot_requests"], "");
}

#[test]
fn who_reports_are_identical_across_threads_chunks_and_mmap() {
    let env = Env::new();
    let uas = [
        "curl/8.5.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1)",
        "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    ];
    // Enough distinct clients that the bound acts, in many small chunks.
    let text: String = (0..40_000).map(|i| tagged((i * 7919) % 30_000, uas[i % 3])).collect();
    let p = env.write("mix.log", text);
    let mut outs = Vec::new();
    for (threads, mmap) in [("1", "never"), ("2", "always"), ("3", "never"), ("2", "never")] {
        let out = logstat()
            .arg(&p)
            .args([
                "-q",
                "-f",
                "json",
                "--max-clients",
                "2000",
                "-r",
                "summary,clients,agents,referrers,visitors,windows",
            ])
            .args(["-j", threads, "--mmap", mmap])
            .env("LOGSTAT_CHUNK_BYTES", "65536")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        outs.push(out.stdout);
    }
    assert!(outs.windows(2).all(|w| w[0] == w[1]), "output differs across threads, chunking or mmap");
    assert!(String::from_utf8_lossy(&outs[0]).contains("(other clients)"), "the bound acted");
}
