//! The `lpconfig-emulator` binary prints its URL and serves until killed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn binary_prints_url_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lpconfig-emulator"))
        .args(["--port", "0", "--csds-shape", "list"])
        .arg("--fault")
        .arg(r#"{"method":"GET","path":"*/sentinel/*","action":{"type":"status","status":418}}"#)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let base = first
        .strip_prefix("lpconfig-emulator listening on ")
        .unwrap_or_else(|| panic!("first line: {first}"))
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(second, "account: demo");

    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{base}/api/account/demo/service/agentVep/baseURI.json?version=1.0");
    let body: serde_json::Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["baseURIs"][0]["baseURI"], base.trim_start_matches("http://"));
    let faulted = http.get(url.replace("agentVep", "sentinel")).send().await.unwrap();
    assert_eq!(faulted.status(), 418);

    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn bad_arguments_fail() {
    let out = Command::new(env!("CARGO_BIN_EXE_lpconfig-emulator"))
        .args(["--fault", "{not json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_lpconfig-emulator"))
        .args(["--seed", "/nonexistent/seed.toml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("seed"));
}
