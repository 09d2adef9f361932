//! `NativeClient`: one core `Client` (connection pool, session, domain cache)
//! and the collection objects `client.js` wraps.

use napi_derive::napi;

use crate::agent_groups::NativeAgentGroups;
use crate::catalog::{CatalogKind, NativeCatalog};
use crate::config::build_client;
use crate::error::IntoNapi;
use crate::users::NativeUsers;

/// The native client. Holds no secret that JS can read: the credentials live
/// in the core's `Secret`s, and the class exposes no fields.
#[napi]
pub struct NativeClient {
    inner: lpconfig::Client,
}

#[napi]
impl NativeClient {
    /// Checks the options (JSON of `ClientOptions`) and builds the client; no I/O.
    #[napi(constructor)]
    pub fn new(options_json: String, on_retry: Option<crate::hooks::JsCallback>) -> napi::Result<Self> {
        Ok(Self { inner: build_client(&options_json, on_retry)? })
    }

    /// The account id.
    #[napi(getter)]
    pub fn account(&self) -> String {
        self.inner.account().to_owned()
    }

    /// The CSDS base URL in force.
    #[napi(getter)]
    pub fn csds_url(&self) -> String {
        self.inner.config().csds_url.to_string()
    }

    /// Which kind of credentials is in use (never their values).
    #[napi(getter)]
    pub fn credentials_type(&self) -> String {
        match self.inner.config().credentials {
            lpconfig::Credentials::Password { .. } => "password",
            lpconfig::Credentials::AppKeyLogin { .. } => "appKeyLogin",
            lpconfig::Credentials::ApiKey { .. } => "apiKey",
            lpconfig::Credentials::ClientCredentials { .. } => "clientCredentials",
            _ => "bearer",
        }
        .to_owned()
    }

    /// Every setting in force as JSON (`lpconfig::Config::effective`, Node's
    /// names, durations in ms); never a secret.
    #[napi]
    pub fn effective_settings(&self) -> String {
        self.inner.config().effective(lpconfig::surface::Style::Node).to_string()
    }

    /// Opens the Login Service session now.
    #[napi]
    pub async fn login(&self) -> napi::Result<()> {
        self.inner.login().await.napi()
    }

    /// Logs out and stops the refresh timer.
    #[napi]
    pub async fn close(&self) -> napi::Result<()> {
        self.inner.close().await.napi()
    }

    /// The Users API.
    #[napi]
    pub fn users(&self) -> NativeUsers {
        NativeUsers::new(self.inner.clone(), false)
    }

    /// The Agent Groups API.
    #[napi]
    pub fn agent_groups(&self) -> NativeAgentGroups {
        NativeAgentGroups::new(self.inner.clone())
    }

    /// HR sync (plan and apply).
    #[napi]
    pub fn sync(&self) -> crate::sync::NativeSync {
        crate::sync::NativeSync::new(self.inner.clone())
    }

    /// Skills, profiles or LOBs (`kind` is `skills`, `profiles` or `lobs`).
    #[napi]
    pub fn catalog(&self, kind: String) -> napi::Result<NativeCatalog> {
        Ok(NativeCatalog::new(self.inner.clone(), CatalogKind::parse(&kind)?))
    }
}
