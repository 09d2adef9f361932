//! The native half of the `lpconfig` npm package: a thin napi-rs layer over the
//! `lpconfig` core. It converts (entities cross as JSON text, which the JS side
//! parses with the engine's fast `JSON.parse`), maps errors to a structured
//! payload that `node/errors.js` turns into `LpError` subclasses, and bridges
//! async calls onto napi's tokio runtime so every call is a Promise. No rule of
//! the API lives here: everything is a call into the core.

mod agent_groups;
mod catalog;
mod client;
mod completions;
mod config;
mod convert;
mod error;
mod hooks;
mod sync;
mod users;

pub use agent_groups::NativeAgentGroups;
pub use catalog::NativeCatalog;
pub use client::NativeClient;
pub use completions::NativeCompletions;
pub use config::settings_from_env;
pub use hooks::set_log_handler;
pub use sync::{NativeApplied, NativeCancelToken, NativePlan, NativeSync};
pub use users::NativeUsers;

/// The core's public surface as JSON (`lpconfig::surface`), for the parity tests.
#[napi_derive::napi]
pub fn surface() -> String {
    lpconfig::surface::to_json()
}
