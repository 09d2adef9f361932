//! Every `lpconfig` command against the emulator: outputs, effects (read back
//! through the core) and exit codes.

mod common;

use common::{bare, stderr, stdout, Sandbox, DEMO_PASSWORD};
use lpconfig::Credentials;
use lpconfig_emulator::{FaultAction, FaultRule};
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn fresh_machine_lists_demo_users_from_the_built_in_sandbox() {
    let home = tempfile::tempdir().unwrap();
    let out = bare(home.path()).args(["users", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "exactly one notice line: {err}");
    assert!(err.contains("using the built-in sandbox (demo account"), "{err}");
    let text = stdout(&out);
    assert!(
        text.contains("login_name") && text.contains("jane.doe") && text.contains("Support/Billing"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("20 rows"), "{text}");
}

#[test]
fn sandbox_flag_wins_over_a_configured_account() {
    let home = tempfile::tempdir().unwrap();
    // A configured account that does not exist anywhere: --sandbox must not touch it.
    let out = bare(home.path())
        .env("LP_ACCOUNT", "nowhere")
        .env("LP_USERNAME", "x")
        .env("LP_PASSWORD", "y")
        .args(["--sandbox", "skills", "list", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let skills: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(skills.iter().any(|s| s["name"] == "Billing"));
    assert!(stderr(&out).is_empty(), "no notice when asked for explicitly: {}", stderr(&out));
}

#[test]
fn output_formats_and_select() {
    let sb = Sandbox::start();
    let out = sb.cmd().args(["users", "list", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let users: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(users.len(), sb.users().len());
    assert!(users.iter().all(|u| u.get("passwordSh").is_none()), "write-only fields are not printed");
    assert!(users.iter().any(|u| u["loginName"] == "jane.doe" && u["memberOf"]["agentGroupId"].is_i64()));

    let out = sb.cmd().args(["users", "list", "-o", "jsonl"]).output().unwrap();
    let lines: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), users.len());

    let out = sb.cmd().args(["users", "list", "-o", "csv"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(
        text.lines().next(),
        Some("id,login_name,full_name,nickname,email,roles,group,skills,max_chats,enabled")
    );
    assert_eq!(text.lines().count(), users.len() + 1);
    assert!(text.lines().any(|l| l.contains(",jane.doe,") && l.contains(",Support/Billing,")), "{text}");

    let out = sb.cmd().args(["users", "list", "--select", "id,loginName", "-o", "json"]).output().unwrap();
    let users: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    for u in &users {
        let keys: Vec<&String> = u.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "loginName"], "{u}");
    }
    let out = sb.cmd().args(["users", "list", "--select", "id,loginName", "-o", "csv"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(text.lines().next(), Some("id,loginName"), "{text}");
    assert_eq!(text.lines().count(), users.len() + 1);
    assert!(text.lines().any(|l| l.ends_with(",jane.doe")), "{text}");
    let out = sb.cmd().args(["users", "list", "--select", "loginName,email"]).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("loginName") && text.contains("jane.doe@example.com") && !text.contains("nickname"),
        "{text}"
    );
    // The server saw the selection.
    assert!(sb
        .emu
        .request_log()
        .iter()
        .any(|r| r.query.as_deref().is_some_and(|q| q.contains("select=loginName"))));
}

#[test]
fn users_get_by_id_and_login_name() {
    let sb = Sandbox::start();
    let jane = sb.user("jane.doe").unwrap();
    let by_login = sb.cmd().args(["users", "get", "jane.doe", "-o", "json"]).output().unwrap();
    let by_id =
        sb.cmd().args(["users", "get", &jane.id.unwrap().to_string(), "-o", "json"]).output().unwrap();
    let a: Value = serde_json::from_slice(&by_login.stdout).unwrap();
    let b: Value = serde_json::from_slice(&by_id.stdout).unwrap();
    assert_eq!(a["id"], jane.id.unwrap());
    assert_eq!(a, b);
    let table = sb.cmd().args(["users", "get", "jane.doe"]).output().unwrap();
    assert!(stdout(&table).contains("Support/Billing"), "{}", stdout(&table));
}

#[test]
fn users_create_update_delete() {
    let sb = Sandbox::start();
    sb.cmd()
        .args([
            "users",
            "create",
            "--login-name",
            "new.agent",
            "--full-name",
            "New Agent",
            "--email",
            "new.agent@example.com",
            "--role",
            "Agent",
            "--group",
            "Support/Tech",
            "--skill",
            "VIP",
            "--skill",
            "Technical Support",
            "--max-chats",
            "2",
            "--new-password-stdin",
            "-o",
            "json",
        ])
        .write_stdin("Sup3r-secret-pw\n")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"loginName\": \"new.agent\"")
                .and(predicate::str::contains("Sup3r").not()),
        );
    let u = sb.user("new.agent").expect("created");
    assert_eq!(u.nickname.as_deref(), Some("New"));
    assert_eq!(u.member_of.and_then(|m| m.agent_group_id), sb.group("Tech").unwrap().id);
    let mut skills = u.skill_ids.clone();
    skills.sort_unstable();
    let mut want = vec![sb.skill_id("VIP"), sb.skill_id("Technical Support")];
    want.sort_unstable();
    assert_eq!(skills, want);
    assert_eq!(u.max_chats, Some(2));
    // The password works.
    let c = lpconfig::Client::builder()
        .account("demo")
        .csds_url(sb.emu.base_url())
        .credentials(Credentials::password("new.agent", "Sup3r-secret-pw"))
        .build()
        .unwrap();
    sb.rt.block_on(c.login()).expect("the new user can log in");

    sb.cmd().args(["users", "update", "new.agent", "--nickname", "Newbie", "--disabled"]).assert().success();
    let after = sb.user("new.agent").unwrap();
    assert_eq!((after.nickname.as_deref(), after.is_enabled), (Some("Newbie"), Some(false)));
    assert_eq!(after.email, u.email, "read-modify-write keeps the other fields");
    assert_eq!(after.skill_ids.len(), 2);
    let put = sb.emu.request_log().into_iter().rev().find(|r| r.method == "PUT").unwrap();
    assert!(put.header("if-match").is_some_and(|v| v != "-1"), "update is guarded by the revision read");

    sb.cmd()
        .args(["users", "update", "new.agent", "--json", r#"{"description": "from json"}"#])
        .assert()
        .success();
    assert_eq!(sb.user("new.agent").unwrap().description.as_deref(), Some("from json"));

    // Not a terminal and no --yes: refused before any write.
    let writes = sb.writes().len();
    sb.cmd().args(["users", "delete", "new.agent"]).assert().code(1).stderr(
        predicate::str::contains("Delete 1 user(s): new.agent").and(predicate::str::contains("--yes")),
    );
    assert!(sb.user("new.agent").is_some());
    assert_eq!(sb.writes().len(), writes, "nothing written");
    sb.cmd()
        .args(["users", "delete", "new.agent", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("deleted user"));
    assert!(sb.user("new.agent").is_none());
    sb.cmd().args(["users", "delete", &u.id.unwrap().to_string(), "-y"]).assert().code(2);
}

#[test]
fn users_create_refuses_bad_input_before_writing() {
    let sb = Sandbox::start();
    sb.cmd()
        .args([
            "users",
            "create",
            "--login-name",
            "x",
            "--full-name",
            "X",
            "--email",
            "x@example.com",
            "--role",
            "Pilot",
        ])
        .write_stdin("password-123\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown role \"Pilot\""));
    sb.cmd()
        .args(["users", "create", "--login-name", "x", "--full-name", "X", "--email", "x@example.com"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs a password"));
    assert!(sb.writes().is_empty());
}

#[test]
fn reset_password() {
    let sb = Sandbox::start();
    sb.cmd()
        .args(["users", "reset-password", "jane.doe", "--new-password-stdin"])
        .write_stdin("Brand-new-pass-1\n")
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let c = lpconfig::Client::builder()
        .account("demo")
        .csds_url(sb.emu.base_url())
        .credentials(Credentials::password("jane.doe", "Brand-new-pass-1"))
        .build()
        .unwrap();
    sb.rt.block_on(c.login()).expect("the new password works");

    let out = sb.cmd().args(["users", "reset-password", "sam.lee", "--generate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pw = stdout(&out).trim().to_owned();
    assert_eq!(pw.len(), 20);
    let c = lpconfig::Client::builder()
        .account("demo")
        .csds_url(sb.emu.base_url())
        .credentials(Credentials::password("sam.lee", pw))
        .build()
        .unwrap();
    sb.rt.block_on(c.login()).expect("the generated password works");
    sb.cmd().args(["users", "reset-password", "sam.lee"]).assert().code(1);
}

#[test]
fn groups_crud_and_tree() {
    let sb = Sandbox::start();
    let out = sb
        .cmd()
        .args(["groups", "create", "--name", "Escalations", "--parent", "Support/Tech", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let made: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tech = sb.group("Tech").unwrap().id.unwrap();
    assert_eq!(made["parentGroupId"], tech);
    assert_eq!(sb.group("Escalations").unwrap().parent_group_id.0, Some(tech));

    let tree = sb.cmd().args(["groups", "tree"]).output().unwrap();
    let text = stdout(&tree);
    assert!(text.starts_with("Main Group (-1)\n"), "{text}");
    assert!(text.contains("    └── Tech (") && text.contains("        └── Escalations ("), "{text}");
    let json = sb.cmd().args(["groups", "tree", "-o", "json"]).output().unwrap();
    let roots: Vec<Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(roots[0]["name"], "Main Group");

    sb.cmd()
        .args([
            "groups",
            "update",
            "Escalations",
            "--name",
            "Tier 2",
            "--parent",
            "Support",
            "--description",
            "hard cases",
        ])
        .assert()
        .success();
    let g = sb.group("Tier 2").expect("renamed");
    assert_eq!(g.parent_group_id.0, sb.group("Support").unwrap().id);
    assert_eq!(g.description.as_deref(), Some("hard cases"));
    let got = sb.cmd().args(["groups", "get", "Support/Tier 2", "-o", "json"]).output().unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&got.stdout).unwrap()["name"], "Tier 2");

    let list = sb.cmd().args(["groups", "list", "-o", "csv"]).output().unwrap();
    assert!(stdout(&list).contains(",Tier 2,Support/Tier 2,"), "{}", stdout(&list));

    sb.cmd().args(["groups", "delete", "Tier 2"]).assert().code(1).stderr(predicate::str::contains("--yes"));
    assert!(sb.group("Tier 2").is_some(), "not deleted without --yes");
    sb.cmd().args(["groups", "delete", "Tier 2", "--yes"]).assert().success();
    assert!(sb.group("Tier 2").is_none());
    // Groups with members are refused by the server: an API error.
    sb.cmd().args(["groups", "delete", "Billing", "--yes"]).assert().code(2);
    assert!(sb.group("Billing").is_some());
}

#[test]
fn catalogs() {
    let sb = Sandbox::start();
    sb.cmd()
        .args(["skills", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Technical Support"));
    sb.cmd()
        .args(["profiles", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Agent Manager").and(predicate::str::contains("Campaign Manager")));
    let out = sb.cmd().args(["lobs", "list", "-o", "json"]).output().unwrap();
    let lobs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(lobs.iter().any(|l| l["name"] == "Retail"));
    let out = sb.cmd().args(["skills", "list", "--select", "name", "-o", "csv"]).output().unwrap();
    assert!(stdout(&out).starts_with("name\n"), "{}", stdout(&out));
}

#[test]
fn exit_codes_and_one_line_errors() {
    let sb = Sandbox::start();
    // Usage error: 1 (clap's own 2 is remapped).
    sb.cmd().args(["users", "list", "--bogus"]).assert().code(1);
    sb.cmd().args(["frobnicate"]).assert().code(1);
    sb.cmd().arg("--help").assert().code(0).stdout(predicate::str::contains("Exit codes"));
    // Not found: an API error, 2, one line.
    let out = sb.cmd().args(["users", "get", "nobody.here"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    // A 403 from the server: 2; -v adds the detail.
    sb.emu.add_fault(FaultRule::new(
        "*/le-users/skills",
        FaultAction::Status { status: 403, body: None, retry_after: None },
    ));
    let out = sb.cmd().args(["skills", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("lpconfig: error: forbidden"), "{err}");
    let out = sb.cmd().args(["skills", "list", "-v"]).output().unwrap();
    assert!(stderr(&out).contains("status: 403"), "{}", stderr(&out));
}

#[test]
fn configured_account_from_environment_and_secrets_stay_hidden() {
    let sb = Sandbox::start();
    let out = sb.account_cmd().args(["users", "list", "-o", "json", "-vv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("built-in sandbox"));
    assert!(!stderr(&out).contains(DEMO_PASSWORD), "debug logs must not show the password");
    assert!(!stdout(&out).contains(DEMO_PASSWORD));

    let out =
        sb.account_cmd().env("LP_PASSWORD", "Wr0ng-Passw0rd").args(["users", "list", "-v"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("authentication failed"), "{err}");
    assert!(!err.contains("Wr0ng-Passw0rd"), "{err}");

    // Account without credentials, or half an API key: usage errors.
    sb.cmd().env_remove("LP_SANDBOX_URL").env("LP_ACCOUNT", "demo").args(["users", "list"]).assert().code(1);
    sb.cmd()
        .env_remove("LP_SANDBOX_URL")
        .env("LP_ACCOUNT", "demo")
        .env("LP_APP_KEY", "k")
        .args(["users", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("incomplete or mixed credentials"));
}

#[test]
fn profile_file_and_config_show() {
    let sb = Sandbox::start();
    let dir = sb.home.path().join(".config/lpconfig");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "default_profile = \"local\"\n\n[profiles.local]\naccount = \"demo\"\nusername = \"admin\"\npassword = \"{DEMO_PASSWORD}\"\ncsds_url = \"{}\"\n",
            sb.emu.base_url()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        // A file holding a password must be private (docs/cli-security.md).
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("config.toml"), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut c = common::bare(sb.home.path());
    let out = c.args(["users", "get", "jane.doe", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("built-in sandbox"));

    let out = common::bare(sb.home.path()).args(["config", "show"]).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("[profiles.local]") && text.contains("password = \"***\""), "{text}");
    assert!(text.contains("target: account demo from profile \"local\""), "{text}");
    assert!(!text.contains(DEMO_PASSWORD), "{text}");

    common::bare(sb.home.path())
        .args(["--profile", "prod", "users", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no profile \"prod\""));
}

#[test]
fn emulator_serve_keeps_state_between_commands() {
    use std::io::{BufRead, BufReader};
    let home = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lpconfig"))
        .args(["emulator", "serve", "--port", "0"])
        .env("HOME", home.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("URL on the first line")
        .to_owned();
    let run = |args: &[&str]| {
        let mut c = bare(home.path());
        c.env("LP_SANDBOX_URL", &url).args(args).output().unwrap()
    };
    let made = run(&["groups", "create", "--name", "Night Shift"]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let tree = run(&["groups", "tree"]);
    child.kill().unwrap();
    let _ = child.wait();
    assert!(stdout(&tree).contains("Night Shift"), "{}", stdout(&tree));
}

#[test]
fn completions_and_man_page_come_from_the_command_definition() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| bare(home.path()).args(args).output().unwrap();
    for (shell, marker) in
        [("bash", "complete -F _lpconfig"), ("zsh", "#compdef lpconfig"), ("fish", "complete -c lpconfig")]
    {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains(marker), "{shell}: {text}");
        // Subcommands and flags of the real parser, not a hand-written list.
        assert!(text.contains("reset-password") && text.contains("detailed-exitcode"), "{shell}");
        assert!(stderr(&out).is_empty(), "no sandbox notice: nothing connects");
    }
    let out = run(&["manpage"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH lpconfig 1"), "{page}");
    assert!(page.contains(".TH lpconfig 1") && page.contains("completions"), "{page}");
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(1), "an unknown shell is a usage error");
    assert!(stderr(&out).contains("tcsh"), "{}", stderr(&out));
    // The hidden command stays out of --help.
    assert!(!stdout(&run(&["--help"])).contains("manpage"));
}
