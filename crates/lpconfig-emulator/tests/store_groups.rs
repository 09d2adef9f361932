//! Agent groups: agent-groups-api.md §3.3 and §4.2 with D3, D15, D17.

mod store_common;

use lpconfig_emulator::store::{CollectionKind, StoreConfig, MAIN_GROUP_ID};
use serde_json::{json, Value};
use store_common::*;

const G: CollectionKind = CollectionKind::AgentGroups;

#[test]
fn main_group_is_seeded() {
    let s = store();
    let main = s.get(G, MAIN_GROUP_ID, false).unwrap();
    assert_eq!(main["name"], "Main Group");
    assert!(main["parentGroupId"].is_null());
    assert_eq!(main["isEnabled"], true);
    assert_eq!(main["deleted"], false);
}

#[test]
fn create_assigns_positive_ids_and_echoes_fields() {
    let mut s = store();
    let out = s
        .create(G, vec![json!({"name": "Billing", "description": "desk", "parentGroupId": "-1", "isEnabled": "true", "extra": 1})])
        .unwrap()
        .remove(0);
    assert_eq!(out["id"], 1001);
    assert_eq!(out["parentGroupId"], -1);
    assert_eq!(out["isEnabled"], true);
    assert_eq!(out["description"], "desk");
    assert_eq!(out["extra"], 1);
    assert!(out["dateUpdated"].is_string());
}

#[test]
fn name_required() {
    assert_rule(
        store().create(G, vec![json!({"parentGroupId": -1, "isEnabled": true})]),
        400,
        "name",
        "name.required",
    );
    assert_rule(store().create(G, vec![group(" ", -1)]), 400, "name", "name.required");
}

#[test]
fn is_enabled_required() {
    assert_rule(
        store().create(G, vec![json!({"name": "x", "parentGroupId": -1})]),
        400,
        "isEnabled",
        "isEnabled.required",
    );
}

#[test]
fn name_unique_case_sensitive() {
    let mut s = store();
    make_group(&mut s, "Billing", -1);
    assert_rule(s.create(G, vec![group("Billing", -1)]), 409, "name", "name.duplicate");
    assert_rule(s.create(G, vec![group("Main Group", -1)]), 409, "name", "name.duplicate");
    assert!(s.create(G, vec![group("billing", -1)]).is_ok());
}

#[test]
fn name_unique_inside_batch() {
    assert_rule(store().create(G, vec![group("A", -1), group("A", -1)]), 409, "name", "name.duplicate");
}

#[test]
fn name_reusable_after_delete() {
    let mut s = store();
    let id = make_group(&mut s, "Billing", -1);
    s.delete(G, vec![id.into()], None).unwrap();
    assert!(s.create(G, vec![group("Billing", -1)]).is_ok());
}

#[test]
fn second_root_refused() {
    assert_rule(
        store().create(G, vec![json!({"name": "Root 2", "isEnabled": true})]),
        400,
        "parentGroupId",
        "parentGroupId.required",
    );
    assert_rule(
        store().create(G, vec![json!({"name": "Root 2", "isEnabled": true, "parentGroupId": null})]),
        400,
        "parentGroupId",
        "parentGroupId.required",
    );
}

#[test]
fn parent_must_exist() {
    assert_rule(store().create(G, vec![group("A", 4242)]), 400, "parentGroupId", "parentGroupId.unknown");
}

#[test]
fn parent_must_not_be_deleted() {
    let mut s = store();
    let p = make_group(&mut s, "P", -1);
    s.delete(G, vec![p.into()], None).unwrap();
    assert_rule(s.create(G, vec![group("A", p)]), 400, "parentGroupId", "parentGroupId.unknown");
}

#[test]
fn group_cannot_be_its_own_parent() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    assert_rule(
        s.update(G, vec![with(group("A", a), "id", json!(a))], None),
        400,
        "parentGroupId",
        "parentGroupId.cycle",
    );
}

#[test]
fn no_cycles_through_descendants() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    let b = make_group(&mut s, "B", a);
    let c = make_group(&mut s, "C", b);
    assert_rule(
        s.update(G, vec![with(group("A", c), "id", json!(a))], None),
        400,
        "parentGroupId",
        "parentGroupId.cycle",
    );
    // Two moves in one batch that only together form a cycle.
    let x = make_group(&mut s, "X", -1);
    let y = make_group(&mut s, "Y", -1);
    let r = s.update(G, vec![with(group("X", y), "id", json!(x)), with(group("Y", x), "id", json!(y))], None);
    assert_rule(r, 400, "parentGroupId", "parentGroupId.cycle");
    // A legal move.
    assert!(s.update(G, vec![with(group("C", a), "id", json!(c))], None).is_ok());
}

#[test]
fn root_cannot_be_moved_but_can_be_renamed() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    assert_rule(
        s.update(G, vec![with(group("Main Group", a), "id", json!(MAIN_GROUP_ID))], None),
        400,
        "parentGroupId",
        "parentGroupId.root",
    );
    let renamed = json!({"id": -1, "name": "Everyone", "isEnabled": true, "parentGroupId": null});
    assert_eq!(s.update(G, vec![renamed], None).unwrap()[0]["name"], "Everyone");
}

#[test]
fn update_is_full_replacement() {
    let mut s = store();
    let a = create_one(
        &mut s,
        G,
        json!({"name": "A", "description": "d", "parentGroupId": -1, "isEnabled": true}),
    );
    let out = s.update_one(G, a, group("A", -1), None).unwrap();
    assert!(out.get("description").is_none());
}

#[test]
fn disabled_parent_with_enabled_children_is_fine() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    make_group(&mut s, "B", a);
    assert!(s.update_one(G, a, with(group("A", -1), "isEnabled", json!(false)), None).is_ok());
}

#[test]
fn root_cannot_be_deleted() {
    assert_rule(store().delete(G, vec![MAIN_GROUP_ID.into()], None), 400, "id", "agentGroup.root");
}

#[test]
fn group_with_children_cannot_be_deleted() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    let b = make_group(&mut s, "B", a);
    assert_rule(s.delete(G, vec![a.into()], None), 400, "id", "agentGroup.hasChildren");
    // The whole subtree in one request is fine.
    let out = s.delete(G, vec![a.into(), b.into()], None).unwrap();
    assert!(out.iter().all(|g| g["deleted"] == true));
}

#[test]
fn deleted_children_do_not_block() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    let b = make_group(&mut s, "B", a);
    s.delete(G, vec![b.into()], None).unwrap();
    assert!(s.delete(G, vec![a.into()], None).is_ok());
}

#[test]
fn group_with_members_cannot_be_deleted() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    create_one(&mut s, CollectionKind::Users, with(agent("u"), "memberOf", json!({"agentGroupId": a})));
    assert_rule(s.delete(G, vec![a.into()], None), 400, "id", "agentGroup.referencedByUsers");
}

#[test]
fn group_with_managers_cannot_be_deleted() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    let m =
        with(with(admin("m"), "profileIds", json!([P_MANAGER])), "managerOf", json!([{"agentGroupId": a}]));
    create_one(&mut s, CollectionKind::Users, m);
    assert_rule(s.delete(G, vec![a.into()], None), 400, "id", "agentGroup.referencedByUsers");
}

#[test]
fn deleted_users_do_not_block_group_deletion() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    let u =
        create_one(&mut s, CollectionKind::Users, with(agent("u"), "memberOf", json!({"agentGroupId": a})));
    s.delete(CollectionKind::Users, vec![u.into()], None).unwrap();
    assert!(s.delete(G, vec![a.into()], None).is_ok());
}

#[test]
fn group_routed_by_skills_cannot_be_deleted() {
    let mut s = store();
    let a = make_group(&mut s, "A", -1);
    let routing = json!([{"agentGroupId": a, "priority": 1, "splitPercentage": 100}]);
    create_one(&mut s, CollectionKind::Skills, json!({"name": "S", "skillRoutingConfiguration": routing}));
    assert_rule(s.delete(G, vec![a.into()], None), 400, "id", "agentGroup.referencedBySkills");
}

#[test]
fn referenced_group_deletion_clears_references_when_allowed() {
    let mut s = store_with(StoreConfig { allow_delete_referenced_groups: true, ..Default::default() });
    let a = make_group(&mut s, "A", -1);
    let u =
        create_one(&mut s, CollectionKind::Users, with(agent("u"), "memberOf", json!({"agentGroupId": a})));
    let m = with(
        with(admin("m"), "profileIds", json!([P_MANAGER])),
        "managerOf",
        json!([{"agentGroupId": a}, {"agentGroupId": -1}]),
    );
    let m = create_one(&mut s, CollectionKind::Users, m);
    let routing = json!([{"agentGroupId": a, "priority": 1, "splitPercentage": 100}]);
    let sk = create_one(
        &mut s,
        CollectionKind::Skills,
        json!({"name": "S", "skillRoutingConfiguration": routing}),
    );
    s.delete(G, vec![a.into()], None).unwrap();
    let rev = s.revision(G);
    assert!(user(&s, u).get("memberOf").is_none());
    assert_eq!(user(&s, m)["managerOf"].as_array().unwrap().len(), 1);
    assert_eq!(s.get(CollectionKind::Skills, sk, false).unwrap()["skillRoutingConfiguration"], json!([]));
    // The touched users and skills carry the delete's stamp.
    assert_eq!(s.revision(CollectionKind::Users), rev);
    assert_eq!(s.revision(CollectionKind::Skills), rev);
}

#[test]
fn empty_account_first_group_becomes_root() {
    let mut s = store_with(StoreConfig { empty_account: true, ..Default::default() });
    assert!(s.list(G, true).is_empty());
    assert_eq!(s.revision(G), 0);
    let root = s.create(G, vec![json!({"name": "Root", "isEnabled": true})]).unwrap().remove(0);
    assert!(root["parentGroupId"].is_null());
    assert_eq!(root["id"], 1001);
    assert_rule(
        s.create(G, vec![json!({"name": "R2", "isEnabled": true})]),
        400,
        "parentGroupId",
        "parentGroupId.required",
    );
    assert!(s.create(G, vec![group("Child", 1001)]).is_ok());
}

#[test]
fn empty_account_two_roots_in_one_batch_refused() {
    let mut s = store_with(StoreConfig { empty_account: true, ..Default::default() });
    let r =
        s.create(G, vec![json!({"name": "R1", "isEnabled": true}), json!({"name": "R2", "isEnabled": true})]);
    assert_rule(r, 400, "parentGroupId", "parentGroupId.required");
}

#[test]
fn empty_account_agents_auto_assigned_to_first_root() {
    let cfg = StoreConfig { empty_account: true, agent_requires_member_of: false, ..Default::default() };
    let mut s = store_with(cfg.clone());
    assert_rule(
        s.create(CollectionKind::Users, vec![without(agent("a"), "memberOf")]),
        400,
        "memberOf",
        "memberOf.required",
    );
    let root = create_one(&mut s, G, json!({"name": "Root", "isEnabled": true}));
    let u = create_one(&mut s, CollectionKind::Users, without(agent("a"), "memberOf"));
    assert_eq!(user(&s, u)["memberOf"]["agentGroupId"], root);
}

#[test]
fn group_reads_default_to_all_fields() {
    let s = store();
    let sel = s.default_selector(G, true);
    let listed: Vec<Value> = s.list_projected(G, false, &sel);
    assert_eq!(listed, s.list(G, false));
}
