//! Starting and controlling an emulator: [`Emulator::builder`] → [`RunningEmulator`].

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app;
use crate::csds::CsdsShape;
use crate::faults::FaultRule;
use crate::request_log::LoggedRequest;
use crate::seed::{ApiKey, AppClient, AppKeyLogin, Seed, SeedError, SeedUser};
use crate::server;
use crate::sessions::SessionInfo;
use crate::state::{AppState, Settings};
use crate::store::AccountStore;

/// Entry point: `Emulator::builder().demo().start().await`.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with the demo seed, no faults, single-object CSDS, 8 h sessions, a
    /// 300 s OAuth timestamp window and an ephemeral port.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            seed: SeedSource::Given(Seed::demo()),
            faults: Vec::new(),
            settings: Settings::default(),
            port: 0,
        }
    }
}

#[derive(Debug)]
enum SeedSource {
    Given(Seed),
    File(PathBuf),
}

/// Configures an emulator before it starts.
#[derive(Debug)]
#[must_use = "a builder does nothing until start() is awaited"]
pub struct EmulatorBuilder {
    seed: SeedSource,
    faults: Vec<FaultRule>,
    settings: Settings,
    port: u16,
}

/// Why an emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// The seed could not be loaded.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// The port could not be bound on 127.0.0.1.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// Requested port (0 = ephemeral).
        port: u16,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl EmulatorBuilder {
    /// Uses this seed.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = SeedSource::Given(seed);
        self
    }

    /// Loads the seed from a TOML or JSON file when starting.
    pub fn seed_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.seed = SeedSource::File(path.into());
        self
    }

    /// Uses the built-in demo seed (the default).
    pub fn demo(self) -> Self {
        self.seed(Seed::demo())
    }

    /// Adds fault rules (after any from the seed).
    pub fn faults(mut self, rules: Vec<FaultRule>) -> Self {
        self.faults.extend(rules);
        self
    }

    /// Shape of per-service CSDS answers.
    pub fn csds_shape(mut self, shape: CsdsShape) -> Self {
        self.settings.csds_shape = shape;
        self
    }

    /// Session lifetime after login or refresh (default 8 h, as documented).
    pub fn session_ttl(mut self, ttl: Duration) -> Self {
        self.settings.session_ttl = ttl;
        self
    }

    /// Lifetime of Sentinel access tokens (default 1 h; whole seconds, at least 1).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.settings.token_ttl = ttl;
        self
    }

    /// Largest accepted clock distance of `oauth_timestamp` (default 300 s).
    pub fn oauth_window(mut self, window: Duration) -> Self {
        self.settings.oauth_window = window;
        self
    }

    /// How many requests the request log keeps, the most recent ones
    /// (default [`crate::request_log::DEFAULT_CAPACITY`]).
    pub fn request_log_capacity(mut self, n: usize) -> Self {
        self.settings.request_log_capacity = n;
        self
    }

    /// Benchmark mode: no request log and a cheap password hash (1 PBKDF2 round
    /// instead of 1000), so timings measure the client. The stored hash keeps its
    /// documented shape; only the round count in it differs.
    pub fn bench_mode(mut self, on: bool) -> Self {
        self.settings.record_requests = !on;
        self.settings.password_rounds = if on { 1 } else { crate::store::password::ROUNDS };
        self
    }

    /// Port on 127.0.0.1; 0 (the default) picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds 127.0.0.1 and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<RunningEmulator, EmulatorError> {
        let seed = match self.seed {
            SeedSource::Given(seed) => seed,
            SeedSource::File(path) => Seed::from_file(path)?,
        };
        let port = self.port;
        let bind_err = |source| EmulatorError::Bind { port, source };
        let listener =
            TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await.map_err(bind_err)?;
        let addr = listener.local_addr().map_err(bind_err)?;
        let state = Arc::new(AppState::new(seed, self.settings, addr.to_string()));
        for rule in self.faults {
            state.faults.add(rule);
        }
        let (shutdown, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, app::router(state.clone()), shutdown_rx));
        tracing::debug!(%addr, "emulator listening");
        Ok(RunningEmulator { state, addr, shutdown, task: Some(task) })
    }
}

/// A started emulator. Dropping it stops accepting connections and lets open ones
/// finish; [`RunningEmulator::shutdown`] also waits for that.
#[derive(Debug)]
pub struct RunningEmulator {
    state: Arc<AppState>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT`, to use as the client's CSDS base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:PORT`, what CSDS answers as `baseURI`.
    pub fn host_port(&self) -> String {
        self.addr.to_string()
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Shared state (seed, sessions, faults, log), also what the routes see.
    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    /// The most recent requests (up to the log's capacity), in completion order;
    /// always empty in benchmark mode.
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        self.state.log.snapshot()
    }

    /// Forgets the request log.
    pub fn clear_request_log(&self) {
        self.state.log.clear();
    }

    /// Adds a fault rule, checked after the existing ones.
    pub fn add_fault(&self, rule: FaultRule) {
        self.state.faults.add(rule);
    }

    /// How many requests a fault rule hit so far.
    pub fn faults_injected(&self) -> u64 {
        self.state.faults.injected()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// Ends every login session; their bearers get `401` from then on.
    pub fn expire_sessions(&self) {
        self.state.sessions.expire_all();
    }

    /// Revokes every Sentinel token issued so far (they get `401` from then on).
    pub fn revoke_tokens(&self) {
        self.state.sentinel.revoke_all();
    }

    /// Sentinel tokens issued since start.
    pub fn tokens_issued(&self) -> usize {
        self.state.sentinel.issued()
    }

    /// First OAuth 2.0 app client of the first account.
    ///
    /// # Panics
    /// When the seed's first account has no app client.
    pub fn demo_app_client(&self) -> AppClient {
        self.state.seed.accounts[0]
            .app_clients
            .first()
            .cloned()
            .expect("the seed's first account has an app client")
    }

    /// Live login sessions (no secrets).
    pub fn sessions(&self) -> Vec<SessionInfo> {
        self.state.sessions.list()
    }

    /// Successful refreshes across all sessions since start.
    pub fn refresh_count(&self) -> usize {
        self.state.sessions.total_refreshes()
    }

    /// Runs `f` on an account's data store (users, groups, skills, ...), for
    /// setting up scenarios and asserting on stored state. `None` for an unknown account.
    pub fn with_store<R>(&self, account: &str, f: impl FnOnce(&mut AccountStore) -> R) -> Option<R> {
        let mut stores = self.state.stores.lock().expect("store lock");
        stores.get_mut(account).map(f)
    }

    /// Adds `n` valid agents to the first account (scale tests and benchmarks).
    pub fn insert_bulk_users(&self, n: usize) {
        let account = self.account();
        self.with_store(&account, |s| s.insert_bulk_users(n));
    }

    /// Id of the seed's first account (`demo` for the demo seed).
    pub fn account(&self) -> String {
        self.state.seed.accounts[0].id.clone()
    }

    /// First password user of the first account.
    ///
    /// # Panics
    /// When the seed's first account has no password user.
    pub fn demo_user(&self) -> SeedUser {
        self.state.seed.accounts[0]
            .users
            .first()
            .cloned()
            .expect("the seed's first account has a password user")
    }

    /// First app-key login of the first account.
    ///
    /// # Panics
    /// When the seed's first account has no app-key login.
    pub fn demo_app_login(&self) -> AppKeyLogin {
        self.state.seed.accounts[0]
            .app_logins
            .first()
            .cloned()
            .expect("the seed's first account has an app-key login")
    }

    /// First API key of the first account.
    ///
    /// # Panics
    /// When the seed's first account has no API key.
    pub fn demo_api_key(&self) -> ApiKey {
        self.state.seed.accounts[0]
            .api_keys
            .first()
            .cloned()
            .expect("the seed's first account has an API key")
    }

    /// Stops accepting, lets open connections finish (up to a few seconds) and waits.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        // Graceful, but without waiting: Drop cannot await.
        let _ = self.shutdown.send(true);
    }
}
