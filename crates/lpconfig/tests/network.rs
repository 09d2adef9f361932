//! TLS trust and proxies (docs/network.md): a private CA made in the test, an
//! HTTPS front before the emulator, and a recording proxy on loopback.

mod common;

use std::time::Duration;

use common::*;
use lpconfig::{Client, Credentials, ErrorKind, ListOptions};
use lpconfig_emulator::net::{RecordingProxy, TestCa, TlsFront};
use lpconfig_emulator::RunningEmulator;

/// The emulator behind an HTTPS front whose certificate a fresh private CA signed.
struct Https {
    emu: RunningEmulator,
    front: TlsFront,
    ca_file: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn https() -> Https {
    let emu = emulator().await;
    let ca = TestCa::new(&["localhost", "lp.test"]);
    let front = TlsFront::start(&ca, emu.addr()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.write_ca(dir.path()).unwrap();
    Https { emu, front, ca_file, _dir: dir }
}

fn client_at(csds: &str) -> lpconfig::ClientBuilder {
    Client::builder()
        .account(ACCOUNT)
        .credentials(Credentials::password(ADMIN.0, ADMIN.1))
        .csds_url(csds)
        .request_timeout(Duration::from_secs(10))
        .proxy("none")
}

#[tokio::test]
async fn a_private_ca_is_trusted_through_ca_bundle() {
    let h = https().await;
    let client = client_at(&format!("https://localhost:{}", h.front.port()))
        .ca_bundle(&h.ca_file)
        .retry(fast_retry().0)
        .build()
        .unwrap();
    let users = client.users().list(&ListOptions::default()).await.unwrap().value;
    assert!(!users.is_empty());
    assert!(h.front.handshakes() >= 1, "CSDS went over TLS");
    assert!(h.emu.request_log().iter().any(|r| r.path.contains("baseURI")), "CSDS reached the emulator");
}

#[tokio::test]
async fn an_untrusted_certificate_fails_at_once_with_the_fix() {
    let h = https().await;
    let (policy, retries) = fast_retry();
    let client = client_at(&format!("https://localhost:{}", h.front.port())).retry(policy).build().unwrap();
    let err = client.users().list(&ListOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(err.attempts(), 1, "never retried: {err}");
    assert!(retries.lock().unwrap().is_empty(), "no retry was even scheduled");
    let text = err.to_string();
    for needed in ["localhost", "not trusted", "ca_bundle", "--ca-bundle", "SSL_CERT_FILE"] {
        assert!(text.contains(needed), "{needed:?} missing from: {text}");
    }
    assert_eq!(h.front.handshakes(), 0);
    assert!(h.emu.request_log().is_empty(), "nothing got through");
}

#[tokio::test]
async fn a_bad_ca_bundle_path_is_a_config_error() {
    let err = client_at("https://localhost:1").ca_bundle("/nonexistent/corp-ca.pem").build().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_eq!(err.field(), Some("ca_bundle"));
    let err = client_at("https://localhost:1").proxy("proxy.corp:3128").build().unwrap_err();
    assert_eq!(err.field(), Some("proxy"));
}

#[tokio::test]
async fn a_proxied_host_gets_only_a_connect_and_loopback_goes_direct() {
    let h = https().await;
    let proxy = RecordingProxy::start(Some(h.front.addr())).await.unwrap();
    // lp.test is not loopback: it goes through the proxy (which tunnels it to the
    // HTTPS front); the emulator's CSDS answers with 127.0.0.1, which goes direct.
    let client = client_at("https://lp.test")
        .proxy(proxy.url())
        .ca_bundle(&h.ca_file)
        .retry(fast_retry().0)
        .build()
        .unwrap();
    client.users().list(&ListOptions::default()).await.unwrap();
    client.close().await.unwrap();
    let log = proxy.log();
    assert!(!log.heads.is_empty(), "CSDS went through the proxy");
    for head in &log.heads {
        assert!(head.starts_with("CONNECT lp.test:443 HTTP/1.1\r\n"), "only CONNECTs: {head:?}");
        assert!(!head.to_ascii_lowercase().contains("authorization"), "{head:?}");
    }
    let tunneled = String::from_utf8_lossy(&log.tunneled);
    assert!(!tunneled.contains(ADMIN.1) && !tunneled.contains("GET "), "the tunnel carries TLS only");
    // The login (password in its body) went straight to the emulator on loopback.
    assert!(h.emu.request_log().iter().any(|r| r.path.ends_with("/login")));
}
