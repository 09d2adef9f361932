//! Read access to the collections users point at: skills, profiles and LOBs
//! (agent-groups-api.md §6).

use crate::api::collection::{Collection, Entity, ListOptions};
use crate::api::gateway::Gateway;
use crate::error::Result;
use crate::revision::{Fetched, Revision, Versioned};

crate::entity! {
    /// A skill (§6.1); fields beyond the shared ones stay in `extra`.
    pub struct Skill {
        /// Server id.
        "id" => id: Option<i64>,
        /// Soft-delete marker.
        "deleted" => deleted: Option<bool>,
        /// Unique name.
        "name" => name: Option<String>,
        /// Free text.
        "description" => description: Option<String>,
        /// Last update.
        "dateUpdated" => date_updated: Option<String>,
        /// Lines of business.
        "lobIds" => lob_ids: Vec<i64>,
    }
}

crate::entity! {
    /// A profile (§6.2): a permission set whose `roleTypeId` gives users their role.
    pub struct Profile {
        /// Server id.
        "id" => id: Option<i64>,
        /// Soft-delete marker.
        "deleted" => deleted: Option<bool>,
        /// Name.
        "name" => name: Option<String>,
        /// Free text.
        "description" => description: Option<String>,
        /// 1 Admin, 2 Agent, 3 Agent Manager, 4 Campaign Manager, 5 LPA.
        "roleTypeId" => role_type_id: Option<i64>,
        /// Display name of the role.
        "roleTypeName" => role_type_name: Option<String>,
        /// Permission ids.
        "permissions" => permissions: Vec<i64>,
        /// Users holding the profile (read only).
        "numOfAssignedUsers" => num_of_assigned_users: Option<i64>,
        /// Last update.
        "dateUpdated" => date_updated: Option<String>,
    }
}

crate::entity! {
    /// A line of business (§6.3).
    pub struct Lob {
        /// Server id.
        "id" => id: Option<i64>,
        /// Soft-delete marker.
        "deleted" => deleted: Option<bool>,
        /// Unique name.
        "name" => name: Option<String>,
        /// Free text.
        "description" => description: Option<String>,
        /// Last update.
        "dateUpdated" => date_updated: Option<String>,
    }
}

crate::named_entity!(Skill, "skills");
crate::named_entity!(Profile, "profiles");
crate::named_entity!(Lob, "lobs");

/// List/get access to a reference collection.
#[derive(Clone, Copy)]
pub struct Catalog<'a, T> {
    coll: Collection<'a, T>,
}

impl<'a, T: Entity> Catalog<'a, T> {
    /// Reads `T` through `gateway`.
    pub fn new(gateway: &'a Gateway) -> Self {
        Self { coll: Collection::new(gateway, 1000) }
    }

    /// All entries.
    pub async fn list(&self, opts: &ListOptions) -> Result<Versioned<Vec<T>>> {
        self.coll.list(opts).await
    }

    /// All entries, or `NotModified`.
    pub async fn list_if_modified(&self, opts: &ListOptions, since: Revision) -> Result<Fetched<Vec<T>>> {
        self.coll.list_if_modified(opts, since).await
    }

    /// One entry.
    pub async fn get(&self, id: i64) -> Result<Versioned<T>> {
        self.coll.get(id, &ListOptions::default()).await
    }

    /// The non-deleted entry with this exact name.
    pub async fn find_by_name(&self, name: &str) -> Result<Option<T>> {
        let all = self.list(&ListOptions::default()).await?;
        Ok(all.value.into_iter().find(|e| !e.is_deleted() && e.natural_key() == Some(name)))
    }
}
