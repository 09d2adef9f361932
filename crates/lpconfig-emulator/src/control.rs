//! Control of a running emulator from another process, one JSON object per line.
//!
//! `lpconfig-emulator --control-stdin` reads commands on stdin and answers each with one
//! line on stdout, after its two start-up lines; it exits when stdin closes, so a test
//! harness that dies takes its emulator with it. `lpconfig.testing` (Python) drives the
//! emulator this way, keeping the emulator out of the production extension (D23 in
//! `docs/packaging/python.md`).
//!
//! A command is `{"op": NAME, ...}`; the answer is `{"ok": VALUE}` or `{"error": MESSAGE}`.
//!
//! | op | arguments | `ok` |
//! | --- | --- | --- |
//! | `info` | | `{url, account, user, app_login, api_key}` (the seed's first of each, or null) |
//! | `add_fault` | `rule`: a fault rule object (the `--fault` format) | null |
//! | `clear_faults`, `clear_request_log`, `expire_sessions` | | null |
//! | `request_log` | | `[{method, path, query, headers, body, status}]` |
//! | `session_count`, `refresh_count` | | a number |
//! | `insert_bulk_users` | `n` | null |
//! | `stop` | | null, then the emulator shuts down |
//!
//! The answers carry the seed's credentials and the request log verbatim: they are for the
//! process that started the emulator, over its private pipe.
//!
//! ```
//! # async fn demo() -> Result<(), lpconfig_emulator::EmulatorError> {
//! let emu = lpconfig_emulator::Emulator::builder().demo().start().await?;
//! let answer = lpconfig_emulator::control::handle(&emu, r#"{"op":"session_count"}"#);
//! assert_eq!(answer.reply, r#"{"ok":0}"#);
//! # Ok(()) }
//! ```

use std::io::{BufRead, Write};

use serde_json::{json, Value};

use crate::{FaultRule, RunningEmulator};

/// The answer to one command line.
#[derive(Debug)]
pub struct Answer {
    /// The JSON line to send back (without the newline).
    pub reply: String,
    /// The command was `stop`: shut down after replying.
    pub stop: bool,
}

/// Runs one command line against `emu`.
pub fn handle(emu: &RunningEmulator, line: &str) -> Answer {
    let mut stop = false;
    let result =
        serde_json::from_str::<Value>(line).map_err(|e| format!("not a JSON command: {e}")).and_then(|cmd| {
            let op = cmd.get("op").and_then(Value::as_str).ok_or("missing \"op\"")?.to_owned();
            stop = op == "stop";
            run(emu, &op, &cmd)
        });
    let reply = match result {
        Ok(v) => json!({ "ok": v }),
        Err(e) => json!({ "error": e }),
    };
    Answer { reply: reply.to_string(), stop }
}

fn run(emu: &RunningEmulator, op: &str, cmd: &Value) -> Result<Value, String> {
    Ok(match op {
        "info" => info(emu),
        "add_fault" => {
            let rule = cmd.get("rule").ok_or("add_fault needs \"rule\"")?;
            let rule = FaultRule::from_json(&rule.to_string()).map_err(|e| format!("bad fault rule: {e}"))?;
            emu.add_fault(rule);
            Value::Null
        }
        "clear_faults" => {
            emu.clear_faults();
            Value::Null
        }
        "request_log" => Value::Array(
            emu.request_log()
                .into_iter()
                .map(|r| {
                    json!({"method": r.method, "path": r.path, "query": r.query,
                           "headers": r.headers, "body": r.body, "status": r.status})
                })
                .collect(),
        ),
        "clear_request_log" => {
            emu.clear_request_log();
            Value::Null
        }
        "expire_sessions" => {
            emu.expire_sessions();
            Value::Null
        }
        "session_count" => json!(emu.sessions().len()),
        "refresh_count" => json!(emu.refresh_count()),
        "insert_bulk_users" => {
            let n = cmd.get("n").and_then(Value::as_u64).ok_or("insert_bulk_users needs \"n\"")?;
            emu.insert_bulk_users(usize::try_from(n).map_err(|e| e.to_string())?);
            Value::Null
        }
        "stop" => Value::Null,
        other => return Err(format!("unknown op {other:?}")),
    })
}

fn info(emu: &RunningEmulator) -> Value {
    let state = emu.state();
    let first = state.seed.accounts.first();
    let user = first.and_then(|a| a.users.first()).map(|u| json!([u.username, u.password]));
    let app_login = first
        .and_then(|a| a.app_logins.first())
        .map(|l| json!([l.username, l.app_key, l.secret, l.access_token, l.access_token_secret]));
    let api_key = first
        .and_then(|a| a.api_keys.first())
        .map(|k| json!([k.app_key, k.secret, k.access_token, k.access_token_secret]));
    json!({"url": emu.base_url(), "account": emu.account(), "user": user,
           "app_login": app_login, "api_key": api_key})
}

/// Answers command lines from stdin on stdout until stdin closes or a `stop` command.
pub async fn serve_stdio(emu: &RunningEmulator) -> std::io::Result<()> {
    // Blocking reads on a thread of their own (tokio's stdin would need another feature of
    // the workspace's tokio); the lines come over a channel that closes at end of input.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<std::io::Result<String>>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    while let Some(line) = rx.recv().await {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = handle(emu, &line);
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", answer.reply)?;
        out.flush()?;
        if answer.stop {
            break;
        }
    }
    Ok(())
}
