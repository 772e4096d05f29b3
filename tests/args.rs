//! Every argument parser, fed arbitrary Unicode: a usage error naming the
//! fault or a valid configuration, never a panic (issue 11: `--window 5µ`
//! and `--since 5é` used to exit 101 on a byte index inside a character).

use clap::Parser;
use logstat::cli::Cli;
use logstat::config::Config;
use proptest::prelude::*;

const OPTIONS: [&str; 15] = [
    "--window",
    "--since",
    "--until",
    "--tz",
    "--fail-if",
    "--status",
    "--failures",
    "--log-format",
    "--top",
    "--max-routes",
    "--threads",
    "--relative-to",
    "--latency",
    "--method",
    "--report",
];

/// Parse `logstat sample-logs/access.log OPTION VALUE` as the binary does;
/// Err(message) for a usage error. Panics propagate to the test.
fn configure(option: &str, value: &str) -> Result<(), String> {
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-logs/access.log");
    // `--opt=value`, so a value starting with `-` stays a value.
    let arg = format!("{option}={value}");
    let cli = Cli::try_parse_from(["logstat", log, "-q", &arg]).map_err(|e| e.to_string())?;
    Config::from_cli(cli).map(|_| ()).map_err(|e| e.to_string())
}

#[test]
fn known_panics_are_usage_errors() {
    for (opt, v) in [("--window", "5µ"), ("--since", "5é"), ("--until", "5é"), ("--window", "é"), ("--since", "ééé")]
    {
        let err = configure(opt, v).expect_err("not a valid value");
        assert!(err.contains(opt), "{opt} {v}: {err}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_argument_panics(opt in 0..OPTIONS.len(), value in "\\PC{0,12}", digits in "[0-9]{0,3}") {
        // Both a free string and digits followed by it (the shape most
        // parsers look at first).
        for v in [value.clone(), format!("{digits}{value}")] {
            // A refusal names the option at fault (clap's and ours).
            if let Err(e) = configure(OPTIONS[opt], &v) {
                let name = OPTIONS[opt];
                prop_assert!(e.contains(name), "{name} {v:?}: {e}");
            }
        }
    }
}
