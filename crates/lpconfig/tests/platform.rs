//! Platform behaviour against the emulator on loopback: login, refresh,
//! re-login, API-key signing, CSDS caching, the retry schedule and errors.

mod common;

use std::time::Duration;

use common::*;
use lpconfig::{ApiRequest, Client, Credentials, ErrorKind, Method, RetryReason};
use lpconfig_emulator::{FaultAction, FaultRule};

fn users_get() -> ApiRequest {
    ApiRequest::new(Method::GET, "users").query("select", "$all")
}

fn header<'a>(r: &'a lpconfig_emulator::LoggedRequest, name: &str) -> Option<&'a str> {
    r.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn fault(method: &str, path: &str, count: Option<u32>, action: FaultAction) -> FaultRule {
    FaultRule { method: Some(method.into()), path: path.into(), count, action }
}

fn status(status: u16) -> FaultAction {
    FaultAction::Status { status, body: None, retry_after: None }
}

#[tokio::test]
async fn login_then_bearer_on_business_call() {
    let emu = emulator().await;
    let client = admin_client(&emu);
    let resp = client.raw().send(users_get()).await.unwrap();
    assert_eq!(resp.status, 200);
    let log = emu.request_log();
    let login = log.iter().find(|r| r.path.ends_with("/login")).expect("a login");
    assert_eq!(login.method, "POST");
    assert_eq!(login.query.as_deref(), Some("v=1.3"));
    let call = log.iter().find(|r| r.path.ends_with("/le-users/users")).expect("the call");
    let auth = header(call, "authorization").unwrap();
    assert!(auth.starts_with("Bearer ") && auth.len() > 20, "{auth}");
    assert!(call.query.as_deref().unwrap().contains("v=4.0"));
    assert!(header(call, "user-agent").unwrap().starts_with("lpconfig/"));
    // Only one login for several calls.
    client.raw().send(users_get()).await.unwrap();
    assert_eq!(count(&emu, "POST", "/login"), 1);
}

#[tokio::test]
async fn refresh_runs_on_schedule_with_cookie_and_csrf() {
    let emu = emulator().await;
    let client = builder(&emu, Credentials::password(ADMIN.0, ADMIN.1))
        .refresh_interval(Duration::from_millis(150))
        .build()
        .unwrap();
    client.login().await.unwrap();
    tokio::time::sleep(Duration::from_millis(520)).await;
    let refreshes: Vec<_> = emu.request_log().into_iter().filter(|r| r.path.ends_with("/refresh")).collect();
    assert!((2..=4).contains(&refreshes.len()), "{} refreshes", refreshes.len());
    for r in &refreshes {
        assert_eq!(r.status, 200);
        assert!(header(r, "cookie").unwrap().contains("Session_id="));
        assert!(r.body.contains("\"csrf\""));
    }
    assert_eq!(emu.refresh_count(), refreshes.len());
    // Closing logs out and stops the timer.
    client.close().await.unwrap();
    assert_eq!(count(&emu, "POST", "/logout"), 1);
    let after = count(&emu, "POST", "/refresh");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(count(&emu, "POST", "/refresh"), after);
}

#[tokio::test]
async fn a_closed_client_refuses_calls_instead_of_logging_in_again() {
    let emu = emulator().await;
    let client = admin_client(&emu);
    client.raw().send(users_get()).await.unwrap();
    let clone = client.clone();
    client.close().await.unwrap();
    client.close().await.unwrap(); // a second close is a no-op
    assert!(clone.is_closed());
    assert_eq!(count(&emu, "POST", "/logout"), 1);
    emu.clear_request_log();
    for err in [clone.raw().send(users_get()).await.unwrap_err(), client.login().await.unwrap_err()] {
        assert_eq!(err.kind(), ErrorKind::Config);
        assert_eq!(err.field(), Some("client"));
        assert!(err.to_string().contains("client is closed"), "{err}");
    }
    assert!(client.users().list(&Default::default()).await.is_err());
    assert!(emu.request_log().is_empty(), "a closed client sent requests");
}

#[tokio::test]
async fn expired_session_means_one_relogin_and_one_replay() {
    let emu = emulator().await;
    let client = admin_client(&emu);
    client.raw().send(users_get()).await.unwrap();
    emu.expire_sessions();
    emu.clear_request_log();
    client.raw().send(users_get()).await.unwrap();
    let seq: Vec<(String, u16)> = emu
        .request_log()
        .iter()
        .filter(|r| !r.path.contains("/service/"))
        .map(|r| (r.path.rsplit('/').next().unwrap().to_owned(), r.status))
        .collect();
    assert_eq!(seq, [("users".into(), 401), ("login".into(), 200), ("users".into(), 200)]);
}

#[tokio::test]
async fn persistent_401_is_an_auth_error_after_exactly_one_relogin() {
    let emu = emulator_with(vec![fault("GET", "*/le-users/users", None, status(401))]).await;
    let client = admin_client(&emu);
    let err = client.raw().send(users_get()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status(), Some(401));
    assert_eq!(count(&emu, "POST", "/login"), 2);
    assert_eq!(count(&emu, "GET", "/users"), 2);
}

#[tokio::test]
async fn api_key_requests_are_signed_and_verified() {
    let emu = emulator().await;
    let client = builder(&emu, api_key(&emu)).build().unwrap();
    client.raw().send(users_get()).await.unwrap();
    client.raw().send(users_get()).await.unwrap();
    let calls: Vec<_> = emu.request_log().into_iter().filter(|r| r.path.ends_with("/users")).collect();
    assert_eq!(calls.len(), 2);
    let nonce = |r: &lpconfig_emulator::LoggedRequest| {
        let a = header(r, "authorization").unwrap().to_owned();
        assert!(
            a.starts_with("OAuth ")
                && a.contains("oauth_signature_method=\"HMAC-SHA1\"")
                && a.contains("oauth_version=\"1.0\""),
            "{a}"
        );
        a.split("oauth_nonce=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
    };
    assert_ne!(nonce(&calls[0]), nonce(&calls[1]));
    assert!(calls.iter().all(|r| r.status == 200));
    assert_eq!(count(&emu, "POST", "/login"), 0, "API keys never log in");
}

#[tokio::test]
async fn tampered_signature_is_refused() {
    let emu = emulator().await;
    let k = emu.demo_api_key();
    let wrong = Credentials::api_key(k.app_key, "not-the-secret", k.access_token, k.access_token_secret);
    let client = builder(&emu, wrong).build().unwrap();
    let err = client.raw().send(users_get()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.attempts(), 1, "401 is never retried");
}

#[tokio::test]
async fn retries_are_signed_afresh() {
    let emu = emulator_with(vec![fault("GET", "*/users", Some(1), status(503))]).await;
    let client = builder(&emu, api_key(&emu)).build().unwrap();
    client.raw().send(users_get()).await.unwrap();
    let auths: Vec<String> = emu
        .request_log()
        .iter()
        .filter(|r| r.path.ends_with("/users"))
        .map(|r| header(r, "authorization").unwrap().to_owned())
        .collect();
    assert_eq!(auths.len(), 2);
    assert_ne!(auths[0], auths[1]);
}

#[tokio::test]
async fn csds_cache_hit_miss_ttl_and_seeding() {
    let emu = emulator().await;
    // API key: no login, so every domain comes from CSDS.
    let client = builder(&emu, api_key(&emu)).csds_ttl(Duration::from_millis(300)).build().unwrap();
    client.raw().send(users_get()).await.unwrap();
    client.raw().send(users_get()).await.unwrap();
    assert_eq!(count(&emu, "GET", "/accountConfigReadOnly/baseURI.json"), 1, "second call hits the cache");
    let put = ApiRequest::new(Method::DELETE, "users/1");
    let _ = client.raw().send(put).await;
    assert_eq!(
        count(&emu, "GET", "/accountConfigReadWrite/baseURI.json"),
        1,
        "writes use the read/write host"
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    client.raw().send(users_get()).await.unwrap();
    assert_eq!(
        count(&emu, "GET", "/accountConfigReadOnly/baseURI.json"),
        2,
        "expired entry is looked up again"
    );
    let q = emu.request_log().into_iter().find(|r| r.path.contains("/service/")).unwrap();
    assert_eq!(q.query.as_deref(), Some("version=1.0"));

    // A login reply seeds the cache: only agentVep is looked up.
    let emu2 = emulator().await;
    let client = admin_client(&emu2);
    client.raw().send(users_get()).await.unwrap();
    let lookups: Vec<String> =
        emu2.request_log().into_iter().filter(|r| r.path.contains("/service/")).map(|r| r.path).collect();
    assert_eq!(lookups.len(), 1, "{lookups:?}");
    assert!(lookups[0].contains("/agentVep/"));
}

#[tokio::test]
async fn csds_list_shape_is_understood() {
    let emu = lpconfig_emulator::Emulator::builder()
        .demo()
        .csds_shape(lpconfig_emulator::CsdsShape::List)
        .start()
        .await
        .unwrap();
    let client = builder(&emu, api_key(&emu)).build().unwrap();
    assert_eq!(client.raw().send(users_get()).await.unwrap().status, 200);
}

#[tokio::test]
async fn connect_failure_evicts_the_domain() {
    let emu = emulator().await;
    let client = builder(&emu, api_key(&emu)).build().unwrap();
    client.raw().send(users_get()).await.unwrap();
    let domains = client.raw().domains();
    assert!(domains.cached(ACCOUNT, "accountConfigReadOnly").is_some());
    // Point the cache at a port nobody listens on.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    domains.seed(&[serde_json::from_value(serde_json::json!({"service":"accountConfigReadOnly","account":ACCOUNT,"baseURI":format!("127.0.0.1:{port}")})).unwrap()]);
    let err = client.raw().send(users_get()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(err.attempts(), 4);
    assert!(domains.cached(ACCOUNT, "accountConfigReadOnly").is_none());
    // The next call resolves again and works.
    client.raw().send(users_get()).await.unwrap();
}

#[tokio::test]
async fn server_errors_retried_three_times_then_succeed() {
    let emu = emulator_with(vec![fault("GET", "*/users", Some(3), status(500))]).await;
    let (policy, events) = fast_retry();
    let client = builder(&emu, api_key(&emu)).retry(policy).build().unwrap();
    let resp = client.raw().send(users_get()).await.unwrap();
    assert_eq!(resp.attempts, 4);
    let ev = events.lock().unwrap().clone();
    let delays: Vec<u64> = ev.iter().map(|e| e.delay.as_millis() as u64).collect();
    assert_eq!(delays, [5, 10, 15]);
    assert!(ev.iter().all(|e| e.reason == RetryReason::Status(500)));
    let statuses: Vec<u16> =
        emu.request_log().iter().filter(|r| r.path.ends_with("/users")).map(|r| r.status).collect();
    assert_eq!(statuses, [500, 500, 500, 200]);
}

#[tokio::test]
async fn four_server_errors_give_up_with_attempts_4() {
    let emu = emulator_with(vec![fault("GET", "*/users", Some(4), status(502))]).await;
    let client = builder(&emu, api_key(&emu)).build().unwrap();
    let err = client.raw().send(users_get()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.attempts(), 4);
    assert_eq!(err.status(), Some(502));
    assert_eq!(count(&emu, "GET", "/users"), 4);
}

#[tokio::test]
async fn rate_limit_honours_retry_after_and_backs_off() {
    let after = FaultAction::Status { status: 429, body: None, retry_after: Some("1".into()) };
    let emu = emulator_with(vec![fault("GET", "*/users", Some(1), after)]).await;
    let (policy, events) = fast_retry();
    let client = builder(&emu, api_key(&emu)).retry(policy).build().unwrap();
    client.raw().send(users_get()).await.unwrap();
    let delays: Vec<Duration> = events.lock().unwrap().iter().map(|e| e.delay).collect();
    assert_eq!(delays, [Duration::from_secs(1)]);

    let emu = emulator_with(vec![fault("GET", "*/users", Some(3), status(429))]).await;
    let (policy, events) = fast_retry();
    let client = builder(&emu, api_key(&emu)).retry(policy).build().unwrap();
    client.raw().send(users_get()).await.unwrap();
    let delays: Vec<u64> = events.lock().unwrap().iter().map(|e| e.delay.as_millis() as u64).collect();
    assert_eq!(delays, [10, 20, 40], "doubling from the base");

    let emu = emulator_with(vec![fault("GET", "*/users", None, status(429))]).await;
    let client = builder(&emu, api_key(&emu)).build().unwrap();
    let err = client.raw().send(users_get()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.attempts(), 4);
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    for (code, kind) in [
        (400, ErrorKind::Invalid),
        (403, ErrorKind::Forbidden),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
    ] {
        let emu = emulator_with(vec![fault("GET", "*/users", None, status(code))]).await;
        let client = builder(&emu, api_key(&emu)).build().unwrap();
        let err = client.raw().send(users_get()).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{code}");
        assert_eq!(err.attempts(), 1);
        assert_eq!(count(&emu, "GET", "/users"), 1, "{code}");
    }
}

#[tokio::test]
async fn connection_reset_is_retried() {
    let emu = emulator_with(vec![fault("GET", "*/users", Some(2), FaultAction::Reset)]).await;
    let (policy, events) = fast_retry();
    let client = builder(&emu, api_key(&emu)).retry(policy).build().unwrap();
    let resp = client.raw().send(users_get()).await.unwrap();
    assert_eq!(resp.attempts, 3);
    let ev = events.lock().unwrap().clone();
    assert_eq!(ev.len(), 2);
    assert!(matches!(ev[0].reason, RetryReason::Transport(_)), "{:?}", ev[0].reason);
}

#[tokio::test]
async fn creates_are_not_blindly_retried_on_5xx() {
    let emu = emulator_with(vec![fault("POST", "*/le-users/users", None, status(500))]).await;
    let client = builder(&emu, api_key(&emu))
        .retry(lpconfig::RetryPolicy::documented().with_server_delays(vec![]))
        .build()
        .unwrap();
    let req = ApiRequest::new(Method::POST, "users").json(&serde_json::json!({"loginName": "x"})).unwrap();
    let err = client.raw().send(req).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(count(&emu, "POST", "/users"), 1);
}

#[tokio::test]
async fn malformed_replies_are_decode_errors() {
    // A CSDS reply without the service.
    let body =
        FaultAction::Status { status: 200, body: Some(r#"{"baseURIs":[]}"#.into()), retry_after: None };
    let emu = emulator_with(vec![fault("GET", "*/baseURI.json", None, body)]).await;
    let err = builder(&emu, api_key(&emu)).build().unwrap().raw().send(users_get()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("accountConfigReadOnly"), "{err}");
    assert_eq!(err.status(), Some(200));
    assert!(err.details().url.as_deref().unwrap().contains("/baseURI.json"));

    // A login reply without bearer.
    let body = FaultAction::Status { status: 200, body: Some(r#"{"csrf":"abc"}"#.into()), retry_after: None };
    let emu = emulator_with(vec![fault("POST", "*/login", None, body)]).await;
    let err = admin_client(&emu).raw().send(users_get()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.field(), Some("bearer"));

    // Non-JSON login reply.
    let emu = emulator_with(vec![fault("POST", "*/login", None, FaultAction::MalformedBody)]).await;
    let err = admin_client(&emu).raw().send(users_get()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn wrong_password_is_an_auth_error() {
    let emu = emulator().await;
    let client = builder(&emu, Credentials::password("admin", "wrong-password")).build().unwrap();
    let err = client.raw().send(users_get()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status(), Some(401));
    assert!(!err.to_string().contains("wrong-password"));
}

#[tokio::test]
async fn app_key_login_opens_a_session() {
    let emu = emulator().await;
    let b = emu.demo_app_login();
    let creds =
        Credentials::app_key_login(b.username, b.app_key, b.secret, b.access_token, b.access_token_secret);
    let client = builder(&emu, creds).build().unwrap();
    client.raw().send(users_get()).await.unwrap();
    let login = emu.request_log().into_iter().find(|r| r.path.ends_with("/login")).unwrap();
    assert!(login.body.contains("\"appKey\"") && login.body.contains("\"accessTokenSecret\""));
    assert_eq!(login.status, 200);
}

#[test]
fn bad_configuration_fails_before_any_io() {
    let creds = || Credentials::bearer("b");
    let cases: Vec<(lpconfig::ClientBuilder, &str)> = vec![
        (Client::builder().credentials(creds()), "account"),
        (Client::builder().account("").credentials(creds()), "account"),
        (Client::builder().account("has-dash").credentials(creds()), "account"),
        (Client::builder().account("a".repeat(21)).credentials(creds()), "account"),
        (Client::builder().account("ok"), "credentials"),
        (Client::builder().account("ok").credentials(Credentials::password("u", "")), "credentials.password"),
        (Client::builder().account("ok").credentials(creds()).csds_url("not a url"), "csds_url"),
        (
            Client::builder().account("ok").credentials(creds()).csds_url("http://api.liveperson.net"),
            "csds_url",
        ),
        (Client::builder().account("ok").credentials(creds()).api_version("v4"), "api_version"),
        (Client::builder().account("ok").credentials(creds()).batch_size(0), "batch_size"),
    ];
    for (b, field) in cases {
        let err = b.build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{field}");
        assert_eq!(err.field(), Some(field));
    }
}
