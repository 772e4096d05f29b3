//! Real inputs, hostile inputs: compressed and rotated logs, stdin, files
//! that shrink while read, huge lines, binary garbage.

mod util;

use std::io::Write;

use util::*;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn generated(seed: u64, bytes: usize) -> String {
    logstat::synth::Generator::new(seed, 1_700_000_000, 500_000).fill(bytes)
}

const ALL: [&str; 4] = ["-q", "-f", "json", "-r"];
const REPORTS: &str = "summary,class,status,routes,windows,malformed";

#[test]
fn gzip_zstd_and_stdin_give_the_same_report_as_plain() {
    let env = Env::new();
    let text = generated(1, 2 << 20);
    let plain = env.write("a.log", &text);
    let g = env.write("a.log.gz", gz(text.as_bytes()));
    // Concatenated members (cat a.gz b.gz) are all read.
    let half = text.len() / 2;
    let cut = half + text[half..].find('\n').unwrap() + 1;
    let multi = env.write("multi.gz", [gz(&text.as_bytes()[..cut]), gz(&text.as_bytes()[cut..])].concat());
    let zs = env.write("a.zst", zstd::encode_all(text.as_bytes(), 3).unwrap());
    // Detected by magic bytes, not by extension.
    let sneaky = env.write("looks-plain.log", gz(text.as_bytes()));
    let base = stdout_of(logstat().arg(&plain).args(ALL).arg(REPORTS), 0);
    let name = plain.display().to_string();
    for p in [&g, &multi, &zs, &sneaky] {
        let out = stdout_of(logstat().arg(p).args(ALL).arg(REPORTS), 0);
        assert_eq!(out.replace(&p.display().to_string(), &name), base, "{}", p.display());
    }
    for stdin in [text.as_bytes().to_vec(), gz(text.as_bytes()), std::fs::read(&zs).unwrap()] {
        let out = stdout_of(logstat().arg("-").args(ALL).arg(REPORTS).write_stdin(stdin), 0);
        assert_eq!(out.replace("\"-\"", &format!("\"{name}\"")), base);
    }
    let files = csv_rows(&stdout_of(logstat().arg(&g).arg(&zs).args(["-q", "-f", "csv", "-r", "files"]), 0));
    assert_eq!(files[0], ["file", "format", "lines", "parsed", "malformed", "first_time", "last_time", "bytes_read"]);
    assert_eq!(files[1][1], "combined (gzip)");
    assert_eq!(files[2][1], "combined (zstd)");
    assert_eq!(files[1][7], text.len().to_string(), "bytes_read counts decompressed bytes");
}

#[test]
fn a_rotated_set_by_quoted_glob() {
    let env = Env::new();
    let parts: Vec<String> = (0..4).map(|i| generated(10 + i, 200_000)).collect();
    env.write("access.log", &parts[0]);
    env.write("access.log.1", &parts[1]);
    env.write("access.log.2.gz", gz(parts[2].as_bytes()));
    env.write("access.log.10.gz", gz(parts[3].as_bytes()));
    env.write("error.log", "not an access log\n");
    let pattern = env.dir.path().join("access.log*");
    let rows =
        csv_rows(&stdout_of(logstat().arg(pattern.to_str().unwrap()).args(["-q", "-f", "csv", "-r", "files"]), 0));
    let names: Vec<String> = rows[1..]
        .iter()
        .map(|r| std::path::Path::new(&r[0]).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz"]);
    let total: usize = parts.iter().map(|p| p.lines().count()).sum();
    let s = summary(&stdout_of(logstat().arg(pattern.to_str().unwrap()).args(["-q", "-f", "csv", "-r", "summary"]), 0));
    assert_eq!(s["lines"], total.to_string());
    // A glob that matches nothing is an unreadable input.
    let none = env.dir.path().join("nothing*");
    logstat().arg(none.to_str().unwrap()).args(["-q", "-f", "csv", "-r", "summary"]).assert().code(1);
}

/// Run logstat on `p` with `args`, slowed by the test knobs (64 KiB chunks,
/// 10 ms after each), and cut `p` to 4 KiB (like copytruncate) 0.9 s in.
fn cut_mid_run(p: &std::path::Path, args: &[&str]) -> std::process::Output {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("logstat"))
        .arg(p)
        .args(args)
        .env("LOGSTAT_CHUNK_DELAY_MS", "10")
        .env("LOGSTAT_CHUNK_BYTES", "65536")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(900));
    std::fs::OpenOptions::new().write(true).open(p).unwrap().set_len(4096).unwrap();
    child.wait_with_output().unwrap()
}

/// Truncate a 24 MiB log to 4 KiB (like copytruncate) while a run slowed
/// by the test knobs reads it with `mmap` (always: mapped, after the first
/// checkpoint of 8 × 16 chunks; never: streamed). What was read before is
/// reported, with exit 1, a message, and no malformed line from lost pages
/// or the cut last line.
fn truncated_mid_run(mmap: &str, seed: u64) {
    let env = Env::new();
    let p = env.write("live.log", generated(seed, 24 << 20));
    let out = cut_mid_run(&p, &["-q", "--mmap", mmap, "-j", "2", "-f", "csv", "-r", "summary"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "--mmap {mmap}: no SIGBUS, exit 1; stderr: {err}");
    assert!(err.contains("the file shrank while being read") && err.contains("bytes were not counted"), "{err}");
    let s = summary(&String::from_utf8_lossy(&out.stdout));
    let lines: u64 = s["lines"].parse().unwrap();
    assert!(lines > 0, "--mmap {mmap}: what was read before the truncation is reported");
    assert_eq!(s["malformed"], "0", "--mmap {mmap}: nothing malformed from the cut");
    assert_eq!(s["parsed"], s["lines"]);
}

#[test]
fn truncation_during_a_run_is_survived_and_reported() {
    truncated_mid_run("always", 3);
}

#[test]
fn truncation_during_a_streamed_read_is_reported() {
    // Issue 16 #5: with --mmap never, a cut was read as a short file.
    truncated_mid_run("never", 4);
}

/// Records from a mapped file truncated mid-run: what was read before the
/// cut is written in file order, each line once under its own number; the
/// run says what was not counted and exits 1.
#[test]
fn truncation_while_writing_records_keeps_what_was_read_in_order() {
    let env = Env::new();
    let data = generated(5, 24 << 20);
    let p = env.write("live.log", &data);
    let out_dir = env.dir.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out_arg = out_dir.to_str().unwrap();
    let out = cut_mid_run(&p, &["-q", "--mmap", "always", "-j", "2", "-r", "records", "-f", "csv", "-o", out_arg]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the file shrank while being read"), "{err}");
    let csv = std::fs::read_to_string(out_dir.join("records.csv")).unwrap();
    let original: Vec<&str> = data.lines().collect();
    let mut last = 0;
    for row in csv.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        let n: usize = cells[1].parse().unwrap();
        assert!(n > last, "line {n} after line {last}: not in file order");
        // Its own line: the client address the log has on that line.
        assert_eq!(Some(cells[3]), original[n - 1].split(' ').next(), "line {n}");
        last = n;
    }
    assert!(last > 0, "what was read before the cut is written");
}

#[test]
fn huge_lines_nul_bytes_and_garbage() {
    let env = Env::new();
    let good = line("GET / HTTP/1.1", "200", "1");
    // 1 MiB request line: valid. 50 MiB line: counted too-long, not parsed.
    let big = line(&format!("GET /{} HTTP/1.1", "a".repeat(1 << 20)), "200", "1");
    let mut data = format!("{good}{big}").into_bytes();
    data.extend(std::iter::repeat_n(b'x', 50 << 20));
    data.extend_from_slice(b"\n");
    data.extend_from_slice(good.as_bytes());
    data.extend_from_slice(b"\x00\x00\x00\x00\n");
    let p = env.write("huge.log", &data);
    for mmap in ["always", "never"] {
        let s = summary(&stdout_of(logstat().arg(&p).args(["-q", "--mmap", mmap, "-f", "csv", "-r", "summary"]), 0));
        assert_eq!((s["lines"].as_str(), s["parsed"].as_str()), ("5", "3"), "mmap {mmap}");
        assert_eq!(s["malformed_too_long"], "1", "mmap {mmap}");
    }
    let s = summary(&stdout_of(logstat().arg("-").args(["-q", "-f", "csv", "-r", "summary"]).write_stdin(data), 0));
    assert_eq!((s["lines"].as_str(), s["malformed_too_long"].as_str()), ("5", "1"));

    // Random bytes: every line accounted for, nothing printed raw.
    let mut rng = logstat::synth::Rng::new(99);
    let garbage: Vec<u8> = (0..(1 << 20)).map(|_| rng.next_u64() as u8).collect();
    let p = env.write("urandom.log", &garbage);
    let s = summary(&stdout_of(logstat().arg(&p).args(["-q", "-f", "csv", "-r", "summary"]), 0));
    let lines = logstat::input::chunk::count_lines(&garbage);
    assert_eq!(s["lines"], lines.to_string());
    let m: u64 = s["malformed"].parse().unwrap();
    let parsed: u64 = s["parsed"].parse().unwrap();
    assert_eq!(m + parsed, lines);
    let table = stdout_of(logstat().arg(&p).args(["-q", "-r", "summary,malformed"]), 0);
    assert!(!table.bytes().any(|b| b < 0x20 && b != b'\n'), "no control bytes reach the terminal");
}

#[test]
fn a_corrupt_gzip_tail_keeps_what_was_read() {
    let env = Env::new();
    let text = generated(5, 1 << 20);
    let mut bytes = gz(text.as_bytes());
    let n = bytes.len();
    bytes.truncate(n * 3 / 4);
    let p = env.write("cut.gz", &bytes);
    let out = logstat().arg(&p).args(["-q", "-f", "csv", "-r", "summary"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(&format!("logstat: {}: ", p.display())));
    let s = summary(&String::from_utf8_lossy(&out.stdout));
    let lines: u64 = s["lines"].parse().unwrap();
    assert!(lines > 0 && lines < text.lines().count() as u64);
}

/// A scanner flood: `n` distinct paths plus one heavy route every 7 lines.
fn flood(n: usize) -> String {
    let mut s = String::with_capacity(n * 90);
    for i in 0..n {
        let word: String = i.to_string().bytes().map(|d| (b'a' + d - b'0') as char).collect();
        s += &format!("192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET /scan/x{word}q HTTP/1.1\" 404 0 \"-\" \"s\"\n");
        if i % 7 == 0 {
            s += "192.0.2.2 - - [10/Oct/2023:13:55:37 +0000] \"GET /home HTTP/1.1\" 200 10 \"-\" \"b\"\n";
        }
    }
    s
}

#[test]
fn a_million_distinct_paths_hit_the_bound_and_totals_still_add_up() {
    let env = Env::new();
    let n = 1_000_000;
    let text = flood(n);
    let lines = text.lines().count() as u64;
    let p = env.write("flood.log", &text);
    let out = logstat().arg(&p).args(["-f", "csv", "-r", "routes", "--max-routes", "10000"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than 10000 distinct routes"));
    let rows = csv_rows(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(rows[1][..2], ["/home".to_string(), (n / 7 + 1).to_string()], "the heavy route is exact");
    let last = rows.last().unwrap();
    assert_eq!(last[0], "(other routes)");
    let sum: u64 = rows[1..].iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
    assert_eq!(sum, lines, "kept routes + (other routes) = every request");
    assert!(rows.len() <= 10_000 + 2);
}

#[test]
fn pruned_reports_are_identical_across_threads_chunks_mmap_and_stdin() {
    let env = Env::new();
    let text = flood(120_000);
    let p = env.write("flood.log", &text);
    let args = ["-q", "-f", "json", "-r", "summary,routes", "--max-routes", "500"];
    let base = stdout_of(logstat().arg(&p).args(args).args(["-j", "1", "--mmap", "never"]), 0);
    assert!(base.contains("(other routes)"));
    for (j, mmap) in [("2", "always"), ("4", "always"), ("3", "never")] {
        let out = stdout_of(logstat().arg(&p).args(args).args(["-j", j, "--mmap", mmap]), 0);
        assert_eq!(out, base, "-j {j} --mmap {mmap}");
    }
    let gz_path = env.write("flood.log.gz", gz(text.as_bytes()));
    let out = stdout_of(logstat().arg(&gz_path).args(args).args(["-j", "2"]), 0);
    assert_eq!(out.replace(&gz_path.display().to_string(), &p.display().to_string()), base);
    let out = stdout_of(logstat().arg("-").args(args).args(["-j", "2"]).write_stdin(text), 0);
    assert_eq!(out.replace("\"-\"", &format!("\"{}\"", p.display())), base);
}

#[test]
fn a_long_log_with_a_fine_window_is_widened_not_exhausting_memory() {
    let env = Env::new();
    // One line a minute for ~104 days: 150,000 one-minute windows.
    let mut g = logstat::synth::Generator::new(4, 1_600_000_000, 1_440);
    let mut text = String::new();
    for _ in 0..150_000 {
        g.line(&mut text);
    }
    let p = env.write("long.log", &text);
    let run =
        |j: &str| logstat().arg(&p).args(["-f", "csv", "-r", "windows", "--window", "1m", "-j", j]).output().unwrap();
    let out = run("2");
    // One thread widens its own windows past the bound; the same report.
    assert_eq!(run("1").stdout, out.stdout);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--window 1m over this time span gives more than 100000 windows; shown per 1h"), "{err}");
    let rows = csv_rows(&String::from_utf8_lossy(&out.stdout));
    assert!(rows.len() - 1 <= 2_600, "{}", rows.len());
    let total: u64 = rows[1..].iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
    assert_eq!(total, 150_000);
}
