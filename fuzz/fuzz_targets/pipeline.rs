//! Any bytes through the whole pipeline (decompression sniffing, detection,
//! chunking, parsing, stats, every report, JSON rendering): no panic,
//! parsed + malformed = lines, the JSON is valid UTF-8, and a state file
//! round trip (save, read back) gives the same reports byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logstat::engine::{Options, run_reader};
use logstat::report::{self, Ctx, Kind};

fuzz_target!(|data: &[u8]| {
    let opts = Options { chunk_bytes: 512, max_routes: 8, ..Options::default() };
    let Ok(run) = run_reader("fuzz", Box::new(std::io::Cursor::new(data.to_vec())), &opts) else { return };
    let s = &run.stats;
    assert_eq!(s.parsed + s.malformed_total(), s.lines);
    // The window width the CLI would choose (at most ~300 windows).
    let span = s.last.zip(s.first).map_or(0, |(l, f)| l - f);
    let window = logstat::stats::window::auto_width(span, s.windows.width);
    let ctx = Ctx { run: &run, window, top: Some(20), failures: "5xx" };
    let tables: Vec<_> = Kind::ALL.iter().filter(|k| **k != Kind::Records).map(|k| report::table(*k, &ctx)).collect();
    let mut out = Vec::new();
    logstat::render::json::write_tables(&tables, &mut out).unwrap();
    assert!(std::str::from_utf8(&out).is_ok());
    // State round trip: what `--save-state` + `merge` rely on.
    let Ok(snap) = logstat::state::RunSnap::of(&run) else { return };
    let back = snap.into_run().expect("a snapshot of a real run reads back");
    let ctx2 = Ctx { run: &back, window, top: Some(20), failures: "5xx" };
    let tables2: Vec<_> = Kind::ALL.iter().filter(|k| **k != Kind::Records).map(|k| report::table(*k, &ctx2)).collect();
    assert_eq!(tables, tables2);
});
