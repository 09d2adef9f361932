//! The engine end to end against the emulator: apply and verify, stale plans,
//! progress, cancellation, failed batches, saved plans.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Account;
use lpconfig::api::users::User;
use lpconfig_emulator::{FaultAction, FaultRule};
use lpconfig_sync::report::{ChangeKind, Status};
use lpconfig_sync::{ApplyOptions, CancelToken, Desired, Options, Outcome, Phase, Plan, Progress, SyncError};
use serde_json::json;

fn people(prefix: &str, n: usize) -> Desired {
    Desired::from_records((0..n).map(|i| {
        json!({"login_name": format!("{prefix}.{i:02}"), "full_name": format!("P {i}"),
               "email": format!("{prefix}.{i:02}@example.com"), "group": "Night Shift"})
    }))
    .unwrap()
}

fn options() -> Options {
    Options { allow_masked_blank: true, ..Options::default() }
}

fn created(users: &[User], prefix: &str) -> usize {
    users.iter().filter(|u| u.login_name.as_deref().is_some_and(|l| l.starts_with(prefix))).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_apply_verify_then_nothing_left() {
    let acc = Account::start().await;
    let desired = Desired::from_records([
        json!({"login_name": "ana.new", "full_name": "Ana New", "email": "ana.new@example.com",
               "group": "Support/Billing/Refunds", "skills": "VIP", "password": "Initial-Passw0rd"}),
        json!({"login_name": "JANE.DOE", "max_chats": 7}),
    ])
    .unwrap();
    let plan = lpconfig_sync::plan(&acc.client, &desired, &options()).await.unwrap();
    assert_eq!(plan.summary.to_string(), "Plan: 1 group to create, 0 to move; 1 user to create, 1 to update, 0 to disable, 0 to delete; 0 unchanged.");
    assert!(acc.writes().is_empty(), "planning writes nothing");

    let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let sink = seen.clone();
    let opts = ApplyOptions {
        progress: Some(Arc::new(move |p: &Progress| sink.lock().unwrap().push(*p))),
        ..ApplyOptions::default()
    };
    let report =
        lpconfig_sync::apply_and_verify(&acc.client, &plan, &desired, &options(), &opts).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Done));
    assert_eq!(report.verified, Some(true));
    let kinds: Vec<(ChangeKind, &str, Status)> =
        report.changes.iter().map(|c| (c.kind, c.name.as_str(), c.status)).collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::CreateGroup, "Support/Billing/Refunds", Status::Applied),
            (ChangeKind::CreateUser, "ana.new", Status::Applied),
            (ChangeKind::UpdateUser, "jane.doe", Status::Applied),
        ]
    );
    assert_eq!(report.applied.passwords.len(), 1);
    let json = report.to_json();
    assert!(!json.contains("Initial-Passw0rd") && !format!("{report:?}").contains("Initial-Passw0rd"));
    // Progress: phases in order, done never goes back, ends at total.
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.first().map(|p| p.phase), Some(Phase::Checking));
    assert_eq!(seen.last().map(|p| (p.phase, p.done, p.total)), Some((Phase::Done, 3, 3)));
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done));

    // The account holds it; a new plan is empty and writes nothing.
    let ana = acc.user("ana.new").await.unwrap();
    assert_eq!(ana.change_pwd_next_login, Some(true));
    assert_eq!(acc.user("jane.doe").await.unwrap().max_chats, Some(7));
    acc.emu.clear_request_log();
    let again = lpconfig_sync::plan(&acc.client, &desired, &options()).await.unwrap();
    assert!(again.is_empty(), "{}", again.to_json());
    let report = lpconfig_sync::apply(&acc.client, &again, &ApplyOptions::default()).await.unwrap();
    assert!(report.changes.is_empty());
    assert!(acc.writes().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_made_before_the_account_moved_is_refused() {
    let acc = Account::start().await;
    let desired = people("stale", 3);
    let plan = lpconfig_sync::plan(&acc.client, &desired, &options()).await.unwrap();
    // Someone else changes a user after the plan was made.
    let mut sam = acc.user("sam.lee").await.unwrap();
    sam.max_chats = Some(9);
    acc.client.users().update(&sam, lpconfig::IfMatch::Any).await.unwrap();
    acc.emu.clear_request_log();
    let e = lpconfig_sync::apply(&acc.client, &plan, &ApplyOptions::default()).await.unwrap_err();
    assert!(matches!(e, SyncError::Stale { collection: "users", .. }), "{e:?}");
    assert!(e.to_string().contains("make a new plan"), "{e}");
    assert!(acc.writes().is_empty(), "nothing applied");
    assert_eq!(created(&acc.users().await, "stale."), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_finishes_the_current_batch_and_reports_the_rest() {
    let acc = Account::start().await;
    let desired = people("cancel", 12);
    let plan = lpconfig_sync::plan(&acc.client, &desired, &options()).await.unwrap();
    let cancel = CancelToken::new();
    let trigger = cancel.clone();
    // Cancel as soon as the first users batch is done.
    let progress = Arc::new(move |p: &Progress| {
        if p.phase == Phase::CreateUsers && p.done > 1 {
            trigger.cancel();
        }
    });
    let opts = ApplyOptions { batch_size: Some(5), progress: Some(progress), cancel };
    let report = lpconfig_sync::apply(&acc.client, &plan, &opts).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Cancelled { not_applied: 7 }), "{:?}", report.outcome);
    let applied: Vec<&str> = report.applied_changes().map(|c| c.name.as_str()).collect();
    assert_eq!(applied.len(), 6, "the group and one batch of 5: {applied:?}");
    assert_eq!(report.changes.iter().filter(|c| c.status == Status::NotApplied).count(), 7);
    // The report matches the account exactly.
    let users = acc.users().await;
    assert_eq!(created(&users, "cancel."), 5);
    for c in report.changes.iter().filter(|c| c.kind == ChangeKind::CreateUser) {
        let exists = users.iter().any(|u| u.login_name.as_deref() == Some(c.name.as_str()));
        assert_eq!(exists, c.status == Status::Applied, "{}", c.name);
    }
    // A re-plan finishes the job without repeating anything.
    let rest = lpconfig_sync::plan(&acc.client, &desired, &options()).await.unwrap();
    assert_eq!((rest.summary.groups_to_create, rest.summary.users_to_create), (0, 7));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_keeps_coming_while_a_slow_batch_runs() {
    let acc = Account::start().await;
    let desired = people("slow", 2);
    let plan = lpconfig_sync::plan(&acc.client, &desired, &options()).await.unwrap();
    acc.emu.add_fault(
        FaultRule::new("*/le-users/users", FaultAction::Latency(Duration::from_millis(900))).method("POST"),
    );
    let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let sink = seen.clone();
    let opts = ApplyOptions {
        progress: Some(Arc::new(move |p: &Progress| sink.lock().unwrap().push(*p))),
        ..ApplyOptions::default()
    };
    let report = lpconfig_sync::apply(&acc.client, &plan, &opts).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Done));
    // While the one users request was on the wire (done stays at 1: the group), reports kept coming.
    let during = seen.lock().unwrap().iter().filter(|p| p.phase == Phase::CreateUsers && p.done == 1).count();
    assert!(during >= 2, "reports during the slow request: {during}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_batch_says_exactly_what_was_applied() {
    let acc = Account::start().await;
    let desired = people("batch", 25);
    let plan = lpconfig_sync::plan(&acc.client, &desired, &options()).await.unwrap();
    // The first users batch goes through (a zero-latency rule used up once), the second fails.
    acc.emu.add_fault(
        FaultRule::new("*/le-users/users", FaultAction::Latency(Duration::ZERO)).method("POST").times(1),
    );
    acc.emu.add_fault(
        FaultRule::new(
            "*/le-users/users",
            FaultAction::Status {
                status: 400,
                body: Some(r#"{"message":"batch.12 is not welcome"}"#.into()),
                retry_after: None,
            },
        )
        .method("POST")
        .times(1),
    );
    let opts = ApplyOptions { batch_size: Some(10), ..ApplyOptions::default() };
    let report = lpconfig_sync::apply(&acc.client, &plan, &opts).await.unwrap();
    let Outcome::Failed { step, rows, suspects, .. } = &report.outcome else {
        panic!("{:?}", report.outcome)
    };
    assert_eq!(step, "users: create batch 2/3");
    assert_eq!(rows.len(), 10);
    assert_eq!(suspects, &["rows:13 batch.12".to_owned()]);
    assert_eq!(report.applied.users_created, 10);
    let applied: Vec<&str> = report
        .applied_changes()
        .filter(|c| c.kind == ChangeKind::CreateUser)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(applied, (0..10).map(|i| format!("batch.{i:02}")).collect::<Vec<_>>());
    assert_eq!(created(&acc.users().await, "batch."), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_plan_applies_later_and_holds_no_passwords() {
    let acc = Account::start().await;
    let desired = Desired::from_records([json!({"login_name": "saved.one", "full_name": "Saved One",
        "email": "saved.one@example.com", "password": "Row-Passw0rd-1"})])
    .unwrap();
    let plan = lpconfig_sync::plan(&acc.client, &desired, &options()).await.unwrap();
    let json = plan.to_json();
    assert!(!json.contains("Row-Passw0rd-1"));
    let back = Plan::from_json(&json).unwrap();
    let report = lpconfig_sync::apply(&acc.client, &back, &ApplyOptions::default()).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Done));
    // The saved plan had no password: a random one was made and reported.
    let (login, pw) = &report.applied.passwords[0];
    assert_eq!(login, "saved.one");
    assert_eq!(pw.expose().len(), 20);
    assert!(acc.user("saved.one").await.is_some());
    // Applying the same saved plan again is refused: the account moved.
    let e = lpconfig_sync::apply(&acc.client, &back, &ApplyOptions::default()).await.unwrap_err();
    assert!(matches!(e, SyncError::Stale { .. }), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_errors_come_all_at_once_and_nothing_is_contacted() {
    let e = Desired::from_records([
        json!({"login_name": "a", "max_chats": -1}),
        json!({"login_name": "b", "email": "nope"}),
        json!({"login_name": "A"}),
    ])
    .unwrap_err();
    let SyncError::Input(errors) = e else { panic!() };
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "rows:1:0: max_chats -1 is negative",
            "rows:2:0: \"nope\" is not an e-mail address",
            "rows:3:0: duplicate login name \"A\" (first at row 1; login names ignore case)",
        ]
    );
}
