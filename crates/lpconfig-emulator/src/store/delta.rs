//! Query delta (docs/query-delta.md, decision D18): what changed since a
//! revision (type 0), every change in a revision range (type 1), and the
//! current snapshot (type 2, users only).
//!
//! Current versions live in the tables; versions that were replaced are kept in
//! [`AccountStore::history`] with the stamp they had, so a range query can show
//! an entity once for every revision it changed in.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{AccountStore, CollectionKind};
use crate::clock;

/// A replaced version of an entity, in its response form.
#[derive(Debug, Clone)]
pub(crate) struct Superseded {
    pub kind: CollectionKind,
    pub stamp: u64,
    pub json: String,
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or(Value::Null)
}

impl AccountStore {
    /// Type 0: entities (tombstones included) whose last change is after
    /// `since`, in their latest state, and the collection's current revision.
    pub fn delta_since(&self, kind: CollectionKind, since: u64) -> (Vec<Value>, u64) {
        let items =
            self.table(kind).entries.values().filter(|e| e.stamp > since).map(|e| parse(&e.json)).collect();
        (items, self.revision(kind))
    }

    /// Type 1: for each revision in `from` (exclusive) ..= `to` that changed
    /// this collection, the entities as that revision left them, oldest first.
    pub fn changes_between(&self, kind: CollectionKind, from: u64, to: u64) -> Vec<(u64, Vec<Value>)> {
        let in_range = |stamp: u64| stamp > from && stamp <= to;
        let mut by_revision: BTreeMap<u64, Vec<Value>> = BTreeMap::new();
        for h in self.history.iter().filter(|h| h.kind == kind && in_range(h.stamp)) {
            by_revision.entry(h.stamp).or_default().push(parse(&h.json));
        }
        for e in self.table(kind).entries.values().filter(|e| in_range(e.stamp)) {
            by_revision.entry(e.stamp).or_default().push(parse(&e.json));
        }
        by_revision.into_iter().collect()
    }

    /// Type 2: the non-deleted entities and the collection revision.
    pub fn snapshot(&self, kind: CollectionKind) -> (Vec<Value>, u64) {
        (self.table(kind).live().map(|(_, e)| parse(&e.json)).collect(), self.revision(kind))
    }
}

/// The date shown for a revision: the newest `dateUpdated` among its items, or now.
pub(crate) fn revision_date(items: &[Value]) -> String {
    items
        .iter()
        .filter_map(|i| i.get("dateUpdated").and_then(Value::as_str))
        .max()
        .map_or_else(|| clock::api_datetime(clock::now_secs()), str::to_owned)
}

/// `appApiVersion` of the type-0 envelope, as in the docs' examples.
pub(crate) fn app_api_version(kind: CollectionKind) -> u32 {
    if kind == CollectionKind::Users {
        2
    } else {
        1
    }
}

/// The type-0 envelope for several sites.
pub(crate) fn delta_envelope(kind: CollectionKind, sites: Vec<(String, Vec<Value>, u64)>) -> Value {
    let accounts: Vec<Value> = sites
        .into_iter()
        .map(|(site, items, revision)| {
            json!({ "siteId": site, "itemsCollection": { "items": items, "revision": revision } })
        })
        .collect();
    json!({ "appDataList": [{
        "appName": "le-users",
        "appApiVersion": app_api_version(kind),
        "accountList": { "accountList": accounts },
    }]})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreConfig;

    #[test]
    fn delta_changes_and_snapshot() {
        let mut s = AccountStore::new("a", StoreConfig::default());
        let kind = CollectionKind::AgentGroups;
        let r0 = s.revision(kind);
        let made =
            s.create(kind, vec![json!({"name": "A", "parentGroupId": -1, "isEnabled": true})]).unwrap();
        let id = made[0]["id"].as_i64().unwrap();
        let r1 = s.revision(kind);
        let mut g = made[0].clone();
        g["name"] = "B".into();
        s.update(kind, vec![g], None).unwrap();
        let r2 = s.revision(kind);

        let (items, rev) = s.delta_since(kind, r0);
        assert_eq!(rev, r2);
        assert_eq!(items.len(), 1, "once, latest state");
        assert_eq!(items[0]["name"], "B");
        assert!(s.delta_since(kind, r2).0.is_empty());

        let changes = s.changes_between(kind, r0, r2);
        let names: Vec<(u64, &str)> =
            changes.iter().map(|(r, items)| (*r, items[0]["name"].as_str().unwrap())).collect();
        assert_eq!(names, [(r1, "A"), (r2, "B")]);
        assert_eq!(s.changes_between(kind, r1, r2).len(), 1, "from is exclusive");

        s.delete(kind, vec![crate::store::IdInput::Num(id)], None).unwrap();
        let (live, _) = s.snapshot(kind);
        assert!(live.iter().all(|g| g["id"] != id));
        let (items, _) = s.delta_since(kind, r2);
        assert_eq!(items[0]["deleted"], true, "tombstones are part of a delta");
    }
}
