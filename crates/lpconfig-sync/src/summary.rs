//! A plan's counts, and its one-line text.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::plan::Plan;

/// How many changes of each kind a plan holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
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
        Self {
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
        self.groups_to_create
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
        write!(
            f,
            "Plan: {} to create, {} to move{updates}; {} to create, {} to update, {} to disable, {} to delete; {} unchanged.",
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
