//! OAuth 2.0 client credentials against the emulator's Sentinel: one token for
//! many calls, renewal before `exp`, one new token and one replay after a 401,
//! a refused client as an `Auth` error without its secret, scopes as `Forbidden`.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use common::*;
use lpconfig::auth::TokenApi;
use lpconfig::{ApiRequest, Credentials, ErrorKind, ListOptions, Method};
use lpconfig_emulator::{Emulator, LoggedRequest, RunningEmulator};

const READER: (&str, &str) = ("demo-reader-client", "d3m0-r3ad3r-s3cr3t-0002");

fn app(emu: &RunningEmulator) -> Credentials {
    let c = emu.demo_app_client();
    Credentials::client_credentials(c.client_id, c.client_secret)
}

fn token_requests(emu: &RunningEmulator) -> Vec<LoggedRequest> {
    emu.request_log().into_iter().filter(|r| r.path.ends_with("/app/token")).collect()
}

fn bearer_of(r: &LoggedRequest) -> String {
    r.header("authorization").and_then(|v| v.strip_prefix("Bearer ")).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn one_token_for_many_calls_with_the_documented_request() {
    let emu = emulator().await;
    let client = builder(&emu, app(&emu)).build().unwrap();
    for _ in 0..3 {
        client.users().list(&ListOptions::default()).await.unwrap();
    }
    client.agent_groups().list(&ListOptions::default()).await.unwrap();
    assert_eq!(emu.tokens_issued(), 1, "the token is reused");
    let tokens = token_requests(&emu);
    assert_eq!(tokens.len(), 1);
    let t = &tokens[0];
    assert_eq!(t.method, "POST");
    assert_eq!(t.path, "/sentinel/api/account/demo/app/token");
    assert_eq!(t.query.as_deref(), Some("v=1.0"));
    assert_eq!(t.header("content-type"), Some("application/x-www-form-urlencoded"));
    let form: Vec<(String, String)> = url::form_urlencoded::parse(t.body.as_bytes()).into_owned().collect();
    let c = emu.demo_app_client();
    assert_eq!(
        form,
        [
            ("client_id".to_owned(), c.client_id.clone()),
            ("client_secret".to_owned(), c.client_secret.clone()),
            ("grant_type".to_owned(), "client_credentials".to_owned()),
        ]
    );
    // The sentinel host came from CSDS, and every business call bore the JWT.
    assert_eq!(count(&emu, "GET", "/service/sentinel/baseURI.json"), 1);
    let token: serde_json::Value = emu
        .request_log()
        .iter()
        .filter(|r| r.path.contains("/le-users/"))
        .map(bearer_of)
        .inspect(|b| assert_eq!(b.split('.').count(), 3, "a JWT"))
        .map(|b| {
            let payload = b.split('.').nth(1).unwrap().to_owned();
            serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap())
                .unwrap()
        })
        .next()
        .unwrap();
    assert_eq!(token["aud"], "demo");
    assert_eq!(token["scope"], "users.read users.write");
}

#[tokio::test]
async fn v2_path_and_scope_are_sent() {
    let emu = emulator().await;
    let creds = app(&emu).with_token_api(TokenApi::V2).with_scope("users.read");
    let client = builder(&emu, creds).build().unwrap();
    client.users().list(&ListOptions::default()).await.unwrap();
    let t = &token_requests(&emu)[0];
    assert_eq!(t.path, "/sentinel/api/v2/account/demo/app/token");
    assert_eq!(t.query, None);
    assert!(t.body.ends_with("&scope=users.read"), "{}", t.body);
    // The narrower token cannot write.
    let err = client
        .raw()
        .send(ApiRequest::new(Method::POST, "lobs").json(&serde_json::json!({"name": "Nope"})).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
}

#[tokio::test]
async fn renewed_before_expiry() {
    // Two-second tokens: renewal at half-life, one second after issue.
    let emu = Emulator::builder().demo().token_ttl(Duration::from_secs(2)).start().await.unwrap();
    let client = builder(&emu, app(&emu)).build().unwrap();
    client.users().list(&ListOptions::default()).await.unwrap();
    client.users().list(&ListOptions::default()).await.unwrap();
    assert_eq!(emu.tokens_issued(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.users().list(&ListOptions::default()).await.unwrap();
    assert_eq!(emu.tokens_issued(), 2, "a new token before the old one expired");
    let calls: Vec<_> =
        emu.request_log().into_iter().filter(|r| r.path.ends_with("/le-users/users")).collect();
    assert_eq!(calls.len(), 3);
    assert!(calls.iter().all(|r| r.status == 200), "no call met an expired token");
    assert_ne!(bearer_of(&calls[1]), bearer_of(&calls[2]));
}

#[tokio::test]
async fn revoked_token_means_one_new_token_and_one_replay() {
    let emu = emulator().await;
    let client = builder(&emu, app(&emu)).build().unwrap();
    client.users().list(&ListOptions::default()).await.unwrap();
    emu.revoke_tokens();
    emu.clear_request_log();
    let users = client.users().list(&ListOptions::default()).await.unwrap();
    assert_eq!(users.value.len(), 20);
    let log = emu.request_log();
    let seen: Vec<(&str, u16)> = log
        .iter()
        .map(|r| (if r.path.ends_with("/app/token") { "token" } else { "users" }, r.status))
        .collect();
    assert_eq!(seen, [("users", 401), ("token", 200), ("users", 200)]);
    assert_eq!(emu.tokens_issued(), 2);
}

#[tokio::test]
async fn a_token_refused_twice_is_an_auth_error_without_a_loop() {
    let emu = emulator().await;
    let client = builder(&emu, app(&emu)).build().unwrap();
    client.users().list(&ListOptions::default()).await.unwrap();
    emu.clear_request_log();
    // Every business call is now refused, whatever the token.
    emu.add_fault(lpconfig_emulator::FaultRule {
        method: None,
        path: "*/le-users/users".into(),
        count: None,
        action: lpconfig_emulator::FaultAction::Status { status: 401, body: None, retry_after: None },
    });
    let err = client.users().list(&ListOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.to_string().contains("after one new token"), "{err}");
    assert_eq!(count(&emu, "GET", "/le-users/users"), 2, "one call, one replay");
    assert_eq!(token_requests(&emu).len(), 1, "one new token");
}

#[tokio::test]
async fn wrong_secret_is_an_auth_error_that_never_shows_the_secret() {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    const WRONG: &str = "Wrong-Client-Secret-42";
    let emu = emulator().await;
    let creds = Credentials::client_credentials(emu.demo_app_client().client_id, WRONG);
    let client = builder(&emu, creds).build().unwrap();
    let err = client.users().list(&ListOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.field(), Some("client_id"));
    assert!(err.to_string().contains("invalid_client"), "{err}");
    assert_eq!(token_requests(&emu).len(), 1, "a refused client is not retried");
    assert_eq!(count(&emu, "GET", "/le-users/users"), 0);

    let good = builder(&emu, app(&emu)).build().unwrap();
    good.users().list(&ListOptions::default()).await.unwrap();
    let token = bearer_of(emu.request_log().iter().rfind(|r| r.path.ends_with("/le-users/users")).unwrap());
    let texts = [format!("{err}"), format!("{err:?}"), format!("{client:?}"), format!("{good:?}")];
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("lpconfig"), "logs were captured");
    for secret in [WRONG, emu.demo_app_client().client_secret.as_str(), token.as_str()] {
        assert!(!logs.contains(secret), "a secret leaked into the logs");
        for t in &texts {
            assert!(!t.contains(secret), "a secret leaked: {t}");
        }
    }
}

#[tokio::test]
async fn missing_scope_is_forbidden_and_nothing_is_written() {
    let emu = emulator().await;
    let client = builder(&emu, Credentials::client_credentials(READER.0, READER.1)).build().unwrap();
    let skills = client.skills().list(&ListOptions::default()).await.unwrap();
    let before = skills.value.len();
    let err = client
        .raw()
        .send(ApiRequest::new(Method::POST, "skills").json(&serde_json::json!({"name": "Nope"})).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(err.status(), Some(403));
    assert_eq!(emu.tokens_issued(), 1, "a 403 does not fetch a new token");
    assert_eq!(client.skills().list(&ListOptions::default()).await.unwrap().value.len(), before);

    // Asking Sentinel for a scope the client lacks is refused up front.
    let greedy = Credentials::client_credentials(READER.0, READER.1).with_scope("users.write");
    let err = builder(&emu, greedy).build().unwrap().users().get(1).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.to_string().contains("invalid_scope"), "{err}");
}

#[tokio::test]
async fn a_token_of_another_account_is_forbidden() {
    let seed = lpconfig_emulator::Seed::from_toml(
        r#"
        [[accounts]]
        id = "demo"
        [[accounts.app_clients]]
        client_id = "a"
        client_secret = "secret-a-000"
        scopes = ["users.read"]
        [[accounts]]
        id = "other"
        "#,
    )
    .unwrap();
    let emu = Emulator::builder().seed(seed).start().await.unwrap();
    let client = builder(&emu, Credentials::client_credentials("a", "secret-a-000")).build().unwrap();
    client.users().list(&ListOptions::default()).await.unwrap();
    let token = bearer_of(emu.request_log().iter().rfind(|r| r.path.ends_with("/le-users/users")).unwrap());
    let other = builder(&emu, Credentials::bearer(token)).account("other").build().unwrap();
    let err = other.users().list(&ListOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
}
