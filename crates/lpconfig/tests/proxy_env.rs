//! `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` never catch loopback traffic
//! (docs/network.md). Its own test binary: it sets process-wide variables.

mod common;

use common::*;
use lpconfig::ListOptions;
use lpconfig_emulator::net::RecordingProxy;

#[tokio::test]
async fn proxy_variables_leave_loopback_alone() {
    let emu = emulator().await;
    let proxy = RecordingProxy::start(None).await.unwrap();
    for name in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::set_var(name, proxy.url());
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    let client = admin_client(&emu); // http://127.0.0.1:PORT, password login
    let users = client.users().list(&ListOptions::default()).await.unwrap().value;
    assert!(!users.is_empty());
    client.close().await.unwrap();
    assert_eq!(proxy.requests(), Vec::<String>::new(), "the proxy saw loopback traffic");
    assert!(emu.request_log().iter().any(|r| r.path.ends_with("/login")));
}
