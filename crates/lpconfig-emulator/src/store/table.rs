//! Storage of one collection: entities by id in id order, each with its revision
//! stamp and a pre-serialised response form so that listing 50,000 users is a
//! concatenation rather than a re-serialisation.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// One stored entity.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Canonical state: unmasked, native types, no password.
    pub stored: Map<String, Value>,
    /// Revision of the last change to this entity.
    pub stamp: u64,
    /// Users only: the opaque password hash (`<<slt>>1000:...`).
    pub password: Option<String>,
    /// The response form (`$all`, masked) serialised. Only this and `stored` are
    /// kept: a second parsed copy would double the memory of a 50,000-user account.
    pub json: String,
}

impl Entry {
    pub fn deleted(&self) -> bool {
        self.stored.get("deleted").and_then(Value::as_bool).unwrap_or(false)
    }
}

/// One collection.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub entries: BTreeMap<i64, Entry>,
    /// Highest stamp in the collection, tombstones included (D5). Stamps only grow
    /// and entities are never removed, so this is the last stamp written.
    pub max_stamp: u64,
    next_id: i64,
    step: i64,
}

impl Table {
    pub fn new(first_id: i64, step: i64) -> Table {
        Table { entries: BTreeMap::new(), max_stamp: 0, next_id: first_id, step }
    }

    /// A fresh id, never reused (ids of deleted entities stay taken).
    pub fn allocate_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += self.step;
        id
    }

    /// Whether `id` exists and is not deleted.
    pub fn is_live(&self, id: i64) -> bool {
        self.entries.get(&id).is_some_and(|e| !e.deleted())
    }

    /// Non-deleted entities.
    pub fn live(&self) -> impl Iterator<Item = (&i64, &Entry)> {
        self.entries.iter().filter(|(_, e)| !e.deleted())
    }
}
