//! The `demo` seed and bulk users (scale).

mod store_common;

use std::time::Instant;

use lpconfig_emulator::store::{
    AccountStore, CollectionKind, Selector, DEMO_BOT_APP_KEY, DEMO_PASSWORD, DEMO_USERS,
};
use serde_json::{json, Value};
use store_common::*;

fn ids(s: &AccountStore, kind: CollectionKind) -> Vec<i64> {
    s.list(kind, true).iter().map(|e| e["id"].as_i64().unwrap()).collect()
}

#[test]
fn demo_groups_form_the_documented_tree() {
    let s = AccountStore::demo("demo");
    let groups = s.list(CollectionKind::AgentGroups, false);
    let tree: Vec<(i64, &str, Value)> = groups
        .iter()
        .map(|g| (g["id"].as_i64().unwrap(), g["name"].as_str().unwrap(), g["parentGroupId"].clone()))
        .collect();
    assert_eq!(
        tree,
        vec![
            (-1, "Main Group", Value::Null),
            (1001, "Support", json!(-1)),
            (1002, "Billing", json!(1001)),
            (1003, "Tech", json!(1001)),
            (1004, "Sales", json!(-1)),
        ]
    );
}

#[test]
fn demo_catalog_ids() {
    let s = AccountStore::demo("demo");
    assert_eq!(ids(&s, CollectionKind::Profiles), vec![P_ADMIN, P_AGENT, P_MANAGER, P_CAMPAIGN]);
    assert_eq!(ids(&s, CollectionKind::Lobs), vec![6_549_273_612, 6_549_273_712]);
    assert_eq!(
        ids(&s, CollectionKind::Skills),
        vec![2_359_235_912, 2_359_236_012, 2_359_236_112, 2_359_236_212]
    );
}

#[test]
fn demo_users() {
    let s = AccountStore::demo("demo");
    let users = s.list(CollectionKind::Users, false);
    assert_eq!(users.len(), 20);
    for (i, u) in users.iter().enumerate() {
        assert_eq!(u["id"], FIRST_USER + 100 * i as i64);
        assert_eq!(u["loginName"], DEMO_USERS[i]);
    }
    let admin = s.find_user_by_login("admin").unwrap();
    assert_eq!(admin["id"], FIRST_USER);
    assert_eq!(s.user_roles(FIRST_USER), vec![1]);
    assert!(s.check_password("admin", "demo-password-1"));
    assert!(s.check_password("jane.doe", DEMO_PASSWORD));

    let bot = s.find_user_by_login("demo-bot").unwrap();
    assert_eq!((bot["isApiUser"].clone(), bot["userTypeId"].clone()), (json!(true), json!(2)));
    assert_eq!(bot["allowedAppKeys"], DEMO_BOT_APP_KEY);
    assert!(bot.get("passwordSh").is_none());

    let maria = s.find_user_by_login("maria.ops").unwrap();
    assert_eq!(maria["managerOf"].as_array().unwrap().len(), 2);
    assert_eq!(s.user_roles(maria["id"].as_i64().unwrap()), vec![2, 3]);
    let tom = s.find_user_by_login("tom.lead").unwrap();
    assert!(tom.get("memberOf").is_none());

    let agents =
        users.iter().filter(|u| u["profileIds"].as_array().unwrap().contains(&json!(P_AGENT))).count();
    assert_eq!(agents, 17);
    assert_eq!(users.iter().filter(|u| u["isEnabled"] == false).count(), 1);
    assert!(users.iter().all(|u| u["fullName"] == ""), "masked");
}

#[test]
fn demo_is_deterministic() {
    let strip = |s: &AccountStore| -> Vec<Vec<Value>> {
        CollectionKind::ALL
            .iter()
            .map(|k| {
                s.list(*k, true)
                    .into_iter()
                    .map(|mut e| {
                        e.as_object_mut().unwrap().remove("passwordSh");
                        e
                    })
                    .collect()
            })
            .collect()
    };
    let (a, b) = (AccountStore::demo("demo"), AccountStore::demo("demo"));
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(a.list(CollectionKind::Users, false)[0]["dateUpdated"], "2024-03-01 09:15:00");
    assert_eq!(a.revision(CollectionKind::Users), 9);
    assert_eq!(a.revision(CollectionKind::AgentGroups), 6);
}

#[test]
fn demo_profile_counts() {
    let s = AccountStore::demo("demo");
    let count =
        |id: i64| s.get(CollectionKind::Profiles, id, false).unwrap()["numOfAssignedUsers"].as_i64().unwrap();
    assert_eq!((count(P_ADMIN), count(P_AGENT), count(P_MANAGER), count(P_CAMPAIGN)), (1, 17, 2, 1));
}

#[test]
fn demo_data_is_protected_by_reference_rules() {
    let mut s = AccountStore::demo("demo");
    assert_rule(
        s.delete(CollectionKind::AgentGroups, vec![1002.into()], None),
        400,
        "id",
        "agentGroup.referencedByUsers",
    );
    assert_rule(
        s.delete(CollectionKind::AgentGroups, vec![1001.into()], None),
        400,
        "id",
        "agentGroup.hasChildren",
    );
}

#[test]
fn bulk_users_are_valid_and_list_fast() {
    let mut s = store();
    let t = Instant::now();
    s.insert_bulk_users(50_000);
    let inserted = t.elapsed();
    assert_eq!(s.count(CollectionKind::Users, false), 50_000);
    let t = Instant::now();
    let body = s.list_json(CollectionKind::Users, false, &Selector::All);
    let listed = t.elapsed();
    let short = s.list_json(CollectionKind::Users, false, &s.default_selector(CollectionKind::Users, true));
    eprintln!(
        "bulk insert {inserted:?}, $all list_json {listed:?} ({} bytes), short {} bytes",
        body.len(),
        short.len()
    );
    // Debug builds are slow; the bound only catches accidental quadratic work.
    assert!(listed.as_secs_f64() < 2.0, "{listed:?}");
    // A bulk user is an ordinary user: it can be read, updated and counted.
    let first = s.get(CollectionKind::Users, FIRST_USER, false).unwrap();
    assert!(s.update(CollectionKind::Users, vec![first], None).is_ok());
    assert_eq!(s.get(CollectionKind::Profiles, P_AGENT, false).unwrap()["numOfAssignedUsers"], 50_000);
    assert!(s.check_password(&format!("bulk.agent.{FIRST_USER}"), "bulk-password-1"));
}
