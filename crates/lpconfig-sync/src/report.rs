//! What an apply did.

use lpconfig::Secret;
use serde::Serialize;

use crate::plan::Plan;

/// Counts of what was applied.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Applied {
    /// Skills created (`create_missing_catalog_entries`).
    pub skills_created: usize,
    /// Lines of business created (`create_missing_catalog_entries`).
    pub lobs_created: usize,
    /// Groups created.
    pub groups_created: usize,
    /// Groups moved.
    pub groups_moved: usize,
    /// Groups renamed or otherwise changed by the groups section.
    pub groups_updated: usize,
    /// Users created.
    pub users_created: usize,
    /// Users updated (not counting disables).
    pub users_updated: usize,
    /// Users disabled by prune.
    pub users_disabled: usize,
    /// Users deleted by prune.
    pub users_deleted: usize,
    /// Login name and initial password of each created user. Never serialized.
    #[serde(skip)]
    pub passwords: Vec<(String, Secret)>,
}

impl Applied {
    /// Counts one applied change of `kind`.
    pub(crate) fn count(&mut self, kind: ChangeKind) {
        let n = match kind {
            ChangeKind::CreateSkill => &mut self.skills_created,
            ChangeKind::CreateLob => &mut self.lobs_created,
            ChangeKind::CreateGroup => &mut self.groups_created,
            ChangeKind::MoveGroup => &mut self.groups_moved,
            ChangeKind::UpdateGroup => &mut self.groups_updated,
            ChangeKind::CreateUser => &mut self.users_created,
            ChangeKind::UpdateUser => &mut self.users_updated,
            ChangeKind::DisableUser => &mut self.users_disabled,
            ChangeKind::DeleteUser => &mut self.users_deleted,
        };
        *n += 1;
    }
}

/// The kind of one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A skill created (`create_missing_catalog_entries`).
    CreateSkill,
    /// A line of business created (`create_missing_catalog_entries`).
    CreateLob,
    /// An agent group created.
    CreateGroup,
    /// An agent group moved.
    MoveGroup,
    /// An agent group changed by the groups section.
    UpdateGroup,
    /// A user created.
    CreateUser,
    /// A user updated.
    UpdateUser,
    /// A user disabled (prune).
    DisableUser,
    /// A user deleted (prune).
    DeleteUser,
}

/// Whether one change was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The server accepted it.
    Applied,
    /// Known not applied: not sent, refused by the server, or seen absent when the
    /// account was re-read after a lost answer.
    NotApplied,
    /// The answer was lost and re-reading failed: the account may or may not hold it.
    Unknown,
}

/// One change and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeResult {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The login name or group path.
    pub name: String,
    /// Where the change comes from (`staff.csv:12`).
    pub at: String,
    /// Applied, not applied, or unknown.
    pub status: Status,
    /// Applied, learnt by re-reading after the answer was lost (reported for failed batches).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub confirmed_after_loss: bool,
}

impl ChangeResult {
    pub(crate) fn new(kind: ChangeKind, name: &str, at: &str) -> Self {
        Self {
            kind,
            name: name.to_owned(),
            at: at.to_owned(),
            status: Status::NotApplied,
            confirmed_after_loss: false,
        }
    }
}

/// How an apply ended.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Everything was applied.
    Done,
    /// Cancelled: stopped after the current batch.
    Cancelled {
        /// Changes not applied.
        not_applied: usize,
    },
    /// A batch failed; nothing after it was tried. Its changes are each applied,
    /// not applied or unknown (see `changes`, and `applied` / `unknown` here).
    Failed {
        /// The step and batch (`users: create batch 2/5`).
        step: String,
        /// The error's message.
        message: String,
        /// What to do about it, when known.
        hint: Option<String>,
        /// The changes of the failed batch (`staff.csv:12 jane.doe`).
        rows: Vec<String>,
        /// Those of `rows` the account holds (the answer was lost, a re-read confirmed them).
        applied: Vec<String>,
        /// Those of `rows` whose outcome is unknown: may or may not be applied.
        unknown: Vec<String>,
        /// Changes the error message names, when it names any.
        suspects: Vec<String>,
        /// The error itself.
        #[serde(skip)]
        error: Option<lpconfig::Error>,
    },
}

/// What an apply did: counts, every change with its status, how it ended, and (after
/// [`crate::apply_and_verify`]) whether a new plan came out empty.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Counts of what was applied.
    pub applied: Applied,
    /// Every change of the plan, applied or not, in apply order.
    pub changes: Vec<ChangeResult>,
    /// How it ended.
    pub outcome: Outcome,
    /// `Some(true)` when a new plan after the apply found nothing left to do.
    pub verified: Option<bool>,
    /// The new plan when it was not empty (the server adjusted some values).
    pub leftover: Option<Plan>,
}

impl Report {
    /// Changes the server accepted.
    pub fn applied_changes(&self) -> impl Iterator<Item = &ChangeResult> {
        self.changes.iter().filter(|c| c.status == Status::Applied)
    }

    /// The report as JSON (passwords never included).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub(crate) fn set_verification(&mut self, after: Plan) {
        self.verified = Some(after.is_empty());
        self.leftover = (!after.is_empty()).then_some(after);
    }
}
