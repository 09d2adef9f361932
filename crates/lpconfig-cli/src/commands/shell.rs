//! `completions SHELL` and the hidden `manpage`: both generated from the clap definition
//! ([`crate::cli::Cli`]), so they cannot drift from the real arguments. The release archive
//! ships their output (`docs/packaging/cli.md`).

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::failure::CliResult;

/// Writes the completion script of `shell` to stdout.
pub fn completions(shell: clap_complete::Shell) -> CliResult<()> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "lpconfig", &mut out);
    write_stdout(&out)
}

/// Writes the man page `lpconfig(1)` (roff) to stdout.
pub fn manpage() -> CliResult<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> CliResult<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(())
}
