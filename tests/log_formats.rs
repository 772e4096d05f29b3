//! The formats beyond combined, end to end on the fixtures in
//! `sample-logs/formats/` (made for this project) and small logs written
//! here: what a run detects and announces, that every line is parsed, that
//! reports see paths (not URLs), and that mismatches stay loud.

mod util;

use std::path::PathBuf;
use util::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-logs/formats").join(name)
}

/// (fixture, format announced, lines, directive lines, statuses as `code:count`).
const FIXTURES: &[(&str, &str, u64, u64, &str)] = &[
    ("nginx.json", "json", 12, 0, "200:6,404:2,499:2,500:2"),
    ("caddy.json", "json", 12, 0, "0:2,200:4,404:2,499:2,500:2"),
    ("traefik.json", "json", 8, 0, "200:4,404:2,499:1,500:1"),
    ("alb.log", "alb", 8, 0, "200:4,404:2,500:2"),
    ("cloudfront.log", "w3c", 12, 2, "0:1,200:5,404:2,500:2"),
    ("iis.log", "w3c", 12, 4, "200:4,404:2,500:2"),
    ("haproxy.log", "haproxy", 8, 0, "200:4,404:2,500:2"),
    ("envoy.log", "envoy", 9, 0, "0:1,200:4,404:2,500:2"),
    ("istio.log", "istio", 8, 0, "200:4,404:2,500:2"),
    ("traefik.log", "traefik", 8, 0, "200:4,404:2,500:2"),
];

#[test]
fn every_fixture_is_detected_and_read_whole() {
    for (name, format, lines, directives, statuses) in FIXTURES {
        let out = logstat().arg(fixture(name)).args(["-r", "summary", "-f", "csv"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {err}");
        assert!(err.contains(&format!("format {format} (")), "{name} detected as: {err}");
        assert!(!err.contains("warning"), "{name}: {err}");
        let s = summary(&String::from_utf8_lossy(&out.stdout));
        assert_eq!(s["lines"], lines.to_string(), "{name}");
        assert_eq!(s["malformed"], directives.to_string(), "{name}: only W3C header lines are not requests");
        let st = stdout_of(logstat().arg(fixture(name)).args(["-r", "status", "-f", "csv", "-q"]), 0);
        let mut got: Vec<String> = csv_rows(&st)[1..].iter().map(|r| format!("{}:{}", r[0], r[3])).collect();
        got.sort();
        assert_eq!(got.join(","), *statuses, "{name}: {st}");
    }
}

#[test]
fn routes_are_paths_whatever_the_format() {
    for (name, ..) in FIXTURES {
        let out = stdout_of(logstat().arg(fixture(name)).args(["-r", "routes", "-f", "csv", "-q"]), 0);
        let routes: Vec<String> = csv_rows(&out)[1..].iter().map(|r| r[0].clone()).collect();
        assert!(routes.iter().any(|r| r == "/users/:id"), "{name}: {routes:?}");
        assert!(routes.iter().all(|r| !r.contains("://")), "{name}: absolute URLs become paths: {routes:?}");
    }
}

#[test]
fn who_reports_see_clients_and_decoded_agents() {
    // CloudFront writes %20 for spaces, IIS '+': the agents are still named.
    for name in ["cloudfront.log", "iis.log", "caddy.json", "alb.log"] {
        let out = stdout_of(logstat().arg(fixture(name)).args(["-r", "agents", "-f", "csv", "-q"]), 0);
        assert!(out.contains("Chrome") || out.contains("Googlebot"), "{name}: {out}");
        let out = stdout_of(logstat().arg(fixture(name)).args(["-r", "clients", "-f", "csv", "-q"]), 0);
        assert!(out.contains("198.51.100.7"), "{name}: {out}");
        assert!(!out.contains(":2817"), "{name}: ports are not part of the client: {out}");
    }
}

#[test]
fn json_field_maps_any_shape_and_missing_keys_are_named() {
    let env = Env::new();
    let log = env.write(
        "app.json",
        "{\"@t\":\"2024-10-10T10:00:00Z\",\"req\":{\"m\":\"GET\",\"u\":\"/a/1\"},\"resp\":{\"code\":503,\"ms\":12}}\n\
         {\"@t\":\"2024-10-10T10:00:01Z\",\"req\":{\"m\":\"POST\",\"u\":\"/a/2\"},\"resp\":{\"code\":200,\"ms\":30}}\n",
    );
    let map = "status=resp.code,time=@t,method=req.m,path=req.u,request_time_ms=resp.ms";
    let out = stdout_of(logstat().arg(&log).args(["--json-field", map, "-r", "status", "-f", "csv", "-q"]), 0);
    assert!(out.contains("503,Service Unavailable,5xx,1,") && out.contains("200,OK,2xx,1,"), "{out}");
    let lat = stdout_of(logstat().arg(&log).args(["--json-field", map, "-r", "latency", "-f", "csv", "-q"]), 0);
    assert!(lat.contains("30.000") || lat.contains("30"), "{lat}");
    // Without the mapping the lines have no status key: loud, named, counted.
    let out = logstat().arg(&log).args(["--log-format", "json", "-r", "malformed", "-f", "csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0 of 2 sample lines") && err.contains("format-mismatch at field status"), "{err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).matches(",format-mismatch,").count(), 2);
    // A bad mapping is a usage error naming the part.
    let out = logstat().arg(&log).args(["--json-field", "stat=x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--json-field 'stat=x': unknown field name"));
}

#[test]
fn w3c_honours_each_header_and_refuses_a_file_without_one() {
    let env = Env::new();
    let log = env.write(
        "u_ex.log",
        "#Fields: date time c-ip cs-method cs-uri-stem sc-status\n\
         2024-10-10 10:00:00 192.0.2.1 GET /a 200\n\
         #Fields: date time cs-method cs-uri-stem sc-status sc-bytes c-ip time-taken\n\
         2024-10-10 11:00:00 GET /b 404 512 192.0.2.2 15\n\
         2024-10-10 11:00:01 GET /c 500 0 192.0.2.3 20\n",
    );
    let out = stdout_of(logstat().arg(&log).args(["-r", "status", "-f", "csv", "-q"]), 0);
    assert!(out.contains("200,OK,2xx,1,") && out.contains("404,Not Found,4xx,1,") && out.contains("500,"), "{out}");
    let m = stdout_of(logstat().arg(&log).args(["-r", "malformed", "-f", "csv", "-q"]), 0);
    assert_eq!(m.matches(",directive,#Fields:").count(), 2, "{m}");
    let bare = env.write("bare.log", "2024-10-10 10:00:00 192.0.2.1 GET /a - 80 - 192.0.2.9 curl/8 - 200 0 0 5\n");
    let out = logstat().arg(&bare).args(["--log-format", "w3c", "-r", "summary", "-f", "csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no '#Fields:' header") && err.contains("--log-format iis"), "{err}");
    let s = summary(&String::from_utf8_lossy(&out.stdout));
    assert_eq!((s["parsed"].as_str(), s["malformed"].as_str()), ("0", "1"));
    // IIS's default field set reads it.
    let out = stdout_of(logstat().arg(&bare).args(["--log-format", "iis", "-r", "summary", "-f", "csv", "-q"]), 0);
    assert_eq!(summary(&out)["parsed"], "1");
}

#[test]
fn a_mix_of_formats_in_one_file_is_counted_as_format_mismatch() {
    let env = Env::new();
    let json = std::fs::read_to_string(fixture("nginx.json")).unwrap();
    let combined =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-logs/access.log")).unwrap();
    let mix: String = json.lines().chain(combined.lines().take(3)).map(|l| format!("{l}\n")).collect();
    let log = env.write("mix.log", mix);
    let out = logstat().arg(&log).args(["-r", "malformed", "-f", "csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("format json") && err.contains("12 of 15"), "{err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).matches(",format-mismatch,").count(), 3);
}

mod hostile {
    use logstat::format::presets::{NAMES, preset};
    use logstat::parse::detect::with_columns;
    use logstat::parse::parse_line;
    use proptest::prelude::*;

    /// Every fixture line, cut and flipped anywhere, through every preset
    /// (W3C with CloudFront's and IIS's columns): a record or a reason,
    /// never a panic, and a record's text fields lie within the line.
    fn lines() -> Vec<Vec<u8>> {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-logs/formats");
        let mut v = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let data = std::fs::read(e.unwrap().path()).unwrap();
            v.extend(data.split(|&b| b == b'\n').map(<[u8]>::to_vec));
        }
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
        #[test]
        fn mutated_lines_never_panic(pick in 0usize..1000, cut in 0usize..2000, at in 0usize..2000, byte in prop::sample::select(vec![b'"', b'{', b'}', b'[', b']', b'\\', b':', b',', b' ', b'\t', b'-', b'0', 0xff])) {
            let all = lines();
            let mut line = all[pick % all.len()].clone();
            if !line.is_empty() {
                let i = at % line.len();
                line[i] = byte;
            }
            line.truncate(cut.min(line.len()));
            let heads = std::fs::read(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-logs/formats/cloudfront.log")).unwrap();
            let mut formats: Vec<_> = NAMES.iter().filter_map(|n| preset(n)).collect();
            formats.push(with_columns(preset("w3c").unwrap(), &heads).unwrap());
            for f in &formats {
                if let Ok(r) = parse_line(f, &line) {
                    let range = line.as_ptr_range();
                    for field in [r.client, r.user, r.request, r.target, r.referrer, r.user_agent, r.vhost, r.protocol] {
                        prop_assert!(field.is_empty() || field == b"-" || field == b"/" || range.contains(&field.as_ptr()), "{} {:?}", f.name, String::from_utf8_lossy(field));
                    }
                }
            }
        }
    }
}

#[test]
fn compressed_objects_in_a_tree_by_a_quoted_glob() {
    use std::io::Write;
    let env = Env::new();
    let alb = std::fs::read(fixture("alb.log")).unwrap();
    for day in ["2024/10/10", "2024/10/11"] {
        let dir = env.path(&format!("AWSLogs/123/elasticloadbalancing/us-east-2/{day}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&alb).unwrap();
        std::fs::write(dir.join("obj.log.gz"), gz.finish().unwrap()).unwrap();
    }
    let pattern = format!("{}/AWSLogs/**/*.gz", env.dir.path().display());
    let out = logstat().arg(&pattern).args(["-r", "files,summary", "-f", "json"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("format alb (8 of 8").count(), 2, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v.to_string();
    assert!(text.contains("\"parsed\"") && text.contains("16"), "{text}");
    assert!(text.contains("alb (gzip)"), "{text}");
}
