//! `AgentGroup` and the `GroupNode` tree.

use lpconfig::api::agent_groups as core;
use lpconfig::api::lenient::Nullable;

use super::{extra_from_json, extra_to_json};
use crate::error::LpError;

/// An agent group.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AgentGroup {
    /// Server-assigned id (`-1` is the Main Group).
    #[uniffi(default)]
    pub id: Option<i64>,
    /// Soft-deleted (only seen with `include_deleted`).
    #[uniffi(default)]
    pub deleted: Option<bool>,
    /// Name, unique among non-deleted groups.
    #[uniffi(default)]
    pub name: Option<String>,
    /// Parent group id; `None` only for the root, sent as `null`.
    #[uniffi(default)]
    pub parent_group_id: Option<i64>,
    /// Whether the group is enabled.
    #[uniffi(default)]
    pub is_enabled: Option<bool>,
    /// Free text.
    #[uniffi(default)]
    pub description: Option<String>,
    /// When the group was last updated.
    #[uniffi(default)]
    pub date_updated: Option<String>,
    /// Fields this version does not know, as a JSON object; sent back unchanged.
    #[uniffi(default = "{}")]
    pub extra_json: String,
}

impl From<&core::AgentGroup> for AgentGroup {
    fn from(c: &core::AgentGroup) -> Self {
        Self {
            id: c.id,
            deleted: c.deleted,
            name: c.name.clone(),
            parent_group_id: c.parent_group_id.0,
            is_enabled: c.is_enabled,
            description: c.description.clone(),
            date_updated: c.date_updated.clone(),
            extra_json: extra_to_json(&c.extra),
        }
    }
}

impl AgentGroup {
    /// The core entity; fails only on a bad `extra_json`.
    pub(crate) fn to_core(&self) -> Result<core::AgentGroup, LpError> {
        let mut c = core::AgentGroup::default();
        c.id = self.id;
        c.deleted = self.deleted;
        c.name = self.name.clone();
        c.parent_group_id = Nullable(self.parent_group_id);
        c.is_enabled = self.is_enabled;
        c.description = self.description.clone();
        c.date_updated = self.date_updated.clone();
        c.extra = extra_from_json(&self.extra_json)?;
        Ok(c)
    }
}

/// A group with its sub-groups, as returned by `AgentGroups.tree()`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GroupNode {
    /// The group.
    pub group: AgentGroup,
    /// Its direct sub-groups, sorted by name.
    pub children: Vec<GroupNode>,
}

impl From<&core::GroupNode> for GroupNode {
    fn from(c: &core::GroupNode) -> Self {
        Self { group: AgentGroup::from(&c.group), children: c.children.iter().map(GroupNode::from).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record mirrors the core's entity by hand (uniffi cannot derive its
    /// records from the core's types without a core feature), so its fields are
    /// checked against the core's `WIRE_FIELDS`: a new core field fails here.
    #[test]
    fn record_fields_are_the_core_fields() {
        let record = AgentGroup::from(&core::AgentGroup::new("a", -1));
        crate::entities::assert_record_fields(&format!("{record:#?}"), &[], core::AgentGroup::WIRE_FIELDS);
    }

    #[test]
    fn round_trips_with_null_parent_and_unknown_fields() {
        let json = serde_json::json!({
            "id": 2, "deleted": false, "name": "Support", "parentGroupId": null,
            "isEnabled": true, "description": "d", "dateUpdated": "u", "x-new": 1
        });
        let c: core::AgentGroup = serde_json::from_value(json.clone()).unwrap();
        let r = AgentGroup::from(&c);
        assert_eq!(r.parent_group_id, None);
        assert_eq!(serde_json::to_value(r.to_core().unwrap()).unwrap(), json);
    }

    #[test]
    fn tree_converts_recursively() {
        let mut root = core::AgentGroup::new("Main Group", 0);
        root.id = Some(-1);
        let kid = core::AgentGroup::new("Kid", -1);
        let node =
            core::GroupNode { group: root, children: vec![core::GroupNode { group: kid, children: vec![] }] };
        let r = GroupNode::from(&node);
        assert_eq!(r.children[0].group.name.as_deref(), Some("Kid"));
        assert_eq!(r.children[0].group.parent_group_id, Some(-1));
    }
}
