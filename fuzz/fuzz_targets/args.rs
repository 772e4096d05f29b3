//! Any argument strings through the command line's parsers (clap, then the
//! checked configuration): a usage error or a configuration, never a panic.
#![no_main]

use clap::Parser;
use libfuzzer_sys::fuzz_target;
use logstat::cli::Cli;
use logstat::config::Config;

fuzz_target!(|data: &[u8]| {
    // NUL-separated arguments after a real log, so options are checked.
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/../sample-logs/access.log");
    let text = String::from_utf8_lossy(data);
    let mut args = vec!["logstat".to_string(), log.to_string(), "-q".to_string()];
    args.extend(text.split('\0').take(8).map(str::to_string));
    if let Ok(cli) = Cli::try_parse_from(&args) {
        // `--generate` and subcommands are handled before configuration.
        if cli.command.is_none() && cli.generate.is_none() {
            let _ = Config::from_cli(cli);
        }
    }
});
