//! The collections users point at: skills, profiles and LOBs, read and written
//! through the same collection client as users and groups (docs/catalogs.md).

use crate::api::collection::{Collection, Entity, ListOptions};
use crate::api::gateway::Gateway;
use crate::error::Result;
use crate::revision::{Fetched, IfMatch, Revision, Versioned};

/// Replays the definition of [`Skill`] into `$m!`, after the tokens given
/// after the macro (the uniffi binding generates its records from it).
#[doc(hidden)]
#[macro_export]
macro_rules! skill_entity {
    ($m:path $(, $($pre:tt)*)?) => {
        $m! {
            $($($pre)*)?
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
    };
}

crate::skill_entity!(crate::entity);

/// Replays the definition of [`Profile`] into `$m!`, after the tokens given
/// after the macro (the uniffi binding generates its records from it).
#[doc(hidden)]
#[macro_export]
macro_rules! profile_entity {
    ($m:path $(, $($pre:tt)*)?) => {
        $m! {
            $($($pre)*)?
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
    };
}

crate::profile_entity!(crate::entity);

/// Replays the definition of [`Lob`] into `$m!`, after the tokens given
/// after the macro (the uniffi binding generates its records from it).
#[doc(hidden)]
#[macro_export]
macro_rules! lob_entity {
    ($m:path $(, $($pre:tt)*)?) => {
        $m! {
            $($($pre)*)?
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
    };
}

crate::lob_entity!(crate::entity);

impl Skill {
    /// A new skill with this name (the server sets `maxWaitTime` 120, `canTransfer` true).
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: Some(name.into()), ..Default::default() }
    }
}

impl Profile {
    /// A new profile with this name and role (`1` Admin .. `5` LPA).
    pub fn new(name: impl Into<String>, role_type_id: i64) -> Self {
        Self { name: Some(name.into()), role_type_id: Some(role_type_id), ..Default::default() }
    }
}

impl Lob {
    /// A new line of business with this name.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: Some(name.into()), ..Default::default() }
    }
}

crate::named_entity!(Skill, "skills");
crate::named_entity!(Profile, "profiles");
crate::named_entity!(Lob, "lobs");

/// Read and write access to a reference collection (skills, profiles, LOBs).
///
/// ```
/// # #[tokio::main] async fn main() -> lpconfig::Result<()> {
/// use lpconfig::api::catalog::Skill;
/// use lpconfig::{Client, Credentials, IfMatch};
/// let emu = lpconfig_emulator::Emulator::builder().demo().start().await.unwrap();
/// let client = Client::builder()
///     .account("demo")
///     .credentials(Credentials::password("admin", "demo-password-1"))
///     .csds_url(emu.base_url())
///     .build()?;
/// let created = client.skills().create(&Skill::new("Returns")).await?;
/// let mut skill = created.value;
/// skill.description = Some("Refunds and returns".into());
/// let updated = client.skills().update(&skill, IfMatch::Revision(created.revision.unwrap())).await?;
/// client.skills().delete(skill.id.unwrap(), IfMatch::Revision(updated.revision.unwrap())).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy)]
pub struct Catalog<'a, T> {
    coll: Collection<'a, T>,
}

impl<'a, T: Entity> Catalog<'a, T> {
    /// Reads and writes `T` through `gateway`, batches in chunks of 1,000.
    pub fn new(gateway: &'a Gateway) -> Self {
        Self::with_batch_size(gateway, 1000)
    }

    /// Like [`Catalog::new`], with `batch_size` items per batch request.
    pub fn with_batch_size(gateway: &'a Gateway, batch_size: usize) -> Self {
        Self { coll: Collection::new(gateway, batch_size) }
    }

    /// The underlying collection client.
    pub fn collection(&self) -> Collection<'a, T> {
        self.coll
    }

    /// Creates one entry (never re-sent blindly after an unknown outcome).
    pub async fn create(&self, item: &T) -> Result<Versioned<T>> {
        self.coll.create(item).await
    }

    /// Creates entries (chunked; each chunk is atomic on the server).
    pub async fn create_many(&self, items: &[T]) -> Result<Versioned<Vec<T>>> {
        self.coll.create_many(items).await
    }

    /// Replaces one entry (full replacement), guarded by `if_match`.
    pub async fn update(&self, item: &T, if_match: IfMatch) -> Result<Versioned<T>> {
        self.coll.update(item, if_match).await
    }

    /// Replaces entries (chunked).
    pub async fn update_many(&self, items: &[T], if_match: IfMatch) -> Result<Versioned<Vec<T>>> {
        self.coll.update_many(items, if_match).await
    }

    /// Soft-deletes one entry; returns its tombstone.
    pub async fn delete(&self, id: i64, if_match: IfMatch) -> Result<Versioned<Option<T>>> {
        self.coll.delete(id, if_match).await
    }

    /// Soft-deletes entries (chunked).
    pub async fn delete_many(&self, ids: &[i64], if_match: IfMatch) -> Result<Versioned<Vec<T>>> {
        self.coll.delete_many(ids, if_match).await
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
