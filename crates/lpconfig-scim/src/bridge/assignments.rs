//! Assignment groups on the SCIM Groups endpoints (mapping `[groups]`): the group and
//! its members live in the local store; whenever memberships change, the users who
//! joined or left are rewritten with what their groups now give them (roles, skills,
//! agent group) in one guarded batch through the core (docs/scim.md, "Assignment groups").
//! The LivePerson users are written first and the store after, so a refused write
//! leaves both as they were.

use std::collections::{BTreeSet, HashMap};

use lpconfig::api::users::User;
use serde_json::{json, Value};

use super::{member_displays, with_schemas, without_members, Bridge, Found, MEMBER_DISPLAY};
use crate::assign;
use crate::convert;
use crate::error::{ScimError, ScimResult};
use crate::schema::GROUP;
use crate::store::Kind;
use crate::version::Version;

fn uniqueness(name: &str) -> ScimError {
    ScimError { status: 409, scim_type: Some("uniqueness"), detail: format!("group {name:?} exists") }
}

fn check_version(if_match: Option<&Version>, have: &Version) -> ScimResult<()> {
    match if_match {
        Some(want) if want != have => Err(super::mismatch("group", have)),
        _ => Ok(()),
    }
}

impl Bridge {
    /// The SCIM Group of a stored assignment group; `users`: members to list (by id).
    pub(super) fn assignment_resource(
        &self,
        n: i64,
        body: &Value,
        users: Option<&HashMap<i64, &User>>,
    ) -> Value {
        let sid = assign::scim_id(n);
        let mut r = json!({"schemas": [GROUP], "id": sid, "displayName": body["displayName"]});
        if let Some(e) = body.get("externalId") {
            r["externalId"] = e.clone();
        }
        if let Some(users) = users {
            let shown = body.get(MEMBER_DISPLAY).unwrap_or(&Value::Null);
            let list: Vec<Value> = assign::members(body)
                .iter()
                .filter_map(|id| users.get(id))
                .map(|u| self.member(u, shown))
                .collect();
            r["members"] = Value::Array(list);
        }
        r["meta"] = json!({"resourceType": "Group", "location": format!("{}/Groups/{sid}", self.base)});
        r
    }

    /// Every stored assignment group as SCIM groups, in their numbering order.
    pub(super) fn list_assignments(&self, users: Option<&[User]>) -> ScimResult<Vec<Value>> {
        let by_id: Option<HashMap<i64, &User>> =
            users.map(|us| us.iter().map(|u| (u.id.unwrap_or_default(), u)).collect());
        let mut all: Vec<(i64, Value)> = self.store.all(Kind::Assignment)?.into_iter().collect();
        all.sort_by_key(|(n, _)| *n);
        Ok(all.iter().map(|(n, b)| self.assignment_resource(*n, b, by_id.as_ref())).collect())
    }

    /// `GET /Groups/a<n>`.
    pub(super) async fn get_assignment(&self, n: i64, sid: &str, with_members: bool) -> ScimResult<Found> {
        let body = self.store.get(Kind::Assignment, n)?.ok_or_else(|| ScimError::not_found("Group", sid))?;
        // The members are read even when not returned: the group's version covers them.
        let users = self.member_users().await?;
        let by_id: HashMap<i64, &User> = users.iter().map(|u| (u.id.unwrap_or_default(), u)).collect();
        Ok(without_members(Found::new(self.assignment_resource(n, &body, Some(&by_id))), with_members))
    }

    /// Rewrites the users in `ids` (those still there) with what the assignment groups
    /// `all` give them: one read-modify-write batch, re-read on a conflict.
    async fn reassign(&self, ids: &BTreeSet<i64>, all: &HashMap<i64, Value>) -> ScimResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let names = self.names(false).await?;
        let of = assign::memberships(all);
        let live: Vec<i64> =
            self.member_users().await?.iter().filter_map(|u| u.id).filter(|id| ids.contains(id)).collect();
        let mut derived = HashMap::new();
        for id in &live {
            let groups: Vec<&str> =
                of.get(id).map(|v| v.iter().map(|(_, g)| g.as_str()).collect()).unwrap_or_default();
            derived.insert(*id, assign::derive(&self.mapping, &names, &groups)?);
        }
        if live.is_empty() {
            return Ok(());
        }
        let _turn = self.user_writes.lock().await;
        self.client
            .users()
            .allow_masked_blank(true)
            .modify(&live, |u| {
                if let Some(d) = u.id.and_then(|id| derived.get(&id)) {
                    assign::apply(u, d, &names);
                }
            })
            .await?;
        Ok(())
    }

    /// `POST /Groups` of a name the mapping's `[groups]` lists.
    pub(super) async fn create_assignment(&self, name: &str, body: &Value) -> ScimResult<Found> {
        let want = Self::member_ids(body)?;
        let turn = self.group_writes.lock().await;
        let mut all = self.store.all(Kind::Assignment)?;
        if all.values().any(|b| b["displayName"].as_str().is_some_and(|d| d.eq_ignore_ascii_case(name))) {
            return Err(uniqueness(name));
        }
        self.check_members(&want).await?;
        let n = self.store.next_id(Kind::Assignment)?;
        let mut stored = json!({"displayName": name, "members": want, MEMBER_DISPLAY: member_displays(body)});
        if let Some(e) = body.get("externalId") {
            stored["externalId"] = e.clone();
        }
        all.insert(n, stored.clone());
        self.reassign(&want, &all).await?;
        self.store.put(Kind::Assignment, n, &stored)?;
        drop(turn);
        self.get_assignment(n, &assign::scim_id(n), true).await
    }

    /// PUT and PATCH of an assignment group: `change` turns the current resource into the new one.
    pub(super) async fn modify_assignment(
        &self,
        n: i64,
        sid: &str,
        if_match: Option<Version>,
        change: impl Fn(&Value) -> ScimResult<Value>,
    ) -> ScimResult<Found> {
        let turn = self.group_writes.lock().await;
        let cur = self.get_assignment(n, sid, true).await?;
        let mut all = self.store.all(Kind::Assignment)?;
        let stored = all.get(&n).cloned().ok_or_else(|| ScimError::not_found("Group", sid))?;
        check_version(if_match.as_ref(), &cur.version)?;
        let next = change(&cur.resource)?;
        convert::check_body(&with_schemas(&next, GROUP), GROUP, true)?;
        let name = next.get("displayName").and_then(Value::as_str).unwrap_or_default().trim().to_owned();
        if name.is_empty() {
            return Err(ScimError::bad("invalidValue", "displayName is required"));
        }
        if self.mapping.assignment(&name).is_none() {
            return Err(ScimError::bad(
                "invalidValue",
                format!("displayName: {name:?} is not a group of the mapping's [groups]; an assignment group cannot become an agent group"),
            ));
        }
        if all
            .iter()
            .any(|(k, b)| *k != n && b["displayName"].as_str().is_some_and(|d| d.eq_ignore_ascii_case(&name)))
        {
            return Err(uniqueness(&name));
        }
        let (have, want) = (assign::members(&stored), Self::member_ids(&next)?);
        self.check_members(&want.difference(&have).copied().collect()).await?;
        let renamed = !stored["displayName"].as_str().is_some_and(|d| d.eq_ignore_ascii_case(&name));
        let changed: BTreeSet<i64> = if renamed {
            have.union(&want).copied().collect()
        } else {
            have.symmetric_difference(&want).copied().collect()
        };
        let mut body = json!({"displayName": name, "members": want, MEMBER_DISPLAY: member_displays(&next)});
        if let Some(e) = next.get("externalId") {
            body["externalId"] = e.clone();
        }
        all.insert(n, body.clone());
        self.reassign(&changed, &all).await?;
        self.store.put(Kind::Assignment, n, &body)?;
        drop(turn);
        self.get_assignment(n, sid, true).await
    }

    /// `DELETE /Groups/a<n>`: its members lose what it gave them, then it is forgotten.
    pub(super) async fn delete_assignment(
        &self,
        n: i64,
        sid: &str,
        if_match: Option<Version>,
    ) -> ScimResult<()> {
        let _turn = self.group_writes.lock().await;
        let cur = self.get_assignment(n, sid, true).await?;
        check_version(if_match.as_ref(), &cur.version)?;
        let mut all = self.store.all(Kind::Assignment)?;
        let stored = all.remove(&n).ok_or_else(|| ScimError::not_found("Group", sid))?;
        self.reassign(&assign::members(&stored), &all).await?;
        self.store.remove(Kind::Assignment, n)
    }
}
