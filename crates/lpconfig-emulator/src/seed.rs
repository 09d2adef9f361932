//! The seed: which accounts exist and which credentials open them.
//!
//! A seed is a small TOML or JSON document, so scenarios can be written by hand and
//! handed to the binary with `--seed PATH`. The built-in demo seed lives in
//! `seeds/demo.toml` and is compiled in.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::faults::FaultRule;

const DEMO_TOML: &str = include_str!("../seeds/demo.toml");

/// Accounts with their login users, app-key logins and API keys, plus optional faults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// The accounts the emulator serves; any other account id is unknown (CSDS 401).
    pub accounts: Vec<SeedAccount>,
    /// Fault rules active from the start.
    #[serde(default)]
    pub faults: Vec<FaultRule>,
}

/// One LiveEngage account (site).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAccount {
    /// Account (site) id; case-sensitive, `^[a-zA-Z0-9_]{1,20}$`.
    pub id: String,
    /// Users who log in with username and password.
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Bot users who log in with an app key in the login body.
    #[serde(default)]
    pub app_logins: Vec<AppKeyLogin>,
    /// API keys that sign requests with OAuth 1.0a.
    #[serde(default)]
    pub api_keys: Vec<ApiKey>,
    /// Installed applications that get OAuth 2.0 tokens from Sentinel.
    #[serde(default)]
    pub app_clients: Vec<AppClient>,
    /// The account-config data the account starts with.
    #[serde(default)]
    pub data: SeedData,
}

/// What users, groups, skills, profiles and LOBs an account starts with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeedData {
    /// Only the Main Group (-1) and one profile per role.
    #[default]
    Empty,
    /// The demo data set: a group tree, skills, LOBs and about twenty users.
    Demo,
}

/// A user with a password login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// Login name (compared case-insensitively, like `loginName`).
    pub username: String,
    /// Password, compared exactly.
    pub password: String,
    /// `config.userId` in the login reply; derived from the position when absent.
    #[serde(default)]
    pub user_id: Option<String>,
    /// `config.isAdmin` in the login reply.
    #[serde(default)]
    pub is_admin: bool,
}

/// An application (bot) login: the four API-key values plus the bot's username.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppKeyLogin {
    /// Login name of the bot user.
    pub username: String,
    /// App key.
    pub app_key: String,
    /// Secret.
    pub secret: String,
    /// Access token.
    pub access_token: String,
    /// Access token secret.
    pub access_token_secret: String,
    /// `config.userId` in the login reply; derived from the position when absent.
    #[serde(default)]
    pub user_id: Option<String>,
}

/// An API key for OAuth 1.0a signing (consumer key/secret, token/secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKey {
    /// App key (`oauth_consumer_key`).
    pub app_key: String,
    /// Secret (consumer secret).
    pub secret: String,
    /// Access token (`oauth_token`).
    pub access_token: String,
    /// Access token secret.
    pub access_token_secret: String,
}

/// An installed application with OAuth 2.0 client credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppClient {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`.
    pub client_secret: String,
    /// Scopes it may be granted (`users.read`, `users.write`); a token carries all
    /// of them unless the request asks for fewer.
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// A seed that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The file could not be read.
    #[error("cannot read seed file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not a valid seed.
    #[error("invalid seed: {0}")]
    Parse(String),
    /// The seed parsed but breaks a rule (bad account id, duplicates, no account).
    #[error("invalid seed: {0}")]
    Invalid(String),
}

impl Seed {
    /// The built-in demo seed (`seeds/demo.toml`): account `demo`, user
    /// `admin`/`demo-password-1`, bot `demo-bot` and one API key.
    pub fn demo() -> Seed {
        Seed::from_toml(DEMO_TOML).expect("the built-in demo seed is valid")
    }

    /// Parses and validates a TOML seed.
    pub fn from_toml(text: &str) -> Result<Seed, SeedError> {
        let seed: Seed = toml::from_str(text).map_err(|e| SeedError::Parse(e.to_string()))?;
        seed.validate()?;
        Ok(seed)
    }

    /// Parses and validates a JSON seed.
    pub fn from_json(text: &str) -> Result<Seed, SeedError> {
        let seed: Seed = serde_json::from_str(text).map_err(|e| SeedError::Parse(e.to_string()))?;
        seed.validate()?;
        Ok(seed)
    }

    /// Reads a seed file: JSON when the name ends in `.json`, TOML otherwise.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Seed, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| SeedError::Read { path: path.display().to_string(), source })?;
        let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            Seed::from_json(&text)
        } else {
            Seed::from_toml(&text)
        }
    }

    /// The account with exactly this id (ids are case-sensitive).
    pub fn account(&self, id: &str) -> Option<&SeedAccount> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// The account owning an API key with this app key, and the key.
    pub fn api_key(&self, app_key: &str) -> Option<(&SeedAccount, &ApiKey)> {
        self.accounts.iter().find_map(|a| a.api_keys.iter().find(|k| k.app_key == app_key).map(|k| (a, k)))
    }

    fn validate(&self) -> Result<(), SeedError> {
        if self.accounts.is_empty() {
            return Err(SeedError::Invalid("no accounts".into()));
        }
        for (i, a) in self.accounts.iter().enumerate() {
            let ok = (1..=20).contains(&a.id.len())
                && a.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !ok {
                return Err(SeedError::Invalid(format!(
                    "account id {:?} does not match ^[a-zA-Z0-9_]{{1,20}}$",
                    a.id
                )));
            }
            if self.accounts[..i].iter().any(|b| b.id == a.id) {
                return Err(SeedError::Invalid(format!("duplicate account {:?}", a.id)));
            }
        }
        // An app key identifies one API key across the whole emulator, as on the platform.
        let mut keys: Vec<&str> =
            self.accounts.iter().flat_map(|a| a.api_keys.iter().map(|k| k.app_key.as_str())).collect();
        keys.sort_unstable();
        if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
            return Err(SeedError::Invalid(format!("duplicate app key {:?}", w[0])));
        }
        Ok(())
    }
}

impl SeedAccount {
    /// The `userId` reported for a password user (explicit or `1`-based position).
    pub fn user_id_of(&self, user: &SeedUser) -> String {
        user.user_id.clone().unwrap_or_else(|| {
            let pos = self.users.iter().position(|u| u == user).unwrap_or(0);
            (pos + 1).to_string()
        })
    }

    /// The `userId` reported for an app-key login (explicit or after the password users).
    pub fn app_user_id_of(&self, login: &AppKeyLogin) -> String {
        login.user_id.clone().unwrap_or_else(|| {
            let pos = self.app_logins.iter().position(|l| l == login).unwrap_or(0);
            (self.users.len() + pos + 1).to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_is_complete() {
        let seed = Seed::demo();
        let demo = seed.account("demo").unwrap();
        assert_eq!(demo.users[0].username, "admin");
        assert_eq!(demo.users[0].password, "demo-password-1");
        assert_eq!(demo.app_logins.len(), 1);
        assert_eq!(demo.api_keys.len(), 1);
        assert_eq!(demo.app_clients[0].scopes, ["users.read", "users.write"]);
        assert_eq!(demo.app_clients[1].scopes, ["users.read"]);
        assert!(seed.account("Demo").is_none(), "ids are case-sensitive");
        assert!(seed.faults.is_empty());
    }

    #[test]
    fn json_seed_with_faults() {
        let seed = Seed::from_json(
            r#"{"accounts":[{"id":"a_1"}],
                "faults":[{"path":"*/users","count":2,"action":{"type":"status","status":503}}]}"#,
        )
        .unwrap();
        assert_eq!(seed.faults.len(), 1);
        assert_eq!(seed.faults[0].count, Some(2));
    }

    #[test]
    fn bad_seeds_are_refused() {
        assert!(Seed::from_json(r#"{"accounts":[]}"#).is_err());
        assert!(Seed::from_json(r#"{"accounts":[{"id":"has-dash"}]}"#).is_err());
        assert!(Seed::from_json(r#"{"accounts":[{"id":"a"},{"id":"a"}]}"#).is_err());
        assert!(Seed::from_toml("accounts = 3").is_err());
    }
}
