//! The profile file `~/.config/lpconfig/config.toml`:
//!
//! ```toml
//! default_profile = "prod"
//!
//! [profiles.prod]
//! account = "12345678"
//! app_key = "..."
//! secret = "..."
//! access_token = "..."
//! access_token_secret = "..."
//!
//! [profiles.machine]
//! account = "12345678"
//! client_id = "..."
//! client_secret = "..."
//!
//! [profiles.staging]
//! account = "87654321"
//! username = "ops"
//! password = "..."
//! csds_url = "https://api.liveperson.net"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::failure::{CliResult, Failure};

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Profile used when none is named.
    pub default_profile: Option<String>,
    /// Named profiles.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One account with its credentials.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Account (site) id.
    pub account: Option<String>,
    /// Login name.
    pub username: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// API key: app key.
    pub app_key: Option<String>,
    /// API key: secret.
    pub secret: Option<String>,
    /// API key: access token.
    pub access_token: Option<String>,
    /// API key: access token secret.
    pub access_token_secret: Option<String>,
    /// CSDS base URL.
    pub csds_url: Option<String>,
    /// OAuth 2.0 client credentials: client id.
    pub client_id: Option<String>,
    /// OAuth 2.0 client credentials: client secret.
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl Profile {
    /// The profile as TOML lines with every secret replaced by `***`.
    pub fn redacted(&self) -> String {
        let mut out = String::new();
        let plain = [
            ("account", &self.account),
            ("username", &self.username),
            ("csds_url", &self.csds_url),
            ("client_id", &self.client_id),
        ];
        let secret = [
            ("password", &self.password),
            ("app_key", &self.app_key),
            ("secret", &self.secret),
            ("access_token", &self.access_token),
            ("access_token_secret", &self.access_token_secret),
            ("client_secret", &self.client_secret),
        ];
        for (k, v) in plain {
            if let Some(v) = v {
                out.push_str(&format!("{k} = {v:?}\n"));
            }
        }
        for (k, v) in secret {
            if v.is_some() {
                out.push_str(&format!("{k} = \"***\"\n"));
            }
        }
        out
    }
}

/// `$LPCONFIG_CONFIG` (via the flag), else `$XDG_CONFIG_HOME/lpconfig/config.toml`,
/// else `$HOME/.config/lpconfig/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(x).join("lpconfig/config.toml"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|h| PathBuf::from(h).join(".config/lpconfig/config.toml"))
}

/// Reads the file; `Ok(None)` when it does not exist and was not asked for explicitly.
pub fn load(path: &Path, explicit: bool) -> CliResult<Option<ConfigFile>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => return Ok(None),
        Err(e) => return Err(Failure::usage(format!("cannot read config file {}: {e}", path.display()))),
    };
    // toml's messages quote the offending line, which may hold a secret: keep only the position.
    toml::from_str(&text).map(Some).map_err(|e| {
        let at = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
        Failure::usage(format!(
            "{}:{}:{}: invalid config file: {}",
            path.display(),
            at.0,
            at.1,
            e.message().lines().next().unwrap_or("syntax error")
        ))
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
