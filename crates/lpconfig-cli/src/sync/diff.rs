//! Printing a plan like a diff: `+` create, `~` change, `-` disable/delete.

use std::fmt::Write;

use lpconfig_sync::plan::CatalogKind;
use lpconfig_sync::Plan;
// Names, e-mails and values come from the server or the file: escape control characters.
use crate::escape::controls as esc;

/// ANSI colours, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    on: bool,
}

impl Style {
    /// Colours when `on`.
    pub fn new(on: bool) -> Self {
        Self { on }
    }
    fn paint(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn add(self, t: &str) -> String {
        self.paint("32", t)
    }
    fn change(self, t: &str) -> String {
        self.paint("33", t)
    }
    fn remove(self, t: &str) -> String {
        self.paint("31", t)
    }
    fn dim(self, t: &str) -> String {
        self.paint("2", t)
    }
}

/// One line: `Plan: 2 groups to create, ...; 40 unchanged.`
pub fn summary(plan: &Plan) -> String {
    plan.summary.to_string()
}

/// The whole plan, ready to print.
pub fn render(plan: &Plan, style: Style) -> String {
    let mut out = String::new();
    let at = |at: &str| style.dim(&format!("({at})"));
    if !plan.catalog_creates.is_empty() {
        out.push_str("Skills and lines of business:\n");
        for c in &plan.catalog_creates {
            let kind = match c.kind {
                CatalogKind::Skill => "skill",
                CatalogKind::Lob => "line of business",
            };
            let _ = writeln!(out, "  {} {kind} {}  {}", style.add("+"), esc(&c.name), at(&c.at));
        }
    }
    if !plan.group_creates.is_empty() || !plan.group_moves.is_empty() || !plan.group_updates.is_empty() {
        out.push_str("Agent groups:\n");
        for c in &plan.group_creates {
            let _ = writeln!(out, "  {} {}  {}", style.add("+"), esc(&c.path), at(&c.at));
        }
        for u in &plan.group_updates {
            let _ = writeln!(out, "  {} {}  {}", style.change("~"), u.from_path, at(&u.at));
            for ch in &u.changes {
                let _ = writeln!(out, "      {}: {} → {}", ch.field, ch.before, ch.after);
            }
        }
        for m in &plan.group_moves {
            let _ = writeln!(
                out,
                "  {} {}  moves to {}  {}",
                style.change("~"),
                esc(&m.from_path),
                esc(&m.to_path),
                at(&m.at)
            );
        }
    }
    if !plan.user_creates.is_empty() || !plan.user_updates.is_empty() || !plan.user_deletes.is_empty() {
        out.push_str("Users:\n");
    }
    for c in &plan.user_creates {
        let u = &c.user;
        let group = c.group_path.clone().unwrap_or_default();
        let _ = write!(
            out,
            "  {} {}  {} <{}>",
            style.add("+"),
            esc(u.login_name.as_deref().unwrap_or_default()),
            esc(u.full_name.as_deref().unwrap_or_default()),
            esc(u.email.as_deref().unwrap_or_default())
        );
        if !group.is_empty() {
            let _ = write!(out, "  group {}", esc(&group));
        }
        let _ = writeln!(out, "  {}", at(&c.at));
    }
    for u in &plan.user_updates {
        match u.row {
            Some(_) => {
                let _ = writeln!(out, "  {} {}  {}", style.change("~"), esc(&u.login), at(&u.at));
                for ch in &u.changes {
                    let _ = writeln!(out, "      {}: {} → {}", ch.field, esc(&ch.before), esc(&ch.after));
                }
            }
            None => {
                let _ = writeln!(out, "  {} {}  disable (not in the file)", style.remove("-"), esc(&u.login));
            }
        }
    }
    for d in &plan.user_deletes {
        let _ = writeln!(out, "  {} {}  delete (not in the file)", style.remove("-"), esc(&d.login));
    }
    for w in &plan.warnings {
        let _ = writeln!(out, "note: {}", esc(w));
    }
    out.push_str(&summary(plan));
    out.push('\n');
    out
}
