//! parsed + malformed = lines for any bytes, and byte-identical reports for
//! any thread count, chunk size, and mmap / read / stdin.

mod util;

use logstat::engine::{self, FormatChoice, Options, Run};
use logstat::input::{MmapPolicy, Source};
use logstat::report::{self, Ctx, Kind};
use proptest::prelude::*;
use util::*;

fn run_lib(path: &std::path::Path, threads: usize, chunk: usize, mmap: MmapPolicy) -> (Run, String) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let opts = Options {
        format: FormatChoice::Auto,
        zone: None,
        window: None,
        mmap,
        chunk_bytes: chunk,
        chunk_delay: None,
        max_routes: 50_000,
        failures: Default::default(),
        metric: Default::default(),
        ..Default::default()
    };
    let run = pool.install(|| engine::run(&[Source::Path(path.to_path_buf())], &opts, &mut |_| {}, None)).unwrap();
    let ctx = Ctx { run: &run, window: 60, top: None, failures: "5xx" };
    let tables: Vec<_> = [
        Kind::Summary,
        Kind::Class,
        Kind::Status,
        Kind::Routes,
        Kind::Windows,
        Kind::Latency,
        Kind::Sizes,
        Kind::Malformed,
    ]
    .iter()
    .map(|k| report::table(*k, &ctx))
    .collect();
    let mut out = Vec::new();
    logstat::render::json::write_tables(&tables, &mut out).unwrap();
    (run, String::from_utf8(out).unwrap())
}

fn line_kind() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (0u32..1000, 0u64..99_999, 0u8..60).prop_map(|(s, b, sec)| format!(
            "192.0.2.1 - - [10/Oct/2023:13:55:{sec:02} +0100] \"GET /u/{b} HTTP/1.1\" {s} {b} \"-\" \"a\""
        )
        .into_bytes()),
        Just(b"198.51.100.2 - - [11/Oct/2023:00:00:00 -0500] \"\\x16\\x03\" 400 0 \"-\" \"-\"".to_vec()),
        Just(b"198.51.100.2 - - [11/Oct/2023:00:00:00 -0500] \"-\" - - \"-\" \"-\"".to_vec()),
        Just(b"198.51.100.2 - - [11/Oct/2023:00:00:00 -0500] \"GET /x HTTP/1.1\" 200 1 \"-\" \"trunc".to_vec()),
        (0u32..600, 0u64..99_999, 0u32..5_000).prop_map(|(s, b, ms)| format!(
            "192.0.2.9 - - [10/Oct/2023:13:56:00 +0100] \"POST /t/{b} HTTP/1.1\" {s} {b} \"-\" \"a\" {}.{:03} 0.{:03}, 0.002",
            ms / 1000,
            ms % 1000,
            ms % 1000
        )
        .into_bytes()),
        Just(b"".to_vec()),
        Just(b"\r".to_vec()),
        prop::collection::vec(any::<u8>().prop_filter("no newline", |b| *b != b'\n'), 0..120),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_line_is_counted_and_threads_agree(lines in prop::collection::vec(line_kind(), 0..200), final_nl in any::<bool>(), chunk in 1usize..4096) {
        let env = Env::new();
        let mut data = lines.join(&b'\n');
        if final_nl && !data.is_empty() {
            data.push(b'\n');
        }
        let p = env.write("p.log", &data);
        let expected_lines = logstat::input::chunk::count_lines(&data);
        let (one, out1) = run_lib(&p, 1, 1 << 20, MmapPolicy::Never);
        prop_assert_eq!(one.stats.lines, expected_lines);
        prop_assert_eq!(one.stats.parsed + one.stats.malformed_total(), one.stats.lines);
        let (_, out2) = run_lib(&p, 2, chunk, MmapPolicy::Always);
        prop_assert_eq!(&out1, &out2);
        let (_, out3) = run_lib(&p, 3, chunk / 2 + 1, MmapPolicy::Never);
        prop_assert_eq!(&out1, &out3);
        // The same bytes compressed give the same report (the name aside).
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut e, &data).unwrap();
        let gz = env.write("p.log.gz", e.finish().unwrap());
        let (_, out4) = run_lib(&gz, 4, 1 << 20, MmapPolicy::Auto);
        prop_assert_eq!(out4.replace("p.log.gz", "p.log"), out1.clone());
        let zs = env.write("p.log.zst", zstd::encode_all(&data[..], 1).unwrap());
        let (_, out5) = run_lib(&zs, 2, 1 << 20, MmapPolicy::Auto);
        prop_assert_eq!(out5.replace("p.log.zst", "p.log"), out1);
    }
}

/// A generated log with malformed lines sprinkled in.
fn generated(bytes: usize) -> Vec<u8> {
    let mut g = logstat::synth::Generator::new(9, 1_700_000_000, 200_000);
    g.timings = true;
    let mut s = String::new();
    let mut i = 0;
    while s.len() < bytes {
        g.line(&mut s);
        i += 1;
        if i % 997 == 0 {
            s.push_str("garbage \u{1b}[2J line\n\n");
        }
    }
    s.into_bytes()
}

#[test]
fn binary_output_is_identical_across_threads_chunks_mmap_and_stdin() {
    let env = Env::new();
    let data = generated(3 << 20);
    let p = env.write("g.log", &data);
    let args = ["-f", "json", "-r", "summary,class,status,routes,windows,latency,sizes,malformed", "-q"];
    let base = stdout_of(logstat().arg(&p).args(args).args(["-j", "1", "--mmap", "never"]), 0);
    for (threads, chunk, mmap) in
        [("2", "65536", "always"), ("4", "4096", "always"), ("3", "100000", "never"), ("2", "1", "never")]
    {
        let out = stdout_of(
            logstat().arg(&p).args(args).args(["-j", threads, "--mmap", mmap]).env("LOGSTAT_CHUNK_BYTES", chunk),
            0,
        );
        assert_eq!(out, base, "threads {threads} chunk {chunk} mmap {mmap}");
    }
    let stdin = stdout_of(logstat().arg("-").args(args).write_stdin(data.clone()), 0);
    // Only the file name differs between a path and stdin.
    assert_eq!(stdin, base.replace(&p.display().to_string(), "-"));
    let rec1 = stdout_of(logstat().arg(&p).args(["-f", "csv", "-r", "records", "-q", "-j", "1"]), 0);
    let rec2 = stdout_of(
        logstat().arg(&p).args(["-f", "csv", "-r", "records", "-q", "-j", "2"]).env("LOGSTAT_CHUNK_BYTES", "5000"),
        0,
    );
    assert_eq!(rec1, rec2);
    let v: serde_json::Value = serde_json::from_str(&base).unwrap();
    let get = |m: &str| {
        v["summary"].as_array().unwrap().iter().find(|r| r["metric"] == m).unwrap()["value"].as_u64().unwrap()
    };
    assert_eq!(get("lines"), logstat::input::chunk::count_lines(&data));
    assert_eq!(get("parsed") + get("malformed"), get("lines"));
    assert!(get("malformed") > 0);
}
