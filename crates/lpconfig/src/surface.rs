//! The public surface every binding must expose, as lists the bindings'
//! parity tests compare their own introspected surfaces with (Python's class
//! attributes and keyword arguments, Node's prototypes and accepted options,
//! uniffi's records). This module's tests tie the lists to the core itself:
//! [`SETTINGS`] to the fields of [`Config`](crate::Config), [`ERROR_KINDS`]
//! to every [`ErrorKind`] variant. A new core setting or error kind thus fails
//! here first, then in every binding that does not expose it yet.

use crate::error::ErrorKind;

/// The settings of [`Config`](crate::Config) (its field names, except the
/// internal `binding`). Bindings may spell them their own way (camelCase,
/// a `_ms` suffix for durations in milliseconds, `retry` as a policy object).
pub const SETTINGS: &[&str] = &[
    "account",
    "credentials",
    "csds_url",
    "api_version",
    "connect_timeout",
    "request_timeout",
    "retry",
    "refresh_interval",
    "csds_ttl",
    "force_read_write",
    "method_override",
    "batch_size",
];

/// Core settings the bindings do not expose yet (known drift, listed so that the
/// test below still catches any new setting): the CA bundle and proxy
/// (docs/network.md) and the legacy query-delta opt-in (docs/query-delta.md).
/// Moving one into [`SETTINGS`] makes each binding's parity test demand it.
pub const NOT_YET_IN_BINDINGS: &[&str] = &["ca_bundle", "proxy", "legacy"];

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
/// `{ settings, client, users, agentGroups, catalog, errorCodes }`.
pub fn to_json() -> String {
    serde_json::json!({
        "settings": SETTINGS,
        "client": CLIENT_METHODS,
        "users": USERS_METHODS,
        "agentGroups": AGENT_GROUPS_METHODS,
        "catalog": CATALOG_METHODS,
        "errorCodes": ERROR_KINDS.iter().map(|k| k.code()).collect::<Vec<_>>(),
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
        let mut want = SETTINGS.to_vec();
        want.extend_from_slice(NOT_YET_IN_BINDINGS);
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
