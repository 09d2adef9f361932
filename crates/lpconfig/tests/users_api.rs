//! The Users API against the emulator: every method, the exact request on the
//! wire, the stored state afterwards, and the error each rule produces.

mod common;

use std::time::Duration;

use common::*;
use lpconfig::api::users::{GroupLink, User};
use lpconfig::{Client, ErrorKind, Fetched, IfMatch, ListOptions, Revision, Secret};
use lpconfig_emulator::store::CollectionKind;
use lpconfig_emulator::{FaultAction, FaultRule, LoggedRequest, RunningEmulator};
use serde_json::{json, Value};

const BILLING: i64 = 1002;
const TECH: i64 = 1003;
const P_AGENT: i64 = 2_359_273_712;
const S_BILLING: i64 = 2_359_235_912;
const S_VIP: i64 = 2_359_236_212;

fn client(emu: &RunningEmulator) -> Client {
    builder(emu, api_key(emu)).build().unwrap()
}

fn stored(emu: &RunningEmulator, id: i64) -> Value {
    emu.with_store(ACCOUNT, |s| s.stored(CollectionKind::Users, id)).flatten().expect("stored user")
}

fn store_revision(emu: &RunningEmulator) -> u64 {
    emu.with_store(ACCOUNT, |s| s.revision(CollectionKind::Users)).unwrap()
}

fn last(emu: &RunningEmulator, method: &str) -> LoggedRequest {
    emu.request_log()
        .into_iter()
        .rev()
        .find(|r| r.method == method && r.path.contains("/le-users/"))
        .expect("request")
}

fn new_agent(login: &str) -> User {
    let mut u = User::new(login, "Nick", format!("{login}@example.com"));
    u.full_name = Some(format!("Full {login}"));
    u.password = Some(Secret::new("Str0ng-Passw0rd"));
    u.profile_ids = vec![P_AGENT];
    u.member_of = Some(GroupLink::to(BILLING));
    u.max_chats = Some(2);
    u
}

async fn by_login(c: &Client, login: &str) -> User {
    c.users().find_by_login_name(login).await.unwrap().expect(login)
}

#[tokio::test]
async fn list_sends_select_all_and_returns_full_users_with_revision() {
    let emu = emulator().await;
    let c = client(&emu);
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    assert_eq!(listed.value.len(), 20);
    assert_eq!(listed.revision, Some(Revision(store_revision(&emu))));
    let jane = listed.value.iter().find(|u| u.login_name.as_deref() == Some("jane.doe")).unwrap();
    assert_eq!(jane.member_of.as_ref().unwrap().agent_group_id, Some(BILLING));
    assert_eq!(jane.skill_ids, [S_BILLING]);
    assert_eq!(jane.full_name.as_deref(), Some(""), "masked by the emulator (D14)");
    assert!(jane.password.is_none(), "passwordSh is never read back (D13)");
    let r = last(&emu, "GET");
    assert_eq!(r.query.as_deref(), Some("v=4.0&select=%24all"));
    assert!(r.header("if-match").is_none());

    let short = c.users().list(&ListOptions::select("id,loginName")).await.unwrap();
    assert!(short.value.iter().all(|u| u.email.is_none() && u.login_name.is_some()));
    let deleted = c.users().list(&ListOptions::default().with_deleted()).await.unwrap();
    assert_eq!(last(&emu, "GET").query.as_deref(), Some("v=4.0&select=%24all&include_deleted=true"));
    assert_eq!(deleted.value.len(), 20);
}

#[tokio::test]
async fn conditional_reads_return_not_modified_not_an_empty_list() {
    let emu = emulator().await;
    let c = client(&emu);
    let first = c.users().list(&ListOptions::default()).await.unwrap();
    let rev = first.revision.unwrap();
    let again = c.users().list_if_modified(&ListOptions::default(), rev).await.unwrap();
    assert_eq!(again, Fetched::NotModified(Some(rev)));
    assert_eq!(last(&emu, "GET").header("if-match"), Some(rev.to_string().as_str()));
    let id = first.value[5].id.unwrap();
    assert!(matches!(c.users().get_if_modified(id, rev).await.unwrap(), Fetched::NotModified(_)));
    c.users().create(&new_agent("new.one")).await.unwrap();
    match c.users().list_if_modified(&ListOptions::default(), rev).await.unwrap() {
        Fetched::Modified(v) => {
            assert_eq!(v.value.len(), 21);
            assert!(v.revision.unwrap() > rev);
        }
        other => panic!("expected Modified, got {other:?}"),
    }
}

#[tokio::test]
async fn get_and_not_found() {
    let emu = emulator().await;
    let c = client(&emu);
    let jane = by_login(&c, "jane.doe").await;
    let got = c.users().get(jane.id.unwrap()).await.unwrap();
    assert_eq!(got.value.login_name.as_deref(), Some("jane.doe"));
    assert_eq!(got.revision, Some(Revision(store_revision(&emu))));
    let err = c.users().get(42).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn create_one_sends_an_object_and_stores_it() {
    let emu = emulator().await;
    let c = client(&emu);
    let before = store_revision(&emu);
    let created = c.users().create(&new_agent("kim.new")).await.unwrap();
    let id = created.value.id.expect("server id");
    assert!(created.revision.unwrap().0 > before);
    let post = last(&emu, "POST");
    let body: Value = serde_json::from_str(&post.body).unwrap();
    assert!(body.is_object(), "single create sends an object (D6)");
    assert_eq!(body["passwordSh"], "Str0ng-Passw0rd");
    assert_eq!(body["memberOf"], json!({"agentGroupId": BILLING}));
    assert_eq!(post.status, 201);
    let s = stored(&emu, id);
    assert_eq!(s["loginName"], "kim.new");
    assert_eq!(s["fullName"], "Full kim.new", "stored unmasked");
    assert_eq!(s["memberOf"]["agentGroupId"], BILLING);
}

#[tokio::test]
async fn create_many_chunks_and_keeps_order() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).batch_size(2).build().unwrap();
    let users: Vec<User> = (0..5).map(|i| new_agent(&format!("batch.{i}"))).collect();
    let created = c.users().create_many(&users).await.unwrap();
    let logins: Vec<_> = created.value.iter().map(|u| u.login_name.clone().unwrap()).collect();
    assert_eq!(logins, ["batch.0", "batch.1", "batch.2", "batch.3", "batch.4"]);
    let posts = user_posts(&emu);
    assert_eq!(batch_sizes(&posts), [2, 2, 1]);
}

#[tokio::test]
async fn create_many_ids_sends_the_same_requests_and_reports_ids_and_login_names() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).batch_size(2).build().unwrap();
    let users: Vec<User> = (0..5).map(|i| new_agent(&format!("light.{i}"))).collect();
    let created = c.users().create_many_ids(&users).await.unwrap();
    let all = c.users().list(&ListOptions::default()).await.unwrap();
    assert_eq!(created.revision, all.revision, "the revision of the last chunk");
    for (i, made) in created.value.iter().enumerate() {
        let login = format!("light.{i}");
        assert_eq!(made.login_name.as_deref(), Some(login.as_str()), "request order");
        let stored = all.value.iter().find(|u| u.login_name.as_deref() == Some(login.as_str())).unwrap();
        assert_eq!(made.id, stored.id);
    }
    let posts = user_posts(&emu);
    assert_eq!(batch_sizes(&posts), [2, 2, 1]);
    // The same bodies as `create_many` sends.
    let want: Vec<Value> = users.chunks(2).map(|c| serde_json::to_value(c).unwrap()).collect();
    assert_eq!(posts, want);
}

#[tokio::test]
async fn create_many_ids_fails_as_create_many_does() {
    for light in [false, true] {
        let emu = emulator().await;
        let c = builder(&emu, api_key(&emu)).batch_size(2).build().unwrap();
        let mut users: Vec<User> = (0..5).map(|i| new_agent(&format!("part.{i}"))).collect();
        users[3].login_name = Some("JANE.DOE".into());
        let err = if light {
            c.users().create_many_ids(&users).await.unwrap_err()
        } else {
            c.users().create_many(&users).await.unwrap_err()
        };
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert_eq!(err.field(), Some("loginName"));
        let progress = err.details().batch.clone().expect("batch progress");
        assert_eq!((progress.applied_chunks, progress.total_chunks, progress.applied_items), (1, 3, 2));
        assert_eq!(progress.applied_ids.len(), 2);
        assert!(err.to_string().contains("1 of 3 chunks"), "{err}");
        assert_eq!(c.users().create_many_ids(&[]).await.unwrap_err().kind(), ErrorKind::Config);
    }
}

#[tokio::test]
async fn a_failed_chunk_reports_what_was_applied_and_changes_nothing_else() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).batch_size(2).build().unwrap();
    let mut users: Vec<User> = (0..5).map(|i| new_agent(&format!("part.{i}"))).collect();
    users[3].login_name = Some("JANE.DOE".into()); // duplicate, case-insensitively (D15)
    let err = c.users().create_many(&users).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.field(), Some("loginName"));
    let progress = err.details().batch.clone().expect("batch progress");
    assert_eq!((progress.applied_chunks, progress.total_chunks, progress.applied_items), (1, 3, 2));
    assert_eq!(progress.applied_ids.len(), 2);
    assert!(err.to_string().contains("1 of 3 chunks"), "{err}");
    let all = c.users().list(&ListOptions::default()).await.unwrap().value;
    let made: Vec<_> =
        all.iter().filter_map(|u| u.login_name.clone()).filter(|l| l.starts_with("part.")).collect();
    assert_eq!(made, ["part.0", "part.1"], "the failing chunk was atomic and later chunks never ran");
}

#[tokio::test]
async fn update_sends_if_match_and_null_password() {
    let emu = emulator().await;
    let c = client(&emu);
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    let mut sam = listed.value.iter().find(|u| u.login_name.as_deref() == Some("sam.lee")).unwrap().clone();
    sam.full_name = Some("Samuel Lee".into());
    sam.max_chats = Some(5);
    let updated = c.users().update(&sam, listed.if_match()).await.unwrap();
    assert_eq!(updated.value.max_chats, Some(5));
    let put = last(&emu, "PUT");
    assert!(put.path.ends_with(&format!("/users/{}", sam.id.unwrap())));
    assert_eq!(put.header("if-match"), Some(listed.revision.unwrap().to_string().as_str()));
    let body: Value = serde_json::from_str(&put.body).unwrap();
    assert!(body["passwordSh"].is_null());
    assert_eq!(stored(&emu, sam.id.unwrap())["fullName"], "Samuel Lee");
}

#[tokio::test]
async fn stale_revision_is_a_conflict_and_changes_nothing() {
    let emu = emulator().await;
    let c = client(&emu);
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    let stale = listed.revision.unwrap();
    c.users().create(&new_agent("moves.revision")).await.unwrap();
    let mut sam = listed.value.iter().find(|u| u.login_name.as_deref() == Some("sam.lee")).unwrap().clone();
    let before = (store_revision(&emu), stored(&emu, sam.id.unwrap()));
    sam.max_chats = Some(9);
    let err = c.users().update(&sam, IfMatch::Revision(stale)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.status(), Some(409));
    assert_eq!((store_revision(&emu), stored(&emu, sam.id.unwrap())), before);
}

#[tokio::test]
async fn update_many_delete_and_delete_many() {
    let emu = emulator().await;
    let c = client(&emu);
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    let mut pair: Vec<User> = listed
        .value
        .iter()
        .filter(|u| u.member_of.as_ref().and_then(|m| m.agent_group_id) == Some(TECH))
        .take(2)
        .cloned()
        .collect();
    for u in &mut pair {
        u.max_chats = Some(7);
        u.full_name = Some("Kept Name".into());
    }
    let done = c.users().update_many(&pair, listed.if_match()).await.unwrap();
    assert!(done.value.iter().all(|u| u.max_chats == Some(7)));
    let body: Value = serde_json::from_str(&last(&emu, "PUT").body).unwrap();
    assert_eq!(body.as_array().unwrap().len(), 2);

    let victim = pair[0].id.unwrap();
    let tomb = c.users().delete(victim, IfMatch::Any).await.unwrap();
    assert_eq!(tomb.value.unwrap().deleted, Some(true));
    assert_eq!(last(&emu, "DELETE").header("if-match"), Some("-1"));
    assert_eq!(stored(&emu, victim)["deleted"], true);
    assert_eq!(c.users().delete(victim, IfMatch::Any).await.unwrap_err().kind(), ErrorKind::NotFound);

    let ids = [pair[1].id.unwrap(), by_login(&c, "noah.kim").await.id.unwrap()];
    let gone = c.users().delete_many(&ids, IfMatch::Any).await.unwrap();
    assert_eq!(gone.value.len(), 2);
    let body: Value = serde_json::from_str(&last(&emu, "DELETE").body).unwrap();
    assert_eq!(body, json!([ids[0].to_string(), ids[1].to_string()]), "ids are sent as strings (D7)");
    let with_deleted = c.users().list(&ListOptions::default().with_deleted()).await.unwrap().value;
    assert_eq!(with_deleted.iter().filter(|u| u.deleted == Some(true)).count(), 3);
}

#[tokio::test]
async fn reset_and_change_password() {
    let emu = emulator().await;
    let c = client(&emu);
    let jane = by_login(&c, "jane.doe").await;
    let id = jane.id.unwrap();
    let before = store_revision(&emu);
    let reset = c.users().reset_password(id, &Secret::new("Brand-New-Pass-1")).await.unwrap();
    assert_eq!(reset.value.id, Some(id));
    let put = last(&emu, "PUT");
    assert!(put.path.ends_with(&format!("/users/{id}/resetPassword")));
    assert_eq!(serde_json::from_str::<Value>(&put.body).unwrap(), json!({"newPassword": "Brand-New-Pass-1"}));
    assert!(store_revision(&emu) > before);
    assert!(emu.with_store(ACCOUNT, |s| s.check_password("jane.doe", "Brand-New-Pass-1")).unwrap());

    c.users()
        .change_password(id, &Secret::new("Brand-New-Pass-1"), &Secret::new("Another-Pass-2"))
        .await
        .unwrap();
    assert!(emu.with_store(ACCOUNT, |s| s.check_password("jane.doe", "Another-Pass-2")).unwrap());
    let err = c
        .users()
        .change_password(id, &Secret::new("wrong-old-pass"), &Secret::new("Third-Pass-3"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    let err = c.users().reset_password(id, &Secret::new("short")).await.unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::Invalid, Some("newPassword")));
    assert!(!err.to_string().contains("short\""), "the password is not echoed");
}

#[tokio::test]
async fn finders() {
    let emu = emulator().await;
    let c = client(&emu);
    assert_eq!(by_login(&c, "JANE.Doe").await.login_name.as_deref(), Some("jane.doe"));
    assert!(c.users().find_by_login_name("nobody").await.unwrap().is_none());
    let mut billing: Vec<_> =
        c.users().in_group(BILLING).await.unwrap().into_iter().map(|u| u.login_name.unwrap()).collect();
    billing.sort();
    assert_eq!(billing, ["ana.silva", "jane.doe", "li.wei", "omar.haddad", "sam.lee"]);
    let mut vip: Vec<_> =
        c.users().with_skill(S_VIP).await.unwrap().into_iter().map(|u| u.login_name.unwrap()).collect();
    vip.sort();
    assert_eq!(vip, ["ana.silva", "chloe.dubois", "emma.jones", "yuki.tanaka"]);
    let managers: Vec<_> =
        c.users().managing(BILLING).await.unwrap().into_iter().map(|u| u.login_name.unwrap()).collect();
    assert_eq!(managers, ["maria.ops"]);
}

#[tokio::test]
async fn helpers_refuse_to_blank_a_masked_full_name_unless_allowed() {
    let emu = emulator().await;
    let c = client(&emu);
    let jane = by_login(&c, "jane.doe").await.id.unwrap();
    let before = store_revision(&emu);
    let err = c.users().add_skills(&[jane], &[S_VIP]).await.unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::Config, Some("fullName")));
    assert_eq!(store_revision(&emu), before, "nothing was sent");

    let users = c.users().allow_masked_blank(true);
    users.add_skills(&[jane], &[S_VIP]).await.unwrap();
    let s = stored(&emu, jane);
    assert_eq!(s["skillIds"], json!([S_BILLING, S_VIP]));
    assert_eq!(s["fullName"], "Jane Doe", "the emulator kept the masked value");
}

#[tokio::test]
async fn batch_helpers_change_exactly_what_they_say() {
    let emu = emulator().await;
    let c = client(&emu);
    let users = c.users().allow_masked_blank(true);
    let ids = [by_login(&c, "jane.doe").await.id.unwrap(), by_login(&c, "sam.lee").await.id.unwrap()];
    users.add_skills(&ids, &[S_VIP]).await.unwrap();
    users.remove_skills(&ids, &[S_BILLING]).await.unwrap();
    users.move_to_group(&ids, TECH).await.unwrap();
    users.set_concurrency(&ids, 6, Some(None)).await.unwrap();
    for id in ids {
        let s = stored(&emu, id);
        assert_eq!(s["skillIds"], json!([S_VIP]));
        assert_eq!(s["memberOf"]["agentGroupId"], TECH);
        assert_eq!(s["maxChats"], 6);
        assert!(s.get("maxAsyncChats").is_none_or(Value::is_null));
    }
    let puts: Vec<_> = emu.request_log().into_iter().filter(|r| r.method == "PUT").collect();
    assert_eq!(puts.len(), 4, "one batch PUT per helper call");
    assert!(
        puts.iter().all(|p| p.header("if-match").unwrap().parse::<u64>().is_ok()),
        "guarded by the revision read"
    );
    let err = users.add_skills(&[ids[0], 123], &[S_VIP]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn concurrent_writers_one_conflict_then_the_helper_retries() {
    let emu = emulator().await;
    let a = client(&emu);
    let b = client(&emu);
    let jane = by_login(&a, "jane.doe").await;
    let id = jane.id.unwrap();
    let other = by_login(&a, "sam.lee").await.id.unwrap();
    // A's batch PUT is held back by the emulator while B writes.
    emu.add_fault(
        FaultRule::new("*/le-users/users", FaultAction::Latency(Duration::from_millis(400)))
            .method("PUT")
            .times(1),
    );
    let a_task =
        tokio::spawn(
            async move { a.users().allow_masked_blank(true).add_skills(&[id, other], &[S_VIP]).await },
        );
    tokio::time::sleep(Duration::from_millis(150)).await;
    let mut j = b.users().get(id).await.unwrap();
    j.value.nickname = Some("Janie".into());
    j.value.full_name = Some("Jane Doe".into());
    b.users().update(&j.value, j.if_match()).await.unwrap();
    a_task.await.unwrap().unwrap();
    let statuses: Vec<u16> = emu
        .request_log()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/users"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [409, 200], "one conflict, then the re-read retry wins");
    let s = stored(&emu, id);
    assert_eq!(s["nickname"], "Janie", "B's change survived");
    assert_eq!(s["skillIds"], json!([S_BILLING, S_VIP]), "A's change applied");
}

#[tokio::test]
async fn unknown_fields_round_trip() {
    let emu = emulator().await;
    let c = client(&emu);
    let mut u = new_agent("with.extra");
    u.extra.insert("customFlag".into(), json!({"nested": [1, 2]}));
    let id = c.users().create(&u).await.unwrap().value.id.unwrap();
    let got = c.users().get(id).await.unwrap();
    assert_eq!(got.value.extra.get("customFlag"), Some(&json!({"nested": [1, 2]})));
    let mut again = got.value.clone();
    again.full_name = Some("Full with.extra".into());
    c.users().update(&again, got.if_match()).await.unwrap();
    let body: Value = serde_json::from_str(&last(&emu, "PUT").body).unwrap();
    assert_eq!(body["customFlag"], json!({"nested": [1, 2]}));
}

#[tokio::test]
async fn string_typed_doc_example_is_read_leniently() {
    let doc = r#"{"id":"987654321","deleted":"false","loginName":"userName","fullName":"","nickname":"nickName","isEnabled":"true","maxChats":"4","skillIds":[1,2],"email":"email@example.com","memberOf":{"agentGroupId":"1","assignmentDate":"2015-06-22 19:20:03"},"managerOf":[],"changePwdNextLogin":false,"passwordSh":"pppppp","permissionGroups":["1"],"maxAsyncChats":"10","profileIds":[111],"userTypeId":1,"lobIds":[]}"#;
    let emu = emulator_with(vec![FaultRule::new(
        "*/users/987654321",
        FaultAction::Status { status: 200, body: Some(doc.into()), retry_after: None },
    )])
    .await;
    let u = client(&emu).users().get(987_654_321).await.unwrap().value;
    assert_eq!(
        (u.id, u.deleted, u.is_enabled, u.max_chats),
        (Some(987_654_321), Some(false), Some(true), Some(4))
    );
    assert_eq!(u.member_of.unwrap().agent_group_id, Some(1));
    assert_eq!(u.permission_groups, [1]);
    assert_eq!(u.max_async_chats.0, Some(10));
    assert!(u.password.is_none());
}

#[tokio::test]
async fn method_override_sends_post_with_the_real_verb() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).method_override(true).build().unwrap();
    let mut sam = by_login(&c, "sam.lee").await;
    sam.full_name = Some("Sam Lee".into());
    sam.max_chats = Some(8);
    c.users().update(&sam, IfMatch::Any).await.unwrap();
    let r = last(&emu, "POST");
    assert_eq!(r.header("x-http-method-override"), Some("PUT"));
    assert_eq!(r.status, 200);
    c.users().delete(sam.id.unwrap(), IfMatch::Any).await.unwrap();
    assert_eq!(last(&emu, "POST").header("x-http-method-override"), Some("DELETE"));
    assert_eq!(stored(&emu, sam.id.unwrap())["deleted"], true);
}

#[tokio::test]
async fn a_create_with_unknown_outcome_is_reconciled_not_duplicated() {
    let emu = emulator_with(vec![FaultRule::new(
        "*/le-users/users",
        FaultAction::Status { status: 503, body: None, retry_after: None },
    )
    .method("POST")
    .times(1)])
    .await;
    let c = client(&emu);
    let made = c.users().create(&new_agent("once.only")).await.unwrap();
    assert_eq!(made.value.login_name.as_deref(), Some("once.only"));
    let seq: Vec<(String, u16)> = emu
        .request_log()
        .iter()
        .filter(|r| r.path.contains("/le-users/"))
        .map(|r| (r.method.clone(), r.status))
        .collect();
    assert_eq!(seq, [("POST".into(), 503), ("GET".into(), 200), ("POST".into(), 201)]);
    let lookup =
        emu.request_log().into_iter().find(|r| r.method == "GET" && r.path.contains("/le-users/")).unwrap();
    // The re-read fetches whole users: it compares the stored fields with those sent (D22).
    assert!(lookup.query.unwrap().contains("select=%24all"));
    let all = c.users().list(&ListOptions::default()).await.unwrap().value;
    assert_eq!(all.iter().filter(|u| u.login_name.as_deref() == Some("once.only")).count(), 1);
}

#[tokio::test]
async fn bad_input_is_refused_before_any_io() {
    let emu = emulator().await;
    let c = client(&emu);
    let e = c.users().update(&User::default(), IfMatch::Any).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Config, Some("id")));
    let e = c.users().create_many(&[]).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Config, Some("items")));
    let e = c.users().create(&User::new("  ", "n", "e@x.com")).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Config, Some("loginName")));
    let e = c.users().delete_many(&[], IfMatch::Any).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let e = c.users().update_many(&[new_agent("no.id")], IfMatch::Any).await.unwrap_err();
    assert_eq!(e.field(), Some("items[0].id"));
    assert!(emu.request_log().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn server_validation_names_the_field() {
    let emu = emulator().await;
    let c = client(&emu);
    let mut no_email = new_agent("no.email");
    no_email.email = None;
    let e = c.users().create(&no_email).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Invalid, Some("email")));
    let mut bad_group = new_agent("bad.group");
    bad_group.member_of = Some(GroupLink::to(999));
    let e = c.users().create(&bad_group).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Invalid, Some("memberOf.agentGroupId")));
    let e = c.users().create(&new_agent("Jane.Doe")).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Conflict, Some("loginName")));
}

#[tokio::test]
async fn password_sessions_work_for_the_whole_api() {
    let emu = emulator().await;
    let c = admin_client(&emu);
    assert_eq!(c.users().list(&ListOptions::default()).await.unwrap().value.len(), 20);
    c.users().create(&new_agent("via.session")).await.unwrap();
    assert!(emu
        .request_log()
        .iter()
        .filter(|r| r.path.contains("/le-users/"))
        .all(|r| r.header("authorization").unwrap().starts_with("Bearer ")));
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_refused_change_writes_nothing() {
    use lpconfig::api::users::ModifyError;
    let emu = emulator().await;
    let c = client(&emu);
    let ids = [by_login(&c, "jane.doe").await.id.unwrap(), by_login(&c, "sam.lee").await.id.unwrap()];
    let before = store_revision(&emu);
    emu.clear_request_log();
    let result = c
        .users()
        .allow_masked_blank(true)
        .try_modify(&ids, |u| {
            if u.login_name.as_deref() == Some("sam.lee") {
                return Err("sam may not change");
            }
            u.nickname = Some("changed".into());
            Ok(())
        })
        .await;
    assert!(matches!(result, Err(ModifyError::Change("sam may not change"))));
    assert_eq!(store_revision(&emu), before);
    assert!(emu.request_log().iter().all(|r| r.method == "GET"), "only reads were sent");
}
