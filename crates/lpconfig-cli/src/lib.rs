//! The `lpconfig` command: users, agent groups and staff-file sync for a
//! LivePerson account, with a built-in sandbox when no account is configured.
//!
//! Everything that talks to the API goes through the core ([`lpconfig::Client`]);
//! this crate holds the command line, output formatting and `sync`'s plan logic.

pub mod cli;
pub mod commands;
pub mod config_file;
pub mod failure;
pub mod names;
pub mod output;
pub mod sync;
pub mod target;
pub mod timing;

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
        _ => {}
    }
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
        Command::Sync(args) => return sync::run(s, &args).await,
        Command::Emulator(_) | Command::Config(_) => unreachable!("handled before connecting"),
    }
    Ok(EXIT_OK)
}
