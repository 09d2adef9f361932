//! Query delta, the legacy change feed of `le-users` (docs/query-delta.md,
//! decision D18): what changed since a revision (type 0), every change in a
//! revision range (type 1), and the users snapshot with its revision (type 2).
//!
//! Only reachable through [`crate::Client::legacy`], after opting in with
//! [`crate::ClientBuilder::legacy`]: the endpoint is missing from LivePerson's
//! current documentation.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize as _;
use serde_json::Value;

use crate::api::collection::Entity;
use crate::api::gateway::{ApiRequest, Gateway};
use crate::api::users::User;
use crate::error::{Error, ErrorDetails, ErrorKind, Result};
use crate::revision::Revision;
use crate::transport::Incoming;

/// Entities with the revision they were read at.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta<T> {
    /// The collection's current revision (type 0) or the snapshot's (type 2).
    pub revision: Option<Revision>,
    /// Changed entities (type 0, tombstones included, latest state) or live ones (type 2).
    pub items: Vec<T>,
}

/// The entities one revision changed (type 1).
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionChanges<T> {
    /// The revision.
    pub revision: Revision,
    /// `revisionDate` as the server wrote it (formats vary between pages).
    pub revision_date: Option<String>,
    /// The entities as that revision left them.
    pub items: Vec<T>,
}

/// The query-delta calls of one account.
///
/// ```
/// # #[tokio::main] async fn main() -> lpconfig::Result<()> {
/// use lpconfig::api::users::User;
/// use lpconfig::{Client, Credentials, Revision};
/// let emu = lpconfig_emulator::Emulator::builder().demo().start().await.unwrap();
/// let client = Client::builder()
///     .account("demo")
///     .credentials(Credentials::password("admin", "demo-password-1"))
///     .csds_url(emu.base_url())
///     .legacy(true)
///     .build()?;
/// let snapshot = client.legacy()?.users_snapshot().await?;       // type 2: the revision first
/// let changed = client.legacy()?.delta::<User>(snapshot.revision.unwrap()).await?; // type 0
/// assert!(changed.items.is_empty());
/// # Ok(()) }
/// ```
pub struct Legacy<'a> {
    gateway: &'a Gateway,
}

impl<'a> Legacy<'a> {
    /// Query delta over `gateway`.
    pub fn new(gateway: &'a Gateway) -> Self {
        Self { gateway }
    }

    async fn query(&self, path: &str, body: Value) -> Result<(Value, Incoming)> {
        let mut req = ApiRequest::new(Method::POST, format!("{path}/query")).json(&body)?;
        // A query changes nothing, so it may be retried like a read.
        req.idempotent = true;
        let resp = self.gateway.send_unscoped(req).await?;
        let value = serde_json::from_slice(&resp.body)
            .map_err(|e| decode(&resp, format!("query delta reply is not JSON: {e}")))?;
        Ok((value, resp))
    }

    /// Type 0: the entities of `T` changed after `since` (once each, latest
    /// state, tombstones included) and the collection's current revision.
    pub async fn delta<T: Entity>(&self, since: Revision) -> Result<Delta<T>> {
        let site = self.gateway.account();
        let body = serde_json::json!({ "type": 0, "parameters": [{ "site": site, "revision": since.0 }] });
        let (v, resp) = self.query(T::PATH, body).await?;
        let accounts =
            v.pointer("/appDataList/0/accountList/accountList").and_then(Value::as_array).ok_or_else(
                || decode(&resp, "type 0 reply has no appDataList[0].accountList.accountList".into()),
            )?;
        let Some(mine) = accounts.iter().find(|a| site_of(a) == Some(site)) else {
            return Ok(Delta { revision: None, items: Vec::new() });
        };
        let collection = mine.get("itemsCollection").unwrap_or(&Value::Null);
        Ok(Delta {
            revision: collection.get("revision").and_then(revision_of),
            items: items(&resp, collection.get("items"))?,
        })
    }

    /// Type 1: every revision in `from` (exclusive) ..= `to` that changed `T`,
    /// with the entities as it left them, sorted by revision.
    pub async fn changes<T: Entity>(&self, from: Revision, to: Revision) -> Result<Vec<RevisionChanges<T>>> {
        let site = self.gateway.account();
        let body =
            serde_json::json!({ "type": 1, "parameters": [{ "site": site, "from": from.0, "to": to.0 }] });
        let (v, resp) = self.query(T::PATH, body).await?;
        let Some(mine) = site_entries(&v).into_iter().find(|e| site_of(e) == Some(site)) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for r in mine.get("revisionsCollection").and_then(Value::as_array).into_iter().flatten() {
            let revision = r
                .get("revision")
                .and_then(revision_of)
                .ok_or_else(|| decode(&resp, "a revisionsCollection entry has no revision".into()))?;
            out.push(RevisionChanges {
                revision,
                revision_date: r.get("revisionDate").and_then(Value::as_str).map(str::to_owned),
                items: items(&resp, r.get("items"))?,
            });
        }
        // Some documented examples list revisions out of order.
        out.sort_by_key(|c| c.revision);
        Ok(out)
    }

    /// Type 2 (users only): the live users and the revision they were read at,
    /// e.g. to learn the revision before a guarded batch update.
    pub async fn users_snapshot(&self) -> Result<Delta<User>> {
        let site = self.gateway.account();
        let body = serde_json::json!({ "type": 2, "parameters": [{ "site": site }] });
        let (v, resp) = self.query(User::PATH, body).await?;
        let Some(mine) = site_entries(&v).into_iter().find(|e| site_of(e) == Some(site)) else {
            return Ok(Delta { revision: None, items: Vec::new() });
        };
        Ok(Delta {
            revision: mine.get("revision").and_then(revision_of),
            items: items(&resp, mine.get("collection"))?,
        })
    }
}

fn decode(resp: &Incoming, message: String) -> Error {
    Error::new(
        ErrorKind::Decode,
        ErrorDetails { message, status: Some(resp.status), attempts: resp.attempts, ..Default::default() },
    )
}

fn site_of(v: &Value) -> Option<&str> {
    v.get("siteId").and_then(Value::as_str)
}

fn revision_of(v: &Value) -> Option<Revision> {
    v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())).map(Revision)
}

/// Types 1 and 2: an array of per-site objects, one such object, or an object
/// wrapping one of those (the pages print all three).
fn site_entries(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) if m.contains_key("siteId") => vec![v],
        Value::Object(m) if m.len() == 1 => m.values().next().map(site_entries).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn items<T: DeserializeOwned>(resp: &Incoming, v: Option<&Value>) -> Result<Vec<T>> {
    let bad = |e: serde_json::Error| decode(resp, format!("query delta items: {e}"));
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(list @ Value::Array(_)) => Vec::<T>::deserialize(list).map_err(bad),
        Some(one) => T::deserialize(one).map(|x| vec![x]).map_err(bad),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_entries_accept_every_documented_shape() {
        let one = serde_json::json!({"siteId": "a", "revision": 3});
        assert_eq!(site_entries(&serde_json::json!([one.clone()])).len(), 1);
        assert_eq!(site_entries(&one).len(), 1);
        assert_eq!(site_entries(&serde_json::json!({"wrapper": [one.clone(), one]})).len(), 2);
        assert_eq!(revision_of(&serde_json::json!("42")), Some(Revision(42)));
    }
}
