//! `lpconfig scim serve`: one start line, the bearer from the environment or a file,
//! never the token in the output.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

const TOKEN: &str = "cli-test-token-0123456789";

fn http_get(addr: &str, path: &str, token: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_sandbox_prints_one_line_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("lpconfig"))
        .args(["scim", "serve", "--sandbox", "--listen", "127.0.0.1:0", "--token-file"])
        .arg(&token_file)
        .env_remove("LP_SCIM_TOKEN")
        .env("LPCONFIG_LOG", "lpconfig_scim=info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let url =
        line.trim().strip_prefix("scim: listening on ").unwrap_or_else(|| panic!("start line: {line:?}"));
    let rest = url.strip_prefix("http://").unwrap();
    let (addr, base) = rest.split_once('/').unwrap();
    assert_eq!(base, "scim/v2");
    assert_ne!(addr, "127.0.0.1:0");
    let ok = http_get(addr, "/scim/v2/Users?filter=userName%20eq%20%22admin%22", TOKEN);
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains("\"totalResults\":1"), "{ok}");
    let denied = http_get(addr, "/scim/v2/Users", "wrong-token-0123456789");
    assert!(denied.starts_with("HTTP/1.1 401"), "{denied}");
    child.kill().unwrap();
    child.wait().unwrap();
    let mut rest_out = String::new();
    out.read_to_string(&mut rest_out).unwrap();
    assert_eq!(rest_out, "", "exactly one line on stdout");
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("scim request"), "requests are logged: {err}");
    assert!(!err.contains(TOKEN) && !err.contains("wrong-token"), "no bearer in the log: {err}");
}

#[test]
fn serve_needs_a_token() {
    let out = Command::new(assert_cmd::cargo::cargo_bin("lpconfig"))
        .args(["scim", "serve", "--sandbox", "--listen", "127.0.0.1:0"])
        .env_remove("LP_SCIM_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("LP_SCIM_TOKEN"));
    let short = Command::new(assert_cmd::cargo::cargo_bin("lpconfig"))
        .args(["scim", "serve", "--sandbox", "--listen", "127.0.0.1:0"])
        .env("LP_SCIM_TOKEN", "short")
        .output()
        .unwrap();
    assert_eq!(short.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&short.stderr).contains("short\n"));
}
