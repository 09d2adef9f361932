//! Fault injection and the request log.

mod support;

use std::time::{Duration, Instant};

use lpconfig_emulator::{Emulator, FaultAction, FaultRule};
use serde_json::json;
use support::*;

fn csds_url(emu: &lpconfig_emulator::RunningEmulator) -> String {
    format!("{}/api/account/demo/service/agentVep/baseURI.json?version=1.0", emu.base_url())
}

#[tokio::test]
async fn status_fault_with_count_then_recovers() {
    let rule = FaultRule {
        method: Some("GET".into()),
        path: "*/baseURI.json".into(),
        count: Some(2),
        action: FaultAction::Status { status: 503, body: None, retry_after: None },
    };
    let emu = Emulator::builder().demo().faults(vec![rule]).start().await.unwrap();
    let url = csds_url(&emu);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(http().get(&url).send().await.unwrap().status().as_u16());
    }
    assert_eq!(statuses, [503, 503, 200]);
    // Other methods are not affected.
    let post = http().post(&url).send().await.unwrap().status().as_u16();
    assert_eq!(post, 405);
    let logged: Vec<u16> = emu.request_log().iter().map(|r| r.status).collect();
    assert_eq!(logged, [503, 503, 200, 405]);
}

#[tokio::test]
async fn retry_after_and_custom_body_at_runtime() {
    let emu = demo().await;
    let url = csds_url(&emu);
    emu.add_fault(FaultRule::new(
        "*/agentVep/*",
        FaultAction::Status {
            status: 429,
            body: Some(r#"{"busy":true}"#.into()),
            retry_after: Some("2".into()),
        },
    ));
    for _ in 0..2 {
        let resp = http().get(&url).send().await.unwrap();
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "2");
        assert_eq!(resp.headers()["content-type"], "application/json");
        assert_eq!(resp.text().await.unwrap(), r#"{"busy":true}"#);
    }
    emu.clear_faults();
    assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn latency_delays_then_answers() {
    let emu = demo().await;
    emu.add_fault(FaultRule::new("*", FaultAction::Latency(Duration::from_millis(300))).times(1));
    let url = csds_url(&emu);
    let t = Instant::now();
    assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(300), "{:?}", t.elapsed());
    // The rule is spent after one request: the second is not delayed. Counted, not
    // timed (an upper bound on elapsed time fails on a loaded machine).
    assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
    assert_eq!(emu.faults_injected(), 1);
}

#[tokio::test]
async fn reset_is_a_connection_error() {
    let emu = demo().await;
    emu.add_fault(FaultRule::new("*/baseURI.json", FaultAction::Reset).method("GET").times(2));
    let client = http();
    let url = csds_url(&emu);
    for _ in 0..2 {
        let err = client.get(&url).send().await.unwrap_err();
        assert!(err.status().is_none(), "{err:?}");
        assert!(err.is_request() || err.is_connect() || err.is_body(), "{err:?}");
    }
    // The same client (pool) and a fresh connection work afterwards.
    assert_eq!(client.get(&url).send().await.unwrap().status(), 200);
    let statuses: Vec<u16> = emu.request_log().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [0, 0, 200]);
}

#[tokio::test]
async fn malformed_body() {
    let emu = demo().await;
    emu.add_fault(FaultRule::new("*/login", FaultAction::MalformedBody).method("POST"));
    let resp = http()
        .post(format!("{}/api/account/demo/login?v=1.3", emu.base_url()))
        .json(&json!({"username": "admin", "password": "demo-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/json");
    assert_eq!(resp.text().await.unwrap(), "<html>oops");
    assert!(emu.sessions().is_empty(), "the login never ran");
}

#[tokio::test]
async fn faults_from_a_json_seed_file() {
    let dir = std::env::temp_dir().join(format!("lpconfig-emu-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.json");
    std::fs::write(
        &path,
        r#"{"accounts":[{"id":"acme_1","users":[{"username":"u","password":"p4ssword"}]}],
            "faults":[{"method":"GET","path":"*/baseURI.json","count":1,"action":{"type":"status","status":500}}]}"#,
    )
    .unwrap();
    let emu = Emulator::builder().seed_file(&path).start().await.unwrap();
    let url = format!("{}/api/account/acme_1/service/agentVep/baseURI.json?version=1.0", emu.base_url());
    assert_eq!(http().get(&url).send().await.unwrap().status(), 500);
    assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
    assert!(Emulator::builder().seed_file(dir.join("missing.toml")).start().await.is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn request_log_records_everything() {
    let emu = demo().await;
    let started = Instant::now();
    let resp = http()
        .post(format!("{}/api/account/demo/login?v=1.3", emu.base_url()))
        .header("x-probe", "yes")
        .json(&json!({"username": "admin", "password": "demo-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let log = emu.request_log();
    assert_eq!(log.len(), 1);
    let r = &log[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/api/account/demo/login");
    assert_eq!(r.query.as_deref(), Some("v=1.3"));
    assert_eq!(r.header("X-Probe"), Some("yes"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.headers.iter().any(|(k, _)| k == "host"));
    assert!(r.body.contains("\"username\":\"admin\""));
    assert_eq!(r.body.as_bytes(), &r.body_bytes[..]);
    assert_eq!(r.status, 200);
    assert!(r.at >= started);

    http().get(csds_url(&emu)).send().await.unwrap();
    assert_eq!(emu.request_log()[1].query.as_deref(), Some("version=1.0"));
    emu.clear_request_log();
    assert!(emu.request_log().is_empty());
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let emu = demo().await;
    let url = csds_url(&emu);
    assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
    emu.shutdown().await;
    assert!(http().get(&url).send().await.is_err());

    // Drop also stops it (without waiting).
    let emu = demo().await;
    let url = csds_url(&emu);
    drop(emu);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(http().get(&url).send().await.is_err());
}
