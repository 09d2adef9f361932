//! Lost-answer faults: the request is handled (the write applied), then its answer
//! is replaced by a status, a reset or a malformed body.

mod support;

use lpconfig_emulator::store::{CollectionKind, MAIN_GROUP_ID};
use lpconfig_emulator::{FaultAction, FaultRule, RunningEmulator};
use serde_json::{json, Value};
use support::*;

fn base(emu: &RunningEmulator, rest: &str) -> String {
    format!("{}/api/account/demo/configuration/le-users/{rest}?v=4.0", emu.base_url())
}

fn actions() -> Vec<FaultAction> {
    vec![
        FaultAction::ApplyThenStatus { status: 503, body: None, retry_after: Some("1".into()) },
        FaultAction::ApplyThenReset,
        FaultAction::ApplyThenMalformed,
    ]
}

/// What the client sees: a status, or 0 for a broken connection.
async fn send(req: reqwest::RequestBuilder) -> (u16, String) {
    match req.send().await {
        Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
        Err(_) => (0, String::new()),
    }
}

fn expected(action: &FaultAction) -> u16 {
    match action {
        FaultAction::ApplyThenStatus { status, .. } => *status,
        FaultAction::ApplyThenReset => 0,
        _ => 200,
    }
}

fn user(login: &str) -> Value {
    json!({"loginName": login, "nickname": "N", "email": "n@example.com", "fullName": "F",
           "isEnabled": true, "maxChats": 2, "profileIds": [2_359_273_712i64],
           "memberOf": {"agentGroupId": MAIN_GROUP_ID}, "passwordSh": "Str0ng-Passw0rd"})
}

#[tokio::test]
async fn every_write_is_applied_and_its_answer_lost() {
    for (collection, kind) in [("users", CollectionKind::Users), ("agentGroups", CollectionKind::AgentGroups)]
    {
        for (n, action) in actions().into_iter().enumerate() {
            let emu = demo().await;
            let (bearer, _, _) = login_admin(&emu).await;
            let auth = format!("Bearer {bearer}");
            let new = |i: usize| match kind {
                CollectionKind::Users => user(&format!("lost.{n}.{i}")),
                _ => {
                    json!({"name": format!("Lost {n} {i}"), "parentGroupId": MAIN_GROUP_ID, "isEnabled": true})
                }
            };
            let key = if kind == CollectionKind::Users { "loginName" } else { "name" };
            let count =
                |emu: &RunningEmulator| emu.with_store("demo", |s| s.list(kind, false).len()).unwrap();
            let mut expect_count = count(&emu);

            // POST, single then batch.
            for (body, added) in [(new(0), 1), (json!([new(1), new(2)]), 2)] {
                emu.add_fault(
                    FaultRule::new(format!("*/{collection}"), action.clone()).method("POST").times(1),
                );
                let (status, text) =
                    send(http().post(base(&emu, collection)).header("authorization", &auth).json(&body))
                        .await;
                assert_eq!(status, expected(&action), "{collection} POST {action:?}");
                if matches!(action, FaultAction::ApplyThenMalformed) {
                    assert_eq!(text, "<html>oops");
                }
                expect_count += added;
                assert_eq!(count(&emu), expect_count, "{collection} POST applied");
            }
            let listed: Vec<Value> = emu.with_store("demo", |s| s.list(kind, false)).unwrap();
            let id_of = |i: usize| {
                let want = new(i)[key].clone();
                listed.iter().find(|v| v[key] == want).and_then(|v| v["id"].as_i64()).unwrap()
            };

            // PUT one: the change is stored although the answer was lost.
            let id = id_of(0);
            let mut changed = emu.with_store("demo", |s| s.get(kind, id, false).unwrap()).unwrap();
            changed["description"] = json!("after the lost answer");
            changed.as_object_mut().unwrap().remove("passwordSh");
            emu.add_fault(
                FaultRule::new(format!("*/{collection}/{id}"), action.clone()).method("PUT").times(1),
            );
            let (status, _) = send(
                http()
                    .put(base(&emu, &format!("{collection}/{id}")))
                    .header("authorization", &auth)
                    .json(&changed),
            )
            .await;
            assert_eq!(status, expected(&action));
            let stored = emu.with_store("demo", |s| s.get(kind, id, false).unwrap()).unwrap();
            assert_eq!(stored["description"], "after the lost answer", "{collection} PUT {action:?}");

            // PUT batch.
            let ids = [id_of(1), id_of(2)];
            let items: Vec<Value> = ids
                .iter()
                .map(|id| {
                    let mut v = emu.with_store("demo", |s| s.get(kind, *id, false).unwrap()).unwrap();
                    v["description"] = json!("batch after loss");
                    v.as_object_mut().unwrap().remove("passwordSh");
                    v
                })
                .collect();
            emu.add_fault(FaultRule::new(format!("*/{collection}"), action.clone()).method("PUT").times(1));
            let (status, _) =
                send(http().put(base(&emu, collection)).header("authorization", &auth).json(&items)).await;
            assert_eq!(status, expected(&action));
            for id in ids {
                let v = emu.with_store("demo", |s| s.get(kind, id, false).unwrap()).unwrap();
                assert_eq!(v["description"], "batch after loss", "{collection} batch PUT {action:?}");
            }

            // DELETE one, then a batch: tombstones although the answers were lost.
            emu.add_fault(
                FaultRule::new(format!("*/{collection}/{id}"), action.clone()).method("DELETE").times(1),
            );
            let (status, _) =
                send(http().delete(base(&emu, &format!("{collection}/{id}"))).header("authorization", &auth))
                    .await;
            assert_eq!(status, expected(&action));
            emu.add_fault(
                FaultRule::new(format!("*/{collection}"), action.clone()).method("DELETE").times(1),
            );
            let body: Vec<String> = ids.iter().map(i64::to_string).collect();
            let (status, _) =
                send(http().delete(base(&emu, collection)).header("authorization", &auth).json(&body)).await;
            assert_eq!(status, expected(&action));
            for id in [id, ids[0], ids[1]] {
                let v = emu.with_store("demo", |s| s.stored(kind, id).unwrap()).unwrap();
                assert_eq!(v["deleted"], true, "{collection} DELETE {action:?}");
            }

            // The log shows what the client saw, and every rule was used up.
            let log = emu.request_log();
            let writes: Vec<u16> = log
                .iter()
                .filter(|r| r.method != "GET" && r.path.contains(collection))
                .map(|r| r.status)
                .collect();
            assert_eq!(writes, vec![expected(&action); 6], "{collection} {action:?}");
            assert!(emu.state().faults.rules().is_empty());
            assert_eq!(emu.faults_injected(), 6);
        }
    }
}

#[tokio::test]
async fn request_log_is_a_ring_buffer() {
    let emu = lpconfig_emulator::Emulator::builder().demo().request_log_capacity(3).start().await.unwrap();
    for i in 0..5 {
        let _ = http().get(format!("{}/nothing/{i}", emu.base_url())).send().await.unwrap();
    }
    let paths: Vec<String> = emu.request_log().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/nothing/2", "/nothing/3", "/nothing/4"]);
}
