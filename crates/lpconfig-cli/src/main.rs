//! `lpconfig`: see `lpconfig --help`.

use std::process::ExitCode;

use clap::Parser;
use lpconfig_cli::cli::Cli;
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
            eprintln!("lpconfig: error: {}", f.message);
            match (&f.detail, verbose) {
                (Some(d), 1..) => eprintln!("{d}"),
                (Some(_), 0) => {}
                (None, _) => {}
            }
            ExitCode::from(f.code)
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
        .without_time()
        .try_init();
}
