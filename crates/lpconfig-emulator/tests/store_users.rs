//! Users: every rule of users-api.md §7.1-§7.4 with D13-D16, one test each.

mod store_common;

use lpconfig_emulator::store::{AccountStore, Clock, CollectionKind, IdInput, StoreConfig};
use serde_json::{json, Value};
use store_common::*;

const U: CollectionKind = CollectionKind::Users;

fn created(s: &mut AccountStore, body: Value) -> i64 {
    create_one(s, U, body)
}

// ----- create: body shape -----

#[test]
fn empty_batch_is_refused() {
    assert_rule(store().create(U, vec![]), 400, "body", "body.empty");
}

#[test]
fn non_object_item_is_refused() {
    assert_rule(store().create(U, vec![json!("jane")]), 400, "body", "body.type");
}

#[test]
fn batch_limit_when_configured() {
    let mut s = store_with(StoreConfig { max_batch: Some(1), ..Default::default() });
    assert_rule(s.create(U, vec![agent("a"), agent("b")]), 400, "body", "body.tooLarge");
}

#[test]
fn user_limit_when_configured() {
    let mut s = store_with(StoreConfig { max_users: Some(1), ..Default::default() });
    created(&mut s, agent("a"));
    assert_rule(s.create(U, vec![agent("b")]), 400, "body", "users.limit");
}

// ----- create: required fields -----

#[test]
fn login_name_required() {
    assert_rule(
        store().create(U, vec![without(agent("a"), "loginName")]),
        400,
        "loginName",
        "loginName.required",
    );
    assert_rule(
        store().create(U, vec![with(agent("a"), "loginName", json!(""))]),
        400,
        "loginName",
        "loginName.required",
    );
}

#[test]
fn full_name_required_but_empty_accepted() {
    assert_rule(
        store().create(U, vec![without(agent("a"), "fullName")]),
        400,
        "fullName",
        "fullName.required",
    );
    let mut s = store();
    assert!(s.create(U, vec![with(agent("a"), "fullName", json!(""))]).is_ok());
}

#[test]
fn empty_full_name_refused_when_configured() {
    let mut s = store_with(StoreConfig { allow_empty_full_name: false, ..Default::default() });
    assert_rule(
        s.create(U, vec![with(agent("a"), "fullName", json!(""))]),
        400,
        "fullName",
        "fullName.empty",
    );
}

#[test]
fn nickname_required() {
    assert_rule(
        store().create(U, vec![without(agent("a"), "nickname")]),
        400,
        "nickname",
        "nickname.required",
    );
}

#[test]
fn email_required() {
    assert_rule(store().create(U, vec![without(agent("a"), "email")]), 400, "email", "email.required");
}

#[test]
fn is_enabled_required() {
    assert_rule(
        store().create(U, vec![without(agent("a"), "isEnabled")]),
        400,
        "isEnabled",
        "isEnabled.required",
    );
}

#[test]
fn max_chats_required() {
    assert_rule(
        store().create(U, vec![without(agent("a"), "maxChats")]),
        400,
        "maxChats",
        "maxChats.required",
    );
}

#[test]
fn profile_ids_required() {
    assert_rule(
        store().create(U, vec![with(agent("a"), "profileIds", json!([]))]),
        400,
        "profileIds",
        "profileIds.required",
    );
    assert_rule(
        store().create(U, vec![without(agent("a"), "profileIds")]),
        400,
        "profileIds",
        "profileIds.required",
    );
}

// ----- create: types -----

#[test]
fn wrong_types_name_field_and_rule() {
    let cases = [
        ("maxChats", json!("many"), "maxChats.type"),
        ("isEnabled", json!("yes"), "isEnabled.type"),
        ("skillIds", json!("1"), "skillIds.type"),
        ("profileIds", json!(["x"]), "profileIds.type"),
        ("memberOf", json!(5), "memberOf.type"),
        ("permissionGroups", json!(["a"]), "permissionGroups.type"),
        ("passwordSh", json!(12345678), "passwordSh.type"),
        ("loginName", json!(["a"]), "loginName.type"),
    ];
    for (field, value, rule) in cases {
        assert_rule(store().create(U, vec![with(agent("a"), field, value)]), 400, field, rule);
    }
}

#[test]
fn lenient_input_of_the_docs_string_examples() {
    let mut s = store();
    let body = json!({
        "id": "987654321", "deleted": "false", "loginName": "jane", "fullName": "Jane",
        "nickname": "J", "email": "j@example.com", "passwordSh": "pppppppp",
        "isEnabled": "true", "maxChats": "4", "maxAsyncChats": "10",
        "profileIds": [P_AGENT], "memberOf": {"agentGroupId": "-1"},
        "permissionGroups": ["1"], "changePwdNextLogin": "false", "userTypeId": "1"
    });
    let out = s.create(U, vec![body]).unwrap().remove(0);
    assert_eq!(out["isEnabled"], true);
    assert_eq!(out["maxChats"], 4);
    assert_eq!(out["maxAsyncChats"], 10);
    assert_eq!(out["memberOf"]["agentGroupId"], -1);
    assert_eq!(out["permissionGroups"], json!([1]));
    assert_eq!(out["changePwdNextLogin"], false);
    assert_eq!(out["userTypeId"], 1);
    assert_ne!(out["id"], 987654321, "id in input is ignored");
    assert_eq!(out["deleted"], false);
}

// ----- create: loginName -----

#[test]
fn login_name_duplicate_case_insensitive() {
    let mut s = store();
    created(&mut s, agent("Jane.Doe"));
    assert_rule(s.create(U, vec![agent("jane.doe")]), 409, "loginName", "loginName.duplicate");
}

#[test]
fn login_name_duplicate_inside_one_batch() {
    assert_rule(store().create(U, vec![agent("a"), agent("A")]), 409, "loginName", "loginName.duplicate");
}

#[test]
fn login_name_case_sensitive_when_configured() {
    let mut s = store_with(StoreConfig { login_name_case_sensitive: true, ..Default::default() });
    created(&mut s, agent("Jane"));
    assert!(s.create(U, vec![agent("jane")]).is_ok());
}

#[test]
fn login_name_reusable_after_delete() {
    let mut s = store();
    let id = created(&mut s, agent("jane"));
    s.delete(U, vec![id.into()], None).unwrap();
    assert!(s.create(U, vec![agent("JANE")]).is_ok());
}

#[test]
fn login_name_shape() {
    for bad in [" jane", "jane ", "ja\u{7}ne", &"x".repeat(255)] {
        assert_rule(
            store().create(U, vec![with(agent("a"), "loginName", json!(bad))]),
            400,
            "loginName",
            "loginName.invalid",
        );
    }
    let mut s = store();
    assert!(s.create(U, vec![with(agent("a"), "loginName", json!("1234w\u{4e2d}\u{6587}allacom"))]).is_ok());
}

#[test]
fn login_name_shape_check_can_be_disabled() {
    let mut s = store_with(StoreConfig { validate_login_name: false, ..Default::default() });
    assert!(s.create(U, vec![with(agent("a"), "loginName", json!(" jane"))]).is_ok());
}

// ----- create: email -----

#[test]
fn email_shape() {
    for bad in ["jane", "a@b@c", "@example.com", "jane@", "ja ne@example.com"] {
        assert_rule(
            store().create(U, vec![with(agent("a"), "email", json!(bad))]),
            400,
            "email",
            "email.invalid",
        );
    }
}

#[test]
fn email_not_unique() {
    let mut s = store();
    created(&mut s, with(agent("a"), "email", json!("same@example.com")));
    assert!(s.create(U, vec![with(agent("b"), "email", json!("same@example.com"))]).is_ok());
}

// ----- create: passwords and API users -----

#[test]
fn password_required_for_human_users() {
    assert_rule(
        store().create(U, vec![without(agent("a"), "passwordSh")]),
        400,
        "passwordSh",
        "passwordSh.required",
    );
    assert_rule(
        store().create(U, vec![with(agent("a"), "passwordSh", Value::Null)]),
        400,
        "passwordSh",
        "passwordSh.required",
    );
}

#[test]
fn password_minimum_length() {
    assert_rule(
        store().create(U, vec![with(agent("a"), "passwordSh", json!("short12"))]),
        400,
        "passwordSh",
        "passwordSh.tooShort",
    );
    let mut s = store_with(StoreConfig { min_password_len: 4, ..Default::default() });
    assert!(s.create(U, vec![with(agent("a"), "passwordSh", json!("abcd"))]).is_ok());
}

fn bot(login: &str) -> Value {
    let b = with(agent(login), "isApiUser", json!(true));
    let b = with(b, "allowedAppKeys", json!("d392e7ff2e204d6c802e38fd775563d1"));
    with(without(b, "passwordSh"), "userTypeId", json!(2))
}

#[test]
fn api_user_without_password() {
    let mut s = store();
    let out = s.create(U, vec![bot("billing-bot")]).unwrap().remove(0);
    assert!(out.get("passwordSh").is_none());
    assert!(out.get("lastPwdChangeDate").is_none());
    assert!(!s.check_password("billing-bot", ""));
}

#[test]
fn api_user_refuses_password() {
    assert_rule(
        store().create(U, vec![with(bot("b"), "passwordSh", json!("Str0ng-Passw0rd"))]),
        400,
        "passwordSh",
        "passwordSh.notAllowed",
    );
}

#[test]
fn api_user_needs_allowed_app_keys() {
    assert_rule(
        store().create(U, vec![without(bot("b"), "allowedAppKeys")]),
        400,
        "allowedAppKeys",
        "allowedAppKeys.required",
    );
    assert_rule(
        store().create(U, vec![with(bot("b"), "allowedAppKeys", json!(""))]),
        400,
        "allowedAppKeys",
        "allowedAppKeys.required",
    );
}

#[test]
fn user_type_id_values() {
    for bad in [0, 3, -1] {
        assert_rule(
            store().create(U, vec![with(agent("a"), "userTypeId", json!(bad))]),
            400,
            "userTypeId",
            "userTypeId.invalid",
        );
    }
    let mut s = store_with(StoreConfig { allow_system_user: true, ..Default::default() });
    assert!(s.create(U, vec![with(agent("a"), "userTypeId", json!(0))]).is_ok());
}

#[test]
fn user_type_defaults_to_one_and_accepts_legacy_name() {
    let mut s = store();
    let a = created(&mut s, without(agent("a"), "userTypeId"));
    assert_eq!(user(&s, a)["userTypeId"], 1);
    let b = created(&mut s, with(without(agent("b"), "userTypeId"), "userType", json!(2)));
    assert_eq!(user(&s, b)["userTypeId"], 2);
    assert!(user(&s, b).get("userType").is_none());
}

// ----- create: profiles and roles -----

#[test]
fn profile_must_exist() {
    assert_rule(
        store().create(U, vec![with(agent("a"), "profileIds", json!([1]))]),
        400,
        "profileIds",
        "profileIds.unknown",
    );
}

#[test]
fn profile_must_not_be_deleted() {
    let mut s = store();
    let p = create_one(&mut s, CollectionKind::Profiles, json!({"name": "Agents 2", "roleTypeId": 2}));
    s.delete(CollectionKind::Profiles, vec![p.into()], None).unwrap();
    assert_rule(
        s.create(U, vec![with(agent("a"), "profileIds", json!([p]))]),
        400,
        "profileIds",
        "profileIds.unknown",
    );
}

#[test]
fn one_profile_per_role() {
    let mut s = store();
    let p = create_one(&mut s, CollectionKind::Profiles, json!({"name": "Agents 2", "roleTypeId": 2}));
    assert_rule(
        s.create(U, vec![with(agent("a"), "profileIds", json!([P_AGENT, p]))]),
        400,
        "profileIds",
        "profileIds.duplicateRole",
    );
}

#[test]
fn at_most_four_profiles() {
    let mut s = store();
    let lpa = create_one(&mut s, CollectionKind::Profiles, json!({"name": "LPA", "roleTypeId": 5}));
    let body = with(agent("a"), "profileIds", json!([P_ADMIN, P_AGENT, P_MANAGER, P_CAMPAIGN, lpa]));
    assert_rule(s.create(U, vec![body.clone()]), 400, "profileIds", "profileIds.tooMany");
    let mut relaxed = store_with(StoreConfig { one_profile_per_role: false, ..Default::default() });
    let lpa = create_one(&mut relaxed, CollectionKind::Profiles, json!({"name": "LPA", "roleTypeId": 5}));
    let body = with(body, "profileIds", json!([P_ADMIN, P_AGENT, P_MANAGER, P_CAMPAIGN, lpa]));
    assert!(relaxed.create(U, vec![body]).is_ok());
}

#[test]
fn duplicate_ids_in_arrays_are_removed() {
    let mut s = store();
    let id = created(&mut s, with(agent("a"), "profileIds", json!([P_AGENT, P_AGENT])));
    assert_eq!(user(&s, id)["profileIds"], json!([P_AGENT]));
}

// ----- create: memberOf / managerOf -----

#[test]
fn agent_requires_member_of() {
    assert_rule(
        store().create(U, vec![without(agent("a"), "memberOf")]),
        400,
        "memberOf",
        "memberOf.required",
    );
}

#[test]
fn agent_auto_assigned_to_main_group_when_configured() {
    let mut s = store_with(StoreConfig { agent_requires_member_of: false, ..Default::default() });
    let id = created(&mut s, without(agent("a"), "memberOf"));
    assert_eq!(user(&s, id)["memberOf"]["agentGroupId"], -1);
}

#[test]
fn member_of_group_must_exist() {
    assert_rule(
        store().create(U, vec![with(agent("a"), "memberOf", json!({"agentGroupId": 999}))]),
        400,
        "memberOf.agentGroupId",
        "memberOf.unknownGroup",
    );
}

#[test]
fn member_of_group_must_not_be_deleted() {
    let mut s = store();
    let g = make_group(&mut s, "Gone", -1);
    s.delete(CollectionKind::AgentGroups, vec![g.into()], None).unwrap();
    assert_rule(
        s.create(U, vec![with(agent("a"), "memberOf", json!({"agentGroupId": g}))]),
        400,
        "memberOf.agentGroupId",
        "memberOf.unknownGroup",
    );
}

#[test]
fn member_of_dropped_without_agent_role() {
    let mut s = store();
    let id = created(&mut s, with(admin("ada"), "memberOf", json!({"agentGroupId": -1})));
    assert!(user(&s, id).get("memberOf").is_none());
}

#[test]
fn manager_of_needs_agent_manager_role() {
    assert_rule(
        store().create(U, vec![with(agent("a"), "managerOf", json!([{"agentGroupId": -1}]))]),
        400,
        "managerOf",
        "managerOf.notManager",
    );
}

#[test]
fn manager_of_no_duplicates() {
    let body = with(admin("m"), "profileIds", json!([P_MANAGER]));
    let body = with(body, "managerOf", json!([{"agentGroupId": -1}, {"agentGroupId": "-1"}]));
    assert_rule(store().create(U, vec![body]), 400, "managerOf", "managerOf.duplicate");
}

#[test]
fn manager_of_group_must_exist() {
    let body = with(admin("m"), "profileIds", json!([P_MANAGER]));
    let body = with(body, "managerOf", json!([{"agentGroupId": 4242}]));
    assert_rule(store().create(U, vec![body]), 400, "managerOf.agentGroupId", "managerOf.unknownGroup");
}

#[test]
fn manager_and_agent_in_one_user() {
    let mut s = store();
    let g = make_group(&mut s, "Billing", -1);
    let body = with(agent("maria"), "profileIds", json!([P_AGENT, P_MANAGER]));
    let body = with(body, "managerOf", json!([{"agentGroupId": -1}, {"agentGroupId": g}]));
    let id = created(&mut s, body);
    let u = user(&s, id);
    assert_eq!(u["managerOf"].as_array().unwrap().len(), 2);
    assert!(u["managerOf"][0]["assignmentDate"].is_string());
    assert_eq!(s.user_roles(id), vec![2, 3]);
}

// ----- create: skills, LOBs, concurrency, misc -----

#[test]
fn skills_must_exist() {
    assert_rule(
        store().create(U, vec![with(agent("a"), "skillIds", json!([77]))]),
        400,
        "skillIds",
        "skillIds.unknown",
    );
}

#[test]
fn lobs_must_exist() {
    assert_rule(
        store().create(U, vec![with(agent("a"), "lobIds", json!([77]))]),
        400,
        "lobIds",
        "lobIds.unknown",
    );
}

#[test]
fn max_chats_range() {
    assert_rule(
        store().create(U, vec![with(agent("a"), "maxChats", json!(-2))]),
        400,
        "maxChats",
        "maxChats.range",
    );
    let mut s = store();
    assert!(s.create(U, vec![with(agent("a"), "maxChats", json!(-1))]).is_ok());
    let strict =
        StoreConfig { allow_max_chats_minus_one: false, max_chats_limit: Some(10), ..Default::default() };
    assert_rule(
        store_with(strict.clone()).create(U, vec![with(agent("a"), "maxChats", json!(-1))]),
        400,
        "maxChats",
        "maxChats.range",
    );
    assert_rule(
        store_with(strict).create(U, vec![with(agent("a"), "maxChats", json!(11))]),
        400,
        "maxChats",
        "maxChats.range",
    );
}

#[test]
fn max_async_chats_range() {
    assert_rule(
        store().create(U, vec![with(agent("a"), "maxAsyncChats", json!(-1))]),
        400,
        "maxAsyncChats",
        "maxAsyncChats.range",
    );
    let mut s = store();
    let id = created(&mut s, with(agent("a"), "maxAsyncChats", Value::Null));
    assert!(user(&s, id)["maxAsyncChats"].is_null());
}

#[test]
fn server_set_fields() {
    let mut s = store();
    s.set_clock(Clock::Fixed("2024-03-01 09:15:00".into()));
    let body = with(agent("a"), "pid", json!("mine"));
    let body = with(body, "dateUpdated", json!("1999-01-01 00:00:00"));
    let body = with(body, "deleted", json!(true));
    let body = with(body, "memberOf", json!({"agentGroupId": -1, "assignmentDate": "1999-01-01 00:00:00"}));
    let out = s.create(U, vec![body]).unwrap().remove(0);
    assert_eq!(out["id"], FIRST_USER);
    assert_eq!(out["deleted"], false);
    assert_eq!(out["pid"].as_str().unwrap().len(), 36);
    assert_eq!(out["dateUpdated"], "2024-03-01 09:15:00");
    assert_eq!(out["lastPwdChangeDate"], "2024-03-01 09:15:00");
    assert_eq!(out["memberOf"]["assignmentDate"], "2024-03-01 09:15:00");
    assert_eq!(out["disabledManually"], false);
    assert_eq!(out["permissionGroups"], json!([]));
    assert_eq!(out["skillIds"], json!([]));
    assert_eq!(out["managerOf"], json!([]));
    assert_eq!(out["isApiUser"], false);
}

#[test]
fn disabled_manually_defaults_to_not_enabled() {
    let mut s = store();
    let id = created(&mut s, with(agent("a"), "isEnabled", json!(false)));
    assert_eq!(user(&s, id)["disabledManually"], true);
    let id =
        created(&mut s, with(with(agent("b"), "isEnabled", json!(false)), "disabledManually", json!(false)));
    assert_eq!(user(&s, id)["disabledManually"], false);
}

#[test]
fn unknown_fields_are_kept_and_echoed() {
    let mut s = store();
    let body = with(agent("a"), "futureField", json!({"x": [1, 2]}));
    let id = created(&mut s, body);
    assert_eq!(user(&s, id)["futureField"], json!({"x": [1, 2]}));
    let mut round = user(&s, id);
    round["maxChats"] = json!(5);
    let out = s.update(U, vec![round], None).unwrap().remove(0);
    assert_eq!(out["futureField"], json!({"x": [1, 2]}));
    assert_eq!(out["maxChats"], 5);
}

#[test]
fn ids_are_never_reused_and_batches_keep_order() {
    let mut s = store();
    let out = s.create(U, vec![agent("a"), agent("b")]).unwrap();
    assert_eq!(out[0]["loginName"], "a");
    assert_eq!(out[1]["id"], FIRST_USER + 100);
    s.delete(U, vec![IdInput::Num(FIRST_USER + 100)], None).unwrap();
    assert_eq!(created(&mut s, agent("c")), FIRST_USER + 200);
}

// ----- masking and password output (D13, D14) -----

#[test]
fn masked_fields_and_opaque_password_on_read() {
    let mut s = store();
    let id = created(&mut s, with(agent("a"), "employeeId", json!("EXT-1")));
    let u = user(&s, id);
    assert_eq!(u["fullName"], "");
    assert_eq!(u["employeeId"], "");
    let pw = u["passwordSh"].as_str().unwrap();
    assert!(pw.starts_with("<<slt>>1000:"));
    assert!(!pw.contains("Str0ng"));
    assert!(s.check_password("A", "Str0ng-Passw0rd"));
    assert!(!s.check_password("a", "wrong-password"));
}

#[test]
fn unmasked_when_masking_off() {
    let mut s = store_with(StoreConfig { masking: false, emit_password_hash: false, ..Default::default() });
    let id = created(&mut s, with(agent("a"), "employeeId", json!("EXT-1")));
    let u = user(&s, id);
    assert_eq!(u["fullName"], "Jane Doe");
    assert_eq!(u["employeeId"], "EXT-1");
    assert!(u.get("passwordSh").is_none());
}

#[test]
fn empty_masked_fields_on_put_keep_stored_values() {
    let mut s = store();
    let id = created(&mut s, with(agent("a"), "employeeId", json!("EXT-1")));
    let read = user(&s, id); // masked: "" for both, passwordSh opaque
    s.update(U, vec![read], None).unwrap();
    let raw = s.stored(U, id).unwrap();
    assert_eq!(raw["fullName"], "Jane Doe");
    assert_eq!(raw["employeeId"], "EXT-1");
    assert!(s.check_password("a", "Str0ng-Passw0rd"), "the echoed passwordSh means unchanged");
    // A real new value still replaces it.
    s.update(U, vec![with(with(agent("a"), "id", json!(id)), "fullName", json!("Jane Roe"))], None).unwrap();
    assert_eq!(s.stored(U, id).unwrap()["fullName"], "Jane Roe");
    assert!(s.stored(U, id).unwrap().get("employeeId").is_none(), "omitted means cleared");
}

#[test]
fn empty_fields_are_stored_when_masking_off() {
    let mut s = store_with(StoreConfig { masking: false, ..Default::default() });
    let id = created(&mut s, with(agent("a"), "employeeId", json!("EXT-1")));
    let read = with(with(user(&s, id), "fullName", json!("")), "employeeId", json!(""));
    s.update(U, vec![read], None).unwrap();
    assert_eq!(user(&s, id)["fullName"], "");
    assert_eq!(user(&s, id)["employeeId"], "");
}

// ----- update -----

#[test]
fn update_is_full_replacement() {
    let mut s = store();
    let body = with(with(agent("a"), "description", json!("tier 1")), "permissionGroups", json!([1]));
    let id = created(&mut s, body);
    let mut next = without(without(agent("a"), "description"), "permissionGroups");
    next["id"] = id.into();
    next["passwordSh"] = Value::Null;
    let out = s.update(U, vec![next], None).unwrap().remove(0);
    assert!(out.get("description").is_none());
    assert_eq!(out["permissionGroups"], json!([]));
}

#[test]
fn update_applies_create_rules_again() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    let next = with(without(agent("a"), "nickname"), "id", json!(id));
    assert_rule(s.update(U, vec![next], None), 400, "nickname", "nickname.required");
}

#[test]
fn update_login_name_may_change_and_keep_own_name() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    assert!(s.update(U, vec![with(agent("A"), "id", json!(id))], None).is_ok());
    assert!(s.update(U, vec![with(agent("renamed"), "id", json!(id))], None).is_ok());
    assert!(s.find_user_by_login("a").is_none());
    assert_eq!(s.find_user_by_login("RENAMED").unwrap()["id"], id);
}

#[test]
fn update_login_name_duplicate() {
    let mut s = store();
    created(&mut s, agent("a"));
    let b = created(&mut s, agent("b"));
    assert_rule(
        s.update(U, vec![with(agent("A"), "id", json!(b))], None),
        409,
        "loginName",
        "loginName.duplicate",
    );
}

#[test]
fn update_batch_may_swap_login_names() {
    let mut s = store();
    let a = created(&mut s, agent("a"));
    let b = created(&mut s, agent("b"));
    s.update(U, vec![with(agent("b"), "id", json!(a)), with(agent("a"), "id", json!(b))], None).unwrap();
    assert_eq!(s.find_user_by_login("a").unwrap()["id"], b);
}

#[test]
fn login_name_immutable_when_configured() {
    let mut s = store_with(StoreConfig { login_name_immutable: true, ..Default::default() });
    let id = created(&mut s, agent("a"));
    assert_rule(
        s.update(U, vec![with(agent("b"), "id", json!(id))], None),
        400,
        "loginName",
        "loginName.immutable",
    );
}

#[test]
fn losing_agent_role_resets_agent_fields() {
    let mut s = store();
    let skill = create_one(&mut s, CollectionKind::Skills, json!({"name": "Billing"}));
    let id = created(&mut s, with(agent("a"), "skillIds", json!([skill])));
    let next = with(with(agent("a"), "id", json!(id)), "profileIds", json!([P_ADMIN]));
    let next = with(next, "skillIds", json!([skill]));
    let out = s.update(U, vec![next], None).unwrap().remove(0);
    assert_eq!(out["maxChats"], 0);
    assert!(out["maxAsyncChats"].is_null());
    assert!(out.get("memberOf").is_none());
    assert_eq!(out["skillIds"], json!([]));
}

#[test]
fn losing_agent_manager_role_resets_manager_of() {
    let mut s = store();
    let body = with(agent("m"), "profileIds", json!([P_AGENT, P_MANAGER]));
    let body = with(body, "managerOf", json!([{"agentGroupId": -1}]));
    let id = created(&mut s, body.clone());
    let next = with(with(body, "id", json!(id)), "profileIds", json!([P_AGENT]));
    let out = s.update(U, vec![next], None).unwrap().remove(0);
    assert_eq!(out["managerOf"], json!([]));
    assert_eq!(out["memberOf"]["agentGroupId"], -1, "still an agent");
}

#[test]
fn assignment_date_kept_when_group_unchanged() {
    let mut s = store();
    let g = make_group(&mut s, "Billing", -1);
    s.set_clock(Clock::Fixed("2024-01-01 00:00:00".into()));
    let id = created(&mut s, agent("a"));
    s.set_clock(Clock::Fixed("2024-02-02 00:00:00".into()));
    let out = s.update(U, vec![with(agent("a"), "id", json!(id))], None).unwrap().remove(0);
    assert_eq!(out["memberOf"]["assignmentDate"], "2024-01-01 00:00:00");
    assert_eq!(out["dateUpdated"], "2024-02-02 00:00:00");
    let moved = with(with(agent("a"), "id", json!(id)), "memberOf", json!({"agentGroupId": g}));
    let out = s.update(U, vec![moved], None).unwrap().remove(0);
    assert_eq!(out["memberOf"]["assignmentDate"], "2024-02-02 00:00:00");
}

#[test]
fn disabled_manually_follows_is_enabled_changes() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    let off =
        s.update(U, vec![with(with(agent("a"), "id", json!(id)), "isEnabled", json!(false))], None).unwrap();
    assert_eq!(off[0]["disabledManually"], true);
    let kept =
        s.update(U, vec![with(with(agent("a"), "id", json!(id)), "isEnabled", json!(false))], None).unwrap();
    assert_eq!(kept[0]["disabledManually"], true);
    let given = with(with(agent("a"), "id", json!(id)), "disabledManually", json!(true));
    assert_eq!(s.update(U, vec![given], None).unwrap()[0]["disabledManually"], true);
}

#[test]
fn password_unchanged_on_null_absent_or_echo() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    let before = user(&s, id)["lastPwdChangeDate"].clone();
    for pw in [Value::Null, user(&s, id)["passwordSh"].clone()] {
        s.update(U, vec![with(with(agent("a"), "id", json!(id)), "passwordSh", pw)], None).unwrap();
    }
    s.update(U, vec![without(with(agent("a"), "id", json!(id)), "passwordSh")], None).unwrap();
    assert!(s.check_password("a", "Str0ng-Passw0rd"));
    assert_eq!(user(&s, id)["lastPwdChangeDate"], before);
}

#[test]
fn password_changed_by_new_value() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    s.update(U, vec![with(with(agent("a"), "id", json!(id)), "passwordSh", json!("An0ther-Passw0rd"))], None)
        .unwrap();
    assert!(s.check_password("a", "An0ther-Passw0rd"));
    assert!(!s.check_password("a", "Str0ng-Passw0rd"));
}

#[test]
fn password_history_when_configured() {
    let mut s = store_with(StoreConfig { password_history: true, ..Default::default() });
    let id = created(&mut s, agent("a"));
    let same = with(with(agent("a"), "id", json!(id)), "passwordSh", json!("Str0ng-Passw0rd"));
    assert_rule(s.update(U, vec![same], None), 400, "passwordSh", "passwordSh.reused");
}

#[test]
fn becoming_api_user_clears_password() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    let out = s.update(U, vec![with(bot("a"), "id", json!(id))], None).unwrap().remove(0);
    assert!(out.get("passwordSh").is_none());
    assert!(!s.check_password("a", "Str0ng-Passw0rd"));
}

#[test]
fn leaving_api_user_requires_password() {
    let mut s = store();
    let id = created(&mut s, bot("b"));
    let human = with(with(without(agent("b"), "passwordSh"), "id", json!(id)), "passwordSh", Value::Null);
    assert_rule(s.update(U, vec![human.clone()], None), 400, "passwordSh", "passwordSh.required");
    let lax = StoreConfig { api_user_to_human_requires_password: false, ..Default::default() };
    let mut s = store_with(lax);
    let id = created(&mut s, bot("b"));
    assert!(s.update(U, vec![with(human, "id", json!(id))], None).is_ok());
}

#[test]
fn update_unknown_id_is_404_for_the_whole_batch() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    let before = snapshot(&s);
    let r = s.update(U, vec![with(agent("a2"), "id", json!(id)), with(agent("x"), "id", json!(1))], None);
    assert_rule(r, 404, "id", "id.notFound");
    assert_eq!(snapshot(&s), before);
}

#[test]
fn update_deleted_id_is_404() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    s.delete(U, vec![id.into()], None).unwrap();
    assert_rule(s.update(U, vec![with(agent("a"), "id", json!(id))], None), 404, "id", "id.notFound");
}

#[test]
fn update_needs_ids_without_duplicates() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    assert_rule(s.update(U, vec![agent("a")], None), 400, "id", "id.required");
    let item = with(agent("a"), "id", json!(id));
    assert_rule(s.update(U, vec![item.clone(), item], None), 400, "id", "id.duplicate");
    assert_rule(s.update(U, vec![with(agent("a"), "id", json!("abc"))], None), 400, "id", "id.type");
}

#[test]
fn update_one_checks_body_id() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    assert_rule(s.update_one(U, id, with(agent("a"), "id", json!(id + 1)), None), 400, "id", "id.mismatch");
    assert_eq!(s.update_one(U, id, agent("a"), None).unwrap()["id"], id);
    assert_eq!(s.update_one(U, id, with(agent("a"), "id", json!(id.to_string())), None).unwrap()["id"], id);
}

// ----- delete -----

#[test]
fn delete_is_soft_and_second_delete_is_404() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    let out = s.delete(U, vec![IdInput::Str(id.to_string())], None).unwrap();
    assert_eq!(out[0]["deleted"], true);
    assert_rule(s.get(U, id, false), 404, "id", "id.notFound");
    assert_eq!(s.get(U, id, true).unwrap()["deleted"], true);
    assert_eq!(s.get(U, id, true).unwrap()["memberOf"]["agentGroupId"], -1, "links kept");
    assert_rule(s.delete(U, vec![id.into()], None), 404, "id", "id.notFound");
}

#[test]
fn delete_batch_with_unknown_id_deletes_nothing() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    let before = snapshot(&s);
    assert_rule(s.delete(U, vec![id.into(), 5.into()], None), 404, "id", "id.notFound");
    assert_eq!(snapshot(&s), before);
}

#[test]
fn delete_rejects_bad_ids() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    assert_rule(s.delete(U, vec!["x".into()], None), 400, "id", "id.type");
    assert_rule(s.delete(U, vec![id.into(), id.to_string().into()], None), 400, "id", "id.duplicate");
    assert_rule(s.delete(U, vec![], None), 400, "body", "body.empty");
}

// ----- reset / change password -----

#[test]
fn reset_password() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    s.set_clock(Clock::Fixed("2030-01-01 00:00:00".into()));
    let rev = s.revision(U);
    let out = s.reset_password(id, &json!({"newPassword": "Temp-Passw0rd-2024"})).unwrap();
    assert_eq!(out["lastPwdChangeDate"], "2030-01-01 00:00:00");
    assert_eq!(out["dateUpdated"], "2030-01-01 00:00:00");
    assert!(s.revision(U) > rev);
    assert!(s.check_password("a", "Temp-Passw0rd-2024"));
}

#[test]
fn reset_password_rules() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    let b = created(&mut s, bot("b"));
    assert_rule(s.reset_password(id, &json!({})), 400, "newPassword", "newPassword.required");
    assert_rule(s.reset_password(id, &json!({"newPassword": 5})), 400, "newPassword", "newPassword.type");
    assert_rule(
        s.reset_password(id, &json!({"newPassword": "short"})),
        400,
        "newPassword",
        "newPassword.tooShort",
    );
    assert_rule(
        s.reset_password(b, &json!({"newPassword": "Long-enough-1"})),
        400,
        "newPassword",
        "newPassword.apiUser",
    );
    assert_rule(s.reset_password(1, &json!({"newPassword": "Long-enough-1"})), 404, "id", "id.notFound");
    assert_rule(s.reset_password(id, &json!("x")), 400, "body", "body.type");
    let mut h = store_with(StoreConfig { password_history: true, ..Default::default() });
    let id = created(&mut h, agent("a"));
    assert_rule(
        h.reset_password(id, &json!({"newPassword": "Str0ng-Passw0rd"})),
        400,
        "newPassword",
        "newPassword.reused",
    );
}

#[test]
fn change_password() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    let body = |old: &str, new: &str, confirm: &str| json!({"oldPassword": old, "newPassword": new, "confirmPassword": confirm});
    assert_rule(
        s.change_password(id, &body("Str0ng-Passw0rd", "New-Passw0rd", "Other")),
        400,
        "confirmPassword",
        "confirmPassword.mismatch",
    );
    assert_rule(
        s.change_password(id, &body("wrong-one", "New-Passw0rd", "New-Passw0rd")),
        400,
        "oldPassword",
        "oldPassword.mismatch",
    );
    assert_rule(
        s.change_password(id, &json!({"newPassword": "New-Passw0rd", "confirmPassword": "New-Passw0rd"})),
        400,
        "oldPassword",
        "oldPassword.required",
    );
    assert_rule(
        s.change_password(id, &body("Str0ng-Passw0rd", "short", "short")),
        400,
        "newPassword",
        "newPassword.tooShort",
    );
    s.change_password(id, &body("Str0ng-Passw0rd", "New-Passw0rd", "New-Passw0rd")).unwrap();
    assert!(s.check_password("a", "New-Passw0rd"));
}

#[test]
fn deleted_users_cannot_log_in() {
    let mut s = store();
    let id = created(&mut s, agent("a"));
    s.delete(U, vec![id.into()], None).unwrap();
    assert!(!s.check_password("a", "Str0ng-Passw0rd"));
    assert!(s.find_user_by_login("a").is_none());
}
