//! `lpconfig-emulator`: a local LiveEngage on 127.0.0.1 for tests and demos.
//!
//! The first stdout line is `lpconfig-emulator listening on http://127.0.0.1:PORT`
//! and the second `account: ID`, so scripts can start it with `--port 0` and read
//! the URL. It serves until Ctrl-C or SIGTERM, or, with `--control-stdin`, until stdin
//! closes (commands on stdin: `lpconfig_emulator::control`).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use lpconfig_emulator::{CsdsShape, Emulator, FaultRule, Seed};

#[derive(Debug, Parser)]
#[command(name = "lpconfig-emulator", version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// `demo` for the built-in seed, or the path of a TOML/JSON seed file.
    #[arg(long, default_value = "demo")]
    seed: String,
    /// Shape of per-service CSDS answers: `single` or `list`.
    #[arg(long, default_value = "single")]
    csds_shape: CsdsShape,
    /// A fault rule as JSON, e.g. '{"path":"*/users","count":1,"action":{"type":"reset"}}'.
    /// Repeatable. Actions: status (status, body, retry_after), latency (ms), reset,
    /// malformed_body; apply_then_status (status, body, retry_after), apply_then_reset,
    /// apply_then_malformed (the request is handled, a write applied, then the answer is
    /// lost); random (probability, seed, action: a seeded share of matching requests).
    #[arg(long = "fault", value_parser = parse_fault)]
    faults: Vec<FaultRule>,
    /// How many requests the in-memory request log keeps (the most recent).
    #[arg(long, default_value_t = lpconfig_emulator::request_log::DEFAULT_CAPACITY)]
    request_log_capacity: usize,
    /// Add this many generated agents to the first account (load and scale tests).
    #[arg(long, default_value_t = 0)]
    bulk_users: usize,
    /// Benchmark mode: no request log and a cheap password hash (1 PBKDF2 round),
    /// so load tests time the client rather than the emulator.
    #[arg(long)]
    bench: bool,
    /// Lifetime of Sentinel (OAuth 2.0) access tokens, in seconds.
    #[arg(long, default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    token_ttl: u64,
    /// Take control commands (JSON lines) on stdin, answer on stdout, and exit when stdin
    /// closes: how test harnesses such as `lpconfig.testing` drive it.
    #[arg(long)]
    control_stdin: bool,
}

fn parse_fault(text: &str) -> Result<FaultRule, String> {
    FaultRule::from_json(text).map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    // Logs go to stderr so stdout stays machine-readable.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();

    let args = Args::parse();
    let builder = Emulator::builder()
        .port(args.port)
        .csds_shape(args.csds_shape)
        .request_log_capacity(args.request_log_capacity)
        .faults(args.faults)
        .bench_mode(args.bench)
        .token_ttl(std::time::Duration::from_secs(args.token_ttl));
    let builder =
        if args.seed == "demo" { builder.seed(Seed::demo()) } else { builder.seed_file(&args.seed) };
    let emu = match builder.start().await {
        Ok(emu) => emu,
        Err(e) => {
            eprintln!("lpconfig-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };

    if args.bulk_users > 0 {
        emu.insert_bulk_users(args.bulk_users);
    }

    let mut out = std::io::stdout().lock();
    let printed = writeln!(out, "lpconfig-emulator listening on {}", emu.base_url())
        .and_then(|_| writeln!(out, "account: {}", emu.account()))
        .and_then(|_| out.flush());
    drop(out);
    if let Err(e) = printed {
        eprintln!("lpconfig-emulator: cannot write to stdout: {e}");
        return ExitCode::FAILURE;
    }

    if args.control_stdin {
        tokio::select! {
            served = lpconfig_emulator::control::serve_stdio(&emu) => {
                if let Err(e) = served {
                    eprintln!("lpconfig-emulator: control channel: {e}");
                }
            }
            _ = wait_for_signal() => {}
        }
    } else {
        wait_for_signal().await;
    }
    emu.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
