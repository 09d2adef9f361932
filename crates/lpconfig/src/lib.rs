//! # lpconfig
//!
//! Manage a LivePerson Conversational Cloud account's users and agent groups.
//!
//! Layers, lowest first (a module imports only from layers below it):
//! [`transport`] (HTTP, retries) ← [`auth`] (OAuth1, Login Service) ←
//! [`domain`] (CSDS) ← [`api`] (account-config collections) ← [`Client`].
//!
//! ```no_run
//! # async fn run() -> lpconfig::Result<()> {
//! use lpconfig::{ApiRequest, Client, Credentials};
//! let client = Client::builder()
//!     .account("12345678")
//!     .credentials(Credentials::password("admin", "secret"))
//!     .build()?;
//! let resp = client.raw().send(ApiRequest::new(reqwest::Method::GET, "users").query("select", "$all")).await?;
//! println!("revision {:?}", resp.header("ac-revision"));
//! client.close().await?;
//! # Ok(()) }
//! ```

pub mod api;
pub mod auth;
mod client;
pub mod domain;
mod error;
mod revision;
mod secret;
pub mod transport;

pub use api::{ApiRequest, Gateway, ListOptions};
pub use auth::Credentials;
pub use client::{validate_account, Client, ClientBuilder, Config};
pub use error::{BatchProgress, Error, ErrorDetails, ErrorKind, Result};
pub use reqwest::Method;
pub use revision::{Fetched, IfMatch, Revision, Versioned};
pub use secret::Secret;
pub use transport::{RetryEvent, RetryPolicy, RetryReason};
