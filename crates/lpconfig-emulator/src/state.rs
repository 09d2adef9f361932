//! Shared state of one running emulator, handed to every handler as `Arc<AppState>`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::csds::CsdsShape;
use crate::faults::FaultSet;
use crate::nonces::NonceCache;
use crate::request_log::RequestLog;
use crate::seed::{Seed, SeedData};
use crate::sentinel::Sentinel;
use crate::sessions::SessionTable;
use crate::store::{AccountStore, StoreConfig};

/// Settings fixed at start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Shape of per-service CSDS answers.
    pub csds_shape: CsdsShape,
    /// Lifetime of a login session (reported as `sessionTTl`).
    pub session_ttl: Duration,
    /// Largest accepted distance between `oauth_timestamp` and the emulator's clock.
    pub oauth_window: Duration,
    /// How many requests the request log keeps (the most recent ones).
    pub request_log_capacity: usize,
    /// Lifetime of a Sentinel (OAuth 2.0) access token, whole seconds (default 1 h).
    pub token_ttl: Duration,
    /// Whether requests are recorded in the request log (off in benchmark mode, so
    /// a benchmark times the client rather than the emulator copying every body).
    pub record_requests: bool,
    /// PBKDF2 rounds for stored passwords (D13: 1000; benchmark mode: 1).
    pub password_rounds: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            csds_shape: CsdsShape::Single,
            session_ttl: Duration::from_millis(28_800_000),
            oauth_window: Duration::from_secs(300),
            request_log_capacity: crate::request_log::DEFAULT_CAPACITY,
            token_ttl: Duration::from_secs(3600),
            record_requests: true,
            password_rounds: crate::store::password::ROUNDS,
        }
    }
}

/// Everything the platform routes share. The collection routes reach it through
/// `State<Arc<AppState>>` as well.
#[derive(Debug)]
pub struct AppState {
    /// Accounts and credentials.
    pub seed: Seed,
    /// Settings fixed at start.
    pub settings: Settings,
    /// `127.0.0.1:PORT`: what CSDS answers as every service's `baseURI`.
    pub host_port: String,
    /// Login sessions.
    pub sessions: SessionTable,
    /// OAuth nonces already used.
    pub nonces: NonceCache,
    /// The OAuth 2.0 token server (client credentials).
    pub sentinel: Sentinel,
    /// Active fault rules.
    pub faults: FaultSet,
    /// The most recent requests seen.
    pub log: RequestLog,
    /// The account-config data of each account (users, groups, skills, ...).
    pub stores: Mutex<HashMap<String, AccountStore>>,
}

impl AppState {
    /// State for an emulator reachable at `host_port`; seed faults become active rules.
    pub fn new(seed: Seed, settings: Settings, host_port: String) -> AppState {
        let stores = seed
            .accounts
            .iter()
            .map(|a| {
                let mut store = match a.data {
                    SeedData::Demo => AccountStore::demo(&a.id),
                    SeedData::Empty => AccountStore::new(&a.id, StoreConfig::default()),
                };
                store.cfg.password_rounds = settings.password_rounds;
                (a.id.clone(), store)
            })
            .collect();
        AppState {
            stores: Mutex::new(stores),
            faults: FaultSet::new(seed.faults.clone()),
            sessions: SessionTable::new(settings.session_ttl),
            nonces: NonceCache::new(settings.oauth_window),
            sentinel: Sentinel::new(),
            seed,
            host_port,
            log: RequestLog::with_capacity(settings.request_log_capacity),
            settings,
        }
    }

    /// Whether an account with exactly this id exists.
    pub fn has_account(&self, account: &str) -> bool {
        self.seed.account(account).is_some()
    }
}
