//! Validation of users (users-api.md §7.1-§7.3, D13-D16): one request item becomes
//! the user's complete new stored state (full replacement, §7.2).

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::config::StoreConfig;
use super::error::{StoreError, StoreResult};
use super::lenient::{group_link_id, id_list, int_list, opt_bool, opt_i64, opt_string, present, required};
use super::ops::{PasswordPlan, Plan};
use super::{AccountStore, CollectionKind};

const ROLE_AGENT: i64 = 2;
const ROLE_AGENT_MANAGER: i64 = 3;

/// Fields the store interprets; everything else in a body is kept verbatim and
/// echoed back, so a client's read-modify-write round trip never loses data.
const KNOWN: &[&str] = &[
    "id",
    "pid",
    "deleted",
    "loginName",
    "fullName",
    "nickname",
    "isEnabled",
    "maxChats",
    "skillIds",
    "email",
    "memberOf",
    "managerOf",
    "changePwdNextLogin",
    "passwordSh",
    "oldPassword",
    "confirmPassword",
    "lastPwdChangeDate",
    "dateUpdated",
    "permissionGroups",
    "pictureId",
    "pictureUrl",
    "disabledManually",
    "description",
    "mobileNumber",
    "employeeId",
    "backgndImgUri",
    "pnCertName",
    "maxAsyncChats",
    "profileIds",
    "isApiUser",
    "userTypeId",
    "userType",
    "allowedAppKeys",
    "lobIds",
];

/// Optional free-text fields: stored when given, cleared when omitted.
const OPTIONAL_TEXT: &[&str] =
    &["pictureId", "pictureUrl", "description", "mobileNumber", "backgndImgUri", "pnCertName"];

/// The ids in an array field of a stored entity.
pub(crate) fn ids_of(stored: &Map<String, Value>, key: &str) -> Vec<i64> {
    stored
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

/// A required string field of a password request body.
pub(crate) fn password_field(map: &Map<String, Value>, key: &str, rule: &'static str) -> StoreResult<String> {
    match present(map, key) {
        None => Err(required(key, rule)),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(v) => Err(StoreError::invalid(
            key,
            match key {
                "oldPassword" => "oldPassword.type",
                "confirmPassword" => "confirmPassword.type",
                _ => "newPassword.type",
            },
            format!("`{key}` must be a string, got {v}"),
        )),
    }
}

/// The password policy (§7.3): a minimum length, nothing else by default.
pub(crate) fn check_password_rule(
    cfg: &StoreConfig,
    field: &str,
    rule: &'static str,
    pw: &str,
) -> StoreResult<()> {
    if pw.chars().count() < cfg.min_password_len {
        return Err(StoreError::invalid(
            field,
            rule,
            format!("the password must have at least {} characters", cfg.min_password_len),
        ));
    }
    Ok(())
}

fn non_empty_string(map: &Map<String, Value>, key: &str, rule: &'static str) -> StoreResult<String> {
    opt_string(map, key)?.filter(|s| !s.is_empty()).ok_or_else(|| required(key, rule))
}

fn check_login_name(login: &str) -> StoreResult<()> {
    let bad = |why: &str| StoreError::invalid("loginName", "loginName.invalid", format!("loginName {why}"));
    if login.chars().count() > 254 {
        return Err(bad("is longer than 254 characters"));
    }
    if login.trim() != login {
        return Err(bad("has leading or trailing whitespace"));
    }
    if login.chars().any(char::is_control) {
        return Err(bad("contains control characters"));
    }
    Ok(())
}

fn check_email(email: &str) -> StoreResult<()> {
    let ok = email.matches('@').count() == 1
        && !email.chars().any(char::is_whitespace)
        && email.split('@').all(|part| !part.is_empty());
    if ok {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "email",
            "email.invalid",
            format!("email {email:?} needs exactly one @ between a non-empty local part and domain, and no spaces"),
        ))
    }
}

fn group_must_be_live(store: &AccountStore, id: i64, field: &str, rule: &'static str) -> StoreResult<()> {
    if store.table(CollectionKind::AgentGroups).is_live(id) {
        Ok(())
    } else {
        Err(StoreError::invalid(field, rule, format!("agent group {id} does not exist or is deleted")))
    }
}

fn ids_must_be_live(
    store: &AccountStore,
    kind: CollectionKind,
    ids: &[i64],
    field: &str,
    rule: &'static str,
) -> StoreResult<()> {
    match ids.iter().find(|id| !store.table(kind).is_live(**id)) {
        None => Ok(()),
        Some(id) => Err(StoreError::invalid(
            field,
            rule,
            format!("{} {id} does not exist or is deleted", kind.path_segment()),
        )),
    }
}

/// The stored link for `group_id`, keeping `assignmentDate` when the group did not
/// change (§7.2).
fn link(group_id: i64, previous: Option<&Value>, now: &str) -> Value {
    let kept = previous
        .filter(|p| p.get("agentGroupId").and_then(Value::as_i64) == Some(group_id))
        .and_then(|p| p.get("assignmentDate"))
        .cloned();
    json!({"agentGroupId": group_id, "assignmentDate": kept.unwrap_or_else(|| now.into())})
}

/// Validates one create (`id: None`) or update item into the user's new state.
pub(crate) fn plan(
    store: &AccountStore,
    map: &Map<String, Value>,
    id: Option<i64>,
    now: &str,
) -> StoreResult<Plan> {
    let cfg = &store.cfg;
    let old = id.and_then(|id| store.table(CollectionKind::Users).entries.get(&id));
    let old_stored = old.map(|e| &e.stored);
    let mut out: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| !KNOWN.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    // Identity and contact.
    let login = non_empty_string(map, "loginName", "loginName.required")?;
    if cfg.validate_login_name {
        check_login_name(&login)?;
    }
    if let (true, Some(previous)) =
        (cfg.login_name_immutable, old_stored.and_then(|o| o.get("loginName")).and_then(Value::as_str))
    {
        if previous != login {
            return Err(StoreError::invalid(
                "loginName",
                "loginName.immutable",
                "loginName cannot be changed on this account",
            ));
        }
    }
    out.insert("loginName".into(), login.into());

    match opt_string(map, "fullName")? {
        None if cfg.require_full_name => return Err(required("fullName", "fullName.required")),
        None => {}
        Some(s) if s.is_empty() => {
            // D14: a masked read gave the client "", so "" means "keep".
            let kept = old_stored
                .filter(|_| cfg.masking)
                .and_then(|o| o.get("fullName"))
                .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()));
            match kept {
                Some(v) => {
                    out.insert("fullName".into(), v.clone());
                }
                None if !cfg.allow_empty_full_name => {
                    return Err(StoreError::invalid(
                        "fullName",
                        "fullName.empty",
                        "fullName must not be empty",
                    ))
                }
                None => {
                    out.insert("fullName".into(), "".into());
                }
            }
        }
        Some(s) => {
            out.insert("fullName".into(), s.into());
        }
    }
    match opt_string(map, "employeeId")? {
        Some(s) if s.is_empty() && cfg.masking => {
            if let Some(v) = old_stored.and_then(|o| o.get("employeeId")) {
                out.insert("employeeId".into(), v.clone());
            }
        }
        Some(s) => {
            out.insert("employeeId".into(), s.into());
        }
        None => {}
    }
    out.insert("nickname".into(), non_empty_string(map, "nickname", "nickname.required")?.into());
    let email = non_empty_string(map, "email", "email.required")?;
    if cfg.validate_email {
        check_email(&email)?;
    }
    out.insert("email".into(), email.into());
    for key in OPTIONAL_TEXT {
        if let Some(s) = opt_string(map, key)? {
            out.insert((*key).into(), s.into());
        }
    }

    // Enablement.
    let enabled = opt_bool(map, "isEnabled")?.ok_or_else(|| required("isEnabled", "isEnabled.required"))?;
    out.insert("isEnabled".into(), enabled.into());
    let was_enabled = old_stored.and_then(|o| o.get("isEnabled")).and_then(Value::as_bool);
    let disabled_manually = match (opt_bool(map, "disabledManually")?, was_enabled) {
        (Some(given), _) => given,
        (None, Some(was)) if was == enabled => {
            old_stored.and_then(|o| o.get("disabledManually")).and_then(Value::as_bool).unwrap_or(!enabled)
        }
        (None, _) => !enabled,
    };
    out.insert("disabledManually".into(), disabled_manually.into());
    out.insert("changePwdNextLogin".into(), opt_bool(map, "changePwdNextLogin")?.unwrap_or(false).into());
    out.insert("permissionGroups".into(), json!(int_list(map, "permissionGroups")?.unwrap_or_default()));

    // Concurrency.
    let max_chats = opt_i64(map, "maxChats")?.ok_or_else(|| required("maxChats", "maxChats.required"))?;
    let min = if cfg.allow_max_chats_minus_one { -1 } else { 0 };
    if max_chats < min || cfg.max_chats_limit.is_some_and(|max| max_chats > max) {
        return Err(StoreError::invalid(
            "maxChats",
            "maxChats.range",
            format!("maxChats {max_chats} is out of range"),
        ));
    }
    let max_async = opt_i64(map, "maxAsyncChats")?;
    if max_async.is_some_and(|n| n < 0) {
        return Err(StoreError::invalid(
            "maxAsyncChats",
            "maxAsyncChats.range",
            "maxAsyncChats must be null or a non-negative integer",
        ));
    }

    // User type and API access.
    let user_type = match opt_i64(map, "userTypeId")? {
        Some(t) => t,
        None => opt_i64(map, "userType")?.unwrap_or(1),
    };
    if !(user_type == 1 || user_type == 2 || (user_type == 0 && cfg.allow_system_user)) {
        return Err(StoreError::invalid(
            "userTypeId",
            "userTypeId.invalid",
            format!("userTypeId {user_type} is not allowed (1 human, 2 bot)"),
        ));
    }
    out.insert("userTypeId".into(), user_type.into());
    let api_user = opt_bool(map, "isApiUser")?.unwrap_or(false);
    out.insert("isApiUser".into(), api_user.into());
    let app_keys = opt_string(map, "allowedAppKeys")?;
    if api_user && app_keys.as_deref().is_none_or(|k| k.trim().is_empty()) {
        return Err(required("allowedAppKeys", "allowedAppKeys.required"));
    }
    if let Some(k) = app_keys {
        out.insert("allowedAppKeys".into(), k.into());
    }

    // Profiles and the roles they grant (D16).
    let profile_ids = id_list(map, "profileIds")?;
    if profile_ids.is_empty() {
        return Err(required("profileIds", "profileIds.required"));
    }
    ids_must_be_live(store, CollectionKind::Profiles, &profile_ids, "profileIds", "profileIds.unknown")?;
    if cfg.one_profile_per_role {
        if profile_ids.len() > 4 {
            return Err(StoreError::invalid(
                "profileIds",
                "profileIds.tooMany",
                "a user has at most 4 profiles",
            ));
        }
        let mut seen = HashSet::new();
        for p in &profile_ids {
            if let Some(role) = store.profile_role(*p) {
                if !seen.insert(role) {
                    return Err(StoreError::invalid(
                        "profileIds",
                        "profileIds.duplicateRole",
                        format!("two profiles grant role type {role}; at most one per role"),
                    ));
                }
            }
        }
    }
    let roles: HashSet<i64> = profile_ids.iter().filter_map(|p| store.profile_role(*p)).collect();
    let old_roles: HashSet<i64> = old_stored
        .map(|o| ids_of(o, "profileIds").into_iter().filter_map(|p| store.profile_role(p)).collect())
        .unwrap_or_default();
    out.insert("profileIds".into(), json!(profile_ids));

    let lob_ids = id_list(map, "lobIds")?;
    ids_must_be_live(store, CollectionKind::Lobs, &lob_ids, "lobIds", "lobIds.unknown")?;
    out.insert("lobIds".into(), json!(lob_ids));

    // Agent fields: memberOf, skills, concurrency.
    let previous_member_of = old_stored.and_then(|o| o.get("memberOf"));
    let is_agent = roles.contains(&ROLE_AGENT);
    if !is_agent && old_roles.contains(&ROLE_AGENT) {
        // Losing the Agent role resets the agent fields whatever the body says (D16).
        out.insert("maxChats".into(), 0.into());
        out.insert("maxAsyncChats".into(), Value::Null);
        out.insert("skillIds".into(), json!([]));
    } else {
        out.insert("maxChats".into(), max_chats.into());
        out.insert("maxAsyncChats".into(), max_async.map_or(Value::Null, Value::from));
        let skill_ids = id_list(map, "skillIds")?;
        ids_must_be_live(store, CollectionKind::Skills, &skill_ids, "skillIds", "skillIds.unknown")?;
        out.insert("skillIds".into(), json!(skill_ids));
    }
    if is_agent {
        let group = match present(map, "memberOf") {
            Some(v) => {
                let g = group_link_id(v, "memberOf")?;
                group_must_be_live(store, g, "memberOf.agentGroupId", "memberOf.unknownGroup")?;
                g
            }
            None if cfg.agent_requires_member_of => {
                return Err(StoreError::invalid(
                    "memberOf",
                    "memberOf.required",
                    "users with the Agent role need memberOf",
                ))
            }
            None => root_group(store).ok_or_else(|| {
                StoreError::invalid("memberOf", "memberOf.required", "no root group to assign the agent to")
            })?,
        };
        out.insert("memberOf".into(), link(group, previous_member_of, now));
    }
    // Without the Agent role memberOf is dropped (§7.1).

    // Manager fields.
    let previous_manager_of: HashMap<i64, &Value> = old_stored
        .and_then(|o| o.get("managerOf"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter().filter_map(|l| l.get("agentGroupId").and_then(Value::as_i64).map(|g| (g, l))).collect()
        })
        .unwrap_or_default();
    let is_manager = roles.contains(&ROLE_AGENT_MANAGER);
    let manager_of = if !is_manager && old_roles.contains(&ROLE_AGENT_MANAGER) {
        Vec::new()
    } else {
        let links = match present(map, "managerOf") {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                items.iter().map(|l| group_link_id(l, "managerOf")).collect::<StoreResult<Vec<i64>>>()?
            }
            Some(v) => {
                return Err(StoreError::invalid(
                    "managerOf",
                    "managerOf.type",
                    format!("`managerOf` must be an array, got {v}"),
                ))
            }
        };
        if !links.is_empty() && !is_manager {
            return Err(StoreError::invalid(
                "managerOf",
                "managerOf.notManager",
                "only users with the Agent Manager role may manage groups",
            ));
        }
        let mut seen = HashSet::new();
        for g in &links {
            if !seen.insert(*g) {
                return Err(StoreError::invalid(
                    "managerOf",
                    "managerOf.duplicate",
                    format!("group {g} appears twice in managerOf"),
                ));
            }
            group_must_be_live(store, *g, "managerOf.agentGroupId", "managerOf.unknownGroup")?;
        }
        links.into_iter().map(|g| link(g, previous_manager_of.get(&g).copied(), now)).collect()
    };
    out.insert("managerOf".into(), Value::Array(manager_of));

    // Server-set fields survive an update.
    if let Some(o) = old_stored {
        for key in ["pid", "lastPwdChangeDate"] {
            if let Some(v) = o.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
    }

    let password =
        plan_password(store, map, old.and_then(|e| e.password.as_deref()), id.is_none(), api_user)?;
    Ok(Plan { id, stored: out, password })
}

/// D13: `null`, absence or the stored opaque string mean "unchanged".
fn plan_password(
    store: &AccountStore,
    map: &Map<String, Value>,
    old: Option<&str>,
    creating: bool,
    api_user: bool,
) -> StoreResult<PasswordPlan> {
    let incoming = match present(map, "passwordSh") {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()).filter(|s| Some(*s) != old),
        Some(v) => {
            return Err(StoreError::invalid(
                "passwordSh",
                "passwordSh.type",
                format!("`passwordSh` must be a string or null, got {v}"),
            ))
        }
    };
    if api_user {
        if incoming.is_some() {
            return Err(StoreError::invalid(
                "passwordSh",
                "passwordSh.notAllowed",
                "API users have no password; send passwordSh null or omit it",
            ));
        }
        return Ok(if old.is_some() { PasswordPlan::Clear } else { PasswordPlan::Keep });
    }
    match incoming {
        Some(pw) => {
            check_password_rule(&store.cfg, "passwordSh", "passwordSh.tooShort", pw)?;
            if store.cfg.password_history && old.is_some_and(|o| super::password::verify(o, pw)) {
                return Err(StoreError::invalid(
                    "passwordSh",
                    "passwordSh.reused",
                    "the new password equals the current one",
                ));
            }
            Ok(PasswordPlan::Set(pw.to_owned()))
        }
        None if creating || (old.is_none() && store.cfg.api_user_to_human_requires_password) => {
            Err(required("passwordSh", "passwordSh.required"))
        }
        None => Ok(PasswordPlan::Keep),
    }
}

/// The root of the group tree (the Main Group unless the account started empty).
fn root_group(store: &AccountStore) -> Option<i64> {
    store
        .table(CollectionKind::AgentGroups)
        .live()
        .find(|(_, e)| e.stored.get("parentGroupId").is_some_and(Value::is_null))
        .map(|(id, _)| *id)
}

/// Rules over the whole request: `loginName` unique among non-deleted users and
/// inside the batch (D15, 409), and the optional user-count limit.
pub(crate) fn check_batch(store: &AccountStore, plans: &[Plan]) -> StoreResult<()> {
    let batch_ids: HashSet<i64> = plans.iter().filter_map(|p| p.id).collect();
    let mut keys = HashSet::new();
    for plan in plans {
        let login = plan.stored.get("loginName").and_then(Value::as_str).unwrap_or_default();
        let key = store.login_key(login);
        let taken_outside = store.login_index.get(&key).is_some_and(|holder| !batch_ids.contains(holder));
        if taken_outside || !keys.insert(key) {
            return Err(StoreError::conflict(
                "loginName",
                "loginName.duplicate",
                format!("loginName {login:?} is already taken"),
            ));
        }
    }
    if let Some(max) = store.cfg.max_users {
        let creating = plans.iter().filter(|p| p.id.is_none()).count();
        if store.login_index.len() + creating > max {
            return Err(StoreError::invalid(
                "body",
                "users.limit",
                format!("the account allows at most {max} users"),
            ));
        }
    }
    Ok(())
}
