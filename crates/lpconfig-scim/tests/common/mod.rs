//! A SCIM bridge over an in-process demo emulator, and a small HTTP client for it.
#![allow(dead_code)]

use lpconfig::{Client, Credentials};
use lpconfig_emulator::{Emulator, RunningEmulator};
use lpconfig_scim::{Mapping, Server, Store};
use serde_json::Value;

pub const TOKEN: &str = "test-token-0123456789abcdef";

pub struct Harness {
    pub emu: RunningEmulator,
    pub url: String,
    pub http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Harness {
    pub async fn start() -> Self {
        Self::with_mapping(Mapping::default()).await
    }

    pub async fn with_mapping(mapping: Mapping) -> Self {
        let emu = Emulator::builder().demo().start().await.expect("emulator");
        let client = Client::builder()
            .account(emu.account())
            .csds_url(emu.base_url())
            .credentials(Credentials::password("admin", "demo-password-1"))
            .build()
            .expect("client");
        let server =
            Server::bind("127.0.0.1:0", client, mapping, Store::memory().unwrap(), TOKEN.into(), None)
                .await
                .expect("bind");
        server.check_mapping().await.expect("the mapping fits the demo account");
        let url = server.url();
        let (tx, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(server.run(async {
            let _ = rx.await;
        }));
        Self { emu, url, http: reqwest::Client::new(), stop: Some(tx) }
    }

    /// Sends a request with the right bearer; returns status and JSON body (Null when empty).
    pub async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.call_as(method, path, body, Some(TOKEN)).await
    }

    pub async fn call_as(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        token: Option<&str>,
    ) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(m, format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/scim+json").body(b.to_string());
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (
            status,
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            },
        )
    }

    /// The emulator's stored (unmasked) user with this login name.
    pub fn stored_user(&self, login: &str) -> Option<Value> {
        self.emu
            .with_store(&self.emu.account(), |s| {
                let id = s.find_user_by_login(login)?["id"].as_i64()?;
                s.stored(lpconfig_emulator::store::CollectionKind::Users, id)
            })
            .flatten()
    }

    /// A snapshot of every stored user and group (to prove nothing was written).
    pub fn snapshot(&self) -> (Vec<Value>, Vec<Value>) {
        use lpconfig_emulator::store::CollectionKind;
        self.emu
            .with_store(&self.emu.account(), |s| {
                (s.list(CollectionKind::Users, true), s.list(CollectionKind::AgentGroups, true))
            })
            .unwrap()
    }

    pub fn group_id(&self, name: &str) -> Option<i64> {
        let (_, groups) = self.snapshot();
        groups.iter().find(|g| g["name"] == name && g["deleted"] != true).and_then(|g| g["id"].as_i64())
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}
