//! A standing adversarial suite (issue 16): hostile inputs, generated here,
//! each with its expected exit code and message; never a panic (exit 101),
//! `parsed + malformed = lines`, nothing raw on the terminal, memory
//! bounded, state files left untouched when refused. Bounded in time: the
//! whole file runs in a few seconds.

mod util;

use std::process::{Command, Stdio};

use util::*;

/// Exit code, stdout and stderr of `logstat ARGS` on `stdin`.
fn run(args: &[&std::ffi::OsStr], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut c = logstat();
    c.args(args);
    if let Some(s) = stdin {
        c.write_stdin(s.to_vec());
    }
    let out = c.output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert_ne!(code, 101, "panic: {}", String::from_utf8_lossy(&out.stderr));
    (code, String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

/// Every line is accounted for, and no control byte reaches the output.
fn accounted(csv: &str) -> std::collections::HashMap<String, String> {
    let s = summary(csv);
    let n = |k: &str| s[k].parse::<u64>().unwrap();
    assert_eq!(n("parsed") + n("malformed"), n("lines"), "{csv}");
    s
}

fn clean(text: &str) {
    assert!(
        !text.chars().any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
        "raw control or bidi character in {text:?}"
    );
}

/// Deterministic pseudo-random bytes.
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn hostile_contents_are_counted_never_crash() {
    let good = line("GET /a HTTP/1.1", "200", "1");
    let evil = "\x1b]0;title\x07\u{202e}\u{2066}=cmd|' /C calc'!A0\r";
    let mut cases: Vec<(&str, Vec<u8>, u64)> = vec![
        ("empty", Vec::new(), 0),
        ("newlines only", b"\n\n\n\n".to_vec(), 4),
        ("NUL bytes", [good.as_bytes(), b"\0\0\0\n", good.as_bytes(), b"\0"].concat(), 4),
        ("CRLF, no final newline", good.replace('\n', "\r\n").repeat(3).trim_end().as_bytes().to_vec(), 3),
        (
            "escapes and bidi in every field",
            format!("{evil} {evil} {evil} [10/Oct/2023:13:55:36 +0000] \"GET /{evil} HTTP/1.1\" 200 1 \"{evil}\" \"{evil}\"\n")
                .into_bytes(),
            1,
        ),
    ];
    for seed in 0..8 {
        let mut b = noise(seed, 64 << 10);
        b.push(b'\n');
        let lines = b.iter().filter(|&&c| c == b'\n').count() as u64;
        cases.push(("random bytes", b, lines));
    }
    let env = Env::new();
    for (i, (what, bytes, lines)) in cases.iter().enumerate() {
        let p = env.write(&format!("c{i}.log"), bytes);
        for mmap in ["always", "never"] {
            let (code, out, err) =
                run(&[p.as_os_str(), os("-f"), os("csv"), os("-r"), os("summary"), os("--mmap"), os(mmap)], None);
            assert_eq!(code, 0, "{what}: {err}");
            let s = accounted(&out);
            assert_eq!(s["lines"], lines.to_string(), "{what}");
            clean(&err);
        }
        // Every report, every output, on stdin too: no raw bytes.
        for f in ["table", "csv", "json"] {
            let (code, out, err) = run(
                &[
                    os("-"),
                    os("-f"),
                    os(f),
                    os("-r"),
                    os("summary,status,routes,malformed,findings"),
                    os("-o"),
                    env.path(&format!("o{i}{f}")).as_os_str(),
                ],
                Some(bytes),
            );
            assert!(code == 0 || (f == "table" && code == 2), "{what} {f}: {err}");
            clean(&out);
            clean(&err);
        }
        let (_, out, err) = run(&[p.as_os_str(), os("-r"), os("summary,status,routes,malformed,findings")], None);
        clean(&out);
        clean(&err);
    }
}

#[test]
fn damaged_compressed_inputs_keep_what_was_read_and_say_so() {
    let env = Env::new();
    let text = line("GET /z HTTP/1.1", "200", "1").repeat(2_000);
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut e, text.as_bytes()).unwrap();
    let gz = e.finish().unwrap();
    let zs = zstd::encode_all(text.as_bytes(), 1).unwrap();
    for (name, bytes) in [
        ("cut.gz", gz[..gz.len() / 2].to_vec()),
        ("cut.zst", zs[..zs.len() / 2].to_vec()),
        ("flipped.gz", {
            let mut b = gz.clone();
            let k = b.len() / 2;
            b[k] ^= 0xff;
            b
        }),
        ("header-only.gz", gz[..10].to_vec()),
    ] {
        let p = env.write(name, bytes);
        let (code, out, err) = run(&[p.as_os_str(), os("-q"), os("-f"), os("csv"), os("-r"), os("summary")], None);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(err.contains(name) && err.contains("damaged or cut short"), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
        accounted(&out);
    }
}

/// Peak resident memory (KiB) of the largest child process so far.
fn children_max_rss_kib() -> i64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    u.ru_maxrss
}

#[test]
fn a_gzip_bomb_and_dev_zero_stay_within_bounded_memory() {
    // 1 GiB of zeros compressed to ~1 MiB: one endless line, skipped as too-long.
    let env = Env::new();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        std::io::Write::write_all(&mut e, &zeros).unwrap();
    }
    let p = env.write("bomb.gz", e.finish().unwrap());
    let (code, out, err) = run(&[p.as_os_str(), os("-q"), os("-f"), os("csv"), os("-r"), os("summary")], None);
    assert_eq!(code, 0, "{err}");
    let s = accounted(&out);
    assert_eq!((s["lines"].as_str(), s["malformed_too_long"].as_str()), ("1", "1"));
    // /dev/zero never ends: stopped after 2 s, it must not have grown.
    let bin = assert_cmd::cargo::cargo_bin("logstat");
    let status = Command::new("timeout")
        .args(["-s", "INT", "2"])
        .arg(&bin)
        .args(["/dev/zero", "-q", "-r", "summary"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_ne!(status.code(), Some(101));
    let rss = children_max_rss_kib();
    assert!(rss < 512 * 1024, "peak RSS {rss} KiB");
}

#[test]
fn odd_names_are_files_not_options() {
    let env = Env::new();
    let body = line("GET / HTTP/1.1", "200", "1");
    std::fs::write(env.path("-"), &body).unwrap();
    std::fs::write(env.path("explain"), &body).unwrap();
    for name in ["./-", "./explain"] {
        let out =
            logstat().current_dir(env.dir.path()).args([name, "-q", "-f", "csv", "-r", "summary"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}");
        assert_eq!(summary(&String::from_utf8_lossy(&out.stdout))["requests"], "1", "{name}");
    }
    // A directory, and a name with escapes, are one-line errors naming them.
    std::fs::create_dir(env.path("d\x1b[31mir")).unwrap();
    let (code, _, err) = run(&[env.path("d\x1b[31mir").as_os_str()], None);
    assert_eq!(code, 1);
    assert!(err.contains("d\\x1b[31mir: is a directory"), "{err}");
    clean(&err);
}

#[test]
fn damaged_state_files_are_refused_at_every_cut_and_flip() {
    let env = Env::new();
    let log = env.write("a.log", line("GET /s HTTP/1.1", "200", "1").repeat(50));
    let state = env.path("s.state");
    let args = |s: &std::path::Path| {
        vec![
            log.clone().into_os_string(),
            "--state".into(),
            s.as_os_str().to_owned(),
            "-q".into(),
            "-f".into(),
            "csv".into(),
            "-r".into(),
            "summary".into(),
        ]
    };
    let a = args(&state);
    let a: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
    assert_eq!(run(&a, None).0, 0);
    let good = std::fs::read(&state).unwrap();
    // Cut at every length (a few hundred bytes) and flipped at a spread of
    // positions: refused with exit 1 and left untouched; never reset.
    let step = (good.len() / 64).max(1);
    let mut damaged: Vec<Vec<u8>> = (0..good.len()).step_by(step).map(|n| good[..n].to_vec()).collect();
    for k in (0..good.len()).step_by(step) {
        let mut b = good.clone();
        b[k] ^= 0x5a;
        damaged.push(b);
    }
    for (i, bytes) in damaged.iter().enumerate() {
        std::fs::write(&state, bytes).unwrap();
        let (code, _, err) = run(&a, None);
        assert_eq!(code, 1, "case {i}: {err}");
        assert!(err.contains("s.state"), "case {i}: {err}");
        assert_eq!(&std::fs::read(&state).unwrap(), bytes, "case {i}: left as it was");
    }
    // Another format version.
    let st = logstat::state::decode(&state, &good).unwrap();
    let mut v = logstat::state::encode(&st).unwrap();
    v[8] = v[8].wrapping_add(1); // the version follows the 8-byte magic
    std::fs::write(&state, &v).unwrap();
    let (code, _, err) = run(&a, None);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn read_only_output_is_an_error_naming_the_file() {
    if unsafe { libc::geteuid() } == 0 {
        // Root writes through permissions: use a read-only mount instead.
        let ok = Command::new("unshare").args(["-m", "true"]).status().is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: root without unshare -m");
            return;
        }
        let env = Env::new();
        let log = env.write("a.log", line("GET / HTTP/1.1", "200", "1"));
        let dir = env.path("ro");
        std::fs::create_dir(&dir).unwrap();
        let bin = assert_cmd::cargo::cargo_bin("logstat");
        let script = format!(
            "mount -t tmpfs -o ro tmpfs '{d}' && '{b}' '{l}' -q -o '{d}' -r routes; echo \"exit=$?\"",
            d = dir.display(),
            b = bin.display(),
            l = log.display()
        );
        let out = Command::new("unshare").args(["-m", "sh", "-c", &script]).output().unwrap();
        let (so, se) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(so.contains("exit=1") && se.contains("routes.csv: Read-only file system"), "{so} {se}");
    } else {
        let env = Env::new();
        let log = env.write("a.log", line("GET / HTTP/1.1", "200", "1"));
        let dir = env.path("ro");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
        let (code, _, err) = run(&[log.as_os_str(), os("-q"), os("-o"), dir.as_os_str(), os("-r"), os("routes")], None);
        assert_eq!(code, 1);
        assert!(err.contains("routes.csv"), "{err}");
    }
}
