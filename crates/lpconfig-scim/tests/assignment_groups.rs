//! Roles, skills and agent groups from IdP group membership (the mapping's `[groups]`):
//! membership changes in the shapes Okta and Entra ID send them, and user updates,
//! asserted on the emulator's stored users.

mod common;

use lpconfig_scim::Mapping;
use serde_json::{json, Value};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const LP: &str = "urn:ietf:params:scim:schemas:extension:liveperson:2.0:User";

// The demo account's ids (crates/lpconfig-emulator/src/store/demo.rs).
const AGENT: i64 = 2_359_273_712;
const AGENT_MANAGER: i64 = 2_359_273_812;
const SKILL_BILLING: i64 = 2_359_235_912;
const SKILL_VIP: i64 = 2_359_236_212;
const GROUP_BILLING: i64 = 1002;
const MAIN_GROUP: i64 = -1;

const MAPPING: &str = r#"
[groups."LP Managers"]
roles = ["Agent", "Agent Manager"]
[groups."Billing team"]
skills = ["Billing"]
agent_group = "Support/Billing"
[groups."VIP"]
skills = ["VIP"]
"#;

async fn harness() -> common::Harness {
    common::Harness::with_mapping(Mapping::from_toml(MAPPING).unwrap()).await
}

fn user(login: &str) -> Value {
    json!({"schemas": [USER], "userName": login, "displayName": login, "name": {"givenName": login, "familyName": "Test"},
           "emails": [{"value": format!("{login}@example.com"), "primary": true, "type": "work"}], "active": true})
}

fn patch(ops: Value) -> Value {
    json!({"schemas": [PATCH], "Operations": ops})
}

/// (profileIds, skillIds, memberOf) of a stored user.
fn assigned(h: &common::Harness, login: &str) -> (Vec<i64>, Vec<i64>, Option<i64>) {
    let u = h.stored_user(login).unwrap_or_else(|| panic!("no user {login}"));
    let ids = |k: &str| {
        let mut v: Vec<i64> = u[k].as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect();
        v.sort_unstable();
        v
    };
    (ids("profileIds"), ids("skillIds"), u["memberOf"]["agentGroupId"].as_i64())
}

async fn create(h: &common::Harness, path: &str, body: Value) -> String {
    let (s, got) = h.call("POST", path, Some(&body)).await;
    assert_eq!(s, 201, "{got}");
    got["id"].as_str().unwrap().to_owned()
}

async fn ok(h: &common::Harness, method: &str, path: &str, body: Value) -> Value {
    let (s, got) = h.call(method, path, Some(&body)).await;
    assert_eq!(s, 200, "{method} {path}: {got}");
    got
}

#[tokio::test]
async fn membership_changes_in_okta_and_entra_shapes_set_roles_skills_and_agent_group() {
    let h = harness().await;
    let kim = create(&h, "/Users", user("kim")).await;
    let sam = create(&h, "/Users", user("sam")).await;
    assert_eq!(assigned(&h, "kim"), (vec![AGENT], vec![], Some(MAIN_GROUP)), "default role, no skills");

    // Okta group push: POST the group, then PATCH add members.
    let billing =
        create(&h, "/Groups", json!({"schemas": [GROUP], "displayName": "Billing team", "members": []}))
            .await;
    assert!(billing.starts_with('a'), "an assignment group, not an agent group: {billing}");
    assert_eq!(h.group_id("Billing team"), None, "no agent group was created");
    ok(
        &h,
        "PATCH",
        &format!("/Groups/{billing}"),
        patch(json!([{"op": "add", "path": "members",
        "value": [{"value": kim, "display": "kim"}, {"value": sam, "display": "sam"}]}])),
    )
    .await;
    assert_eq!(assigned(&h, "kim"), (vec![AGENT], vec![SKILL_BILLING], Some(GROUP_BILLING)));
    assert_eq!(assigned(&h, "sam"), (vec![AGENT], vec![SKILL_BILLING], Some(GROUP_BILLING)));

    // A group created with members (Entra creates, then adds; Okta may send them at once).
    let managers = create(
        &h,
        "/Groups",
        json!({"schemas": [GROUP], "displayName": "LP Managers", "members": [{"value": kim}]}),
    )
    .await;
    assert_eq!(assigned(&h, "kim"), (vec![AGENT, AGENT_MANAGER], vec![SKILL_BILLING], Some(GROUP_BILLING)));

    // Entra ID: capitalised ops, member batches as value lists.
    ok(
        &h,
        "PATCH",
        &format!("/Groups/{managers}"),
        patch(json!([{"op": "Add", "path": "members", "value": [{"value": sam}]}])),
    )
    .await;
    ok(
        &h,
        "PATCH",
        &format!("/Groups/{billing}"),
        patch(json!([{"op": "Remove", "path": "members", "value": [{"value": kim}]}])),
    )
    .await;
    assert_eq!(
        assigned(&h, "kim"),
        (vec![AGENT, AGENT_MANAGER], vec![], Some(MAIN_GROUP)),
        "left Billing team"
    );
    assert_eq!(assigned(&h, "sam"), (vec![AGENT, AGENT_MANAGER], vec![SKILL_BILLING], Some(GROUP_BILLING)));

    // Okta: remove by filter.
    ok(
        &h,
        "PATCH",
        &format!("/Groups/{managers}"),
        patch(json!([{"op": "remove", "path": format!("members[value eq \"{sam}\"]")}])),
    )
    .await;
    assert_eq!(
        assigned(&h, "sam"),
        (vec![AGENT], vec![SKILL_BILLING], Some(GROUP_BILLING)),
        "back to default_role"
    );

    // User updates keep what the groups give: a full PUT naming no roles or skills,
    // and a PATCH setting the extension's roles (ignored: roles come from groups).
    let mut put = user("sam");
    put["displayName"] = json!("Sam Updated");
    let got = ok(&h, "PUT", &format!("/Users/{sam}"), put).await;
    assert_eq!(assigned(&h, "sam"), (vec![AGENT], vec![SKILL_BILLING], Some(GROUP_BILLING)));
    assert_eq!(h.stored_user("sam").unwrap()["nickname"], "Sam Updated");
    let groups: Vec<&str> =
        got["groups"].as_array().unwrap().iter().map(|g| g["display"].as_str().unwrap()).collect();
    assert_eq!(groups, ["Billing", "Billing team"], "agent group and assignment group: {got}");
    ok(
        &h,
        "PATCH",
        &format!("/Users/{sam}"),
        patch(json!([{"op": "replace", "path": format!("{LP}:roles"), "value": ["Administrator"]}])),
    )
    .await;
    assert_eq!(assigned(&h, "sam"), (vec![AGENT], vec![SKILL_BILLING], Some(GROUP_BILLING)));

    // Reads: members from the store, filter by displayName.
    let (s, list) = h.call("GET", "/Groups?filter=displayName%20eq%20%22Billing%20team%22", None).await;
    assert_eq!(s, 200);
    assert_eq!(list["totalResults"], 1, "{list}");
    assert_eq!(
        list["Resources"][0]["members"],
        json!([{"value": sam, "display": "sam",
        "$ref": format!("{}/Users/{sam}", h.url), "type": "User"}])
    );

    // PUT of the whole group (members replaced), then DELETE: members lose what it gave.
    let vip = create(&h, "/Groups", json!({"schemas": [GROUP], "displayName": "VIP"})).await;
    ok(
        &h,
        "PUT",
        &format!("/Groups/{vip}"),
        json!({"schemas": [GROUP], "displayName": "VIP", "members": [{"value": kim}, {"value": sam}]}),
    )
    .await;
    assert_eq!(assigned(&h, "kim").1, vec![SKILL_VIP]);
    assert_eq!(assigned(&h, "sam").1, vec![SKILL_BILLING, SKILL_VIP]);
    // Members read back as written: no `display` the IdP did not send, no store internals.
    let (_, g) = h.call("GET", &format!("/Groups/{vip}"), None).await;
    assert_eq!(
        g["members"][0],
        json!({"value": kim, "$ref": format!("{}/Users/{kim}", h.url), "type": "User"})
    );
    assert_eq!(g.as_object().unwrap().keys().filter(|k| k.starts_with('$')).count(), 0, "{g}");
    // Likewise for an agent group.
    let support = create(
        &h,
        "/Groups",
        json!({"schemas": [GROUP], "displayName": "Plain team",
        "members": [{"value": kim, "display": "Kim T."}]}),
    )
    .await;
    let (_, g) = h.call("GET", &format!("/Groups/{support}"), None).await;
    assert_eq!(g["members"][0]["display"], "Kim T.", "{g}");
    assert_eq!(g.as_object().unwrap().keys().filter(|k| k.starts_with('$')).count(), 0, "{g}");
    let (s, _) = h.call("DELETE", &format!("/Groups/{billing}"), None).await;
    assert_eq!(s, 204);
    assert_eq!(assigned(&h, "sam"), (vec![AGENT], vec![SKILL_VIP], Some(MAIN_GROUP)));
    let (s, _) = h.call("GET", &format!("/Groups/{billing}"), None).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn bad_assignment_group_requests_write_nothing() {
    let h = harness().await;
    let kim = create(&h, "/Users", user("kim")).await;
    let vip =
        create(&h, "/Groups", json!({"schemas": [GROUP], "displayName": "VIP", "members": [{"value": kim}]}))
            .await;
    let before = h.snapshot();
    let (_, g) = h.call("GET", &format!("/Groups/{vip}"), None).await;
    let version = g["meta"]["version"].clone();
    let cases = [
        // A member that is no user.
        (
            "PATCH",
            format!("/Groups/{vip}"),
            patch(json!([{"op": "add", "path": "members", "value": [{"value": "999"}]}])),
            400,
        ),
        // An assignment group cannot become an agent group, nor an agent group one.
        (
            "PATCH",
            format!("/Groups/{vip}"),
            patch(json!([{"op": "replace", "path": "displayName", "value": "Plain"}])),
            400,
        ),
        (
            "PATCH",
            "/Groups/1001".into(),
            patch(json!([{"op": "replace", "path": "displayName", "value": "VIP"}])),
            400,
        ),
        // The name is taken (names compare ignoring case).
        ("POST", "/Groups".into(), json!({"schemas": [GROUP], "displayName": "vip"}), 409),
        // A stale version.
        ("DELETE", format!("/Groups/{vip}"), Value::Null, 412),
    ];
    for (method, path, body, want) in cases {
        let resp = if method == "DELETE" {
            let r = h
                .http
                .delete(format!("{}{path}", h.url))
                .bearer_auth(common::TOKEN)
                .header("if-match", "W/\"7\"")
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), Value::Null)
        } else {
            h.call(method, &path, Some(&body)).await
        };
        assert_eq!(resp.0, want, "{method} {path}: {}", resp.1);
    }
    assert_eq!(h.snapshot(), before, "nothing written");
    assert_eq!(assigned(&h, "kim").1, vec![SKILL_VIP]);
    let (_, g) = h.call("GET", &format!("/Groups/{vip}"), None).await;
    assert_eq!(g["displayName"], "VIP");
    assert_eq!(g["meta"]["version"], version, "the group was not rewritten: {g}");
    assert_eq!(g["members"].as_array().unwrap().len(), 1, "{g}");
}

#[tokio::test]
async fn a_mapping_naming_what_the_account_lacks_is_refused_at_start() {
    let good = harness().await;
    let bad = Mapping::from_toml("[groups.\"Night shift\"]\nskills = [\"Billing\", \"Juggling\"]").unwrap();
    let client = lpconfig::Client::builder()
        .account(good.emu.account())
        .csds_url(good.emu.base_url())
        .credentials(lpconfig::Credentials::password("admin", "demo-password-1"))
        .build()
        .unwrap();
    let server = lpconfig_scim::Server::bind(
        "127.0.0.1:0",
        client,
        bad,
        lpconfig_scim::Store::memory().unwrap(),
        common::TOKEN.into(),
        None,
    )
    .await
    .unwrap();
    let e = server.check_mapping().await.unwrap_err();
    assert!(
        e.detail.contains("[groups.\"Night shift\"] skills") && e.detail.contains("Juggling"),
        "{}",
        e.detail
    );
}
