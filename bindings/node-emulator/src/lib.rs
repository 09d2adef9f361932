//! The native half of the `lpconfig-emulator` npm package: `NativeEmulator`,
//! the Rust emulator started in-process on napi's tokio runtime, for
//! `lpconfig/testing`. A separate addon so the production `lpconfig` addon does
//! not link the emulator (axum, hyper server); see `docs/packaging/node.md`.

use std::sync::Mutex;
use std::time::Duration;

use lpconfig_emulator::{Emulator, FaultRule, RunningEmulator};
use napi_derive::napi;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    port: Option<u16>,
    seed_file: Option<String>,
    #[serde(default)]
    faults: Vec<FaultRule>,
    session_ttl_ms: Option<u64>,
}

fn out<T: Serialize + ?Sized>(value: &T) -> napi::Result<String> {
    serde_json::to_string(value).map_err(|e| napi::Error::from_reason(format!("cannot encode result: {e}")))
}

fn bad(what: &str, e: impl std::fmt::Display) -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, format!("{what}: {e}"))
}

/// A running emulator; `stop()` shuts it down.
#[napi]
pub struct NativeEmulator {
    running: Mutex<Option<RunningEmulator>>,
    url: String,
    account: String,
    demo: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogEntry<'a> {
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    headers: serde_json::Map<String, serde_json::Value>,
    body: &'a str,
    status: u16,
}

impl NativeEmulator {
    fn with<T>(&self, f: impl FnOnce(&RunningEmulator) -> T) -> napi::Result<T> {
        let guard = self.running.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(f).ok_or_else(|| napi::Error::from_reason("the emulator was stopped"))
    }
}

#[napi]
impl NativeEmulator {
    /// Starts an emulator on 127.0.0.1 (options as JSON; faults in the
    /// emulator's rule format).
    #[napi(factory)]
    pub async fn start(options: Option<String>) -> napi::Result<NativeEmulator> {
        let o: Options = match options {
            Some(t) => serde_json::from_str(&t).map_err(|e| bad("emulator options", e))?,
            None => Options::default(),
        };
        let mut b = Emulator::builder().port(o.port.unwrap_or(0)).faults(o.faults);
        if let Some(path) = o.seed_file {
            b = b.seed_file(path);
        }
        if let Some(ms) = o.session_ttl_ms {
            b = b.session_ttl(Duration::from_millis(ms));
        }
        let emu = b.start().await.map_err(|e| napi::Error::from_reason(e.to_string()))?;
        let demo = serde_json::json!({
            "password": emu.state().seed.accounts[0].users.first().map(|u| serde_json::json!({
                "type": "password", "username": u.username, "password": u.password,
            })),
            "appKeyLogin": emu.state().seed.accounts[0].app_logins.first().map(|a| serde_json::json!({
                "type": "appKeyLogin", "username": a.username, "appKey": a.app_key, "secret": a.secret,
                "accessToken": a.access_token, "accessTokenSecret": a.access_token_secret,
            })),
            "apiKey": emu.state().seed.accounts[0].api_keys.first().map(|k| serde_json::json!({
                "type": "apiKey", "appKey": k.app_key, "secret": k.secret,
                "accessToken": k.access_token, "accessTokenSecret": k.access_token_secret,
            })),
        });
        Ok(NativeEmulator {
            url: emu.base_url(),
            account: emu.account(),
            demo: demo.to_string(),
            running: Mutex::new(Some(emu)),
        })
    }

    /// `http://127.0.0.1:PORT`: the CSDS base URL for clients.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The seed's first account id.
    #[napi(getter)]
    pub fn account(&self) -> String {
        self.account.clone()
    }

    /// The seed's credentials (JSON `{ password, appKeyLogin, apiKey }`, each
    /// a ready `credentials` object or null). Test data, not real secrets.
    #[napi]
    pub fn seed_credentials(&self) -> String {
        self.demo.clone()
    }

    /// Adds a fault rule (JSON in the emulator's format).
    #[napi]
    pub fn add_fault(&self, rule: String) -> napi::Result<()> {
        let rule = FaultRule::from_json(&rule).map_err(|e| bad("fault rule", e))?;
        self.with(|e| e.add_fault(rule))
    }

    /// Removes every fault rule.
    #[napi]
    pub fn clear_faults(&self) -> napi::Result<()> {
        self.with(RunningEmulator::clear_faults)
    }

    /// Every request so far (JSON array), in completion order.
    #[napi]
    pub fn request_log(&self) -> napi::Result<String> {
        let log = self.with(RunningEmulator::request_log)?;
        let entries: Vec<LogEntry<'_>> = log
            .iter()
            .map(|r| LogEntry {
                method: &r.method,
                path: &r.path,
                query: r.query.as_deref(),
                headers: r.headers.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect(),
                body: &r.body,
                status: r.status,
            })
            .collect();
        out(&entries)
    }

    /// Forgets the request log.
    #[napi]
    pub fn clear_request_log(&self) -> napi::Result<()> {
        self.with(RunningEmulator::clear_request_log)
    }

    /// Ends every login session (their bearers get 401 from then on).
    #[napi]
    pub fn expire_sessions(&self) -> napi::Result<()> {
        self.with(RunningEmulator::expire_sessions)
    }

    /// Live login sessions.
    #[napi]
    pub fn session_count(&self) -> napi::Result<u32> {
        self.with(|e| e.sessions().len() as u32)
    }

    /// Stops accepting and waits for open connections; idempotent.
    #[napi]
    pub async fn stop(&self) -> napi::Result<()> {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(emu) = running {
            emu.shutdown().await;
        }
        Ok(())
    }
}
