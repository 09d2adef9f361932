//! `lpconfig sync`: plan, apply, idempotence, prune, bad files, failed batches.

mod common;

use common::{staff_csv, stderr, stdout, Sandbox};
use lpconfig_emulator::{FaultAction, FaultRule};
use predicates::prelude::*;

#[test]
fn plan_apply_then_nothing_left_to_do() {
    let sb = Sandbox::start();
    let file = staff_csv();
    let file = file.to_str().unwrap();
    let before = sb.users().len();

    // Plan only: changes shown, nothing written; --detailed-exitcode says 3.
    let out = sb.cmd().args(["sync", file]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = stdout(&out);
    assert!(plan.contains("  + Support/Billing/Refunds"), "{plan}");
    assert!(
        plan.contains("  + aisha.bello  Aisha Bello <aisha.bello@example.com>  group Support/Billing"),
        "{plan}"
    );
    assert!(
        plan.contains("  ~ jane.doe") && plan.contains("      skills: [Billing] → [Billing, VIP]"),
        "{plan}"
    );
    assert!(plan.contains("      enabled: false → true"), "{plan}");
    assert!(plan.contains("Plan: 4 groups to create, 0 to move; 32 users to create, 6 to update"), "{plan}");
    assert!(sb.writes().is_empty(), "a plan writes nothing");
    sb.cmd().args(["sync", file, "--detailed-exitcode"]).assert().code(3);

    // Apply.
    let out = sb.cmd().args(["sync", file, "--apply"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Applied: 4 group(s) created, 0 moved; 32 user(s) created, 6 updated"), "{text}");
    assert!(text.contains("Verified: a new plan finds nothing left to do."), "{text}");

    // The account now matches the file.
    assert_eq!(sb.users().len(), before + 32);
    let refunds = sb.group("Refunds").expect("group created");
    assert_eq!(refunds.parent_group_id.0, sb.group("Billing").unwrap().id);
    let escalations = sb.group("Escalations").unwrap();
    assert_eq!(escalations.parent_group_id.0, sb.group("Tech").unwrap().id);
    let ana = sb.user("ana.silva").unwrap();
    assert_eq!(ana.member_of.and_then(|m| m.agent_group_id), refunds.id);
    let jane = sb.user("jane.doe").unwrap();
    assert_eq!(jane.max_chats, Some(4));
    assert!(jane.skill_ids.contains(&sb.skill_id("VIP")));
    assert_eq!(sb.user("sofia.rossi").unwrap().is_enabled, Some(false));
    let hana = sb.user("hana.suzuki").unwrap();
    assert_eq!(hana.profile_ids.len(), 2, "Agent and Agent Manager");
    assert_eq!(hana.change_pwd_next_login, Some(true));
    // Groups were written before users, every user write under If-Match.
    let writes = sb.writes();
    let first_user = writes.iter().position(|r| r.path.ends_with("/users")).unwrap();
    assert!(writes[..first_user].iter().all(|r| r.path.ends_with("/agentGroups")));
    assert!(writes
        .iter()
        .filter(|r| r.method == "PUT")
        .all(|r| r.header("if-match").is_some_and(|v| v != "-1")));

    // Second run: nothing to do, nothing written, exit 0 even with --detailed-exitcode.
    sb.emu.clear_request_log();
    let out = sb.cmd().args(["sync", file, "--apply", "--detailed-exitcode"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
    assert!(sb.writes().is_empty());
}

#[test]
fn exported_users_csv_feeds_back_without_changes() {
    let sb = Sandbox::start();
    let out = sb.cmd().args(["users", "list", "-o", "csv"]).output().unwrap();
    let f = sb.file("export.csv", &stdout(&out));
    let out =
        sb.cmd().args(["sync", f.to_str().unwrap(), "--prune", "--detailed-exitcode"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).starts_with("No changes"), "{}", stdout(&out));
}

#[test]
fn yaml_and_json_files_and_group_moves() {
    let sb = Sandbox::start();
    let yaml = sb.file(
        "staff.yaml",
        "# moves Tech under Sales and adds a new agent there\n\
         - login_name: priya.shah\n  group: Sales/Tech\n  max_chats: 5\n\
         - login_name: new.person\n  full_name: New Person\n  email: new.person@example.com\n  roles: [Agent]\n  group: Sales/Tech\n  skills: [Sales, VIP]\n",
    );
    let out = sb.cmd().args(["sync", yaml.to_str().unwrap(), "--apply"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("  ~ Support/Tech  moves to Sales/Tech"), "{}", stdout(&out));
    let tech = sb.group("Tech").unwrap();
    assert_eq!(tech.parent_group_id.0, sb.group("Sales").unwrap().id);
    let p = sb.user("new.person").unwrap();
    assert_eq!(p.member_of.and_then(|m| m.agent_group_id), tech.id);
    assert_eq!(sb.user("priya.shah").unwrap().max_chats, Some(5));

    let json = sb.file(
        "staff.json",
        r#"[{"loginName": "new.person", "nickname": "Newt", "enabled": false},
            {"login_name": "priya.shah", "maxChats": 5}]"#,
    );
    let out = sb.cmd().args(["sync", json.to_str().unwrap(), "--apply"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let p = sb.user("new.person").unwrap();
    assert_eq!((p.nickname.as_deref(), p.is_enabled), (Some("Newt"), Some(false)));
    sb.cmd().args(["sync", json.to_str().unwrap(), "--detailed-exitcode"]).assert().code(0);
}

#[test]
fn prune_disables_or_deletes_users_absent_from_the_file() {
    let sb = Sandbox::start();
    let f = sb.file("two.csv", "login_name,max_chats\njane.doe,3\nsam.lee,3\n");
    let path = f.to_str().unwrap();
    let out = sb.cmd().args(["sync", path, "--prune"]).output().unwrap();
    let plan = stdout(&out);
    assert!(plan.contains("  - ana.silva  disable (not in the file)"), "{plan}");
    assert!(
        !plan.contains("  - admin") && !plan.contains("  - demo-bot"),
        "never the login itself or bots: {plan}"
    );

    let out = sb.cmd().args(["sync", path, "--prune", "--apply"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let users = sb.users();
    for u in &users {
        let login = u.login_name.as_deref().unwrap();
        let expect = matches!(login, "jane.doe" | "sam.lee" | "admin" | "demo-bot");
        if expect {
            assert_eq!(u.is_enabled, Some(true), "{login}");
        } else {
            assert_eq!(u.is_enabled, Some(false), "{login} is disabled");
        }
    }

    // Deleting needs a confirmation: without a terminal, --yes.
    let before = sb.users().len();
    let out = sb.cmd().args(["sync", path, "--prune=delete", "--apply"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("add --yes"), "{}", stderr(&out));
    assert_eq!(sb.users().len(), before, "nothing deleted");
    let out = sb.cmd().args(["sync", path, "--prune=delete", "--apply", "--yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let logins: Vec<String> = sb.users().into_iter().filter_map(|u| u.login_name).collect();
    let mut logins = logins;
    logins.sort();
    assert_eq!(logins, ["admin", "demo-bot", "jane.doe", "sam.lee"]);
}

fn bad(sb: &Sandbox, name: &str, text: &str, expect: &str) {
    let f = sb.file(name, text);
    let out = sb.cmd().args(["sync", f.to_str().unwrap(), "--apply"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(expect), "{name}: expected {expect:?} in {err}");
    assert!(err.contains("nothing applied"), "{err}");
    assert!(sb.writes().is_empty(), "{name}: nothing may be written");
}

#[test]
fn bad_files_name_file_line_and_column_and_apply_nothing() {
    let sb = Sandbox::start();
    bad(
        &sb,
        "cols.csv",
        "login_name,email,shoe_size\na,a@x.io,42\n",
        "cols.csv:1:3: unknown column \"shoe_size\"",
    );
    bad(&sb, "nologin.csv", "login_name,email\na,a@x.io\n,b@x.io\n", "nologin.csv:3:1: missing login name");
    bad(
        &sb,
        "dup.csv",
        "login_name,email\njane.doe,a@x.io\nJane.Doe,b@x.io\n",
        "dup.csv:3:1: duplicate login name",
    );
    bad(
        &sb,
        "role.csv",
        "login_name,roles\njane.doe,Agent\nsam.lee,Pilot\n",
        "role.csv:3:2: unknown role \"Pilot\"",
    );
    bad(
        &sb,
        "skill.csv",
        "login_name,roles,skills\njane.doe,Agent,Billing;Juggling\n",
        "skill.csv:2:3: unknown skill \"Juggling\"",
    );
    bad(&sb, "ragged.csv", "login_name,email\njane.doe,a@x.io,extra\n", "ragged.csv:2:0: malformed CSV");
    bad(&sb, "broken.yaml", "- login_name: jane.doe\n  skills: [Billing\n", "broken.yaml:");
    bad(
        &sb,
        "skill.yaml",
        "- login_name: jane.doe\n  skills:\n    - Billing\n    - Juggling\n",
        "skill.yaml:3:",
    );
    bad(&sb, "broken.json", "[{\"login_name\": \"jane.doe\",}]", "broken.json:1:");
    bad(
        &sb,
        "new.csv",
        "login_name,email\nnew.person,n@x.io\n",
        "new.csv:2:0: new.person is a new user: a full name is required",
    );
    bad(
        &sb,
        "paths.csv",
        "login_name,group\njane.doe,Support/Escalations\nsam.lee,Sales/Escalations\n",
        "paths.csv:3:2: group \"Escalations\" is under Sales here but under Support at",
    );
    bad(&sb, "staff.txt", "login_name\njane.doe\n", "unknown file type");
}

#[test]
fn failed_batch_reports_its_rows_and_a_rerun_finishes_without_repeating() {
    let sb = Sandbox::start();
    let mut text = String::from("login_name,full_name,email,group\n");
    for i in 0..25 {
        text.push_str(&format!("user.{i:02},User {i},user.{i:02}@example.com,Night Shift\n"));
    }
    let f = sb.file("batch.csv", &text);
    let path = f.to_str().unwrap();
    // The first users batch goes through (a zero-latency rule used up once), the second fails.
    sb.emu.add_fault(
        FaultRule::new("*/le-users/users", FaultAction::Latency(std::time::Duration::ZERO))
            .method("POST")
            .times(1),
    );
    sb.emu.add_fault(
        FaultRule::new(
            "*/le-users/users",
            FaultAction::Status {
                status: 400,
                body: Some(r#"{"message":"user.12 is not welcome"}"#.into()),
                retry_after: None,
            },
        )
        .method("POST")
        .times(1),
    );
    let out = sb.cmd().args(["sync", path, "--apply", "--batch-size", "10"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("users: create batch 2/3 failed"), "{err}");
    assert!(
        err.contains("batch.csv:12 user.10") && err.contains("batch.csv:21 user.19"),
        "rows of the batch: {err}"
    );
    assert!(err.contains("the error names: ") && err.contains("batch.csv:14 user.12"), "{err}");
    assert!(
        stdout(&out).contains("Applied: 1 group(s) created, 0 moved; 10 user(s) created"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        sb.users().iter().filter(|u| u.login_name.as_deref().is_some_and(|l| l.starts_with("user."))).count(),
        10
    );

    // The re-run creates only what is missing: no second group, 15 users.
    sb.emu.clear_request_log();
    let out = sb.cmd().args(["sync", path, "--apply", "--batch-size", "10"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Applied: 0 group(s) created, 0 moved; 15 user(s) created"),
        "{}",
        stdout(&out)
    );
    assert!(sb.writes().iter().all(|r| !r.path.ends_with("/agentGroups")));
    assert_eq!(
        sb.users().iter().filter(|u| u.login_name.as_deref().is_some_and(|l| l.starts_with("user."))).count(),
        25
    );
}

#[test]
fn passwords_column_option_and_file() {
    let sb = Sandbox::start();
    let f = sb.file(
        "pw.csv",
        "login_name,full_name,email,password\nwith.pw,With Pw,with.pw@example.com,Row-Passw0rd\nno.pw,No Pw,no.pw@example.com,\n",
    );
    let out_file = sb.home.path().join("passwords.csv");
    let out = sb
        .cmd()
        .env("LP_INITIAL_PASSWORD", "Shared-Init-Pw1")
        .args(["sync", f.to_str().unwrap(), "--apply", "--passwords-out", out_file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for secret in ["Row-Passw0rd", "Shared-Init-Pw1"] {
        assert!(
            !stdout(&out).contains(secret) && !stderr(&out).contains(secret),
            "passwords are never printed"
        );
    }
    let saved = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(saved, "login_name,password\nwith.pw,Row-Passw0rd\nno.pw,Shared-Init-Pw1\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    for (login, pw) in [("with.pw", "Row-Passw0rd"), ("no.pw", "Shared-Init-Pw1")] {
        let c = lpconfig::Client::builder()
            .account("demo")
            .csds_url(sb.emu.base_url())
            .credentials(lpconfig::Credentials::password(login, pw))
            .build()
            .unwrap();
        sb.rt.block_on(c.login()).unwrap_or_else(|e| panic!("{login} logs in: {e}"));
    }
    // Without any password source, a random one is used and the note says so.
    let f = sb.file("gen.csv", "login_name,full_name,email\ngen.pw,Gen Pw,gen.pw@example.com\n");
    sb.cmd()
        .args(["sync", f.to_str().unwrap(), "--apply"])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 new user(s) get a random initial password"));
    assert!(sb.user("gen.pw").is_some());
}

#[test]
fn plan_against_a_configured_account_needs_full_names_when_masked() {
    // Outside the sandbox the CLI does not assume that masked names survive a PUT.
    let sb = Sandbox::start();
    let f = sb.file("nick.csv", "login_name,nickname\njane.doe,Janie\n");
    sb.account_cmd()
        .args(["sync", f.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nick.csv:2:0: jane.doe: the account masks full names"));
    sb.account_cmd()
        .args(["sync", f.to_str().unwrap(), "--allow-masked-blank", "--apply"])
        .assert()
        .success();
    assert_eq!(sb.user("jane.doe").unwrap().nickname.as_deref(), Some("Janie"));
    let f = sb.file("nick2.csv", "login_name,full_name,nickname\njane.doe,Jane Doe,Jay\n");
    sb.account_cmd().args(["sync", f.to_str().unwrap(), "--apply"]).assert().success();
    assert_eq!(sb.user("jane.doe").unwrap().nickname.as_deref(), Some("Jay"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_after_the_current_batch_and_reports_what_was_applied() {
    use std::time::{Duration, Instant};
    let sb = Sandbox::start();
    let mut text = String::from("login_name,full_name,email\n");
    for i in 0..30 {
        text.push_str(&format!("slow.{i:02},Slow {i},slow.{i:02}@example.com\n"));
    }
    let f = sb.file("slow.csv", &text);
    // Each users batch takes 300 ms, so the interrupt lands mid-run.
    sb.emu.add_fault(
        FaultRule::new("*/le-users/users", FaultAction::Latency(Duration::from_millis(300))).method("POST"),
    );
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lpconfig"))
        .args(["sync", f.to_str().unwrap(), "--apply", "--batch-size", "5"])
        .env("HOME", sb.home.path())
        .env("LP_SANDBOX_URL", sb.emu.base_url())
        .env_remove("LP_ACCOUNT")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !sb.emu.request_log().iter().any(|r| r.method == "POST" && r.path.ends_with("/users")) {
        assert!(started.elapsed() < Duration::from_secs(30), "apply never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status =
        std::process::Command::new("kill").args(["-s", "INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Interrupted: stopped after the current batch"), "{text}");
    let created =
        sb.users().iter().filter(|u| u.login_name.as_deref().is_some_and(|l| l.starts_with("slow."))).count();
    assert!(created > 0 && created < 30 && created % 5 == 0, "whole batches only: {created}");
    assert!(text.contains(&format!("{created} user(s) created")), "the report matches the account: {text}");

    // A re-run finishes the job without repeating anything.
    sb.emu.clear_faults();
    let out = sb.cmd().args(["sync", f.to_str().unwrap(), "--apply", "--batch-size", "5"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("{} user(s) created", 30 - created)), "{}", stdout(&out));
}

#[test]
fn json_plan_saved_plan_and_apply() {
    let sb = Sandbox::start();
    let f = sb.file(
        "two.csv",
        "login_name,full_name,email,group\nsaved.one,Saved One,saved.one@example.com,Night/Owls\njane.doe,,,Sales\n",
    );
    let path = f.to_str().unwrap();
    // -o json: the plan's JSON on stdout, nothing else.
    let out = sb.cmd().args(["sync", path, "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("stdout is the plan JSON");
    assert_eq!((plan["format"].as_str(), plan["version"].as_u64()), (Some("lpconfig-sync-plan"), Some(1)));
    assert_eq!(plan["summary"]["users_to_create"], 1);
    assert_eq!(plan["summary"]["groups_to_create"], 2);

    // --out saves it; `apply` executes it; --detailed-exitcode says 3 (changes applied).
    let saved = sb.home.path().join("plan.json");
    let out = sb.cmd().args(["sync", path, "--out", saved.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(sb.writes().is_empty(), "planning writes nothing");
    let pw = sb.home.path().join("pw.csv");
    let out = sb
        .cmd()
        .args([
            "apply",
            saved.to_str().unwrap(),
            "--detailed-exitcode",
            "--passwords-out",
            pw.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("Applied: 2 group(s) created, 0 moved; 1 user(s) created, 1 updated"),
        "{}",
        stdout(&out)
    );
    assert!(sb.user("saved.one").is_some());
    let owls = sb.group("Owls").unwrap();
    assert_eq!(sb.user("saved.one").unwrap().member_of.and_then(|m| m.agent_group_id), owls.id);
    assert!(std::fs::read_to_string(&pw).unwrap().starts_with("login_name,password\nsaved.one,"));

    // The same plan again: the account moved since, so nothing is applied (exit 2).
    sb.emu.clear_request_log();
    let out = sb.cmd().args(["apply", saved.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("the account changed since the plan was made"), "{}", stderr(&out));
    assert!(stderr(&out).contains("make a new plan"), "{}", stderr(&out));
    assert!(sb.writes().is_empty());

    // A re-plan finds nothing left to do.
    sb.cmd().args(["sync", path, "--detailed-exitcode"]).assert().code(0);
    // Not a plan: a clear usage error.
    let junk = sb.file("junk.json", "{\"version\": 1}");
    sb.cmd()
        .args(["apply", junk.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a sync plan"));
}

#[test]
fn groups_file_renames_and_reparents() {
    let sb = Sandbox::start();
    let groups =
        sb.file("groups.csv", "id,name,parent,description\n1002,Invoices,,\n,Tech,Sales,Technical\n");
    let staff = sb.file("staff.csv", "login_name,group\njane.doe,Support/Invoices\n");
    let args = |apply: bool| {
        let mut a = vec!["sync", staff.to_str().unwrap(), "--groups", groups.to_str().unwrap()];
        if apply {
            a.push("--apply");
        }
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let out = sb.cmd().args(args(false)).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = stdout(&out);
    assert!(
        plan.contains("  ~ Support/Billing  (")
            && plan.contains("groups.csv:2)")
            && plan.contains("name: \"Billing\" → \"Invoices\""),
        "{plan}"
    );
    assert!(
        plan.contains("parent: Support → Sales") && plan.contains("description: \"\" → \"Technical\""),
        "{plan}"
    );
    assert!(plan.contains("Plan: 0 groups to create, 0 to move, 2 to update;"), "{plan}");
    let out = sb.cmd().args(args(true)).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Applied: 0 group(s) created, 0 moved, 2 updated;"), "{}", stdout(&out));
    assert!(stdout(&out).contains("Verified"), "{}", stdout(&out));
    assert_eq!(sb.group("Invoices").and_then(|g| g.id), Some(1002));
    assert_eq!(sb.group("Tech").unwrap().parent_group_id.0, sb.group("Sales").unwrap().id);
    assert_eq!(sb.group("Tech").unwrap().description.as_deref(), Some("Technical"));
}
