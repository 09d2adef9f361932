//! Confirmation before destructive commands (`users delete`, `groups delete`,
//! `sync --prune=delete --apply`): asked on a terminal, `--yes` otherwise.

use std::io::{BufRead, IsTerminal, Write};

use crate::escape;
use crate::failure::{CliResult, Failure};

/// Returns when the user agreed to `question` (or gave `--yes`); fails without
/// asking when stdin is not a terminal, so scripts must say `--yes`.
pub fn confirm(question: &str, yes: bool) -> CliResult {
    if yes {
        return Ok(());
    }
    let question = escape::controls(question);
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "{question} Not confirmed: stdin is not a terminal, so nothing was changed; add --yes"
        )));
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question} [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(Failure::usage("not confirmed; nothing was changed"))
    }
}

/// `a, b, c` or `a, b, c and 7 more`.
pub fn list(names: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = names.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}
