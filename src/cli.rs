//! Command-line definition (clap derive). Doc comments are the --help text;
//! no logic lives here — `config` turns this into a checked `Config`.
// Doc comments here are --help text, where `<report>` is a placeholder, not HTML.
#![allow(rustdoc::invalid_html_tags)]

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
  logstat access.log --since 1h --status 5xx  the last hour's server errors
  logstat 'access.log*' --state s.state -o out/ --fail-if '5xx > 1%'
                                              from cron: only new lines, alert on 5xx
  logstat access.log --save-state web1.state  keep the aggregate; later:
  logstat merge web1.state web2.state -o out/ one report over several servers
  logstat explain 499                         what a status code means
  logstat ./explain                           a log file that is named 'explain'

Exit codes: 0 success (malformed lines alone are not an error), 1 an input
could not be read completely (the others and what was read are still
reported), or a state file could not be used, 2 usage error, 3 a --fail-if
threshold was crossed (the report is still written).";

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

    #[command(flatten)]
    pub out: ReportArgs,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Incremental runs: read only what is new since the last run with this
    /// state file (appends, rename and copytruncate rotation, rotated files
    /// compressed later), and remember where this run stopped. The report
    /// covers the new lines only, unless --cumulative.
    #[arg(long, value_name = "FILE", help_heading = "Incremental runs")]
    pub state: Option<PathBuf>,

    /// With --state: report everything counted since the state file was
    /// created, not just this run's new lines.
    #[arg(long, requires = "state", help_heading = "Incremental runs")]
    pub cumulative: bool,

    /// With --state: when a file was rotated between runs and the rest of
    /// the old file is not found beside it (NAME.1, NAME.1.gz, NAME-DATE…),
    /// report the gap on stderr but exit 0 instead of 1.
    #[arg(long, requires = "state", help_heading = "Incremental runs")]
    pub allow_gaps: bool,

    /// Watch the files grow (like `tail -F`): start at their ends and count
    /// what is appended, across rename rotation and copytruncate. On a
    /// terminal: a full-screen view (q quits); piped: one row per
    /// --interval in --format csv (default) or json. Filters and --fail-if
    /// apply to each interval; Ctrl-C or SIGTERM ends with the last
    /// partial interval written.
    #[arg(long, help_heading = "Live view", conflicts_with_all = ["state", "save_state", "report", "output_dir"])]
    pub follow: bool,

    /// With --follow: count what the files hold first, then follow.
    #[arg(long, requires = "follow", help_heading = "Live view")]
    pub from_start: bool,

    /// With --follow: how often a row is written or the view redrawn
    /// (100ms … 1h: 500ms, 1s, 10s, 1m) [default: 1s].
    #[arg(long, requires = "follow", value_name = "DURATION", help_heading = "Live view")]
    pub interval: Option<String>,

    /// Log format: auto (detect per input from its first lines), a preset
    /// (combined, common, vcombined, main, nginx_timed, upstreaminfo,
    /// common_with_vhost; traefik (CLF), envoy, istio, json (nginx escape=json,
    /// Caddy, Traefik, Envoy, ingress), alb, elb, haproxy, w3c (IIS,
    /// CloudFront: columns from each file's #Fields: header), iis (headerless,
    /// IIS's default fields)), 'nginx:<log_format string>' pasted from
    /// nginx.conf, or 'apache:<LogFormat string>' pasted from httpd.conf.
    #[arg(long, value_name = "NAME", default_value = "auto", help_heading = "Input format")]
    pub log_format: String,

    /// JSON logs whose keys are not the usual ones: NAME=KEY.PATH pairs,
    /// comma-separated, tried before the built-in names
    /// (`status=resp.code,time=@timestamp,user_agent=req.headers.ua[0]`).
    /// Names: client, time, request, method, path, protocol, status, bytes,
    /// referrer, user_agent, host, request_time (s), request_time_ms,
    /// request_time_us, request_time_ns, upstream_time (s),
    /// upstream_time_ms, request_length. Reads the inputs as JSON.
    #[arg(long, value_name = "MAP", help_heading = "Input format")]
    pub json_field: Option<String>,

    /// Read the log format from this nginx.conf (its log_format directives;
    /// include directives are not followed).
    #[arg(long, value_name = "FILE", conflicts_with = "log_format", help_heading = "Input format")]
    pub nginx_conf: Option<PathBuf>,

    /// Which log_format of --nginx-conf to use [default: main, or the only one]
    #[arg(long, value_name = "NAME", requires = "nginx_conf", help_heading = "Input format")]
    pub log_name: Option<String>,

    /// Time window: N followed by s, m, h or d (1m, 5m, 15m, 1h, 1d)
    /// [default: chosen from the time span]
    #[arg(long, value_name = "WIDTH", help_heading = "Time and measures")]
    pub window: Option<String>,

    /// Duration behind the per-class, per-route and per-window percentiles:
    /// request (request_time, %D, %T), upstream (upstream_response_time,
    /// summed per request) or auto: request when logged, else upstream
    #[arg(long, value_name = "METRIC", default_value = "auto", help_heading = "Time and measures")]
    pub latency: String,

    /// Display time zone; windows align to it: UTC, local, a fixed offset
    /// (+05:30) or an IANA name (Europe/Berlin) [default: the log's offset]
    #[arg(long, value_name = "ZONE", help_heading = "Time and measures")]
    pub tz: Option<String>,

    /// Statuses that count as failures in error-rate figures: codes and
    /// classes, comma-separated; a leading '-' removes (4xx,5xx,-404).
    #[arg(
        long,
        value_name = "LIST",
        default_value = "5xx",
        allow_hyphen_values = true,
        help_heading = "Time and measures"
    )]
    pub failures: String,

    /// Distinct routes kept in memory. Past it, the lightest routes are
    /// folded into "(other routes)" (totals still add up) and the report says
    /// so; the heaviest routes keep exact counts.
    #[arg(long, value_name = "N", default_value_t = 50_000, help_heading = "Performance and bounds")]
    pub max_routes: usize,

    /// Distinct clients kept in memory. Past it, the lightest clients are
    /// folded into "(other clients)" and the report says so; the heaviest
    /// keep exact counts. (Agents, referrer hosts, virtual hosts and methods
    /// have fixed bounds of 2,000, 20,000, 5,000 and 500.)
    #[arg(long, value_name = "N", default_value_t = 50_000, help_heading = "Performance and bounds")]
    pub max_clients: usize,

    /// Worker threads [default: number of CPUs]
    #[arg(long, short = 'j', value_name = "N", help_heading = "Performance and bounds")]
    pub threads: Option<usize>,

    /// Memory-map inputs: auto maps regular files of 1 MiB or more, always
    /// maps every regular file, never reads. Mapping is safe for live logs:
    /// if a file is truncated while read (logrotate copytruncate), logstat
    /// counts what it read before, warns, and exits 1.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = MmapArg::Auto, help_heading = "Performance and bounds")]
    pub mmap: MmapArg,

    /// No progress display on stderr (it only ever shows on a terminal).
    #[arg(long, help_heading = "Performance and bounds")]
    pub no_progress: bool,

    /// Print a man page or a shell completion script and exit (see
    /// "Install" in README: `logstat --generate man > logstat.1`)
    #[arg(long, value_enum, value_name = "KIND", help_heading = "Installation")]
    pub generate: Option<Generate>,
}

/// Which reports, in which form, and when to fail: shared by a run over logs
/// and by `merge`.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Reports and output")]
pub struct ReportArgs {
    /// Reports, comma-separated: summary, files, class, status, routes,
    /// windows, latency, sizes, malformed, findings, records; who is calling:
    /// clients, agents, os, referrers, visitors, hosts, methods [default:
    /// summary,class,status,routes,windows, plus latency when the log has
    /// timings; the table adds findings]
    #[arg(long, short = 'r', value_name = "LIST", value_delimiter = ',')]
    pub report: Vec<String>,

    /// Output format [default: table; csv with --output-dir]
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<OutFormat>,

    /// Write each report to DIR/<report>.csv (or .json; records.jsonl; html:
    /// DIR/report.html; parquet: DIR/records.parquet, or `-o FILE.parquet`,
    /// which also implies `-f parquet`).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// Rows of routes, status codes and malformed lines to show (tables: 10;
    /// CSV/JSON: all).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

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

    /// Exit 3 when a threshold is crossed (repeatable): `5xx > 1%`,
    /// `499 > 0.5%`, `p99 > 800ms`, `requests < 100`, `failures >= 10`,
    /// `route=/api/* 5xx > 2%`. The report is still written; stderr names
    /// each crossed threshold with the value measured.
    #[arg(long, value_name = "EXPR")]
    pub fail_if: Vec<String>,

    /// Write the run's complete aggregate (counts, routes, windows,
    /// histograms) to FILE, for `logstat merge`.
    #[arg(long, value_name = "FILE")]
    pub save_state: Option<PathBuf>,

    /// Count who is calling (clients, agents, referrers, visitors, bots)
    /// even when no such report is asked: for state files (--save-state,
    /// --state) that later merges or runs report them. Counting it about
    /// doubles a run's time, so it is otherwise done only for those reports.
    #[arg(long)]
    pub who: bool,
}

/// Which parsed lines count. Filtered-out lines are reported as `excluded`.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Filters")]
pub struct FilterArgs {
    /// Keep lines at or after TIME: RFC 3339 (2024-10-10T14:00:00Z),
    /// '2024-10-10 14:00' (display zone) or a duration back (30m, 1h, 2d)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Keep lines before TIME (same forms as --since)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// What durations in --since/--until count back from: now, or the
    /// latest time among the inputs' last lines
    #[arg(long, value_enum, value_name = "REF", default_value_t = RelativeArg::Now)]
    pub relative_to: RelativeArg,

    /// Keep these statuses: codes and classes, comma-separated (5xx,499)
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub status: Option<String>,

    /// Keep these methods, comma-separated (GET,POST)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub method: Vec<String>,

    /// Keep routes matching: a prefix, or a glob with *, ? and [..]
    /// (/api/*); repeatable
    #[arg(long, value_name = "PATTERN")]
    pub route: Vec<String>,

    /// Keep request paths (before '?') matching a prefix or glob; repeatable
    #[arg(long, value_name = "PATTERN")]
    pub path: Vec<String>,

    /// Keep this virtual host (exact, or a glob; case-insensitive) when
    /// the format logs one; repeatable
    #[arg(long, value_name = "HOST")]
    pub host: Vec<String>,

    /// Keep bots or not, by agent category: include (everyone), only
    /// (crawlers, AI crawlers, monitors, tools, scanners) or exclude (the
    /// rest: browsers and unknown agents)
    #[arg(long, value_enum, value_name = "WHICH", default_value_t = BotsArg::Include)]
    pub bots: BotsArg,

    /// Keep this client address or network (192.0.2.7, 10.0.0.0/8,
    /// 2001:db8::/32); repeatable
    #[arg(long, value_name = "IP|CIDR")]
    pub client: Vec<String>,
}

/// `--bots`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum BotsArg {
    /// Everyone.
    #[default]
    Include,
    /// Bots only.
    Only,
    /// No bots.
    Exclude,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum RelativeArg {
    #[default]
    Now,
    #[value(name = "last-line")]
    LastLine,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Combine state files written with --save-state (or --state) into the
    /// reports one run over all their logs would give: `logstat merge
    /// web1.state web2.state -o out/`.
    Merge(MergeArgs),

    /// Explain status codes or classes: `explain 499`, `explain 301 308`
    /// (side by side), `explain 4xx`, `explain --list`. (A log file named
    /// `explain` is analysed as `logstat ./explain`.)
    Explain(ExplainArgs),
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// State files, in the order their logs would be given to one run.
    #[arg(value_name = "STATE", required = true)]
    pub states: Vec<PathBuf>,

    /// Show windows this wide (1h, 1d): a whole multiple of the width the
    /// states were aggregated at [default: as the states, or chosen from
    /// the time span]
    #[arg(long, value_name = "WIDTH", help_heading = "Time and measures")]
    pub window: Option<String>,

    #[command(flatten)]
    pub out: ReportArgs,
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
    /// One self-contained HTML page with charts (`-o DIR`: DIR/report.html).
    Html,
    /// Records as a typed Parquet file: `-r records -f parquet -o DIR` →
    /// DIR/records.parquet.
    Parquet,
}

/// What `--generate` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Generate {
    /// A man page (roff), from this definition.
    Man,
    /// Completions for bash.
    CompleteBash,
    /// Completions for zsh.
    CompleteZsh,
    /// Completions for fish.
    CompleteFish,
    /// Completions for elvish.
    CompleteElvish,
    /// Completions for PowerShell.
    CompletePowershell,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MmapArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    #[default]
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
