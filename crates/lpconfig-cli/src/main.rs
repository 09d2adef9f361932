//! `lpconfig`: see `lpconfig --help`.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use lpconfig_cli::cli::Cli;
use lpconfig_cli::escape;
use lpconfig_cli::failure::{EXIT_OK, EXIT_USAGE};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version are not errors; every usage error exits 1.
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    warn_about_secret_flags();
    init_logging(cli.verbose);
    let verbose = cli.verbose;
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lpconfig: error: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match runtime.block_on(lpconfig_cli::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            // Messages may quote the server or the input file: escape control characters
            // (line breaks of the detail stay, each line is escaped).
            eprintln!("lpconfig: error: {}", escape::controls(&f.message));
            match (&f.detail, verbose) {
                (Some(d), 1..) => {
                    for line in d.lines() {
                        eprintln!("{}", escape::controls(line));
                    }
                }
                (Some(_), 0) => {}
                (None, _) => {}
            }
            ExitCode::from(f.code)
        }
    }
}

/// A secret given as a flag is readable by every user of the machine (`ps`).
fn warn_about_secret_flags() {
    const FLAGS: [&str; 5] =
        ["--password", "--secret", "--access-token", "--access-token-secret", "--client-secret"];
    for arg in std::env::args_os() {
        let arg = arg.to_string_lossy();
        let name = arg.split('=').next().unwrap_or_default();
        if FLAGS.contains(&name) {
            eprintln!(
                "lpconfig: warning: {name} puts a secret where other users can read it (`ps`); \
                 use {name}-stdin, {name}-file or the LP_* variable (docs/cli-security.md)"
            );
        }
    }
}

/// Warnings by default; `-vv` shows the library's debug logs (HTTP calls, retries).
fn init_logging(verbose: u8) {
    let default = match verbose {
        0 | 1 => "warn",
        2 => "lpconfig=debug,lpconfig_cli=debug,warn",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("LPCONFIG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(escape::colour(std::io::stderr().is_terminal()))
        .without_time()
        .try_init();
}
