//! `logstat explain` forms and findings on logs written by the tests.

mod util;

use predicates::prelude::*;
use util::*;

#[test]
fn explain_one_code() {
    let out = stdout_of(logstat().args(["explain", "499"]), 0);
    assert!(out.starts_with("499 Client Closed Request (nginx)\n"), "{out}");
    for want in ["origin                nginx", "retry", "at fault", "client closed the connection"] {
        assert!(out.contains(want), "{want}: {out}");
    }
    let out = stdout_of(logstat().args(["explain", "413"]), 0);
    assert!(out.contains("413 Content Too Large") && out.contains("formerly") && out.contains("Payload Too Large"));
    let out = stdout_of(logstat().args(["explain", "299"]), 0);
    assert!(out.starts_with("299 unregistered") && out.contains("class 2xx"));
}

#[test]
fn explain_compares_codes_side_by_side() {
    let out = stdout_of(logstat().args(["explain", "301", "308"]), 0);
    assert!(out.contains("Moved Permanently") && out.contains("Permanent Redirect"));
    assert!(out.contains("differs in: method preserved"), "{out}");
    let out = stdout_of(logstat().args(["explain", "302", "307"]), 0);
    assert!(out.contains("differs in: method preserved"), "{out}");
    let out = stdout_of(logstat().args(["explain", "301", "302"]), 0);
    assert!(out.contains("permanent") && out.contains("differs in: permanent, cacheable by default"), "{out}");
}

#[test]
fn explain_a_class_and_the_list() {
    let out = stdout_of(logstat().args(["explain", "4xx"]), 0);
    assert!(out.starts_with("4xx: client error"));
    assert!(out.contains("  444 No Response (nginx)") && out.contains("  404 Not Found"));
    assert!(!out.contains(" 500 "));
    let csv = stdout_of(logstat().args(["explain", "--list", "-f", "csv"]), 0);
    let rows = csv_rows(&csv);
    assert_eq!(rows[0][..4], ["code", "name", "class", "origin"]);
    for code in ["444", "494", "495", "496", "497", "499", "520", "530", "460", "463", "561", "418", "103"] {
        assert!(rows.iter().any(|r| r[0] == code), "{code}");
    }
    let json = stdout_of(logstat().args(["explain", "--list", "-f", "json"]), 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["registry"].as_array().unwrap().len() >= 90);
}

#[test]
fn explain_rejects_what_is_not_a_code_and_files_named_explain_still_work() {
    logstat()
        .args(["explain", "teapot"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'teapot' is not a status code").and(predicate::str::contains("./teapot")));
    logstat().args(["explain"]).assert().code(2);
    // A log file literally called "explain" is read as ./explain.
    let env = Env::new();
    env.write("explain", line("GET / HTTP/1.1", "200", "1"));
    let s =
        summary(&stdout_of(logstat().current_dir(env.dir.path()).args(["./explain", "-f", "csv", "-r", "summary"]), 0));
    assert_eq!(s["parsed"], "1");
}

fn at(min: u32, path: &str, method: &str, status: u32) -> String {
    format!("192.0.2.1 - - [10/Oct/2023:13:{min:02}:00 +0000] \"{method} {path} HTTP/1.1\" {status} 10 \"-\" \"t\"\n")
}

/// Healthy traffic: 2xx/3xx and a few 404s under every threshold.
fn clean() -> String {
    let mut s = String::new();
    for i in 0..1000 {
        let path = ["/", "/users/1", "/static/app.css", "/api/items"][i % 4];
        s += &at((i / 20) as u32, path, "GET", if i % 10 == 0 { 304 } else { 200 });
    }
    s += &at(50, "/missing", "GET", 404);
    s
}

#[test]
fn a_clean_log_has_no_findings() {
    let env = Env::new();
    let p = env.write("clean.log", clean());
    let out = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "findings"]), 0);
    assert_eq!(out, "finding,severity,code,route,count,share,detail\n");
    assert!(!stdout_of(logstat().arg(&p), 0).contains("Findings"));
}

#[test]
fn a_502_burst_on_one_route_is_named() {
    let env = Env::new();
    let mut log = clean();
    for i in 0..60 {
        log += &at(40 + i / 10, "/api/checkout/123", "POST", 502);
    }
    let p = env.write("burst.log", log);
    let rows = csv_rows(&stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "findings"]), 0));
    let se = rows.iter().find(|r| r[0] == "server-errors").expect("server-errors");
    assert_eq!((se[1].as_str(), se[2].as_str(), se[4].as_str()), ("critical", "5xx", "60"));
    let route = rows.iter().find(|r| r[0] == "server-errors-route").expect("route finding");
    assert_eq!((route[3].as_str(), route[4].as_str(), route[5].as_str()), ("/api/checkout/:id", "60", "100.00"));
    let table = stdout_of(logstat().arg(&p), 0);
    assert!(table.contains("Findings") && table.contains("server-errors-route 5xx /api/checkout/:id"), "{table}");
}

#[test]
fn other_findings_fire_on_their_patterns() {
    let env = Env::new();
    let mut log = clean();
    for i in 0..30 {
        log += &at(i % 60, "/slow/report", "GET", 499);
        log += &at(i % 60, "/api/limited", "GET", 429);
        log += &at(i % 60, "/admin", "GET", if i % 2 == 0 { 401 } else { 403 });
        log += &at(i % 60, "/wp-login.php", "GET", 404);
        log += &at(i % 60, "/old-page", "GET", 404);
    }
    for _ in 0..6 {
        log += &at(5, "/login", "POST", 302);
    }
    log += &at(6, "/.env", "GET", 444);
    log += &at(7, "/x", "GET", 299);
    let p = env.write("mixed.log", log);
    let rows = csv_rows(&stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "findings"]), 0));
    let has = |f: &str, route: &str| rows.iter().any(|r| r[0] == f && r[3] == route);
    assert!(has("clients-gave-up", "/slow/report"), "{rows:?}");
    assert!(has("rate-limited", "/api/limited"));
    assert!(has("auth-mix", "/admin"));
    assert!(has("post-redirect", "/login"));
    assert!(has("dropped-by-policy", "/.env"));
    assert!(rows.iter().any(|r| r[0] == "unregistered-codes" && r[2] == "299"));
    let scanner = rows.iter().find(|r| r[0] == "not-found-hotspot" && r[3] == "/wp-login.php").expect("404 hotspot");
    assert!(scanner[6].contains("scanner-like"));
    let broken = rows.iter().find(|r| r[0] == "not-found-hotspot" && r[3] == "/old-page").expect("404 hotspot");
    assert!(broken[6].contains("broken link"));
}
