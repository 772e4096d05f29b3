//! Issue 15's test material: every case of
//! `../shared/real-logs/formats/formats-cases.jsonl` (third-party lines of
//! ALB/ELB, CloudFront, IIS, HAProxy, Traefik, Envoy logs with the fields
//! those projects expect) is read the way a user's run reads it — the
//! format detected from the case's whole file — and compared field by
//! field, unless listed in `DIFFERENT` with the reason. Skips when the
//! folder is absent.

mod util;

use logstat::format::presets::preset;
use logstat::parse::detect::{detect, with_columns};
use logstat::parse::parse_line;
use serde_json::Value;

/// Cases deliberately read differently, with the reason.
const DIFFERENT: &[(&str, &str)] = &[
    (
        "f046",
        "a plain common-log line inside a Traefik CLF file: one format per file, so it counts as format-mismatch (the run's warning names it)",
    ),
    (
        "f064",
        "a container runtime's JSON wrapper ({\"message\":\"ACCESS [...]…\"}) around an Envoy text line: one format per file; unwrap first (jq -r .message)",
    ),
    ("f065", "the same Docker JSON wrapper around an Envoy text line"),
    (
        "f067",
        "headerless IIS with s-sitename added: W3C columns are named by #Fields:, not guessed; only IIS's default set is read without it (--log-format iis)",
    ),
    ("f068", "headerless IIS with s-sitename, s-computername and cs-version: not guessed (as f067)"),
    ("f071", "headerless IIS with cs-version, cs-host, sc-bytes, cs-bytes: not guessed (as f067)"),
];

/// Expected keys that have no place in logstat's record (kept in the raw
/// line only): not compared.
const NOT_IN_RECORD: &[&str] = &[
    "upstream_status",
    "url",
    "port",
    "query",
    "server_ip",
    "sub_status",
    "win32_status",
    "frontend",
    "backend",
    "server",
    "Tq",
    "Tw",
    "Tc",
    "Tr",
    "Ta",
    "TR",
    "router",
    "backend_url",
    "request_count",
    "upstream_host",
    "user",
    "uri",
    "destination",
    "upstream_service_time_ms",
    "x_forwarded_for",
    "query_decoded",
    "alb_type",
];

/// A W3C-encoded agent decoded as the agents report reads it.
fn decode(v: &[u8]) -> String {
    String::from_utf8_lossy(&logstat::agent::decode_w3c(v).unwrap_or_else(|| v.to_vec())).into_owned()
}

fn unix(rfc3339: &str) -> i64 {
    rfc3339.parse::<jiff::Timestamp>().unwrap_or_else(|e| panic!("{rfc3339}: {e}")).as_second()
}

#[test]
fn every_format_case_agrees_or_is_listed_with_its_reason() {
    let Some(root) = util::real_logs() else {
        eprintln!("skipped: ../shared/real-logs is absent");
        return;
    };
    let dir = root.join("formats");
    let Ok(text) = std::fs::read_to_string(dir.join("formats-cases.jsonl")) else {
        eprintln!("skipped: ../shared/real-logs/formats is absent");
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for l in text.lines() {
        let c: Value = serde_json::from_str(l).unwrap();
        let id = c["id"].as_str().unwrap();
        let family = c["family"].as_str().unwrap();
        let data = std::fs::read(dir.join(c["file"].as_str().unwrap())).unwrap();
        // As a run reads it: detected from the file; headerless IIS is read
        // with --log-format iis (detection refuses to guess W3C columns).
        let format = if family == "iis-w3c" {
            with_columns(preset("iis").unwrap(), &data).unwrap()
        } else {
            let d = detect(&data, true);
            with_columns(d.format.clone(), &data).unwrap_or(d.format)
        };
        let line = c["line"].as_str().unwrap().as_bytes();
        let exp = &c["expect"];
        let mut diffs = Vec::new();
        match parse_line(&format, line) {
            Err(m) if exp["not_http_access"] == Value::Bool(true) => {
                let _ = m;
            }
            Ok(_) if exp["not_http_access"] == Value::Bool(true) => {
                diffs.push("parsed a line that is not an access record".into())
            }
            Err(m) => {
                diffs.push(format!("not parsed ({} at {:?}) with format {}", m.reason.name(), m.field, format.name))
            }
            Ok(r) => {
                let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
                let target = s(r.target);
                let path = target.split('?').next().unwrap_or("").to_string();
                for (k, v) in exp.as_object().unwrap() {
                    if NOT_IN_RECORD.contains(&k.as_str()) {
                        continue;
                    }
                    let got: Value = match k.as_str() {
                        "status" => r.status.map_or(Value::Null, Value::from),
                        "method" => r.method.map_or(Value::Null, |m| Value::from(s(m))),
                        "path" => Value::from(path.clone()),
                        "host" => Value::from(s(r.vhost)),
                        "protocol" => Value::from(s(r.protocol)),
                        "bytes" => Value::from(r.bytes),
                        "request_bytes" => r.request_length.map_or(Value::Null, Value::from),
                        "ip" => Value::from(s(r.client)),
                        "user_agent" => Value::from(decode(r.user_agent)),
                        "referrer" => Value::from(s(r.referrer)),
                        "time" | "time_ms" => {
                            let want = unix(v.as_str().unwrap());
                            if r.time.map(|t| t.unix) != Some(want) {
                                diffs.push(format!("{k}: want {v}, got {:?}", r.time));
                            }
                            continue;
                        }
                        "uri_stem" => Value::from(target.clone()),
                        "response_flags" | "termination_state" => Value::from(s(r.flags)),
                        "time_local" | "accept_date" => {
                            // HAProxy's accept date has milliseconds and no zone: UTC.
                            let v = v.as_str().unwrap();
                            let v = if k == "accept_date" { format!("{} +0000", &v[..20]) } else { v.to_string() };
                            let t = jiff::fmt::strtime::parse("%d/%b/%Y:%H:%M:%S %z", &v)
                                .and_then(|p| p.to_timestamp())
                                .unwrap();
                            if r.time.map(|x| x.unix) != Some(t.as_second()) {
                                diffs.push(format!("{k}: want {v}, got {:?}", r.time));
                            }
                            continue;
                        }
                        "duration_ms" => {
                            let want = v.as_f64().unwrap();
                            let got = r.request_time_us.map(|us| us as f64 / 1000.0);
                            if got.is_none_or(|g| (g - want).abs() > 1.0) {
                                diffs.push(format!("duration_ms: want {want}, got {got:?}"));
                            }
                            continue;
                        }
                        other => {
                            diffs.push(format!("key {other} is neither compared nor listed in NOT_IN_RECORD"));
                            continue;
                        }
                    };
                    if &got != v {
                        diffs.push(format!("{k}: want {v}, got {got}"));
                    }
                }
            }
        }
        checked += 1;
        let listed = DIFFERENT.iter().find(|(i, _)| *i == id);
        match (diffs.is_empty(), listed) {
            (true, None) => {}
            (true, Some(_)) => failures.push(format!("{id} ({family}): listed in DIFFERENT but now agrees: unlist it")),
            (false, Some(_)) => {}
            (false, None) => failures.push(format!("{id} ({family}, {}): {}", format.name, diffs.join("; "))),
        }
    }
    assert_eq!(checked, 86, "every case read");
    assert!(failures.is_empty(), "{} cases differ:\n{}", failures.len(), failures.join("\n"));
}
