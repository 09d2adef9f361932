//! The command line: every command, flag and environment variable.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Which account:
  1. --sandbox, or LP_SANDBOX_URL / --sandbox-url (a running `lpconfig emulator serve`)
  2. --account and credentials from flags or LP_* variables
  3. a profile in ~/.config/lpconfig/config.toml (--profile NAME, LP_PROFILE, default_profile)
  4. otherwise the built-in sandbox: an in-memory emulator with the demo account,
     started for this one command (changes are gone when it exits)

Credentials: --username + a password (user login), or --app-key + secret + access
token + access token secret (API key; add --username for an app-key login), or
--client-id + client secret (OAuth 2.0 client credentials, token from Sentinel). Give each
secret with --NAME-stdin, --NAME-file FILE or its LP_* variable (LP_PASSWORD, LP_SECRET,
LP_ACCESS_TOKEN, LP_ACCESS_TOKEN_SECRET, LP_CLIENT_SECRET), or use a profile with
credential_command. NAME: password, secret, access-token, access-token-secret,
client-secret. The plain --password, --secret, --access-token, --access-token-secret and
--client-secret flags still work but are not shown here: other users can read them in `ps`.

Config file (~/.config/lpconfig/config.toml, mode 0600; refused when others can read
secrets in it):
  lpconfig config init                      create it (mode 0600) with a commented template
  lpconfig config set account 12345678      set a key of the profile (--profile NAME)
  lpconfig config set password              a secret key: the value is read from stdin
  lpconfig config show                      the profiles (secrets redacted) and the target
Profile keys: account, username, password, app_key, secret, access_token,
access_token_secret, client_id, client_secret, csds_url, ca_bundle, proxy, timeout,
retry_delays, credential_command (a command whose output is the password, or a JSON
object of secret keys).

Network: --ca-bundle FILE (LP_CA_BUNDLE, SSL_CERT_FILE) adds a trusted CA, e.g. a company
TLS-inspecting proxy's; --proxy URL (LP_PROXY; `none` for direct) or HTTPS_PROXY / NO_PROXY;
loopback is never proxied.

Output: table and plan output escape control characters from server data; CSV cells
starting with = + - @ tab or CR get a leading ' (spreadsheet formula injection) unless
--raw; colours only on a terminal (NO_COLOR turns them off).

Exit codes: 0 ok, 1 usage/config/input error, 2 API error,
3 sync plan has changes / apply made changes (with --detailed-exitcode), 130 interrupted.";

const SYNC_HELP: &str = "\
Make the account's staff match a CSV, JSON or YAML file.

Without --apply, prints the plan (+ create, ~ change, - disable/delete) and changes nothing.
With --apply, executes it: agent groups first (parents before children), then users in
batches under the revision guard (If-Match), then re-reads the account to check that a
new plan finds nothing left to do. Ctrl-C stops after the current batch.

Columns (header spelling is free: login_name, Login Name, loginName):
  login_name (required, unique, case-insensitive)   full_name   nickname   email
  id         the user's id: when given, the row's key (so a row can rename a login);
             without it the key is login_name (so `users list -o csv` feeds back in)
  roles      role or profile names: Admin, Agent, Agent Manager, Campaign Manager
  group      agent group name or path below the root, e.g. Support/Billing (created if missing)
  manager_of group paths an Agent Manager manages (existing, or created by this sync)
  skills     skill names     lobs   line-of-business names (unknown names are errors;
             --create-missing-catalog-entries creates them before the users)
  max_chats  max_async_chats (max open messaging conversations)   enabled (true/false/yes/no)
  picture_url   description   mobile_number   employee_id
  password   initial password of new users (ignored for existing users)
CSV lists use ; or | (e.g. Billing;VIP); YAML/JSON take lists or the same strings.

Groups file (--groups FILE; columns id, name, parent, description, enabled): renames
(by id), re-parents, describes, enables/disables or creates agent groups; user rows then
name groups by their new names.

Output: the plan as a diff; `-o json` prints the plan's JSON (docs/sync.md) instead, and
`--out PLAN.json` saves it for `lpconfig apply PLAN.json`.
--detailed-exitcode: without --apply, 0 = no changes, 3 = the plan has changes;
with --apply, 0 = applied and verified (or nothing to do), 2 = a change failed or a new
plan still finds changes, 130 = interrupted.

Rules: a column left out is not managed; an empty cell leaves the field as it is
(`-` clears a skills list). New users need full_name and email, default to the Agent
role and the root group, and must change their password at first login. Only agents
have a group, skills and max chats. Accounts that mask full names (return \"\") hide
them: they are sent, never compared. Errors name the file, line and column, and
nothing is applied.";

const APPLY_HELP: &str = "\
Execute a plan saved by `lpconfig sync FILE --out PLAN.json`.

The plan records the revisions of the users and agent groups it was made against; if
the account has changed since, nothing is applied and you are asked to re-plan. A saved
plan holds no passwords: new users get --initial-password, else a random one each
(--passwords-out FILE keeps them). There is no re-plan afterwards (the plan does not hold
the staff file); run `lpconfig sync FILE --detailed-exitcode` to check.

--detailed-exitcode: 0 = the plan was empty, 3 = changes were applied, 2 = a batch failed,
130 = interrupted. Without it, 0 means success whether or not anything changed.";

/// Manage a LivePerson Conversational Cloud account's users and agent groups.
#[derive(Debug, Parser)]
#[command(name = "lpconfig", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Which account, and how to log in.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Timeouts and retry waits (see docs/retries.md).
    #[command(flatten)]
    pub timing: crate::timing::TimingArgs,
    /// Output format of list/get commands (`sync`/`apply`: json prints the plan/report JSON).
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// CSV: write cells exactly as stored (no ' before a leading = + - @).
    #[arg(long, global = true)]
    pub raw: bool,
    /// More detail on errors and HTTP calls (-vv: debug logs).
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Target selection (see "Which account" in --help). Secrets are never printed.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Target (which account; see `lpconfig --help`)")]
pub struct TargetArgs {
    /// Account (site) id.
    #[arg(long, global = true, env = "LP_ACCOUNT")]
    pub account: Option<String>,
    /// Login name (user login, or the bot of an app-key login).
    #[arg(long, global = true, env = "LP_USERNAME")]
    pub username: Option<String>,
    /// Password of --username (prefer the LP_PASSWORD variable).
    #[arg(long, global = true, env = "LP_PASSWORD", hide_env_values = true, hide = true)]
    pub password: Option<String>,
    /// API key: app key.
    #[arg(long, global = true, env = "LP_APP_KEY", hide_env_values = true)]
    pub app_key: Option<String>,
    /// API key: secret.
    #[arg(long, global = true, env = "LP_SECRET", hide_env_values = true, hide = true)]
    pub secret: Option<String>,
    /// API key: access token.
    #[arg(long, global = true, env = "LP_ACCESS_TOKEN", hide_env_values = true, hide = true)]
    pub access_token: Option<String>,
    /// API key: access token secret.
    #[arg(long, global = true, env = "LP_ACCESS_TOKEN_SECRET", hide_env_values = true, hide = true)]
    pub access_token_secret: Option<String>,
    /// OAuth 2.0 client credentials: client id.
    #[arg(long, global = true, env = "LP_CLIENT_ID")]
    pub client_id: Option<String>,
    /// OAuth 2.0 client credentials: client secret (prefer the LP_CLIENT_SECRET variable).
    #[arg(long, global = true, env = "LP_CLIENT_SECRET", hide_env_values = true, hide = true)]
    pub client_secret: Option<String>,
    /// CSDS base URL (default https://api.liveperson.net).
    #[arg(long, global = true, env = "LP_CSDS_URL")]
    pub csds_url: Option<String>,
    /// Profile of the config file.
    #[arg(long, global = true, env = "LP_PROFILE")]
    pub profile: Option<String>,
    /// Config file (default ~/.config/lpconfig/config.toml).
    #[arg(long, global = true, env = "LPCONFIG_CONFIG")]
    pub config: Option<PathBuf>,
    /// Use the built-in sandbox (demo account) even if an account is configured.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Use a running sandbox (`lpconfig emulator serve`) at this URL.
    #[arg(long, global = true, env = "LP_SANDBOX_URL")]
    pub sandbox_url: Option<String>,
    /// A PEM file of extra trusted CAs (e.g. a company proxy's); SSL_CERT_FILE works too.
    #[arg(long, global = true, env = "LP_CA_BUNDLE", value_name = "FILE")]
    pub ca_bundle: Option<PathBuf>,
    /// HTTPS proxy URL, or `none` (default: HTTPS_PROXY/NO_PROXY; loopback never proxied).
    #[arg(long, global = true, env = "LP_PROXY", hide_env_values = true, value_name = "URL")]
    pub proxy: Option<String>,
    /// --password-stdin, --password-file and the like for every secret.
    #[command(flatten)]
    pub secret_inputs: crate::secret_input::SecretInputs,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A readable table.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header (the users CSV can be fed back to `sync`).
    Csv,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Users.
    #[command(subcommand)]
    Users(UsersCmd),
    /// Agent groups.
    #[command(subcommand)]
    Groups(GroupsCmd),
    /// Skills.
    #[command(subcommand)]
    Skills(CatalogCmd),
    /// Profiles, which give users their roles.
    #[command(subcommand)]
    Profiles(CatalogCmd),
    /// Lines of business.
    #[command(subcommand)]
    Lobs(CatalogCmd),
    /// Make the account's staff match a CSV/JSON/YAML file (plan; --apply to execute).
    #[command(long_about = SYNC_HELP)]
    Sync(SyncArgs),
    /// Execute a plan saved by `sync --out PLAN.json` (refused if the account moved since).
    #[command(long_about = APPLY_HELP)]
    Apply(ApplyArgs),
    /// A local LivePerson emulator.
    #[command(subcommand)]
    Emulator(EmulatorCmd),
    /// SCIM 2.0 bridge for identity providers (Okta, Entra ID): `scim serve`.
    #[command(subcommand)]
    Scim(crate::commands::scim::ScimCmd),
    /// Profiles in the config file: init (mode 0600), set KEY [VALUE], show.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Print a shell completion script: `lpconfig completions bash > /etc/bash_completion.d/lpconfig`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of `lpconfig`; the release archive ships it as `lpconfig.1`.
    #[command(hide = true)]
    Manpage,
}

/// `--select` and `--include-deleted` of list commands.
#[derive(Debug, Clone, Default, Args)]
pub struct ListArgs {
    /// Only these fields, e.g. `id,loginName,memberOf` (sent to the server as `select`).
    #[arg(long)]
    pub select: Option<String>,
    /// Include deleted entries.
    #[arg(long)]
    pub include_deleted: bool,
}

/// `users ...`
#[derive(Debug, Subcommand)]
pub enum UsersCmd {
    /// List users.
    List(ListArgs),
    /// Show one user (by id or login name).
    Get {
        /// Id or login name.
        user: String,
    },
    /// Create a user.
    Create(UserFields),
    /// Change a user (read-modify-write under the revision guard).
    Update {
        /// Id or login name.
        user: String,
        /// The changes.
        #[command(flatten)]
        fields: UserFields,
        /// Allow sending back a masked (empty) full name (only for accounts that keep masked values).
        #[arg(long)]
        allow_masked_blank: bool,
    },
    /// Delete users (soft delete; asks on a terminal, else needs --yes).
    Delete {
        /// Ids or login names.
        #[arg(required = true)]
        users: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Set a new password (read from stdin, or generated and printed once).
    ResetPassword {
        /// Id or login name.
        user: String,
        /// Read the new password from the first line of stdin.
        #[arg(long = "new-password-stdin", conflicts_with = "generate")]
        password_stdin: bool,
        /// Generate a random password and print it.
        #[arg(long)]
        generate: bool,
    },
}

/// Fields of `users create` / `users update`.
#[derive(Debug, Clone, Default, Args)]
pub struct UserFields {
    /// Login name.
    #[arg(long)]
    pub login_name: Option<String>,
    /// Full name.
    #[arg(long)]
    pub full_name: Option<String>,
    /// Nickname shown to visitors (create: defaults to the first word of the full name).
    #[arg(long)]
    pub nickname: Option<String>,
    /// E-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Role or profile name (repeatable): Admin, Agent, "Agent Manager", "Campaign Manager".
    #[arg(long = "role")]
    pub roles: Vec<String>,
    /// Agent group: id, name or path like Support/Billing (must exist).
    #[arg(long)]
    pub group: Option<String>,
    /// Skill name or id (repeatable; replaces the user's skills).
    #[arg(long = "skill")]
    pub skills: Vec<String>,
    /// Maximum concurrent chats.
    #[arg(long)]
    pub max_chats: Option<i64>,
    /// Enable the user.
    #[arg(long, conflicts_with = "disabled")]
    pub enabled: bool,
    /// Disable the user.
    #[arg(long)]
    pub disabled: bool,
    /// Read the user's (initial) password from the first line of stdin.
    #[arg(long = "new-password-stdin")]
    pub password_stdin: bool,
    /// Fields as a JSON object (API field names), or @FILE; flags win over it.
    #[arg(long)]
    pub json: Option<String>,
}

/// `groups ...`
#[derive(Debug, Subcommand)]
pub enum GroupsCmd {
    /// List agent groups.
    List(ListArgs),
    /// Show one group (by id or name).
    Get {
        /// Id or name.
        group: String,
    },
    /// Create a group.
    Create(GroupFields),
    /// Change a group (read-modify-write under the revision guard).
    Update {
        /// Id or name.
        group: String,
        /// The changes.
        #[command(flatten)]
        fields: GroupFields,
    },
    /// Delete groups (refused while users or sub-groups point at them; asks on a
    /// terminal, else needs --yes).
    Delete {
        /// Ids or names.
        #[arg(required = true)]
        groups: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Show the hierarchy.
    Tree,
}

/// Fields of `groups create` / `groups update`.
#[derive(Debug, Clone, Default, Args)]
pub struct GroupFields {
    /// Name (unique, case-sensitive).
    #[arg(long)]
    pub name: Option<String>,
    /// Parent group: id, name or path (create: defaults to the root group).
    #[arg(long)]
    pub parent: Option<String>,
    /// Description.
    #[arg(long)]
    pub description: Option<String>,
    /// Enable the group.
    #[arg(long, conflicts_with = "disabled")]
    pub enabled: bool,
    /// Disable the group.
    #[arg(long)]
    pub disabled: bool,
    /// Fields as a JSON object (API field names), or @FILE; flags win over it.
    #[arg(long)]
    pub json: Option<String>,
}

/// `skills|profiles|lobs ...`
#[derive(Debug, Subcommand)]
pub enum CatalogCmd {
    /// List entries.
    List(ListArgs),
    /// Show one entry (by id or name).
    Get {
        /// Id or name.
        entry: String,
    },
    /// Create an entry, or several with `--json '[{...}, ...]'` (one atomic batch).
    Create(CatalogFields),
    /// Change an entry (read-modify-write under the revision guard).
    Update {
        /// Id or name.
        entry: String,
        /// The changes.
        #[command(flatten)]
        fields: CatalogFields,
    },
    /// Delete entries (soft delete, one batch; refused while users or skills point at them).
    Delete {
        /// Ids or names.
        #[arg(required = true)]
        entries: Vec<String>,
    },
}

/// Fields of `skills|profiles|lobs create|update`.
#[derive(Debug, Clone, Default, Args)]
pub struct CatalogFields {
    /// Name (unique, case-sensitive).
    #[arg(long)]
    pub name: Option<String>,
    /// Description.
    #[arg(long)]
    pub description: Option<String>,
    /// Profiles only: role (Admin, Agent, "Agent Manager", "Campaign Manager", LPA, or 1-5).
    #[arg(long)]
    pub role: Option<String>,
    /// Skills only: line of business, name or id (repeatable; replaces the list).
    #[arg(long = "lob")]
    pub lobs: Vec<String>,
    /// Fields as a JSON object (API field names), an array of them (create), or @FILE;
    /// flags win over it.
    #[arg(long)]
    pub json: Option<String>,
}

/// What `--prune` does to users absent from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PruneMode {
    /// Disable them (`isEnabled: false`).
    Disable,
    /// Delete them (soft delete).
    Delete,
}

/// `sync FILE ...`
#[derive(Debug, Clone, Args)]
pub struct SyncArgs {
    /// The staff file: .csv, .json, .yaml/.yml (see examples/staff.csv).
    pub file: PathBuf,
    /// Execute the plan (default: only show it).
    #[arg(long)]
    pub apply: bool,
    /// Users absent from the file: disable them (`--prune`) or delete them (`--prune=delete`).
    /// API users and the login running the sync are never pruned.
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "disable")]
    pub prune: Option<PruneMode>,
    /// Exit 3 when the plan has changes (0 when none).
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Users per API request.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub batch_size: u32,
    /// Password for new users without a `password` cell (default: a random one each;
    /// prefer the LP_INITIAL_PASSWORD variable: flags show up in `ps`).
    #[arg(long, env = "LP_INITIAL_PASSWORD", hide_env_values = true)]
    pub initial_password: Option<String>,
    /// Write `login_name,password` of the created users to this file (mode 0600).
    #[arg(long)]
    pub passwords_out: Option<PathBuf>,
    /// Allow sending back masked (empty) full names of users whose row has none
    /// (only for accounts that keep masked values; implied in the sandbox).
    #[arg(long)]
    pub allow_masked_blank: bool,
    /// Print only the plan's summary line, not every change.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Skip re-reading the account after --apply to check that nothing is left to do.
    #[arg(long)]
    pub no_verify: bool,
    /// Apply deletions (--prune=delete) without asking; required when stdin is not a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Save the plan's JSON to this file (for `lpconfig apply FILE`).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Create the skills and lines of business the file names but the account lacks
    /// (listed in the plan, created before the users); without it an unknown name is an error.
    #[arg(long, visible_alias = "create-missing")]
    pub create_missing_catalog_entries: bool,
    /// A groups file (.csv/.json/.yaml; columns id, name, parent, description, enabled) to
    /// rename, re-parent, describe, enable/disable or create agent groups.
    #[arg(long, value_name = "FILE")]
    pub groups: Option<PathBuf>,
}

/// `apply PLAN.json ...`
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    /// The plan saved by `sync --out`.
    pub plan: PathBuf,
    /// Exit 3 when changes were applied (0 when the plan was empty).
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Items per API request.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub batch_size: u32,
    /// Password for the plan's new users (default: a random one each; prefer the
    /// LP_INITIAL_PASSWORD variable: flags show up in `ps`).
    #[arg(long, env = "LP_INITIAL_PASSWORD", hide_env_values = true)]
    pub initial_password: Option<String>,
    /// Write `login_name,password` of the created users to this file (mode 0600).
    #[arg(long)]
    pub passwords_out: Option<PathBuf>,
}

/// `emulator ...`
#[derive(Debug, Subcommand)]
pub enum EmulatorCmd {
    /// Run a standalone emulator (demo account) until Ctrl-C.
    Serve {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
}

/// `config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Show the config file's profiles (secrets redacted) and which target is in use.
    Show,
    /// Create the config file (mode 0600) with a commented template.
    Init,
    /// Set a key of a profile (--profile NAME, default: default_profile or "default").
    /// Secret keys take no VALUE: it is read from the first line of stdin.
    Set {
        /// account, username, password, app_key, secret, access_token, access_token_secret,
        /// csds_url, ca_bundle, proxy, credential_command; or default_profile.
        key: String,
        /// The value (not for secrets).
        value: Option<String>,
    },
}
