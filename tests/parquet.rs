//! Records as Parquet (issue 17), read by the engine that reads it: DuckDB
//! (the `duckdb` Python package, which .ci/run installs; skipped without).

mod util;

use std::process::Command;

use util::*;

/// Run a DuckDB query (Python), one output line per row, columns joined by `|`.
fn duckdb(sql: &str) -> Option<Vec<String>> {
    let script = format!(
        "import duckdb\nfor r in duckdb.sql({sql:?}).fetchall():\n    print('|'.join('' if v is None else str(v) for v in r))"
    );
    let out = Command::new("python3").args(["-c", &script]).output().ok()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named 'duckdb'") {
            eprintln!("skipping: python3 has no duckdb (.ci/run installs it)");
            return None;
        }
        panic!("duckdb failed: {err}");
    }
    Some(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect())
}

#[test]
fn duckdb_reads_the_records_with_their_types_and_values() {
    let env = Env::new();
    let odd = [
        line("GET /users/1 HTTP/1.1", "200", "10"),
        line("GET /a HTTP/1.1", "-", "-"),
        "2001:db8::7 - - [10/Oct/2023:13:55:36 +0200] \"GET /v6 HTTP/2.0\" 404 5 \"-\" \"ua\"\n".to_string(),
        "192.0.2.9 - - [10/Oct/2023:13:55:37 +0000] \"GET /x\\x1b HTTP/1.1\" 500 7 \"-\" \"bad\u{fffd}\"\n".to_string(),
    ]
    .concat();
    let mut bytes = odd.into_bytes();
    bytes.extend_from_slice(
        b"192.0.2.10 - - [10/Oct/2023:13:55:38 +0000] \"GET /nonutf8 HTTP/1.1\" 503 3 \"-\" \"agent\xff\xfe\"\n",
    );
    bytes.extend_from_slice(b"garbage line\n");
    let log = env.write("odd.log", &bytes);
    let dir = env.path("out");
    stdout_of(logstat().arg(&log).args(["-q", "-r", "records", "-f", "parquet", "-o"]).arg(&dir), 0);
    let file = dir.join("records.parquet");
    assert!(file.is_file());
    assert!(std::fs::read_dir(&dir).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().contains(".tmp")));
    let f = file.display().to_string();
    let Some(types) = duckdb(&format!("select column_name, column_type from (describe select * from '{f}')")) else {
        return;
    };
    for want in [
        "line|BIGINT",
        "time|TIMESTAMP WITH TIME ZONE",
        "utc_offset_seconds|INTEGER",
        "status|INTEGER",
        "bytes|BIGINT",
        "route|VARCHAR",
        "request_time_ms|DOUBLE",
    ] {
        assert!(types.contains(&want.to_string()), "{want} in {types:?}");
    }
    // Rows = counted lines; per-status counts and bytes as the reports say.
    let s = summary(&stdout_of(logstat().arg(&log).args(["-q", "-f", "csv", "-r", "summary"]), 0));
    let n = duckdb(&format!("select count(*), sum(bytes) from '{f}'")).unwrap();
    assert_eq!(n[0], format!("{}|{}", s["requests"], s["bytes"]));
    let st =
        duckdb(&format!("select coalesce(status::varchar, '-'), count(*) from '{f}' group by 1 order by 1")).unwrap();
    let csv = csv_rows(&stdout_of(logstat().arg(&log).args(["-q", "-f", "csv", "-r", "status"]), 0));
    let mut want: Vec<String> = csv[1..].iter().map(|r| format!("{}|{}", r[0], r[3])).collect();
    want.sort();
    assert_eq!(st, want);
    // Times, addresses and escaped text equal the records CSV's.
    let rec = csv_rows(&stdout_of(logstat().arg(&log).args(["-q", "-f", "csv", "-r", "records", "--tz", "UTC"]), 0));
    let got = duckdb(&format!(
        "select line, strftime(time at time zone 'UTC', '%Y-%m-%dT%H:%M:%S+00:00'), ip, path, user_agent, coalesce(status::varchar, '-') from '{f}' order by line"
    ))
    .unwrap();
    for (g, r) in got.iter().zip(&rec[1..]) {
        assert_eq!(g, &format!("{}|{}|{}|{}|{}|{}", r[1], r[2], r[3], r[6], r[13], r[8]), "line {}", r[1]);
    }
    assert_eq!(got.len(), rec.len() - 1);
    // Local time: time plus the offset the log wrote.
    let local = duckdb(&format!("select utc_offset_seconds from '{f}' where ip = '2001:db8::7'")).unwrap();
    assert_eq!(local, vec!["7200"]);
}

#[test]
fn filters_apply_and_the_fleet_queries_run() {
    let env = Env::new();
    let text: String = (0..3_000)
        .map(|i| {
            let status = ["200", "404", "502", "200"][i % 4];
            format!(
                "10.0.0.{} - - [10/Oct/2023:{:02}:{:02}:00 +0000] \"GET /p/{} HTTP/1.1\" {status} {} \"-\" \"a\"\n",
                i % 7,
                10 + i / 1000,
                i % 60,
                i % 5,
                i
            )
        })
        .collect();
    let log = env.write("f.log", text);
    let dir = env.path("host=web1/day=2023-10-10");
    std::fs::create_dir_all(&dir).unwrap();
    stdout_of(
        logstat().arg(&log).args(["-q", "-r", "records", "-f", "parquet", "--status", "5xx,404", "-o"]).arg(&dir),
        0,
    );
    let root = env.dir.path().display().to_string();
    let Some(n) = duckdb(&format!("select count(*) from '{root}/host=*/day=*/records.parquet'")) else { return };
    assert_eq!(n, vec!["1500"], "the --status filter applies");
    // README's DuckDB queries.
    let q1 = duckdb(&format!(
        "select host, route, date_trunc('hour', time) as hour, count(*) as errors from read_parquet('{root}/host=*/day=*/records.parquet', hive_partitioning = true) where status >= 500 group by all order by errors desc limit 3"
    ))
    .unwrap();
    assert!(q1[0].starts_with("web1|/p/:id|") && q1.len() == 3, "{q1:?}");
    let q2 = duckdb(&format!(
        "select ip, sum(bytes) as bytes from read_parquet('{root}/host=*/day=*/records.parquet', hive_partitioning = true) group by ip order by bytes desc limit 5"
    ))
    .unwrap();
    assert_eq!(q2.len(), 5);
    // The same bytes for any thread count.
    let one = |j: &str| {
        let d = env.path(&format!("j{j}"));
        let out = logstat()
            .arg(&log)
            .args(["-q", "-r", "records", "-f", "parquet", "-j", j, "-o"])
            .arg(&d)
            .env("LOGSTAT_CHUNK_BYTES", "4096")
            .output();
        assert_eq!(out.unwrap().status.code(), Some(0));
        std::fs::read(d.join("records.parquet")).unwrap()
    };
    assert_eq!(one("1"), one("3"));
    // Parquet holds records only, and needs a directory.
    logstat().arg(&log).args(["-f", "parquet", "-r", "summary", "-o"]).arg(&dir).assert().code(2);
    logstat().arg(&log).args(["-f", "parquet", "-r", "records"]).assert().code(2);
}

/// `-o FILE.parquet` writes that file (its folder created, `-f parquet`
/// implied): the same bytes as `-o DIR`'s `DIR/records.parquet`.
#[test]
fn a_parquet_file_of_your_choosing() {
    let env = Env::new();
    let log = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-logs/access.log");
    let file = env.path("web1/2024-10-10.parquet");
    stdout_of(logstat().arg(&log).args(["-q", "-r", "records", "-o"]).arg(&file), 0);
    assert!(file.is_file(), "{} is a file", file.display());
    let dir = env.path("dir");
    stdout_of(logstat().arg(&log).args(["-q", "-r", "records", "-f", "parquet", "-o"]).arg(&dir), 0);
    assert!(std::fs::read(&file).unwrap() == std::fs::read(dir.join("records.parquet")).unwrap());
    // Only records go to Parquet, named or not.
    logstat().arg(&log).args(["-q", "-r", "summary", "-o"]).arg(env.path("s.parquet")).assert().code(2);
    if let Some(n) = duckdb(&format!("select count(*) from '{}'", file.display())) {
        assert_eq!(n, ["600"]);
    }
}

#[test]
fn load_balancer_records_keep_the_host_and_the_backend_status() {
    let alb = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-logs/formats/alb.log");
    let env = Env::new();
    let dir = env.path("out");
    stdout_of(logstat().arg(&alb).args(["-q", "-r", "records", "-f", "parquet", "-o"]).arg(&dir), 0);
    let f = dir.join("records.parquet").display().to_string();
    // The status the client saw, and the target's (none where the target
    // was not reached): 8 rows, 2 of them 500s from the load balancer.
    let Some(rows) = duckdb(&format!(
        "select host, status, coalesce(upstream_status::varchar, 'null'), count(*) from '{f}' group by all order by all"
    )) else {
        return;
    };
    assert_eq!(rows, ["www.example.com|200|200|4", "www.example.com|404|404|2", "www.example.com|500|null|2"]);
    let types = duckdb(&format!("select column_name, column_type from (describe select * from '{f}')")).unwrap();
    assert!(types.contains(&"upstream_status|INTEGER".to_string()) && types.contains(&"host|VARCHAR".to_string()));
}

#[test]
fn with_who_each_row_names_its_agent_as_the_agents_report_does() {
    let env = Env::new();
    let log = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-logs/access.log");
    let dir = env.path("out");
    stdout_of(logstat().arg(&log).args(["-q", "--who", "-r", "records", "-f", "parquet", "-o"]).arg(&dir), 0);
    let f = dir.join("records.parquet").display().to_string();
    let Some(got) =
        duckdb(&format!("select agent_family, agent_category, count(*) from '{f}' group by all order by all"))
    else {
        return;
    };
    let csv = csv_rows(&stdout_of(logstat().arg(&log).args(["-q", "-f", "csv", "-r", "agents"]), 0));
    let (fam, cat, req) = {
        let h = &csv[0];
        let col = |n: &str| h.iter().position(|c| c == n).unwrap_or_else(|| panic!("{n} in {h:?}"));
        (col("agent"), col("category"), col("requests"))
    };
    let mut want: Vec<String> = csv[1..].iter().map(|r| format!("{}|{}|{}", r[fam], r[cat], r[req])).collect();
    want.sort();
    assert_eq!(got, want);
    // Without --who the columns are there, null.
    let dir2 = env.path("out2");
    stdout_of(logstat().arg(&log).args(["-q", "-r", "records", "-f", "parquet", "-o"]).arg(&dir2), 0);
    let f2 = dir2.join("records.parquet").display().to_string();
    assert_eq!(duckdb(&format!("select count(agent_family), count(*) from '{f2}'")).unwrap(), ["0|600"]);
}
