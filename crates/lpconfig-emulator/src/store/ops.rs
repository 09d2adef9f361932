//! The write pipeline shared by every collection: check `If-Match`, validate every
//! item into a plan without touching state, check the batch as a whole, and only
//! then apply all plans under one new revision stamp (D5, D8).

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::error::{StoreError, StoreResult};
use super::ids::{pid_for, IdInput};
use super::lenient::{as_i64, present};
use super::revision::{check_write, IfMatch};
use super::{agent_groups, catalog, not_found, password, users, AccountStore, CollectionKind};

/// What a validated item will become.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// `None` on create: the id is allocated only once the whole batch is valid, so a
    /// refused batch burns no ids.
    pub id: Option<i64>,
    /// The new stored state, without `id`, `deleted`, `dateUpdated`.
    pub stored: Map<String, Value>,
    pub password: PasswordPlan,
}

/// What happens to a user's password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PasswordPlan {
    Keep,
    Set(String),
    Clear,
}

/// A change to another entity caused by a delete (references cleared, D17 cfg).
pub(crate) type Cleanup = (CollectionKind, i64, Map<String, Value>);

fn as_object(item: &Value, index: usize) -> StoreResult<&Map<String, Value>> {
    item.as_object().ok_or_else(|| {
        StoreError::invalid("body", "body.type", format!("item {index} of the body must be a JSON object"))
    })
}

/// In a batch of more than one item, says which item failed (by position and
/// natural key: `loginName` or `name`).
fn at_item(e: StoreError, index: usize, map: &Map<String, Value>, batch_len: usize) -> StoreError {
    if batch_len < 2 {
        return e;
    }
    let key = map.get("loginName").or_else(|| map.get("name")).and_then(Value::as_str);
    e.at_item(index, key)
}

impl AccountStore {
    /// Creates one or more entities atomically; returns them in request order.
    pub fn create(&mut self, kind: CollectionKind, items: Vec<Value>) -> StoreResult<Vec<Value>> {
        self.check_batch_size(items.len())?;
        let now = self.clock.now();
        let mut plans: Vec<Plan> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let map = as_object(item, i)?;
            let plan =
                self.plan(kind, map, None, &plans, &now).map_err(|e| at_item(e, i, map, items.len()))?;
            plans.push(plan);
        }
        self.check_plans(kind, &plans)?;
        Ok(self.commit(kind, plans, &now))
    }

    /// Replaces entities (full replacement, each item carries its `id`) atomically,
    /// with one revision bump; returns them in request order.
    pub fn update(
        &mut self,
        kind: CollectionKind,
        items: Vec<Value>,
        if_match: Option<IfMatch>,
    ) -> StoreResult<Vec<Value>> {
        check_write(if_match, self.revision(kind), self.cfg.strict_if_match)?;
        self.check_batch_size(items.len())?;
        let mut targets: Vec<(i64, &Map<String, Value>)> = Vec::with_capacity(items.len());
        let mut seen = HashSet::new();
        for (i, item) in items.iter().enumerate() {
            let map = as_object(item, i)?;
            let id = match present(map, "id") {
                None => {
                    return Err(StoreError::invalid(
                        "id",
                        "id.required",
                        format!("item {i} has no id; every updated item needs one"),
                    ))
                }
                Some(v) => IdInput::from_value(v)?.resolve()?,
            };
            if !seen.insert(id) {
                return Err(StoreError::invalid(
                    "id",
                    "id.duplicate",
                    format!("id {id} appears twice in one request"),
                ));
            }
            targets.push((id, map));
        }
        // 404 before 400: an unknown id fails the batch whatever else is wrong.
        if let Some((id, _)) = targets.iter().find(|(id, _)| !self.table(kind).is_live(*id)) {
            return Err(not_found(kind, *id));
        }
        let now = self.clock.now();
        let mut plans: Vec<Plan> = Vec::with_capacity(targets.len());
        let count = targets.len();
        for (i, (id, map)) in targets.into_iter().enumerate() {
            let plan = self.plan(kind, map, Some(id), &plans, &now).map_err(|e| at_item(e, i, map, count))?;
            plans.push(plan);
        }
        self.check_plans(kind, &plans)?;
        Ok(self.commit(kind, plans, &now))
    }

    /// `PUT /{collection}/{id}`: the body's `id`, when present, must equal `id`.
    pub fn update_one(
        &mut self,
        kind: CollectionKind,
        id: i64,
        item: Value,
        if_match: Option<IfMatch>,
    ) -> StoreResult<Value> {
        let Value::Object(mut map) = item else {
            return Err(StoreError::invalid("body", "body.type", "the body must be a JSON object"));
        };
        if let Some(v) = present(&map, "id") {
            if as_i64(v) != Some(id) {
                return Err(StoreError::invalid(
                    "id",
                    "id.mismatch",
                    format!("body id {v} differs from the path id {id}"),
                ));
            }
        }
        map.insert("id".into(), id.into());
        let mut out = self.update(kind, vec![Value::Object(map)], if_match)?;
        Ok(out.remove(0))
    }

    /// Soft-deletes entities atomically (D7); returns the tombstones in request order.
    pub fn delete(
        &mut self,
        kind: CollectionKind,
        ids: Vec<IdInput>,
        if_match: Option<IfMatch>,
    ) -> StoreResult<Vec<Value>> {
        check_write(if_match, self.revision(kind), self.cfg.strict_if_match)?;
        self.check_batch_size(ids.len())?;
        let mut resolved = Vec::with_capacity(ids.len());
        for id in &ids {
            let id = id.resolve()?;
            if resolved.contains(&id) {
                return Err(StoreError::invalid(
                    "id",
                    "id.duplicate",
                    format!("id {id} appears twice in one request"),
                ));
            }
            resolved.push(id);
        }
        if let Some(id) = resolved.iter().find(|id| !self.table(kind).is_live(**id)) {
            return Err(not_found(kind, *id));
        }
        let cleanups = match kind {
            CollectionKind::Users => Vec::new(),
            CollectionKind::AgentGroups => agent_groups::check_delete(self, &resolved)?,
            _ => catalog::check_delete(self, kind, &resolved)?,
        };
        let stamp = self.bump();
        let now = self.clock.now();
        for &id in &resolved {
            let entry = &self.table(kind).entries[&id];
            let (mut stored, pw) = (entry.stored.clone(), entry.password.clone());
            stored.insert("deleted".into(), true.into());
            stored.insert("dateUpdated".into(), now.clone().into());
            self.put(kind, id, stamp, stored, pw);
        }
        for (ck, id, mut stored) in cleanups {
            stored.insert("dateUpdated".into(), now.clone().into());
            let pw = self.table(ck).entries.get(&id).and_then(|e| e.password.clone());
            self.put(ck, id, stamp, stored, pw);
        }
        self.refresh_profile_counts();
        Ok(resolved.iter().map(|id| self.view(kind, *id)).collect())
    }

    /// `PUT /users/{id}/resetPassword` with `{"newPassword"}` (users-api.md §3.8).
    pub fn reset_password(&mut self, user_id: i64, body: &Value) -> StoreResult<Value> {
        let map = self.password_target(user_id, body)?;
        let new = users::password_field(map, "newPassword", "newPassword.required")?;
        self.check_new_password(user_id, &new)?;
        Ok(self.set_password(user_id, &new))
    }

    /// `PUT /users/{id}/changePassword` with `{"oldPassword", "newPassword",
    /// "confirmPassword"}` (users-api.md §3.9).
    pub fn change_password(&mut self, user_id: i64, body: &Value) -> StoreResult<Value> {
        let map = self.password_target(user_id, body)?;
        let old = users::password_field(map, "oldPassword", "oldPassword.required")?;
        let new = users::password_field(map, "newPassword", "newPassword.required")?;
        let confirm = users::password_field(map, "confirmPassword", "confirmPassword.required")?;
        if new != confirm {
            return Err(StoreError::invalid(
                "confirmPassword",
                "confirmPassword.mismatch",
                "confirmPassword differs from newPassword",
            ));
        }
        let matches = self.table(CollectionKind::Users).entries[&user_id]
            .password
            .as_deref()
            .is_some_and(|stored| password::verify(stored, &old));
        if !matches {
            return Err(StoreError::invalid(
                "oldPassword",
                "oldPassword.mismatch",
                "oldPassword is not the current password",
            ));
        }
        self.check_new_password(user_id, &new)?;
        Ok(self.set_password(user_id, &new))
    }

    /// Adds `n` valid agents (Agent profile, member of the root group) in one
    /// revision, sharing one precomputed password hash so that 50,000 take well
    /// under a second. Login names are `bulk.agent.<id>`.
    pub fn insert_bulk_users(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        let agent_profile = self
            .table(CollectionKind::Profiles)
            .live()
            .find(|(_, e)| e.stored.get("roleTypeId").and_then(Value::as_i64) == Some(2))
            .map(|(id, _)| *id);
        let group = self
            .table(CollectionKind::AgentGroups)
            .live()
            .find(|(_, e)| e.stored.get("parentGroupId").is_some_and(Value::is_null))
            .map(|(id, _)| *id);
        let stamp = self.bump();
        let now = self.clock.now();
        let hash = password::hash("bulk-password-1", self.cfg.password_rounds);
        // One template, cloned and personalised: building each user from scratch
        // costs several times more.
        let mut template = json!({
            "deleted": false, "isEnabled": true, "disabledManually": false, "maxChats": 3,
            "maxAsyncChats": null, "skillIds": [], "lobIds": [], "managerOf": [],
            "profileIds": agent_profile.into_iter().collect::<Vec<_>>(), "permissionGroups": [],
            "changePwdNextLogin": false, "isApiUser": false, "userTypeId": 1,
            "dateUpdated": now, "lastPwdChangeDate": now,
        });
        if let Some(g) = group {
            template["memberOf"] = json!({"agentGroupId": g, "assignmentDate": now});
        }
        let Value::Object(template) = template else { unreachable!() };
        for _ in 0..n {
            let id = self.table_mut(CollectionKind::Users).allocate_id();
            let mut stored = template.clone();
            stored.insert("id".into(), id.into());
            stored.insert("pid".into(), pid_for(&self.account_id, id).into());
            stored.insert("loginName".into(), format!("bulk.agent.{id}").into());
            stored.insert("fullName".into(), format!("Bulk Agent {id}").into());
            stored.insert("nickname".into(), format!("Agent {id}").into());
            stored.insert("email".into(), format!("bulk.agent.{id}@example.com").into());
            self.put(CollectionKind::Users, id, stamp, stored, Some(hash.clone()));
        }
        self.refresh_profile_counts();
    }

    // ----- internals -----

    fn check_batch_size(&self, len: usize) -> StoreResult<()> {
        if len == 0 {
            return Err(StoreError::invalid("body", "body.empty", "the request carries no items"));
        }
        match self.cfg.max_batch {
            Some(max) if len > max => Err(StoreError::invalid(
                "body",
                "body.tooLarge",
                format!("{len} items exceed the batch limit of {max}"),
            )),
            _ => Ok(()),
        }
    }

    fn plan(
        &self,
        kind: CollectionKind,
        map: &Map<String, Value>,
        id: Option<i64>,
        earlier: &[Plan],
        now: &str,
    ) -> StoreResult<Plan> {
        match kind {
            CollectionKind::Users => users::plan(self, map, id, now),
            CollectionKind::AgentGroups => agent_groups::plan(self, map, id, earlier),
            _ => catalog::plan(self, kind, map, id),
        }
    }

    fn check_plans(&self, kind: CollectionKind, plans: &[Plan]) -> StoreResult<()> {
        match kind {
            CollectionKind::Users => users::check_batch(self, plans),
            CollectionKind::AgentGroups => agent_groups::check_batch(self, plans),
            _ => catalog::check_batch(self, kind, plans),
        }
    }

    fn commit(&mut self, kind: CollectionKind, plans: Vec<Plan>, now: &str) -> Vec<Value> {
        let stamp = self.bump();
        let mut ids = Vec::with_capacity(plans.len());
        for plan in plans {
            let id = plan.id.unwrap_or_else(|| self.table_mut(kind).allocate_id());
            let old_password = self.table(kind).entries.get(&id).and_then(|e| e.password.clone());
            let mut stored = plan.stored;
            stored.insert("id".into(), id.into());
            stored.insert("deleted".into(), false.into());
            stored.insert("dateUpdated".into(), now.into());
            let password = match plan.password {
                PasswordPlan::Keep => old_password,
                PasswordPlan::Set(pw) => {
                    stored.insert("lastPwdChangeDate".into(), now.into());
                    Some(password::hash(&pw, self.cfg.password_rounds))
                }
                PasswordPlan::Clear => {
                    stored.remove("lastPwdChangeDate");
                    None
                }
            };
            if kind == CollectionKind::Users && !stored.contains_key("pid") {
                stored.insert("pid".into(), pid_for(&self.account_id, id).into());
            }
            self.put(kind, id, stamp, stored, password);
            ids.push(id);
        }
        self.refresh_profile_counts();
        ids.iter().map(|id| self.view(kind, *id)).collect()
    }

    fn password_target<'a>(&self, user_id: i64, body: &'a Value) -> StoreResult<&'a Map<String, Value>> {
        if !self.table(CollectionKind::Users).is_live(user_id) {
            return Err(not_found(CollectionKind::Users, user_id));
        }
        body.as_object()
            .ok_or_else(|| StoreError::invalid("body", "body.type", "the body must be a JSON object"))
    }

    fn check_new_password(&self, user_id: i64, new: &str) -> StoreResult<()> {
        let entry = &self.table(CollectionKind::Users).entries[&user_id];
        if entry.stored.get("isApiUser").and_then(Value::as_bool) == Some(true) {
            return Err(StoreError::invalid(
                "newPassword",
                "newPassword.apiUser",
                "API users have no password",
            ));
        }
        users::check_password_rule(&self.cfg, "newPassword", "newPassword.tooShort", new)?;
        if self.cfg.password_history && entry.password.as_deref().is_some_and(|s| password::verify(s, new)) {
            return Err(StoreError::invalid(
                "newPassword",
                "newPassword.reused",
                "the new password equals the current one",
            ));
        }
        Ok(())
    }

    fn set_password(&mut self, user_id: i64, new: &str) -> Value {
        let stamp = self.bump();
        let now = self.clock.now();
        let mut stored = self.table(CollectionKind::Users).entries[&user_id].stored.clone();
        stored.insert("lastPwdChangeDate".into(), now.clone().into());
        stored.insert("dateUpdated".into(), now.into());
        self.put(
            CollectionKind::Users,
            user_id,
            stamp,
            stored,
            Some(password::hash(new, self.cfg.password_rounds)),
        );
        self.view(CollectionKind::Users, user_id)
    }

    /// Moves a user's contribution to `profile_users` from its stored state to
    /// `stored` (called by `put` before the new state replaces the old one).
    pub(crate) fn count_profiles(&mut self, user_id: i64, stored: &Map<String, Value>, deleted: bool) {
        let old = self
            .table(CollectionKind::Users)
            .entries
            .get(&user_id)
            .filter(|e| !e.deleted())
            .map(|e| users::ids_of(&e.stored, "profileIds"))
            .unwrap_or_default();
        for p in old {
            if let Some(n) = self.profile_users.get_mut(&p) {
                *n -= 1;
            }
        }
        if !deleted {
            for p in users::ids_of(stored, "profileIds") {
                *self.profile_users.entry(p).or_default() += 1;
            }
        }
    }

    /// Keeps the read-only `numOfAssignedUsers` of profiles equal to the number of
    /// non-deleted users holding each. A derived count, so no revision bump. The
    /// counts are kept by `put` as users change, so this touches profiles only.
    pub(crate) fn refresh_profile_counts(&mut self) {
        let stale: Vec<(i64, i64)> = self
            .table(CollectionKind::Profiles)
            .entries
            .iter()
            .filter_map(|(id, e)| {
                let want = self.profile_users.get(id).copied().unwrap_or(0);
                let have = e.stored.get("numOfAssignedUsers").and_then(Value::as_i64);
                (have != Some(want)).then_some((*id, want))
            })
            .collect();
        for (id, count) in stale {
            let entry = &self.table(CollectionKind::Profiles).entries[&id];
            let (mut stored, stamp) = (entry.stored.clone(), entry.stamp);
            stored.insert("numOfAssignedUsers".into(), count.into());
            self.put(CollectionKind::Profiles, id, stamp, stored, None);
        }
    }

    /// The counts `refresh_profile_counts` would find by counting every user.
    #[cfg(test)]
    fn recount_profiles(&self) -> std::collections::BTreeMap<i64, i64> {
        let mut counts = std::collections::BTreeMap::new();
        for (_, user) in self.table(CollectionKind::Users).live() {
            for p in users::ids_of(&user.stored, "profileIds") {
                *counts.entry(p).or_default() += 1;
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored_counts(store: &AccountStore) -> std::collections::BTreeMap<i64, i64> {
        store
            .table(CollectionKind::Profiles)
            .entries
            .iter()
            .map(|(id, e)| (*id, e.stored.get("numOfAssignedUsers").and_then(Value::as_i64).unwrap_or(-1)))
            .filter(|(_, n)| *n != 0)
            .collect()
    }

    fn check(store: &AccountStore) {
        let want = store.recount_profiles().into_iter().filter(|(_, n)| *n != 0).collect();
        assert_eq!(stored_counts(store), want);
    }

    #[test]
    fn profile_counts_after_mixed_writes_equal_a_full_recount() {
        let mut store = AccountStore::demo("12345678");
        store.insert_bulk_users(5);
        check(&store);
        let role = |store: &AccountStore, role: i64| {
            store
                .table(CollectionKind::Profiles)
                .live()
                .find(|(_, e)| e.stored.get("roleTypeId").and_then(Value::as_i64) == Some(role))
                .map(|(id, _)| *id)
                .unwrap()
        };
        let (agent_profile, manager_profile) = (role(&store, 2), role(&store, 3));
        let made = store
            .create(
                CollectionKind::Users,
                (0..3)
                    .map(|i| {
                        json!({"loginName": format!("mix.{i}"), "fullName": "Mix", "nickname": "Mix", "email": "m@example.com",
                               "isEnabled": true, "maxChats": 2, "profileIds": [manager_profile],
                               "memberOf": {"agentGroupId": crate::store::MAIN_GROUP_ID},
                               "passwordSh": "Str0ng-Passw0rd"})
                    })
                    .collect(),
            )
            .unwrap();
        check(&store);
        // A profile change (manager -> agent and manager), then a delete.
        let first = made[0]["id"].as_i64().unwrap();
        let mut changed = store.view(CollectionKind::Users, first);
        changed["profileIds"] = json!([agent_profile, manager_profile]);
        changed["memberOf"] = json!({"agentGroupId": crate::store::MAIN_GROUP_ID});
        changed.as_object_mut().unwrap().remove("passwordSh");
        store.update(CollectionKind::Users, vec![changed], None).unwrap();
        check(&store);
        let second = made[1]["id"].as_i64().unwrap();
        store.delete(CollectionKind::Users, vec![IdInput::Num(second)], None).unwrap();
        check(&store);
        let n = store.recount_profiles();
        assert!(n.get(&manager_profile).copied().unwrap_or(0) >= 2, "{n:?}");
        assert!(n.get(&agent_profile).copied().unwrap_or(0) >= 6, "{n:?}");
    }
}
