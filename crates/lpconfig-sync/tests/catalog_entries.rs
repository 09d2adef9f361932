//! `create_missing_catalog_entries`: skills and lines of business the rows name but
//! the account lacks are planned, created once (even when the answer is lost), and
//! given to the users that name them.

mod common;

use std::time::Duration;

use common::{Account, DEMO_PASSWORD};
use lpconfig::api::collection::Entity;
use lpconfig::{Client, Credentials, ListOptions, RetryPolicy};
use lpconfig_emulator::{FaultAction, FaultRule};
use lpconfig_sync::report::{ChangeKind, Status};
use lpconfig_sync::{ApplyOptions, Desired, Options, Outcome};
use serde_json::json;

const S_VIP: i64 = 2_359_236_212;
const LOB_RETAIL: i64 = 6_549_273_612;

/// The admin's client with millisecond retry waits; `reconcile` is the core's test hook
/// (off: creates whose answer is lost are re-sent blindly).
fn client(acc: &Account, reconcile: bool) -> Client {
    Client::builder()
        .account("demo")
        .csds_url(acc.emu.base_url())
        .credentials(Credentials::password("admin", DEMO_PASSWORD))
        .retry(RetryPolicy::documented().with_server_delays([5, 10, 15].map(Duration::from_millis).to_vec()))
        .reconcile_creates(reconcile)
        .build()
        .unwrap()
}

fn rows() -> Desired {
    Desired::from_records([
        json!({"login_name": "nia.new", "full_name": "Nia New", "email": "nia.new@example.com",
               "skills": ["Returns", "VIP"], "lobs": ["Travel", "Retail"]}),
        json!({"login_name": "jane.doe", "skills": ["returns"]}),
    ])
    .unwrap()
}

fn options() -> Options {
    Options { allow_masked_blank: true, create_missing_catalog_entries: true, ..Options::default() }
}

async fn live<T: Entity>(
    list: impl std::future::Future<Output = lpconfig::Result<lpconfig::Versioned<Vec<T>>>>,
    name: &str,
) -> Vec<i64> {
    let all = list.await.unwrap().value;
    all.iter().filter(|e| !e.is_deleted() && e.natural_key() == Some(name)).filter_map(Entity::id).collect()
}

/// Plans and applies with lost answers on both catalog creates; returns the skill and
/// LOB ids the account then holds under the new names, and the report's outcome text.
async fn sync_with_lost_answers(acc: &Account, c: &Client) -> (Vec<i64>, Vec<i64>, Result<(), String>) {
    let plan = lpconfig_sync::plan(c, &rows(), &options()).await.unwrap();
    acc.emu.add_fault(
        FaultRule::new(
            "*/le-users/skills",
            FaultAction::ApplyThenStatus { status: 503, body: None, retry_after: None },
        )
        .method("POST")
        .times(1),
    );
    acc.emu.add_fault(FaultRule::new("*/le-users/lobs", FaultAction::ApplyThenReset).method("POST").times(1));
    let report =
        lpconfig_sync::apply_and_verify(c, &plan, &rows(), &options(), &ApplyOptions::default()).await;
    let outcome = match report {
        Ok(r) => match r.outcome {
            Outcome::Done if r.verified == Some(true) => Ok(()),
            other => Err(format!("{other:?} verified {:?}", r.verified)),
        },
        Err(e) => Err(e.to_string()),
    };
    let o = ListOptions::default();
    let skills = live(c.skills().list(&o), "Returns").await;
    let lobs = live(c.lobs().list(&o), "Travel").await;
    (skills, lobs, outcome)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_skills_and_lobs_are_planned_created_once_and_given_to_the_users() {
    let acc = Account::start().await;
    let c = client(&acc, true);

    // Off (the default), the unknown names are input errors and nothing is written.
    let off = Options { create_missing_catalog_entries: false, ..options() };
    let e = lpconfig_sync::plan(&c, &rows(), &off).await.unwrap_err().to_string();
    assert!(e.contains("unknown skill \"Returns\""), "{e}");

    // On: the plan lists them, lines of business first; planning writes nothing.
    let plan = lpconfig_sync::plan(&c, &rows(), &options()).await.unwrap();
    let listed: Vec<(String, String)> =
        plan.catalog_creates.iter().map(|e| (format!("{:?}", e.kind), e.name.clone())).collect();
    assert_eq!(listed, [("Lob".into(), "Travel".into()), ("Skill".into(), "Returns".into())]);
    assert_eq!(
        plan.summary.to_string(),
        "Plan: 1 skill and 1 line of business to create; 0 groups to create, 0 to move; \
         1 user to create, 1 to update, 0 to disable, 0 to delete; 0 unchanged."
    );
    assert!(acc.writes().is_empty(), "a dry run writes nothing");

    // Apply, losing the answer of both catalog creates: each is created once.
    acc.emu.clear_request_log();
    let (skills, lobs, outcome) = sync_with_lost_answers(&acc, &c).await;
    outcome.unwrap();
    assert_eq!((skills.len(), lobs.len()), (1, 1), "exactly one Returns skill and one Travel LOB");
    let posts =
        |coll: &str| acc.writes().iter().filter(|r| r.method == "POST" && r.path.ends_with(coll)).count();
    assert_eq!((posts("/skills"), posts("/lobs")), (1, 1), "no create was sent twice");

    let nia = acc.user("nia.new").await.unwrap();
    let mut want_skills = vec![skills[0], S_VIP];
    want_skills.sort_unstable();
    let mut want_lobs = vec![lobs[0], LOB_RETAIL];
    want_lobs.sort_unstable();
    assert_eq!((nia.skill_ids.clone(), nia.lob_ids.clone()), (want_skills, want_lobs));
    let jane = acc.user("jane.doe").await.unwrap();
    assert_eq!(jane.skill_ids, [skills[0]], "the skills column replaces the list");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_lists_catalog_creates_first_with_their_counts() {
    let acc = Account::start().await;
    let c = client(&acc, true);
    let plan = lpconfig_sync::plan(&c, &rows(), &options()).await.unwrap();
    let back = lpconfig_sync::Plan::from_json(&plan.to_json()).unwrap();
    assert_eq!(back.catalog_creates, plan.catalog_creates, "the saved plan carries them");
    let report = lpconfig_sync::apply(&c, &back, &ApplyOptions::default()).await.unwrap();
    assert!(matches!(report.outcome, Outcome::Done), "{:?}", report.outcome);
    let kinds: Vec<(ChangeKind, &str, Status)> =
        report.changes.iter().map(|c| (c.kind, c.name.as_str(), c.status)).collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::CreateLob, "Travel", Status::Applied),
            (ChangeKind::CreateSkill, "Returns", Status::Applied),
            (ChangeKind::CreateUser, "nia.new", Status::Applied),
            (ChangeKind::UpdateUser, "jane.doe", Status::Applied),
        ]
    );
    assert_eq!((report.applied.skills_created, report.applied.lobs_created), (1, 1));
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["applied"]["skills_created"], 1);
    assert_eq!(json["changes"][0]["kind"], "create_lob");
    // A new plan (catalog option on or off) finds nothing left to do.
    for create in [true, false] {
        let opts = Options { create_missing_catalog_entries: create, ..options() };
        let again = lpconfig_sync::plan(&c, &rows(), &opts).await.unwrap();
        assert!(again.is_empty(), "{}", again.to_json());
    }
}

/// The duplicate-create check can fail: with the core's create reconciliation off (its
/// test hook), a lost answer makes the sync create the skill again or report a failure
/// for an entry the account holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_duplicate_catalog_create_check_fails_without_reconciliation() {
    let acc = Account::start().await;
    let blind = client(&acc, false);
    let (skills, lobs, outcome) = sync_with_lost_answers(&acc, &blind).await;
    assert!(
        skills.len() > 1 || lobs.len() > 1 || outcome.is_err(),
        "without reconciliation a lost create is duplicated or misreported: {skills:?} {lobs:?} {outcome:?}"
    );
}
