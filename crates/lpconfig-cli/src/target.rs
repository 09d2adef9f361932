//! Which account a command talks to: flags and `LP_*` variables, a profile, or
//! the sandbox (see "Which account" in `--help`), and the connected [`Session`].

use lpconfig::{Client, Credentials};
use lpconfig_emulator::{Emulator, RunningEmulator, Seed};

use crate::cli::TargetArgs;
use crate::config_file::{self, Profile};
use crate::credential_command;
use crate::failure::{CliResult, Failure};

/// The one line printed on stderr when no account is configured.
pub const SANDBOX_NOTICE: &str = "lpconfig: no account configured; using the built-in sandbox \
(demo account, in memory: changes are discarded on exit) — see --help";

/// Where commands go, before connecting.
// One value per command run: its size does not matter.
#[allow(clippy::large_enum_variant)]
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
        /// Extra trusted CAs (`--ca-bundle`, `LP_CA_BUNDLE`, profile, `SSL_CERT_FILE`).
        ca_bundle: Option<String>,
        /// Proxy setting (`--proxy`, `LP_PROXY`, profile); `None`: the environment's.
        proxy: Option<String>,
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
    let mut password = pick(&args.password, profile, |p| &p.password);
    let app_key = pick(&args.app_key, profile, |p| &p.app_key);
    let mut secret = pick(&args.secret, profile, |p| &p.secret);
    let mut access_token = pick(&args.access_token, profile, |p| &p.access_token);
    let mut access_token_secret = pick(&args.access_token_secret, profile, |p| &p.access_token_secret);
    let csds_url = pick(&args.csds_url, profile, |p| &p.csds_url);
    let ca_bundle_flag = args.ca_bundle.as_ref().map(|p| p.to_string_lossy().into_owned());
    let ca_bundle = pick(&ca_bundle_flag, profile, |p| &p.ca_bundle);
    let proxy = pick(&args.proxy, profile, |p| &p.proxy);
    let client_id = pick(&args.client_id, profile, |p| &p.client_id);
    let mut client_secret = pick(&args.client_secret, profile, |p| &p.client_secret);

    // --NAME-stdin / --NAME-file win over --NAME and LP_NAME; then the
    // profile's credential_command fills in what is still missing.
    let slots = |name: &str| match name {
        "LP_PASSWORD" => Some(0),
        "LP_SECRET" => Some(1),
        "LP_ACCESS_TOKEN" => Some(2),
        "LP_ACCESS_TOKEN_SECRET" => Some(3),
        "LP_CLIENT_SECRET" => Some(4),
        _ => None,
    };
    let inputs = args.secret_inputs.read()?;
    {
        let secrets =
            [&mut password, &mut secret, &mut access_token, &mut access_token_secret, &mut client_secret];
        for (name, value) in &inputs {
            if let Some(i) = slots(name) {
                *secrets[i] = Some(value.clone());
            }
        }
        let api_key = app_key.is_some();
        let missing = if api_key {
            secrets[1..4].iter().any(|s| s.is_none())
        } else if client_id.is_some() {
            secrets[4].is_none()
        } else {
            secrets[0].is_none()
        };
        if let (Some(p), Some(name), true) = (profile, &profile_name, missing) {
            if let Some(cmd) = &p.credential_command {
                for (key, value) in credential_command::run(cmd, name)? {
                    let i = match key.as_str() {
                        "password" => 0,
                        "secret" => 1,
                        "access_token" => 2,
                        "access_token_secret" => 3,
                        "client_secret" => 4,
                        _ => continue,
                    };
                    if secrets[i].is_none() {
                        *secrets[i] = Some(value);
                    }
                }
            }
        }
    }

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
    .any(|v| v.is_some())
        || !inputs.is_empty();
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
        "LP_CSDS_URL" => csds_url.clone(),
        "LP_CA_BUNDLE" => ca_bundle.clone(),
        "SSL_CERT_FILE" => std::env::var("SSL_CERT_FILE").ok(),
        "LP_PROXY" => proxy.clone(),
        "LP_CLIENT_ID" => client_id.clone(),
        "LP_CLIENT_SECRET" => client_secret.clone(),
        // Any further secret of `SECRET_FLAGS` (e.g. a client secret) from stdin or a file.
        other => inputs.get(other).cloned(),
    };
    let settings = lpconfig::env::from_lookup(merged).map_err(|e| {
        // Name the variable unless the rule is about the credentials as a whole.
        let what = match e.field() {
            Some(f) if f != "credentials" => format!("{f} {}", e.details().message),
            _ => e.details().message.clone(),
        };
        Failure::usage(format!(
            "account {account}: {what} (flags: --username with --password-stdin/--password-file, \
             --app-key with --secret-file, --access-token-file and --access-token-secret-file, or \
             --client-id with --client-secret-stdin/--client-secret-file)"
        ))
    })?;
    let source = match &profile_name {
        Some(name) if profile.is_some() => format!("profile {name:?} (with flag/env overrides)"),
        _ => "flags/environment".to_owned(),
    };
    Ok(Target::Account {
        account,
        credentials: settings.credentials,
        csds_url,
        ca_bundle: settings.ca_bundle,
        proxy: settings.proxy,
        source,
    })
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
    connect_with(target, &lpconfig::env::Timing::default()).await
}

/// Like [`connect`], with these timeouts and retry waits.
pub async fn connect_with(target: Target, timing: &lpconfig::env::Timing) -> CliResult<Session> {
    let builder = || timing.apply(builder());
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
        Target::Account { account, credentials, csds_url, ca_bundle, proxy, .. } => {
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
            if let Some(path) = ca_bundle {
                b = b.ca_bundle(path);
            }
            if let Some(p) = proxy {
                b = b.proxy(p);
            }
            Ok(Session { client: b.build()?, sandbox: false, login_name, emulator: None })
        }
    }
}
