//! One generic client for every `le-users` collection (users, agentGroups,
//! skills, profiles, lobs): list/get with `select`, `include_deleted` and
//! conditional reads; create/update/delete, single and chunked batches (D6-D8).

use std::marker::PhantomData;

use reqwest::header::{HeaderName, HeaderValue, IF_MATCH};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api::gateway::{ApiRequest, Gateway};
use crate::api::reconcile::{holds, outcome_unknown, reread_for, Reread, WriteOp as Op};
use crate::api::stream_decode::{ArrayDecoder, EachDecoder};
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

/// What a write hands back for each applied item: the entity as the server
/// answered (the entity type itself), or a lighter view of it when the caller
/// needs no more than its id (`Users::create_many_ids`): decoding 50,000 full
/// users only to drop them was a fifth of the sync engine's CPU for that apply.
pub trait Reply<T>: DeserializeOwned + Send + 'static {
    /// The view of an entity the client already holds: what it sent (a server
    /// that answers with fewer items), or what a re-read found after a lost answer.
    fn from_entity(entity: T) -> Self;
    /// The server id.
    fn reply_id(&self) -> Option<i64>;
}

impl<T: Entity> Reply<T> for T {
    fn from_entity(entity: T) -> Self {
        entity
    }
    fn reply_id(&self) -> Option<i64> {
        self.id()
    }
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

    /// A list, decoded while its body streams in (docs/performance.md): the
    /// whole body and the decoded entities never coexist.
    async fn fetch_list(&self, mut req: ApiRequest, since: Option<Revision>) -> Result<Fetched<Vec<T>>> {
        if let Some(r) = since {
            let (k, v) = if_match_header(IfMatch::Revision(r));
            req.headers.insert(k, v);
        }
        let mut sink = ArrayDecoder::<T>::new();
        let resp = self.gateway.send_into(req, &mut sink).await?;
        let revision = Revision::from_response(&resp);
        if resp.status == 304 {
            return Ok(Fetched::NotModified(revision.or(since)));
        }
        let value = sink.finish().map_err(|e| decode_error(&resp, "response body", e))?;
        Ok(Fetched::Modified(Versioned { value, revision }))
    }

    /// Every entity (`GET /{collection}`), with the collection revision.
    pub async fn list(&self, opts: &ListOptions) -> Result<Versioned<Vec<T>>> {
        match self.fetch_list(self.read_request(T::PATH.into(), opts), None).await? {
            Fetched::Modified(v) => Ok(v),
            Fetched::NotModified(revision) => Ok(Versioned { value: Vec::new(), revision }),
        }
    }

    /// Every entity, each handed to `each` as soon as it is decoded, in the
    /// answer's order, with none kept: memory stays flat however long the list
    /// (docs/performance.md, "Streamed lists"). `each` returns `false` to stop
    /// early (the rest of the answer is not read). Returns how many entities
    /// were handed on, with the collection revision.
    ///
    /// Entities handed on cannot be taken back, so an answer that breaks off
    /// after some were is not read again, unlike [`Collection::list`]: the call
    /// fails (`Decode`, saying how many were handed on). A body that is not the
    /// documented shape fails the same way after the entities before the fault.
    pub async fn list_each<F>(&self, opts: &ListOptions, each: F) -> Result<Versioned<usize>>
    where
        F: FnMut(T) -> bool + Send + 'static,
    {
        let mut sink = EachDecoder::new(each);
        let resp = self.gateway.send_into(self.read_request(T::PATH.into(), opts), &mut sink).await?;
        let revision = Revision::from_response(&resp);
        let value = sink.finish().map_err(|e| decode_error(&resp, "response body", e))?;
        Ok(Versioned { value, revision })
    }

    /// Like [`Collection::list`], but `NotModified` when still at `since`.
    pub async fn list_if_modified(&self, opts: &ListOptions, since: Revision) -> Result<Fetched<Vec<T>>> {
        self.fetch_list(self.read_request(T::PATH.into(), opts), Some(since)).await
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
    /// an unknown outcome it looks the natural key up first (D22).
    pub async fn create(&self, item: &T) -> Result<Versioned<T>> {
        let created = self.write(Op::Create, std::slice::from_ref(item), &[], IfMatch::Any, true).await?;
        first(created, "create")
    }

    /// Creates many entities (array in, array out), in chunks of `batch_size`.
    pub async fn create_many(&self, items: &[T]) -> Result<Versioned<Vec<T>>> {
        self.create_many_as(items).await
    }

    /// [`Collection::create_many`], decoding each created item as `R` (the same
    /// requests, chunks, reconciliation and errors).
    pub(crate) async fn create_many_as<R: Reply<T>>(&self, items: &[T]) -> Result<Versioned<Vec<R>>> {
        check_nonempty(items)?;
        self.write(Op::Create, items, &[], IfMatch::Any, false).await
    }

    /// Replaces one entity (`PUT /{collection}/{id}`, full replacement).
    pub async fn update(&self, item: &T, if_match: IfMatch) -> Result<Versioned<T>> {
        item.id().ok_or_else(|| Error::config("id", "an update needs the entity's id"))?;
        let updated = self.write(Op::Update, std::slice::from_ref(item), &[], if_match, true).await?;
        first(updated, "update")
    }

    /// Replaces many entities (`PUT /{collection}`), chunked; the revision
    /// guard follows from chunk to chunk.
    pub async fn update_many(&self, items: &[T], if_match: IfMatch) -> Result<Versioned<Vec<T>>> {
        check_nonempty(items)?;
        if let Some(pos) = items.iter().position(|i| i.id().is_none()) {
            return Err(Error::config(format!("items[{pos}].id"), "an update needs the entity's id"));
        }
        self.write(Op::Update, items, &[], if_match, false).await
    }

    /// Soft-deletes one entity; returns the tombstone when the server sends it.
    pub async fn delete(&self, id: i64, if_match: IfMatch) -> Result<Versioned<Option<T>>> {
        let deleted = self.write(Op::Delete, &[], &[id], if_match, true).await?;
        Ok(Versioned { revision: deleted.revision, value: deleted.value.into_iter().next() })
    }

    /// Soft-deletes many entities (ids sent as strings, D7), chunked.
    pub async fn delete_many(&self, ids: &[i64], if_match: IfMatch) -> Result<Versioned<Vec<T>>> {
        check_nonempty(ids)?;
        self.write(Op::Delete, &[], ids, if_match, false).await
    }

    /// Runs a write chunk by chunk, in order. A failure carries, item by item,
    /// what was applied, what was not, and what could not be decided (D8, D22).
    async fn write<R: Reply<T>>(
        &self,
        op: Op,
        items: &[T],
        ids: &[i64],
        if_match: IfMatch,
        single: bool,
    ) -> Result<Versioned<Vec<R>>> {
        if op == Op::Create {
            for item in items {
                if item.natural_key().is_none_or(|k| k.trim().is_empty()) {
                    return Err(Error::config(T::NATURAL_KEY, "must not be empty"));
                }
            }
        }
        let len = if op == Op::Delete { ids.len() } else { items.len() };
        let size = if single { len.max(1) } else { self.batch_size };
        let total_chunks = len.div_ceil(size);
        let mut progress = BatchProgress { total_chunks, ..Default::default() };
        let mut out = Vec::with_capacity(len);
        let mut guard = if_match;
        let mut revision = None;
        for (n, start) in (0..len).step_by(size).enumerate() {
            let end = (start + size).min(len);
            let chunk = Chunk {
                op,
                items: if op == Op::Delete { &[] } else { &items[start..end] },
                ids: if op == Op::Delete { &ids[start..end] } else { &[] },
                as_array: !single,
            };
            let done = self.write_chunk::<R>(&chunk, guard).await;
            for (j, state) in done.states.into_iter().enumerate() {
                let i = start + j;
                match state {
                    State::Applied { value, after_loss } => {
                        progress.applied.push(i);
                        if after_loss {
                            progress.confirmed_after_loss.push(i);
                        }
                        match value {
                            Some(v) => {
                                progress.applied_ids.extend(v.reply_id());
                                out.push(v);
                            }
                            None => progress.applied_ids.extend(chunk.ids.get(j)),
                        }
                    }
                    State::NotApplied => progress.not_applied.push(i),
                    State::Pending | State::Unknown => progress.unknown.push(i),
                }
            }
            revision = done.revision.or(revision);
            // Our own write moved the revision; the next chunk guards on it.
            if let (IfMatch::Revision(_), Some(r)) = (guard, done.revision) {
                guard = IfMatch::Revision(r);
            }
            if let Some(mut e) = done.error {
                progress.not_applied.extend(end..len);
                progress.applied_chunks = n;
                progress.applied_items = progress.applied.len();
                // Without progress the error is the plain case: the server refused
                // the first chunk, nothing was applied.
                if done.lost || !progress.applied.is_empty() || !progress.unknown.is_empty() || n > 0 {
                    e.details_mut().batch = Some(progress);
                }
                return Err(e);
            }
        }
        if !progress.confirmed_after_loss.is_empty() {
            tracing::info!(
                target: "lpconfig::api",
                items = progress.confirmed_after_loss.len(),
                "writes whose answer was lost were confirmed applied by re-reading"
            );
        }
        Ok(Versioned { value: out, revision })
    }

    /// Sends one chunk; when its outcome is unknown, re-reads and decides item by
    /// item, re-sending only what is provably not applied (D22).
    async fn write_chunk<R: Reply<T>>(&self, chunk: &Chunk<'_, T>, guard: IfMatch) -> ChunkDone<R> {
        let mut states: Vec<State<R>> = (0..chunk.len()).map(|_| State::Pending).collect();
        let mut pending: Vec<usize> = (0..chunk.len()).collect();
        let mut revision = None;
        let delays = self.gateway.retry_delays();
        let mut resends = 0usize;
        let mut lost = false;
        let error = loop {
            let err = match self.send_chunk::<R>(chunk, &pending, guard).await {
                Ok(v) => {
                    revision = v.revision;
                    let mut values = v.value.into_iter();
                    for &i in &pending {
                        let value = values.next().or_else(|| chunk.items.get(i).cloned().map(R::from_entity));
                        states[i] = State::Applied { value, after_loss: false };
                    }
                    break None;
                }
                // Once an answer was lost, a refusal may come from our own earlier
                // attempt landing late ("already exists"): decide by re-reading.
                Err(e) if !outcome_unknown(&e) && !lost => {
                    for &i in &pending {
                        states[i] = State::NotApplied;
                    }
                    break Some(e);
                }
                Err(e) => e,
            };
            lost = true;
            tracing::warn!(target: "lpconfig::api", error = %err, items = pending.len(), "write outcome unknown; re-reading to decide");
            if chunk.op == Op::Create && !self.gateway.reconcile_creates() {
                // Test hook: a client that re-sends creates blindly.
                match delays.get(resends) {
                    Some(d) => {
                        resends += 1;
                        tokio::time::sleep(*d).await;
                        continue;
                    }
                    None => break Some(err),
                }
            }
            let read = match self.reread(chunk, &pending, &delays).await {
                Ok(read) => read,
                Err(read_err) => {
                    tracing::warn!(target: "lpconfig::api", error = %read_err, "re-read failed; outcome stays unknown");
                    for &i in &pending {
                        states[i] = State::Unknown;
                    }
                    break Some(err);
                }
            };
            let mut missing = Vec::new();
            let mut refused = None;
            for &i in &pending {
                if read.unread.contains(&i) {
                    states[i] = State::Unknown;
                    continue;
                }
                match chunk.decide(i, &read.value) {
                    Decision::Applied(stored) => {
                        states[i] = State::Applied { value: Some(R::from_entity(stored)), after_loss: true }
                    }
                    Decision::Absent => missing.push(i),
                    Decision::Refused(e) => {
                        states[i] = State::NotApplied;
                        refused.get_or_insert(e);
                    }
                }
            }
            if !read.unread.is_empty() {
                // Some items stay unknown: nothing more is sent for this chunk.
                for &i in &missing {
                    states[i] = State::NotApplied;
                }
                break Some(err);
            }
            revision = read.revision.or(revision);
            if missing.is_empty() {
                break refused;
            }
            // Provably not applied. Re-send only when the caller's guard still holds.
            let guard_holds = match guard {
                IfMatch::Any => true,
                IfMatch::Revision(r) => read.revision == Some(r),
            };
            if !guard_holds || resends >= delays.len() {
                for &i in &missing {
                    states[i] = State::NotApplied;
                }
                let e = if guard_holds {
                    err
                } else {
                    Error::new(
                        ErrorKind::Conflict,
                        ErrorDetails {
                            message:
                                "the write was not applied and the revision moved since; re-read and retry"
                                    .into(),
                            status: Some(409),
                            attempts: err.attempts(),
                            ..Default::default()
                        },
                    )
                };
                break Some(refused.unwrap_or(e));
            }
            if let Some(e) = refused {
                for &i in &missing {
                    states[i] = State::NotApplied;
                }
                break Some(e);
            }
            resends += 1;
            pending = missing;
        };
        ChunkDone { states, revision, error, lost }
    }

    /// Reads what is needed to decide the unknown outcomes of `pending` items
    /// (`reconcile::reread_for`): each item by id, or the whole collection. Each
    /// read is retried after each of the policy's waits. An item whose own read
    /// keeps failing is listed in `unread`; a failed collection read is an error.
    async fn reread(
        &self,
        chunk: &Chunk<'_, T>,
        pending: &[usize],
        delays: &[std::time::Duration],
    ) -> Result<ReadBack<T>> {
        let ids: Vec<Option<i64>> = pending.iter().map(|&i| chunk.id(i)).collect();
        match reread_for(chunk.op, &ids) {
            Reread::Collection { include_deleted } => {
                let opts = ListOptions { select: None, include_deleted };
                let all = retried(delays, || self.list(&opts)).await?;
                Ok(ReadBack { value: all.value, revision: all.revision, unread: Vec::new() })
            }
            Reread::ById(ids) => {
                let opts = ListOptions { select: None, include_deleted: true };
                let mut out = ReadBack { value: Vec::new(), revision: None, unread: Vec::new() };
                for (&i, id) in pending.iter().zip(ids) {
                    match retried(delays, || self.get(id, &opts)).await {
                        Ok(one) => {
                            // The collection's revision is the highest stamp (D5).
                            out.revision = out.revision.max(one.revision);
                            out.value.push(one.value);
                        }
                        // Never created, or purged: absent from what was read.
                        Err(e) if e.kind() == ErrorKind::NotFound => {}
                        Err(e) => {
                            tracing::warn!(target: "lpconfig::api", error = %e, id, "re-read by id failed; outcome stays unknown");
                            out.unread.push(i);
                        }
                    }
                }
                Ok(out)
            }
        }
    }

    /// Sends the `pending` items of `chunk` in one request.
    async fn send_chunk<R: Reply<T>>(
        &self,
        chunk: &Chunk<'_, T>,
        pending: &[usize],
        guard: IfMatch,
    ) -> Result<Versioned<Vec<R>>> {
        let (k, v) = if_match_header(guard);
        let req = match chunk.op {
            Op::Create => {
                let items: Vec<&T> = pending.iter().map(|&i| &chunk.items[i]).collect();
                let req = ApiRequest::new(Method::POST, T::PATH);
                if chunk.as_array {
                    req.json(&items)?
                } else {
                    req.json(items[0])?
                }
            }
            Op::Update => {
                let items: Vec<&T> = pending.iter().map(|&i| &chunk.items[i]).collect();
                if chunk.as_array {
                    ApiRequest::new(Method::PUT, T::PATH).json(&items)?.header(k, v)
                } else {
                    let id = items[0].id().unwrap_or_default();
                    ApiRequest::new(Method::PUT, format!("{}/{id}", T::PATH)).json(items[0])?.header(k, v)
                }
            }
            Op::Delete => {
                if chunk.as_array {
                    let body: Vec<String> = pending.iter().map(|&i| chunk.ids[i].to_string()).collect();
                    ApiRequest::new(Method::DELETE, T::PATH).json(&body)?.header(k, v)
                } else {
                    let id = chunk.ids[pending[0]];
                    ApiRequest::new(Method::DELETE, format!("{}/{id}", T::PATH)).header(k, v)
                }
            }
        };
        let resp = self.gateway.send(req).await?;
        Ok(Versioned { revision: Revision::from_response(&resp), value: decode_many(&resp)? })
    }
}

/// One chunk of a write: entities (create, update) or ids (delete).
struct Chunk<'s, T> {
    op: Op,
    items: &'s [T],
    ids: &'s [i64],
    as_array: bool,
}

/// Where one item of a chunk stands.
enum State<T> {
    /// Not sent yet, or sent with the outcome still open.
    Pending,
    /// The account holds it; `after_loss` when that was learnt by re-reading.
    Applied { value: Option<T>, after_loss: bool },
    /// Known not applied.
    NotApplied,
    /// The answer was lost and re-reading failed.
    Unknown,
}

/// What a re-read found.
struct ReadBack<T> {
    value: Vec<T>,
    revision: Option<Revision>,
    /// Pending items (chunk indexes) whose read by id failed.
    unread: Vec<usize>,
}

/// Runs `read`, again after each of `delays` while it fails (a `404` is an answer).
async fn retried<V, F, Fut>(delays: &[std::time::Duration], mut read: F) -> Result<V>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<V>>,
{
    let mut waits = delays.iter();
    loop {
        match read().await {
            Ok(v) => return Ok(v),
            Err(e) if e.kind() == ErrorKind::NotFound => return Err(e),
            Err(e) => match waits.next() {
                Some(d) => tokio::time::sleep(*d).await,
                None => return Err(e),
            },
        }
    }
}

struct ChunkDone<T> {
    states: Vec<State<T>>,
    revision: Option<Revision>,
    error: Option<Error>,
    /// Whether an answer was lost on the way (the outcome had to be re-read).
    lost: bool,
}

/// What a re-read says about one item.
enum Decision<T> {
    /// The account holds what was sent.
    Applied(T),
    /// The account does not hold it: safe to send again.
    Absent,
    /// It cannot be applied (the entity is gone, or another one holds the key).
    Refused(Error),
}

impl<T: Entity> Chunk<'_, T> {
    fn len(&self) -> usize {
        if self.op == Op::Delete {
            self.ids.len()
        } else {
            self.items.len()
        }
    }

    /// The id of item `i` (`None` for a create).
    fn id(&self, i: usize) -> Option<i64> {
        match self.op {
            Op::Create => None,
            Op::Update => self.items[i].id(),
            Op::Delete => Some(self.ids[i]),
        }
    }

    fn decide(&self, i: usize, stored: &[T]) -> Decision<T> {
        let by_id = |id: i64| stored.iter().find(|s| s.id() == Some(id));
        let gone = |what: String| {
            Decision::Refused(Error::new(
                ErrorKind::NotFound,
                ErrorDetails { message: what, status: Some(404), ..Default::default() },
            ))
        };
        match self.op {
            Op::Create => {
                let sent = &self.items[i];
                let key = sent.natural_key().unwrap_or_default();
                let found = stored
                    .iter()
                    .find(|s| !s.is_deleted() && s.natural_key().is_some_and(|k| T::same_key(k, key)));
                match found {
                    None => Decision::Absent,
                    Some(s) if holds(&to_json(sent), &to_json(s)) => Decision::Applied(s.clone()),
                    Some(_) => Decision::Refused(Error::new(
                        ErrorKind::Conflict,
                        ErrorDetails {
                            message: format!("{} {key:?} exists with other values", T::NATURAL_KEY),
                            field: Some(T::NATURAL_KEY.into()),
                            ..Default::default()
                        },
                    )),
                }
            }
            Op::Update => {
                let sent = &self.items[i];
                let id = sent.id().unwrap_or_default();
                match by_id(id) {
                    None => gone(format!("{} {id} does not exist", T::PATH)),
                    Some(s) if s.is_deleted() => gone(format!("{} {id} was deleted", T::PATH)),
                    Some(s) if holds(&to_json(sent), &to_json(s)) => Decision::Applied(s.clone()),
                    Some(_) => Decision::Absent,
                }
            }
            Op::Delete => {
                let id = self.ids[i];
                match by_id(id) {
                    None => gone(format!("{} {id} does not exist", T::PATH)),
                    Some(s) if s.is_deleted() => Decision::Applied(s.clone()),
                    Some(_) => Decision::Absent,
                }
            }
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn first<T>(v: Versioned<Vec<T>>, what: &str) -> Result<Versioned<T>> {
    let revision = v.revision;
    let value = v.value.into_iter().next().ok_or_else(|| {
        Error::new(
            ErrorKind::Decode,
            ErrorDetails { message: format!("{what} returned no entity"), ..Default::default() },
        )
    })?;
    Ok(Versioned { value, revision })
}
