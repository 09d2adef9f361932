//! Revisions (D4, D5), atomic batches (D8), `select` (D2) and `list_json`.

mod store_common;

use lpconfig_emulator::store::{
    project, AccountStore, CollectionKind, IfMatch, Selector, StoreConfig, StoreError,
};
use serde_json::{json, Value};
use store_common::*;

const U: CollectionKind = CollectionKind::Users;
const G: CollectionKind = CollectionKind::AgentGroups;

#[test]
fn fresh_account_revisions() {
    let s = store();
    assert_eq!(s.revision(G), 1, "Main Group");
    assert_eq!(s.revision(CollectionKind::Profiles), 2, "role profiles");
    assert_eq!(s.revision(U), 0);
    assert_eq!(s.revision(CollectionKind::Skills), 0);
    assert_eq!(s.account_revision(), 2);
}

#[test]
fn one_account_wide_counter_one_bump_per_request() {
    let mut s = store();
    s.create(U, vec![agent("a"), agent("b"), agent("c")]).unwrap();
    assert_eq!(s.revision(U), 3);
    make_group(&mut s, "A", -1);
    assert_eq!(s.revision(G), 4);
    assert_eq!(s.revision(U), 3, "other collections keep their revision");
    let all = s.list(U, false);
    assert!(all.iter().all(|u| u["id"].is_i64()));
    s.update(U, all, None).unwrap();
    assert_eq!(s.revision(U), 5);
    assert_eq!(s.account_revision(), 5);
}

#[test]
fn tombstones_count_in_the_collection_revision() {
    let mut s = store();
    let a = create_one(&mut s, U, agent("a"));
    s.delete(U, vec![a.into()], None).unwrap();
    assert_eq!(s.revision(U), 4);
    assert!(s.list(U, false).is_empty());
    let with_deleted = s.list(U, true);
    assert_eq!(with_deleted.len(), 1);
    assert_eq!(with_deleted[0]["deleted"], true);
    assert_eq!(s.count(U, true), 1);
    assert_eq!(s.count(U, false), 0);
}

#[test]
fn stale_if_match_is_409_and_changes_nothing() {
    let mut s = store();
    let a = create_one(&mut s, U, agent("a"));
    let stale = IfMatch::Revision(s.revision(U) - 1);
    let before = snapshot(&s);
    assert_rule(
        s.update(U, vec![with(agent("a"), "id", json!(a))], Some(stale)),
        409,
        "If-Match",
        "ifMatch.stale",
    );
    assert_rule(s.delete(U, vec![a.into()], Some(stale)), 409, "If-Match", "ifMatch.stale");
    assert_eq!(snapshot(&s), before);
}

#[test]
fn current_or_any_if_match_is_accepted() {
    let mut s = store();
    let a = create_one(&mut s, U, agent("a"));
    let current = IfMatch::Revision(s.revision(U));
    assert!(s.update(U, vec![with(agent("a"), "id", json!(a))], Some(current)).is_ok());
    assert!(s.update(U, vec![with(agent("a"), "id", json!(a))], Some(IfMatch::Any)).is_ok());
    assert!(s.update(U, vec![with(agent("a"), "id", json!(a))], None).is_ok());
    assert!(s.update(U, vec![with(agent("a"), "id", json!(a))], Some(IfMatch::parse("-1").unwrap())).is_ok());
}

#[test]
fn strict_if_match_requires_the_header() {
    let mut s = store_with(StoreConfig { strict_if_match: true, ..Default::default() });
    let a = create_one(&mut s, U, agent("a"));
    assert_rule(
        s.update(U, vec![with(agent("a"), "id", json!(a))], None),
        400,
        "If-Match",
        "ifMatch.required",
    );
    assert_rule(s.delete(U, vec![a.into()], None), 400, "If-Match", "ifMatch.required");
    assert!(s.delete(U, vec![a.into()], Some(IfMatch::Any)).is_ok());
}

#[test]
fn if_match_for_reads() {
    let s = store();
    assert!(IfMatch::Revision(1).not_modified(s.revision(G)));
    assert!(!IfMatch::Any.not_modified(s.revision(G)));
    assert!(!IfMatch::Revision(0).not_modified(s.revision(G)));
}

#[test]
fn failed_create_batch_changes_nothing_and_burns_no_ids() {
    let mut s = store();
    create_one(&mut s, U, agent("a"));
    let before = snapshot(&s);
    let r = s.create(U, vec![agent("b"), agent("c"), without(agent("d"), "email")]);
    assert_rule(r, 400, "email", "email.required");
    assert_eq!(snapshot(&s), before);
    assert_eq!(create_one(&mut s, U, agent("b")), FIRST_USER + 100);
}

#[test]
fn failed_update_batch_changes_nothing() {
    let mut s = store();
    let a = create_one(&mut s, U, agent("a"));
    let b = create_one(&mut s, U, agent("b"));
    let before = snapshot(&s);
    let r = s.update(
        U,
        vec![
            with(with(agent("a"), "id", json!(a)), "maxChats", json!(9)),
            with(with(agent("b"), "id", json!(b)), "skillIds", json!([1])),
        ],
        None,
    );
    assert_rule(r, 400, "skillIds", "skillIds.unknown");
    assert_eq!(snapshot(&s), before);
}

#[test]
fn failed_delete_batch_changes_nothing() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    let b = make_group(&mut s, "B", -1);
    create_one(&mut s, U, with(agent("u"), "memberOf", json!({"agentGroupId": b})));
    let before = snapshot(&s);
    assert_rule(s.delete(G, vec![a.into(), b.into()], None), 400, "id", "agentGroup.referencedByUsers");
    assert_eq!(snapshot(&s), before);
}

#[test]
fn password_operations_bump_the_revision() {
    let mut s = store();
    let a = create_one(&mut s, U, agent("a"));
    let r = s.revision(U);
    s.reset_password(a, &json!({"newPassword": "Brand-new-pw1"})).unwrap();
    assert_eq!(s.revision(U), r + 1);
    let before = snapshot(&s);
    assert!(s.reset_password(a, &json!({"newPassword": "x"})).is_err());
    assert_eq!(snapshot(&s), before);
}

// ----- select -----

#[test]
fn default_user_list_projection_is_short() {
    let mut s = store();
    create_one(&mut s, U, agent("a"));
    let sel = s.selector(U, true, None);
    let listed = s.list_projected(U, false, &sel);
    let keys: Vec<&String> = listed[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4);
    for k in ["id", "pid", "deleted", "loginName"] {
        assert!(listed[0].get(k).is_some(), "{k}");
    }
    assert_eq!(s.selector(U, false, None), Selector::All, "GET by id: all fields");
}

#[test]
fn default_user_list_projection_configurable() {
    let s = store_with(StoreConfig { default_select_all_for_users: true, ..Default::default() });
    assert_eq!(s.selector(U, true, None), Selector::All);
}

#[test]
fn skills_default_projection() {
    let s = store();
    assert_eq!(s.selector(CollectionKind::Skills, true, None), Selector::fields(&["id", "deleted", "name"]));
    assert_eq!(s.selector(CollectionKind::Lobs, true, None), Selector::All);
}

#[test]
fn select_all_nested_and_unknown() {
    let mut s = store();
    let a = create_one(&mut s, U, agent("a"));
    let full = s.get(U, a, false).unwrap();
    assert_eq!(project(&full, &Selector::parse("$all")), full);
    let p = project(&full, &Selector::parse("id,memberOf(agentGroupId),bogus"));
    assert_eq!(p, json!({"id": a, "memberOf": {"agentGroupId": -1}}));
}

#[test]
fn list_json_matches_projection() {
    let mut s = store();
    s.create(U, vec![agent("a"), agent("b")]).unwrap();
    for sel in [Selector::All, Selector::parse("id,loginName"), s.default_selector(U, true)] {
        let body: Value = serde_json::from_str(&s.list_json(U, false, &sel)).unwrap();
        assert_eq!(body, Value::Array(s.list_projected(U, false, &sel)));
    }
    assert_eq!(s.list_json(CollectionKind::Lobs, false, &Selector::All), "[]");
}

// ----- errors -----

#[test]
fn error_body_is_flat_with_field_and_rule() {
    let mut s = AccountStore::new("1", StoreConfig::default());
    let e: StoreError = err(s.create(U, vec![without(agent("a"), "email")]));
    let body = e.to_body();
    assert_eq!(body["field"], "email");
    assert_eq!(body["rule"], "email.required");
    assert_eq!(body["internalCode"], 400);
    assert!(body["message"].as_str().unwrap().contains("email"));
    assert!(body["time"].as_u64().unwrap() > 1_600_000_000_000);
}

#[test]
fn unknown_ids_on_read() {
    let s = store();
    assert_rule(s.get(U, 1, true), 404, "id", "id.notFound");
    assert_eq!(CollectionKind::from_path_segment("agentGroups"), Some(G));
    assert_eq!(CollectionKind::from_path_segment("AgentGroups"), None);
    for k in CollectionKind::ALL {
        assert_eq!(CollectionKind::from_path_segment(k.path_segment()), Some(k));
    }
}
