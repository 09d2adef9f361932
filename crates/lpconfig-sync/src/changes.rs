//! A plan as a flat list of changes, in apply order: what the bindings show as
//! `plan.changes` (the same kinds, names and order as the report's `changes`).

use serde::Serialize;

use crate::plan::{FieldChange, Plan};
use crate::report::ChangeKind;

/// One change of a plan, with its field-level before/after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The login name or group path (as in the report).
    pub name: String,
    /// Where the change comes from (`staff.csv:12`).
    pub at: String,
    /// The fields that change (updates; a move shows its group path).
    pub fields: Vec<FieldChange>,
}

/// Every change of `plan` in the order apply runs them.
///
/// ```
/// let plan = lpconfig_sync::Plan::default();
/// assert!(lpconfig_sync::changes::of(&plan).is_empty());
/// ```
pub fn of(plan: &Plan) -> Vec<Change> {
    let mut moves = plan.group_moves.iter();
    let mut updates = plan.user_updates.iter();
    crate::apply::all_changes(plan)
        .into_iter()
        .map(|c| {
            let fields = match c.kind {
                ChangeKind::MoveGroup => moves
                    .next()
                    .map(|m| {
                        vec![FieldChange {
                            field: "path".into(),
                            before: m.from_path.clone(),
                            after: m.to_path.clone(),
                        }]
                    })
                    .unwrap_or_default(),
                ChangeKind::UpdateUser | ChangeKind::DisableUser => {
                    updates.next().map(|u| u.changes.clone()).unwrap_or_default()
                }
                _ => Vec::new(),
            };
            Change { kind: c.kind, name: c.name, at: c.at, fields }
        })
        .collect()
}
