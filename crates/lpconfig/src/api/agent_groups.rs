//! The Agent Groups API (agent-groups-api.md §3-§4) and hierarchy helpers.

use std::collections::BTreeMap;

use crate::api::collection::{Collection, Entity, ListOptions};
use crate::api::gateway::Gateway;
use crate::api::lenient::Nullable;
use crate::api::users::{User, Users};
use crate::error::Result;
use crate::revision::{Fetched, IfMatch, Revision, Versioned};

/// Replays the definition of [`AgentGroup`] into `$m!`, after the tokens given
/// after the macro (the uniffi binding generates its records from it).
#[doc(hidden)]
#[macro_export]
macro_rules! agent_group_entity {
    ($m:path $(, $($pre:tt)*)?) => {
        $m! {
            $($($pre)*)?
            /// An agent group (agent-groups-api.md §4.1).
            ///
            /// ```
            /// use lpconfig::api::agent_groups::AgentGroup;
            /// let g: AgentGroup = serde_json::from_str(r#"{"id":"1231234","deleted":"false","name":"Billing","parentGroupId":"-1","isEnabled":"true"}"#).unwrap();
            /// assert_eq!((g.id, g.parent_group_id.0, g.is_enabled), (Some(1231234), Some(-1), Some(true)));
            /// ```
            pub struct AgentGroup {
                /// Server id; the Main Group is `-1`.
                "id" => id: Option<i64>,
                /// Soft-delete marker (read only).
                "deleted" => deleted: Option<bool>,
                /// Unique name (case-sensitive).
                "name" => name: Option<String>,
                /// Parent group; `None` (null) only for the root.
                "parentGroupId" => parent_group_id: $crate::api::lenient::Nullable,
                /// Enabled flag.
                "isEnabled" => is_enabled: Option<bool>,
                /// Free text.
                "description" => description: Option<String>,
                /// Last update (server-set).
                "dateUpdated" => date_updated: Option<String>,
            }
        }
    };
}

crate::agent_group_entity!(crate::entity);

impl AgentGroup {
    /// A new enabled group under `parent_group_id`.
    pub fn new(name: impl Into<String>, parent_group_id: i64) -> Self {
        Self {
            name: Some(name.into()),
            parent_group_id: Nullable(Some(parent_group_id)),
            is_enabled: Some(true),
            ..Default::default()
        }
    }
}

crate::named_entity!(AgentGroup, "agentGroups");

/// One group of [`AgentGroups::tree`] with its sub-groups, ordered by name.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupNode {
    /// The group.
    pub group: AgentGroup,
    /// Its non-deleted children.
    pub children: Vec<GroupNode>,
}

/// The Agent Groups API of one account.
#[derive(Clone, Copy)]
pub struct AgentGroups<'a> {
    coll: Collection<'a, AgentGroup>,
    users: Users<'a>,
}

impl<'a> AgentGroups<'a> {
    /// The Agent Groups API over `gateway`.
    pub fn new(gateway: &'a Gateway, batch_size: usize) -> Self {
        Self { coll: Collection::new(gateway, batch_size), users: Users::new(gateway, batch_size) }
    }

    /// All groups.
    pub async fn list(&self, opts: &ListOptions) -> Result<Versioned<Vec<AgentGroup>>> {
        self.coll.list(opts).await
    }

    /// All groups, or `NotModified`.
    pub async fn list_if_modified(
        &self,
        opts: &ListOptions,
        since: Revision,
    ) -> Result<Fetched<Vec<AgentGroup>>> {
        self.coll.list_if_modified(opts, since).await
    }

    /// One group.
    pub async fn get(&self, id: i64) -> Result<Versioned<AgentGroup>> {
        self.coll.get(id, &ListOptions::default()).await
    }

    /// One group, or `NotModified`.
    pub async fn get_if_modified(&self, id: i64, since: Revision) -> Result<Fetched<AgentGroup>> {
        self.coll.get_if_modified(id, &ListOptions::default(), since).await
    }

    /// Creates a group.
    pub async fn create(&self, group: &AgentGroup) -> Result<Versioned<AgentGroup>> {
        self.coll.create(group).await
    }

    /// Creates groups (chunked).
    pub async fn create_many(&self, groups: &[AgentGroup]) -> Result<Versioned<Vec<AgentGroup>>> {
        self.coll.create_many(groups).await
    }

    /// Replaces a group.
    pub async fn update(&self, group: &AgentGroup, if_match: IfMatch) -> Result<Versioned<AgentGroup>> {
        self.coll.update(group, if_match).await
    }

    /// Replaces groups (chunked).
    pub async fn update_many(
        &self,
        groups: &[AgentGroup],
        if_match: IfMatch,
    ) -> Result<Versioned<Vec<AgentGroup>>> {
        self.coll.update_many(groups, if_match).await
    }

    /// Soft-deletes a group.
    pub async fn delete(&self, id: i64, if_match: IfMatch) -> Result<Versioned<Option<AgentGroup>>> {
        self.coll.delete(id, if_match).await
    }

    /// Soft-deletes groups (chunked).
    pub async fn delete_many(&self, ids: &[i64], if_match: IfMatch) -> Result<Versioned<Vec<AgentGroup>>> {
        self.coll.delete_many(ids, if_match).await
    }

    /// The hierarchy of non-deleted groups: the roots (normally just the Main
    /// Group) with their descendants. Groups whose parent is missing become roots.
    pub async fn tree(&self) -> Result<Vec<GroupNode>> {
        let groups: Vec<AgentGroup> =
            self.list(&ListOptions::default()).await?.value.into_iter().filter(|g| !g.is_deleted()).collect();
        Ok(build_tree(groups))
    }

    /// The direct, non-deleted sub-groups of `id`.
    pub async fn children(&self, id: i64) -> Result<Vec<AgentGroup>> {
        let all = self.list(&ListOptions::default()).await?;
        Ok(all.value.into_iter().filter(|g| !g.is_deleted() && g.parent_group_id.0 == Some(id)).collect())
    }

    /// Users whose `memberOf` is group `id`.
    pub async fn members(&self, id: i64) -> Result<Vec<User>> {
        self.users.in_group(id).await
    }

    /// Users who manage group `id`.
    pub async fn managers(&self, id: i64) -> Result<Vec<User>> {
        self.users.managing(id).await
    }
}

/// Arranges groups by `parentGroupId`.
pub fn build_tree(groups: Vec<AgentGroup>) -> Vec<GroupNode> {
    let ids: std::collections::HashSet<i64> = groups.iter().filter_map(|g| g.id).collect();
    let mut by_parent: BTreeMap<Option<i64>, Vec<AgentGroup>> = BTreeMap::new();
    for g in groups {
        let parent = g.parent_group_id.0.filter(|p| ids.contains(p) && Some(*p) != g.id);
        by_parent.entry(parent).or_default().push(g);
    }
    fn attach(
        parent: Option<i64>,
        by_parent: &mut BTreeMap<Option<i64>, Vec<AgentGroup>>,
        depth: usize,
    ) -> Vec<GroupNode> {
        let mut kids = by_parent.remove(&parent).unwrap_or_default();
        kids.sort_by(|a, b| a.name.cmp(&b.name));
        kids.into_iter()
            .map(|g| {
                // A cycle in server data must not recurse forever.
                let children = if depth < 64 { attach(g.id, by_parent, depth + 1) } else { Vec::new() };
                GroupNode { group: g, children }
            })
            .collect()
    }
    attach(None, &mut by_parent, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(id: i64, name: &str, parent: Option<i64>) -> AgentGroup {
        AgentGroup {
            id: Some(id),
            name: Some(name.into()),
            parent_group_id: Nullable(parent),
            ..Default::default()
        }
    }

    #[test]
    fn tree_nests_and_sorts() {
        let t = build_tree(vec![
            g(3, "Tech", Some(2)),
            g(-1, "Main Group", None),
            g(2, "Support", Some(-1)),
            g(4, "Billing", Some(2)),
            g(5, "Orphan", Some(99)),
        ]);
        let names: Vec<_> = t.iter().map(|n| n.group.name.clone().unwrap()).collect();
        assert_eq!(names, ["Main Group", "Orphan"]);
        let support = &t[0].children[0];
        assert_eq!(support.group.id, Some(2));
        let kids: Vec<_> = support.children.iter().map(|n| n.group.id.unwrap()).collect();
        assert_eq!(kids, [4, 3]);
    }
}
