//! The public surface every binding must expose, as lists the bindings'
//! parity tests compare their own introspected surfaces with (Python's class
//! attributes and keyword arguments, Node's prototypes and accepted options,
//! uniffi's records). This module's tests tie the lists to the core itself:
//! [`SETTINGS`] to the fields of [`Config`](crate::Config), [`ERROR_KINDS`]
//! to every [`ErrorKind`] variant. A new core setting or error kind thus fails
//! here first, then in every binding that does not expose it yet.

use crate::error::ErrorKind;

/// What kind of value a setting holds, which decides how a binding spells
/// and converts it (see [`Setting::spelled`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string (account id, URL, version, file path, proxy URL).
    Text,
    /// The credentials object of the language.
    Credentials,
    /// A duration: seconds (a float) in Python, milliseconds elsewhere.
    Duration,
    /// A list of durations, with the same units.
    Durations,
    /// The language's retry-policy object (uniffi flattens it into fields).
    Retry,
    /// A flag.
    Bool,
    /// A positive count.
    Count,
}

/// One client setting: its core name, kind, and the `LP_*` variables that
/// `from_env` reads for it (in every language, through [`crate::env`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The core's name (a field of [`Config`](crate::Config), or `retry_delays`).
    pub name: &'static str,
    /// How bindings spell and convert it.
    pub kind: Kind,
    /// Environment variables, first wins (empty: not read from the environment).
    pub env: &'static [&'static str],
}

/// A binding's spelling convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// snake_case keywords; durations in seconds (`request_timeout=2.5`).
    Python,
    /// camelCase options; durations in ms with an `Ms` suffix (`requestTimeoutMs`).
    Node,
    /// snake_case record fields (Kotlin/Swift camelCase them); durations in ms
    /// with `_ms`; the retry policy flattened, its primary field `rate_limit_retries`.
    Uniffi,
}

impl Setting {
    /// The setting's name in a binding.
    ///
    /// ```
    /// use lpconfig::surface::{setting, Style};
    /// let t = setting("request_timeout").unwrap();
    /// assert_eq!(t.spelled(Style::Python), "request_timeout");
    /// assert_eq!(t.spelled(Style::Node), "requestTimeoutMs");
    /// assert_eq!(t.spelled(Style::Uniffi), "request_timeout_ms");
    /// assert_eq!(setting("ca_bundle").unwrap().spelled(Style::Node), "caBundle");
    /// ```
    pub fn spelled(&self, style: Style) -> String {
        let timed = matches!(self.kind, Kind::Duration | Kind::Durations);
        match style {
            Style::Python => self.name.to_owned(),
            Style::Node => {
                let mut out = String::new();
                let mut upper = false;
                for c in self.name.chars() {
                    match c {
                        '_' => upper = true,
                        c if upper => {
                            out.push(c.to_ascii_uppercase());
                            upper = false;
                        }
                        c => out.push(c),
                    }
                }
                if timed {
                    out.push_str("Ms");
                }
                out
            }
            Style::Uniffi if self.kind == Kind::Retry => "rate_limit_retries".to_owned(),
            Style::Uniffi if timed => format!("{}_ms", self.name),
            Style::Uniffi => self.name.to_owned(),
        }
    }
}

const fn s(name: &'static str, kind: Kind, env: &'static [&'static str]) -> Setting {
    Setting { name, kind, env }
}

/// Every client setting, the one list that all bindings expose (their parity
/// tests compare against it; this module's tests tie it to [`Config`](crate::Config)'s
/// fields). `retry` and `retry_delays` are two ways to set one policy:
/// the language's policy object, or just the waits (as `LP_RETRY_DELAYS`,
/// [`crate::env::retry_policy`]); giving both is a `Config` error.
pub const SETTINGS: &[Setting] = &[
    s("account", Kind::Text, &["LP_ACCOUNT"]),
    s("credentials", Kind::Credentials, &[]),
    s("csds_url", Kind::Text, &["LP_CSDS_URL"]),
    s("api_version", Kind::Text, &[]),
    s("connect_timeout", Kind::Duration, &["LP_CONNECT_TIMEOUT"]),
    s("request_timeout", Kind::Duration, &["LP_TIMEOUT"]),
    s("retry", Kind::Retry, &[]),
    s("retry_delays", Kind::Durations, &["LP_RETRY_DELAYS"]),
    s("refresh_interval", Kind::Duration, &[]),
    s("csds_ttl", Kind::Duration, &[]),
    s("force_read_write", Kind::Bool, &[]),
    s("method_override", Kind::Bool, &[]),
    s("batch_size", Kind::Count, &[]),
    s("ca_bundle", Kind::Text, &["LP_CA_BUNDLE", "SSL_CERT_FILE"]),
    s("proxy", Kind::Text, &["LP_PROXY"]),
    s("legacy", Kind::Bool, &[]),
];

/// The setting called `name` in the core.
pub fn setting(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// The names of [`SETTINGS`] in a binding's spelling.
pub fn spelled(style: Style) -> Vec<String> {
    SETTINGS.iter().map(|s| s.spelled(style)).collect()
}

/// Methods of [`Client`](crate::Client) itself besides the sub-clients.
pub const CLIENT_METHODS: &[&str] = &["login", "close"];

/// Methods of [`Users`](crate::api::users::Users) (`try_modify` is what
/// every binding's `modify` runs).
pub const USERS_METHODS: &[&str] = &[
    "list",
    "list_if_modified",
    "get",
    "get_if_modified",
    "create",
    "create_many",
    "update",
    "update_many",
    "delete",
    "delete_many",
    "reset_password",
    "change_password",
    "find_by_login_name",
    "in_group",
    "managing",
    "with_skill",
    "add_skills",
    "remove_skills",
    "move_to_group",
    "set_concurrency",
    "modify",
    "allow_masked_blank",
];

/// Methods of [`AgentGroups`](crate::api::agent_groups::AgentGroups).
pub const AGENT_GROUPS_METHODS: &[&str] = &[
    "list",
    "list_if_modified",
    "get",
    "get_if_modified",
    "create",
    "create_many",
    "update",
    "update_many",
    "delete",
    "delete_many",
    "tree",
    "children",
    "members",
    "managers",
];

/// Methods of the read-only catalogs (skills, profiles, LOBs).
pub const CATALOG_METHODS: &[&str] = &["list", "list_if_modified", "get", "find_by_name"];

/// The wire field names of every entity, by the name the bindings give its
/// type: what their hand-written typings (Node's `index.d.ts`) are checked
/// against. A new core field fails those checks until the typing has it.
pub const ENTITY_FIELDS: &[(&str, &[&str])] = &[
    ("User", crate::api::users::User::WIRE_FIELDS),
    ("GroupLink", crate::api::users::GroupLink::WIRE_FIELDS),
    ("AgentGroup", crate::api::agent_groups::AgentGroup::WIRE_FIELDS),
    ("Skill", crate::api::catalog::Skill::WIRE_FIELDS),
    ("Profile", crate::api::catalog::Profile::WIRE_FIELDS),
    ("Lob", crate::api::catalog::Lob::WIRE_FIELDS),
];

/// Every error kind, in the order of design.md's table.
pub const ERROR_KINDS: [ErrorKind; 10] = [
    ErrorKind::Config,
    ErrorKind::Auth,
    ErrorKind::Forbidden,
    ErrorKind::NotFound,
    ErrorKind::Conflict,
    ErrorKind::Invalid,
    ErrorKind::RateLimited,
    ErrorKind::Server,
    ErrorKind::Transport,
    ErrorKind::Decode,
];

/// The whole surface as JSON, for bindings to hand to their tests:
/// `{ settings, spelled: { python, node, uniffi }, env: { LP_X: setting },
/// client, users, agentGroups, catalog, errorCodes, entities: { User: [wire
/// field, ...], ... } }`.
pub fn to_json() -> String {
    serde_json::json!({
        "settings": SETTINGS.iter().map(|s| s.name).collect::<Vec<_>>(),
        "spelled": {
            "python": spelled(Style::Python),
            "node": spelled(Style::Node),
            "uniffi": spelled(Style::Uniffi),
        },
        "env": SETTINGS.iter().flat_map(|s| s.env.iter().map(|v| (*v, s.name))).collect::<std::collections::BTreeMap<_, _>>(),
        "client": CLIENT_METHODS,
        "users": USERS_METHODS,
        "agentGroups": AGENT_GROUPS_METHODS,
        "catalog": CATALOG_METHODS,
        "errorCodes": ERROR_KINDS.iter().map(|k| k.code()).collect::<Vec<_>>(),
        "entities": ENTITY_FIELDS.iter().map(|(name, fields)| (*name, *fields)).collect::<std::collections::BTreeMap<_, _>>(),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Client, Credentials};

    /// Fails to compile when a kind is added without listing it above.
    fn position(kind: ErrorKind) -> usize {
        match kind {
            ErrorKind::Config => 0,
            ErrorKind::Auth => 1,
            ErrorKind::Forbidden => 2,
            ErrorKind::NotFound => 3,
            ErrorKind::Conflict => 4,
            ErrorKind::Invalid => 5,
            ErrorKind::RateLimited => 6,
            ErrorKind::Server => 7,
            ErrorKind::Transport => 8,
            ErrorKind::Decode => 9,
        }
    }

    #[test]
    fn error_kinds_are_all_listed_once() {
        for (i, k) in ERROR_KINDS.iter().enumerate() {
            assert_eq!(position(*k), i);
        }
    }

    #[test]
    fn settings_are_the_fields_of_config() {
        let config =
            Client::builder().account("demo").credentials(Credentials::bearer("t")).config().unwrap();
        // The derived Debug lists every field; top-level ones are indented by 4.
        let text = format!("{config:#?}");
        let fields: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("    "))
            .filter(|l| !l.starts_with(' '))
            .filter_map(|l| l.split_once(':').map(|(name, _)| name))
            // The front end's name, and a test hook (`reconcile_creates`).
            .filter(|name| *name != "binding" && *name != "reconcile_creates")
            .collect();
        // `retry_delays` is the other way to set `retry`.
        let mut want: Vec<&str> = SETTINGS.iter().map(|s| s.name).filter(|n| *n != "retry_delays").collect();
        want.sort_unstable();
        let mut got = fields.clone();
        got.sort_unstable();
        assert_eq!(
            got, want,
            "Config's fields and surface::SETTINGS differ; update SETTINGS and the bindings"
        );
    }

    #[test]
    fn json_has_every_list() {
        let v: serde_json::Value = serde_json::from_str(&to_json()).unwrap();
        assert_eq!(v["errorCodes"].as_array().unwrap().len(), 10);
        assert_eq!(v["settings"].as_array().unwrap().len(), SETTINGS.len());
    }
}
