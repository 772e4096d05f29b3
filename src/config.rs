//! A checked configuration built from the command line. Nothing below this
//! layer sees clap.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{Cli, ColorArg, FilterArgs, MmapArg, OutFormat, RelativeArg, ReportArgs};
use crate::engine::{FormatChoice, Options};
use crate::error::UsageError;
use crate::filter::{FilterSpec, Pattern, RelativeTo, TimeSpec};
use crate::format::presets;
use crate::input::{MmapPolicy, Source, chunk::CHUNK_BYTES, glob};
use crate::report::Kind;
use crate::stats::latency::Metric;
use crate::units::parse_width;
use crate::zone::Zone;

pub struct Config {
    pub inputs: Vec<Source>,
    pub out: Output,
    pub engine: Options,
    pub threads: Option<usize>,
    pub progress: bool,
    /// `--allow-gaps`: an unread rotated tail is not an error.
    pub allow_gaps: bool,
    /// `--state FILE` and whether the report is `--cumulative`.
    pub state: Option<(PathBuf, bool)>,
    /// `--follow`: how to watch the files.
    pub follow: Option<Follow>,
}

/// `--follow` and its options.
pub struct Follow {
    /// `--from-start`.
    pub from_start: bool,
    /// `--interval`.
    pub interval: std::time::Duration,
    /// The screen (stdout is a terminal and no row format was asked), or rows.
    pub mode: crate::live::Mode,
}

/// `--interval`: `500ms`, `1s`, `10s`, `1m`, between 100 ms and 1 hour.
fn parse_interval(s: &str) -> Result<std::time::Duration, UsageError> {
    let d = match s.strip_suffix("ms") {
        Some(n) => n.parse::<u64>().ok().map(std::time::Duration::from_millis),
        None => parse_width(s).map(|w| std::time::Duration::from_secs(w as u64)),
    };
    match d {
        Some(d) if d >= std::time::Duration::from_millis(100) && d <= std::time::Duration::from_secs(3600) => Ok(d),
        _ => Err(usage(format!(
            "--interval '{}': expected a duration from 100ms to 1h (500ms, 1s, 10s, 1m)",
            crate::text::escape(s.as_bytes())
        ))),
    }
}

/// Which reports, in which form, and the thresholds: for runs and `merge`.
pub struct Output {
    pub reports: Vec<Kind>,
    /// No --report given: `latency` joins the defaults when the log has timings.
    pub default_reports: bool,
    pub output: OutFormat,
    pub output_dir: Option<PathBuf>,
    pub top: Option<usize>,
    pub color: bool,
    pub raw_csv: bool,
    pub quiet: bool,
    pub fail_if: Vec<crate::threshold::Threshold>,
    pub save_state: Option<PathBuf>,
    /// `--who`: count who called without a who report.
    pub who: bool,
}

/// `logstat merge`: state files and the output wanted.
pub struct MergeConfig {
    pub states: Vec<PathBuf>,
    /// `--window` to show, in seconds.
    pub window: Option<i64>,
    pub out: Output,
}

impl MergeConfig {
    pub fn from_args(a: crate::cli::MergeArgs) -> Result<MergeConfig, UsageError> {
        let window = a.window.as_deref().map(parse_window).transpose()?;
        Ok(MergeConfig { states: a.states, window, out: Output::from_args(a.out)? })
    }
}

/// Whether `-o PATH` names a Parquet file rather than a directory: it ends
/// in `.parquet` and is not an existing directory.
fn parquet_file_name(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")) && !path.is_dir()
}

impl Output {
    /// Where Parquet records go: `-o FILE.parquet` itself, else
    /// `DIR/records.parquet`; `None` without `-o`.
    pub fn parquet_path(&self) -> Option<PathBuf> {
        let o = self.output_dir.as_ref()?;
        Some(if parquet_file_name(o) { o.clone() } else { o.join("records.parquet") })
    }

    /// The directory to create for the outputs: `-o DIR`, or the folder of
    /// `-o FILE.parquet`.
    pub fn dir_to_create(&self) -> Option<PathBuf> {
        let o = self.output_dir.as_ref()?;
        if self.output == OutFormat::Parquet && parquet_file_name(o) {
            return o.parent().filter(|p| !p.as_os_str().is_empty()).map(PathBuf::from);
        }
        Some(o.clone())
    }

    pub fn from_args(cli: ReportArgs) -> Result<Output, UsageError> {
        let mut reports = Vec::new();
        for r in &cli.report {
            let r = r.trim();
            let k = Kind::parse(r).ok_or_else(|| {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                usage(format!(
                    "--report: unknown report '{}' (choose from {})",
                    crate::text::escape(r.as_bytes()),
                    names.join(", ")
                ))
            })?;
            if !reports.contains(&k) {
                reports.push(k);
            }
        }
        let default_reports = reports.is_empty();
        if default_reports {
            reports = Kind::DEFAULT.to_vec();
        }
        let to_file = cli.output_dir.as_deref().is_some_and(parquet_file_name);
        let output = cli.format.unwrap_or(match &cli.output_dir {
            Some(_) if to_file => OutFormat::Parquet,
            Some(_) => OutFormat::Csv,
            None => OutFormat::Table,
        });
        let has_records = reports.contains(&Kind::Records);
        match (output, &cli.output_dir) {
            (OutFormat::Table, Some(_)) => {
                return Err(usage("--output-dir writes files: use --format csv or json"));
            }
            (OutFormat::Table, None) if has_records => {
                return Err(usage("--report records needs --format csv or json"));
            }
            (OutFormat::Csv, None) if reports.len() > 1 => {
                return Err(usage(
                    "several CSV reports need --output-dir DIR (one <report>.csv each), or a single --report",
                ));
            }
            (OutFormat::Parquet, _) if reports != [Kind::Records] => {
                return Err(usage("--format parquet writes records: use --report records (alone)"));
            }
            (OutFormat::Parquet, None) => {
                return Err(usage(
                    "--format parquet writes a file: give --output-dir DIR (DIR/records.parquet) or -o FILE.parquet",
                ));
            }
            (OutFormat::Html, _) if has_records => {
                return Err(usage("--format html shows aggregates: --report records needs csv or json"));
            }
            (OutFormat::Json, None) if has_records && reports.len() > 1 => {
                return Err(usage("records (JSON Lines) and other reports need --output-dir DIR"));
            }
            _ => {}
        }
        let color = match cli.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let fail_if = cli
            .fail_if
            .iter()
            .map(|e| crate::threshold::Threshold::parse(e))
            .collect::<Result<Vec<_>, _>>()
            .map_err(usage)?;
        Ok(Output {
            reports,
            default_reports,
            output,
            output_dir: cli.output_dir,
            top: cli.top,
            color,
            raw_csv: cli.raw_csv,
            quiet: cli.quiet,
            fail_if,
            save_state: cli.save_state,
            who: cli.who,
        })
    }
}

/// The filters, checked.
fn filters(f: &FilterArgs) -> Result<FilterSpec, UsageError> {
    let time = |opt: &str, v: &Option<String>| {
        v.as_deref().map(|s| TimeSpec::parse(s).map_err(|e| usage(format!("{opt}: {e}")))).transpose()
    };
    let mut methods = Vec::new();
    for m in f.method.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
        if !m.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'-') {
            return Err(usage(format!("--method: '{}' is not a method name", crate::text::escape(m.as_bytes()))));
        }
        methods.push(m.to_ascii_uppercase().into_bytes());
    }
    let status =
        f.status.as_deref().map(|s| crate::status::StatusSet::parse("--status", s)).transpose().map_err(usage)?;
    let pats = |v: &[String]| v.iter().map(|p| Pattern::new(p)).collect::<Vec<_>>();
    let (since, until) = (time("--since", &f.since)?, time("--until", &f.until)?);
    // Bounds of one kind that leave no time at all are a mistake, not a
    // request for zero lines (issue 16 #13).
    use crate::filter::TimeSpec::{Ago, Instant, Wall};
    let empty = match (&since, &until) {
        (Some(Instant(a)), Some(Instant(b))) | (Some(Wall(a)), Some(Wall(b))) => b < a,
        (Some(Ago(a)), Some(Ago(b))) => b > a,
        _ => false,
    };
    if empty {
        return Err(usage(format!(
            "--until {} is earlier than --since {}: no line can match",
            crate::text::escape(f.until.as_deref().unwrap_or_default().as_bytes()),
            crate::text::escape(f.since.as_deref().unwrap_or_default().as_bytes())
        )));
    }
    Ok(FilterSpec {
        since,
        until,
        relative_to: match f.relative_to {
            RelativeArg::Now => RelativeTo::Now,
            RelativeArg::LastLine => RelativeTo::LastLine,
        },
        status,
        methods,
        routes: pats(&f.route),
        paths: pats(&f.path),
        hosts: pats(&f.host),
        bots: match f.bots {
            crate::cli::BotsArg::Include => crate::filter::Bots::Include,
            crate::cli::BotsArg::Only => crate::filter::Bots::Only,
            crate::cli::BotsArg::Exclude => crate::filter::Bots::Exclude,
        },
        clients: f.client.iter().map(|c| crate::filter::Cidr::parse(c)).collect::<Result<_, _>>().map_err(usage)?,
    })
}

/// `auto`, a preset name, `nginx:<log_format>` or `apache:<LogFormat>`.
fn format_choice(spec: &str) -> Result<FormatChoice, UsageError> {
    if spec == "auto" {
        return Ok(FormatChoice::Auto);
    }
    if let Some(f) = spec.strip_prefix("nginx:") {
        return crate::format::nginx::compile(f)
            .map(FormatChoice::Fixed)
            .map_err(|e| usage(format!("--log-format nginx: {e}")));
    }
    if let Some(f) = spec.strip_prefix("apache:") {
        return crate::format::apache::compile(f)
            .map(FormatChoice::Fixed)
            .map_err(|e| usage(format!("--log-format apache: {e}")));
    }
    presets::preset(spec).map(FormatChoice::Fixed).ok_or_else(|| {
        usage(format!(
            "--log-format: unknown log format '{}' (choose from auto, {}, or nginx:<log_format> / apache:<LogFormat>)",
            crate::text::escape(spec.as_bytes()),
            presets::NAMES.join(", ")
        ))
    })
}

/// The `log_format` called `name` (default `main`, or the only one) in an nginx.conf.
fn from_nginx_conf(path: &std::path::Path, name: Option<&str>) -> Result<crate::format::LogFormat, UsageError> {
    let shown = path.display();
    let text = std::fs::read(path).map_err(|e| usage(format!("{shown}: {e}")))?;
    let (formats, includes) = crate::format::nginx::read_conf(&String::from_utf8_lossy(&text));
    for inc in includes {
        eprintln!(
            "logstat: {shown}: warning: 'include {inc}' is not followed; log_format directives there are not seen"
        );
    }
    let names: Vec<&str> = formats.iter().map(|(n, _)| n.as_str()).collect();
    let pick = match name {
        Some(n) => formats.iter().find(|(f, _)| f == n),
        None => formats.iter().find(|(f, _)| f == "main").or(if formats.len() == 1 { formats.first() } else { None }),
    };
    let (n, spec) = pick.ok_or_else(|| {
        usage(format!(
            "{shown}: no log_format {} (found: {}); choose one with --log-name",
            name.unwrap_or("main"),
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        ))
    })?;
    let mut f = crate::format::nginx::compile_conf(spec).map_err(|e| usage(format!("{shown}: log_format {n}: {e}")))?;
    f.name = format!("nginx log_format {n}");
    Ok(f)
}

/// `--latency`: which duration feeds the percentiles.
fn parse_metric(s: &str) -> Result<Metric, UsageError> {
    match s {
        "auto" => Ok(Metric::Auto),
        "request" | "request_time" => Ok(Metric::Request),
        "upstream" | "upstream_time" => Ok(Metric::Upstream),
        _ => {
            Err(usage(format!("--latency '{}': expected auto, request or upstream", crate::text::escape(s.as_bytes()))))
        }
    }
}

/// `--window` of a run or a merge: one parser, one message.
fn parse_window(w: &str) -> Result<i64, UsageError> {
    parse_width(w).ok_or_else(|| {
        usage(format!(
            "invalid --window '{}' (N followed by s, m, h or d, e.g. 5m; at most 366d)",
            crate::text::escape(w.as_bytes())
        ))
    })
}

fn usage(e: impl std::fmt::Display) -> UsageError {
    UsageError(e.to_string())
}

impl Config {
    pub fn from_cli(cli: Cli) -> Result<Config, UsageError> {
        let inputs: Vec<Source> = if cli.files.is_empty() {
            if std::io::stdin().is_terminal() {
                return Err(usage("no input: give an access log file, or pipe one into stdin (see --help)"));
            }
            vec![Source::Stdin]
        } else {
            let mut v = Vec::new();
            for f in &cli.files {
                match f.to_str() {
                    // A quoted glob that is not itself a file name: expand it here.
                    Some(s) if glob::has_magic(s) && !std::path::Path::new(s).exists() => {
                        let found = glob::expand(s).unwrap_or_default();
                        if found.is_empty() {
                            // Reported as an unreadable input (exit 1), like a missing file.
                            v.push(Source::Path(s.into()));
                        }
                        v.extend(found.into_iter().map(Source::Path));
                    }
                    _ => v.push(Source::from_arg(f)),
                }
            }
            v
        };
        let format = match (&cli.nginx_conf, &cli.json_field) {
            (Some(_), Some(_)) => return Err(usage("--json-field reads JSON logs: not with --nginx-conf")),
            (Some(path), None) => FormatChoice::Fixed(from_nginx_conf(path, cli.log_name.as_deref())?),
            (None, Some(map)) => {
                if cli.log_format != "auto" && cli.log_format != "json" {
                    return Err(usage(format!(
                        "--json-field reads JSON logs: not with --log-format {}",
                        crate::text::escape(cli.log_format.as_bytes())
                    )));
                }
                let keys = crate::format::json::Keys::parse(map).map_err(|e| usage(e.to_string()))?;
                FormatChoice::Fixed(crate::format::LogFormat::special("json", crate::format::Syntax::Json(keys), 12))
            }
            (None, None) => format_choice(&cli.log_format)?,
        };
        let window = cli.window.as_deref().map(parse_window).transpose()?;
        let zone = match &cli.tz {
            None => None,
            Some(z) => Some(Zone::parse(z).map_err(|e| usage(format!("--tz: {e}")))?),
        };
        let chunk_delay = std::env::var("LOGSTAT_CHUNK_DELAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(std::time::Duration::from_millis);
        let failures = crate::status::StatusSet::parse("--failures", &cli.failures).map_err(usage)?;
        let metric = parse_metric(&cli.latency)?;
        if cli.max_clients < 2 {
            return Err(usage(format!(
                "--max-clients {}: at least 2 (when the bound acts, the heaviest half is kept)",
                cli.max_clients
            )));
        }
        if cli.max_routes < 2 {
            return Err(usage(format!(
                "--max-routes {}: at least 2 (when the bound acts, the heaviest half is kept)",
                cli.max_routes
            )));
        }
        if cli.threads == Some(0) {
            return Err(usage("--threads must be at least 1"));
        }
        let mmap = match cli.mmap {
            MmapArg::Auto => MmapPolicy::Auto,
            MmapArg::Always => MmapPolicy::Always,
            MmapArg::Never => MmapPolicy::Never,
        };
        let chunk_bytes = std::env::var("LOGSTAT_CHUNK_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(CHUNK_BYTES);
        let filter = filters(&cli.filters)?;
        if cli.state.is_some() && inputs.contains(&Source::Stdin) {
            return Err(usage("--state needs files: stdin cannot be resumed"));
        }
        if filter.needs_last_line() && inputs.contains(&Source::Stdin) {
            return Err(usage("--relative-to last-line needs files: stdin cannot be read twice"));
        }
        let follow = if cli.follow {
            if inputs.contains(&Source::Stdin) {
                return Err(usage("--follow needs files (it watches them grow); stdin is not one"));
            }
            let interval = parse_interval(cli.interval.as_deref().unwrap_or("1s"))?;
            let tty = std::io::stdout().is_terminal();
            let mode = match cli.out.format {
                None | Some(OutFormat::Table) if tty => crate::live::Mode::Screen,
                None | Some(OutFormat::Csv) => crate::live::Mode::Csv,
                Some(OutFormat::Json) => crate::live::Mode::Json,
                Some(OutFormat::Table) => {
                    return Err(usage(
                        "--follow --format table needs a terminal; into a pipe it writes csv or json rows",
                    ));
                }
                Some(_) => return Err(usage("--follow shows a live view on a terminal, or writes csv or json rows")),
            };
            Some(Follow { from_start: cli.from_start, interval, mode })
        } else {
            None
        };
        let mut out_args = cli.out;
        if follow.is_some() {
            // The row format was taken above; the rest (colour, --fail-if) applies.
            out_args.format = None;
        }
        let out = Output::from_args(out_args)?;
        let sizes = out.reports.contains(&Kind::Sizes);
        // Who called is counted when a report shows it, or when asked (--who).
        // (and by the live view, which shows the top clients).
        let screen = follow.as_ref().is_some_and(|f| f.mode == crate::live::Mode::Screen);
        let who = out.reports.iter().any(|k| k.needs_who()) || out.who || screen;
        if out.reports.contains(&Kind::Records) && cli.cumulative {
            return Err(usage("--cumulative reports aggregates: --report records streams only this run's lines"));
        }
        Ok(Config {
            inputs,
            out,
            state: cli.state.map(|p| (p, cli.cumulative)),
            allow_gaps: cli.allow_gaps,
            follow,
            engine: Options {
                format,
                zone,
                window,
                mmap,
                chunk_bytes,
                chunk_delay,
                failures,
                max_routes: cli.max_routes,
                max_clients: cli.max_clients,
                metric,
                filter,
                reference: jiff::Timestamp::now().as_second(),
                sizes,
                who,
            },
            threads: cli.threads,
            progress: !cli.no_progress && std::io::stderr().is_terminal(),
        })
    }
}
