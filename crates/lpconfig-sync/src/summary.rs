//! A plan's counts, and its one-line text.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::plan::{CatalogKind, Plan};

/// How many changes of each kind a plan holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Skills to create (`create_missing_catalog_entries`).
    #[serde(default)]
    pub skills_to_create: usize,
    /// Lines of business to create (`create_missing_catalog_entries`).
    #[serde(default)]
    pub lobs_to_create: usize,
    /// Agent groups to create.
    pub groups_to_create: usize,
    /// Agent groups to move (new parent, from user rows' paths).
    pub groups_to_move: usize,
    /// Agent groups the groups section renames, re-parents or otherwise changes.
    #[serde(default)]
    pub groups_to_update: usize,
    /// Users to create.
    pub users_to_create: usize,
    /// Users to update (not counting disables).
    pub users_to_update: usize,
    /// Users to disable (prune).
    pub users_to_disable: usize,
    /// Users to delete (prune).
    pub users_to_delete: usize,
    /// Rows that need nothing.
    pub unchanged: usize,
}

impl Summary {
    /// Counts a plan's changes.
    pub fn of(plan: &Plan) -> Self {
        let disables = plan.disables();
        let catalog = |kind| plan.catalog_creates.iter().filter(|c| c.kind == kind).count();
        Self {
            skills_to_create: catalog(CatalogKind::Skill),
            lobs_to_create: catalog(CatalogKind::Lob),
            groups_to_create: plan.group_creates.len(),
            groups_to_move: plan.group_moves.len(),
            groups_to_update: plan.group_updates.len(),
            users_to_create: plan.user_creates.len(),
            users_to_update: plan.user_updates.len() - disables,
            users_to_disable: disables,
            users_to_delete: plan.user_deletes.len(),
            unchanged: plan.unchanged,
        }
    }

    /// The number of changes.
    pub fn changes(&self) -> usize {
        self.skills_to_create
            + self.lobs_to_create
            + self.groups_to_create
            + self.groups_to_move
            + self.groups_to_update
            + self.users_to_create
            + self.users_to_update
            + self.users_to_disable
            + self.users_to_delete
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `Plan: 2 groups to create, 0 to move; ...; 40 unchanged.` or `No changes: ...`.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes() == 0 {
            return write!(
                f,
                "No changes: the account matches the file ({} users unchanged).",
                self.unchanged
            );
        }
        let updates = if self.groups_to_update > 0 {
            format!(", {} to update", self.groups_to_update)
        } else {
            String::new()
        };
        let catalog = if self.skills_to_create + self.lobs_to_create > 0 {
            format!(
                "{} and {} to create; ",
                plural(self.skills_to_create, "skill", "skills"),
                plural(self.lobs_to_create, "line of business", "lines of business")
            )
        } else {
            String::new()
        };
        write!(
            f,
            "Plan: {catalog}{} to create, {} to move{updates}; {} to create, {} to update, {} to disable, {} to delete; {} unchanged.",
            plural(self.groups_to_create, "group", "groups"),
            self.groups_to_move,
            plural(self.users_to_create, "user", "users"),
            self.users_to_update,
            self.users_to_disable,
            self.users_to_delete,
            self.unchanged
        )
    }
}
