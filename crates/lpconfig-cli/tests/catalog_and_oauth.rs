//! `skills|profiles|lobs create|update|delete` and OAuth 2.0 client credentials
//! (flags, variables, profile) against the emulator.

mod common;

use common::{bare, stderr, stdout, Sandbox};
use lpconfig::ListOptions;
use serde_json::Value;

// The demo seed's app client (crates/lpconfig-emulator/seeds/demo.toml): public test data.
const APP: (&str, &str) = ("demo-app-client", "d3m0-cl13nt-s3cr3t-0001");

fn json(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn skills_create_update_delete() {
    let sb = Sandbox::start();
    let made = json(
        &sb.cmd()
            .args([
                "skills",
                "create",
                "--name",
                "Returns",
                "--lob",
                "Retail",
                "--description",
                "R",
                "-o",
                "json",
            ])
            .output()
            .unwrap(),
    );
    let id = made["id"].as_i64().unwrap();
    let c = sb.client();
    let stored = sb.rt.block_on(c.skills().get(id)).unwrap().value;
    assert_eq!(stored.name.as_deref(), Some("Returns"));
    assert_eq!(stored.lob_ids, [6_549_273_612]);

    sb.cmd().args(["skills", "update", "Returns", "--description", "Refunds"]).assert().success();
    let stored = sb.rt.block_on(c.skills().get(id)).unwrap().value;
    assert_eq!(stored.description.as_deref(), Some("Refunds"));
    assert_eq!(stored.lob_ids, [6_549_273_612], "the rest of the skill was sent back");
    let puts: Vec<_> = sb.writes().into_iter().filter(|r| r.method == "PUT").collect();
    assert!(puts[0].header("if-match").is_some_and(|v| v != "-1"), "guarded by the revision just read");

    let out = sb.cmd().args(["skills", "delete", "Returns"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("deleted skill {id} (Returns)")), "{}", stdout(&out));
    let tombstone = sb.rt.block_on(c.skills().collection().get(id, &ListOptions::default().with_deleted()));
    assert_eq!(tombstone.unwrap().value.deleted, Some(true));

    // Users hold Billing: refused, exit 2, nothing written.
    let before = sb.writes().len();
    let out = sb.cmd().args(["skills", "delete", "Billing"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(sb.rt.block_on(c.skills().find_by_name("Billing")).unwrap().unwrap().deleted, Some(false));
    assert_eq!(sb.writes().len(), before + 1, "one refused request");
}

#[test]
fn profiles_and_lobs() {
    let sb = Sandbox::start();
    let p = json(
        &sb.cmd()
            .args(["profiles", "create", "--name", "Night Agents", "--role", "agent", "-o", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(p["roleTypeId"], 2);
    sb.cmd().args(["profiles", "create", "--name", "X", "--role", "boss"]).assert().code(1);
    sb.cmd().args(["lobs", "create", "--name", "X", "--role", "Agent"]).assert().code(1);

    let made = json(
        &sb.cmd()
            .args([
                "lobs",
                "create",
                "--json",
                r#"[{"name":"Wholesale"},{"name":"Public Sector"}]"#,
                "-o",
                "json",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(made.as_array().unwrap().len(), 2);
    let posts: Vec<_> =
        sb.writes().into_iter().filter(|r| r.method == "POST" && r.path.ends_with("/lobs")).collect();
    assert_eq!(posts.len(), 1, "one batch request");
    sb.cmd().args(["lobs", "delete", "Wholesale", "Public Sector"]).assert().success();
    let c = sb.client();
    let left = sb.rt.block_on(c.lobs().list(&ListOptions::default())).unwrap().value;
    assert_eq!(left.iter().filter(|l| l.deleted != Some(true)).count(), 2, "the seeded two remain");
}

#[test]
fn client_credentials_from_variables_flags_and_profile() {
    let sb = Sandbox::start();
    let env_cmd = || {
        let mut c = bare(sb.home.path());
        c.env("LP_ACCOUNT", "demo").env("LP_CSDS_URL", sb.emu.base_url());
        c
    };
    let out = env_cmd()
        .env("LP_CLIENT_ID", APP.0)
        .env("LP_CLIENT_SECRET", APP.1)
        .args(["users", "list", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&out).as_array().unwrap().len(), 20);
    assert!(sb.emu.request_log().iter().any(|r| r.path == "/sentinel/api/account/demo/app/token"));

    let out =
        env_cmd().args(["--client-id", APP.0, "--client-secret", APP.1, "skills", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let config = sb.file(
        "config.toml",
        &format!(
            "[profiles.machine]\naccount = \"demo\"\ncsds_url = \"{}\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n",
            sb.emu.base_url(),
            APP.0,
            APP.1
        ),
    );
    let profile = || {
        let mut c = bare(sb.home.path());
        c.env("LPCONFIG_CONFIG", &config).args(["--profile", "machine"]);
        c
    };
    let out = profile().args(["config", "show"]).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("OAuth 2.0 client credentials of demo-app-client (secret ***)"), "{text}");
    assert!(!text.contains(APP.1), "{text}");
    profile().args(["lobs", "list"]).assert().success();

    // A wrong secret: an API error (2), one line, no secret.
    let out = env_cmd()
        .env("LP_CLIENT_ID", APP.0)
        .env("LP_CLIENT_SECRET", "Wr0ng-Client-Secret")
        .args(["users", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("invalid_client"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("Wr0ng-Client-Secret"));
    // Half a pair is a usage error naming the variable.
    let out = env_cmd().env("LP_CLIENT_ID", APP.0).args(["users", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("LP_CLIENT_SECRET"), "{}", stderr(&out));
}

#[test]
fn sync_creates_missing_skills_and_lobs_only_when_asked() {
    let sb = Sandbox::start();
    let file = sb.file("staff.csv", "login_name,skills,lobs\njane.doe,Billing;Returns,Travel\n");
    let path = file.to_str().unwrap();
    // Without the flag: an input error naming the option, nothing written.
    let out = sb.cmd().args(["sync", path]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("unknown skill \"Returns\""), "{}", stderr(&out));
    // With it, the dry run lists what it would create and writes nothing.
    let out = sb.cmd().args(["sync", path, "--create-missing-catalog-entries"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Skills and lines of business:\n  + line of business Travel"), "{text}");
    assert!(text.contains("  + skill Returns"), "{text}");
    assert!(text.contains("skills: [Billing] → [Billing, Returns (new)]"), "{text}");
    assert!(text.contains("Plan: 1 skill and 1 line of business to create; "), "{text}");
    assert!(sb.writes().is_empty(), "a dry run writes nothing");
    // Applied (short alias), then verified.
    let out = sb.cmd().args(["sync", path, "--create-missing", "--apply"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Applied: 1 skill(s) and 1 line(s) of business created; 0 group(s) created"),
        "{text}"
    );
    assert!(text.contains("Verified: a new plan finds nothing left to do."), "{text}");
    let returns = sb.skill_id("Returns");
    let jane = sb.user("jane.doe").unwrap();
    assert!(jane.skill_ids.contains(&returns), "{:?}", jane.skill_ids);
    assert_eq!(jane.lob_ids.len(), 1);
    let posts: Vec<String> =
        sb.writes().iter().filter(|r| r.method == "POST").map(|r| r.path.clone()).collect();
    assert_eq!(posts.len(), 2, "one LOB and one skill created: {posts:?}");
}
