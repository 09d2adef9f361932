//! `lpconfig sync --apply` when the server applies writes and loses the answers
//! (docs/retries.md): the run succeeds, its summary matches the account, and no
//! user or group is created twice.

mod common;

use common::{staff_csv, stderr, stdout, Sandbox};
use lpconfig_emulator::{FaultAction, FaultRule};

#[test]
fn sync_survives_lost_answers_and_its_counts_match_the_account() {
    let sb = Sandbox::start();
    let file = staff_csv();
    let before = sb.users().len();
    let lose = |path: &str, method: &str, action: FaultAction| {
        sb.emu.add_fault(FaultRule::new(path, action).method(method).times(1));
    };
    lose("*/le-users/agentGroups", "POST", FaultAction::ApplyThenReset);
    lose(
        "*/le-users/users",
        "POST",
        FaultAction::ApplyThenStatus { status: 503, body: None, retry_after: None },
    );
    lose("*/le-users/users", "PUT", FaultAction::ApplyThenMalformed);

    let out = sb
        .cmd()
        .args(["--retry-delays", "10ms,20ms,30ms", "sync", file.to_str().unwrap(), "--apply"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Applied: 4 group(s) created, 0 moved; 32 user(s) created, 6 updated"), "{text}");
    assert!(text.contains("Verified: a new plan finds nothing left to do."), "{text}");
    assert!(sb.emu.state().faults.rules().is_empty(), "every lost answer happened");

    // The account holds exactly what the summary says, once.
    let users = sb.users();
    assert_eq!(users.len(), before + 32);
    let mut logins: Vec<String> =
        users.iter().filter_map(|u| u.login_name.clone()).map(|l| l.to_lowercase()).collect();
    logins.sort();
    logins.dedup();
    assert_eq!(logins.len(), users.len(), "no login twice");
    let groups = sb.groups();
    let mut names: Vec<String> = groups.iter().filter_map(|g| g.name.clone()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), groups.len(), "no group twice");
}
