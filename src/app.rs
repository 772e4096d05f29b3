//! The top layer: argv → Config → run → output. Errors are printed here,
//! once, as `logstat: …`; the exit code says what kind of failure it was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::cli::{Cli, Command, ExplainArgs, OutFormat};
use crate::config::{Config, MergeConfig, Output};
use crate::engine::{self, Notice, Options, RecordsOut, Run};
use crate::error::{OutputError, UsageError};
use crate::input::Source;
use crate::render::records::RecordWriter;
use crate::render::terminal::Term;
use crate::report::{self, Ctx, Kind};
use crate::state::{self, Settings, StateError};
use crate::stats::window::auto_width;
use crate::units::width_text;
use rayon::prelude::*;

pub const EXIT_OK: u8 = 0;
/// An input could not be read; the others were reported.
pub const EXIT_INPUT: u8 = 1;
/// Bad command line.
pub const EXIT_USAGE: u8 = 2;
/// A `--fail-if` threshold was crossed (the report was still written).
pub const EXIT_THRESHOLD: u8 = 3;

/// What can end a run early, printed once as `logstat: …`.
#[derive(Debug, thiserror::Error)]
enum AppError {
    #[error(transparent)]
    Usage(#[from] UsageError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    State(#[from] StateError),
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::Output(OutputError::Io(e))
    }
}

pub fn main() -> u8 {
    crate::phases::start();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    if let Some(kind) = cli.generate {
        return generate(kind);
    }
    let result = match cli.command {
        Some(Command::Explain(args)) => return explain(args),
        Some(Command::Merge(args)) => match MergeConfig::from_args(args) {
            Ok(c) => merge(&c),
            Err(e) => {
                eprintln!("logstat: {e}");
                return EXIT_USAGE;
            }
        },
        None => match Config::from_cli(cli) {
            Ok(c) => {
                crate::phases::mark(format_args!("arguments parsed, configured"));
                analyze(&c)
            }
            Err(e) => {
                eprintln!("logstat: {e}");
                return EXIT_USAGE;
            }
        },
    };
    match result {
        Ok(code) => code,
        Err(AppError::Output(OutputError::Io(e))) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(AppError::Usage(e)) => {
            eprintln!("logstat: {e}");
            EXIT_USAGE
        }
        Err(e) => {
            eprintln!("logstat: {e}");
            EXIT_INPUT
        }
    }
}

/// `--generate`: the man page or a completion script, from the clap
/// definition, on stdout.
fn generate(kind: crate::cli::Generate) -> u8 {
    use crate::cli::Generate;
    use clap::CommandFactory;
    use clap_complete::Shell;
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    let res = match kind {
        Generate::Man => clap_mangen::Man::new(cmd).render(&mut out),
        shell => {
            let sh = match shell {
                Generate::CompleteBash => Shell::Bash,
                Generate::CompleteZsh => Shell::Zsh,
                Generate::CompleteFish => Shell::Fish,
                Generate::CompleteElvish => Shell::Elvish,
                _ => Shell::PowerShell,
            };
            clap_complete::generate(sh, &mut cmd, "logstat", &mut out);
            Ok(())
        }
    };
    match res.and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("logstat: --generate: {e}");
            EXIT_INPUT
        }
    }
}

fn explain(args: ExplainArgs) -> u8 {
    let mut queries = Vec::new();
    for w in &args.what {
        match crate::status::parse_query(w) {
            Ok(q) => queries.push(q),
            Err(e) => {
                let name = crate::text::escape(w.as_bytes());
                eprintln!("logstat: explain: {e}; to analyze a log file named like this, write ./{name}");
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
            OutFormat::Html | OutFormat::Parquet => {
                eprintln!("logstat: explain --list: use --format table, csv or json");
                return EXIT_USAGE;
            }
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
                if matches!(&d.format.syntax, crate::format::Syntax::W3c(c) if c.layouts.is_empty()) {
                    eprintln!(
                        "logstat: {file}: no '#Fields:' header: a W3C log (IIS, CloudFront) names its columns there; without it the lines cannot be read (a headerless IIS log with IIS's default fields: --log-format iis)"
                    );
                }
                if let Some((n, m, line)) = &d.first_miss {
                    let at = m.field.map_or(String::new(), |f| format!(" at field {}", f.name()));
                    eprintln!(
                        "logstat: {file}: first line that does not fit (sample line {n}, {}{at}): {}",
                        m.reason.name(),
                        crate::text::excerpt(line, 160)
                    );
                }
            } else if chosen && !cfg.out.quiet && d.sampled > 0 {
                eprintln!(
                    "logstat: {file}: format {} ({} of {} sample lines match)",
                    d.format.name, d.matched, d.sampled
                );
            }
        }
    }
}

/// Threads allowed per CPU: more only adds stacks and scheduling, and
/// `--threads 100000` reached 1,550 threads and 4.4 GB of address space.
const THREADS_PER_CPU: usize = 4;

/// Size rayon's global pool (once per process; later calls keep the first),
/// at most [`THREADS_PER_CPU`] per CPU, with a notice when capped.
fn init_threads(threads: Option<usize>, quiet: bool) {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let cap = cpus * THREADS_PER_CPU;
        if n > cap && !quiet {
            eprintln!("logstat: --threads {n}: using {cap} ({THREADS_PER_CPU} per CPU, {cpus} CPUs)");
        }
        b = b.num_threads(n.min(cap));
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

/// A file under `-o DIR`, written to a temporary name and renamed into
/// place by [`OutFile::finish`]: a full disk or a killed run leaves the
/// previous file (or none), never a cut one, and errors name the file.
struct OutFile {
    tmp: PathBuf,
    path: PathBuf,
    w: BufWriter<File>,
    /// The first write error, kept so it can be reported with the path.
    failed: Option<std::io::Error>,
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.w.write(buf).inspect_err(|e| {
            self.failed.get_or_insert_with(|| std::io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

impl OutFile {
    /// Flush, sync and rename into place; on failure remove the temporary
    /// file and name the file in the error.
    fn finish(mut self) -> Result<(), OutputError> {
        let done = self.w.flush().and_then(|()| self.w.get_ref().sync_all());
        let res = match (self.failed.take(), done) {
            (Some(e), _) | (None, Err(e)) => Err(e),
            (None, Ok(())) => std::fs::rename(&self.tmp, &self.path),
        };
        res.map_err(|source| {
            let _ = std::fs::remove_file(&self.tmp);
            OutputError::File { path: self.path.clone(), source }
        })
    }
}

fn create(dir: &Path, name: &str) -> Result<OutFile, OutputError> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let f = File::create(&tmp).map_err(|source| OutputError::File { path: path.clone(), source })?;
    Ok(OutFile { tmp, path, w: BufWriter::new(f), failed: None })
}

/// `-o DIR`: created when missing; an existing file there is not a directory.
fn output_dir(dir: &Path) -> Result<(), OutputError> {
    if dir.exists() && !dir.is_dir() {
        let source = std::io::Error::from_raw_os_error(libc::ENOTDIR);
        return Err(OutputError::File { path: dir.to_path_buf(), source });
    }
    std::fs::create_dir_all(dir).map_err(|source| OutputError::File { path: dir.to_path_buf(), source })
}

/// The settings a run's aggregate depends on.
fn settings(cfg: &Config) -> Settings {
    let filters = cfg.engine.filter.describe();
    Settings {
        window: cfg.engine.window,
        failures: cfg.engine.failures.spec.clone(),
        metric: cfg.engine.metric,
        max_routes: cfg.engine.max_routes as u64,
        max_clients: cfg.engine.max_clients as u64,
        filters,
        sizes: cfg.engine.sizes,
        who: cfg.engine.who,
    }
}

/// `--relative-to last-line`: the latest time among the inputs' last lines.
fn last_line_time(cfg: &Config) -> Option<i64> {
    let mut opts = Options { filter: Default::default(), ..cfg.engine.clone() };
    opts.window = None;
    let mut last = None;
    for src in &cfg.inputs {
        let Source::Path(p) = src else { continue };
        // The tail of plain files; compressed ones are read through.
        let tail = crate::input::tail(p, 1 << 20).ok()?;
        let run = engine::run_reader(&src.name(), Box::new(std::io::Cursor::new(tail)), &opts).ok()?;
        last = last.max(run.stats.last);
    }
    last
}

/// `--follow`: watch the inputs until interrupted.
fn follow(cfg: &Config, f: &crate::config::Follow) -> Result<u8, AppError> {
    let files = cfg
        .inputs
        .iter()
        .filter_map(|s| match s {
            Source::Path(p) => Some(p.clone()),
            Source::Stdin => None,
        })
        .collect();
    let set = crate::live::Settings {
        files,
        from_start: f.from_start,
        interval: f.interval,
        mode: f.mode,
        color: cfg.out.color,
        fail_if: cfg.out.fail_if.clone(),
        top: cfg.out.top.unwrap_or(10),
        quiet: cfg.out.quiet,
        poll: std::env::var_os("LOGSTAT_FOLLOW_POLL").is_some_and(|v| v == "1"),
    };
    let mut opts = cfg.engine.clone();
    opts.reference = jiff::Timestamp::now().as_second();
    match crate::live::follow(&set, &opts) {
        Ok(crossed) => Ok(if crossed { EXIT_THRESHOLD } else { EXIT_OK }),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => {
            eprintln!("logstat: {e}");
            Ok(EXIT_INPUT)
        }
    }
}

fn analyze(cfg: &Config) -> Result<u8, AppError> {
    if let Some(f) = &cfg.follow {
        return follow(cfg, f);
    }
    if let Some(dir) = cfg.out.dir_to_create() {
        output_dir(&dir)?;
    }
    let mut opts = cfg.engine.clone();
    if cfg.engine.filter.needs_last_line() {
        match last_line_time(cfg) {
            Some(t) => opts.reference = t,
            None => {
                eprintln!("logstat: --relative-to last-line: no timestamp found at the end of the inputs");
                return Ok(EXIT_INPUT);
            }
        }
    }
    // --state: lock, check, and plan where each input resumes.
    let session = match &cfg.state {
        Some((path, _)) => Some(state::session::Session::open(path, &cfg.inputs, &settings(cfg), &mut opts.zone)?),
        None => None,
    };
    let inputs = session.as_ref().map_or_else(|| cfg.inputs.clone(), |s| s.inputs(&cfg.inputs));
    let spans = session.as_ref().map_or_else(|| vec![engine::Span::default(); inputs.len()], |s| s.spans());
    let mut gaps = 0;
    if let Some(s) = &session {
        if !cfg.out.quiet {
            for n in s.notes(&cfg.inputs) {
                eprintln!("logstat: {n}");
            }
        }
        for g in s.gaps() {
            eprintln!("logstat: {g}");
        }
        gaps = s.gaps().len();
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
    let want_records = cfg.out.reports.contains(&Kind::Records);
    let mut records_file = None;
    let parquet = want_records && cfg.out.output == OutFormat::Parquet;
    let writer = (want_records && !parquet).then_some(match cfg.out.output {
        OutFormat::Json => RecordWriter::Json,
        _ => RecordWriter::Csv { raw: cfg.out.raw_csv },
    });
    let parquet_sink = crate::render::parquet::ParquetRecords::new(cfg.engine.who);
    let mut parquet_file = None;
    let mut text_out = None;
    let records = match &writer {
        _ if parquet => {
            let path = cfg.out.parquet_path().expect("config: parquet needs -o");
            let f = crate::render::parquet::ParquetFile::create(path.clone())
                .map_err(|source| OutputError::File { path, source })?;
            Some(RecordsOut { sink: &parquet_sink, out: parquet_file.insert(f) })
        }
        Some(w) => {
            let sink: &mut dyn Write = match &cfg.out.output_dir {
                Some(dir) => {
                    let name = if *w == RecordWriter::Json { "records.jsonl" } else { "records.csv" };
                    records_file.insert(create(dir, name)?)
                }
                None => &mut out,
            };
            sink.write_all(&engine::RecordSink::header(w))?;
            Some(RecordsOut { sink: w, out: text_out.insert(sink) })
        }
        None => None,
    };
    init_threads(cfg.threads, cfg.out.quiet);
    crate::phases::mark(format_args!("inputs opened, {} threads ready", rayon::current_num_threads()));
    let ran = engine::run_spans(&inputs, &spans, &opts, &mut |n| notice(cfg, n), records);
    crate::phases::mark(format_args!("inputs counted"));
    if let Some(f) = parquet_file {
        let path = cfg.out.parquet_path().unwrap_or_default();
        if ran.is_ok() {
            f.finish().map_err(|source| OutputError::File { path, source })?;
        }
    }
    if let Some(f) = records_file {
        // A failed write to the records file is reported with its path.
        if ran.is_ok() || f.failed.is_some() {
            f.finish()?;
        }
    }
    let (mut run, read) = ran?;

    // No input could be opened: no report of nothing, only the errors above
    // (an input that failed part-way still reports what was read).
    if run.failed_inputs > 0 && run.files.is_empty() {
        return Ok(EXIT_INPUT);
    }
    let mut pending = None;
    if let Some(session) = session {
        let (total, p) = session.finish(&inputs, &run, &read, settings(cfg))?;
        pending = Some(p);
        if cfg.state.as_ref().is_some_and(|s| s.1) {
            run = total;
        }
    }
    run.unread_tails = gaps as u64;
    let crossed =
        render(&cfg.out, &run, cfg.engine.window, cfg.engine.max_routes, &cfg.engine.failures.spec, &mut out)?;
    out.flush()?;
    crate::phases::mark(format_args!("report written"));
    // States are written only after every output was: a failed write leaves
    // the positions where they were, so the next run reports those lines.
    if let Some(p) = pending {
        p.commit()?;
    }
    if let Some(path) = &cfg.out.save_state {
        state::save(path, &run, settings(cfg))?;
    }
    let code = exit_code(&run, crossed);
    // The process ends once this returns: freeing every route, window and
    // client one by one took 2 ms of a 60 ms run; the OS takes it whole.
    std::mem::forget(run);
    // A rotated file's unread tail that was not found is data not counted.
    if gaps > 0 && !cfg.allow_gaps { Ok(EXIT_INPUT) } else { Ok(code) }
}

/// An unreadable input wins over a crossed threshold.
fn exit_code(run: &Run, crossed: bool) -> u8 {
    if run.failed_inputs > 0 {
        EXIT_INPUT
    } else if crossed {
        EXIT_THRESHOLD
    } else {
        EXIT_OK
    }
}

/// `logstat merge`: state files combined in argument order.
fn merge(cfg: &MergeConfig) -> Result<u8, AppError> {
    if let Some(dir) = &cfg.out.output_dir {
        output_dir(dir)?;
    }
    if cfg.out.reports.contains(&Kind::Records) {
        return Err(UsageError("merge: records are not kept in state files; choose other reports".into()).into());
    }
    let (run, settings) = state::merge(&cfg.states)?;
    if !settings.who
        && let Some(k) = cfg.out.reports.iter().find(|k| k.needs_who())
    {
        let msg = format!(
            "merge: --report {}: the states were saved without who counts (save them with --who, or with a who report)",
            k.name()
        );
        return Err(UsageError(msg).into());
    }
    let kept = run.stats.windows.width;
    if let Some(w) = cfg.window
        && w % kept != 0
    {
        let msg = format!(
            "merge: --window {}: the states hold {} windows; choose a multiple of {}",
            width_text(w),
            width_text(kept),
            width_text(kept)
        );
        return Err(UsageError(msg).into());
    }
    if let Some(path) = &cfg.out.save_state {
        state::save(path, &run, settings.clone())?;
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let window = cfg.window.or(settings.window);
    let crossed = render(&cfg.out, &run, window, settings.max_routes as usize, &settings.failures, &mut out)?;
    Ok(exit_code(&run, crossed))
}

/// Write the reports of `run`, then check thresholds; true when one is crossed.
fn render(
    cfg: &Output,
    run: &Run,
    window_opt: Option<i64>,
    max_routes: usize,
    failures: &str,
    out: &mut dyn Write,
) -> Result<bool, AppError> {
    let st = &run.stats;
    if st.routes_pruned > 0 && !cfg.quiet {
        eprintln!(
            "logstat: more than {} distinct routes: the lightest were folded into \"(other routes)\" ({} requests); kept route counts may be short by at most {}",
            max_routes, st.other_routes.counts.requests, st.route_error
        );
    }
    let w = &st.who;
    for (what, pruned, other, err) in [
        ("clients", w.clients.pruned, w.clients.other.requests, w.clients.error),
        ("agent families", w.agents.pruned, w.agents.other.requests, w.agents.error),
        ("referrer hosts", w.referrers.pruned, w.referrers.other, w.referrers.error),
        ("virtual hosts", w.hosts.pruned, w.hosts.other, w.hosts.error),
    ] {
        if pruned > 0 && !cfg.quiet {
            eprintln!(
                "logstat: too many distinct {what}: the lightest were folded into \"(other …)\" ({other} requests); kept counts may be short by at most {err}"
            );
        }
    }
    // A width finer than the buckets kept, or one giving too many windows
    // over the span (empty ones included), is widened with a notice.
    let kept = window_opt.map_or(run.stats.windows.width, |w| run.stats.windows.fitting_width(w));
    if let Some(w) = window_opt
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
    let window = window_opt.map(|w| w.max(kept)).unwrap_or_else(|| {
        let span = match (run.stats.first, run.stats.last) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        };
        auto_width(span, run.stats.windows.width)
    });
    let ctx = Ctx { run, window, top: cfg.top, failures };
    let mut kinds: Vec<Kind> = cfg.reports.iter().copied().filter(|k| *k != Kind::Records).collect();
    if cfg.default_reports && report::latency::has_timings(&ctx) {
        kinds.push(Kind::Latency);
    }
    match cfg.output {
        OutFormat::Table => {
            let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100);
            let mut t = Term::new(out, cfg.color, width);
            // People read the summary first, then the rest in a fixed order;
            // with the summary, the report ends with its findings. The views
            // are worked out side by side (each reads the run only), then
            // shown in that order.
            let shown: Vec<Kind> = Kind::ALL
                .into_iter()
                .filter(|k| kinds.contains(k) || (*k == Kind::Findings && kinds.contains(&Kind::Summary)))
                .collect();
            let views: Vec<report::View> = shown.par_iter().map(|k| report::view(*k, &ctx)).collect();
            for v in &views {
                t.view(v)?;
            }
        }
        OutFormat::Csv => {
            for k in &kinds {
                let table = report::table(*k, &ctx);
                match &cfg.output_dir {
                    Some(dir) => {
                        let mut f = create(dir, &format!("{}.csv", k.name()))?;
                        let res = crate::render::csv::write_table(&table, &mut f, cfg.raw_csv);
                        // A write error is reported by `finish`, with the path.
                        if res.is_err() && f.failed.is_none() {
                            res?;
                        }
                        f.finish()?;
                    }
                    None => crate::render::csv::write_table(&table, out, cfg.raw_csv)?,
                }
            }
        }
        // Parquet holds records only, written while the inputs were read.
        OutFormat::Parquet => {}
        OutFormat::Html => {
            // The page's sections, then any other report asked for.
            let mut page = vec![Kind::Summary, Kind::Findings, Kind::Windows, Kind::Class, Kind::Status, Kind::Routes];
            if report::latency::has_timings(&ctx) {
                page.push(Kind::Latency);
            }
            let more: Vec<Kind> = kinds.iter().copied().filter(|k| !page.contains(k)).collect();
            page.extend(more);
            let tables: Vec<_> = page.iter().map(|k| report::table(*k, &ctx)).collect();
            let title = report::summary::title(&ctx);
            match &cfg.output_dir {
                Some(dir) => {
                    let mut f = create(dir, "report.html")?;
                    let res = crate::render::html::write_page(&title, &tables, &mut f);
                    if res.is_err() && f.failed.is_none() {
                        res?;
                    }
                    f.finish()?;
                }
                None => crate::render::html::write_page(&title, &tables, out)?,
            }
        }
        OutFormat::Json => {
            let tables: Vec<_> = kinds.iter().map(|k| report::table(*k, &ctx)).collect();
            match &cfg.output_dir {
                Some(dir) => {
                    for t in &tables {
                        let mut f = create(dir, &format!("{}.json", t.name))?;
                        let res = crate::render::json::write_tables(std::slice::from_ref(t), &mut f);
                        if res.is_err() && f.failed.is_none() {
                            res?;
                        }
                        f.finish()?;
                    }
                }
                None if !tables.is_empty() => crate::render::json::write_tables(&tables, out)?,
                None => {}
            }
        }
    }
    out.flush()?;
    let mut crossed = false;
    for t in &cfg.fail_if {
        let (hit, note) = t.check(&run.stats);
        if let Some(v) = hit {
            eprintln!("logstat: threshold crossed: {} (measured {v})", t.text);
            crossed = true;
        }
        if let Some(n) = note {
            eprintln!("logstat: warning: {n}");
        }
    }
    Ok(crossed)
}
