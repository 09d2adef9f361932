//! No password, bearer, csrf or API-key secret in logs, errors or `Debug`.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use lpconfig::{ApiRequest, Credentials, Method};
use lpconfig_emulator::{FaultAction, FaultRule};

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

#[tokio::test]
async fn secrets_never_leak() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emu = emulator_with(vec![FaultRule {
        method: Some("GET".into()),
        path: "*/le-users/skills".into(),
        count: None,
        action: FaultAction::Status { status: 500, body: None, retry_after: None },
    }])
    .await;
    let mut texts = Vec::new();

    // Password session: login, refresh, re-login after expiry, a failing call, logout.
    let client = builder(&emu, Credentials::password(ADMIN.0, ADMIN.1))
        .refresh_interval(Duration::from_millis(50))
        .build()
        .unwrap();
    client.raw().send(ApiRequest::new(Method::GET, "users")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(120)).await;
    emu.expire_sessions();
    client.raw().send(ApiRequest::new(Method::GET, "users")).await.unwrap();
    let err = client.raw().send(ApiRequest::new(Method::GET, "skills")).await.unwrap_err();
    texts.push(format!("{err} {err:?}"));
    texts.push(format!("{client:?}"));
    client.close().await.unwrap();

    // Wrong password and tampered API key.
    let bad = builder(&emu, Credentials::password(ADMIN.0, "Wrong-Secret-PW")).build().unwrap();
    let err = bad.raw().send(ApiRequest::new(Method::GET, "users")).await.unwrap_err();
    texts.push(format!("{err} {err:?} {bad:?}"));
    let k = emu.demo_api_key();
    let signed = builder(
        &emu,
        Credentials::api_key(
            k.app_key.clone(),
            "Tampered-Secret",
            k.access_token.clone(),
            k.access_token_secret.clone(),
        ),
    )
    .build()
    .unwrap();
    let err = signed.raw().send(ApiRequest::new(Method::GET, "users")).await.unwrap_err();
    texts.push(format!("{err} {err:?} {signed:?}"));

    // Collect every secret that was on the wire.
    let log = emu.request_log();
    let mut secrets = vec![
        ADMIN.1.to_owned(),
        "Wrong-Secret-PW".into(),
        "Tampered-Secret".into(),
        k.secret.clone(),
        k.access_token_secret.clone(),
    ];
    for r in &log {
        for (name, value) in &r.headers {
            if name.eq_ignore_ascii_case("authorization") && value.starts_with("Bearer ") {
                secrets.push(value["Bearer ".len()..].to_owned());
            }
            if name.eq_ignore_ascii_case("cookie") {
                secrets.push(
                    value
                        .split("Session_id=")
                        .nth(1)
                        .unwrap_or_default()
                        .split(';')
                        .next()
                        .unwrap()
                        .to_owned(),
                );
            }
        }
        if r.path.ends_with("/refresh") || r.path.ends_with("/logout") {
            let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            secrets.push(v["csrf"].as_str().unwrap().to_owned());
        }
    }
    secrets.retain(|s| s.len() >= 8);
    assert!(secrets.len() >= 8, "expected bearers, csrf tokens and cookies on the wire: {}", secrets.len());
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("lpconfig"), "logs were captured");
    for s in &secrets {
        assert!(!logs.contains(s.as_str()), "a secret leaked into the logs");
        for t in &texts {
            assert!(!t.contains(s.as_str()), "a secret leaked into an error or Debug: {t}");
        }
    }
}
