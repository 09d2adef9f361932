//! Making server and file data safe to print (docs/cli-security.md, "Output").
//!
//! A nickname holding `ESC [ 2 J` would clear the screen of whoever lists the
//! users, and one holding OSC 8 or a bidi override could disguise what is
//! shown; a CSV cell starting with `=` is run as a formula by spreadsheets.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character (C0, DEL, C1) and every bidi control
/// shown as an escape (`\e`, `\n`, `\t`, `\r`, `\x7f`, `\u{202e}`), so that the
/// terminal prints it instead of obeying it. Borrowed when nothing changes.
///
/// ```
/// use lpconfig_cli::escape::controls;
/// assert_eq!(controls("Jane\u{1b}[2J"), "Jane\\e[2J");
/// assert_eq!(controls("plain é"), "plain é");
/// ```
pub fn controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && needs_escape(c) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A CSV cell that a spreadsheet would run as a formula (it starts with `=`,
/// `+`, `-`, `@`, tab or CR) gets a leading `'`, per OWASP's CSV-injection
/// advice; plain numbers such as `-1` are left alone.
///
/// ```
/// use lpconfig_cli::escape::csv_cell;
/// assert_eq!(csv_cell("=1+1"), "'=1+1");
/// assert_eq!(csv_cell("-1"), "-1");
/// assert_eq!(csv_cell("jane"), "jane");
/// ```
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().map(f64::is_finite) != Ok(true) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Whether to colour a stream: only a terminal, and never under `NO_COLOR`.
pub fn colour(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(controls("a\u{1b}]8;;http://x\u{7}b"), "a\\e]8;;http://x\\x07b");
        assert_eq!(controls("a\nb\tc\r"), "a\\nb\\tc\\r");
        assert_eq!(controls("x\u{7f}\u{9b}y"), "x\\x7f\\u{9b}y");
        assert_eq!(controls("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert!(matches!(controls("Support/Billing"), Cow::Borrowed(_)));
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for (i, o) in [("=1+1", "'=1+1"), ("@x", "'@x"), ("+x", "'+x"), ("-x", "'-x"), ("\tx", "'\tx")] {
            assert_eq!(csv_cell(i), o);
        }
        for keep in ["-1", "+3", "-2.5", "x=1", "", "a@b.c"] {
            assert_eq!(csv_cell(keep), keep);
        }
        assert_eq!(csv_cell("-inf"), "'-inf", "not a finite number");
    }
}
