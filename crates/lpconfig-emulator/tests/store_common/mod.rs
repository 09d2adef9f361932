//! Helpers shared by the `store_*` tests.
#![allow(dead_code)]

use lpconfig_emulator::store::{AccountStore, CollectionKind, StoreConfig, StoreError, StoreResult};
use serde_json::{json, Value};

pub const P_ADMIN: i64 = 2_359_273_612;
pub const P_AGENT: i64 = 2_359_273_712;
pub const P_MANAGER: i64 = 2_359_273_812;
pub const P_CAMPAIGN: i64 = 2_359_273_912;
pub const FIRST_USER: i64 = 4_052_816_112;

pub fn store() -> AccountStore {
    AccountStore::new("12345678", StoreConfig::default())
}

pub fn store_with(cfg: StoreConfig) -> AccountStore {
    AccountStore::new("12345678", cfg)
}

/// A valid agent in the Main Group.
pub fn agent(login: &str) -> Value {
    json!({
        "loginName": login, "fullName": "Jane Doe", "nickname": "Jane",
        "email": format!("{login}@example.com"), "passwordSh": "Str0ng-Passw0rd",
        "isEnabled": true, "maxChats": 3, "maxAsyncChats": 10,
        "profileIds": [P_AGENT], "memberOf": {"agentGroupId": -1}, "userTypeId": 1
    })
}

/// A valid administrator (no agent fields).
pub fn admin(login: &str) -> Value {
    json!({
        "loginName": login, "fullName": "Ada Admin", "nickname": "Ada",
        "email": format!("{login}@example.com"), "passwordSh": "Str0ng-Passw0rd",
        "isEnabled": true, "maxChats": 0, "profileIds": [P_ADMIN]
    })
}

pub fn group(name: &str, parent: i64) -> Value {
    json!({"name": name, "parentGroupId": parent, "isEnabled": true})
}

/// Creates one entity and returns its id.
pub fn create_one(s: &mut AccountStore, kind: CollectionKind, body: Value) -> i64 {
    let out = s.create(kind, vec![body]).unwrap_or_else(|e| panic!("create failed: {e}"));
    out[0]["id"].as_i64().unwrap()
}

/// Creates a group and returns its id.
pub fn make_group(s: &mut AccountStore, name: &str, parent: i64) -> i64 {
    create_one(s, CollectionKind::AgentGroups, group(name, parent))
}

/// The stored full entity (response form).
pub fn user(s: &AccountStore, id: i64) -> Value {
    s.get(CollectionKind::Users, id, true).unwrap()
}

/// Body of `v` with `key` replaced.
pub fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

/// Body of `v` without `key`.
pub fn without(mut v: Value, key: &str) -> Value {
    v.as_object_mut().unwrap().remove(key);
    v
}

pub fn err<T: std::fmt::Debug>(r: StoreResult<T>) -> StoreError {
    r.expect_err("expected the store to refuse")
}

/// Asserts status, field and rule.
#[track_caller]
pub fn assert_rule<T: std::fmt::Debug>(r: StoreResult<T>, status: u16, field: &str, rule: &str) {
    let e = err(r);
    assert_eq!((e.status, e.field.as_deref(), e.rule), (status, Some(field), rule), "{e}");
}

/// Snapshot of the whole observable state, to prove a refused write changed nothing.
pub fn snapshot(s: &AccountStore) -> (Vec<u64>, Vec<Vec<Value>>) {
    let kinds = CollectionKind::ALL;
    (kinds.iter().map(|k| s.revision(*k)).collect(), kinds.iter().map(|k| s.list(*k, true)).collect())
}
