//! Writes that never lie (D22): the emulator applies a write and then loses its
//! answer (`apply_then_status`, `apply_then_reset`, `apply_then_malformed`); the
//! client must re-read, report the write as applied, never duplicate a create,
//! and never call something "not applied" that the account holds.

mod common;

use common::*;
use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::users::{GroupLink, User};
use lpconfig::{Client, Error, ErrorKind, IfMatch, ListOptions, Secret};
use lpconfig_emulator::store::CollectionKind;
use lpconfig_emulator::{FaultAction, FaultRule, RunningEmulator};
use serde_json::Value;

const BILLING: i64 = 1002;
const P_AGENT: i64 = 2_359_273_712;

/// Every lost-answer action, and the status the client sees for it (0 = reset).
fn actions() -> Vec<(FaultAction, u16)> {
    vec![
        (FaultAction::ApplyThenStatus { status: 503, body: None, retry_after: None }, 503),
        (FaultAction::ApplyThenStatus { status: 500, body: None, retry_after: Some("0".into()) }, 500),
        (FaultAction::ApplyThenReset, 0),
        (FaultAction::ApplyThenMalformed, 200),
    ]
}

fn client(emu: &RunningEmulator) -> Client {
    builder(emu, api_key(emu)).batch_size(2).build().unwrap()
}

fn agent(login: &str) -> User {
    let mut u = User::new(login, "Nick", format!("{login}@example.com"));
    u.full_name = Some(format!("Full {login}"));
    u.password = Some(Secret::new("Str0ng-Passw0rd"));
    u.profile_ids = vec![P_AGENT];
    u.member_of = Some(GroupLink::to(BILLING));
    u.max_chats = Some(2);
    u
}

fn stored_all(emu: &RunningEmulator, kind: CollectionKind) -> Vec<Value> {
    emu.with_store(ACCOUNT, |s| s.list(kind, true)).unwrap()
}

fn live_with(emu: &RunningEmulator, kind: CollectionKind, key: &str, value: &str) -> usize {
    stored_all(emu, kind)
        .iter()
        .filter(|v| v["deleted"] != true && v[key].as_str().is_some_and(|s| s.eq_ignore_ascii_case(value)))
        .count()
}

fn stored_by_id(emu: &RunningEmulator, kind: CollectionKind, id: i64) -> Value {
    emu.with_store(ACCOUNT, |s| s.stored(kind, id)).flatten().expect("stored")
}

/// The (method, status) of every `le-users` request, in order.
fn wire(emu: &RunningEmulator) -> Vec<(String, u16)> {
    emu.request_log()
        .iter()
        .filter(|r| r.path.contains("/le-users/"))
        .map(|r| (r.method.clone(), r.status))
        .collect()
}

fn writes(emu: &RunningEmulator, method: &str) -> usize {
    wire(emu).iter().filter(|(m, _)| m == method).count()
}

fn fault(path: &str, method: &str, action: &FaultAction) -> FaultRule {
    FaultRule::new(path, action.clone()).method(method).times(1)
}

#[tokio::test]
async fn create_single_and_batch_are_applied_once_and_reported_applied() {
    for (n, (action, seen)) in actions().into_iter().enumerate() {
        let emu = emulator().await;
        let c = client(&emu);
        // Single.
        emu.add_fault(fault("*/le-users/users", "POST", &action));
        let login = format!("lost.{n}");
        let made = c.users().create(&agent(&login)).await.unwrap_or_else(|e| panic!("{action:?}: {e}"));
        assert_eq!(made.value.login_name.as_deref(), Some(login.as_str()));
        assert!(made.value.id.is_some());
        assert_eq!(live_with(&emu, CollectionKind::Users, "loginName", &login), 1, "{action:?}");
        // One POST (lost), one re-read, no second POST.
        assert_eq!(wire(&emu), [("POST".to_owned(), seen), ("GET".to_owned(), 200)], "{action:?}");

        // Batch of 3 in chunks of 2: the first chunk's answer is lost.
        emu.clear_request_log();
        emu.add_fault(fault("*/le-users/users", "POST", &action));
        let batch: Vec<User> = (0..3).map(|i| agent(&format!("lost.{n}.{i}"))).collect();
        let made = c.users().create_many(&batch).await.unwrap_or_else(|e| panic!("{action:?}: {e}"));
        let logins: Vec<_> = made.value.iter().map(|u| u.login_name.clone().unwrap()).collect();
        assert_eq!(logins, [0, 1, 2].map(|i| format!("lost.{n}.{i}")), "request order");
        for l in &logins {
            assert_eq!(live_with(&emu, CollectionKind::Users, "loginName", l), 1, "{action:?} {l}");
        }
        assert_eq!(
            batch_sizes(&user_posts(&emu)),
            [2, 1],
            "the lost chunk is not re-sent; the next chunk is"
        );
        assert_eq!(
            wire(&emu),
            [("POST".to_owned(), seen), ("GET".to_owned(), 200), ("POST".to_owned(), 201)],
            "{action:?}"
        );
    }
}

#[tokio::test]
async fn create_many_ids_after_a_lost_answer_reports_what_the_re_read_found() {
    for (n, (action, seen)) in actions().into_iter().enumerate() {
        let emu = emulator().await;
        let c = client(&emu);
        emu.add_fault(fault("*/le-users/users", "POST", &action));
        let batch: Vec<User> = (0..3).map(|i| agent(&format!("light.{n}.{i}"))).collect();
        let made = c.users().create_many_ids(&batch).await.unwrap_or_else(|e| panic!("{action:?}: {e}"));
        let logins: Vec<_> = made.value.iter().map(|u| u.login_name.clone().unwrap()).collect();
        assert_eq!(logins, [0, 1, 2].map(|i| format!("light.{n}.{i}")), "request order");
        let all = c.users().list(&ListOptions::default()).await.unwrap().value;
        for u in &made.value {
            let stored = all.iter().find(|s| s.login_name == u.login_name).expect("created");
            assert_eq!(u.id, stored.id, "{action:?}");
        }
        assert_eq!(
            wire(&emu)[..3],
            [("POST".to_owned(), seen), ("GET".to_owned(), 200), ("POST".to_owned(), 201)],
            "{action:?}"
        );
    }
}

#[tokio::test]
async fn group_create_with_a_lost_answer_is_not_duplicated() {
    for (n, (action, _)) in actions().into_iter().enumerate() {
        let emu = emulator().await;
        let c = client(&emu);
        emu.add_fault(fault("*/le-users/agentGroups", "POST", &action));
        let name = format!("Lost group {n}");
        let made = c.agent_groups().create(&AgentGroup::new(&name, BILLING)).await.unwrap();
        assert_eq!(made.value.name.as_deref(), Some(name.as_str()));
        assert_eq!(live_with(&emu, CollectionKind::AgentGroups, "name", &name), 1, "{action:?}");
        assert_eq!(writes(&emu, "POST"), 1);
    }
}

#[tokio::test]
async fn update_single_and_batch_under_if_match_are_reported_applied() {
    for (action, seen) in actions() {
        let emu = emulator().await;
        let c = client(&emu);
        let listed = c.users().list(&ListOptions::default()).await.unwrap();
        let pick = |login: &str| {
            listed.value.iter().find(|u| u.login_name.as_deref() == Some(login)).unwrap().clone()
        };
        let mut sam = pick("sam.lee");
        sam.full_name = Some("Samuel Lee".into());
        sam.max_chats = Some(7);
        let id = sam.id.unwrap();
        emu.clear_request_log();
        emu.add_fault(fault(&format!("*/users/{id}"), "PUT", &action));
        let rev = listed.revision.unwrap();
        let done = c
            .users()
            .update(&sam, IfMatch::Revision(rev))
            .await
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
        assert_eq!(done.value.max_chats, Some(7));
        assert!(done.revision.unwrap() > rev);
        assert_eq!(stored_by_id(&emu, CollectionKind::Users, id)["maxChats"], 7, "{action:?}");
        let log = wire(&emu);
        assert_eq!(log[0], ("PUT".to_owned(), seen), "{action:?}");
        // The retried PUT (5xx, reset) meets 409: the revision moved under our own write.
        assert!(log.iter().all(|(m, s)| m != "PUT" || *s != 200 || seen == 200), "{log:?}");
        assert_eq!(log.last().unwrap(), &("GET".to_owned(), 200), "{action:?}: decided by a re-read");
        assert_eq!(writes(&emu, "PUT"), if seen == 200 { 1 } else { 2 }, "{log:?}");

        // Batch of 3 in chunks of 2, revision guard following from chunk to chunk.
        let listed = c.users().list(&ListOptions::default()).await.unwrap();
        let mut three: Vec<User> = listed
            .value
            .iter()
            .filter(|u| u.member_of.as_ref().and_then(|m| m.agent_group_id) == Some(BILLING))
            .take(3)
            .cloned()
            .collect();
        assert_eq!(three.len(), 3);
        for u in &mut three {
            u.full_name = Some("Batch Name".into());
            u.max_chats = Some(9);
        }
        emu.clear_request_log();
        emu.add_fault(fault("*/le-users/users", "PUT", &action));
        let done = c
            .users()
            .update_many(&three, IfMatch::Revision(listed.revision.unwrap()))
            .await
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
        assert_eq!(done.value.len(), 3);
        for u in &three {
            assert_eq!(stored_by_id(&emu, CollectionKind::Users, u.id.unwrap())["maxChats"], 9, "{action:?}");
        }
        let puts: Vec<u16> = wire(&emu).into_iter().filter(|(m, _)| m == "PUT").map(|(_, s)| s).collect();
        assert_eq!(puts[0], seen);
        assert_eq!(*puts.last().unwrap(), 200, "the second chunk went through: {puts:?}");
    }
}

#[tokio::test]
async fn delete_single_and_batch_leave_tombstones_and_report_applied() {
    for (action, seen) in actions() {
        for guard_on_revision in [false, true] {
            let emu = emulator().await;
            let c = client(&emu);
            let listed = c.users().list(&ListOptions::default()).await.unwrap();
            let guard = |r| if guard_on_revision { IfMatch::Revision(r) } else { IfMatch::Any };
            let ids: Vec<i64> = listed
                .value
                .iter()
                .filter(|u| u.login_name.as_deref() != Some("admin"))
                .filter_map(|u| u.id)
                .take(4)
                .collect();
            emu.clear_request_log();
            emu.add_fault(fault(&format!("*/users/{}", ids[0]), "DELETE", &action));
            let done = c
                .users()
                .delete(ids[0], guard(listed.revision.unwrap()))
                .await
                .unwrap_or_else(|e| panic!("{action:?}: {e}"));
            assert_eq!(done.value.and_then(|u| u.deleted), Some(true));
            assert_eq!(stored_by_id(&emu, CollectionKind::Users, ids[0])["deleted"], true);
            let log = wire(&emu);
            assert_eq!(log[0], ("DELETE".to_owned(), seen));
            assert_eq!(log.last().unwrap().0, "GET", "{log:?}");

            let rev = c.users().list(&ListOptions::default()).await.unwrap().revision.unwrap();
            emu.clear_request_log();
            emu.add_fault(fault("*/le-users/users", "DELETE", &action));
            let done = c
                .users()
                .delete_many(&ids[1..], guard(rev))
                .await
                .unwrap_or_else(|e| panic!("{action:?}: {e}"));
            assert_eq!(done.value.len(), 3);
            for id in &ids[1..] {
                assert_eq!(stored_by_id(&emu, CollectionKind::Users, *id)["deleted"], true, "{action:?}");
            }
            let deletes: Vec<u16> =
                wire(&emu).into_iter().filter(|(m, _)| m == "DELETE").map(|(_, s)| s).collect();
            assert_eq!(deletes[0], seen);
        }
    }
}

#[tokio::test]
async fn a_lost_answer_that_cannot_be_re_read_is_reported_unknown_not_failed() {
    let emu = emulator().await;
    let c = client(&emu);
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    let mut sam = listed.value.iter().find(|u| u.login_name.as_deref() == Some("sam.lee")).unwrap().clone();
    sam.full_name = Some("Sam".into());
    sam.max_chats = Some(5);
    let id = sam.id.unwrap();
    emu.add_fault(fault(&format!("*/users/{id}"), "PUT", &FaultAction::ApplyThenReset));
    // Every read fails from now on (lists and reads by id): the client cannot learn the outcome.
    emu.add_fault(
        FaultRule::new(
            "*/le-users/users*",
            FaultAction::Status { status: 503, body: None, retry_after: None },
        )
        .method("GET"),
    );
    let e = c.users().update(&sam, IfMatch::Revision(listed.revision.unwrap())).await.unwrap_err();
    let progress = e.details().batch.clone().expect("progress on a write error");
    assert_eq!(progress.unknown, [0], "{e}");
    assert!(progress.not_applied.is_empty(), "never 'not applied' without knowing: {e}");
    assert!(e.to_string().contains("outcome unknown"), "{e}");
    assert_eq!(stored_by_id(&emu, CollectionKind::Users, id)["maxChats"], 5, "it was applied");
}

#[tokio::test]
async fn a_write_that_provably_failed_is_reported_not_applied() {
    let emu = emulator().await;
    let c = client(&emu);
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    let mut sam = listed.value.iter().find(|u| u.login_name.as_deref() == Some("sam.lee")).unwrap().clone();
    sam.full_name = Some("Sam".into());
    sam.max_chats = Some(6);
    let id = sam.id.unwrap();
    // Every PUT fails before it is applied.
    emu.add_fault(
        FaultRule::new(
            format!("*/users/{id}"),
            FaultAction::Status { status: 503, body: None, retry_after: None },
        )
        .method("PUT"),
    );
    let e = c.users().update(&sam, IfMatch::Revision(listed.revision.unwrap())).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    let progress = e.details().batch.clone().expect("progress on a write error");
    assert_eq!((progress.not_applied.as_slice(), progress.unknown.len()), (&[0usize][..], 0), "{e}");
    assert_ne!(stored_by_id(&emu, CollectionKind::Users, id)["maxChats"], 6);
}

/// The GETs after the first write, as `path?query` below `le-users/`.
fn reads_after_write(emu: &RunningEmulator) -> Vec<String> {
    let log = emu.request_log();
    let first_write = log.iter().position(|r| r.method != "GET").expect("a write");
    log[first_write..]
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| {
            let path = r.path.split("/le-users/").nth(1).unwrap_or_default();
            let query: Vec<&str> =
                r.query.as_deref().unwrap_or_default().split('&').filter(|q| !q.starts_with("v=")).collect();
            format!("{path}?{}", query.join("&"))
        })
        .collect()
}

#[tokio::test]
async fn updates_and_deletes_are_re_read_by_id_not_by_listing_the_collection() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).batch_size(5).build().unwrap();
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    let mut three: Vec<User> = listed
        .value
        .iter()
        .filter(|u| u.member_of.as_ref().and_then(|m| m.agent_group_id) == Some(BILLING))
        .take(3)
        .cloned()
        .collect();
    for u in &mut three {
        u.full_name = Some("By Id".into());
        u.max_chats = Some(8);
    }
    let ids: Vec<i64> = three.iter().map(|u| u.id.unwrap()).collect();
    emu.clear_request_log();
    emu.add_fault(fault("*/le-users/users", "PUT", &FaultAction::ApplyThenReset));
    let done = c.users().update_many(&three, IfMatch::Revision(listed.revision.unwrap())).await.unwrap();
    assert_eq!(done.value.len(), 3);
    let by_id: Vec<String> =
        ids.iter().map(|id| format!("users/{id}?select=%24all&include_deleted=true")).collect();
    assert_eq!(reads_after_write(&emu), by_id, "the three users, by id, tombstones included");
    for id in &ids {
        assert_eq!(stored_by_id(&emu, CollectionKind::Users, *id)["maxChats"], 8);
    }

    // A delete whose answer is lost: its tombstone is read by id.
    let rev = c.users().list(&ListOptions::default()).await.unwrap().revision.unwrap();
    emu.clear_request_log();
    emu.add_fault(fault(
        "*/le-users/users",
        "DELETE",
        &FaultAction::ApplyThenStatus { status: 502, body: None, retry_after: None },
    ));
    let done = c.users().delete_many(&ids[..2], IfMatch::Revision(rev)).await.unwrap();
    assert_eq!(done.value.len(), 2);
    assert_eq!(reads_after_write(&emu), by_id[..2], "only the two deleted users");

    // A create cannot be looked up by name: the collection is listed.
    emu.clear_request_log();
    emu.add_fault(fault("*/le-users/users", "POST", &FaultAction::ApplyThenReset));
    c.users().create(&agent("listed.once")).await.unwrap();
    assert_eq!(reads_after_write(&emu), ["users?select=%24all"]);
}

#[tokio::test]
async fn an_item_whose_re_read_fails_stays_unknown_while_the_others_are_decided() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).batch_size(5).build().unwrap();
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    let mut two: Vec<User> = listed
        .value
        .iter()
        .filter(|u| u.member_of.as_ref().and_then(|m| m.agent_group_id) == Some(BILLING))
        .take(2)
        .cloned()
        .collect();
    for u in &mut two {
        u.full_name = Some("Half Known".into());
        u.max_chats = Some(3);
    }
    let (first, second) = (two[0].id.unwrap(), two[1].id.unwrap());
    emu.add_fault(fault("*/le-users/users", "PUT", &FaultAction::ApplyThenReset));
    // The second user cannot be read back.
    emu.add_fault(
        FaultRule::new(
            format!("*/users/{second}"),
            FaultAction::Status { status: 503, body: None, retry_after: None },
        )
        .method("GET"),
    );
    let e = c.users().update_many(&two, IfMatch::Revision(listed.revision.unwrap())).await.unwrap_err();
    let p = e.details().batch.clone().expect("progress");
    assert_eq!(
        (p.applied.as_slice(), p.confirmed_after_loss.as_slice()),
        (&[0usize][..], &[0usize][..]),
        "{e}"
    );
    assert_eq!(p.unknown, [1], "{e}");
    assert!(p.not_applied.is_empty(), "never 'not applied' without knowing: {e}");
    assert_eq!(p.applied_ids, [first]);
    for id in [first, second] {
        assert_eq!(stored_by_id(&emu, CollectionKind::Users, id)["maxChats"], 3, "both were applied");
    }
}

/// The scenario of the duplicate-create check, with the outcome the caller sees.
async fn create_with_lost_answer(reconcile: bool) -> (Result<String, Error>, usize) {
    let emu = emulator_with(vec![fault(
        "*/le-users/users",
        "POST",
        &FaultAction::ApplyThenStatus { status: 503, body: None, retry_after: None },
    )])
    .await;
    let c = builder(&emu, api_key(&emu)).reconcile_creates(reconcile).build().unwrap();
    let r = c.users().create(&agent("only.once")).await.map(|v| v.value.login_name.unwrap_or_default());
    (r, live_with(&emu, CollectionKind::Users, "loginName", "only.once"))
}

#[tokio::test]
async fn the_duplicate_create_check_fails_without_reconciliation() {
    let (ok, stored) = create_with_lost_answer(true).await;
    assert_eq!((ok.unwrap(), stored), ("only.once".to_owned(), 1));
    // A client that re-sends the create blindly: the second POST meets the
    // first's user, and the call reports a failure for a user the account holds.
    let (blind, stored) = create_with_lost_answer(false).await;
    let e = blind.expect_err("without reconciliation the create is reported failed");
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    assert_eq!(stored, 1, "…while the account holds it: a false error report");
}

/// The chaos run's false report: an update is applied but its answer lost (503),
/// the retry meets a 401 (the session expired), and the replay after the re-login
/// meets 409 because the first send moved the revision. The replay is a further
/// send of the same write, so the 409 must be decided by a re-read, not believed.
#[tokio::test]
async fn an_update_whose_replay_after_a_401_meets_409_is_reported_applied() {
    let emu = emulator().await;
    let c = admin_client(&emu);
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    let mut sam = listed.value.iter().find(|u| u.login_name.as_deref() == Some("sam.lee")).unwrap().clone();
    sam.full_name = Some("Samuel Lee".into());
    sam.max_chats = Some(6);
    let id = sam.id.unwrap();
    emu.clear_request_log();
    let lost = FaultAction::ApplyThenStatus { status: 503, body: None, retry_after: None };
    let expired = FaultAction::Status { status: 401, body: None, retry_after: None };
    emu.add_fault(fault(&format!("*/users/{id}"), "PUT", &lost));
    emu.add_fault(fault(&format!("*/users/{id}"), "PUT", &expired));
    let done = c
        .users()
        .update(&sam, IfMatch::Revision(listed.revision.unwrap()))
        .await
        .unwrap_or_else(|e| panic!("an applied update reported as {:?}: {e}", e.kind()));
    assert_eq!(done.value.max_chats, Some(6));
    assert_eq!(stored_by_id(&emu, CollectionKind::Users, id)["maxChats"], 6);
    let puts: Vec<u16> = wire(&emu).into_iter().filter(|(m, _)| m == "PUT").map(|(_, s)| s).collect();
    assert_eq!(puts, [503, 401, 409], "lost answer, expired session, replay under the old revision");
    assert_eq!(wire(&emu).last().unwrap(), &("GET".to_owned(), 200), "decided by a re-read");
}
