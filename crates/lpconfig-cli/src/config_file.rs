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
//!
//! [profiles.vault]
//! account = "11223344"
//! username = "ops"
//! credential_command = "pass show liveperson/ops"   # prints the password
//! ca_bundle = "/etc/ssl/certs/corp-ca.pem"
//! proxy = "http://proxy.corp:3128"
//! ```
//!
//! The file is created with mode 0600; one that other users can read is refused
//! while it holds a secret (docs/cli-security.md).

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
    /// A PEM file of extra trusted CAs.
    pub ca_bundle: Option<String>,
    /// Proxy URL or `none`.
    pub proxy: Option<String>,
    /// A shell command that prints the secret(s) (see docs/cli-security.md).
    pub credential_command: Option<String>,
    /// Per-attempt timeout (`30`, `2.5`, `250ms`), see docs/retries.md.
    pub timeout: Option<String>,
    /// Retry waits (`5,10,15`), see docs/retries.md.
    pub retry_delays: Option<String>,
    /// OAuth 2.0 client credentials: client id.
    pub client_id: Option<String>,
    /// OAuth 2.0 client credentials: client secret.
    pub client_secret: Option<String>,
}

/// Profile keys whose values are secrets (never arguments, redacted in `config show`).
pub const SECRET_KEYS: [&str; 5] =
    ["password", "secret", "access_token", "access_token_secret", "client_secret"];

/// Every profile key, in the order `config set` lists them.
pub const PROFILE_KEYS: [&str; 15] = [
    "account",
    "username",
    "password",
    "app_key",
    "secret",
    "access_token",
    "access_token_secret",
    "client_id",
    "client_secret",
    "csds_url",
    "ca_bundle",
    "proxy",
    "credential_command",
    "timeout",
    "retry_delays",
];

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
            ("ca_bundle", &self.ca_bundle),
            ("credential_command", &self.credential_command),
            ("timeout", &self.timeout),
            ("retry_delays", &self.retry_delays),
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
        if let Some(p) = &self.proxy {
            // A proxy URL may carry a password.
            let shown = match lpconfig::transport::ProxySetting::parse(p) {
                Ok(setting) => setting.to_string(),
                Err(_) => "(invalid)".to_owned(),
            };
            out.push_str(&format!("proxy = {shown:?}\n"));
        }
        out
    }

    /// True when the profile holds a secret in clear text.
    pub fn has_secret(&self) -> bool {
        [&self.password, &self.secret, &self.access_token, &self.access_token_secret]
            .iter()
            .any(|v| v.is_some())
            || self.proxy.as_deref().is_some_and(|p| p.contains('@'))
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
    let file: ConfigFile = toml::from_str(&text).map_err(|e| {
        let at = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
        Failure::usage(format!(
            "{}:{}:{}: invalid config file: {}",
            path.display(),
            at.0,
            at.1,
            e.message().lines().next().unwrap_or("syntax error")
        ))
    })?;
    check_permissions(path, &file)?;
    Ok(Some(file))
}

/// Refuses a file that other users can read while it holds a secret, or can
/// write while it names a command to run; warns about other loose modes.
#[cfg(unix)]
fn check_permissions(path: &Path, file: &ConfigFile) -> CliResult {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| Failure::usage(format!("cannot read config file {}: {e}", path.display())))?
        .permissions()
        .mode()
        & 0o777;
    let shown = path.display();
    let secrets = file.profiles.values().any(Profile::has_secret);
    let commands = file.profiles.values().any(|p| p.credential_command.is_some());
    if mode & 0o077 != 0 && secrets {
        return Err(Failure::usage(format!(
            "config file {shown} holds secrets but other users can read it (mode {mode:04o}); \
             refusing to use it. Fix: chmod 600 {shown}"
        )));
    }
    if mode & 0o022 != 0 && commands {
        return Err(Failure::usage(format!(
            "config file {shown} names a credential_command but other users can change it \
             (mode {mode:04o}); refusing to use it. Fix: chmod 600 {shown}"
        )));
    }
    if mode & 0o077 != 0 {
        eprintln!("lpconfig: warning: config file {shown} is accessible by other users (mode {mode:04o}); run: chmod 600 {shown}");
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_: &Path, _: &ConfigFile) -> CliResult {
    Ok(())
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Writes `text` to `path` readable by its owner only (0600, directory 0700):
/// through a new file renamed over the old one, so no moment exposes it.
pub fn write_private(path: &Path, text: &str) -> CliResult {
    use std::io::Write;
    let fail = |e: std::io::Error| Failure::usage(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir).map_err(fail)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let result = opts.open(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    if let Err(e) = result.and_then(|_| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}
