//! Skills, profiles and LOBs (agent-groups-api.md §6): the collections users point
//! at. Their rules are kept to what references need: unique names, live targets,
//! and no deletion of something still in use (§7.5).

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::error::{StoreError, StoreResult};
use super::lenient::{as_i64, id_list, opt_bool, opt_i64, opt_string, present, required};
use super::ops::{Cleanup, PasswordPlan, Plan};
use super::users::ids_of;
use super::{AccountStore, CollectionKind};

/// Role names by `roleTypeId - 1` (agent-groups-api.md §6.2).
pub(crate) const ROLE_NAMES: [&str; 5] =
    ["Administrator", "Agent", "Agent Manager", "Campaign Manager", "LPA"];

/// Read-only or server-set fields never taken from input.
const SERVER_SET: &[&str] = &["id", "deleted", "dateUpdated", "numOfAssignedUsers", "roleTypeName"];

/// Validates one create (`id: None`) or update item of a skill, profile or LOB.
pub(crate) fn plan(
    store: &AccountStore,
    kind: CollectionKind,
    map: &Map<String, Value>,
    id: Option<i64>,
) -> StoreResult<Plan> {
    // Fields not interpreted here (survey ids, SLA times, ...) pass through as given.
    let mut out: Map<String, Value> = map
        .iter()
        .filter(|(k, v)| !SERVER_SET.contains(&k.as_str()) && !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let name = opt_string(map, "name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| required("name", "name.required"))?;
    out.insert("name".into(), name.into());
    if let Some(d) = opt_string(map, "description")? {
        out.insert("description".into(), d.into());
    }
    match kind {
        CollectionKind::Skills => plan_skill(store, map, id, &mut out)?,
        CollectionKind::Profiles => plan_profile(store, map, id, &mut out)?,
        _ => {}
    }
    Ok(Plan { id, stored: out, password: PasswordPlan::Keep })
}

fn plan_skill(
    store: &AccountStore,
    map: &Map<String, Value>,
    id: Option<i64>,
    out: &mut Map<String, Value>,
) -> StoreResult<()> {
    for key in [
        "skillOrder",
        "wrapUpTime",
        "slaDefaultResponseTime",
        "slaUrgentResponseTime",
        "slaFirstTimeResponseTime",
    ] {
        if let Some(n) = opt_i64(map, key)? {
            out.insert(key.into(), n.into());
        }
    }
    out.insert("maxWaitTime".into(), opt_i64(map, "maxWaitTime")?.unwrap_or(120).into());
    out.insert("canTransfer".into(), opt_bool(map, "canTransfer")?.unwrap_or(true).into());
    let lob_ids = id_list(map, "lobIds")?;
    if let Some(l) = lob_ids.iter().find(|l| !store.table(CollectionKind::Lobs).is_live(**l)) {
        return Err(StoreError::invalid(
            "lobIds",
            "lobIds.unknown",
            format!("LOB {l} does not exist or is deleted"),
        ));
    }
    out.insert("lobIds".into(), json!(lob_ids));
    // `null` means "may transfer to every skill", so it is kept distinct from [].
    match present(map, "skillTransferList") {
        None => {
            out.insert("skillTransferList".into(), Value::Null);
        }
        Some(_) => {
            let list = id_list(map, "skillTransferList")?;
            let skills = store.table(CollectionKind::Skills);
            if let Some(s) = list.iter().find(|s| Some(**s) != id && !skills.is_live(**s)) {
                return Err(StoreError::invalid(
                    "skillTransferList",
                    "skillTransferList.unknown",
                    format!("skill {s} does not exist or is deleted"),
                ));
            }
            out.insert("skillTransferList".into(), json!(list));
        }
    }
    let routes = match present(map, "skillRoutingConfiguration") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(v) => {
            return Err(StoreError::invalid(
                "skillRoutingConfiguration",
                "skillRoutingConfiguration.type",
                format!("`skillRoutingConfiguration` must be an array, got {v}"),
            ))
        }
    };
    let mut normalised = Vec::with_capacity(routes.len());
    for route in &routes {
        let get = |k: &str| route.get(k).and_then(as_i64);
        let (Some(group), Some(priority), Some(split)) =
            (get("agentGroupId"), get("priority"), get("splitPercentage"))
        else {
            return Err(StoreError::invalid(
                "skillRoutingConfiguration",
                "skillRoutingConfiguration.invalid",
                "each routing entry needs integer agentGroupId, priority and splitPercentage",
            ));
        };
        if !store.table(CollectionKind::AgentGroups).is_live(group) {
            return Err(StoreError::invalid(
                "skillRoutingConfiguration",
                "skillRoutingConfiguration.unknownGroup",
                format!("agent group {group} does not exist or is deleted"),
            ));
        }
        normalised.push(json!({"agentGroupId": group, "priority": priority, "splitPercentage": split}));
    }
    out.insert("skillRoutingConfiguration".into(), Value::Array(normalised));
    Ok(())
}

fn plan_profile(
    store: &AccountStore,
    map: &Map<String, Value>,
    id: Option<i64>,
    out: &mut Map<String, Value>,
) -> StoreResult<()> {
    let role = opt_i64(map, "roleTypeId")?.ok_or_else(|| required("roleTypeId", "roleTypeId.required"))?;
    if !(1..=5).contains(&role) {
        return Err(StoreError::invalid(
            "roleTypeId",
            "roleTypeId.invalid",
            format!("roleTypeId {role} is not one of 1-5"),
        ));
    }
    if let Some(id) = id {
        // Users' roles come from this profile; changing its role under them would
        // silently break the role-dependent fields of every holder.
        let changed = store.profile_role(id) != Some(role);
        let in_use = store
            .table(CollectionKind::Users)
            .live()
            .any(|(_, u)| ids_of(&u.stored, "profileIds").contains(&id));
        if changed && in_use {
            return Err(StoreError::invalid(
                "roleTypeId",
                "roleTypeId.inUse",
                format!("profile {id} is assigned to users; its roleTypeId cannot change"),
            ));
        }
    }
    out.insert("roleTypeId".into(), role.into());
    out.insert("roleTypeName".into(), ROLE_NAMES[(role - 1) as usize].into());
    out.insert("isAssignedToLPA".into(), opt_bool(map, "isAssignedToLPA")?.unwrap_or(false).into());
    for key in ["permissionPackages", "permissions"] {
        match present(map, key) {
            None => {
                out.insert(key.into(), json!([]));
            }
            Some(Value::Array(_)) => {}
            Some(v) => {
                return Err(StoreError::invalid(
                    key,
                    "profile.type",
                    format!("`{key}` must be an array, got {v}"),
                ))
            }
        }
    }
    if let Some(n) = id.and_then(|id| store.table(CollectionKind::Profiles).entries.get(&id)) {
        if let Some(c) = n.stored.get("numOfAssignedUsers") {
            out.insert("numOfAssignedUsers".into(), c.clone());
        }
    }
    Ok(())
}

/// Names unique among non-deleted entities after the request (409).
pub(crate) fn check_batch(store: &AccountStore, kind: CollectionKind, plans: &[Plan]) -> StoreResult<()> {
    let batch_ids: HashSet<i64> = plans.iter().filter_map(|p| p.id).collect();
    let mut names: HashSet<&str> = store
        .table(kind)
        .live()
        .filter(|(id, _)| !batch_ids.contains(id))
        .filter_map(|(_, e)| e.stored.get("name").and_then(Value::as_str))
        .collect();
    for plan in plans {
        let name = plan.stored.get("name").and_then(Value::as_str).unwrap_or_default();
        if !names.insert(name) {
            return Err(StoreError::conflict(
                "name",
                "name.duplicate",
                format!("a {} entry named {name:?} already exists", kind.path_segment()),
            ));
        }
    }
    Ok(())
}

/// Refuses deleting a skill, profile or LOB that live users or skills still point
/// at; for skills and LOBs `allow_delete_referenced_catalog` clears the references.
pub(crate) fn check_delete(
    store: &AccountStore,
    kind: CollectionKind,
    ids: &[i64],
) -> StoreResult<Vec<Cleanup>> {
    let doomed: HashSet<i64> = ids.iter().copied().collect();
    let allow = store.cfg.allow_delete_referenced_catalog && kind != CollectionKind::Profiles;
    let user_field = match kind {
        CollectionKind::Skills => "skillIds",
        CollectionKind::Profiles => "profileIds",
        _ => "lobIds",
    };
    let mut cleanups = Vec::new();
    for (uid, user) in store.table(CollectionKind::Users).live() {
        let held = ids_of(&user.stored, user_field);
        if !held.iter().any(|i| doomed.contains(i)) {
            continue;
        }
        if !allow {
            return Err(StoreError::invalid(
                "id",
                "catalog.referencedByUsers",
                format!("user {uid} still references a {} entry being deleted", kind.path_segment()),
            ));
        }
        let mut stored = user.stored.clone();
        let kept: Vec<i64> = held.into_iter().filter(|i| !doomed.contains(i)).collect();
        stored.insert(user_field.into(), json!(kept));
        cleanups.push((CollectionKind::Users, *uid, stored));
    }
    let skill_fields: &[&str] = match kind {
        CollectionKind::Skills => &["skillTransferList"],
        CollectionKind::Lobs => &["lobIds"],
        _ => &[],
    };
    for (sid, skill) in store.table(CollectionKind::Skills).live() {
        if doomed.contains(sid) {
            continue;
        }
        let mut stored = skill.stored.clone();
        let mut hit = false;
        for field in skill_fields {
            let held = ids_of(&skill.stored, field);
            if held.iter().any(|i| doomed.contains(i)) {
                hit = true;
                let kept: Vec<i64> = held.into_iter().filter(|i| !doomed.contains(i)).collect();
                stored.insert((*field).into(), json!(kept));
            }
        }
        if !hit {
            continue;
        }
        if !allow {
            return Err(StoreError::invalid(
                "id",
                "catalog.referencedBySkills",
                format!("skill {sid} still references a {} entry being deleted", kind.path_segment()),
            ));
        }
        cleanups.push((CollectionKind::Skills, *sid, stored));
    }
    Ok(cleanups)
}
