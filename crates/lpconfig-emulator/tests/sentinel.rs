//! Sentinel: the OAuth 2.0 token endpoints, the JWKS, token lifetime,
//! revocation, and scopes enforced per method on business calls.

mod support;

use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use lpconfig_emulator::Emulator;
use serde_json::Value;
use sha2::Sha256;
use support::*;

const APP: (&str, &str) = ("demo-app-client", "d3m0-cl13nt-s3cr3t-0001");
const READER: (&str, &str) = ("demo-reader-client", "d3m0-r3ad3r-s3cr3t-0002");
const FORM: &str = "application/x-www-form-urlencoded";

fn b64d(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap()
}

async fn token_call(url: &str, body: &str) -> (u16, Value) {
    let resp = http().post(url).header("content-type", FORM).body(body.to_owned()).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn form(client: (&str, &str)) -> String {
    format!("client_id={}&client_secret={}&grant_type=client_credentials", client.0, client.1)
}

fn v1(emu: &lpconfig_emulator::RunningEmulator) -> String {
    format!("{}/sentinel/api/account/demo/app/token?v=1.0", emu.base_url())
}

#[tokio::test]
async fn both_paths_issue_jwts_verifiable_with_the_jwks() {
    let emu = demo().await;
    let v2 = format!("{}/sentinel/api/v2/account/demo/app/token", emu.base_url());
    let jwks: Value = http()
        .get(format!("{}/sentinel/well-known/jwks", emu.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = &jwks["keys"][0];
    assert_eq!((key["kty"].as_str(), key["alg"].as_str()), (Some("oct"), Some("HS256")));
    for url in [v1(&emu), v2] {
        let (status, body) = token_call(&url, &form(APP)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["token_type"], "Bearer");
        assert!(body.get("expires_in").is_none(), "Sentinel sends no expires_in");
        let jwt = body["access_token"].as_str().unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        let header: Value = serde_json::from_slice(&b64d(parts[0])).unwrap();
        assert_eq!(header["kid"], key["kid"]);
        let mut mac = Hmac::<Sha256>::new_from_slice(&b64d(key["k"].as_str().unwrap())).unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&b64d(parts[2])).expect("signed with the published key");
        let claims: Value = serde_json::from_slice(&b64d(parts[1])).unwrap();
        assert_eq!((claims["aud"].as_str(), claims["azp"].as_str()), (Some("demo"), Some(APP.0)));
        assert_eq!(claims["scope"], "users.read users.write");
        assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 3600);
    }
    assert_eq!(emu.tokens_issued(), 2);
}

#[tokio::test]
async fn bad_requests_get_oauth_errors() {
    let emu = demo().await;
    let url = v1(&emu);
    let (s, b) = token_call(&url, &form((APP.0, "wrong"))).await;
    assert_eq!((s, b["error"].as_str()), (401, Some("invalid_client")));
    assert!(!b.to_string().contains("wrong"), "the secret is not echoed");
    let (s, b) = token_call(&url, &form(("nobody", APP.1))).await;
    assert_eq!((s, b["error"].as_str()), (401, Some("invalid_client")));
    let (s, b) =
        token_call(&url, &format!("client_id={}&client_secret={}&grant_type=password", APP.0, APP.1)).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("unsupported_grant_type")));
    let (s, b) = token_call(&url, &format!("{}&scope=users.write", form(READER))).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_scope")));
    let (s, _) =
        token_call(&format!("{}/sentinel/api/account/demo/app/token?v=2.0", emu.base_url()), &form(APP))
            .await;
    assert_eq!(s, 400, "v1 wants v=1.0");
    let json = http().post(&url).json(&serde_json::json!({"client_id": APP.0})).send().await.unwrap();
    assert_eq!(json.status(), 400, "JSON bodies are refused");
    // Another account's clients are unknown here.
    let (s, _) =
        token_call(&format!("{}/sentinel/api/account/other/app/token?v=1.0", emu.base_url()), &form(APP))
            .await;
    assert_eq!(s, 401);
    assert_eq!(emu.tokens_issued(), 0);
}

#[tokio::test]
async fn scopes_expiry_and_revocation_on_business_calls() {
    // `exp` is in whole seconds, so a token lives between ttl-1 and ttl seconds:
    // 2 s leaves a loaded machine time to use a fresh one.
    let emu = Emulator::builder().demo().token_ttl(Duration::from_secs(2)).start().await.unwrap();
    let get = |token: String| {
        let url = users_url(&emu);
        async move { http().get(url).bearer_auth(token).send().await.unwrap().status().as_u16() }
    };
    let lob_url = format!("{}/api/account/demo/configuration/le-users/lobs?v=4.0", emu.base_url());
    let post = |token: String| {
        let url = lob_url.clone();
        async move {
            http()
                .post(url)
                .bearer_auth(token)
                .json(&serde_json::json!({"name": "X"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let (_, b) = token_call(&v1(&emu), &form(READER)).await;
    let reader = b["access_token"].as_str().unwrap().to_owned();
    assert_eq!(get(reader.clone()).await, 200);
    assert_eq!(post(reader.clone()).await, 403, "users.read cannot write");

    let (_, b) = token_call(&v1(&emu), &form(APP)).await;
    let app = b["access_token"].as_str().unwrap().to_owned();
    assert_eq!(post(app.clone()).await, 201);
    emu.revoke_tokens();
    assert_eq!(get(app.clone()).await, 401, "revoked");
    let (_, b) = token_call(&v1(&emu), &form(APP)).await;
    let fresh = b["access_token"].as_str().unwrap().to_owned();
    assert_eq!(get(fresh.clone()).await, 200);
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(get(fresh).await, 401, "expired");
    let mut forged = app.clone();
    forged.insert(forged.len() - 2, 'x');
    assert_eq!(get(forged).await, 401);
}
