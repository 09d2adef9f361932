//! Table-driven tests of the pure planner: one account, many staff files.

use lpconfig::api::catalog::Lob;
use lpconfig::api::lenient::Nullable;
use lpconfig::api::users::{GroupLink, User};
use lpconfig::Revision;

use crate::input::{parse, Format};
use crate::names::tests::{g, p, s};
use crate::names::Names;
use crate::plan::{build, GroupRef, Plan};
use crate::{Options, Prune, Snapshot};

fn user(id: i64, login: &str, profiles: &[i64]) -> User {
    let mut u = User::default();
    u.id = Some(id);
    u.login_name = Some(login.into());
    u.full_name = Some(format!("{login} Person"));
    u.nickname = Some(login.into());
    u.email = Some(format!("{login}@example.com"));
    u.is_enabled = Some(true);
    u.max_chats = Some(0);
    u.profile_ids = profiles.to_vec();
    u.user_type_id = Some(1);
    u
}

/// Main Group(-1) > Support(2) > Billing(3); Main Group > Sales(4).
/// Profiles: Agent 10, Administrator 11, Agent Manager 12. Skills Refunds 7, VIP 8. LOB Retail 20.
fn account() -> Snapshot {
    let mut lob = Lob::default();
    lob.id = Some(20);
    lob.name = Some("Retail".into());
    let names = Names::new(
        vec![
            g(-1, "Main Group", None),
            g(2, "Support", Some(-1)),
            g(3, "Billing", Some(2)),
            g(4, "Sales", Some(-1)),
        ],
        vec![p(10, "Agent", 2), p(11, "Administrator", 1), p(12, "Agent Manager", 3)],
        vec![s(7, "Refunds"), s(8, "VIP")],
    )
    .with_lobs(vec![lob]);
    let mut jane = user(100, "jane", &[10]);
    jane.member_of = Some(GroupLink::to(3));
    jane.skill_ids = vec![7];
    jane.max_chats = Some(4);
    let mut bob = user(101, "bob", &[10, 12]);
    bob.member_of = Some(GroupLink::to(2));
    bob.manager_of = vec![GroupLink::to(4)];
    let mut bot = user(102, "api-bot", &[11]);
    bot.is_api_user = Some(true);
    bot.user_type_id = Some(2);
    let mut masked = user(103, "masked", &[10]);
    masked.full_name = Some(String::new());
    masked.member_of = Some(GroupLink::to(2));
    let admin = user(104, "admin", &[11]);
    Snapshot {
        users: vec![jane, bob, bot, masked, admin],
        users_revision: Some(Revision(50)),
        groups_revision: Some(Revision(40)),
        names,
    }
}

fn plan_with(csv: &str, opts: &Options) -> Result<Plan, Vec<String>> {
    let snap = account();
    let file = parse("t.csv", Format::Csv, csv, Some(&snap.names))
        .map_err(|es| es.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    build(&file, &snap, opts).map_err(|es| es.iter().map(ToString::to_string).collect())
}

fn plan(csv: &str) -> Result<Plan, Vec<String>> {
    plan_with(csv, &Options::default())
}

/// `login: field before → after` for every field change, and `+path`/`+login` for creates.
fn changes(p: &Plan) -> Vec<String> {
    let mut out: Vec<String> = p.group_creates.iter().map(|c| format!("+group {}", c.path)).collect();
    for u in &p.group_updates {
        for c in &u.changes {
            out.push(format!("~group {}: {} {} -> {}", u.from_path, c.field, c.before, c.after));
        }
    }
    out.extend(p.group_moves.iter().map(|m| format!("~group {} -> {}", m.from_path, m.to_path)));
    out.extend(p.user_creates.iter().map(|c| format!("+user {}", c.login)));
    for u in &p.user_updates {
        for c in &u.changes {
            out.push(format!("{}: {} {} -> {}", u.login, c.field, c.before, c.after));
        }
    }
    out.extend(p.user_deletes.iter().map(|d| format!("-user {}", d.login)));
    out
}

#[test]
fn field_rules() {
    // (what, staff file, expected changes)
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "matching row",
            "login_name,email,group,skills\njane,jane@example.com,Support/Billing,Refunds\n",
            &[],
        ),
        ("key ignores case, no rename", "login_name,email\nJANE,jane@example.com\n", &[]),
        ("empty cell leaves the field", "login_name,email,nickname\njane,,\n", &[]),
        (
            "email",
            "login_name,email\njane,j@example.com\n",
            &["jane: email \"jane@example.com\" -> \"j@example.com\""],
        ),
        ("rename by id", "id,login_name\n100,jane.doe\n", &["jane: login_name \"jane\" -> \"jane.doe\""]),
        (
            "rename by id to a login another row frees",
            "id,login_name\n100,bob\n101,robert\n",
            &["jane: login_name \"jane\" -> \"bob\"", "bob: login_name \"bob\" -> \"robert\""],
        ),
        ("skills", "login_name,skills\njane,VIP;refunds\n", &["jane: skills [Refunds] -> [Refunds, VIP]"]),
        ("skills cleared", "login_name,skills\njane,-\n", &["jane: skills [Refunds] -> []"]),
        ("lobs", "login_name,lobs\njane,Retail\n", &["jane: lobs [] -> [Retail]"]),
        ("max chats", "login_name,max_chats\njane,6\n", &["jane: max_chats 4 -> 6"]),
        ("max async chats", "login_name,max_async_chats\njane,9\n", &["jane: max_async_chats  -> 9"]),
        (
            "more text fields",
            "login_name,description,mobile_number,picture_url\njane,Nights,+1 555,https://x.io/j.png\n",
            &[
                "jane: picture_url \"\" -> \"https://x.io/j.png\"",
                "jane: description \"\" -> \"Nights\"",
                "jane: mobile_number \"\" -> \"+1 555\"",
            ],
        ),
        ("disable", "login_name,enabled\njane,no\n", &["jane: enabled true -> false"]),
        (
            "move to an existing group",
            "login_name,group\njane,Sales\n",
            &["jane: group Support/Billing -> Sales"],
        ),
        (
            "move to a new group",
            "login_name,group\njane,Support/Tier 2\n",
            &["+group Support/Tier 2", "jane: group Support/Billing -> Support/Tier 2"],
        ),
        (
            "re-parent a group",
            "login_name,group\njane,Sales/Billing\n",
            &["~group Support/Billing -> Sales/Billing"],
        ),
        (
            "hierarchy turned upside down, parents first",
            "login_name,group\njane,Billing/Support\n",
            &[
                "~group Support/Billing -> Billing",
                "~group Support -> Billing/Support",
                "jane: group Support/Billing -> Support",
            ],
        ),
        (
            "losing Agent resets the agent fields (D16)",
            "login_name,roles\njane,Administrator\n",
            &[
                "jane: roles [Agent] -> [Administrator]",
                "jane: group Support/Billing -> ",
                "jane: skills [Refunds] -> []",
                "jane: max_chats 4 -> 0",
            ],
        ),
        (
            "losing Agent Manager resets manager_of (D16)",
            "login_name,roles\nbob,Agent\n",
            &["bob: roles [Agent, Agent Manager] -> [Agent]", "bob: manager_of [Sales] -> []"],
        ),
        (
            "manager_of",
            "login_name,manager_of\nbob,Sales;Support/Billing\n",
            &["bob: manager_of [Sales] -> [Sales, Support/Billing]"],
        ),
        ("manager_of for a non-manager is ignored", "login_name,manager_of\njane,Sales\n", &[]),
        ("group for a non-agent is ignored", "login_name,group,skills\nadmin,Sales,VIP\n", &[]),
        ("a new agent", "login_name,full_name,email\nnew.one,New One,n@example.com\n", &["+user new.one"]),
        (
            "full name of a masked user cannot be compared (D14)",
            "login_name,full_name\nmasked,Mask Ed\n",
            &[],
        ),
    ];
    for (what, csv, want) in cases {
        let p = plan(csv).unwrap_or_else(|e| panic!("{what}: {e:?}"));
        let got = changes(&p);
        assert_eq!(got, *want, "{what}");
        assert_eq!(p.is_empty(), want.is_empty(), "{what}");
    }
}

#[test]
fn input_rules() {
    // (what, staff file, options, expected error text)
    let allow = Options { allow_masked_blank: true, ..Options::default() };
    let cases: &[(&str, &str, &Options, &str)] = &[
        ("unknown id", "id,login_name\n999,ghost\n", &allow, "t.csv:2:1: no user with id 999"),
        (
            "rename onto a taken login",
            "id,login_name\n100,bob\n",
            &allow,
            "t.csv:2:2: login name \"bob\" belongs to another user (id 101)",
        ),
        (
            "new user without a full name",
            "login_name,email\nnew,n@x.io\n",
            &allow,
            "new is a new user: a full name is required",
        ),
        (
            "new user without an e-mail",
            "login_name,full_name\nnew,New\n",
            &allow,
            "new is a new user: an e-mail address is required",
        ),
        (
            "two parents for one group",
            "login_name,group\njane,Support/X\nbob,Sales/X\n",
            &allow,
            "t.csv:3:2: group \"X\" is under Sales here but under Support at t.csv:2",
        ),
        (
            "a cycle of new groups",
            "login_name,group\njane,A/B\nbob,B/A\n",
            &allow,
            "group \"B\" is under Main Group here but under A",
        ),
        (
            "root below a group",
            "login_name,group\njane,Support/Main Group\n",
            &allow,
            "\"Main Group\" is the root group",
        ),
        (
            "masked full name sent back blank (D14)",
            "login_name,nickname\nmasked,Mo\n",
            &Options::default(),
            "t.csv:2:0: masked: the account masks full names",
        ),
        (
            "unknown manager_of group",
            "login_name,manager_of\nbob,Salse\n",
            &allow,
            "manager_of: no group \"Salse\" (did you mean \"Sales\"?)",
        ),
    ];
    for (what, csv, opts, want) in cases {
        let errors = plan_with(csv, opts).map(|p| changes(&p)).expect_err(what);
        assert!(errors.iter().any(|e| e.contains(want)), "{what}: expected {want:?} in {errors:?}");
    }
}

#[test]
fn missing_skills_and_lobs_are_planned_before_the_users_that_name_them() {
    use crate::plan::{CatalogCreate, CatalogKind};
    let rows = [
        serde_json::json!({"login_name": "jane", "skills": ["Refunds", "Returns"], "lobs": ["Retail", "Travel"]}),
        serde_json::json!({"login_name": "ana", "full_name": "Ana S", "email": "ana@example.com",
                           "skills": ["returns", "Warranty"], "lobs": ["travel"]}),
        serde_json::json!({"login_name": "bob", "roles": "Admin", "skills": ["Ignored"]}),
    ];
    let d = crate::Desired::from_records(rows).unwrap();
    // Off: unknown names are input errors, every one named.
    let e = crate::plan_snapshot(&d, &account(), &Options::default()).unwrap_err().to_string();
    assert!(e.contains("unknown skill \"Returns\"") && e.contains("create_missing_catalog_entries"), "{e}");
    // On: one create per name (case folded, first spelling), lines of business first.
    let opts =
        Options { create_missing_catalog_entries: true, allow_masked_blank: true, ..Options::default() };
    let plan = crate::plan_snapshot(&d, &account(), &opts).unwrap();
    let made =
        |kind, name: &str, row, at: &str| CatalogCreate { kind, name: name.into(), row, at: at.into() };
    assert_eq!(
        plan.catalog_creates,
        [
            made(CatalogKind::Lob, "Travel", 0, "rows:1"),
            made(CatalogKind::Skill, "Returns", 0, "rows:1"),
            made(CatalogKind::Skill, "Warranty", 1, "rows:2"),
            made(CatalogKind::Skill, "Ignored", 2, "rows:3"),
        ]
    );
    assert_eq!((plan.summary.skills_to_create, plan.summary.lobs_to_create), (3, 1));
    assert!(
        plan.summary.to_string().starts_with("Plan: 3 skills and 1 line of business to create; "),
        "{}",
        plan.summary
    );
    let jane = plan.user_updates.iter().find(|u| u.login == "jane").unwrap();
    assert_eq!(
        (jane.new_skills.as_slice(), jane.new_lobs.as_slice()),
        (&["Returns".to_owned()][..], &["Travel".to_owned()][..])
    );
    assert_eq!(jane.user.skill_ids, [7], "existing ids in the user; new ones filled in at apply time");
    let shown: Vec<String> =
        jane.changes.iter().map(|c| format!("{}: {} -> {}", c.field, c.before, c.after)).collect();
    assert_eq!(
        shown,
        ["skills: [Refunds] -> [Refunds, Returns (new)]", "lobs: [] -> [Retail, Travel (new)]"]
    );
    let ana = &plan.user_creates[0];
    assert_eq!(ana.new_skills, ["Returns", "Warranty"]);
    assert_eq!(ana.new_lobs, ["Travel"]);
    // The apply order: catalog entries first.
    let kinds: Vec<_> = crate::changes::of(&plan).iter().map(|c| c.kind).collect();
    use crate::report::ChangeKind::*;
    assert_eq!(kinds[..4], [CreateLob, CreateSkill, CreateSkill, CreateSkill]);
    // The saved plan carries them.
    let back = Plan::from_json(&plan.to_json()).unwrap();
    assert_eq!(back.catalog_creates, plan.catalog_creates);
    assert_eq!(back.user_creates[0].new_skills, ["Returns", "Warranty"]);
    assert_eq!(back.summary, plan.summary);
    // A plan without catalog creates keeps its JSON shape.
    assert!(!plan_with("login_name,max_chats\njane,5\n", &opts)
        .unwrap()
        .to_json()
        .contains("catalog_creates"));
}

#[test]
fn unknown_names_get_a_did_you_mean() {
    let snap = account();
    let cases = [
        ("login_name,roles\njane,Agnet\n", "t.csv:2:2: unknown role \"Agnet\" (did you mean \"Agent\"?)"),
        (
            "login_name,skills\njane,Refund\n",
            "t.csv:2:2: unknown skill \"Refund\" (did you mean \"Refunds\"?)",
        ),
        (
            "login_name,lobs\njane,Retial\n",
            "t.csv:2:2: unknown line of business \"Retial\" (did you mean \"Retail\"?)",
        ),
        ("login_name,emial\njane,x\n", "t.csv:1:2: unknown column \"emial\" (did you mean \"email\"?)"),
    ];
    for (csv, want) in cases {
        let errors = parse("t.csv", Format::Csv, csv, Some(&snap.names)).unwrap_err();
        assert!(errors[0].to_string().starts_with(want), "{want}: {}", errors[0]);
    }
}

#[test]
fn every_bad_row_is_reported_at_once() {
    let snap = account();
    let csv = "login_name,max_chats,skills\njane,x,Refunds\nbob,1,Nope\n,2,\nJane,3,\n";
    let errors = parse("t.csv", Format::Csv, csv, Some(&snap.names)).unwrap_err();
    let at: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
    assert_eq!(at, [(2, 2), (3, 3), (4, 1), (5, 1)], "{errors:?}");
}

#[test]
fn a_new_group_one_edit_from_an_existing_one_is_called_out() {
    let p = plan("login_name,group\njane,Support/Biling\n").unwrap();
    assert_eq!(changes(&p)[0], "+group Support/Biling");
    assert!(
        p.warnings.iter().any(|w| w
            .contains("\"Support/Biling\" (t.csv:2) is one edit away from the existing group \"Billing\"")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn prune_modes() {
    let csv = "login_name\njane\nbob\n";
    let off = plan_with(csv, &Options { allow_masked_blank: true, ..Options::default() }).unwrap();
    assert!(off.is_empty());
    let disable = Options {
        prune: Prune::Disable,
        protected_logins: vec!["ADMIN".into()],
        allow_masked_blank: true,
        ..Options::default()
    };
    let p = plan_with(csv, &disable).unwrap();
    // The API user and the protected login stay; the masked user is disabled.
    assert_eq!(changes(&p), ["masked: enabled true -> false"]);
    assert_eq!(p.summary.users_to_disable, 1);
    assert!(p.warnings.iter().any(|w| w.contains("prune leaves 2 user(s) alone")), "{:?}", p.warnings);
    let delete = Options { prune: Prune::Delete, ..disable.clone() };
    assert_eq!(changes(&plan_with(csv, &delete).unwrap()), ["-user masked"]);
    // Masked full names block a disable unless allowed (the PUT is a full replacement).
    let strict = Options { allow_masked_blank: false, ..disable.clone() };
    let e = plan_with(csv, &strict).unwrap_err();
    assert!(e[0].contains("cannot disable masked"), "{e:?}");
    // A user renamed by id is in the file under its new name: not pruned.
    let p = plan_with("id,login_name\n100,jane.doe\n101,bob\n", &delete).unwrap();
    assert_eq!(changes(&p), ["jane: login_name \"jane\" -> \"jane.doe\"", "-user masked"]);
}

#[test]
fn role_change_sends_the_reset_values() {
    let p = plan("login_name,roles\njane,Administrator\n").unwrap();
    let sent = &p.user_updates[0].user;
    assert_eq!(sent.profile_ids, [11]);
    assert_eq!((sent.member_of.clone(), sent.skill_ids.clone(), sent.max_chats), (None, vec![], Some(0)));
    assert_eq!(sent.max_async_chats, Nullable(None));
}

#[test]
fn new_groups_resolve_at_apply_and_managers_may_manage_them() {
    let p = plan(
        "login_name,roles,group,manager_of\nbob,Agent;Agent Manager,Support/New Team,Support/New Team\n",
    )
    .unwrap();
    let u = &p.user_updates[0];
    assert_eq!(u.group, Some(GroupRef::New("New Team".into())));
    assert_eq!(u.manager_of, Some(vec![GroupRef::New("New Team".into())]));
}

#[test]
fn deterministic_and_json_round_trip() {
    let csv = "login_name,full_name,email,group,skills\nzed,Zed,z@x.io,Ops/Night,VIP\namy,Amy,a@x.io,Ops/Day,\njane,,,Sales,\n";
    let a = plan(csv).unwrap();
    let b = plan(csv).unwrap();
    assert_eq!(a.to_json(), b.to_json(), "same input, same plan");
    let json = a.to_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!((v["format"].as_str(), v["version"].as_u64()), (Some("lpconfig-sync-plan"), Some(1)));
    assert_eq!((v["users_revision"].as_u64(), v["groups_revision"].as_u64()), (Some(50), Some(40)));
    assert_eq!(v["summary"]["users_to_create"], 2);
    let back = Plan::from_json(&json).unwrap();
    assert_eq!(back.to_json(), json);
    let newer = json.replacen("\"version\": 1", "\"version\": 2", 1);
    let e = Plan::from_json(&newer).unwrap_err().to_string();
    assert!(e.contains("plan version 2 is not supported (this build reads version 1)"), "{e}");
    assert!(Plan::from_json("{\"version\": 1}").unwrap_err().to_string().contains("not a sync plan"));
}

#[test]
fn a_plan_with_fields_this_build_does_not_know_is_refused_not_cut() {
    let csv = "login_name,full_name,email,group,skills\nzed,Zed,z@x.io,Ops/Night,VIP\n";
    let json = plan(csv).unwrap().to_json();
    let refused = |json: &str| Plan::from_json(json).unwrap_err().to_string();
    // A kind of change a newer build might plan: applying the rest would drop it.
    let top = json.replacen("\"group_moves\"", "\"user_renames\": [{\"id\": 7}],\n  \"group_moves\"", 1);
    let e = refused(&top);
    assert!(e.contains("unknown field `user_renames`") && e.contains("newer build"), "{e}");
    // So inside a change: a group create that would also set something.
    let nested = json.replacen("\"path\":", "\"owner\": 5, \"path\":", 1);
    assert_ne!(nested, json);
    assert!(refused(&nested).contains("unknown field `owner`"), "{}", refused(&nested));
    // A wrongly typed field is a damaged plan, not a newer one.
    let damaged =
        json.replacen("\"unchanged\": 0,\n  \"warnings\"", "\"unchanged\": \"none\",\n  \"warnings\"", 1);
    assert_ne!(damaged, json);
    let e = refused(&damaged);
    assert!(e.contains("invalid type") && !e.contains("newer build"), "{e}");
    // The users' own payloads keep the API's fields they do not model, and a newer
    // summary is recounted, not trusted: neither is refused.
    let payload = json.replacen("\"loginName\":", "\"customField\": 1, \"loginName\":", 1);
    assert_ne!(payload, json);
    let back = Plan::from_json(&payload).unwrap();
    assert_eq!(back.user_creates[0].user.extra.get("customField"), Some(&serde_json::json!(1)));
    let summary = json.replacen("\"unchanged\":", "\"users_to_rename\": 3, \"unchanged\":", 1);
    assert_ne!(summary, json);
    assert!(Plan::from_json(&summary).is_ok());
}

#[test]
fn passwords_never_reach_the_plan_json() {
    let opts =
        Options { initial_password: Some(lpconfig::Secret::new("Opt-Passw0rd")), ..Options::default() };
    let p = plan_with("login_name,full_name,email,password\na,A,a@x.io,Row-Passw0rd\nb,B,b@x.io,\n", &opts)
        .unwrap();
    assert_eq!(p.user_creates[0].password.as_ref().map(|s| s.expose()), Some("Row-Passw0rd"));
    assert_eq!(p.user_creates[1].password.as_ref().map(|s| s.expose()), Some("Opt-Passw0rd"));
    let json = p.to_json();
    assert!(!json.contains("Passw0rd"), "{json}");
    assert!(!format!("{p:?}").contains("Passw0rd"));
    assert!(Plan::from_json(&json).unwrap().user_creates.iter().all(|c| c.password.is_none()));
}

fn plan_groups(csv: &str, groups: serde_json::Value) -> Result<Plan, Vec<String>> {
    let snap = account();
    let mut file = parse("t.csv", Format::Csv, csv, Some(&snap.names))
        .map_err(|es| es.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let items = groups.as_array().unwrap().clone();
    file.groups = Some(
        crate::groups_input::records("groups", &items)
            .map_err(|es| es.iter().map(ToString::to_string).collect::<Vec<_>>())?,
    );
    build(&file, &snap, &Options::default()).map_err(|es| es.iter().map(ToString::to_string).collect())
}

#[test]
fn groups_section_rules() {
    use serde_json::json;
    let users = "login_name\njane\n";
    // (what, user rows, groups section, expected changes)
    let cases: Vec<(&str, &str, serde_json::Value, Vec<&str>)> = vec![
        (
            "rename by id",
            users,
            json!([{"id": 3, "name": "Invoices"}]),
            vec!["~group Support/Billing: name \"Billing\" -> \"Invoices\""],
        ),
        (
            "user rows use the new name",
            "login_name,group\njane,Support/Invoices\n",
            json!([{"id": 3, "name": "Invoices"}]),
            vec!["~group Support/Billing: name \"Billing\" -> \"Invoices\""],
        ),
        (
            "re-parent",
            users,
            json!([{"name": "Billing", "parent": "Sales"}]),
            vec!["~group Support/Billing: parent Support -> Sales"],
        ),
        (
            "swap two names",
            users,
            json!([{"id": 3, "name": "Sales"}, {"id": 4, "name": "Billing"}]),
            vec![
                "~group Support/Billing: name \"Billing\" -> \"Sales\"",
                "~group Sales: name \"Sales\" -> \"Billing\"",
            ],
        ),
        (
            "new groups, parents first",
            users,
            json!([{"name": "Owls", "parent": "Night"}, {"name": "Night", "parent": "Sales"}]),
            vec!["+group Sales/Night", "+group Sales/Night/Owls"],
        ),
        (
            "description and flag",
            users,
            json!([{"name": "Sales", "description": "Deals", "enabled": "no"}]),
            vec!["~group Sales: description \"\" -> \"Deals\"", "~group Sales: enabled true -> false"],
        ),
        ("already so", users, json!([{"name": "Billing", "parent": "Support/"}]), vec![]),
        (
            "a user path agreeing with the section",
            "login_name,group\njane,Sales/Night\n",
            json!([{"name": "Night", "parent": "Sales"}]),
            vec!["+group Sales/Night", "jane: group Support/Billing -> Sales/Night"],
        ),
    ];
    for (what, csv, groups, want) in cases {
        let p = plan_groups(csv, groups).unwrap_or_else(|e| panic!("{what}: {e:?}"));
        assert_eq!(changes(&p), want, "{what}");
    }
    let errors: Vec<(&str, &str, serde_json::Value, &str)> = vec![
        ("cycle", users, json!([{"name": "Support", "parent": "Billing"}]), "groups:1:0: these parents make a cycle"),
        ("name taken", users, json!([{"id": 3, "name": "Sales"}]), "group name \"Sales\" is taken by group 4"),
        ("root has no parent", users, json!([{"name": "Main Group", "parent": "Sales"}]), "is the root group"),
        (
            "unknown parent",
            users,
            json!([{"name": "X", "parent": "Salse"}]),
            "parent: no group \"Salse\" (did you mean \"Sales\"?)",
        ),
        ("unknown id", users, json!([{"id": 99, "name": "X"}]), "no agent group with id 99"),
        (
            "a user path disagreeing with the section",
            "login_name,group\njane,Support/Night\n",
            json!([{"name": "Night", "parent": "Sales"}]),
            "t.csv:2:2: group \"Night\" is at Support/Night here but at Sales/Night in the groups section (groups:1)",
        ),
    ];
    for (what, csv, groups, want) in errors {
        let e = plan_groups(csv, groups).map(|p| changes(&p)).expect_err(what);
        assert!(e.iter().any(|x| x.contains(want)), "{what}: expected {want:?} in {e:?}");
    }
    let e = crate::groups_input::records(
        "groups",
        &[json!({"name": "A/B"}), json!({"nme": "C"}), json!({"id": 1}), json!({"id": 1})],
    )
    .unwrap_err();
    let text: Vec<String> = e.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 3, "{text:?}");
    assert!(
        text[0].contains("contains '/'")
            && text[1].contains("(did you mean \"name\"?)")
            && text[2].contains("duplicate group id 1"),
        "{text:?}"
    );
}
