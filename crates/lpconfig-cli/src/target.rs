//! Which account a command talks to: flags and `LP_*` variables, a profile, or
//! the sandbox (see "Which account" in `--help`), and the connected [`Session`].

use lpconfig::{Client, Credentials};
use lpconfig_emulator::{Emulator, RunningEmulator, Seed};

use crate::cli::TargetArgs;
use crate::config_file::{self, Profile};
use crate::failure::{CliResult, Failure};

/// The one line printed on stderr when no account is configured.
pub const SANDBOX_NOTICE: &str = "lpconfig: no account configured; using the built-in sandbox \
(demo account, in memory: changes are discarded on exit) — see --help";

/// Where commands go, before connecting.
#[derive(Debug)]
pub enum Target {
    /// A fresh in-process emulator with the demo seed.
    EmbeddedSandbox {
        /// Chosen because nothing was configured (print the notice), not by `--sandbox`.
        implicit: bool,
    },
    /// A running emulator with the demo seed (`lpconfig emulator serve`).
    RemoteSandbox(String),
    /// A real (or any) account.
    Account {
        /// Account id.
        account: String,
        /// How to log in.
        credentials: Credentials,
        /// CSDS base URL override.
        csds_url: Option<String>,
        /// Where the settings came from, for `config show`.
        source: String,
    },
}

fn pick(
    flag: &Option<String>,
    profile: Option<&Profile>,
    get: fn(&Profile) -> &Option<String>,
) -> Option<String> {
    flag.clone().filter(|v| !v.is_empty()).or_else(|| profile.and_then(|p| get(p).clone()))
}

/// Resolves the target from flags/env, the config file and the defaults.
pub fn resolve(args: &TargetArgs) -> CliResult<Target> {
    if args.sandbox {
        return Ok(Target::EmbeddedSandbox { implicit: false });
    }
    if let Some(url) = args.sandbox_url.as_ref().filter(|u| !u.is_empty()) {
        return Ok(Target::RemoteSandbox(url.clone()));
    }
    let (path, explicit_path) = match &args.config {
        Some(p) => (Some(p.clone()), true),
        None => (config_file::default_path(), false),
    };
    let file = match &path {
        Some(p) => config_file::load(p, explicit_path)?,
        None => None,
    };
    let profile_name = args.profile.clone().filter(|p| !p.is_empty()).or_else(|| {
        file.as_ref().and_then(|f| {
            f.default_profile.clone().or_else(|| f.profiles.contains_key("default").then(|| "default".into()))
        })
    });
    let profile = match (&profile_name, &file) {
        (Some(name), Some(f)) => Some(f.profiles.get(name).ok_or_else(|| {
            Failure::usage(format!(
                "no profile {name:?} in {} (profiles: {})",
                path.as_ref().map_or_else(String::new, |p| p.display().to_string()),
                f.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })?),
        (Some(name), None) if args.profile.is_some() => {
            return Err(Failure::usage(format!(
                "profile {name:?} asked for, but there is no config file{}",
                path.as_ref().map_or_else(String::new, |p| format!(" at {}", p.display()))
            )))
        }
        _ => None,
    };

    let account = pick(&args.account, profile, |p| &p.account);
    let username = pick(&args.username, profile, |p| &p.username);
    let password = pick(&args.password, profile, |p| &p.password);
    let app_key = pick(&args.app_key, profile, |p| &p.app_key);
    let secret = pick(&args.secret, profile, |p| &p.secret);
    let access_token = pick(&args.access_token, profile, |p| &p.access_token);
    let access_token_secret = pick(&args.access_token_secret, profile, |p| &p.access_token_secret);
    let csds_url = pick(&args.csds_url, profile, |p| &p.csds_url);
    let client_id = pick(&args.client_id, profile, |p| &p.client_id);
    let client_secret = pick(&args.client_secret, profile, |p| &p.client_secret);

    let any_credential = [
        &username,
        &password,
        &app_key,
        &secret,
        &access_token,
        &access_token_secret,
        &client_id,
        &client_secret,
    ]
    .iter()
    .any(|v| v.is_some());
    if account.is_none() && !any_credential {
        return Ok(Target::EmbeddedSandbox { implicit: true });
    }
    let account = account.ok_or_else(|| {
        Failure::usage("credentials are set but no account: give --account or LP_ACCOUNT (or a profile)")
    })?;
    // Flags, environment and profile are merged above; which credentials they
    // make is the core's one rule, the same as `Client.from_env` everywhere.
    let merged = |name: &str| match name {
        "LP_ACCOUNT" => Some(account.clone()),
        "LP_USERNAME" => username.clone(),
        "LP_PASSWORD" => password.clone(),
        "LP_APP_KEY" => app_key.clone(),
        "LP_SECRET" => secret.clone(),
        "LP_ACCESS_TOKEN" => access_token.clone(),
        "LP_ACCESS_TOKEN_SECRET" => access_token_secret.clone(),
        "LP_CLIENT_ID" => client_id.clone(),
        "LP_CLIENT_SECRET" => client_secret.clone(),
        _ => None,
    };
    let credentials = lpconfig::env::from_lookup(merged)
        .map_err(|e| {
            // Name the variable unless the rule is about the credentials as a whole.
            let what = match e.field() {
                Some(f) if f != "credentials" => format!("{f} {}", e.details().message),
                _ => e.details().message.clone(),
            };
            Failure::usage(format!(
                "account {account}: {what} (flags: --username/--password, --app-key/--secret/--access-token/\
                 --access-token-secret, or --client-id/--client-secret)"
            ))
        })?
        .credentials;
    let source = match &profile_name {
        Some(name) if profile.is_some() => format!("profile {name:?} (with flag/env overrides)"),
        _ => "flags/environment".to_owned(),
    };
    Ok(Target::Account { account, credentials, csds_url, source })
}

/// A connected client, plus the emulator it runs against in sandbox mode.
pub struct Session {
    /// The client.
    pub client: Client,
    /// True in sandbox mode (the emulator keeps masked values, D14).
    pub sandbox: bool,
    /// The login name the client logs in as, when known (never pruned by `sync`).
    pub login_name: Option<String>,
    /// The embedded emulator; dropping it stops it.
    emulator: Option<RunningEmulator>,
}

impl Session {
    /// Logs out (when a session was opened) and stops the embedded emulator.
    pub async fn close(self) {
        if let Err(e) = self.client.close().await {
            tracing::debug!(error = %e, "logout failed");
        }
        if let Some(emu) = self.emulator {
            emu.shutdown().await;
        }
    }
}

fn builder() -> lpconfig::ClientBuilder {
    Client::builder().binding("cli")
}

fn demo_login(seed: &Seed) -> CliResult<(String, String)> {
    let user = seed
        .accounts
        .first()
        .and_then(|a| a.users.first())
        .ok_or_else(|| Failure::usage("the demo seed has no login user"))?;
    Ok((user.username.clone(), user.password.clone()))
}

/// Connects to the target (starts the embedded emulator when needed). No API call yet.
pub async fn connect(target: Target) -> CliResult<Session> {
    match target {
        Target::EmbeddedSandbox { implicit } => {
            if implicit {
                eprintln!("{SANDBOX_NOTICE}");
            }
            let emu = Emulator::builder()
                .demo()
                .start()
                .await
                .map_err(|e| Failure::api(format!("cannot start the built-in sandbox: {e}")))?;
            let (user, password) = demo_login(&Seed::demo())?;
            let client = builder()
                .account(emu.account())
                .csds_url(emu.base_url())
                .credentials(Credentials::password(user.clone(), password))
                .build()?;
            Ok(Session { client, sandbox: true, login_name: Some(user), emulator: Some(emu) })
        }
        Target::RemoteSandbox(url) => {
            let seed = Seed::demo();
            let account = seed.accounts.first().map(|a| a.id.clone()).unwrap_or_else(|| "demo".into());
            let (user, password) = demo_login(&seed)?;
            let client = builder()
                .account(account)
                .csds_url(url)
                .credentials(Credentials::password(user.clone(), password))
                .build()?;
            Ok(Session { client, sandbox: true, login_name: Some(user), emulator: None })
        }
        Target::Account { account, credentials, csds_url, .. } => {
            let login_name = match &credentials {
                Credentials::Password { username, .. } | Credentials::AppKeyLogin { username, .. } => {
                    Some(username.clone())
                }
                _ => None,
            };
            let mut b = builder().account(account).credentials(credentials);
            if let Some(url) = csds_url {
                b = b.csds_url(url);
            }
            Ok(Session { client: b.build()?, sandbox: false, login_name, emulator: None })
        }
    }
}
