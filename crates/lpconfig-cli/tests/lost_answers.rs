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

/// A batch whose answer is lost and whose re-read fails for one of its users: the CLI
/// says, row by row, which change the account holds and which may or may not be
/// applied, and never calls a change it has not seen absent "not applied".
#[test]
fn a_failed_batch_says_exactly_what_was_applied() {
    let sb = Sandbox::start();
    let file = sb.file("staff.csv", "login_name,max_chats\njane.doe,7\nsam.lee,8\n");
    let sam = sb.user("sam.lee").unwrap().id.unwrap();
    sb.emu.add_fault(FaultRule::new("*/le-users/users", FaultAction::ApplyThenReset).method("PUT").times(1));
    // Sam cannot be read back by id after the lost answer.
    sb.emu.add_fault(
        FaultRule::new(
            format!("*/users/{sam}"),
            FaultAction::Status { status: 503, body: None, retry_after: None },
        )
        .method("GET"),
    );
    let out = sb
        .cmd()
        .args(["--retry-delays", "10ms,20ms", "sync", file.to_str().unwrap(), "--apply"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let at = file.display();
    let err = stderr(&out);
    let want = format!(
        "failed batch (2 rows: 1 applied, 0 not applied, 1 unknown):\n  \
         applied     {at}:2 jane.doe (confirmed after a lost answer)\n  \
         unknown     {at}:3 sam.lee (may or may not be applied)\n\
         unknown: the answer was lost and re-reading the account failed; run sync again: a new plan reads \
         the account and does only what is missing\n"
    );
    assert!(err.contains(&want), "want:\n{want}\ngot:\n{err}");
    assert!(!err.contains("none of them applied"), "{err}");
    let text = stdout(&out);
    assert!(
        text.contains("Applied: 0 group(s) created, 0 moved; 0 user(s) created, 1 updated, 0 disabled"),
        "{text}"
    );
    // The account holds both changes (the batch was applied; only its answer was lost).
    assert_eq!(sb.user("jane.doe").unwrap().max_chats, Some(7));
    assert_eq!(sb.user("sam.lee").unwrap().max_chats, Some(8));
}
