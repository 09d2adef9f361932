//! A faithful local LivePerson LiveEngage emulator for tests and demos.
//!
//! It serves, on plain HTTP bound to 127.0.0.1 only: CSDS (every service points back
//! at the emulator), the Login Service (login, refresh, logout), OAuth 1.0a
//! verification of seeded API keys, Sentinel's OAuth 2.0 client-credentials tokens
//! (with scopes), and the account-config collections. Fault rules
//! make chosen requests fail, stall, reset or return garbage, and every request is
//! kept in an in-memory log for assertions.
//!
//! ```no_run
//! # async fn demo() -> Result<(), lpconfig_emulator::EmulatorError> {
//! use lpconfig_emulator::{Emulator, FaultAction, FaultRule};
//! let emu = Emulator::builder()
//!     .demo()
//!     .faults(vec![FaultRule::new("*/users", FaultAction::Reset).times(1)])
//!     .start()
//!     .await?;
//! println!("CSDS base: {}", emu.base_url());
//! # Ok(()) }
//! ```
//!
//! This crate deliberately does not depend on the `lpconfig` client: its OAuth 1.0a
//! verifier is an independent implementation that cross-checks the client's signer.

pub mod app;
pub mod auth_guard;
pub mod clock;
pub mod collections;
pub mod control;
pub mod csds;
pub mod emulator;
pub mod error_body;
pub mod faults;
pub mod intercept;
pub mod login;
#[cfg(feature = "net-testing")]
pub mod net;
pub mod nonces;
pub mod oauth1;
pub mod query_delta;
pub mod request_log;
pub mod seed;
pub mod sentinel;
pub mod server;
pub mod sessions;
pub mod state;
pub mod store;
pub mod token;

pub use auth_guard::{authorize, Denial, Principal};
pub use csds::CsdsShape;
pub use emulator::{Emulator, EmulatorBuilder, EmulatorError, RunningEmulator};
pub use faults::{FaultAction, FaultRule};
pub use request_log::LoggedRequest;
pub use seed::{ApiKey, AppClient, AppKeyLogin, Seed, SeedAccount, SeedData, SeedUser};
pub use sessions::SessionInfo;
pub use state::{AppState, Settings};
