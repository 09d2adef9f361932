//! ETags are per resource (RFC 7644 §3.14): another user's write leaves a user's
//! version alone, a stale `If-Match` is 412 and writes nothing.

mod common;

use serde_json::{json, Value};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn user(login: &str) -> Value {
    json!({"schemas": [USER], "userName": login, "emails": [{"value": format!("{login}@example.com"), "primary": true}]})
}

fn rename(to: &str) -> Value {
    json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "displayName", "value": to}]})
}

/// Status, `ETag` header and body.
async fn send(
    h: &common::Harness,
    method: &str,
    path: &str,
    body: Option<&Value>,
    if_match: Option<&str>,
) -> (u16, String, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = h.http.request(m, format!("{}{path}", h.url)).bearer_auth(common::TOKEN);
    if let Some(b) = body {
        req = req.header("content-type", "application/scim+json").body(b.to_string());
    }
    if let Some(t) = if_match {
        req = req.header("if-match", t);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let etag = r.headers().get("etag").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let text = r.text().await.unwrap();
    (status, etag, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn versions_are_per_resource_and_a_stale_one_writes_nothing() {
    let h = common::Harness::start().await;
    let (_, _, kim) = send(&h, "POST", "/Users", Some(&user("kim")), None).await;
    let (_, _, sam) = send(&h, "POST", "/Users", Some(&user("sam")), None).await;
    let (kim, sam) = (kim["id"].as_str().unwrap().to_owned(), sam["id"].as_str().unwrap().to_owned());

    let (s, e1, got) = send(&h, "GET", &format!("/Users/{kim}"), None, None).await;
    assert_eq!(s, 200);
    assert!(e1.starts_with("W/\""), "{e1}");
    assert_eq!(got["meta"]["version"], e1.as_str());
    let (_, list) = h.call("GET", &format!("/Users?filter=id%20eq%20%22{kim}%22"), None).await;
    assert_eq!(list["Resources"][0]["meta"]["version"], e1.as_str(), "lists carry the same version");

    // Another user's write moves LivePerson's users revision, not kim's version.
    assert_eq!(send(&h, "PATCH", &format!("/Users/{sam}"), Some(&rename("Sam")), None).await.0, 200);
    assert_eq!(send(&h, "GET", &format!("/Users/{kim}"), None, None).await.1, e1);

    // A write with kim's version succeeds and moves it; the old one is then stale.
    let (s, e2, _) = send(&h, "PATCH", &format!("/Users/{kim}"), Some(&rename("Kim")), Some(&e1)).await;
    assert_eq!(s, 200);
    assert_ne!(e2, e1);
    let before = h.snapshot();
    let (s, _, err) = send(&h, "PATCH", &format!("/Users/{kim}"), Some(&rename("Kimberly")), Some(&e1)).await;
    assert_eq!(s, 412, "{err}");
    assert_eq!(send(&h, "DELETE", &format!("/Users/{kim}"), None, Some(&e1)).await.0, 412);
    assert_eq!(h.snapshot(), before, "nothing written");
    assert_eq!(h.stored_user("kim").unwrap()["nickname"], "Kim");

    // Groups: the version covers the members.
    let (_, g1, _) = send(&h, "GET", "/Groups/1004?excludedAttributes=members", None, None).await;
    let add = json!({"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": [{"value": kim}]}]});
    let (s, g2, _) = send(&h, "PATCH", "/Groups/1004", Some(&add), Some(&g1)).await;
    assert_eq!(s, 200);
    assert_ne!(g1, g2, "a member change moves the group's version");
    assert_eq!(send(&h, "DELETE", "/Groups/1004", None, Some(&g1)).await.0, 412);
    assert!(h.group_id("Sales").is_some(), "not deleted");
}
