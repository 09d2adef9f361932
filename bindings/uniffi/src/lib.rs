//! uniffi bindings of [`lpconfig`]: one native library from which Swift, Kotlin
//! (and Python) sources are generated (`generate.sh`).
//!
//! Thin by design: every method converts its arguments, runs the core call on
//! the binding's tokio runtime, and converts the result or the error. No
//! validation, retry or request logic lives here.

// `LpError` is lifted by value into Kotlin/Swift/Python; boxing its fields
// would not make the foreign exception any smaller.
#![allow(clippy::result_large_err)]

mod client;
mod config;
mod entities;
mod error;
mod hooks;
mod results;
mod runtime;
mod secret;
mod sync;

pub use client::{AgentGroups, Client, Lobs, Profiles, Skills, UserChange, Users};
pub use config::{client_config_from_env, ClientConfig, Credentials, IfMatch};
pub use entities::{AgentGroup, GroupLink, GroupNode, Lob, Profile, Skill, User};
pub use error::{BatchProgress, LpError};
pub use hooks::{set_logger, LogLevel, Logger, RetryEvent, RetryListener};
pub use results::*;
pub use secret::Secret;
pub use sync::{
    SyncCancelToken, SyncChange, SyncChangeResult, SyncClient, SyncError, SyncFieldChange, SyncInputProblem,
    SyncObserver, SyncOptions, SyncPlan, SyncProgress, SyncPrune, SyncReport, SyncSummary,
};

/// The core's public surface as JSON (`lpconfig::surface::to_json`: settings,
/// methods, error codes, entity fields), which the Kotlin parity test compares
/// the generated API with.
#[uniffi::export]
pub fn surface() -> String {
    lpconfig::surface::to_json()
}

uniffi::setup_scaffolding!();
