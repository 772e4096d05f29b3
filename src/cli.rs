//! Command-line definition (clap derive). Doc comments are the --help text;
//! no logic lives here — `config` turns this into a checked `Config`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  logstat access.log                          terminal report
  logstat access.log access.log.1 -           several inputs; '-' is stdin
  logstat access.log -f csv -r status         one CSV report on stdout
  logstat access.log -o out/                  one CSV file per report in out/
  logstat access.log -r records -f json       one JSON object per parsed line
  logstat explain 499                         what a status code means
  logstat ./explain                           a log file that is named 'explain'

Exit codes: 0 success (malformed lines alone are not an error), 1 an input
could not be read completely (the others and what was read are still
reported), 2 usage error.";

/// Turn web-server access logs (nginx, Apache) into answers: requests by
/// status class and code, by route and by time window.
#[derive(Parser, Debug)]
#[command(name = "logstat", version, after_help = AFTER_HELP, max_term_width = 100, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Access logs to read: plain, gzip or zstd (by content), quoted globs
    /// ('access.log*'), '-' for stdin; with no FILE, stdin is read when it is
    /// not a terminal.
    #[arg(value_name = "FILE")]
    pub files: Vec<OsString>,

    /// Log format: auto (detect per input from its first lines), a preset
    /// (combined, common, vcombined, main, nginx_timed, upstreaminfo,
    /// common_with_vhost), 'nginx:<log_format string>' pasted from
    /// nginx.conf, or 'apache:<LogFormat string>' pasted from httpd.conf.
    #[arg(long, value_name = "NAME", default_value = "auto")]
    pub log_format: String,

    /// Read the log format from this nginx.conf (its log_format directives;
    /// include directives are not followed).
    #[arg(long, value_name = "FILE", conflicts_with = "log_format")]
    pub nginx_conf: Option<PathBuf>,

    /// Which log_format of --nginx-conf to use [default: main, or the only one]
    #[arg(long, value_name = "NAME", requires = "nginx_conf")]
    pub log_name: Option<String>,

    /// Reports, comma-separated: summary, files, class, status, routes,
    /// windows, latency, sizes, malformed, findings, records [default:
    /// summary,class,status,routes,windows, plus latency when the log has
    /// timings; the table adds findings]
    #[arg(long, short = 'r', value_name = "LIST", value_delimiter = ',')]
    pub report: Vec<String>,

    /// Output format [default: table; csv with --output-dir]
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<OutFormat>,

    /// Write each report to DIR/<report>.csv (or .json; records.jsonl).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// Rows of routes, status codes and malformed lines to show (tables: 10;
    /// CSV/JSON: all).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Time window: N followed by s, m, h or d (1m, 5m, 15m, 1h, 1d)
    /// [default: chosen from the time span]
    #[arg(long, value_name = "WIDTH")]
    pub window: Option<String>,

    /// Duration behind the per-class, per-route and per-window percentiles:
    /// request (request_time, %D, %T), upstream (upstream_response_time,
    /// summed per request) or auto: request when logged, else upstream
    #[arg(long, value_name = "METRIC", default_value = "auto")]
    pub latency: String,

    /// Display time zone; windows align to it: UTC, local, a fixed offset
    /// (+05:30) or an IANA name (Europe/Berlin) [default: the log's offset]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Statuses that count as failures in error-rate figures: codes and
    /// classes, comma-separated; a leading '-' removes (4xx,5xx,-404).
    #[arg(long, value_name = "LIST", default_value = "5xx", allow_hyphen_values = true)]
    pub failures: String,

    /// Distinct routes kept in memory. Past it, the lightest routes are
    /// folded into "(other routes)" (totals still add up) and the report says
    /// so; the heaviest routes keep exact counts.
    #[arg(long, value_name = "N", default_value_t = 50_000)]
    pub max_routes: usize,

    /// Worker threads [default: number of CPUs]
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Memory-map inputs: auto maps regular files of 1 MiB or more, always
    /// maps every regular file, never reads. Mapping is safe for live logs:
    /// if a file is truncated while read (logrotate copytruncate), logstat
    /// counts what it read before, warns, and exits 1.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = MmapArg::Auto)]
    pub mmap: MmapArg,

    /// Colour in the terminal table (auto: only on a terminal, never with NO_COLOR set).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Do not neutralise CSV cells that start with = + - @ (spreadsheet
    /// formula injection); for machine pipelines.
    #[arg(long)]
    pub raw_csv: bool,

    /// No notices on stderr (format detection); errors are still printed.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// No progress display on stderr (it only ever shows on a terminal).
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Explain status codes or classes: `explain 499`, `explain 301 308`
    /// (side by side), `explain 4xx`, `explain --list`. (A log file named
    /// `explain` is analysed as `logstat ./explain`.)
    Explain(ExplainArgs),
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Status codes (499) or classes (4xx).
    #[arg(value_name = "CODE|CLASS", required_unless_present = "list")]
    pub what: Vec<String>,

    /// The whole registry.
    #[arg(long)]
    pub list: bool,

    /// Output format for --list.
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT", default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MmapArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
