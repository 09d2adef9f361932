//! The bridge: SCIM operations carried out on the account through the core client.
//! Every write is a core call, so it gets the core's retries and its lost-answer
//! handling (docs/retries.md); each resource has its own version, and LivePerson's
//! collection revision guards the writes (docs/scim.md, "ETags").

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::users::User;
use lpconfig::{Client, ErrorKind, IfMatch, ListOptions, Revision};
use lpconfig_sync::names::Names;
use serde_json::{json, Value};
use tokio::sync::RwLock;

mod assignments;

use crate::assign;
use crate::convert;
use crate::error::{ScimError, ScimResult};
use crate::mapping::{Mapping, OnDelete};
use crate::schema::{GROUP, USER};
use crate::store::{Kind, Store};
use crate::version::Version;

/// How often a read-modify-write re-reads after another writer moved the revision.
const CONFLICT_RETRIES: usize = 8;

/// A resource and its version.
#[derive(Debug, Clone)]
pub struct Found {
    /// The SCIM resource.
    pub resource: Value,
    /// Its version (`ETag`).
    pub version: Version,
}

impl Found {
    /// A resource with the version of its representation.
    pub fn new(resource: Value) -> Self {
        Self { version: Version::of(&resource), resource }
    }
}

fn mismatch(what: &str, have: &Version) -> ScimError {
    ScimError::status(412, format!("version mismatch: the {what} is at {}", have.etag()))
}

/// The SCIM side of one account.
pub struct Bridge {
    client: Client,
    mapping: Mapping,
    store: Store,
    names: RwLock<Option<Arc<Names>>>,
    base: String,
    // LivePerson's revision is per collection, so concurrent guarded writes of
    // different users conflict; the bridge takes turns, and re-reads only when
    // someone outside it wrote in between.
    user_writes: tokio::sync::Mutex<()>,
    // Assignment groups live in the store: one writer at a time keeps their
    // numbering and memberships consistent.
    group_writes: tokio::sync::Mutex<()>,
}

fn parse_id(id: &str, what: &str) -> ScimResult<i64> {
    id.parse().map_err(|_| ScimError::not_found(what, id))
}

fn tombstoned(v: Option<&Value>) -> bool {
    v.and_then(|v| v.get("$deleted")).and_then(Value::as_bool) == Some(true)
}

impl Bridge {
    /// A bridge over `client`; `base` is the public URL prefix (`http://host:port/scim/v2`).
    pub fn new(client: Client, mapping: Mapping, store: Store, base: impl Into<String>) -> Self {
        Self {
            client,
            mapping,
            store,
            names: RwLock::new(None),
            base: base.into(),
            user_writes: tokio::sync::Mutex::new(()),
            group_writes: tokio::sync::Mutex::new(()),
        }
    }

    /// The public URL prefix.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sets the public URL prefix (once the port is known).
    pub fn set_base(&mut self, base: impl Into<String>) {
        self.base = base.into();
    }

    /// The mapping.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// See [`crate::Server::check_mapping`].
    pub async fn check_mapping(&self) -> ScimResult<()> {
        let names = self.names(true).await?;
        let users = &self.mapping.users;
        if names.role(&users.default_role).is_none() {
            return Err(ScimError::status(
                500,
                format!("mapping: default_role {:?} names no role or profile", users.default_role),
            ));
        }
        for (what, spec) in [("default_group", &users.default_group), ("group_parent", &users.group_parent)] {
            if !spec.is_empty() && names.find_group(spec).is_none() {
                return Err(ScimError::status(500, format!("mapping: {what} {spec:?} does not exist")));
            }
        }
        let all: Vec<&str> = self.mapping.groups.keys().map(String::as_str).collect();
        assign::derive(&self.mapping, &names, &all).map(|_| ())
    }

    /// The core client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    async fn names(&self, refresh: bool) -> ScimResult<Arc<Names>> {
        if !refresh {
            if let Some(n) = self.names.read().await.as_ref() {
                return Ok(n.clone());
            }
        }
        let n = Arc::new(Names::load(&self.client).await?);
        *self.names.write().await = Some(n.clone());
        Ok(n)
    }

    fn user_resource(&self, u: &User, names: &Names) -> ScimResult<Value> {
        let stored = self.store.get(Kind::User, u.id.unwrap_or_default())?;
        let mut r = convert::user_to_scim(u, stored.as_ref(), names, &self.mapping, &self.base);
        if !self.mapping.groups.is_empty() {
            let of = assign::memberships(&self.store.all(Kind::Assignment)?);
            self.add_assignment_groups(&mut r, u, &of);
        }
        Ok(r)
    }

    /// Lists a user's assignment groups in its read-only `groups` attribute.
    fn add_assignment_groups(&self, r: &mut Value, u: &User, of: &HashMap<i64, Vec<(i64, String)>>) {
        let Some(mine) = of.get(&u.id.unwrap_or_default()) else { return };
        let mut list = r.get("groups").and_then(Value::as_array).cloned().unwrap_or_default();
        for (n, name) in mine {
            let sid = assign::scim_id(*n);
            list.push(json!({"value": sid, "display": name, "$ref": format!("{}/Groups/{sid}", self.base), "type": "direct"}));
        }
        r["groups"] = Value::Array(list);
    }

    /// Lays the user's assignment-group memberships (mapping `[groups]`) over a user
    /// about to be written; `uid`: `None` for a new user (member of nothing yet).
    fn assign_user(&self, u: &mut User, uid: Option<i64>, names: &Names) -> ScimResult<()> {
        if self.mapping.groups.is_empty() {
            return Ok(());
        }
        let of = match uid {
            Some(id) => {
                assign::memberships(&self.store.all(Kind::Assignment)?).remove(&id).unwrap_or_default()
            }
            None => Vec::new(),
        };
        let groups: Vec<&str> = of.iter().map(|(_, n)| n.as_str()).collect();
        assign::apply(u, &assign::derive(&self.mapping, names, &groups)?, names);
        Ok(())
    }

    fn visible(u: &User) -> bool {
        u.deleted != Some(true) && u.is_api_user != Some(true) && u.user_type_id != Some(2)
    }

    // ---- Users -------------------------------------------------------------

    /// Every visible user as SCIM resources, and the users revision.
    pub async fn list_users(&self) -> ScimResult<(Vec<Value>, Option<Revision>)> {
        let (users, names) = tokio::try_join!(
            async { self.client.users().list(&ListOptions::default()).await.map_err(ScimError::from) },
            self.names(false)
        )?;
        let stored = self.store.all(Kind::User)?;
        let of = assign::memberships(&self.store.all(Kind::Assignment)?);
        let mut out = Vec::new();
        for u in users.value.iter().filter(|u| Self::visible(u)) {
            let s = stored.get(&u.id.unwrap_or_default());
            if tombstoned(s) {
                continue;
            }
            let mut r = convert::user_to_scim(u, s, &names, &self.mapping, &self.base);
            self.add_assignment_groups(&mut r, u, &of);
            r["meta"]["version"] = json!(Version::of(&r).etag());
            out.push(r);
        }
        Ok((out, users.revision))
    }

    async fn read_user(&self, id: i64, sid: &str) -> ScimResult<lpconfig::Versioned<User>> {
        let v = self.client.users().get(id).await.map_err(|e| match e.kind() {
            ErrorKind::NotFound => ScimError::not_found("User", sid),
            _ => ScimError::from(e),
        })?;
        if !Self::visible(&v.value) || tombstoned(self.store.get(Kind::User, id)?.as_ref()) {
            return Err(ScimError::not_found("User", sid));
        }
        Ok(v)
    }

    /// `GET /Users/{id}`.
    pub async fn get_user(&self, sid: &str) -> ScimResult<Found> {
        let id = parse_id(sid, "User")?;
        let (v, names) = tokio::try_join!(self.read_user(id, sid), self.names(false))?;
        Ok(Found::new(self.user_resource(&v.value, &names)?))
    }

    /// `POST /Users`.
    pub async fn create_user(&self, body: &Value) -> ScimResult<Found> {
        convert::check_body(body, USER, false)?;
        let names = self.names(false).await?;
        let mut u = convert::scim_to_user(body, None, &names, &self.mapping, false)?;
        self.assign_user(&mut u, None, &names)?;
        let login = u.login_name.clone().unwrap_or_default();
        let created = match self.client.users().create(&u).await {
            Ok(c) => c,
            Err(e) if e.kind() == ErrorKind::Conflict => {
                return self.recreate_user(body, &login, &names).await
            }
            Err(e) => return Err(ScimError::from_core(&e, false)),
        };
        let id = created
            .value
            .id
            .ok_or_else(|| ScimError::status(502, "LivePerson returned a user without an id"))?;
        self.store.put(Kind::User, id, &convert::to_store(body))?;
        Ok(Found::new(self.user_resource(&created.value, &names)?))
    }

    /// A POST whose `userName` is taken: a user the IdP deleted (while DELETE
    /// disables) comes back, enabled; anyone else is a `uniqueness` error.
    async fn recreate_user(&self, body: &Value, login: &str, names: &Names) -> ScimResult<Found> {
        let taken = || ScimError {
            status: 409,
            scim_type: Some("uniqueness"),
            detail: format!("userName {login:?} is taken"),
        };
        let Some(old) = self.client.users().find_by_login_name(login).await? else { return Err(taken()) };
        let id = old.id.unwrap_or_default();
        if !tombstoned(self.store.get(Kind::User, id)?.as_ref()) {
            return Err(taken());
        }
        let mut again = convert::scim_to_user(body, Some(&old), names, &self.mapping, true)?;
        again.is_enabled = Some(convert_active(body).unwrap_or(true));
        self.assign_user(&mut again, Some(id), names)?;
        let w = self.client.users().update(&again, IfMatch::Any).await?;
        self.store.put(Kind::User, id, &convert::to_store(body))?;
        Ok(Found::new(self.user_resource(&w.value, names)?))
    }

    /// Read-modify-write of a user: `change` turns the current SCIM resource into the new one.
    async fn modify_user(
        &self,
        sid: &str,
        if_match: Option<Version>,
        change: impl Fn(&Value) -> ScimResult<Value>,
    ) -> ScimResult<Found> {
        let id = parse_id(sid, "User")?;
        let names = self.names(false).await?;
        for _ in 0..CONFLICT_RETRIES {
            let _turn = self.user_writes.lock().await;
            let cur = self.read_user(id, sid).await?;
            let now = self.user_resource(&cur.value, &names)?;
            // If-Match names this user's version; the write itself is guarded by the
            // collection revision just read, and a conflict re-reads and checks again.
            let have = Version::of(&now);
            if if_match.as_ref().is_some_and(|want| *want != have) {
                return Err(mismatch("user", &have));
            }
            let next = change(&now)?;
            convert::check_body(&with_schemas(&next, USER), USER, false)?;
            // `next` is the whole resource after the change, for PATCH too: a field
            // whose sources are all gone is cleared.
            let mut u = convert::scim_to_user(&next, Some(&cur.value), &names, &self.mapping, true)?;
            self.assign_user(&mut u, Some(id), &names)?;
            let guard = cur.if_match();
            // `next` is the stored resource with the change applied (PUT: the body), so
            // it replaces the stored one: removed attributes are gone.
            let stored = convert::to_store(&next);
            match self.client.users().update(&u, guard).await {
                Ok(w) => {
                    self.store.put(Kind::User, id, &stored)?;
                    return Ok(Found::new(self.user_resource(&w.value, &names)?));
                }
                Err(e) if e.kind() == ErrorKind::Conflict => continue,
                Err(e) => return Err(ScimError::from_core(&e, false)),
            }
        }
        Err(ScimError::status(503, "the users changed too often to apply this write; try again"))
    }

    /// `PUT /Users/{id}`.
    pub async fn replace_user(
        &self,
        sid: &str,
        body: &Value,
        if_match: Option<Version>,
    ) -> ScimResult<Found> {
        convert::check_body(body, USER, false)?;
        self.modify_user(sid, if_match, |_| Ok(body.clone())).await
    }

    /// `PATCH /Users/{id}`.
    pub async fn patch_user(&self, sid: &str, body: &Value, if_match: Option<Version>) -> ScimResult<Found> {
        self.modify_user(sid, if_match, |now| {
            let mut next = now.clone();
            crate::patch::apply(&mut next, body, false)?;
            Ok(next)
        })
        .await
    }

    /// `DELETE /Users/{id}`: disables (default) or deletes, per the mapping.
    pub async fn delete_user(&self, sid: &str, if_match: Option<Version>) -> ScimResult<()> {
        let id = parse_id(sid, "User")?;
        match self.mapping.users.on_delete {
            OnDelete::Delete => {
                let names = self.names(false).await?;
                let mut tries = 0;
                loop {
                    let _turn = self.user_writes.lock().await;
                    let cur = self.read_user(id, sid).await?;
                    let have = Version::of(&self.user_resource(&cur.value, &names)?);
                    if if_match.as_ref().is_some_and(|want| *want != have) {
                        return Err(mismatch("user", &have));
                    }
                    match self.client.users().delete(id, cur.if_match()).await {
                        Ok(_) => break,
                        Err(e) if e.kind() == ErrorKind::Conflict && tries < CONFLICT_RETRIES => tries += 1,
                        Err(e) => return Err(ScimError::from_core(&e, false)),
                    }
                }
                self.store.remove(Kind::User, id)?;
            }
            OnDelete::Disable => {
                self.modify_user(sid, if_match, |now| {
                    let mut n = now.clone();
                    n["active"] = json!(false);
                    Ok(n)
                })
                .await?;
                let mut stored = self.store.get(Kind::User, id)?.unwrap_or_else(|| json!({}));
                stored["$deleted"] = json!(true);
                self.store.put(Kind::User, id, &stored)?;
            }
        }
        Ok(())
    }

    // ---- Groups ------------------------------------------------------------

    fn group_resource(&self, g: &AgentGroup, members: Option<&[&User]>) -> ScimResult<Value> {
        let id = g.id.unwrap_or_default();
        let mut r = self.store.get(Kind::Group, id)?.unwrap_or_else(|| json!({}));
        let shown = r.as_object_mut().and_then(|m| m.remove(MEMBER_DISPLAY)).unwrap_or(Value::Null);
        r["schemas"] = json!([GROUP]);
        r["id"] = json!(id.to_string());
        r["displayName"] = json!(g.name.clone().unwrap_or_default());
        if let Some(ms) = members {
            r["members"] = Value::Array(ms.iter().map(|u| self.member(u, &shown)).collect());
        } else if let Some(m) = r.as_object_mut() {
            m.remove("members");
        }
        r["meta"] = json!({"resourceType": "Group", "location": format!("{}/Groups/{id}", self.base)});
        Ok(r)
    }

    /// A user as a group member. `display` is read-only and optional (RFC 7643 §4.2):
    /// it is what the IdP sent for this member (`shown`, by user id), else left out, so
    /// a group reads back as it was written.
    fn member(&self, u: &User, shown: &Value) -> Value {
        let uid = u.id.unwrap_or_default().to_string();
        let mut m = json!({"value": uid, "$ref": format!("{}/Users/{uid}", self.base), "type": "User"});
        if let Some(d) = shown.get(&uid).filter(|d| d.is_string()) {
            m["display"] = d.clone();
        }
        m
    }

    async fn member_users(&self) -> ScimResult<Vec<User>> {
        let users = self.client.users().list(&ListOptions::default()).await?;
        let stored = self.store.all(Kind::User)?;
        Ok(users
            .value
            .into_iter()
            .filter(|u| Self::visible(u) && !tombstoned(stored.get(&u.id.unwrap_or_default())))
            .collect())
    }

    /// Every agent group as SCIM groups (`with_members`: also read the users).
    pub async fn list_groups(&self, with_members: bool) -> ScimResult<(Vec<Value>, Option<Revision>)> {
        let groups = self.client.agent_groups().list(&ListOptions::default()).await?;
        let users = if with_members { self.member_users().await? } else { Vec::new() };
        let mut by_group: HashMap<i64, Vec<&User>> = HashMap::new();
        for u in &users {
            if let Some(g) = u.member_of.as_ref().and_then(|g| g.agent_group_id) {
                by_group.entry(g).or_default().push(u);
            }
        }
        let mut out = Vec::new();
        for g in groups.value.iter().filter(|g| g.deleted != Some(true)) {
            let ms = with_members
                .then(|| by_group.get(&g.id.unwrap_or_default()).map(Vec::as_slice).unwrap_or(&[]));
            out.push(self.group_resource(g, ms)?);
        }
        out.extend(self.list_assignments(with_members.then_some(&users[..]))?);
        if with_members {
            // A group's version covers its members, so it is only known when they were read.
            for r in &mut out {
                r["meta"]["version"] = json!(Version::of(r).etag());
            }
        }
        Ok((out, groups.revision))
    }

    async fn read_group(&self, sid: &str) -> ScimResult<lpconfig::Versioned<AgentGroup>> {
        let id = parse_id(sid, "Group")?;
        let g = self.client.agent_groups().get(id).await.map_err(|e| match e.kind() {
            ErrorKind::NotFound => ScimError::not_found("Group", sid),
            _ => ScimError::from(e),
        })?;
        if g.value.deleted == Some(true) {
            return Err(ScimError::not_found("Group", sid));
        }
        Ok(g)
    }

    /// `GET /Groups/{id}`.
    pub async fn get_group(&self, sid: &str, with_members: bool) -> ScimResult<Found> {
        if let Some(n) = assign::key(sid) {
            return self.get_assignment(n, sid, with_members).await;
        }
        let g = self.read_group(sid).await?;
        // The members are read even when not returned: the group's version covers them.
        let users = self.member_users().await?;
        let gid = g.value.id;
        let ms: Vec<&User> =
            users.iter().filter(|u| u.member_of.as_ref().and_then(|l| l.agent_group_id) == gid).collect();
        Ok(without_members(Found::new(self.group_resource(&g.value, Some(&ms[..]))?), with_members))
    }

    fn member_ids(r: &Value) -> ScimResult<BTreeSet<i64>> {
        let mut out = BTreeSet::new();
        if let Some(ms) = r.get("members") {
            let items =
                ms.as_array().ok_or_else(|| ScimError::bad("invalidValue", "members: expected a list"))?;
            for m in items {
                let v = m.get("value").unwrap_or(m);
                let id = v.as_str().and_then(|s| s.parse().ok()).or_else(|| v.as_i64()).ok_or_else(|| {
                    ScimError::bad("invalidValue", format!("members: {v} is not a user id"))
                })?;
                out.insert(id);
            }
        }
        Ok(out)
    }

    async fn default_group(&self) -> ScimResult<i64> {
        let names = self.names(false).await?;
        names.find_group(&self.mapping.users.default_group).and_then(|g| g.id).ok_or_else(|| {
            ScimError::status(
                500,
                format!("mapping: default_group {:?} does not exist", self.mapping.users.default_group),
            )
        })
    }

    /// Refuses members that are not visible users, before anything is written.
    async fn check_members(&self, ids: &BTreeSet<i64>) -> ScimResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let users = self.member_users().await?;
        if let Some(bad) = ids.iter().find(|id| !users.iter().any(|u| u.id == Some(**id))) {
            return Err(ScimError::bad("invalidValue", format!("members: no user {bad}")));
        }
        Ok(())
    }

    /// Moves users in and out of a group so its members are `want`.
    async fn set_members(&self, gid: i64, have: &BTreeSet<i64>, want: &BTreeSet<i64>) -> ScimResult<()> {
        let add: Vec<i64> = want.difference(have).copied().collect();
        let gone: Vec<i64> = have.difference(want).copied().collect();
        if !add.is_empty() {
            self.client.users().allow_masked_blank(true).move_to_group(&add, gid).await?;
        }
        if !gone.is_empty() {
            let fallback = self.default_group().await?;
            if fallback != gid {
                self.client.users().allow_masked_blank(true).move_to_group(&gone, fallback).await?;
            }
        }
        Ok(())
    }

    /// `POST /Groups`.
    pub async fn create_group(&self, body: &Value) -> ScimResult<Found> {
        convert::check_body(body, GROUP, true)?;
        let name = body
            .get("displayName")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| ScimError::bad("invalidValue", "displayName is required"))?;
        if self.mapping.assignment(name).is_some() {
            return self.create_assignment(name, body).await;
        }
        let want = Self::member_ids(body)?;
        let names = self.names(false).await?;
        if names.group_named(name).is_some() {
            return Err(ScimError {
                status: 409,
                scim_type: Some("uniqueness"),
                detail: format!("group {name:?} exists"),
            });
        }
        self.check_members(&want).await?;
        let parent = match self.mapping.users.group_parent.as_str() {
            "" => names.root().and_then(|g| g.id).unwrap_or(-1),
            p => names.find_group(p).and_then(|g| g.id).ok_or_else(|| {
                ScimError::status(500, format!("mapping: group_parent {p:?} does not exist"))
            })?,
        };
        let created = self.client.agent_groups().create(&AgentGroup::new(name, parent)).await?;
        let gid = created
            .value
            .id
            .ok_or_else(|| ScimError::status(502, "LivePerson returned a group without an id"))?;
        let mut stored = json!({MEMBER_DISPLAY: member_displays(body)});
        if let Some(e) = body.get("externalId") {
            stored["externalId"] = e.clone();
        }
        self.store.put(Kind::Group, gid, &stored)?;
        self.names(true).await?;
        self.set_members(gid, &BTreeSet::new(), &want).await?;
        self.get_group(&gid.to_string(), true).await
    }

    async fn modify_group(
        &self,
        sid: &str,
        if_match: Option<Version>,
        change: impl Fn(&Value) -> ScimResult<Value>,
    ) -> ScimResult<Found> {
        if let Some(n) = assign::key(sid) {
            return self.modify_assignment(n, sid, if_match, change).await;
        }
        let cur = self.get_group(sid, true).await?;
        if if_match.as_ref().is_some_and(|want| *want != cur.version) {
            return Err(mismatch("group", &cur.version));
        }
        let next = change(&cur.resource)?;
        convert::check_body(&with_schemas(&next, GROUP), GROUP, true)?;
        let gid = parse_id(sid, "Group")?;
        let name = next.get("displayName").and_then(Value::as_str).unwrap_or_default().to_owned();
        if name.trim().is_empty() {
            return Err(ScimError::bad("invalidValue", "displayName is required"));
        }
        let (have, want) = (Self::member_ids(&cur.resource)?, Self::member_ids(&next)?);
        self.check_members(&want.difference(&have).copied().collect()).await?;
        if name != cur.resource["displayName"].as_str().unwrap_or_default() {
            if self.mapping.assignment(&name).is_some() {
                return Err(ScimError::bad(
                    "invalidValue",
                    format!("displayName: {name:?} is an assignment group of the mapping's [groups]; an agent group cannot become one"),
                ));
            }
            let mut g = self.read_group(sid).await?;
            g.value.name = Some(name);
            let guard = g.if_match();
            self.client
                .agent_groups()
                .update(&g.value, guard)
                .await
                .map_err(|e| ScimError::from_core(&e, false))?;
            self.names(true).await?;
        }
        self.set_members(gid, &have, &want).await?;
        let mut stored = self.store.get(Kind::Group, gid)?.unwrap_or_else(|| json!({}));
        stored[MEMBER_DISPLAY] = member_displays(&next);
        match next.get("externalId") {
            Some(e) => stored["externalId"] = e.clone(),
            None => {
                if let Some(m) = stored.as_object_mut() {
                    m.remove("externalId");
                }
            }
        }
        self.store.put(Kind::Group, gid, &stored)?;
        self.get_group(sid, true).await
    }

    /// `PUT /Groups/{id}`.
    pub async fn replace_group(
        &self,
        sid: &str,
        body: &Value,
        if_match: Option<Version>,
    ) -> ScimResult<Found> {
        convert::check_body(body, GROUP, true)?;
        self.modify_group(sid, if_match, |_| Ok(body.clone())).await
    }

    /// `PATCH /Groups/{id}`.
    pub async fn patch_group(&self, sid: &str, body: &Value, if_match: Option<Version>) -> ScimResult<Found> {
        self.modify_group(sid, if_match, |now| {
            let mut next = now.clone();
            crate::patch::apply(&mut next, body, true)?;
            Ok(next)
        })
        .await
    }

    /// `DELETE /Groups/{id}`: members go to the default group, then the group is deleted.
    pub async fn delete_group(&self, sid: &str, if_match: Option<Version>) -> ScimResult<()> {
        if let Some(n) = assign::key(sid) {
            return self.delete_assignment(n, sid, if_match).await;
        }
        let cur = self.get_group(sid, true).await?;
        if if_match.as_ref().is_some_and(|want| *want != cur.version) {
            return Err(mismatch("group", &cur.version));
        }
        let gid = parse_id(sid, "Group")?;
        if gid == self.default_group().await? {
            return Err(ScimError::bad("mutability", "the default group of new agents cannot be deleted"));
        }
        self.set_members(gid, &Self::member_ids(&cur.resource)?, &BTreeSet::new()).await?;
        let guard = self.read_group(sid).await?.if_match();
        self.client.agent_groups().delete(gid, guard).await.map_err(|e| ScimError::from_core(&e, false))?;
        self.store.remove(Kind::Group, gid)?;
        self.names(true).await?;
        Ok(())
    }
}

/// Drops `members` from a group read for its version only.
fn without_members(mut f: Found, keep: bool) -> Found {
    if !keep {
        if let Some(m) = f.resource.as_object_mut() {
            m.remove("members");
        }
    }
    f
}

/// The store key of a group's member `display` values, by user id.
const MEMBER_DISPLAY: &str = "$memberDisplay";

/// The `display` the IdP gave each member of a group resource, by user id.
fn member_displays(r: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for m in r.get("members").and_then(Value::as_array).into_iter().flatten() {
        let id = m
            .get("value")
            .and_then(|v| v.as_str().map(str::to_owned).or_else(|| v.as_i64().map(|i| i.to_string())));
        if let (Some(id), Some(d)) = (id, m.get("display").filter(|d| d.is_string())) {
            out.insert(id, d.clone());
        }
    }
    Value::Object(out)
}

fn convert_active(body: &Value) -> Option<bool> {
    crate::filter::get_ci(body, "active").and_then(crate::path::truthy)
}

fn with_schemas(v: &Value, core: &str) -> Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("id");
        m.remove("meta");
        m.remove("groups");
        let keep: Vec<Value> = m
            .get("schemas")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.as_str() != Some(crate::schema::LIVEPERSON) || core == USER)
            .collect();
        m.insert("schemas".into(), if keep.is_empty() { json!([core]) } else { Value::Array(keep) });
    }
    v
}
