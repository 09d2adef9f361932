//! An emulator (demo seed) and a client logged in as its admin.

#![allow(dead_code)]

use lpconfig::api::users::User;
use lpconfig::{Client, Credentials, ListOptions};
use lpconfig_emulator::{Emulator, LoggedRequest, RunningEmulator};

/// The demo admin's password (public test data of the emulator's demo seed).
pub const DEMO_PASSWORD: &str = "demo-password-1";

/// A running demo emulator and a client for it.
pub struct Account {
    /// The emulator.
    pub emu: RunningEmulator,
    /// The admin's client.
    pub client: Client,
}

impl Account {
    /// Starts the emulator (demo seed).
    pub async fn start() -> Self {
        let emu = Emulator::builder().demo().start().await.expect("emulator starts");
        let client = Client::builder()
            .account("demo")
            .csds_url(emu.base_url())
            .credentials(Credentials::password("admin", DEMO_PASSWORD))
            .build()
            .unwrap();
        Self { emu, client }
    }

    /// Non-deleted users.
    pub async fn users(&self) -> Vec<User> {
        let all = self.client.users().list(&ListOptions::default()).await.unwrap().value;
        all.into_iter().filter(|u| u.deleted != Some(true)).collect()
    }

    /// The non-deleted user with this login.
    pub async fn user(&self, login: &str) -> Option<User> {
        self.users().await.into_iter().find(|u| u.login_name.as_deref() == Some(login))
    }

    /// Requests that changed something (POST/PUT/DELETE on le-users collections).
    pub fn writes(&self) -> Vec<LoggedRequest> {
        self.emu
            .request_log()
            .into_iter()
            .filter(|r| r.method != "GET" && r.path.contains("/le-users/"))
            .collect()
    }
}
