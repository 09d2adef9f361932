//! Bad input gets the right SCIM error, and nothing is written to the account.

mod common;

use serde_json::{json, Value};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn new_user(login: &str) -> Value {
    json!({"schemas": [USER], "userName": login, "emails": [{"value": format!("{login}@example.com"), "primary": true}], "active": true})
}

fn assert_error(got: &Value, status: u16, scim_type: Option<&str>) {
    assert_eq!(got["schemas"], json!(["urn:ietf:params:scim:api:messages:2.0:Error"]), "{got}");
    assert_eq!(got["status"], status.to_string(), "{got}");
    assert_eq!(got.get("scimType").and_then(Value::as_str), scim_type, "{got}");
}

/// Method, path, body, expected status, expected `scimType`.
type Case = (&'static str, String, Option<Value>, u16, Option<&'static str>);

#[tokio::test]
async fn bad_requests_get_scim_errors_and_write_nothing() {
    let h = common::Harness::start().await;
    let (s, kim) = h.call("POST", "/Users", Some(&new_user("kim"))).await;
    assert_eq!(s, 201, "{kim}");
    let uid = kim["id"].as_str().unwrap().to_owned();
    let before = h.snapshot();
    let big = json!({"schemas": [USER], "userName": "big", "displayName": "x".repeat(300 * 1024)});
    let cases: Vec<Case> = vec![
        ("GET", "/Users?filter=userName%20eq".into(), None, 400, Some("invalidFilter")),
        ("GET", "/Users?filter=userName%20xx%20%22a%22".into(), None, 400, Some("invalidFilter")),
        ("GET", "/Users?filter=(userName%20pr".into(), None, 400, Some("invalidFilter")),
        ("GET", "/Users?filter=nosuch%20eq%20%22a%22".into(), None, 400, Some("invalidFilter")),
        ("GET", "/Groups?filter=userName%20eq%20%22a%22".into(), None, 400, Some("invalidFilter")),
        (
            "POST",
            "/Users".into(),
            Some(json!({"userName": "noschema", "emails": [{"value": "a@b"}]})),
            400,
            Some("invalidSyntax"),
        ),
        (
            "POST",
            "/Users".into(),
            Some(json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "userName": "wrong"})),
            400,
            Some("invalidSyntax"),
        ),
        (
            "POST",
            "/Users".into(),
            Some(
                json!({"schemas": [USER, "urn:example:custom"], "userName": "ext", "emails": [{"value": "a@b"}]}),
            ),
            400,
            Some("invalidValue"),
        ),
        (
            "POST",
            "/Users".into(),
            Some(
                json!({"schemas": [USER], "userName": "unknown", "emails": [{"value": "a@b"}], "shoeSize": 44}),
            ),
            400,
            Some("invalidValue"),
        ),
        (
            "POST",
            "/Users".into(),
            Some(json!({"schemas": [USER], "emails": [{"value": "a@b"}]})),
            400,
            Some("invalidValue"),
        ),
        (
            "POST",
            "/Users".into(),
            Some(json!({"schemas": [USER], "userName": "nomail"})),
            400,
            Some("invalidValue"),
        ),
        (
            "POST",
            "/Users".into(),
            Some(
                json!({"schemas": [USER], "userName": "badactive", "emails": [{"value": "a@b"}], "active": "maybe"}),
            ),
            400,
            Some("invalidValue"),
        ),
        (
            "POST",
            "/Users".into(),
            Some(
                json!({"schemas": [USER, "urn:ietf:params:scim:schemas:extension:liveperson:2.0:User"], "userName": "badrole", "emails": [{"value": "a@b"}],
            "urn:ietf:params:scim:schemas:extension:liveperson:2.0:User": {"roles": ["Astronaut"]}}),
            ),
            400,
            Some("invalidValue"),
        ),
        ("POST", "/Users".into(), Some(big), 413, None),
        (
            "PATCH",
            format!("/Users/{uid}"),
            Some(
                json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "shoeSize", "value": 1}]}),
            ),
            400,
            Some("invalidPath"),
        ),
        (
            "PATCH",
            format!("/Users/{uid}"),
            Some(
                json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "emails[type eq]", "value": 1}]}),
            ),
            400,
            Some("invalidPath"),
        ),
        (
            "PATCH",
            format!("/Users/{uid}"),
            Some(json!({"Operations": [{"op": "replace", "path": "active", "value": false}]})),
            400,
            Some("invalidSyntax"),
        ),
        (
            "PATCH",
            format!("/Users/{uid}"),
            Some(
                json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": false}, {"op": "frobnicate", "path": "active"}]}),
            ),
            400,
            Some("invalidSyntax"),
        ),
        (
            "PATCH",
            format!("/Users/{uid}"),
            Some(
                json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": "perhaps"}]}),
            ),
            400,
            Some("invalidValue"),
        ),
        (
            "PUT",
            format!("/Users/{uid}"),
            Some(json!({"schemas": [USER], "userName": "kim", "emails": [{"value": "a@b"}], "nope": 1})),
            400,
            Some("invalidValue"),
        ),
        ("PUT", "/Users/999999".into(), Some(new_user("ghost")), 404, None),
        ("GET", "/Users/not-a-number".into(), None, 404, None),
        ("DELETE", "/Users/999999".into(), None, 404, None),
        (
            "POST",
            "/Groups".into(),
            Some(
                json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "G", "members": [{"value": "999999"}]}),
            ),
            400,
            Some("invalidValue"),
        ),
        (
            "POST",
            "/Groups".into(),
            Some(
                json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Support"}),
            ),
            409,
            Some("uniqueness"),
        ),
        ("PUT", format!("/Users/{uid}"), Some(new_user("kim")), 412, None),
        ("POST", "/Users".into(), Some(Value::String("not json".into())), 400, Some("invalidSyntax")),
    ];
    for (i, (method, path, body, status, scim_type)) in cases.into_iter().enumerate() {
        let (s, got) = if i == STALE_IF_MATCH_CASE {
            if_match_call(&h, &path, body.as_ref()).await
        } else {
            h.call(method, &path, body.as_ref()).await
        };
        assert_eq!(s, status, "case {i}: {method} {path}: {got}");
        assert_error(&got, status, scim_type);
        assert_eq!(h.snapshot(), before, "case {i}: {method} {path} wrote to the account");
    }
    // The group with an unknown member was not created either.
    assert!(h.group_id("G").is_none());
}

/// The case sent with a stale `If-Match` (the PUT expecting 412).
const STALE_IF_MATCH_CASE: usize = 25;

async fn if_match_call(h: &common::Harness, path: &str, body: Option<&Value>) -> (u16, Value) {
    let resp = h
        .http
        .put(format!("{}{path}", h.url))
        .bearer_auth(common::TOKEN)
        .header("if-match", "W/\"1\"")
        .header("content-type", "application/scim+json")
        .body(body.unwrap().to_string())
        .send()
        .await
        .unwrap();
    let s = resp.status().as_u16();
    (s, serde_json::from_str(&resp.text().await.unwrap()).unwrap())
}

#[tokio::test]
async fn a_wrong_or_missing_bearer_is_401_and_writes_nothing() {
    let h = common::Harness::start().await;
    let before = h.snapshot();
    for token in [None, Some("wrong-token-0123456789abcdef"), Some(""), Some("test-token-0123456789abcde")] {
        let (s, got) = h.call_as("POST", "/Users", Some(&new_user("intruder")), token).await;
        assert_eq!(s, 401, "{token:?}: {got}");
        assert_error(&got, 401, None);
        let (s, _) = h.call_as("GET", "/Users", None, token).await;
        assert_eq!(s, 401);
    }
    assert_eq!(h.snapshot(), before);
    assert!(h.stored_user("intruder").is_none());
}

#[tokio::test]
async fn fifty_requests_in_flight() {
    let h = common::Harness::start().await;
    let creates = (0..50).map(|i| {
        let h = &h;
        async move { h.call("POST", "/Users", Some(&new_user(&format!("load{i:02}")))).await }
    });
    let results = futures::future::join_all(creates).await;
    let ids: Vec<String> = results
        .iter()
        .map(|(s, v)| {
            assert_eq!(*s, 201, "{v}");
            v["id"].as_str().unwrap().to_owned()
        })
        .collect();
    // 50 concurrent PATCHes (each a read-modify-write under the revision guard).
    let patches = ids.iter().map(|id| {
        let h = &h;
        async move {
            h.call(
                "PATCH",
                &format!("/Users/{id}"),
                Some(&json!({"schemas": [PATCH],
                "Operations": [{"op": "replace", "path": "displayName", "value": format!("Nick {id}")}]})),
            )
            .await
        }
    });
    for (s, v) in futures::future::join_all(patches).await {
        assert_eq!(s, 200, "{v}");
    }
    for (i, id) in ids.iter().enumerate() {
        let u = h.stored_user(&format!("load{i:02}")).unwrap();
        assert_eq!(u["id"].to_string(), *id);
        assert_eq!(u["nickname"], format!("Nick {id}"));
    }
    let (s, list) =
        h.call("GET", "/Users?filter=userName%20sw%20%22load%22&count=20&startIndex=41", None).await;
    assert_eq!(s, 200);
    assert_eq!((list["totalResults"].as_u64(), list["itemsPerPage"].as_u64()), (Some(50), Some(10)));
}
