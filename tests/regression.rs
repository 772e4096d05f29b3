//! Reproductions of defects found by a hostile run (issue 16), one test
//! each, named after the item they reproduce.

mod util;

use std::io::Read;
use std::os::unix::ffi::OsStrExt;

use util::*;

/// Lines with `n` distinct routes.
fn many_routes(n: usize) -> String {
    (0..n).map(|i| line(&format!("GET /r/x{i}y HTTP/1.1"), "200", "1")).collect()
}

#[test]
fn i16_7_closed_stdout_exits_zero_for_csv() {
    let env = Env::new();
    let p = env.write("a.log", many_routes(30_000));
    for report in ["routes", "malformed", "windows"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("logstat"))
            .arg(&p)
            .args(["-q", "-f", "csv", "-r", report])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.as_mut().unwrap().read_exact(&mut first).ok();
        drop(child.stdout.take()); // like `| head -c 16`
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{report}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{report}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn i16_8_paths_on_stderr_are_escaped() {
    let out = logstat().arg("nonexist\x1b]0;title\x07.log").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(err.contains("nonexist\\x1b]0;title\\x07.log"), "{err}");
    // A directory with such a name, found by a glob.
    let env = Env::new();
    std::fs::create_dir(env.path("d\x1b]0;t\x07dir")).unwrap();
    let pattern = env.dir.path().join("d*");
    let out = logstat().arg(pattern).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(!err.contains('\x1b') && err.contains("is a directory"), "{err:?}");
}

#[test]
fn i16_9_bidi_and_separators_are_escaped() {
    let env = Env::new();
    let p = env.write("a.log", line("GET /r\u{202e}txt.exe HTTP/1.1", "200", "1"));
    for f in ["csv", "json", "table"] {
        let out = stdout_of(logstat().arg(&p).args(["-q", "-r", "routes", "-f", f]), 0);
        assert!(!out.contains('\u{202e}'), "{f}: {out}");
        // JSON escapes the backslash itself.
        let want = if f == "json" { r"/r\\xe2\\x80\\xaetxt.exe" } else { r"/r\xe2\x80\xaetxt.exe" };
        assert!(out.contains(want), "{f}: {out}");
    }
}

#[test]
fn i16_10_non_utf8_names_from_a_glob_are_read() {
    let env = Env::new();
    let name = std::ffi::OsStr::from_bytes(b"bad\xffname.log");
    std::fs::write(env.dir.path().join(name), line("GET / HTTP/1.1", "200", "1")).unwrap();
    let pattern = env.dir.path().join("*.log");
    let out = stdout_of(logstat().arg(pattern).args(["-q", "-f", "csv", "-r", "files"]), 0);
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 2, "{out}");
    assert!(rows[1][0].ends_with("bad\\xffname.log"), "{out}");
    assert_eq!(rows[1][2], "1", "the file was read: {out}");
}

#[test]
fn i16_11_threads_are_capped() {
    let env = Env::new();
    let p = env.write("a.log", many_routes(600));
    let t0 = std::time::Instant::now();
    let out = logstat().arg(&p).args(["--threads", "100000", "-f", "csv", "-r", "summary"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(t0.elapsed() < std::time::Duration::from_secs(20), "took {:?}", t0.elapsed());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--threads 100000: using"), "{err}");
    assert_eq!(summary(&String::from_utf8_lossy(&out.stdout))["requests"], "600");
}

#[test]
fn i16_14_no_report_when_every_input_failed() {
    let out = logstat().arg("/nonexistent/access.log").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line naming the path: {err}");
    assert!(err.contains("/nonexistent/access.log"), "{err}");
}

#[test]
fn i16_2_failed_report_write_keeps_the_state_where_it_was() {
    let env = Env::new();
    let log = env.write("access.log", many_routes(100));
    let state = env.path("s.state");
    let out_dir = env.path("out");
    std::fs::create_dir(&out_dir).unwrap();
    // A report's file cannot be created: its name is taken by a directory.
    std::fs::create_dir(out_dir.join("summary.csv")).unwrap();
    let run = |dir: &std::path::Path| {
        logstat()
            .arg(&log)
            .args(["-q", "-f", "csv", "-r", "summary", "--state"])
            .arg(&state)
            .arg("-o")
            .arg(dir)
            .output()
            .unwrap()
    };
    let out = run(&out_dir);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // The next run, with a usable output, still reports all 100 lines.
    let good = env.path("good");
    let out = run(&good);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let s = summary(&std::fs::read_to_string(good.join("summary.csv")).unwrap());
    assert_eq!(s["requests"], "100");
}

#[test]
fn i16_13_until_before_since_is_a_usage_error() {
    let env = Env::new();
    let p = env.write("a.log", many_routes(10));
    for (since, until) in [("2030-01-01T00:00:00Z", "2020-01-01T00:00:00Z"), ("1h", "2h")] {
        let out = logstat().arg(&p).args(["-q", "--since", since, "--until", until]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("earlier than --since"));
    }
    // In order, the same bounds are fine.
    logstat().arg(&p).args(["-q", "--since", "2h", "--until", "1h"]).assert().code(0);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// `n` lines whose paths start with `tag`, so two files differ from their first byte.
fn lines_tagged(tag: &str, n: usize) -> String {
    (0..n).map(|i| line(&format!("GET /{tag}/{i} HTTP/1.1"), "200", "1")).collect()
}

fn requests_with_state(env: &Env) -> (String, String) {
    let out = logstat()
        .current_dir(env.dir.path())
        .args(["access.log*", "--state", "s.state", "-r", "summary", "-f", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    (summary(&csv)["requests"].clone(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn i16_1_a_rotated_file_and_its_compressed_copy_are_read_once() {
    let env = Env::new();
    let old = lines_tagged("old", 1000);
    env.write("access.log", &old);
    assert_eq!(requests_with_state(&env).0, "1000");
    // Rotation: the old file renamed, 100 new lines, `gzip -k` of the old one.
    std::fs::rename(env.path("access.log"), env.path("access.log.1")).unwrap();
    env.write("access.log", lines_tagged("new", 100));
    env.write("access.log.1.gz", gzip(old.as_bytes()));
    let (n, err) = requests_with_state(&env);
    assert_eq!(n, "100", "{err}");
    assert!(err.contains("access.log.1.gz: same content as access.log.1"), "{err}");
    // Nothing new: nothing counted, whichever copy is there.
    assert_eq!(requests_with_state(&env).0, "0");
    std::fs::remove_file(env.path("access.log.1")).unwrap();
    assert_eq!(requests_with_state(&env).0, "0");

    // A compression still being written (a cut gzip) beside the plain file.
    let env = Env::new();
    env.write("access.log", &old);
    assert_eq!(requests_with_state(&env).0, "1000");
    std::fs::rename(env.path("access.log"), env.path("access.log.1")).unwrap();
    env.write("access.log", lines_tagged("new", 100));
    let gz = gzip(old.as_bytes());
    env.write("access.log.1.gz", &gz[..gz.len() / 2]);
    assert_eq!(requests_with_state(&env).0, "100");

    // Both copies seen for the first time: counted once.
    let env = Env::new();
    env.write("access.log.1", &old);
    env.write("access.log.1.gz", gzip(old.as_bytes()));
    assert_eq!(requests_with_state(&env).0, "1000");
}

#[test]
fn i16_6_compressed_input_through_a_pipe_path_is_decompressed() {
    let text = lines_tagged("p", 300);
    let gz = gzip(text.as_bytes());
    // `gzip -c x | logstat /dev/stdin`: a pipe opened by path.
    let s = summary(&stdout_of(
        logstat().args(["/dev/stdin", "-q", "-f", "csv", "-r", "summary"]).write_stdin(gz.clone()),
        0,
    ));
    assert_eq!((s["lines"].as_str(), s["parsed"].as_str()), ("300", "300"));
    // A named FIFO with zstd behind it (`logstat <(zstd -c x)` is the same).
    let env = Env::new();
    let fifo = env.path("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let zs = zstd::encode_all(text.as_bytes(), 1).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, zs).unwrap())
    };
    let s = summary(&stdout_of(logstat().arg(&fifo).args(["-q", "-f", "csv", "-r", "summary"]), 0));
    writer.join().unwrap();
    assert_eq!((s["lines"].as_str(), s["parsed"].as_str()), ("300", "300"));
}

/// `logstat access.log --state s.state` in `env`: (requests, exit code, stderr).
fn live_only(env: &Env, extra: &[&str]) -> (String, i32, String) {
    let out = logstat()
        .current_dir(env.dir.path())
        .args(["access.log", "--state", "s.state", "-r", "summary", "-f", "csv"])
        .args(extra)
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let s = summary(&csv);
    UNREAD.with(|u| *u.borrow_mut() = s["unread_rotated_tails"].clone());
    (s["requests"].clone(), out.status.code().unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
}

thread_local! {
    /// `unread_rotated_tails` of the last [`live_only`] run.
    static UNREAD: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn append(env: &Env, name: &str, text: &str) {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(env.path(name))
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
}

#[test]
fn i16_3_rotated_files_are_found_without_being_named() {
    let env = Env::new();
    append(&env, "access.log", &lines_tagged("a", 1000));
    assert_eq!(live_only(&env, &[]).0, "1000");
    // Rename rotation after 200 more lines: the tail is read from access.log.1.
    append(&env, "access.log", &lines_tagged("b", 200));
    std::fs::rename(env.path("access.log"), env.path("access.log.1")).unwrap();
    append(&env, "access.log", &lines_tagged("c", 50));
    let (n, code, err) = live_only(&env, &[]);
    assert_eq!((n.as_str(), code), ("250", 0), "{err}");
    assert!(err.contains("reading the rest of it from access.log.1"), "{err}");
    // Rotated to a dated, compressed name (logrotate dateext + compress).
    append(&env, "access.log", &lines_tagged("d", 10));
    std::fs::remove_file(env.path("access.log.1")).unwrap();
    let text = std::fs::read(env.path("access.log")).unwrap();
    env.write("access.log-20241011.gz", gzip(&text));
    std::fs::remove_file(env.path("access.log")).unwrap();
    append(&env, "access.log", &lines_tagged("e", 5));
    let (n, code, err) = live_only(&env, &[]);
    assert_eq!((n.as_str(), code), ("15", 0), "{err}");
    assert!(err.contains("access.log-20241011.gz"), "{err}");
    // copytruncate: the copy holds the tail.
    append(&env, "access.log", &lines_tagged("f", 40));
    std::fs::copy(env.path("access.log"), env.path("access.log.1")).unwrap();
    std::fs::OpenOptions::new().write(true).open(env.path("access.log")).unwrap().set_len(0).unwrap();
    append(&env, "access.log", &lines_tagged("g", 4));
    let (n, code, err) = live_only(&env, &[]);
    assert_eq!((n.as_str(), code), ("44", 0), "{err}");
}

#[test]
fn i16_3_an_unfound_rotated_tail_is_a_gap_said_once() {
    let env = Env::new();
    append(&env, "access.log", &lines_tagged("a", 100));
    assert_eq!(live_only(&env, &[]).0, "100");
    append(&env, "access.log", &lines_tagged("b", 20));
    std::fs::rename(env.path("access.log"), env.path("elsewhere")).unwrap();
    append(&env, "access.log", &lines_tagged("c", 7));
    let (n, code, err) = live_only(&env, &["-q"]);
    assert_eq!((n.as_str(), code), ("7", 1), "the gap is an error even with -q: {err}");
    assert!(err.contains("was not found beside it") && err.contains("--allow-gaps"), "{err}");
    assert!(err.contains("after byte") && err.contains("line 100"), "{err}");
    assert_eq!(UNREAD.with(|u| u.borrow().clone()), "1", "the summary counts the gap");
    // Said once: the next run is clean.
    append(&env, "access.log", &lines_tagged("d", 3));
    assert_eq!(live_only(&env, &["-q"]), ("3".to_string(), 0, String::new()));
    // --allow-gaps: reported, exit 0.
    append(&env, "access.log", &lines_tagged("e", 2));
    std::fs::rename(env.path("access.log"), env.path("elsewhere2")).unwrap();
    append(&env, "access.log", &lines_tagged("f", 1));
    let (n, code, err) = live_only(&env, &["-q", "--allow-gaps"]);
    assert_eq!((n.as_str(), code), ("1", 0), "{err}");
    assert!(err.contains("was not found beside it"), "{err}");
}

#[test]
fn i16_12_a_fine_window_over_a_sparse_span_is_widened_not_dropped() {
    let env = Env::new();
    let a = "192.0.2.1 - - [10/Oct/2024:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"a\"\n";
    let b = "192.0.2.1 - - [11/Oct/2024:17:42:16 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"a\"\n"; // 100,000 s later
    let p = env.write("sparse.log", format!("{a}{b}"));
    let out = logstat().arg(&p).args(["--window", "1s", "-r", "windows", "-f", "csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--window 1s over this time span gives more than 100000 windows; shown per 1m"), "{err}");
    let rows = csv_rows(&String::from_utf8_lossy(&out.stdout));
    // 13:55 … 17:42 the next day, every minute, empty ones included.
    assert_eq!(rows.len() - 1, 1_668, "one row per minute");
    assert_eq!(rows[1][1], "1");
    assert_eq!(rows[2][1], "0");
    let text = stdout_of(logstat().arg(&p).args(["-q", "--window", "1s", "-r", "windows"]), 0);
    assert!(text.contains("quietest 2024-10-10T13:56:00+00:00  0 requests"), "{text}");
}

#[test]
fn i16_13_messages_say_what_is_wrong() {
    let env = Env::new();
    let log = env.write("a.log", lines_tagged("m", 50));
    // --max-routes below 2 is refused, not silently raised to 2.
    let out = logstat().arg(&log).args(["--max-routes", "1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-routes 1: at least 2"));
    // -o naming a file.
    let file = env.write("ofile", "x");
    let out = logstat().arg(&log).args(["-q", "-o"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ofile: Not a directory"), "{:?}", out.stderr);
    // A line longer than the detection sample is too long, not an unclosed quote.
    let long =
        format!("{}{}", line(&format!("GET /{} HTTP/1.1", "a".repeat(300 << 10)), "200", "1"), lines_tagged("x", 3));
    let p = env.write("long.log", long);
    let err = String::from_utf8_lossy(&logstat().arg(&p).args(["-r", "summary", "-f", "csv"]).output().unwrap().stderr)
        .into_owned();
    assert!(err.contains("too-long") && !err.contains("unclosed-quote"), "{err}");
    // gzip with bytes after the compressed data.
    let mut gz = gzip(lines_tagged("g", 10).as_bytes());
    gz.extend_from_slice(b"garbage\n");
    let p = env.write("trail.gz", gz);
    let out = logstat().arg(&p).args(["-q", "-r", "summary", "-f", "csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("gzip data damaged or cut short after") && err.contains("what came before is counted"),
        "{err}"
    );
    assert_eq!(summary(&String::from_utf8_lossy(&out.stdout))["requests"], "10");
}

#[test]
fn i16_13_a_full_disk_under_o_names_the_file_and_leaves_no_cut_file() {
    // A 64 KiB tmpfs in a private mount namespace (needs root and unshare).
    let ok = std::process::Command::new("unshare").args(["-m", "true"]).status().is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: unshare -m is not available here");
        return;
    }
    let env = Env::new();
    let log = env.write("a.log", lines_tagged("f", 2_000));
    let dir = env.path("full");
    std::fs::create_dir(&dir).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("logstat");
    let script = format!(
        "mount -t tmpfs -o size=64k tmpfs '{d}' && '{b}' '{l}' -q -o '{d}' -r routes,records; echo \"exit=$?\"; ls -a '{d}'",
        d = dir.display(),
        b = bin.display(),
        l = log.display()
    );
    let out = std::process::Command::new("unshare").args(["-m", "sh", "-c", &script]).output().unwrap();
    let (so, se) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(so.contains("exit=1"), "{so} {se}");
    assert!(se.contains("records.csv: No space left on device"), "{se}");
    assert!(!so.contains("records.csv") && !so.contains(".tmp"), "no cut or temporary file left: {so}");
}
