//! Skills, profiles and LOBs (agent-groups-api.md §6, users-api.md §7.5).

mod store_common;

use lpconfig_emulator::store::{CollectionKind, StoreConfig};
use serde_json::json;
use store_common::*;

const S: CollectionKind = CollectionKind::Skills;
const P: CollectionKind = CollectionKind::Profiles;
const L: CollectionKind = CollectionKind::Lobs;

#[test]
fn role_profiles_are_seeded() {
    let s = store();
    let profiles = s.list(P, false);
    let got: Vec<(i64, i64, &str)> = profiles
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["roleTypeId"].as_i64().unwrap(),
                p["roleTypeName"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (P_ADMIN, 1, "Administrator"),
            (P_AGENT, 2, "Agent"),
            (P_MANAGER, 3, "Agent Manager"),
            (P_CAMPAIGN, 4, "Campaign Manager")
        ]
    );
    assert!(profiles.iter().all(|p| p["numOfAssignedUsers"] == 0));
}

#[test]
fn skill_defaults_and_pass_through() {
    let mut s = store();
    let out = s
        .create(S, vec![json!({"name": "Billing", "defaultPostChatSurveyId": "77", "skillOrder": "2"})])
        .unwrap()
        .remove(0);
    assert_eq!(out["id"], 2_359_235_912_i64);
    assert_eq!(out["maxWaitTime"], 120);
    assert_eq!(out["canTransfer"], true);
    assert!(out["skillTransferList"].is_null());
    assert_eq!(out["skillRoutingConfiguration"], json!([]));
    assert_eq!(out["lobIds"], json!([]));
    assert_eq!(out["skillOrder"], 2);
    assert_eq!(out["defaultPostChatSurveyId"], "77");
}

#[test]
fn catalog_names_required_and_unique() {
    for kind in [S, L] {
        let mut s = store();
        assert_rule(s.create(kind, vec![json!({"description": "x"})]), 400, "name", "name.required");
        create_one(&mut s, kind, json!({"name": "A"}));
        assert_rule(s.create(kind, vec![json!({"name": "A"})]), 409, "name", "name.duplicate");
    }
    assert_rule(
        store().create(P, vec![json!({"name": "Agent", "roleTypeId": 2})]),
        409,
        "name",
        "name.duplicate",
    );
}

#[test]
fn skill_lobs_must_exist() {
    assert_rule(
        store().create(S, vec![json!({"name": "A", "lobIds": [1]})]),
        400,
        "lobIds",
        "lobIds.unknown",
    );
}

#[test]
fn skill_routing_entries_complete() {
    let r = store().create(
        S,
        vec![json!({"name": "A", "skillRoutingConfiguration": [{"agentGroupId": -1, "priority": 1}]})],
    );
    assert_rule(r, 400, "skillRoutingConfiguration", "skillRoutingConfiguration.invalid");
    let r = store().create(S, vec![json!({"name": "A", "skillRoutingConfiguration": {"agentGroupId": -1}})]);
    assert_rule(r, 400, "skillRoutingConfiguration", "skillRoutingConfiguration.type");
}

#[test]
fn skill_routing_group_must_exist() {
    let routing = json!([{"agentGroupId": 99, "priority": 1, "splitPercentage": 100}]);
    let r = store().create(S, vec![json!({"name": "A", "skillRoutingConfiguration": routing})]);
    assert_rule(r, 400, "skillRoutingConfiguration", "skillRoutingConfiguration.unknownGroup");
}

#[test]
fn skill_transfer_list_must_exist() {
    assert_rule(
        store().create(S, vec![json!({"name": "A", "skillTransferList": [5]})]),
        400,
        "skillTransferList",
        "skillTransferList.unknown",
    );
}

#[test]
fn profile_role_type_rules() {
    assert_rule(store().create(P, vec![json!({"name": "X"})]), 400, "roleTypeId", "roleTypeId.required");
    assert_rule(
        store().create(P, vec![json!({"name": "X", "roleTypeId": 6})]),
        400,
        "roleTypeId",
        "roleTypeId.invalid",
    );
    assert_rule(
        store().create(P, vec![json!({"name": "X", "roleTypeId": 1, "permissions": 5})]),
        400,
        "permissions",
        "profile.type",
    );
}

#[test]
fn profile_role_cannot_change_while_assigned() {
    let mut s = store();
    create_one(&mut s, CollectionKind::Users, agent("a"));
    let r = s.update_one(P, P_AGENT, json!({"name": "Agent", "roleTypeId": 1}), None);
    assert_rule(r, 400, "roleTypeId", "roleTypeId.inUse");
    assert!(s.update_one(P, P_AGENT, json!({"name": "Agent (renamed)", "roleTypeId": 2}), None).is_ok());
    assert!(s.update_one(P, P_CAMPAIGN, json!({"name": "CM", "roleTypeId": 5}), None).is_ok());
}

#[test]
fn profile_counts_follow_users() {
    let mut s = store();
    let a = create_one(&mut s, CollectionKind::Users, agent("a"));
    create_one(&mut s, CollectionKind::Users, agent("b"));
    let rev = s.revision(P);
    assert_eq!(s.get(P, P_AGENT, false).unwrap()["numOfAssignedUsers"], 2);
    s.delete(CollectionKind::Users, vec![a.into()], None).unwrap();
    assert_eq!(s.get(P, P_AGENT, false).unwrap()["numOfAssignedUsers"], 1);
    assert_eq!(s.revision(P), rev, "a derived count is not a profile change");
}

#[test]
fn referenced_skill_cannot_be_deleted() {
    let mut s = store();
    let sk = create_one(&mut s, S, json!({"name": "A"}));
    create_one(&mut s, CollectionKind::Users, with(agent("a"), "skillIds", json!([sk])));
    assert_rule(s.delete(S, vec![sk.into()], None), 400, "id", "catalog.referencedByUsers");
}

#[test]
fn referenced_profile_cannot_be_deleted_even_when_allowed() {
    let mut s = store_with(StoreConfig { allow_delete_referenced_catalog: true, ..Default::default() });
    create_one(&mut s, CollectionKind::Users, agent("a"));
    assert_rule(s.delete(P, vec![P_AGENT.into()], None), 400, "id", "catalog.referencedByUsers");
    assert!(s.delete(P, vec![P_CAMPAIGN.into()], None).is_ok());
}

#[test]
fn lob_referenced_by_skill_cannot_be_deleted() {
    let mut s = store();
    let lob = create_one(&mut s, L, json!({"name": "Retail"}));
    create_one(&mut s, S, json!({"name": "A", "lobIds": [lob]}));
    assert_rule(s.delete(L, vec![lob.into()], None), 400, "id", "catalog.referencedBySkills");
}

#[test]
fn referenced_catalog_deletion_clears_references_when_allowed() {
    let mut s = store_with(StoreConfig { allow_delete_referenced_catalog: true, ..Default::default() });
    let lob = create_one(&mut s, L, json!({"name": "Retail"}));
    let sk = create_one(&mut s, S, json!({"name": "A", "lobIds": [lob]}));
    let u = create_one(
        &mut s,
        CollectionKind::Users,
        with(with(agent("a"), "lobIds", json!([lob])), "skillIds", json!([sk])),
    );
    s.delete(L, vec![lob.into()], None).unwrap();
    s.delete(S, vec![sk.into()], None).unwrap();
    assert_eq!(user(&s, u)["lobIds"], json!([]));
    assert_eq!(user(&s, u)["skillIds"], json!([]));
    assert_eq!(s.get(S, sk, true).unwrap()["lobIds"], json!([]));
}

#[test]
fn lob_crud() {
    let mut s = store();
    let id = create_one(&mut s, L, json!({"name": "Retail", "description": "x"}));
    assert_eq!(id, 6_549_273_612);
    let out = s.update_one(L, id, json!({"name": "Retail 2"}), None).unwrap();
    assert!(out.get("description").is_none());
    assert_eq!(s.delete(L, vec![id.into()], None).unwrap()[0]["deleted"], true);
}
