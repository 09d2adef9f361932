//! OAuth 1.0a verification of API-key calls.

mod support;

use std::time::Duration;

use lpconfig_emulator::{ApiKey, Emulator, Seed};
use support::*;

#[tokio::test]
async fn signed_request_is_accepted_once() {
    let emu = demo().await;
    let key = emu.demo_api_key();
    let url = users_url(&emu);
    let auth = oauth_header("GET", &url, &key, "nonce-1", now());
    let resp = http().get(&url).header("authorization", &auth).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());

    // The very same header again: a replayed nonce.
    let resp = http().get(&url).header("authorization", &auth).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["internalCode"], 26);

    // A fresh nonce works again.
    let auth = oauth_header("GET", &url, &key, "nonce-2", now());
    assert_eq!(http().get(&url).header("authorization", &auth).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn tampering_is_refused() {
    let emu = demo().await;
    let key = emu.demo_api_key();
    let url = users_url(&emu);
    let status = |auth: String, url: String| async move {
        http().get(&url).header("authorization", auth).send().await.unwrap().status().as_u16()
    };

    // Wrong consumer secret.
    let wrong = ApiKey { secret: "not-the-secret".into(), ..key.clone() };
    assert_eq!(status(oauth_header("GET", &url, &wrong, "a1", now()), url.clone()).await, 401);
    // Signed for other query parameters than sent.
    let signed_for = url.replace("v=4.0", "v=5.0");
    assert_eq!(status(oauth_header("GET", &signed_for, &key, "a2", now()), url.clone()).await, 401);
    // Signed for another method.
    assert_eq!(status(oauth_header("POST", &url, &key, "a3", now()), url.clone()).await, 401);
    // A flipped signature character.
    let auth = oauth_header("GET", &url, &key, "a4", now());
    let i = auth.find("oauth_signature=\"").unwrap() + 17;
    let mut bytes = auth.into_bytes();
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    assert_eq!(status(String::from_utf8(bytes).unwrap(), url.clone()).await, 401);
    // Unknown key and a token that is not the key's.
    let unknown = ApiKey { app_key: "nobody".into(), ..key.clone() };
    assert_eq!(status(oauth_header("GET", &url, &unknown, "a5", now()), url.clone()).await, 401);
    let token = ApiKey { access_token: "other".into(), ..key.clone() };
    assert_eq!(status(oauth_header("GET", &url, &token, "a6", now()), url.clone()).await, 401);
    // Garbage header.
    assert_eq!(status("OAuth nonsense".into(), url.clone()).await, 401);

    // A refused request did not spend its nonce.
    assert_eq!(status(oauth_header("GET", &url, &key, "a1", now()), url.clone()).await, 200);
}

#[tokio::test]
async fn stale_timestamps_are_refused() {
    let emu = Emulator::builder().demo().oauth_window(Duration::from_secs(60)).start().await.unwrap();
    let key = emu.demo_api_key();
    let url = users_url(&emu);
    for (nonce, ts, want) in [("t1", now() - 120, 401), ("t2", now() + 120, 401), ("t3", now() - 30, 200)] {
        let auth = oauth_header("GET", &url, &key, nonce, ts);
        let resp = http().get(&url).header("authorization", auth).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), want, "{nonce}");
    }
}

#[tokio::test]
async fn key_of_another_account_is_forbidden() {
    let seed = Seed::from_toml(
        r#"
        [[accounts]]
        id = "alpha"
        [[accounts.api_keys]]
        app_key = "ka"
        secret = "sa"
        access_token = "ta"
        access_token_secret = "tsa"
        [[accounts]]
        id = "beta"
        "#,
    )
    .unwrap();
    let emu = Emulator::builder().seed(seed).start().await.unwrap();
    let key = emu.demo_api_key();
    let beta = format!("{}/api/account/beta/configuration/le-users/users?v=4.0", emu.base_url());
    let auth = oauth_header("GET", &beta, &key, "n", now());
    assert_eq!(http().get(&beta).header("authorization", auth).send().await.unwrap().status(), 403);
    let alpha = beta.replace("/beta/", "/alpha/");
    let auth = oauth_header("GET", &alpha, &key, "n2", now());
    assert_eq!(http().get(&alpha).header("authorization", auth).send().await.unwrap().status(), 200);
}
