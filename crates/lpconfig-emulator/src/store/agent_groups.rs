//! Agent groups and their hierarchy (agent-groups-api.md §3.3, §4.2; D3, D15, D17):
//! one root (the only group with `parentGroupId: null`), parents must be live, no
//! cycles, names unique among non-deleted groups (case-sensitive).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::error::{StoreError, StoreResult};
use super::lenient::{opt_bool, opt_i64, opt_string, required};
use super::ops::{Cleanup, PasswordPlan, Plan};
use super::{AccountStore, CollectionKind};

const KNOWN: &[&str] = &["id", "deleted", "name", "parentGroupId", "isEnabled", "description", "dateUpdated"];

fn is_root(stored: &Map<String, Value>) -> bool {
    stored.get("parentGroupId").is_some_and(Value::is_null)
}

/// Validates one create (`id: None`) or update item.
pub(crate) fn plan(
    store: &AccountStore,
    map: &Map<String, Value>,
    id: Option<i64>,
    earlier: &[Plan],
) -> StoreResult<Plan> {
    let groups = store.table(CollectionKind::AgentGroups);
    let old = id.and_then(|id| groups.entries.get(&id));
    let mut out: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| !KNOWN.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    let name = opt_string(map, "name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| required("name", "name.required"))?;
    out.insert("name".into(), name.into());
    let enabled = opt_bool(map, "isEnabled")?.ok_or_else(|| required("isEnabled", "isEnabled.required"))?;
    out.insert("isEnabled".into(), enabled.into());
    if let Some(d) = opt_string(map, "description")? {
        out.insert("description".into(), d.into());
    }

    let parent = opt_i64(map, "parentGroupId")?;
    let parent_value = match (old.map(|o| is_root(&o.stored)), parent) {
        // The root stays the root: it cannot be moved (KC: "cannot be moved").
        (Some(true), None) => Value::Null,
        (Some(true), Some(_)) => {
            return Err(StoreError::invalid(
                "parentGroupId",
                "parentGroupId.root",
                "the root group cannot be moved under another group",
            ))
        }
        (_, None) => {
            let root_exists = groups.live().any(|(_, e)| is_root(&e.stored))
                || earlier.iter().any(|p| p.id.is_none() && is_root(&p.stored));
            if root_exists {
                return Err(StoreError::invalid(
                    "parentGroupId",
                    "parentGroupId.required",
                    "parentGroupId is required: a root group already exists",
                ));
            }
            // An empty account's first group becomes the root (agent-groups-api.md §4.2).
            Value::Null
        }
        (_, Some(p)) => {
            if Some(p) == id {
                return Err(StoreError::invalid(
                    "parentGroupId",
                    "parentGroupId.cycle",
                    "a group cannot be its own parent",
                ));
            }
            if !groups.is_live(p) {
                return Err(StoreError::invalid(
                    "parentGroupId",
                    "parentGroupId.unknown",
                    format!("parent group {p} does not exist or is deleted"),
                ));
            }
            p.into()
        }
    };
    out.insert("parentGroupId".into(), parent_value);
    Ok(Plan { id, stored: out, password: PasswordPlan::Keep })
}

/// Names unique among the non-deleted groups after the request (409), and no cycle
/// in the resulting tree.
pub(crate) fn check_batch(store: &AccountStore, plans: &[Plan]) -> StoreResult<()> {
    let groups = store.table(CollectionKind::AgentGroups);
    let batch_ids: HashSet<i64> = plans.iter().filter_map(|p| p.id).collect();
    let mut names: HashSet<&str> = groups
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
                format!("an agent group named {name:?} already exists"),
            ));
        }
    }
    let mut parents: HashMap<i64, Option<i64>> =
        groups.live().map(|(id, e)| (*id, e.stored.get("parentGroupId").and_then(Value::as_i64))).collect();
    for plan in plans {
        if let Some(id) = plan.id {
            parents.insert(id, plan.stored.get("parentGroupId").and_then(Value::as_i64));
        }
    }
    for id in &batch_ids {
        let mut cursor = parents.get(id).copied().flatten();
        let mut steps = 0;
        while let Some(p) = cursor {
            if p == *id || steps > parents.len() {
                return Err(StoreError::invalid(
                    "parentGroupId",
                    "parentGroupId.cycle",
                    format!("moving group {id} there would put it under its own descendant"),
                ));
            }
            cursor = parents.get(&p).copied().flatten();
            steps += 1;
        }
    }
    Ok(())
}

/// D17: the root, groups with live children outside the request, and groups that
/// users (`memberOf`/`managerOf`) or skills (`skillRoutingConfiguration`) point at
/// are refused; with `allow_delete_referenced_groups` those references are cleared
/// instead and returned as cleanups.
pub(crate) fn check_delete(store: &AccountStore, ids: &[i64]) -> StoreResult<Vec<Cleanup>> {
    let groups = store.table(CollectionKind::AgentGroups);
    let doomed: HashSet<i64> = ids.iter().copied().collect();
    for id in ids {
        if is_root(&groups.entries[id].stored) {
            return Err(StoreError::invalid(
                "id",
                "agentGroup.root",
                format!("group {id} is the root group and cannot be deleted"),
            ));
        }
        let child = groups.live().find(|(cid, e)| {
            e.stored.get("parentGroupId").and_then(Value::as_i64) == Some(*id) && !doomed.contains(cid)
        });
        if let Some((cid, _)) = child {
            return Err(StoreError::invalid(
                "id",
                "agentGroup.hasChildren",
                format!("group {id} still has the child group {cid}; move or delete it first"),
            ));
        }
    }
    let allow = store.cfg.allow_delete_referenced_groups;
    let mut cleanups = Vec::new();
    for (uid, user) in store.table(CollectionKind::Users).live() {
        let member = user
            .stored
            .get("memberOf")
            .and_then(|m| m.get("agentGroupId"))
            .and_then(Value::as_i64)
            .filter(|g| doomed.contains(g));
        let managed = user.stored.get("managerOf").and_then(Value::as_array).is_some_and(|a| {
            a.iter()
                .any(|l| l.get("agentGroupId").and_then(Value::as_i64).is_some_and(|g| doomed.contains(&g)))
        });
        if member.is_none() && !managed {
            continue;
        }
        if !allow {
            return Err(StoreError::invalid(
                "id",
                "agentGroup.referencedByUsers",
                format!("user {uid} is a member or manager of a group being deleted"),
            ));
        }
        let mut stored = user.stored.clone();
        if member.is_some() {
            stored.remove("memberOf");
        }
        if let Some(Value::Array(links)) = stored.get_mut("managerOf") {
            links.retain(|l| {
                !l.get("agentGroupId").and_then(Value::as_i64).is_some_and(|g| doomed.contains(&g))
            });
        }
        cleanups.push((CollectionKind::Users, *uid, stored));
    }
    for (sid, skill) in store.table(CollectionKind::Skills).live() {
        let routes = skill.stored.get("skillRoutingConfiguration").and_then(Value::as_array);
        let hit =
            |r: &Value| r.get("agentGroupId").and_then(Value::as_i64).is_some_and(|g| doomed.contains(&g));
        if !routes.is_some_and(|r| r.iter().any(hit)) {
            continue;
        }
        if !allow {
            return Err(StoreError::invalid(
                "id",
                "agentGroup.referencedBySkills",
                format!("skill {sid} routes to a group being deleted"),
            ));
        }
        let mut stored = skill.stored.clone();
        if let Some(Value::Array(r)) = stored.get_mut("skillRoutingConfiguration") {
            r.retain(|x| !hit(x));
        }
        cleanups.push((CollectionKind::Skills, *sid, stored));
    }
    Ok(cleanups)
}
