//! The Agent Groups API and the read-only catalogs against the emulator.

mod common;

use common::*;
use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::{Client, ErrorKind, Fetched, IfMatch, ListOptions};
use lpconfig_emulator::store::CollectionKind;
use lpconfig_emulator::RunningEmulator;
use serde_json::Value;

const MAIN: i64 = -1;
const SUPPORT: i64 = 1001;
const BILLING: i64 = 1002;
const TECH: i64 = 1003;
const SALES: i64 = 1004;

fn client(emu: &RunningEmulator) -> Client {
    builder(emu, api_key(emu)).build().unwrap()
}

fn stored(emu: &RunningEmulator, id: i64) -> Value {
    emu.with_store(ACCOUNT, |s| s.stored(CollectionKind::AgentGroups, id)).flatten().expect("stored group")
}

#[tokio::test]
async fn list_get_and_tree() {
    let emu = emulator().await;
    let c = client(&emu);
    let groups = c.agent_groups().list(&ListOptions::default()).await.unwrap();
    let mut ids: Vec<i64> = groups.value.iter().filter_map(|g| g.id).collect();
    ids.sort();
    assert_eq!(ids, [MAIN, SUPPORT, BILLING, TECH, SALES]);
    let main = c.agent_groups().get(MAIN).await.unwrap().value;
    assert_eq!(main.name.as_deref(), Some("Main Group"));
    assert_eq!(main.parent_group_id.0, None);
    assert!(matches!(
        c.agent_groups().get_if_modified(MAIN, groups.revision.unwrap()).await.unwrap(),
        Fetched::NotModified(_)
    ));

    let tree = c.agent_groups().tree().await.unwrap();
    assert_eq!(tree.len(), 1);
    assert_eq!(tree[0].group.id, Some(MAIN));
    let top: Vec<_> = tree[0].children.iter().map(|n| n.group.name.clone().unwrap()).collect();
    assert_eq!(top, ["Sales", "Support"]);
    let support = tree[0].children.iter().find(|n| n.group.id == Some(SUPPORT)).unwrap();
    let under: Vec<_> = support.children.iter().map(|n| n.group.id.unwrap()).collect();
    assert_eq!(under, [BILLING, TECH]);

    let kids: Vec<_> =
        c.agent_groups().children(SUPPORT).await.unwrap().into_iter().map(|g| g.id.unwrap()).collect();
    assert_eq!(kids.len(), 2);
    let members: Vec<_> =
        c.agent_groups().members(TECH).await.unwrap().into_iter().map(|u| u.login_name.unwrap()).collect();
    assert!(
        members.contains(&"priya.shah".to_owned()) && members.contains(&"demo-bot".to_owned()),
        "{members:?}"
    );
    let managers: Vec<_> =
        c.agent_groups().managers(SALES).await.unwrap().into_iter().map(|u| u.login_name.unwrap()).collect();
    assert_eq!(managers, ["tom.lead"]);
}

#[tokio::test]
async fn create_update_delete() {
    let emu = emulator().await;
    let c = client(&emu);
    let made = c.agent_groups().create(&AgentGroup::new("Escalations", SUPPORT)).await.unwrap();
    let id = made.value.id.unwrap();
    assert_eq!(stored(&emu, id)["parentGroupId"], SUPPORT);
    let post = emu.request_log().into_iter().rev().find(|r| r.method == "POST").unwrap();
    assert!(post.header("location").is_none(), "Location is a response header; the request has none");
    assert_eq!(post.status, 201);

    let mut g = made.value.clone();
    g.name = Some("Escalations EU".into());
    g.parent_group_id.0 = Some(SALES);
    let updated = c.agent_groups().update(&g, made.if_match()).await.unwrap();
    assert_eq!(updated.value.name.as_deref(), Some("Escalations EU"));
    assert_eq!(stored(&emu, id)["parentGroupId"], SALES);

    // A stale revision changes nothing.
    let err = c.agent_groups().update(&g, made.if_match()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);

    let tomb = c.agent_groups().delete(id, IfMatch::Any).await.unwrap();
    assert_eq!(tomb.value.unwrap().deleted, Some(true));
    assert_eq!(stored(&emu, id)["deleted"], true);
}

#[tokio::test]
async fn batches_and_hierarchy_rules() {
    let emu = emulator().await;
    let c = client(&emu);
    let made = c
        .agent_groups()
        .create_many(&[AgentGroup::new("North", SALES), AgentGroup::new("South", SALES)])
        .await
        .unwrap();
    assert_eq!(made.value.len(), 2);
    let ids: Vec<i64> = made.value.iter().map(|g| g.id.unwrap()).collect();
    let mut renamed = made.value.clone();
    for g in &mut renamed {
        g.description = Some("regional".into());
    }
    c.agent_groups().update_many(&renamed, made.if_match()).await.unwrap();
    assert!(ids.iter().all(|id| stored(&emu, *id)["description"] == "regional"));

    // D17: a group with children or members cannot be deleted.
    let err = c.agent_groups().delete(SUPPORT, IfMatch::Any).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(stored(&emu, SUPPORT)["deleted"], false);
    // Duplicate names are a conflict; a missing parent is invalid.
    let err = c.agent_groups().create(&AgentGroup::new("North", MAIN)).await.unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::Conflict, Some("name")));
    let err = c.agent_groups().create(&AgentGroup::new("Nowhere", 4242)).await.unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::Invalid, Some("parentGroupId")));

    let gone = c.agent_groups().delete_many(&ids, IfMatch::Any).await.unwrap();
    assert_eq!(gone.value.len(), 2);
    assert!(ids.iter().all(|id| stored(&emu, *id)["deleted"] == true));
}

#[tokio::test]
async fn catalogs_are_readable() {
    let emu = emulator().await;
    let c = client(&emu);
    let skills = c.skills().list(&ListOptions::default()).await.unwrap().value;
    assert_eq!(skills.len(), 4);
    let vip = c.skills().find_by_name("VIP").await.unwrap().unwrap();
    assert_eq!(c.skills().get(vip.id.unwrap()).await.unwrap().value.name.as_deref(), Some("VIP"));
    let profiles = c.profiles().list(&ListOptions::default()).await.unwrap().value;
    let mut roles: Vec<i64> = profiles.iter().filter_map(|p| p.role_type_id).collect();
    roles.sort();
    assert_eq!(roles, [1, 2, 3, 4]);
    let lobs = c.lobs().list(&ListOptions::default()).await.unwrap().value;
    let names: Vec<_> = lobs.iter().filter_map(|l| l.name.clone()).collect();
    assert_eq!(names, ["Retail", "Business"]);
}
