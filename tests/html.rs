//! The HTML report (issue 13): self-contained, numbers equal to the CSV
//! reports, and, in headless Chromium when installed, no console errors,
//! charts present, sorting that works, and screenshots written to
//! target/screenshots/ for people to look at.

mod util;

use std::collections::HashMap;
use std::process::Command;

use util::*;

fn page(log: &std::path::Path, extra: &[&str]) -> String {
    stdout_of(logstat().arg(log).args(["-q", "-f", "html", "--tz", "UTC"]).args(extra), 0)
}

fn sample(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs").join(name)
}

#[test]
fn the_page_is_self_contained_and_its_numbers_are_the_csv_numbers() {
    let log = sample("timed.log");
    let html = page(&log, &[]);
    assert!(html.starts_with("<!doctype html>") && html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
    // Nothing is loaded from anywhere: no src/href to a URL, no @import.
    for bad in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import", "url(http"] {
        assert!(!html.contains(bad), "{bad}");
    }
    let s = summary(&stdout_of(logstat().arg(&log).args(["-q", "-f", "csv", "-r", "summary", "--tz", "UTC"]), 0));
    for k in ["lines", "parsed", "requests", "malformed"] {
        assert!(html.contains(&format!(r#"<div class="fig" data-metric="{k}"><b>{}</b>"#, s[k])), "{k}");
    }
    // Every status count, and the top route, as in the CSV.
    let status = csv_rows(&stdout_of(logstat().arg(&log).args(["-q", "-f", "csv", "-r", "status"]), 0));
    for r in &status[1..] {
        assert!(html.contains(&format!(r#"<td data-v="{}">{}</td>"#, r[3], r[3])), "status {}", r[0]);
        assert!(html.contains(&format!("<tr><td>{}</td><td>{}</td>", r[0], r[1])), "status {}", r[0]);
    }
    let routes = csv_rows(&stdout_of(logstat().arg(&log).args(["-q", "-f", "csv", "-r", "routes"]), 0));
    assert!(html.contains(&format!("<tr><td>{}</td><td data-v=\"{}\">", routes[1][0], routes[1][1])));
    // Charts: stacked requests and latency lines, with labels.
    assert!(html.contains(r#"aria-label="requests per window by status class""#));
    assert!(html.contains(r#"aria-label="latency percentiles per window""#) && html.contains("<polyline"));
    // Hostile text is escaped.
    let env = Env::new();
    let evil = env.write("evil.log", line("GET /<script>alert(1)</script> HTTP/1.1", "200", "1"));
    let h = page(&evil, &[]);
    assert!(!h.contains("<script>alert") && h.contains("&lt;script&gt;"));
}

#[test]
fn output_dir_and_size_bound() {
    let env = Env::new();
    // 30,000 distinct routes: the page keeps the top 500 with a note.
    let text: String = (0..30_000).map(|i| line(&format!("GET /r/x{i}y HTTP/1.1"), "200", "1")).collect();
    let p = env.write("many.log", text);
    stdout_of(logstat().arg(&p).args(["-q", "-f", "html", "-o"]).arg(env.path("out")), 0);
    let html = std::fs::read_to_string(env.path("out/report.html")).unwrap();
    assert!(html.len() < 1 << 20, "{} bytes", html.len());
    assert!(html.contains("29,500 more rows") || html.contains("… 29500 more rows"), "a note says rows were left out");
    // merge writes the same page from state files.
    stdout_of(logstat().arg(&p).args(["-q", "-r", "summary", "-f", "csv", "--save-state"]).arg(env.path("s.state")), 0);
    let merged = stdout_of(logstat().arg("merge").arg(env.path("s.state")).args(["-f", "html"]), 0);
    assert!(merged.contains(r#"data-metric="requests"><b>30000</b>"#), "merge page");
    // Records do not go into a page.
    logstat().arg(&p).args(["-f", "html", "-r", "records"]).assert().code(2);
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
fn in_a_real_browser_sorting_works_without_console_errors() {
    let Some(bin) = chromium() else {
        eprintln!("skipping: no chromium (.ci/run installs it)");
        return;
    };
    let env = Env::new();
    let html = page(&sample("timed.log"), &[]);
    let file = env.write("report.html", &html);
    let url = format!("file://{}", file.display());
    let base = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=3000"];
    // Sorting the routes table by requests, ascending (the same code the
    // column buttons run), then the DOM as the browser has it.
    let out = Command::new(bin)
        .args(base)
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(format!("{url}#sort=routes:1:asc"))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(dom.contains(r#"data-ready="1""#), "the script ran");
    // The numbers as the browser has them equal the CSV's.
    let s = summary(&stdout_of(
        logstat().arg(sample("timed.log")).args(["-q", "-f", "csv", "-r", "summary", "--tz", "UTC"]),
        0,
    ));
    for k in ["lines", "requests"] {
        assert!(dom.contains(&format!(r#"data-metric="{k}"><b>{}</b>"#, s[k])), "{k} in the DOM");
    }
    assert!(dom.contains("<svg") && dom.contains("<rect") && dom.contains("<polyline"), "charts in the DOM");
    assert!(!log.contains("Uncaught") && !log.contains(":ERROR:CONSOLE"), "console errors: {log}");
    let body = dom.split(r#"id="routes""#).nth(1).unwrap().split("<tbody>").nth(1).unwrap();
    let counts: Vec<u64> = body
        .split("<tr>")
        .skip(1)
        .take(20)
        .map(|r| r.split("data-v=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "ascending: {counts:?}");
    assert!(dom.contains(r#"aria-sort="ascending""#));
    // Screenshots, light and dark, desktop and phone.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let mut sizes = HashMap::new();
    for (name, size, scheme) in [
        ("desktop-light", "1280,2400", "1"),
        ("desktop-dark", "1280,2400", "0"),
        ("phone-light", "390,2400", "1"),
        ("phone-dark", "390,2400", "0"),
    ] {
        let png = dir.join(format!("report-{name}.png"));
        let st = Command::new(bin)
            .args(base)
            .arg(format!("--window-size={size}"))
            .arg(format!("--blink-settings=preferredColorScheme={scheme}"))
            .arg(format!("--screenshot={}", png.display()))
            .arg(&url)
            .output()
            .unwrap();
        assert!(st.status.success(), "{name}");
        let bytes = std::fs::read(&png).unwrap();
        assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000, "{name}");
        sizes.insert(name, bytes.len());
    }
    assert_ne!(sizes["desktop-light"], sizes["desktop-dark"], "dark differs from light");
}
