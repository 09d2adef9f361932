//! Shared helpers for the integration tests: an emulator on loopback and
//! clients pointed at it with millisecond retry delays.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lpconfig::{Client, ClientBuilder, Credentials, RetryEvent, RetryPolicy};
use lpconfig_emulator::{Emulator, FaultRule, RunningEmulator};

/// The demo account.
pub const ACCOUNT: &str = "demo";
/// The demo admin's login and password.
pub const ADMIN: (&str, &str) = ("admin", "demo-password-1");

/// A demo emulator on a free loopback port.
pub async fn emulator() -> RunningEmulator {
    Emulator::builder().demo().start().await.expect("emulator starts")
}

/// A demo emulator with these fault rules active.
pub async fn emulator_with(faults: Vec<FaultRule>) -> RunningEmulator {
    Emulator::builder().demo().faults(faults).start().await.expect("emulator starts")
}

/// Retry waits of 5/10/15 ms instead of seconds, and a log of every retry.
pub fn fast_retry() -> (RetryPolicy, Arc<Mutex<Vec<RetryEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let policy = RetryPolicy::documented()
        .with_server_delays([5, 10, 15].map(Duration::from_millis).to_vec())
        .with_rate_limit_base(Duration::from_millis(10))
        .on_retry(move |e| sink.lock().unwrap().push(e.clone()));
    (policy, events)
}

/// A client builder pointed at `emu` with fast retries.
pub fn builder(emu: &RunningEmulator, credentials: Credentials) -> ClientBuilder {
    Client::builder()
        .account(ACCOUNT)
        .credentials(credentials)
        .csds_url(emu.base_url())
        .retry(fast_retry().0)
        .request_timeout(Duration::from_secs(10))
}

/// A password-session client as the demo admin.
pub fn admin_client(emu: &RunningEmulator) -> Client {
    builder(emu, Credentials::password(ADMIN.0, ADMIN.1)).build().unwrap()
}

/// The demo API key as credentials.
pub fn api_key(emu: &RunningEmulator) -> Credentials {
    let k = emu.demo_api_key();
    Credentials::api_key(k.app_key, k.secret, k.access_token, k.access_token_secret)
}

/// How many requests with this method reached a path ending with `suffix`.
pub fn count(emu: &RunningEmulator, method: &str, suffix: &str) -> usize {
    emu.request_log().iter().filter(|r| r.method == method && r.path.ends_with(suffix)).count()
}

/// The JSON bodies of the POSTs to the users collection, in the order they arrived.
pub fn user_posts(emu: &RunningEmulator) -> Vec<serde_json::Value> {
    emu.request_log()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/users"))
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect()
}

/// How many items each batch body holds (a body that is not an array fails).
pub fn batch_sizes(bodies: &[serde_json::Value]) -> Vec<usize> {
    bodies.iter().map(|b| b.as_array().expect("batches are arrays").len()).collect()
}
