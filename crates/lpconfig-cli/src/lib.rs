//! The `lpconfig` command: users, agent groups and staff-file sync for a
//! LivePerson account, with a built-in sandbox when no account is configured.
//!
//! Everything that talks to the API goes through the core ([`lpconfig::Client`]);
//! sync's planning and applying are the `lpconfig-sync` engine's; this crate holds the
//! command line, output formatting, progress bar and exit codes.

pub mod cli;
pub mod commands;
pub mod config_file;
pub mod confirm;
pub mod credential_command;
pub mod escape;
pub mod failure;
pub mod output;
pub mod secret_input;
pub mod sync;
pub mod target;
pub mod timing;

/// Name lookups (the sync engine's).
pub use lpconfig_sync::names;

use cli::{Cli, Command, ConfigCmd, EmulatorCmd};
use commands::catalog::Which;
use failure::{CliResult, EXIT_OK};

/// Runs a parsed command line; returns the exit code.
pub async fn run(cli: Cli) -> CliResult<u8> {
    match cli.command {
        Command::Emulator(EmulatorCmd::Serve { port }) => {
            return commands::emulator::serve(port).await.map(|_| EXIT_OK)
        }
        Command::Config(ConfigCmd::Show) => return commands::config::show(&cli.target).map(|_| EXIT_OK),
        Command::Config(ConfigCmd::Init) => return commands::config::init(&cli.target).map(|_| EXIT_OK),
        Command::Config(ConfigCmd::Set { key, value }) => {
            return commands::config::set(&cli.target, &key, value.as_deref()).map(|_| EXIT_OK)
        }
        Command::Completions { shell } => return commands::shell::completions(shell).map(|_| EXIT_OK),
        Command::Manpage => return commands::shell::manpage().map(|_| EXIT_OK),
        _ => {}
    }
    output::set_raw_csv(cli.raw);
    let timing = timing::resolve(&cli.timing, &cli.target)?;
    let session = target::connect_with(target::resolve(&cli.target)?, &timing).await?;
    let result = dispatch(&session, cli.command, cli.output).await;
    session.close().await;
    result
}

async fn dispatch(s: &target::Session, command: Command, format: cli::OutputFormat) -> CliResult<u8> {
    match command {
        Command::Users(c) => commands::users::run(s, c, format).await?,
        Command::Groups(c) => commands::groups::run(s, c, format).await?,
        Command::Skills(c) => commands::catalog::run(s, Which::Skills, c, format).await?,
        Command::Profiles(c) => commands::catalog::run(s, Which::Profiles, c, format).await?,
        Command::Lobs(c) => commands::catalog::run(s, Which::Lobs, c, format).await?,
        Command::Sync(args) => return sync::run(s, &args, format).await,
        Command::Apply(args) => return sync::run_apply(s, &args, format).await,
        Command::Scim(c) => commands::scim::run(s, c).await?,
        Command::Emulator(_) | Command::Config(_) | Command::Completions { .. } | Command::Manpage => {
            unreachable!("handled before connecting")
        }
    }
    Ok(EXIT_OK)
}
