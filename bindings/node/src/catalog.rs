//! `NativeCatalog`: skills, profiles and LOBs, read and written.

use lpconfig::api::catalog::{Catalog, Lob, Profile, Skill};
use lpconfig::api::Entity;
use lpconfig::{IfMatch, ListOptions, Revision};
use napi_derive::napi;

use crate::convert::{self, entity, fetched, list_options, out, revision, versioned};
use crate::error::{config, IntoNapi};

/// Which reference collection.
#[derive(Clone, Copy)]
pub enum CatalogKind {
    Skills,
    Profiles,
    Lobs,
}

impl CatalogKind {
    pub(crate) fn parse(kind: &str) -> napi::Result<Self> {
        match kind {
            "skills" => Ok(Self::Skills),
            "profiles" => Ok(Self::Profiles),
            "lobs" => Ok(Self::Lobs),
            other => Err(config("kind", format!("{other:?} is not skills, profiles or lobs"))),
        }
    }
}

/// Skills, profiles or LOBs of one client.
#[napi]
pub struct NativeCatalog {
    client: lpconfig::Client,
    kind: CatalogKind,
}

/// One operation, whatever the entity type.
enum Op {
    List(ListOptions),
    ListIfModified(ListOptions, Revision),
    Get(i64),
    FindByName(String),
    // Entities travel as JSON text and are decoded once the type is known.
    Create(String),
    CreateMany(String),
    Update(String, IfMatch),
    UpdateMany(String, IfMatch),
    Delete(i64, IfMatch),
    DeleteMany(Vec<i64>, IfMatch),
}

async fn run<T: Entity>(c: Catalog<'_, T>, op: Op) -> napi::Result<String> {
    match op {
        Op::List(o) => versioned(&c.list(&o).await.napi()?),
        Op::ListIfModified(o, since) => fetched(&c.list_if_modified(&o, since).await.napi()?),
        Op::Get(id) => versioned(&c.get(id).await.napi()?),
        Op::FindByName(name) => out(&c.find_by_name(&name).await.napi()?),
        Op::Create(j) => versioned(&c.create(&entity::<T>(&j, "entry")?).await.napi()?),
        Op::CreateMany(j) => versioned(&c.create_many(&entity::<Vec<T>>(&j, "entries")?).await.napi()?),
        Op::Update(j, m) => versioned(&c.update(&entity::<T>(&j, "entry")?, m).await.napi()?),
        Op::UpdateMany(j, m) => versioned(&c.update_many(&entity::<Vec<T>>(&j, "entries")?, m).await.napi()?),
        Op::Delete(id, m) => versioned(&c.delete(id, m).await.napi()?),
        Op::DeleteMany(ids, m) => versioned(&c.delete_many(&ids, m).await.napi()?),
    }
}

impl NativeCatalog {
    pub(crate) fn new(client: lpconfig::Client, kind: CatalogKind) -> Self {
        Self { client, kind }
    }

    async fn run(&self, op: Op) -> napi::Result<String> {
        match self.kind {
            CatalogKind::Skills => run::<Skill>(self.client.skills(), op).await,
            CatalogKind::Profiles => run::<Profile>(self.client.profiles(), op).await,
            CatalogKind::Lobs => run::<Lob>(self.client.lobs(), op).await,
        }
    }
}

#[napi]
impl NativeCatalog {
    /// All entries.
    #[napi]
    pub async fn list(&self, options: Option<String>) -> napi::Result<String> {
        self.run(Op::List(list_options(options)?)).await
    }

    /// All entries, or not modified.
    #[napi]
    pub async fn list_if_modified(&self, since: i64, options: Option<String>) -> napi::Result<String> {
        self.run(Op::ListIfModified(list_options(options)?, revision(since)?)).await
    }

    /// One entry.
    #[napi]
    pub async fn get(&self, id: i64) -> napi::Result<String> {
        self.run(Op::Get(id)).await
    }

    /// The non-deleted entry with this exact name, or `null`.
    #[napi]
    pub async fn find_by_name(&self, name: String) -> napi::Result<String> {
        self.run(Op::FindByName(name)).await
    }

    /// Creates an entry (JSON object).
    #[napi]
    pub async fn create(&self, entry: String) -> napi::Result<String> {
        self.run(Op::Create(entry)).await
    }

    /// Creates entries (JSON array; chunked, each chunk atomic).
    #[napi]
    pub async fn create_many(&self, entries: String) -> napi::Result<String> {
        self.run(Op::CreateMany(entries)).await
    }

    /// Replaces an entry under `if_match` (-1: any revision).
    #[napi]
    pub async fn update(&self, entry: String, if_match: i64) -> napi::Result<String> {
        let guard = convert::if_match(if_match)?;
        self.run(Op::Update(entry, guard)).await
    }

    /// Replaces entries.
    #[napi]
    pub async fn update_many(&self, entries: String, if_match: i64) -> napi::Result<String> {
        let guard = convert::if_match(if_match)?;
        self.run(Op::UpdateMany(entries, guard)).await
    }

    /// Soft-deletes an entry.
    #[napi]
    pub async fn delete(&self, id: i64, if_match: i64) -> napi::Result<String> {
        let guard = convert::if_match(if_match)?;
        self.run(Op::Delete(id, guard)).await
    }

    /// Soft-deletes entries.
    #[napi]
    pub async fn delete_many(&self, ids: Vec<i64>, if_match: i64) -> napi::Result<String> {
        let guard = convert::if_match(if_match)?;
        self.run(Op::DeleteMany(ids, guard)).await
    }
}
