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

/// `--control-stdin`: JSON commands on stdin, one answer line each, exit when stdin closes
/// (how `lpconfig.testing` drives it; `lpconfig_emulator::control`).
#[tokio::test]
async fn control_over_stdin_and_exit_when_it_closes() {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_lpconfig-emulator"))
        .args(["--port", "0", "--control-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines.next().unwrap().unwrap().replace("lpconfig-emulator listening on ", "");
    assert_eq!(lines.next().unwrap().unwrap(), "account: demo");
    let mut ask = |cmd: &str| -> serde_json::Value {
        writeln!(stdin, "{cmd}").unwrap();
        serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap()
    };

    let info = ask(r#"{"op":"info"}"#);
    assert_eq!(info["ok"]["url"], base.as_str());
    assert_eq!(info["ok"]["user"][0], "admin");
    assert_eq!(
        ask(r#"{"op":"add_fault","rule":{"path":"*/sentinel/*","action":{"type":"status","status":418}}}"#)
            ["ok"],
        serde_json::Value::Null
    );
    assert!(ask(r#"{"op":"add_fault","rule":{}}"#)["error"].as_str().unwrap().contains("bad fault rule"));
    assert!(ask(r#"{"op":"nope"}"#)["error"].as_str().unwrap().contains("unknown op"));

    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{base}/api/account/demo/service/sentinel/baseURI.json?version=1.0");
    assert_eq!(http.get(&url).send().await.unwrap().status(), 418);
    let log = ask(r#"{"op":"request_log"}"#);
    assert_eq!(log["ok"][0]["status"], 418);
    assert_eq!(log["ok"][0]["path"], "/api/account/demo/service/sentinel/baseURI.json");
    ask(r#"{"op":"clear_faults"}"#);
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);

    drop(stdin); // the harness went away: the emulator must not outlive it
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the emulator kept running after stdin closed");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
