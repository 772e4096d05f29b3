//! Unattended operation: filters, incremental runs across log rotation,
//! thresholds and exit codes, and merging state files across servers.

mod util;

use std::collections::BTreeMap;
use std::path::Path;

use util::*;

/// A generated timed log of `lines` lines (2024-03-01 from 01:00 +01:00, a
/// few requests per second), as text.
fn gen_log(seed: u64, lines: usize) -> String {
    let mut g = logstat::synth::Generator::new(seed, 1_709_251_200, 400_000);
    g.timings = true;
    g.offset = 3_600;
    let mut s = String::new();
    for _ in 0..lines {
        g.line(&mut s);
    }
    s
}

/// Fields the tests compute expectations from: (unix time, method, path,
/// status) per line, read with a simple split (the generator's lines are
/// regular).
struct Line {
    unix: i64,
    method: String,
    path: String,
    status: u32,
}

fn fields(text: &str) -> Vec<Line> {
    text.lines()
        .map(|l| {
            let t = &l[l.find('[').unwrap() + 1..l.find(']').unwrap()];
            let unix = logstat::parse::time::parse_clf(t.as_bytes()).unwrap().unix;
            let req = l.split('"').nth(1).unwrap();
            let mut r = req.split(' ');
            let mut method = r.next().unwrap_or("").to_string();
            // As logstat reads it: a method is all A-Z, else none and no path.
            let valid = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
            let path = match r.next() {
                Some(t) if valid => t.split('?').next().unwrap().to_string(),
                _ => "-".to_string(),
            };
            if !valid {
                method.clear();
            }
            let status = l.split('"').nth(2).unwrap().split_whitespace().next().unwrap().parse().unwrap();
            Line { unix, method, path, status }
        })
        .collect()
}

fn summary_of(out: &str) -> BTreeMap<String, String> {
    summary(out).into_iter().collect()
}

fn run_summary(args: &[&str], p: &Path) -> BTreeMap<String, String> {
    summary_of(&stdout_of(logstat().arg(p).args(["-f", "csv", "-r", "summary", "-q"]).args(args), 0))
}

#[test]
fn filters_match_counts_computed_here() {
    let env = Env::new();
    let text = gen_log(5, 20_000);
    let p = env.write("f.log", &text);
    let all = fields(&text);
    let count = |f: &dyn Fn(&Line) -> bool| all.iter().filter(|l| f(l)).count().to_string();
    let check = |args: &[&str], want: String| {
        let s = run_summary(args, &p);
        assert_eq!(s["requests"], want, "{args:?}");
        assert_eq!(s["excluded"], (all.len() - want.parse::<usize>().unwrap()).to_string(), "{args:?}");
        assert_eq!(s["lines"], all.len().to_string(), "lines stay parsed + malformed");
    };
    check(&["--status", "5xx,499"], count(&|l| l.status >= 500 && l.status < 600 || l.status == 499));
    check(&["--status", "4xx,-404"], count(&|l| (400..500).contains(&l.status) && l.status != 404));
    check(&["--method", "post,HEAD"], count(&|l| l.method == "POST" || l.method == "HEAD"));
    check(&["--path", "/api/"], count(&|l| l.path.starts_with("/api/")));
    check(&["--path", "*.php"], count(&|l| l.path.ends_with(".php")));
    check(&["--route", "/products/:id"], count(&|l| l.path.starts_with("/products/")));
    let t0 = all[0].unix;
    let (since, until) = (t0 + 10, t0 + 30);
    let rfc = |t: i64| logstat::zone::Zone::Fixed(3_600).rfc3339(t);
    check(&["--since", &rfc(since), "--until", &rfc(until)], count(&|l| l.unix >= since && l.unix < until));
    // A wall-clock time without offset is read in the display zone.
    let wall = logstat::zone::Zone::Fixed(3_600).rfc3339(since)[..19].replace('T', " ");
    check(&["--since", &wall, "--tz", "+01:00"], count(&|l| l.unix >= since));
    // Relative to the log's last line.
    let last = all.iter().map(|l| l.unix).max().unwrap();
    check(&["--since", "20s", "--relative-to", "last-line"], count(&|l| l.unix >= last - 20));
    // Combined: AND of every filter.
    check(
        &["--status", "2xx", "--method", "GET", "--path", "/api/"],
        count(&|l| (200..300).contains(&l.status) && l.method == "GET" && l.path.starts_with("/api/")),
    );
    // Bad values are usage errors naming the option.
    for (opt, v) in [("--since", "yesterday"), ("--status", "6zz"), ("--method", "G*T")] {
        let out = logstat().arg(&p).args([opt, v]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{opt} {v}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(opt), "{opt}");
    }
}

#[test]
fn relative_times_count_back_from_now_and_hosts_filter() {
    let env = Env::new();
    let now = jiff::Timestamp::now().as_second();
    let mut text = String::new();
    let z = logstat::zone::Zone::Fixed(0);
    // One line every minute for the last 120 minutes, on two hosts.
    for m in 0..120 {
        let t = now - m * 60 - 5;
        let wall = z.wall(t);
        let (days, secs) = (wall.div_euclid(86_400), wall.rem_euclid(86_400));
        let (y, mo, d) = logstat::parse::time::civil_from_days(days);
        const MON: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let host = if m % 3 == 0 { "api.example.com" } else { "www.example.com" };
        text.push_str(&format!(
            "{host}:443 10.0.0.1 - - [{d:02}/{}/{y}:{:02}:{:02}:{:02} +0000] \"GET /x HTTP/1.1\" 200 5 \"-\" \"t\"\n",
            MON[mo as usize - 1],
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ));
    }
    let p = env.write("h.log", &text);
    let s = run_summary(&["--since", "30m"], &p);
    assert_eq!(s["requests"], "30");
    let s = run_summary(&["--until", "1h"], &p);
    assert_eq!(s["requests"], "60");
    let s = run_summary(&["--host", "API.example.com"], &p);
    assert_eq!(s["requests"], "40");
    let s = run_summary(&["--host", "*.example.com", "--since", "1h"], &p);
    assert_eq!(s["requests"], "60");
    // A format without a host field cannot filter on it: loud, not zero.
    let c = env.write("c.log", "1.2.3.4 - - [01/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n");
    let out = logstat().arg(&c).args(["--host", "a"]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--host"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Reports compared between incremental runs and one full run.
const REPORTS: &str = "summary,class,status,routes,windows,latency";

fn csv_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Status counts of a status.csv.
fn status_counts(csv: &str) -> BTreeMap<String, u64> {
    csv_rows(csv).into_iter().skip(1).map(|r| (r[0].clone(), r[3].parse().unwrap())).collect()
}

struct Incremental<'a> {
    env: &'a Env,
    state: std::path::PathBuf,
    runs: usize,
    /// Sum over runs of status counts and lines.
    status: BTreeMap<String, u64>,
    lines: u64,
}

impl Incremental<'_> {
    fn run(&mut self, inputs: &[&str]) {
        self.runs += 1;
        let out = self.env.path(&format!("run{}", self.runs));
        let mut cmd = logstat();
        for i in inputs {
            cmd.arg(self.env.path(i));
        }
        stdout_of(cmd.arg("--state").arg(&self.state).args(["-q", "-r", "summary,status", "-o"]).arg(&out), 0);
        let s = summary(&std::fs::read_to_string(out.join("summary.csv")).unwrap());
        self.lines += s["lines"].parse::<u64>().unwrap();
        for (k, v) in status_counts(&std::fs::read_to_string(out.join("status.csv")).unwrap()) {
            *self.status.entry(k).or_default() += v;
        }
    }

    /// The sum of incremental reports equals one run over `all`; the
    /// cumulative report equals it byte for byte.
    fn check(&mut self, all: &str, last_inputs: &[&str]) {
        let full = self.env.write("full.log", all);
        let dir = self.env.path("full");
        stdout_of(logstat().arg(&full).args(["-q", "-r", REPORTS, "-o"]).arg(&dir), 0);
        let want = csv_dir(&dir);
        let s = summary(&want["summary.csv"]);
        assert_eq!(self.lines.to_string(), s["lines"], "sum of incremental lines");
        assert_eq!(self.status, status_counts(&want["status.csv"]), "sum of incremental status counts");
        // --cumulative on a run with nothing new reports the whole history.
        let cum = self.env.path("cum");
        let mut cmd = logstat();
        for i in last_inputs {
            cmd.arg(self.env.path(i));
        }
        stdout_of(cmd.arg("--state").arg(&self.state).args(["--cumulative", "-q", "-r", REPORTS, "-o"]).arg(&cum), 0);
        let got = csv_dir(&cum);
        for (name, text) in &want {
            if name == "summary.csv" {
                // File names and counts differ (one file vs several); the traffic does not.
                let (a, b) = (summary(text), summary(&got[name]));
                for k in
                    ["lines", "parsed", "requests", "bytes", "first_time", "last_time", "failures", "timed_requests"]
                {
                    assert_eq!(a[k], b[k], "summary {k}");
                }
            } else {
                assert_eq!(text, &got[name], "{name}");
            }
        }
    }
}

fn incremental(env: &Env) -> Incremental<'_> {
    Incremental { env, state: env.path("logstat.state"), runs: 0, status: BTreeMap::new(), lines: 0 }
}

fn append(env: &Env, name: &str, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(env.path(name)).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn gzip(env: &Env, name: &str) {
    let data = std::fs::read(env.path(name)).unwrap();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut e, &data).unwrap();
    std::fs::write(env.path(&format!("{name}.gz")), e.finish().unwrap()).unwrap();
    std::fs::remove_file(env.path(name)).unwrap();
}

/// Split generated lines into n consecutive parts.
fn parts(text: &str, n: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let per = lines.len().div_ceil(n);
    lines.chunks(per).map(|c| c.iter().map(|l| format!("{l}\n")).collect()).collect()
}

#[test]
fn appends_and_partial_lines() {
    let env = Env::new();
    let all = gen_log(11, 3_000);
    let p = parts(&all, 4);
    let mut inc = incremental(&env);
    append(&env, "access.log", &p[0]);
    inc.run(&["access.log"]);
    inc.run(&["access.log"]); // nothing new
    // A line still being written is left for the next run.
    let (head, tail) = p[1].split_at(p[1].len() - 40);
    append(&env, "access.log", head);
    inc.run(&["access.log"]);
    append(&env, "access.log", tail);
    append(&env, "access.log", &p[2]);
    inc.run(&["access.log"]);
    append(&env, "access.log", &p[3]);
    // Named twice (a glob and a path): still read once.
    inc.run(&["access.log", "access.log"]);
    inc.check(&all, &["access.log"]);
}

#[test]
fn rename_rotation_then_gzip() {
    let env = Env::new();
    let all = gen_log(12, 4_000);
    let p = parts(&all, 5);
    let mut inc = incremental(&env);
    append(&env, "access.log", &p[0]);
    inc.run(&["access.log"]);
    // nginx keeps writing to the renamed file until it reopens.
    append(&env, "access.log", &p[1]);
    std::fs::rename(env.path("access.log"), env.path("access.log.1")).unwrap();
    append(&env, "access.log", &p[2]);
    inc.run(&["access.log", "access.log.1"]);
    // The rotated file is compressed later; then rotation again, and the
    // new rotated file is compressed before logstat sees its tail.
    gzip(&env, "access.log.1");
    append(&env, "access.log", &p[3]);
    inc.run(&["access.log", "access.log.1.gz"]);
    std::fs::rename(env.path("access.log.1.gz"), env.path("access.log.2.gz")).unwrap();
    std::fs::rename(env.path("access.log"), env.path("access.log.1")).unwrap();
    gzip(&env, "access.log.1");
    append(&env, "access.log", &p[4]);
    inc.run(&["access.log", "access.log.1.gz", "access.log.2.gz"]);
    inc.check(&all, &["access.log", "access.log.1.gz", "access.log.2.gz"]);
}

#[test]
fn copytruncate_rotation() {
    let env = Env::new();
    let all = gen_log(13, 3_000);
    let p = parts(&all, 4);
    let mut inc = incremental(&env);
    append(&env, "access.log", &p[0]);
    inc.run(&["access.log"]);
    append(&env, "access.log", &p[1]);
    // copytruncate: copy, then truncate in place (same inode), then more lines.
    std::fs::copy(env.path("access.log"), env.path("access.log.1")).unwrap();
    std::fs::OpenOptions::new().write(true).open(env.path("access.log")).unwrap().set_len(0).unwrap();
    append(&env, "access.log", &p[2]);
    inc.run(&["access.log", "access.log.1"]);
    append(&env, "access.log", &p[3]);
    inc.run(&["access.log", "access.log.1"]);
    inc.check(&all, &["access.log", "access.log.1"]);
}

#[test]
fn state_files_that_cannot_be_used_are_refused_and_kept() {
    let env = Env::new();
    let log = env.write("a.log", gen_log(14, 200));
    let state = env.path("s.state");
    stdout_of(logstat().arg(&log).arg("--state").arg(&state).args(["-q", "-r", "summary", "-f", "csv"]), 0);
    let good = std::fs::read(&state).unwrap();
    let refused = |bytes: &[u8], needle: &str| {
        std::fs::write(&state, bytes).unwrap();
        let out =
            logstat().arg(&log).arg("--state").arg(&state).args(["-q", "-r", "summary", "-f", "csv"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{needle}: {err}");
        assert!(err.contains(needle) && err.contains("s.state"), "{needle}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert_eq!(std::fs::read(&state).unwrap(), bytes, "the state is left as it was");
    };
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 1;
    refused(&flipped, "corrupted");
    refused(&good[..good.len() - 5], "corrupted");
    refused(b"{\"goaccess\": true}", "not a logstat state file");
    refused(&[], "not a logstat state file");
    // From another machine.
    let mut st = logstat::state::decode(&state, &good).unwrap();
    st.host = "another-machine".into();
    refused(&logstat::state::encode(&st).unwrap(), "another machine");
    // Other settings.
    std::fs::write(&state, &good).unwrap();
    let out = logstat().arg(&log).arg("--state").arg(&state).args(["--failures", "4xx", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("other settings"));
    // Stdin cannot be resumed.
    logstat().arg("-").arg("--state").arg(&state).write_stdin("x\n").assert().code(2);
}

#[test]
fn a_held_lock_stops_a_second_run() {
    let env = Env::new();
    let log = env.write("a.log", gen_log(15, 100));
    let state = env.path("s.state");
    let lock =
        std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(env.path("s.state.lock")).unwrap();
    lock.lock().unwrap();
    let out = logstat().arg(&log).arg("--state").arg(&state).arg("-q").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use by another logstat run"));
    assert!(!state.exists(), "nothing written while locked");
    lock.unlock().unwrap();
    stdout_of(logstat().arg(&log).arg("--state").arg(&state).arg("-q"), 0);
    assert!(state.exists());
}

#[test]
fn overlapping_runs_on_one_state_file() {
    let env = Env::new();
    // Large enough to be mapped, slowed per chunk so the runs overlap.
    let log = env.write("a.log", gen_log(17, 30_000));
    let state = env.path("s.state");
    let slow = std::process::Command::new(assert_cmd::cargo::cargo_bin("logstat"))
        .arg(&log)
        .arg("--state")
        .arg(&state)
        .args(["-q", "-f", "csv", "-r", "summary"])
        .env("LOGSTAT_CHUNK_BYTES", "65536")
        .env("LOGSTAT_CHUNK_DELAY_MS", "40")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first run holds the lock.
    let lock = env.path("s.state.lock");
    for _ in 0..1_000 {
        if lock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::thread::sleep(std::time::Duration::from_millis(50));
    let second = logstat().arg(&log).arg("--state").arg(&state).arg("-q").output().unwrap();
    let first = slow.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    assert_eq!(second.status.code(), Some(1), "the overlapping run stops");
    assert!(String::from_utf8_lossy(&second.stderr).contains("in use by another logstat run"));
    // The state is whole: the next run finds nothing new.
    let s = summary(&String::from_utf8(first.stdout).unwrap());
    assert_eq!(s["lines"], "30000");
    let again = run_summary(&["--state", state.to_str().unwrap()], &log);
    assert_eq!(again["lines"], "0");
}

#[test]
fn thresholds_and_exit_codes() {
    let env = Env::new();
    let text = gen_log(16, 20_000);
    let p = env.write("t.log", &text);
    let all = fields(&text);
    let n = all.len() as f64;
    let pct = |f: &dyn Fn(&Line) -> bool| all.iter().filter(|l| f(l)).count() as f64 * 100.0 / n;
    let p5 = pct(&|l| l.status >= 500);
    let p499 = pct(&|l| l.status == 499);
    let run = |exprs: &[&str]| {
        let mut c = logstat();
        c.arg(&p).args(["-q", "-f", "csv", "-r", "class"]);
        for e in exprs {
            c.args(["--fail-if", e]);
        }
        let out = c.output().unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("class,count"), "the report is still written");
        (out.status.code().unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let below = format!("5xx > {:.2}%", p5 + 0.1);
    let above = format!("5xx > {:.2}%", p5 - 0.1);
    assert_eq!(run(&[&below]).0, 0);
    let (code, err) = run(&[&above, &below]);
    assert_eq!(code, 3);
    assert!(err.contains(&above) && !err.contains(&below) && err.contains(&format!("{p5:.2}%")), "{err}");
    assert_eq!(run(&[&format!("499 > {:.2}%", p499 - 0.05)]).0, 3);
    assert_eq!(run(&[&format!("499 >= {:.2}%", p499 + 0.05)]).0, 0);
    assert_eq!(run(&["requests < 100"]).0, 0);
    assert_eq!(run(&["requests < 100000"]).0, 3);
    assert_eq!(run(&["failures >= 1"]).0, 3);
    // Latency: the generator's requests take up to 3 s.
    let (code, err) = run(&["p99 > 800ms"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("p99 > 800ms (measured"), "{err}");
    assert_eq!(run(&["max > 10s"]).0, 0);
    // Per route, against counts computed here.
    let api: Vec<&Line> = all.iter().filter(|l| l.path.starts_with("/api/")).collect();
    let api5 = api.iter().filter(|l| l.status >= 500).count() as f64 * 100.0 / api.len() as f64;
    assert_eq!(run(&[&format!("route=/api/* 5xx > {:.2}%", api5 - 0.1)]).0, 3);
    assert_eq!(run(&[&format!("route=/api/* 5xx > {:.2}%", api5 + 0.1)]).0, 0);
    // Bad expressions point at the fault; exit 2.
    for (bad, at) in
        [("5xx >> 1%", "'> 1%'"), ("p99 > 800", "the end"), ("teapot > 1", "'teapot > 1'"), ("5xx > 1", "")]
    {
        let out = logstat().arg(&p).args(["--fail-if", bad]).output().unwrap();
        if at.is_empty() {
            assert_ne!(out.status.code(), Some(2), "{bad} is valid (a count)");
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("at {at}")), "{bad}: {err}");
    }
    // Latency on a log without timings: not checked, said so, exit 0.
    let c = env.write("c.log", "1.2.3.4 - - [01/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n");
    let out = logstat().arg(&c).args(["-q", "--fail-if", "p99 > 1ms"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not checked: no timed requests"));
    // An unreadable input wins over a threshold: exit 1.
    let out =
        logstat().arg(&p).arg(env.path("missing.log")).args(["-q", "--fail-if", "requests > 0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn merging_three_states_equals_one_run_over_three_logs() {
    let env = Env::new();
    let names = ["web1.log", "web2.log", "web3.log"];
    let mut paths = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let mut text = gen_log(20 + i as u64, 6_000);
        text.push_str("garbage line from web\n");
        paths.push(env.write(n, text));
    }
    let reports = "summary,files,class,status,routes,windows,latency,sizes,malformed,findings";
    let one = env.path("one");
    stdout_of(logstat().args(&paths).args(["-q", "-r", reports, "-o"]).arg(&one), 0);
    let mut states = Vec::new();
    for p in &paths {
        let st = p.with_extension("state");
        // Per-route body sizes are kept only when the sizes report is asked for.
        stdout_of(logstat().arg(p).args(["-q", "-f", "csv", "-r", "sizes", "--save-state"]).arg(&st), 0);
        states.push(st);
    }
    let merged = env.path("merged");
    stdout_of(logstat().arg("merge").args(&states).args(["-q", "-r", reports, "-o"]).arg(&merged), 0);
    let (a, b) = (csv_dir(&one), csv_dir(&merged));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, text) in &a {
        assert_eq!(text, &b[name], "{name} differs");
    }
    // The terminal report and JSON agree too.
    let t1 = stdout_of(logstat().args(&paths).args(["-q", "--color", "never", "-r", "summary,routes,sizes"]), 0);
    let t2 = stdout_of(
        logstat().arg("merge").args(&states).args(["-q", "--color", "never", "-r", "summary,routes,sizes"]),
        0,
    );
    assert_eq!(t1, t2);
    // Wider windows at merge time roll the states' minutes up exactly.
    let hourly = stdout_of(logstat().args(&paths).args(["-q", "--window", "1h", "-f", "csv", "-r", "windows"]), 0);
    let merged_hourly =
        stdout_of(logstat().arg("merge").args(&states).args(["-q", "--window", "1h", "-f", "csv", "-r", "windows"]), 0);
    assert_eq!(hourly, merged_hourly);
    logstat().arg("merge").args(&states).args(["--window", "90s"]).assert().code(2);
    // Thresholds work on merged results.
    let out = logstat().arg("merge").args(&states).args(["-q", "--fail-if", "requests > 10"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    // Mismatched settings or zones are refused.
    let other = env.path("other.state");
    stdout_of(logstat().arg(&paths[0]).args(["-q", "-r", "sizes", "--failures", "4xx", "--save-state"]).arg(&other), 0);
    let out = logstat().arg("merge").arg(&states[1]).arg(&other).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("other settings"));
    stdout_of(logstat().arg(&paths[0]).args(["-q", "-r", "sizes", "--tz", "UTC", "--save-state"]).arg(&other), 0);
    let out = logstat().arg("merge").arg(&states[1]).arg(&other).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tz"));
    logstat().arg("merge").arg(env.path("nope.state")).assert().code(1);
}

#[test]
fn an_empty_first_run_does_not_fix_the_zone() {
    let env = Env::new();
    let log = env.write("a.log", "");
    let state = env.path("s.state");
    let arg = state.to_str().unwrap();
    assert_eq!(run_summary(&["--state", arg], &log)["lines"], "0");
    let line = "1.2.3.4 - - [01/Mar/2024:10:00:00 +0500] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n";
    append(&env, "a.log", line);
    assert_eq!(run_summary(&["--state", arg], &log)["time_zone"], "UTC+05:00");
    append(&env, "a.log", line);
    let w =
        stdout_of(logstat().arg(&log).args(["--state", arg, "--cumulative", "-q", "-f", "csv", "-r", "windows"]), 0);
    assert_eq!(w.lines().nth(1).unwrap(), "2024-03-01T10:00:00+05:00,2,0,2,0,0,0,10,0,0,,,,,,");
}
