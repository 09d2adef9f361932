//! The legacy query delta (types 0, 1, 2) end to end against the emulator, and
//! `api_version("6.0")` sent and served.

mod common;

use common::*;
use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::users::User;
use lpconfig::{ErrorKind, IfMatch, ListOptions, Revision};

const SUPPORT: i64 = 1001;

#[tokio::test]
async fn legacy_is_opt_in() {
    let emu = emulator().await;
    let plain = builder(&emu, api_key(&emu)).build().unwrap();
    let err = plain.legacy().err().expect("refused without the opt-in");
    assert_eq!((err.kind(), err.field()), (ErrorKind::Config, Some("legacy")));
    assert!(emu.request_log().is_empty(), "refused before any I/O");
}

#[tokio::test]
async fn snapshot_then_delta_then_changes_for_users() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).legacy(true).build().unwrap();
    let legacy = c.legacy().unwrap();

    // Type 2: the live users and the revision, as LivePerson's bulk tool uses it.
    let snap = legacy.users_snapshot().await.unwrap();
    assert_eq!(snap.items.len(), 20);
    let r0 = snap.revision.expect("a revision");
    let q = emu.request_log().pop().unwrap();
    assert_eq!(
        (q.method.as_str(), q.path.as_str()),
        ("POST", "/api/account/configuration/le-users/users/query")
    );
    let body: serde_json::Value = serde_json::from_str(&q.body).unwrap();
    assert_eq!(body, serde_json::json!({"type": 2, "parameters": [{"site": "demo"}]}));

    // Guarded by the snapshot's revision, two changes to jane.doe, one delete.
    let jane = c.users().find_by_login_name("jane.doe").await.unwrap().unwrap();
    let mut j = jane.clone();
    j.max_chats = Some(7);
    let after_first = c.users().update(&j, IfMatch::Revision(r0)).await.unwrap();
    j.max_chats = Some(8);
    let after_second = c.users().update(&j, after_first.if_match()).await.unwrap();
    let sam = c.users().find_by_login_name("sam.lee").await.unwrap().unwrap();
    let r3 = c.users().delete(sam.id.unwrap(), after_second.if_match()).await.unwrap().revision.unwrap();

    // Type 0: each changed user once, latest state, tombstone included.
    let delta = legacy.delta::<User>(r0).await.unwrap();
    assert_eq!(delta.revision, Some(r3));
    let mut seen: Vec<(String, Option<bool>, Option<i64>)> =
        delta.items.iter().map(|u| (u.login_name.clone().unwrap(), u.deleted, u.max_chats)).collect();
    seen.sort();
    assert_eq!(
        seen,
        [("jane.doe".into(), Some(false), Some(8)), ("sam.lee".into(), Some(true), sam.max_chats)]
    );
    assert!(legacy.delta::<User>(r3).await.unwrap().items.is_empty());

    // Type 1: one entry per revision, jane twice with each state.
    let changes = legacy.changes::<User>(r0, r3).await.unwrap();
    let revs: Vec<Revision> = changes.iter().map(|c| c.revision).collect();
    assert_eq!(revs, [after_first.revision.unwrap(), after_second.revision.unwrap(), r3]);
    assert_eq!(changes[0].items[0].max_chats, Some(7));
    assert_eq!(changes[1].items[0].max_chats, Some(8));
    assert!(changes[0].revision_date.is_some());
    // `from` is exclusive.
    assert_eq!(legacy.changes::<User>(after_first.revision.unwrap(), r3).await.unwrap().len(), 2);
}

#[tokio::test]
async fn agent_groups_delta_and_changes() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).legacy(true).build().unwrap();
    let before = c.agent_groups().list(&ListOptions::default()).await.unwrap().revision.unwrap();
    let made = c.agent_groups().create(&AgentGroup::new("Night Shift", SUPPORT)).await.unwrap();
    let legacy = c.legacy().unwrap();
    let delta = legacy.delta::<AgentGroup>(before).await.unwrap();
    assert_eq!(delta.items.len(), 1);
    assert_eq!(delta.items[0].name.as_deref(), Some("Night Shift"));
    assert_eq!(delta.revision, made.revision);
    let changes = legacy.changes::<AgentGroup>(before, made.revision.unwrap()).await.unwrap();
    assert_eq!(changes.len(), 1);
    // The agent-groups page documents no snapshot: the emulator refuses type 2 there.
    let q = emu.request_log().pop().unwrap();
    assert_eq!(q.path, "/api/account/configuration/le-users/agentGroups/query");
}

#[tokio::test]
async fn api_version_6_is_sent_and_served() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).api_version("6.0").build().unwrap();
    let users = c.users().list(&ListOptions::default()).await.unwrap();
    assert_eq!(users.value.len(), 20);
    let mut jane = c.users().find_by_login_name("jane.doe").await.unwrap().unwrap();
    jane.max_chats = Some(3);
    c.users().update(&jane, IfMatch::Any).await.unwrap();
    let groups = c.agent_groups().list(&ListOptions::default()).await.unwrap();
    assert!(!groups.value.is_empty());
    let calls: Vec<_> = emu.request_log().into_iter().filter(|r| r.path.contains("/le-users/")).collect();
    assert!(calls.len() >= 4);
    for r in &calls {
        let q = r.query.as_deref().unwrap_or_default();
        assert!(q.split('&').any(|p| p == "v=6.0"), "{} {} ?{q}", r.method, r.path);
        assert!((200..300).contains(&r.status), "{} {} -> {}", r.method, r.path, r.status);
    }
    let stored = emu.with_store(ACCOUNT, |s| s.find_user_by_login("jane.doe")).flatten().unwrap();
    assert_eq!(stored["maxChats"], 3);
}
