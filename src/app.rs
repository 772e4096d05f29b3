//! The top layer: argv → Config → run → output. Errors are printed here,
//! once, as `logstat: …`; the exit code says what kind of failure it was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use clap::Parser;

use crate::cli::{Cli, Command, ExplainArgs, OutFormat};
use crate::config::Config;
use crate::engine::{self, Notice, RecordsOut, Run};
use crate::error::OutputError;
use crate::input::Source;
use crate::render::terminal::Term;
use crate::report::records::RecordWriter;
use crate::report::{self, Ctx, Kind};
use crate::stats::window::{auto_width, width_text};

pub const EXIT_OK: u8 = 0;
/// An input could not be read; the others were reported.
pub const EXIT_INPUT: u8 = 1;
/// Bad command line.
pub const EXIT_USAGE: u8 = 2;

pub fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    if let Some(Command::Explain(args)) = cli.command {
        return explain(args);
    }
    let cfg = match Config::from_cli(cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("logstat: {e}");
            return EXIT_USAGE;
        }
    };
    match analyze(&cfg) {
        Ok(run) if run.failed_inputs > 0 => EXIT_INPUT,
        Ok(_) => EXIT_OK,
        Err(OutputError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("logstat: {e}");
            EXIT_INPUT
        }
    }
}

fn explain(args: ExplainArgs) -> u8 {
    let mut queries = Vec::new();
    for w in &args.what {
        match crate::explain::parse_query(w) {
            Ok(q) => queries.push(q),
            Err(e) => {
                eprintln!("logstat: explain: {e}");
                return EXIT_USAGE;
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let res = if args.list {
        let t = crate::explain::registry_table();
        match args.format {
            OutFormat::Table => crate::explain::list(&mut out),
            OutFormat::Csv => crate::render::csv::write_table(&t, &mut out, true),
            OutFormat::Json => crate::render::json::write_tables(&[t], &mut out),
        }
    } else {
        crate::explain::explain(&queries, &mut out)
    };
    match res.and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("logstat: {e}");
            EXIT_INPUT
        }
        _ => EXIT_OK,
    }
}

fn notice(cfg: &Config, n: Notice) {
    match n {
        Notice::InputFailed(e) => eprintln!("logstat: {e}"),
        Notice::Detected { file, detection: d, chosen } => {
            let file = crate::text::escape(file.as_bytes());
            // Loud when most of the sample does not fit, or when a format the
            // user chose misses any sample line: never a silent zero.
            let weak = d.sampled > 0 && d.matched * 2 < d.sampled;
            let missed = !chosen && d.matched < d.sampled;
            if weak || missed {
                eprintln!(
                    "logstat: {file}: warning: only {} of {} sample lines fit {} format {}; lines that do not fit are counted as malformed (see --report malformed)",
                    d.matched,
                    d.sampled,
                    if chosen { "the best" } else { "the" },
                    d.format.name
                );
                if let Some((n, m, line)) = &d.first_miss {
                    let at = m.field.map_or(String::new(), |f| format!(" at field {}", f.name()));
                    eprintln!(
                        "logstat: {file}: first line that does not fit (sample line {n}, {}{at}): {}",
                        m.reason.name(),
                        crate::text::excerpt(line, 160)
                    );
                }
            } else if chosen && !cfg.quiet && d.sampled > 0 {
                eprintln!(
                    "logstat: {file}: format {} ({} of {} sample lines match)",
                    d.format.name, d.matched, d.sampled
                );
            }
        }
    }
}

/// Size rayon's global pool (once per process; later calls keep the first).
fn init_threads(cfg: &Config) {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = cfg.threads {
        b = b.num_threads(n);
    }
    let _ = b.build_global();
}

fn total_size(inputs: &[Source]) -> u64 {
    inputs
        .iter()
        .filter_map(|s| match s {
            Source::Path(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Source::Stdin => None,
        })
        .sum()
}

fn create(dir: &Path, name: &str) -> Result<BufWriter<File>, OutputError> {
    let path = dir.join(name);
    File::create(&path).map(BufWriter::new).map_err(|source| OutputError::File { path, source })
}

fn analyze(cfg: &Config) -> Result<Run, OutputError> {
    if let Some(dir) = &cfg.output_dir {
        std::fs::create_dir_all(dir).map_err(|source| OutputError::File { path: dir.clone(), source })?;
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let _progress = if cfg.progress {
        let total = total_size(&cfg.inputs);
        (total >= crate::progress::MIN_BYTES).then(|| crate::progress::Progress::start(total))
    } else {
        None
    };

    // Records stream while the inputs are read.
    let want_records = cfg.reports.contains(&Kind::Records);
    let mut records_file = None;
    let records = if want_records {
        let writer = match cfg.output {
            OutFormat::Json => RecordWriter::Json,
            _ => RecordWriter::Csv { raw: cfg.raw_csv },
        };
        let sink: &mut dyn Write = match &cfg.output_dir {
            Some(dir) => {
                let name = if writer == RecordWriter::Json { "records.jsonl" } else { "records.csv" };
                records_file.insert(create(dir, name)?)
            }
            None => &mut out,
        };
        sink.write_all(&writer.header())?;
        Some(RecordsOut { writer, out: sink })
    } else {
        None
    };
    init_threads(cfg);
    let run = engine::run(&cfg.inputs, &cfg.engine, &mut |n| notice(cfg, n), records)?;
    if let Some(mut f) = records_file {
        f.flush()?;
    }

    let st = &run.stats;
    if st.routes_pruned > 0 && !cfg.quiet {
        eprintln!(
            "logstat: more than {} distinct routes: the lightest were folded into \"(other routes)\" ({} requests); kept route counts may be short by at most {}",
            cfg.engine.max_routes, st.other_routes.counts.requests, st.route_error
        );
    }
    let kept = run.stats.windows.width;
    if let Some(w) = cfg.engine.window
        && kept > w
        && !cfg.quiet
    {
        eprintln!(
            "logstat: --window {} over this time span gives more than {} windows; shown per {} instead",
            width_text(w),
            crate::stats::window::MAX_BUCKETS,
            width_text(kept)
        );
    }
    let window = cfg.engine.window.map(|w| w.max(kept)).unwrap_or_else(|| {
        let span = match (run.stats.first, run.stats.last) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        };
        auto_width(span, run.stats.windows.width)
    });
    let ctx = Ctx { run: &run, window, top: cfg.top, failures: &cfg.engine.failures.spec };
    let mut kinds: Vec<Kind> = cfg.reports.iter().copied().filter(|k| *k != Kind::Records).collect();
    if cfg.default_reports && report::latency::has_timings(&ctx) {
        kinds.push(Kind::Latency);
    }
    match cfg.output {
        OutFormat::Table => {
            let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100);
            let mut t = Term::new(&mut out, cfg.color, width);
            // People read the summary first, then the rest in a fixed order;
            // with the summary, the report ends with its findings.
            for k in Kind::ALL {
                let with_summary = k == Kind::Findings && kinds.contains(&Kind::Summary);
                if kinds.contains(&k) || with_summary {
                    report::show(k, &ctx, &mut t)?;
                }
            }
        }
        OutFormat::Csv => {
            for k in &kinds {
                let table = report::table(*k, &ctx);
                match &cfg.output_dir {
                    Some(dir) => {
                        let mut f = create(dir, &format!("{}.csv", k.name()))?;
                        crate::render::csv::write_table(&table, &mut f, cfg.raw_csv)?;
                        f.flush()?;
                    }
                    None => crate::render::csv::write_table(&table, &mut out, cfg.raw_csv)?,
                }
            }
        }
        OutFormat::Json => {
            let tables: Vec<_> = kinds.iter().map(|k| report::table(*k, &ctx)).collect();
            match &cfg.output_dir {
                Some(dir) => {
                    for t in &tables {
                        let mut f = create(dir, &format!("{}.json", t.name))?;
                        crate::render::json::write_tables(std::slice::from_ref(t), &mut f)?;
                        f.flush()?;
                    }
                }
                None if !tables.is_empty() => crate::render::json::write_tables(&tables, &mut out)?,
                None => {}
            }
        }
    }
    out.flush()?;
    Ok(run)
}
