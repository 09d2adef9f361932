//! # lpconfig
//!
//! Manage a LivePerson Conversational Cloud account's users and agent groups.
//!
//! Layers, lowest first (a module imports only from layers below it):
//! [`transport`] (HTTP, retries) ← [`auth`] (OAuth1, Login Service) ←
//! [`domain`] (CSDS) ← [`api`] (account-config collections) ← [`Client`].
//!
//! ```
//! # #[tokio::main] async fn main() -> lpconfig::Result<()> {
//! use lpconfig::{Client, Credentials, ListOptions};
//! // A local emulator stands in for LivePerson here; in production leave out
//! // `csds_url` and use your account id and credentials.
//! let emu = lpconfig_emulator::Emulator::builder().demo().start().await.unwrap();
//! let client = Client::builder()
//!     .account("demo")
//!     .credentials(Credentials::password("admin", "demo-password-1"))
//!     .csds_url(emu.base_url())
//!     .build()?;
//! let users = client.users().list(&ListOptions::default()).await?;
//! assert_eq!(users.value.len(), 20);
//! let tree = client.agent_groups().tree().await?;
//! assert_eq!(tree[0].group.name.as_deref(), Some("Main Group"));
//! client.close().await?;
//! # Ok(()) }
//! ```

pub mod api;
pub mod auth;
mod client;
pub mod domain;
pub mod env;
mod error;
pub mod log_bridge;
mod revision;
mod secret;
pub mod settings;
pub mod surface;
pub mod transport;

pub use api::{ApiRequest, Gateway, ListOptions};
pub use auth::Credentials;
pub use client::{validate_account, Client, ClientBuilder, Config};
pub use error::{BatchProgress, Error, ErrorDetails, ErrorKind, FieldError, Result};
pub use reqwest::Method;
pub use revision::{Fetched, IfMatch, Revision, Versioned};
pub use secret::Secret;
pub use transport::{RetryEvent, RetryPolicy, RetryReason};

/// The Rust examples of the repository's README, compiled and run as doctests
/// (`scripts/readme_blocks.py` checks that every other README block is run by
/// its language's test stage or marked as not run).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
