//! Custom formats: nginx log_format and Apache LogFormat strings pasted as
//! written, nginx.conf, presets, and loud mismatch diagnostics.

mod util;

use predicates::prelude::*;
use util::*;

const TIMED: &str = r#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time $upstream_response_time"#;

#[test]
fn nginx_log_format_with_timings_and_upstream_lists() {
    let env = Env::new();
    let p = env.write(
        "t.log",
        concat!(
            "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET /a/1 HTTP/1.1\" 200 5 \"-\" \"ua x\" 0.120 0.002, 0.118 : 0.010\n",
            "192.0.2.2 - bob [10/Oct/2023:13:55:37 +0000] \"POST /a/2 HTTP/1.1\" 502 0 \"-\" \"ua\" 1.500 -\n",
        ),
    );
    let spec = format!("nginx:{TIMED}");
    let rows = csv_rows(&stdout_of(logstat().arg(&p).args(["--log-format", &spec, "-f", "csv", "-r", "records"]), 0));
    let col = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    assert_eq!(rows[0][16..18], ["request_time", "upstream_time"]);
    assert_eq!((rows[1][col("request_time")].as_str(), rows[1][col("upstream_time")].as_str()), ("0.120", "0.130"));
    assert_eq!((rows[2][col("request_time")].as_str(), rows[2][col("upstream_time")].as_str()), ("1.500", "-"));
    assert_eq!((rows[2][col("user")].as_str(), rows[2][col("route")].as_str()), ("bob", "/a/:id"));
    // The same log is recognised by the nginx_timed preset without a format string.
    let err = String::from_utf8(logstat().arg(&p).args(["-f", "csv", "-r", "class"]).output().unwrap().stderr).unwrap();
    assert!(err.contains("format nginx_timed"), "{err}");
}

#[test]
fn nginx_escape_json_iso_time_and_host() {
    let env = Env::new();
    let p = env.write(
        "j.log",
        "{\"t\":\"2024-01-31T00:00:02+05:00\",\"ip\":\"192.0.2.1\",\"req\":\"GET /x?y=1 HTTP/1.1\",\"s\":404,\"ua\":\"a \\\"q\\\" b\",\"host\":\"example.com\"}\n",
    );
    let fmt = r#"nginx:escape=json '{"t":"$time_iso8601","ip":"$remote_addr",' '"req":"$request","s":$status,"ua":"$http_user_agent","host":"$host"}'"#;
    let v: serde_json::Value = serde_json::from_str(
        stdout_of(logstat().arg(&p).args(["--log-format", fmt, "-f", "json", "-r", "records"]), 0).trim(),
    )
    .unwrap();
    assert_eq!(
        (v["status"].as_u64(), v["route"].as_str(), v["time"].as_str()),
        (Some(404), Some("/x"), Some("2024-01-31T00:00:02+05:00"))
    );
}

#[test]
fn apache_logformat_families() {
    let env = Env::new();
    let p = env.write(
        "a.log",
        "example.com:443 192.0.2.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a.gif HTTP/1.0\" 200 2326 \"http://x/\" \"Mozilla\" 1234 0\n",
    );
    let fmt = r#"apache:%v:%p %h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D %T"#;
    let v: serde_json::Value = serde_json::from_str(
        stdout_of(logstat().arg(&p).args(["--log-format", fmt, "-f", "json", "-r", "records"]), 0).trim(),
    )
    .unwrap();
    assert_eq!(
        (v["user"].as_str(), v["status"].as_u64(), v["request_time"].as_f64()),
        (Some("frank"), Some(200), Some(0.001))
    );
    let p = env.write("m.log", "2001:db8::1 GET /users/5?x=1 HTTP/2.0 404 12\n");
    let v: serde_json::Value = serde_json::from_str(
        stdout_of(
            logstat().arg(&p).args(["--log-format", "apache:%a %m %U%q %H %>s %{ms}T", "-f", "json", "-r", "records"]),
            0,
        )
        .trim(),
    )
    .unwrap();
    assert_eq!(
        (v["route"].as_str(), v["request_time"].as_f64(), v["method"].as_str()),
        (Some("/users/:id"), Some(0.012), Some("GET"))
    );
}

#[test]
fn presets_are_detected() {
    let env = Env::new();
    let base = "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"ua\"";
    for (name, line) in [
        ("main", format!("{base} \"198.51.100.1, 10.0.0.1\"")),
        ("nginx_timed", format!("{base} 0.005 0.004")),
        (
            "upstreaminfo",
            format!(
                "{base} 462 0.005 [default-web-80] [] 10.0.0.5:8080, 10.0.0.6:8080 612 0.004, 0.001 502, 200 5f1e0a"
            ),
        ),
        (
            "common_with_vhost",
            "example.com 192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5".to_string(),
        ),
        ("vcombined", format!("example.com:80 {base}")),
        ("combined", base.to_string()),
    ] {
        let p = env.write("p.log", format!("{line}\n{line}\n"));
        let out = logstat().arg(&p).args(["-f", "csv", "-r", "summary"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("format {name} (2 of 2")), "{name}: {err}");
        assert_eq!(summary(&String::from_utf8_lossy(&out.stdout))["parsed"], "2", "{name}");
    }
}

#[test]
fn nginx_conf_multi_line_and_several_formats() {
    let env = Env::new();
    let conf = env.write(
        "nginx.conf",
        "http {\n    include /etc/nginx/mime.types;\n    log_format main '$remote_addr - $remote_user [$time_local] \"$request\" '\n                    '$status $body_bytes_sent \"$http_referer\" '\n                    '\"$http_user_agent\" \"$http_x_forwarded_for\"';\n    log_format timing '$remote_addr [$time_local] \"$request\" $status $request_time';\n    access_log /var/log/nginx/access.log main;\n}\n",
    );
    let p = env.write("t.log", "192.0.2.1 [10/Oct/2023:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 0.250\n");
    let out = logstat()
        .arg(&p)
        .arg("--nginx-conf")
        .arg(&conf)
        .args(["--log-name", "timing", "-f", "csv", "-r", "records"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'include /etc/nginx/mime.types' is not followed"));
    let rows = csv_rows(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(rows[1][16], "0.250");
    // Default: main.
    let m =
        env.write("m.log", "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"ua\" \"-\"\n");
    let s =
        summary(&stdout_of(logstat().arg(&m).arg("--nginx-conf").arg(&conf).args(["-f", "csv", "-r", "summary"]), 0));
    assert_eq!(s["parsed"], "1");
    logstat()
        .arg(&m)
        .arg("--nginx-conf")
        .arg(&conf)
        .args(["--log-name", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no log_format nope (found: main, timing)"));
}

#[test]
fn mismatch_is_loud_with_the_line_and_field() {
    let env = Env::new();
    let p = env.write("c.log", "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5\n".repeat(3));
    let out = logstat().arg(&p).args(["--log-format", "combined", "-f", "csv", "-r", "summary"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("only 0 of 3 sample lines fit the format combined"), "{err}");
    assert!(err.contains("first line that does not fit (sample line 1, format-mismatch at field referrer)"), "{err}");
    assert_eq!(summary(&String::from_utf8_lossy(&out.stdout))["malformed_format_mismatch"], "3");
}

#[test]
fn bad_format_strings_are_usage_errors() {
    for (f, msg) in [
        ("nginx:$remote_addr$status", "nothing between them"),
        ("apache:%h %Z", "unknown LogFormat directive %Z"),
        ("nginx:no variables", "no fields"),
        ("bogus", "unknown log format 'bogus'"),
    ] {
        logstat().arg("x.log").args(["--log-format", f]).assert().code(2).stderr(predicate::str::contains(msg));
    }
}

#[test]
fn the_honeypot_parses_fully_with_its_log_format() {
    let Some(dir) = real_logs() else { return };
    let p = dir.join("honeypot-hanxen-2019.log");
    let fmt = r#"nginx:$http_host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $server_port"#;
    let out = logstat().arg(&p).args(["-q", "--log-format", fmt, "-f", "csv", "-r", "summary"]).output().unwrap();
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = summary(&String::from_utf8_lossy(&out.stdout));
    assert_eq!((s["lines"].as_str(), s["parsed"].as_str()), ("9143", "9143"));
    let rows =
        csv_rows(&stdout_of(logstat().arg(&p).args(["-q", "--log-format", fmt, "-f", "csv", "-r", "records"]), 0));
    assert_eq!((rows[1][3].as_str(), rows[1][8].as_str()), ("218.92.0.208", "400"));
}
