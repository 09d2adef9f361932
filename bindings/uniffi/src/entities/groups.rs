//! `AgentGroup`, generated from the core's definition
//! (`lpconfig::agent_group_entity!`), and the `GroupNode` tree.

use lpconfig::api::agent_groups as core;

use super::record;

lpconfig::agent_group_entity!(
    record,
    [core::AgentGroup]
    [Debug, Clone, PartialEq, Eq]
    [
        /// An agent group.
    ]
);

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

    /// The generated record has the core's fields (guards the replay).
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
