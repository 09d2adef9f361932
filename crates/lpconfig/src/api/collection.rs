//! One generic client for every `le-users` collection (users, agentGroups,
//! skills, profiles, lobs): list/get with `select`, `include_deleted` and
//! conditional reads; create/update/delete, single and chunked batches (D6-D8).

use std::marker::PhantomData;

use reqwest::header::{HeaderName, HeaderValue, IF_MATCH};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api::gateway::{ApiRequest, Gateway};
use crate::error::{BatchProgress, Error, ErrorDetails, ErrorKind, Result};
use crate::revision::{Fetched, IfMatch, Revision, Versioned};
use crate::transport::Incoming;

/// What a typed entity tells the generic collection client.
pub trait Entity: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Collection path below `le-users/` (`users`, `agentGroups`, ...).
    const PATH: &'static str;
    /// JSON name of the natural key (`loginName`, `name`), used to reconcile
    /// a create whose outcome is unknown.
    const NATURAL_KEY: &'static str;
    /// The server id, once created.
    fn id(&self) -> Option<i64>;
    /// The natural key's value.
    fn natural_key(&self) -> Option<&str>;
    /// Whether two natural keys name the same entity (D15: login names are
    /// case-insensitive, group names case-sensitive).
    fn same_key(a: &str, b: &str) -> bool {
        a == b
    }
    /// The soft-delete flag.
    fn is_deleted(&self) -> bool;
}

/// Implements [`Entity`] for a struct with `id`, `name` and `deleted` fields
/// whose natural key is its case-sensitive `name`.
#[macro_export]
#[doc(hidden)]
macro_rules! named_entity {
    ($t:ty, $path:literal) => {
        impl $crate::api::collection::Entity for $t {
            const PATH: &'static str = $path;
            const NATURAL_KEY: &'static str = "name";
            fn id(&self) -> Option<i64> {
                self.id
            }
            fn natural_key(&self) -> Option<&str> {
                self.name.as_deref()
            }
            fn is_deleted(&self) -> bool {
                self.deleted == Some(true)
            }
        }
    };
}

/// Options of list and get calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Field selector; `None` sends `$all` so results never depend on the
    /// server's short default projection (D2).
    pub select: Option<String>,
    /// Include soft-deleted entities.
    pub include_deleted: bool,
}

impl ListOptions {
    /// Only these fields (`"id,loginName"`, `"memberOf(agentGroupId)"`).
    pub fn select(fields: impl Into<String>) -> Self {
        Self { select: Some(fields.into()), include_deleted: false }
    }

    /// Deleted entities too.
    pub fn with_deleted(mut self) -> Self {
        self.include_deleted = true;
        self
    }
}

/// The generic collection client for entity type `T`.
pub struct Collection<'a, T> {
    gateway: &'a Gateway,
    batch_size: usize,
    _entity: PhantomData<fn() -> T>,
}

impl<T> Clone for Collection<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Collection<'_, T> {}

fn if_match_header(m: IfMatch) -> (HeaderName, HeaderValue) {
    (IF_MATCH, HeaderValue::from_str(&m.header_value()).expect("digits are a valid header"))
}

fn decode_error(resp: &Incoming, what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Decode,
        ErrorDetails {
            message: format!("{what} is not the documented shape: {e}"),
            status: Some(resp.status),
            attempts: resp.attempts,
            ..Default::default()
        },
    )
}

/// Object, array or empty body (D6, D7) as a list.
fn decode_many<T: DeserializeOwned>(resp: &Incoming) -> Result<Vec<T>> {
    let body = resp.body.trim_ascii();
    match body.first() {
        None => Ok(Vec::new()),
        Some(b'[') => serde_json::from_slice(body).map_err(|e| decode_error(resp, "response body", e)),
        Some(_) => serde_json::from_slice(body)
            .map(|one| vec![one])
            .map_err(|e| decode_error(resp, "response body", e)),
    }
}

/// Object, array or empty body as one optional entity.
fn decode_one<T: DeserializeOwned>(resp: &Incoming) -> Result<Option<T>> {
    Ok(decode_many(resp)?.into_iter().next())
}

fn check_nonempty<U>(items: &[U]) -> Result<()> {
    if items.is_empty() {
        Err(Error::config("items", "a batch needs at least one item"))
    } else {
        Ok(())
    }
}

impl<'a, T: Entity> Collection<'a, T> {
    /// A collection client over `gateway`, chunking batches at `batch_size`.
    pub fn new(gateway: &'a Gateway, batch_size: usize) -> Self {
        Self { gateway, batch_size: batch_size.max(1), _entity: PhantomData }
    }

    fn read_request(&self, path: String, opts: &ListOptions) -> ApiRequest {
        let mut req =
            ApiRequest::new(Method::GET, path).query("select", opts.select.as_deref().unwrap_or("$all"));
        if opts.include_deleted {
            req = req.query("include_deleted", "true");
        }
        req
    }

    async fn fetch<U: DeserializeOwned>(
        &self,
        mut req: ApiRequest,
        since: Option<Revision>,
        decode: fn(&Incoming) -> Result<U>,
    ) -> Result<Fetched<U>> {
        if let Some(r) = since {
            let (k, v) = if_match_header(IfMatch::Revision(r));
            req.headers.insert(k, v);
        }
        let resp = self.gateway.send(req).await?;
        let revision = Revision::from_response(&resp);
        if resp.status == 304 {
            return Ok(Fetched::NotModified(revision.or(since)));
        }
        Ok(Fetched::Modified(Versioned { value: decode(&resp)?, revision }))
    }

    /// Every entity (`GET /{collection}`), with the collection revision.
    pub async fn list(&self, opts: &ListOptions) -> Result<Versioned<Vec<T>>> {
        match self.fetch(self.read_request(T::PATH.into(), opts), None, decode_many).await? {
            Fetched::Modified(v) => Ok(v),
            Fetched::NotModified(revision) => Ok(Versioned { value: Vec::new(), revision }),
        }
    }

    /// Like [`Collection::list`], but `NotModified` when still at `since`.
    pub async fn list_if_modified(&self, opts: &ListOptions, since: Revision) -> Result<Fetched<Vec<T>>> {
        self.fetch(self.read_request(T::PATH.into(), opts), Some(since), decode_many).await
    }

    /// One entity (`GET /{collection}/{id}`).
    pub async fn get(&self, id: i64, opts: &ListOptions) -> Result<Versioned<T>> {
        match self.get_inner(id, opts, None).await? {
            Fetched::Modified(v) => Ok(v),
            Fetched::NotModified(_) => Err(Error::new(
                ErrorKind::Decode,
                ErrorDetails {
                    message: "304 without If-Match".into(),
                    status: Some(304),
                    ..Default::default()
                },
            )),
        }
    }

    /// Like [`Collection::get`], but `NotModified` when still at `since`.
    pub async fn get_if_modified(&self, id: i64, opts: &ListOptions, since: Revision) -> Result<Fetched<T>> {
        self.get_inner(id, opts, Some(since)).await
    }

    async fn get_inner(&self, id: i64, opts: &ListOptions, since: Option<Revision>) -> Result<Fetched<T>> {
        let req = self.read_request(format!("{}/{id}", T::PATH), opts);
        let fetched = self.fetch(req, since, decode_one::<T>).await?;
        Ok(match fetched {
            Fetched::Modified(v) => {
                let revision = v.revision;
                let value = v.value.ok_or_else(|| {
                    Error::new(
                        ErrorKind::Decode,
                        ErrorDetails {
                            message: format!("empty body for {} {id}", T::PATH),
                            ..Default::default()
                        },
                    )
                })?;
                Fetched::Modified(Versioned { value, revision })
            }
            Fetched::NotModified(r) => Fetched::NotModified(r),
        })
    }

    /// Creates one entity (object in, object out). Never re-sent blindly: after
    /// an unknown outcome it looks the natural key up first.
    pub async fn create(&self, item: &T) -> Result<Versioned<T>> {
        let created = self.create_chunk(std::slice::from_ref(item), false).await?;
        let revision = created.revision;
        let value = created.value.into_iter().next().ok_or_else(|| {
            Error::new(
                ErrorKind::Decode,
                ErrorDetails { message: "create returned no entity".into(), ..Default::default() },
            )
        })?;
        Ok(Versioned { value, revision })
    }

    /// Creates many entities (array in, array out), in chunks of `batch_size`.
    pub async fn create_many(&self, items: &[T]) -> Result<Versioned<Vec<T>>> {
        check_nonempty(items)?;
        self.chunked(items, |chunk, _| self.create_chunk(chunk, true), IfMatch::Any).await
    }

    async fn create_chunk(&self, items: &[T], as_array: bool) -> Result<Versioned<Vec<T>>> {
        for item in items {
            if item.natural_key().is_none_or(|k| k.trim().is_empty()) {
                return Err(Error::config(T::NATURAL_KEY, "must not be empty"));
            }
        }
        let first = self.post(items, as_array).await;
        let mut last_err = match first {
            Ok(v) => return Ok(v),
            Err(e) if outcome_unknown(&e) => e,
            Err(e) => return Err(e),
        };
        // The create may or may not have been applied: look before sending again.
        let delays = self.gateway.retry_delays();
        for delay in delays {
            tracing::warn!(target: "lpconfig::api", error = %last_err, "create outcome unknown; reconciling by {}", T::NATURAL_KEY);
            tokio::time::sleep(delay).await;
            let existing =
                match self.list(&ListOptions::select(format!("id,deleted,{}", T::NATURAL_KEY))).await {
                    Ok(v) => v.value,
                    Err(e) => {
                        last_err = e;
                        continue;
                    }
                };
            let found = |item: &T| {
                let key = item.natural_key().unwrap_or_default();
                existing
                    .iter()
                    .find(|e| !e.is_deleted() && e.natural_key().is_some_and(|k| T::same_key(k, key)))
            };
            let missing: Vec<T> = items.iter().filter(|i| found(i).is_none()).cloned().collect();
            let result = if missing.is_empty() {
                Ok(Versioned { value: Vec::new(), revision: None })
            } else {
                self.post(&missing, as_array).await
            };
            match result {
                Ok(made) => return self.assemble(items, made, &existing).await,
                Err(e) if outcome_unknown(&e) => last_err = e,
                Err(e) => return Err(e),
            }
        }
        Err(last_err)
    }

    /// Puts items found by reconciliation and newly created ones back in request order.
    async fn assemble(
        &self,
        items: &[T],
        made: Versioned<Vec<T>>,
        existing: &[T],
    ) -> Result<Versioned<Vec<T>>> {
        let mut out = Vec::with_capacity(items.len());
        let mut fresh = made.value.into_iter();
        let mut revision = made.revision;
        for item in items {
            let key = item.natural_key().unwrap_or_default();
            let prior = existing
                .iter()
                .find(|e| !e.is_deleted() && e.natural_key().is_some_and(|k| T::same_key(k, key)));
            match prior.and_then(Entity::id) {
                Some(id) => {
                    let full = self.get(id, &ListOptions::default()).await?;
                    revision = revision.max(full.revision);
                    out.push(full.value);
                }
                None => out.extend(fresh.next()),
            }
        }
        Ok(Versioned { value: out, revision })
    }

    async fn post(&self, items: &[T], as_array: bool) -> Result<Versioned<Vec<T>>> {
        let req = ApiRequest::new(Method::POST, T::PATH);
        let req = if as_array { req.json(&items)? } else { req.json(&items[0])? };
        let resp = self.gateway.send(req).await?;
        Ok(Versioned { revision: Revision::from_response(&resp), value: decode_many(&resp)? })
    }

    /// Replaces one entity (`PUT /{collection}/{id}`, full replacement).
    pub async fn update(&self, item: &T, if_match: IfMatch) -> Result<Versioned<T>> {
        let id = item.id().ok_or_else(|| Error::config("id", "an update needs the entity's id"))?;
        let (k, v) = if_match_header(if_match);
        let req = ApiRequest::new(Method::PUT, format!("{}/{id}", T::PATH)).json(item)?.header(k, v);
        let resp = self.gateway.send(req).await?;
        let revision = Revision::from_response(&resp);
        let value = match decode_one(&resp)? {
            Some(v) => v,
            None => item.clone(),
        };
        Ok(Versioned { value, revision })
    }

    /// Replaces many entities (`PUT /{collection}`), chunked; the revision
    /// guard follows from chunk to chunk.
    pub async fn update_many(&self, items: &[T], if_match: IfMatch) -> Result<Versioned<Vec<T>>> {
        check_nonempty(items)?;
        if let Some(pos) = items.iter().position(|i| i.id().is_none()) {
            return Err(Error::config(format!("items[{pos}].id"), "an update needs the entity's id"));
        }
        self.chunked(
            items,
            |chunk, m| async move {
                let (k, v) = if_match_header(m);
                let resp = self
                    .gateway
                    .send(ApiRequest::new(Method::PUT, T::PATH).json(&chunk)?.header(k, v))
                    .await?;
                Ok(Versioned { revision: Revision::from_response(&resp), value: decode_many(&resp)? })
            },
            if_match,
        )
        .await
    }

    /// Soft-deletes one entity; returns the tombstone when the server sends it.
    pub async fn delete(&self, id: i64, if_match: IfMatch) -> Result<Versioned<Option<T>>> {
        let (k, v) = if_match_header(if_match);
        let resp = self
            .gateway
            .send(ApiRequest::new(Method::DELETE, format!("{}/{id}", T::PATH)).header(k, v))
            .await?;
        Ok(Versioned { revision: Revision::from_response(&resp), value: decode_one(&resp)? })
    }

    /// Soft-deletes many entities (ids sent as strings, D7), chunked.
    pub async fn delete_many(&self, ids: &[i64], if_match: IfMatch) -> Result<Versioned<Vec<T>>> {
        check_nonempty(ids)?;
        self.chunked(
            ids,
            |chunk, m| async move {
                let body: Vec<String> = chunk.iter().map(i64::to_string).collect();
                let (k, v) = if_match_header(m);
                let resp = self
                    .gateway
                    .send(ApiRequest::new(Method::DELETE, T::PATH).json(&body)?.header(k, v))
                    .await?;
                Ok(Versioned { revision: Revision::from_response(&resp), value: decode_many(&resp)? })
            },
            if_match,
        )
        .await
    }

    /// Runs `op` per chunk in order; a failure carries what was applied before (D8).
    async fn chunked<'s, I, F, Fut>(
        &'s self,
        items: &'s [I],
        op: F,
        if_match: IfMatch,
    ) -> Result<Versioned<Vec<T>>>
    where
        F: Fn(&'s [I], IfMatch) -> Fut,
        Fut: std::future::Future<Output = Result<Versioned<Vec<T>>>>,
    {
        let chunks: Vec<&[I]> = items.chunks(self.batch_size).collect();
        let total = chunks.len();
        let mut out = Vec::with_capacity(items.len());
        let mut guard = if_match;
        let mut revision = None;
        for (n, chunk) in chunks.into_iter().enumerate() {
            match op(chunk, guard).await {
                Ok(v) => {
                    out.extend(v.value);
                    revision = v.revision.or(revision);
                    // Our own write moved the revision; the next chunk guards on it.
                    if let (IfMatch::Revision(_), Some(r)) = (guard, v.revision) {
                        guard = IfMatch::Revision(r);
                    }
                }
                Err(mut e) => {
                    if n > 0 {
                        e.details_mut().batch = Some(BatchProgress {
                            applied_chunks: n,
                            total_chunks: total,
                            applied_items: out.len(),
                            applied_ids: out.iter().filter_map(Entity::id).collect(),
                        });
                    }
                    return Err(e);
                }
            }
        }
        Ok(Versioned { value: out, revision })
    }
}

/// A 5xx or a failure after the request may have reached the server.
fn outcome_unknown(e: &Error) -> bool {
    matches!(e.kind(), ErrorKind::Server | ErrorKind::Transport)
}
