//! `lpconfig config show`: the profile file with secrets redacted, and the target in use.

use lpconfig::Credentials;

use crate::cli::TargetArgs;
use crate::config_file;
use crate::failure::CliResult;
use crate::output::write_stdout;
use crate::target::{resolve, Target};

/// Prints the config file (redacted) and which target a command would use.
pub fn show(args: &TargetArgs) -> CliResult {
    let mut out = String::new();
    let path = args.config.clone().or_else(config_file::default_path);
    match &path {
        Some(p) => match config_file::load(p, args.config.is_some())? {
            Some(file) => {
                out.push_str(&format!("# {}\n", p.display()));
                if let Some(d) = &file.default_profile {
                    out.push_str(&format!("default_profile = {d:?}\n"));
                }
                for (name, profile) in &file.profiles {
                    out.push_str(&format!("\n[profiles.{name}]\n{}", profile.redacted()));
                }
            }
            None => out.push_str(&format!("# no config file at {}\n", p.display())),
        },
        None => out.push_str("# no config file location (HOME is not set)\n"),
    }
    out.push('\n');
    out.push_str(&match resolve(args)? {
        Target::EmbeddedSandbox { .. } => {
            "target: the built-in sandbox (demo account, in memory)\n".to_owned()
        }
        Target::RemoteSandbox(url) => format!("target: the sandbox at {url} (demo account)\n"),
        Target::Account { account, credentials, csds_url, source, ca_bundle, proxy } => {
            let how = match credentials {
                Credentials::Password { username, .. } => format!("user login as {username} (password ***)"),
                Credentials::AppKeyLogin { username, .. } => {
                    format!("app-key login as {username} (keys ***)")
                }
                Credentials::ApiKey { .. } => "API key (OAuth 1.0a; keys ***)".to_owned(),
                Credentials::ClientCredentials { client_id, .. } => {
                    format!("OAuth 2.0 client credentials of {client_id} (secret ***)")
                }
                _ => "other (***)".to_owned(),
            };
            let proxy = match proxy.as_deref().map(lpconfig::transport::ProxySetting::parse) {
                None => "from HTTPS_PROXY/NO_PROXY (loopback never)".to_owned(),
                Some(Ok(p)) => p.to_string(),
                Some(Err(e)) => format!("invalid: {e}"),
            };
            format!(
                "target: account {account} from {source}\ncredentials: {how}\ncsds: {}\nca bundle: {}\nproxy: {proxy}\n",
                csds_url.as_deref().unwrap_or("https://api.liveperson.net (default)"),
                ca_bundle.as_deref().unwrap_or("(bundled and system roots only)"),
            )
        }
    });
    write_stdout(&out)
}

const TEMPLATE: &str = r#"# lpconfig profiles: `lpconfig config set KEY [VALUE] --profile NAME` edits them.
# Keep this file private (mode 0600): lpconfig refuses it when other users can
# read a secret in it. Prefer credential_command to secrets in clear text.
#
# default_profile = "prod"
#
# [profiles.prod]
# account = "12345678"
# username = "ops"
# credential_command = "pass show liveperson/ops"   # prints the password
#
# [profiles.bot]
# account = "12345678"
# app_key = "..."
# credential_command = "vault-read lp/bot"          # prints {"secret": "...", "access_token": "...", "access_token_secret": "..."}
# ca_bundle = "/etc/ssl/certs/corp-ca.pem"          # a company TLS-inspecting proxy's CA
# proxy = "http://proxy.corp:3128"                  # or "none"; default: HTTPS_PROXY / NO_PROXY
"#;

fn path_of(args: &TargetArgs) -> CliResult<std::path::PathBuf> {
    args.config.clone().or_else(config_file::default_path).ok_or_else(|| {
        crate::failure::Failure::usage("no config file location: set HOME, XDG_CONFIG_HOME or --config")
    })
}

/// `config init`: writes the commented template (mode 0600); never overwrites.
pub fn init(args: &TargetArgs) -> CliResult {
    let path = path_of(args)?;
    if path.exists() {
        return Err(crate::failure::Failure::usage(format!(
            "{} already exists; edit it with `lpconfig config set`",
            path.display()
        )));
    }
    config_file::write_private(&path, TEMPLATE)?;
    eprintln!("lpconfig: created {} (mode 0600)", path.display());
    Ok(())
}

/// `config set KEY [VALUE]`: one key of a profile (or `default_profile`); a
/// secret's value comes from stdin, never from the command line.
pub fn set(args: &TargetArgs, key: &str, value: Option<&str>) -> CliResult {
    use crate::failure::Failure;
    let path = path_of(args)?;
    let is_secret = config_file::SECRET_KEYS.contains(&key);
    if key != "default_profile" && !config_file::PROFILE_KEYS.contains(&key) {
        return Err(Failure::usage(format!(
            "unknown key {key:?}; keys: default_profile, {}",
            config_file::PROFILE_KEYS.join(", ")
        )));
    }
    let value = match (value, is_secret) {
        (Some(_), true) => {
            return Err(Failure::usage(format!(
                "{key} is a secret: leave out VALUE and pipe it on stdin (arguments show up in `ps`), \
                 e.g. `lpconfig config set {key} < file`"
            )))
        }
        (None, true) => crate::secret_input::first_line(std::io::stdin().lock(), &format!("{key} on stdin"))?,
        (Some(v), false) => v.to_owned(),
        (None, false) => return Err(Failure::usage(format!("give the value of {key}"))),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Failure::usage(format!("cannot read {}: {e}", path.display()))),
    };
    let mut doc: toml::Table = toml::from_str(&text)
        .map_err(|_| Failure::usage(format!("{} is not valid TOML; fix it first", path.display())))?;
    let profile = if key == "default_profile" {
        doc.insert(key.to_owned(), toml::Value::String(value));
        None
    } else {
        let name = args
            .profile
            .clone()
            .filter(|p| !p.is_empty())
            .or_else(|| doc.get("default_profile").and_then(|v| v.as_str()).map(str::to_owned))
            .unwrap_or_else(|| "default".to_owned());
        let profiles = doc
            .entry("profiles")
            .or_insert_with(|| toml::Value::Table(Default::default()))
            .as_table_mut()
            .ok_or_else(|| Failure::usage("`profiles` in the config file is not a table"))?;
        let table = profiles
            .entry(name.clone())
            .or_insert_with(|| toml::Value::Table(Default::default()))
            .as_table_mut()
            .ok_or_else(|| Failure::usage(format!("profiles.{name} is not a table")))?;
        if value.is_empty() {
            table.remove(key);
        } else {
            table.insert(key.to_owned(), toml::Value::String(value));
        }
        Some(name)
    };
    let out = toml::to_string(&doc).map_err(|e| Failure::usage(format!("cannot write TOML: {e}")))?;
    // Check the result reads back before replacing the file.
    toml::from_str::<config_file::ConfigFile>(&out)
        .map_err(|e| Failure::usage(format!("the change would make the file invalid: {}", e.message())))?;
    config_file::write_private(&path, &out)?;
    match profile {
        Some(p) => eprintln!("lpconfig: set {key} of profile {p:?} in {} (mode 0600)", path.display()),
        None => eprintln!("lpconfig: set {key} in {} (mode 0600)", path.display()),
    }
    Ok(())
}
