//! Runs the shared sync scenarios of the repository's `tests/sync/*.json` (format:
//! `tests/README.md`) against the emulator through the engine.

mod common;

use std::path::PathBuf;

use common::Account;
use lpconfig_sync::report::Status;
use lpconfig_sync::{ApplyOptions, Desired, Options, Outcome, Snapshot, SyncError};
use serde_json::{json, Value};

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/sync");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn errors_text(e: &SyncError) -> Vec<String> {
    match e {
        SyncError::Input(errors) => errors.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    }
}

fn expect_contains(name: &str, what: &str, got: &[String], want: &Value) {
    for w in want.as_array().into_iter().flatten() {
        let w = w.as_str().unwrap();
        assert!(got.iter().any(|g| g.contains(w)), "{name}: {what}: expected {w:?} in {got:#?}");
    }
}

/// A user as staff-file values, for comparison with `expect_users`.
fn as_columns(u: &lpconfig::api::users::User, snap: &Snapshot) -> Value {
    let n = &snap.names;
    let names = |ids: &[i64], f: &dyn Fn(i64) -> String| {
        let mut v: Vec<String> = ids.iter().map(|i| f(*i)).collect();
        v.sort();
        v
    };
    let managed: Vec<i64> = u.manager_of.iter().filter_map(|m| m.agent_group_id).collect();
    json!({
        "login_name": u.login_name,
        "email": u.email,
        "nickname": u.nickname,
        "description": u.description,
        "mobile_number": u.mobile_number,
        "picture_url": u.picture_url,
        "enabled": u.is_enabled,
        "max_chats": u.max_chats,
        "max_async_chats": u.max_async_chats.0,
        "group": u.member_of.as_ref().and_then(|m| m.agent_group_id).map(|g| n.group_path(g)),
        "roles": names(&u.profile_ids, &|p| n.profile_name(p)),
        "skills": names(&u.skill_ids, &|s| n.skill_name(s)),
        "lobs": names(&u.lob_ids, &|l| n.lob_name(l)),
        "manager_of": names(&managed, &|g| n.group_path(g)),
    })
}

async fn run(path: &PathBuf) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let s: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(s["account"], "demo", "{name}: only the demo seed is known");
    let acc = Account::start().await;
    let options: Options = serde_json::from_value(s["options"].clone()).unwrap();
    let rows = s["rows"].as_array().unwrap().clone();

    let read = Desired::from_records(rows).and_then(|d| match s.get("groups") {
        Some(g) => d.with_groups(g.as_array().unwrap().clone()),
        None => Ok(d),
    });
    let desired = match read {
        Ok(d) => {
            assert!(s.get("expect_errors").is_none(), "{name}: expected the rows to be refused");
            d
        }
        Err(e) => {
            assert!(s.get("expect_errors").is_some(), "{name}: {e}");
            expect_contains(&name, "read errors", &errors_text(&e), &s["expect_errors"]);
            assert_eq!(errors_text(&e).len(), s["expect_errors"].as_array().unwrap().len(), "{name}: {e:?}");
            assert!(acc.emu.request_log().is_empty(), "{name}: nothing contacted");
            return;
        }
    };
    let plan = match lpconfig_sync::plan(&acc.client, &desired, &options).await {
        Ok(p) => {
            assert!(s.get("expect_errors_after_names").is_none(), "{name}: expected planning to fail");
            p
        }
        Err(e) => {
            assert!(s.get("expect_errors_after_names").is_some(), "{name}: {e}");
            expect_contains(&name, "plan errors", &errors_text(&e), &s["expect_errors_after_names"]);
            assert!(acc.writes().is_empty(), "{name}: nothing written");
            return;
        }
    };
    let summary = serde_json::to_value(plan.summary).unwrap();
    for (k, v) in s["expect_plan"]["summary"].as_object().into_iter().flatten() {
        assert_eq!(&summary[k], v, "{name}: summary.{k} in {summary}\n{}", plan.to_json());
    }
    expect_contains(&name, "warnings", &plan.warnings, &s["expect_plan"]["warnings_contain"]);

    let report =
        lpconfig_sync::apply_and_verify(&acc.client, &plan, &desired, &options, &ApplyOptions::default())
            .await
            .unwrap();
    assert!(matches!(report.outcome, Outcome::Done), "{name}: {:?}", report.outcome);
    assert!(report.changes.iter().all(|c| c.status == Status::Applied), "{name}");
    assert_eq!(report.changes.len(), plan.len(), "{name}");
    assert_eq!(report.verified, Some(true), "{name}: re-plan: {:?}", report.leftover.map(|p| p.to_json()));

    let snap = Snapshot::read(&acc.client).await.unwrap();
    for (login, want) in s["expect_users"].as_object().into_iter().flatten() {
        let user = snap.users.iter().find(|u| u.login_name.as_deref() == Some(login));
        match (user, want) {
            (None, Value::Null) => {}
            (Some(_), Value::Null) => panic!("{name}: {login} should not exist"),
            (None, _) => panic!("{name}: {login} missing"),
            (Some(u), want) => {
                let got = as_columns(u, &snap);
                for (k, v) in want.as_object().unwrap() {
                    assert_eq!(&got[k], v, "{name}: {login}.{k}: {got}");
                }
            }
        }
    }
    for path in s["expect_groups"].as_array().into_iter().flatten() {
        let path = path.as_str().unwrap();
        assert!(snap.names.find_group(path).is_some(), "{name}: group {path} missing");
    }
    acc.emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_scenarios() {
    let files = scenario_files();
    assert!(files.len() >= 4, "scenarios found: {files:?}");
    for f in &files {
        run(f).await;
    }
}
