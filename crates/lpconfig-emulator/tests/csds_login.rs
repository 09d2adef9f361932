//! CSDS and the Login Service over real HTTP on loopback.

mod support;

use std::time::Duration;

use lpconfig_emulator::{CsdsShape, Emulator};
use serde_json::{json, Value};
use support::*;

#[tokio::test]
async fn csds_single_shape_points_at_itself() {
    let emu = demo().await;
    let url =
        format!("{}/api/account/demo/service/accountConfigReadOnly/baseURI.json?version=1.0", emu.base_url());
    let resp = http().get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({"service": "accountConfigReadOnly", "account": "demo", "baseURI": emu.host_port()})
    );
    assert!(emu.host_port().starts_with("127.0.0.1:"));
    assert_eq!(emu.base_url(), format!("http://{}", emu.host_port()));

    // Any service name, case kept.
    let url = format!("{}/api/account/demo/service/someNewService/baseURI.json?version=1.0", emu.base_url());
    let body: Value = http().get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["service"], "someNewService");
}

#[tokio::test]
async fn csds_list_shape_and_all_services() {
    let emu = Emulator::builder().demo().csds_shape(CsdsShape::List).start().await.unwrap();
    let url = format!("{}/api/account/demo/service/agentVep/baseURI.json?version=1.0", emu.base_url());
    let body: Value = http().get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        body,
        json!({"baseURIs": [{"service": "agentVep", "account": "demo", "baseURI": emu.host_port()}]})
    );

    let url = format!("{}/api/account/demo/service/baseURI.json?version=1.0", emu.base_url());
    let body: Value = http().get(&url).send().await.unwrap().json().await.unwrap();
    let services: Vec<&str> =
        body["baseURIs"].as_array().unwrap().iter().map(|e| e["service"].as_str().unwrap()).collect();
    for s in ["accountConfigReadOnly", "accountConfigReadWrite", "agentVep", "sentinel"] {
        assert!(services.contains(&s), "{s} in {services:?}");
    }
    assert!(body["baseURIs"].as_array().unwrap().iter().all(|e| e["baseURI"] == emu.host_port().as_str()));
}

#[tokio::test]
async fn csds_unknown_account_and_bad_version() {
    let emu = demo().await;
    let get = |path: String| http().get(format!("{}{path}", emu.base_url())).send();
    let resp = get("/api/account/nobody/service/agentVep/baseURI.json?version=1.0".into()).await.unwrap();
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert!(body["time"].is_u64() && body["message"].is_string() && body["internalCode"].is_i64(), "{body}");
    // Account ids are case-sensitive.
    assert_eq!(
        get("/api/account/DEMO/service/agentVep/baseURI.json?version=1.0".into()).await.unwrap().status(),
        401
    );
    assert_eq!(get("/api/account/demo/service/agentVep/baseURI.json".into()).await.unwrap().status(), 400);
    assert_eq!(
        get("/api/account/demo/service/agentVep/baseURI.json?version=2.0".into()).await.unwrap().status(),
        400
    );
}

#[tokio::test]
async fn user_login_reply_and_cookie() {
    let emu = demo().await;
    let resp = http()
        .post(format!("{}/api/account/demo/login?v=1.3", emu.base_url()))
        .json(&json!({"username": "admin", "password": "demo-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("Session_id="), "{cookie}");
    assert!(cookie.contains("; Path=/") && cookie.contains("HttpOnly"), "{cookie}");
    let body: Value = resp.json().await.unwrap();
    for token in ["bearer", "csrf"] {
        let t = body[token].as_str().unwrap();
        assert_eq!(t.len(), 64, "{token}");
        assert!(t.bytes().all(|c| c.is_ascii_hexdigit()));
    }
    assert_ne!(body["bearer"], body["csrf"]);
    assert_eq!(body["sessionTTl"], "28800000", "a string of milliseconds");
    assert!(body["wsuk"].is_string());
    assert_eq!(body["config"]["loginName"], "admin");
    assert_eq!(body["config"]["userId"], "1");
    assert_eq!(body["config"]["isAdmin"], true);
    assert!(body["config"]["serverCurrentTime"].is_u64());
    assert_eq!(body["accountData"]["agentGroupsData"]["items"][0]["name"], "Main Group");
    let uris = body["csdsCollectionResponse"]["baseURIs"].as_array().unwrap();
    let vep = uris.iter().find(|e| e["service"] == "agentVep").unwrap();
    assert_eq!(vep["baseURI"], emu.host_port().as_str());
    assert_eq!(vep["account"], "demo");
    assert_eq!(emu.sessions().len(), 1);
    assert_eq!(emu.sessions()[0].login_name, "admin");
}

#[tokio::test]
async fn app_key_login() {
    let emu = demo().await;
    let bot = emu.demo_app_login();
    let body = json!({
        "username": bot.username, "appKey": bot.app_key, "secret": bot.secret,
        "accessToken": bot.access_token, "accessTokenSecret": bot.access_token_secret,
    });
    let url = format!("{}/api/account/demo/login?v=1.3", emu.base_url());
    let resp = http().post(&url).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("set-cookie"));
    let reply: Value = resp.json().await.unwrap();
    assert_eq!(reply["config"]["loginName"], bot.username.as_str());
    assert!(reply["sessionTTl"].is_string());
    assert!(emu.sessions()[0].app_login);

    let mut wrong = body.clone();
    wrong["accessTokenSecret"] = json!("nope");
    assert_eq!(http().post(&url).json(&wrong).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn login_refusals() {
    let emu = demo().await;
    let post = |query: &str, body: Value| {
        http().post(format!("{}/api/account/demo/login{query}", emu.base_url())).json(&body).send()
    };
    let good = json!({"username": "admin", "password": "demo-password-1"});
    let resp = post("?v=1.3", json!({"username": "admin", "password": "hunter2-xyz"})).await.unwrap();
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["responseStatus"], "UNAUTHORIZED");
    assert!(!body.to_string().contains("hunter2"));
    assert_eq!(
        post("?v=1.3", json!({"username": "ghost", "password": "demo-password-1"})).await.unwrap().status(),
        401
    );
    assert_eq!(post("", good.clone()).await.unwrap().status(), 400);
    assert_eq!(post("?v=1.2", good.clone()).await.unwrap().status(), 400);
    assert_eq!(post("?v=1.3", json!({"password": "x"})).await.unwrap().status(), 400);
    let other = http()
        .post(format!("{}/api/account/other/login?v=1.3", emu.base_url()))
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 401);
    assert!(emu.sessions().is_empty());
}

fn csrf_body_is_documented(body: &Value) {
    let e = &body["error"];
    assert_eq!(
        e["message"],
        "CSRF token invalid! The CSRF token on request does not match the CSRF token on the session"
    );
    assert_eq!(e["internalCode"], 10);
    assert_eq!(e["responseStatus"], "UNAUTHORIZED");
    // Like "Sep 22, 2016 4:10:15 PM".
    let time = e["time"].as_str().unwrap();
    let parts: Vec<&str> = time.split(' ').collect();
    assert_eq!(parts.len(), 5, "{time}");
    assert!(parts[1].ends_with(',') && parts[3].matches(':').count() == 2, "{time}");
    assert!(parts[4] == "AM" || parts[4] == "PM", "{time}");
    assert_eq!(body.as_object().unwrap().len(), 1);
    assert_eq!(e.as_object().unwrap().len(), 4);
}

#[tokio::test]
async fn refresh_with_cookie_and_csrf() {
    let emu = demo().await;
    let (_bearer, csrf, sid) = login_admin(&emu).await;
    let url = format!("{}/api/account/demo/refresh", emu.base_url());
    for n in 1..=2 {
        let resp = http()
            .post(&url)
            .header("cookie", format!("Session_id={sid}"))
            .json(&json!({"csrf": csrf}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(
            resp.headers()["set-cookie"].to_str().unwrap(),
            format!("Session_id={sid}; Path=/; HttpOnly")
        );
        assert!(resp.bytes().await.unwrap().is_empty());
        assert_eq!(emu.refresh_count(), n);
        assert_eq!(emu.sessions()[0].refresh_count, n);
    }

    // Wrong csrf, missing cookie, unknown cookie: the documented CSRF body.
    let attempts = [
        (Some(sid.clone()), json!({"csrf": "0".repeat(64)})),
        (None, json!({"csrf": csrf})),
        (Some("f".repeat(64)), json!({"csrf": csrf})),
        (Some(sid.clone()), json!({})),
    ];
    for (cookie, body) in attempts {
        let mut req = http().post(&url).json(&body);
        if let Some(c) = cookie {
            req = req.header("cookie", format!("Session_id={c}"));
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401);
        csrf_body_is_documented(&resp.json().await.unwrap());
    }
    assert_eq!(emu.refresh_count(), 2);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let emu = demo().await;
    let (bearer, csrf, sid) = login_admin(&emu).await;
    let users = users_url(&emu);
    let ok = http().get(&users).bearer_auth(&bearer).send().await.unwrap();
    assert_eq!(ok.status(), 200);

    let url = format!("{}/api/account/demo/logout", emu.base_url());
    let bad = http()
        .post(&url)
        .header("cookie", format!("Session_id={sid}"))
        .json(&json!({"csrf": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    csrf_body_is_documented(&bad.json().await.unwrap());

    let resp = http()
        .post(&url)
        .header("cookie", format!("Session_id={sid}"))
        .json(&json!({"csrf": csrf}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.bytes().await.unwrap().is_empty());
    assert_eq!(http().get(&users).bearer_auth(&bearer).send().await.unwrap().status(), 401);
    // The ended session cannot be refreshed either.
    let again = http()
        .post(format!("{}/api/account/demo/refresh", emu.base_url()))
        .header("cookie", format!("Session_id={sid}"))
        .json(&json!({"csrf": csrf}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401);
    assert!(emu.sessions().is_empty());
}

#[tokio::test]
async fn bearer_guard() {
    let emu = demo().await;
    let (bearer, _, _) = login_admin(&emu).await;
    let users = users_url(&emu);
    let resp = http().get(&users).bearer_auth(&bearer).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let revision = resp.headers()["ac-revision"].to_str().unwrap().to_owned();
    assert!(revision.parse::<u64>().unwrap() > 0, "the demo data has revisions");
    assert_eq!(resp.headers()["etag"].to_str().unwrap(), revision);
    let listed: Value = resp.json().await.unwrap();
    assert!(listed.as_array().unwrap().iter().any(|u| u["loginName"] == "admin"), "{listed}");

    for auth in [None, Some("Bearer ".to_owned() + &"0".repeat(64)), Some("Basic YTpi".to_owned())] {
        let mut req = http().get(&users);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401);
        let body: Value = resp.json().await.unwrap();
        assert!(
            body["time"].is_u64() && body["message"].is_string() && body["internalCode"].is_i64(),
            "{body}"
        );
    }

    // A bearer of account demo on another account's path.
    let other = format!("{}/api/account/other/configuration/le-users/users?v=4.0", emu.base_url());
    assert_eq!(http().get(&other).bearer_auth(&bearer).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn expired_sessions_get_401() {
    let emu = demo().await;
    let (bearer, _, _) = login_admin(&emu).await;
    let users = users_url(&emu);
    emu.expire_sessions();
    assert!(emu.sessions().is_empty());
    assert_eq!(http().get(&users).bearer_auth(&bearer).send().await.unwrap().status(), 401);

    // And by time: a short TTL runs out without refresh (long enough for a
    // loaded machine to log in and read once before it does).
    let emu = Emulator::builder().demo().session_ttl(Duration::from_millis(1500)).start().await.unwrap();
    let (bearer, _, _) = login_admin(&emu).await;
    let users = users_url(&emu);
    assert_eq!(http().get(&users).bearer_auth(&bearer).send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(http().get(&users).bearer_auth(&bearer).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn unknown_routes_are_404_json() {
    let emu = demo().await;
    let resp = http().get(format!("{}/nothing/here", emu.base_url())).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    assert!(resp.json::<Value>().await.unwrap()["message"].is_string());
}

#[tokio::test]
async fn store_users_log_in_with_their_password() {
    let emu = demo().await;
    let url = format!("{}/api/account/demo/login?v=1.3", emu.base_url());
    let ok = http()
        .post(&url)
        .json(&json!({"username": "Jane.Doe", "password": "demo-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["config"]["loginName"], "jane.doe");
    assert_eq!(body["config"]["isAdmin"], false);
    let bad = http()
        .post(&url)
        .json(&json!({"username": "jane.doe", "password": "nope-nope-nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    // API users have no password and cannot log in with one.
    let bot = http()
        .post(&url)
        .json(&json!({"username": "demo-bot", "password": "demo-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bot.status(), 401);
}
