//! A running emulator for CLI tests, and `lpconfig` commands pointed at it with a
//! clean environment (no LP_* variables, an empty HOME).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::users::User;
use lpconfig::{Client, Credentials, ListOptions};
use lpconfig_emulator::{Emulator, LoggedRequest, RunningEmulator};

/// Environment variables the CLI reads; removed from every test command.
const ENV: [&str; 29] = [
    "LP_ACCOUNT",
    "LP_CLIENT_ID",
    "LP_CLIENT_SECRET",
    "LP_USERNAME",
    "LP_PASSWORD",
    "LP_APP_KEY",
    "LP_SECRET",
    "LP_ACCESS_TOKEN",
    "LP_ACCESS_TOKEN_SECRET",
    "LP_CSDS_URL",
    "LP_PROFILE",
    "LP_SANDBOX_URL",
    "LP_INITIAL_PASSWORD",
    "LPCONFIG_CONFIG",
    "LPCONFIG_LOG",
    "XDG_CONFIG_HOME",
    "LP_CA_BUNDLE",
    "LP_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

/// The demo admin's password (public test data of the emulator's demo seed).
pub const DEMO_PASSWORD: &str = "demo-password-1";

/// An `lpconfig` command with a clean environment and `home` as HOME.
pub fn bare(home: &Path) -> Command {
    let mut c = Command::cargo_bin("lpconfig").expect("the lpconfig binary is built");
    for k in ENV {
        c.env_remove(k);
    }
    c.env("HOME", home).env("NO_COLOR", "1").timeout(std::time::Duration::from_secs(120));
    c
}

/// An emulator (demo seed) on its own runtime, shared by the commands of one test.
pub struct Sandbox {
    /// The runtime the emulator and the checking client run on.
    pub rt: tokio::runtime::Runtime,
    /// The emulator.
    pub emu: RunningEmulator,
    /// An empty HOME for the commands.
    pub home: tempfile::TempDir,
}

impl Sandbox {
    /// Starts the emulator.
    pub fn start() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let emu = rt.block_on(Emulator::builder().demo().start()).expect("emulator starts");
        Self { rt, emu, home: tempfile::tempdir().unwrap() }
    }

    /// `lpconfig` against this emulator through `LP_SANDBOX_URL`.
    pub fn cmd(&self) -> Command {
        let mut c = bare(self.home.path());
        c.env("LP_SANDBOX_URL", self.emu.base_url());
        c
    }

    /// `lpconfig` against this emulator as a configured account (flags via env).
    pub fn account_cmd(&self) -> Command {
        let mut c = bare(self.home.path());
        c.env("LP_ACCOUNT", "demo")
            .env("LP_USERNAME", "admin")
            .env("LP_PASSWORD", DEMO_PASSWORD)
            .env("LP_CSDS_URL", self.emu.base_url());
        c
    }

    /// A core client for checking the emulator's state.
    pub fn client(&self) -> Client {
        Client::builder()
            .account("demo")
            .csds_url(self.emu.base_url())
            .credentials(Credentials::password("admin", DEMO_PASSWORD))
            .build()
            .unwrap()
    }

    /// Non-deleted users, read back through the core.
    pub fn users(&self) -> Vec<User> {
        let c = self.client();
        let all = self.rt.block_on(async { c.users().list(&ListOptions::default()).await }).unwrap().value;
        all.into_iter().filter(|u| u.deleted != Some(true)).collect()
    }

    /// The non-deleted user with this login name.
    pub fn user(&self, login: &str) -> Option<User> {
        self.users().into_iter().find(|u| u.login_name.as_deref() == Some(login))
    }

    /// Non-deleted groups.
    pub fn groups(&self) -> Vec<AgentGroup> {
        let c = self.client();
        let all =
            self.rt.block_on(async { c.agent_groups().list(&ListOptions::default()).await }).unwrap().value;
        all.into_iter().filter(|g| g.deleted != Some(true)).collect()
    }

    /// The non-deleted group with this name.
    pub fn group(&self, name: &str) -> Option<AgentGroup> {
        self.groups().into_iter().find(|g| g.name.as_deref() == Some(name))
    }

    /// The id of a skill.
    pub fn skill_id(&self, name: &str) -> i64 {
        let c = self.client();
        let all = self.rt.block_on(async { c.skills().list(&ListOptions::default()).await }).unwrap().value;
        all.iter().find(|s| s.name.as_deref() == Some(name)).and_then(|s| s.id).unwrap()
    }

    /// Requests that changed something (POST/PUT/DELETE on le-users collections).
    pub fn writes(&self) -> Vec<LoggedRequest> {
        self.emu
            .request_log()
            .into_iter()
            .filter(|r| r.method != "GET" && r.path.contains("/le-users/"))
            .collect()
    }

    /// Writes a file into the test's HOME and returns its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.home.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

/// The repository's `examples/staff.csv`.
pub fn staff_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/staff.csv")
}

/// stdout of a finished command as text.
pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr of a finished command as text.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
