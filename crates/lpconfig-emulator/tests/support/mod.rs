//! Helpers shared by the integration tests: a loopback HTTP client and an OAuth 1.0a
//! signer built from the emulator's own primitives.

#![allow(dead_code)]

use lpconfig_emulator::oauth1;
use lpconfig_emulator::{ApiKey, Emulator, RunningEmulator};
use serde_json::{json, Value};

pub async fn demo() -> RunningEmulator {
    Emulator::builder().demo().start().await.expect("emulator starts")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("reqwest client")
}

pub fn users_url(emu: &RunningEmulator) -> String {
    format!("{}/api/account/demo/configuration/le-users/users?v=4.0&select=$all", emu.base_url())
}

/// A logged-in admin session: (bearer, csrf, Session_id).
pub async fn login_admin(emu: &RunningEmulator) -> (String, String, String) {
    let resp = http()
        .post(format!("{}/api/account/demo/login?v=1.3", emu.base_url()))
        .json(&json!({"username": "admin", "password": "demo-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    let session_id = cookie.split(';').next().unwrap().strip_prefix("Session_id=").unwrap().to_owned();
    let body: Value = resp.json().await.unwrap();
    (body["bearer"].as_str().unwrap().to_owned(), body["csrf"].as_str().unwrap().to_owned(), session_id)
}

/// `Authorization: OAuth ...` for `method url` signed with `key` (signature over the
/// query and protocol parameters, as LivePerson clients do).
pub fn oauth_header(method: &str, url: &str, key: &ApiKey, nonce: &str, timestamp: i64) -> String {
    let u = url::Url::parse(url).unwrap();
    let authority = match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap()),
        None => u.host_str().unwrap().to_owned(),
    };
    let mut protocol: Vec<(String, String)> = [
        ("oauth_consumer_key", key.app_key.as_str()),
        ("oauth_token", key.access_token.as_str()),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", &timestamp.to_string()),
        ("oauth_nonce", nonce),
        ("oauth_version", "1.0"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    let mut params = oauth1::parse_form(u.query().unwrap_or(""));
    params.extend(protocol.iter().cloned());
    let base = oauth1::signature_base_string(
        method,
        &oauth1::base_string_uri(u.scheme(), &authority, u.path()),
        &oauth1::normalize_parameters(&params),
    );
    let signature = oauth1::sign(&oauth1::signing_key(&key.secret, &key.access_token_secret), &base);
    protocol.push(("oauth_signature".into(), signature));
    oauth1::authorization_header(&protocol)
}

pub fn now() -> i64 {
    lpconfig_emulator::clock::now_secs()
}
