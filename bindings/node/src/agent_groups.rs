//! `NativeAgentGroups`: the core's `AgentGroups`, JSON in and out.

use lpconfig::api::agent_groups::{AgentGroup, GroupNode};
use napi_derive::napi;
use serde::Serialize;

use crate::convert::{self, entity, fetched, list_options, out, revision, versioned};
use crate::error::IntoNapi;

/// The Agent Groups API of one client.
#[napi]
pub struct NativeAgentGroups {
    client: lpconfig::Client,
}

impl NativeAgentGroups {
    pub(crate) fn new(client: lpconfig::Client) -> Self {
        Self { client }
    }

    fn api(&self) -> lpconfig::api::agent_groups::AgentGroups<'_> {
        self.client.agent_groups()
    }
}

/// `GroupNode` as `{ group, children }`.
#[derive(Serialize)]
struct NodeOut<'a> {
    group: &'a AgentGroup,
    children: Vec<NodeOut<'a>>,
}

fn node_out(n: &GroupNode) -> NodeOut<'_> {
    NodeOut { group: &n.group, children: n.children.iter().map(node_out).collect() }
}

#[napi]
impl NativeAgentGroups {
    /// All groups.
    #[napi]
    pub async fn list(&self, options: Option<String>) -> napi::Result<String> {
        versioned(&self.api().list(&list_options(options)?).await.napi()?)
    }

    /// All groups, or not modified.
    #[napi]
    pub async fn list_if_modified(&self, since: i64, options: Option<String>) -> napi::Result<String> {
        fetched(&self.api().list_if_modified(&list_options(options)?, revision(since)?).await.napi()?)
    }

    /// One group.
    #[napi]
    pub async fn get(&self, id: i64) -> napi::Result<String> {
        versioned(&self.api().get(id).await.napi()?)
    }

    /// One group, or not modified.
    #[napi]
    pub async fn get_if_modified(&self, id: i64, since: i64) -> napi::Result<String> {
        fetched(&self.api().get_if_modified(id, revision(since)?).await.napi()?)
    }

    /// Creates a group.
    #[napi]
    pub async fn create(&self, group: String) -> napi::Result<String> {
        let group: AgentGroup = entity(&group, "group")?;
        versioned(&self.api().create(&group).await.napi()?)
    }

    /// Creates groups (chunked).
    #[napi]
    pub async fn create_many(&self, groups: String) -> napi::Result<String> {
        let groups: Vec<AgentGroup> = entity(&groups, "groups")?;
        versioned(&self.api().create_many(&groups).await.napi()?)
    }

    /// Replaces a group.
    #[napi]
    pub async fn update(&self, group: String, if_match: i64) -> napi::Result<String> {
        let (group, guard): (AgentGroup, _) = (entity(&group, "group")?, convert::if_match(if_match)?);
        versioned(&self.api().update(&group, guard).await.napi()?)
    }

    /// Replaces groups (chunked).
    #[napi]
    pub async fn update_many(&self, groups: String, if_match: i64) -> napi::Result<String> {
        let (groups, guard): (Vec<AgentGroup>, _) =
            (entity(&groups, "groups")?, convert::if_match(if_match)?);
        versioned(&self.api().update_many(&groups, guard).await.napi()?)
    }

    /// Soft-deletes a group.
    #[napi]
    pub async fn delete(&self, id: i64, if_match: i64) -> napi::Result<String> {
        let guard = convert::if_match(if_match)?;
        versioned(&self.api().delete(id, guard).await.napi()?)
    }

    /// Soft-deletes groups (chunked).
    #[napi]
    pub async fn delete_many(&self, ids: Vec<i64>, if_match: i64) -> napi::Result<String> {
        let guard = convert::if_match(if_match)?;
        versioned(&self.api().delete_many(&ids, guard).await.napi()?)
    }

    /// The hierarchy: `[{ group, children: [...] }]`.
    #[napi]
    pub async fn tree(&self) -> napi::Result<String> {
        let roots = self.api().tree().await.napi()?;
        out(&roots.iter().map(node_out).collect::<Vec<_>>())
    }

    /// Direct sub-groups.
    #[napi]
    pub async fn children(&self, id: i64) -> napi::Result<String> {
        out(&self.api().children(id).await.napi()?)
    }

    /// Users whose `memberOf` is the group.
    #[napi]
    pub async fn members(&self, id: i64) -> napi::Result<String> {
        out(&self.api().members(id).await.napi()?)
    }

    /// Users managing the group.
    #[napi]
    pub async fn managers(&self, id: i64) -> napi::Result<String> {
        out(&self.api().managers(id).await.napi()?)
    }
}
