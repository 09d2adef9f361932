//! The account-config data model of the emulator, as pure logic (no HTTP).
//!
//! One [`AccountStore`] holds the five `le-users` collections of one account
//! (users, agent groups, skills, profiles, LOBs) under one account-wide revision
//! counter (D5). Every write validates the whole request first and only then
//! applies it with a single revision bump, so a failing batch leaves both state and
//! revision untouched (D8). Rules and their names: users-api.md §7,
//! agent-groups-api.md §4.2, decisions D3 and D13-D17.
//!
//! ```
//! use lpconfig_emulator::store::{AccountStore, CollectionKind, StoreConfig};
//! use serde_json::json;
//! let mut store = AccountStore::new("12345678", StoreConfig::default());
//! let before = store.revision(CollectionKind::AgentGroups);
//! let made = store
//!     .create(CollectionKind::AgentGroups, vec![json!({"name": "Billing", "parentGroupId": -1, "isEnabled": true})])
//!     .unwrap();
//! assert_eq!(made[0]["parentGroupId"], -1);
//! assert!(store.revision(CollectionKind::AgentGroups) > before);
//! ```

mod agent_groups;
mod catalog;
mod config;
pub(crate) mod delta;
mod demo;
mod error;
mod ids;
mod lenient;
mod ops;
pub(crate) mod password;
mod revision;
mod select;
mod table;
mod time;
mod users;

use std::collections::HashMap;

use serde_json::{Map, Value};

pub use config::StoreConfig;
pub use demo::{DEMO_BOT_APP_KEY, DEMO_DATE, DEMO_PASSWORD, DEMO_USERS};
pub use error::{StoreError, StoreResult};
pub use ids::{pid_for, IdInput};
pub use revision::IfMatch;
pub use select::{project, FieldSel, Selector};
pub use time::Clock;

use table::{Entry, Table};

/// The id of the Main Group seeded into every account (D3).
pub const MAIN_GROUP_ID: i64 = -1;

/// The `le-users` collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CollectionKind {
    /// `/users`
    Users,
    /// `/agentGroups`
    AgentGroups,
    /// `/skills`
    Skills,
    /// `/profiles`
    Profiles,
    /// `/lobs`
    Lobs,
}

impl CollectionKind {
    /// Every collection.
    pub const ALL: [CollectionKind; 5] = [
        CollectionKind::Users,
        CollectionKind::AgentGroups,
        CollectionKind::Skills,
        CollectionKind::Profiles,
        CollectionKind::Lobs,
    ];

    /// The collection named by a URL path segment (exact, case-sensitive).
    pub fn from_path_segment(segment: &str) -> Option<CollectionKind> {
        match segment {
            "users" => Some(CollectionKind::Users),
            "agentGroups" => Some(CollectionKind::AgentGroups),
            "skills" => Some(CollectionKind::Skills),
            "profiles" => Some(CollectionKind::Profiles),
            "lobs" => Some(CollectionKind::Lobs),
            _ => None,
        }
    }

    /// The URL path segment.
    pub fn path_segment(self) -> &'static str {
        match self {
            CollectionKind::Users => "users",
            CollectionKind::AgentGroups => "agentGroups",
            CollectionKind::Skills => "skills",
            CollectionKind::Profiles => "profiles",
            CollectionKind::Lobs => "lobs",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// First id and step per collection. The bases mimic the documented examples
/// (`4052816112`, `2359235912`, ...) and the step keeps LivePerson's habit of ids
/// ending in the same two digits.
fn id_scheme(kind: CollectionKind) -> (i64, i64) {
    match kind {
        CollectionKind::Users => (4_052_816_112, 100),
        CollectionKind::AgentGroups => (1001, 1),
        CollectionKind::Skills => (2_359_235_912, 100),
        CollectionKind::Profiles => (2_359_273_612, 100),
        CollectionKind::Lobs => (6_549_273_612, 100),
    }
}

/// All collections of one account.
#[derive(Debug, Clone)]
pub struct AccountStore {
    pub(crate) account_id: String,
    pub(crate) cfg: StoreConfig,
    pub(crate) clock: Clock,
    /// The account-wide revision counter: the last stamp handed out.
    pub(crate) counter: u64,
    pub(crate) tables: [Table; 5],
    /// Normalised `loginName` -> id of the non-deleted user holding it.
    pub(crate) login_index: HashMap<String, i64>,
    /// Profile id -> number of non-deleted users holding it, kept up to date by
    /// [`AccountStore::put`] so that a write does not recount every user.
    pub(crate) profile_users: HashMap<i64, i64>,
    /// Superseded versions (for query delta type 1): only updates and deletes
    /// add here, so creating many entities costs nothing extra.
    pub(crate) history: Vec<delta::Superseded>,
}

impl AccountStore {
    /// An account with the Main Group `-1` (unless `cfg.empty_account`) and one
    /// profile per role (D3, D16).
    pub fn new(account_id: &str, cfg: StoreConfig) -> AccountStore {
        let tables = CollectionKind::ALL.map(|k| {
            let (first, step) = id_scheme(k);
            Table::new(first, step)
        });
        let mut store = AccountStore {
            account_id: account_id.to_owned(),
            cfg,
            clock: Clock::System,
            counter: 0,
            tables,
            login_index: HashMap::new(),
            profile_users: HashMap::new(),
            history: Vec::new(),
        };
        if !store.cfg.empty_account {
            store.seed_main_group();
        }
        store.seed_role_profiles();
        store
    }

    /// The `demo` seed (see `demo.rs` for its exact contents).
    pub fn demo(account_id: &str) -> AccountStore {
        demo::build(account_id)
    }

    /// The account id.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The switches in force.
    pub fn config(&self) -> &StoreConfig {
        &self.cfg
    }

    /// Pins or releases the clock used for `dateUpdated` and friends.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The collection revision: the highest stamp in it, tombstones included (D5);
    /// `0` for a collection that never had an entity.
    pub fn revision(&self, kind: CollectionKind) -> u64 {
        self.table(kind).max_stamp
    }

    /// The account-wide counter (the highest revision of any collection).
    pub fn account_revision(&self) -> u64 {
        self.counter
    }

    /// The projection used when a request has no `select` (D2): the short
    /// `id,pid,deleted,loginName` for GET all users, `id,deleted,name` for GET all
    /// skills, everything otherwise.
    pub fn default_selector(&self, kind: CollectionKind, list: bool) -> Selector {
        match kind {
            CollectionKind::Users if list && !self.cfg.default_select_all_for_users => {
                Selector::fields(&["id", "pid", "deleted", "loginName"])
            }
            CollectionKind::Skills if list && !self.cfg.default_select_all_for_skills => {
                Selector::fields(&["id", "deleted", "name"])
            }
            _ => Selector::All,
        }
    }

    /// The selector of a request: its `select` parameter, or the default.
    pub fn selector(&self, kind: CollectionKind, list: bool, select: Option<&str>) -> Selector {
        match select {
            Some(raw) => Selector::parse(raw),
            None => self.default_selector(kind, list),
        }
    }

    /// Every entity (all fields, response form), in id order.
    pub fn list(&self, kind: CollectionKind, include_deleted: bool) -> Vec<Value> {
        self.visible(kind, include_deleted).map(|e| self.render_entry(kind, e, &Selector::All)).collect()
    }

    /// Every entity projected through `select`.
    pub fn list_projected(
        &self,
        kind: CollectionKind,
        include_deleted: bool,
        select: &Selector,
    ) -> Vec<Value> {
        self.visible(kind, include_deleted).map(|e| self.render_entry(kind, e, select)).collect()
    }

    /// The JSON array body of a GET all. With `$all` it joins pre-serialised
    /// entities, which is what keeps 50,000 users well under a second.
    pub fn list_json(&self, kind: CollectionKind, include_deleted: bool, select: &Selector) -> String {
        let mut body = String::from("[");
        let mut first = true;
        for e in self.visible(kind, include_deleted) {
            if !first {
                body.push(',');
            }
            first = false;
            match select {
                Selector::All => body.push_str(&e.json),
                sel => body.push_str(&self.render_entry(kind, e, sel).to_string()),
            }
        }
        body.push(']');
        body
    }

    /// Number of entities (non-deleted unless `include_deleted`).
    pub fn count(&self, kind: CollectionKind, include_deleted: bool) -> usize {
        self.visible(kind, include_deleted).count()
    }

    /// One entity (all fields, response form). Unknown ids are `404`, and so are
    /// deleted ones unless `include_deleted` (users-api.md §3.2).
    pub fn get(&self, kind: CollectionKind, id: i64, include_deleted: bool) -> StoreResult<Value> {
        match self.table(kind).entries.get(&id) {
            Some(e) if include_deleted || !e.deleted() => Ok(self.render_entry(kind, e, &Selector::All)),
            _ => Err(not_found(kind, id)),
        }
    }

    /// The stored (unmasked, password-free) state of an entity, deleted or not: what
    /// the response form hides, for assertions and diagnostics.
    pub fn stored(&self, kind: CollectionKind, id: i64) -> Option<Value> {
        self.table(kind).entries.get(&id).map(|e| Value::Object(e.stored.clone()))
    }

    /// The non-deleted user with this login name (compared as D15 says).
    pub fn find_user_by_login(&self, login_name: &str) -> Option<Value> {
        let id = self.login_index.get(&self.login_key(login_name))?;
        self.get(CollectionKind::Users, *id, false).ok()
    }

    /// Whether a non-deleted, password (non-API) user has this login and password,
    /// so the Login Service can authenticate store users.
    pub fn check_password(&self, login_name: &str, password: &str) -> bool {
        let Some(id) = self.login_index.get(&self.login_key(login_name)) else {
            return false;
        };
        self.table(CollectionKind::Users)
            .entries
            .get(id)
            .and_then(|e| e.password.as_deref())
            .is_some_and(|stored| password::verify(stored, password))
    }

    /// The role type ids a user holds through its profiles (D16).
    pub fn user_roles(&self, user_id: i64) -> Vec<i64> {
        let Some(user) = self.table(CollectionKind::Users).entries.get(&user_id) else {
            return Vec::new();
        };
        let mut roles: Vec<i64> = users::ids_of(&user.stored, "profileIds")
            .into_iter()
            .filter_map(|p| self.profile_role(p))
            .collect();
        roles.sort_unstable();
        roles.dedup();
        roles
    }

    // ----- internals shared by the per-collection modules -----

    pub(crate) fn table(&self, kind: CollectionKind) -> &Table {
        &self.tables[kind.index()]
    }

    pub(crate) fn table_mut(&mut self, kind: CollectionKind) -> &mut Table {
        &mut self.tables[kind.index()]
    }

    fn visible(&self, kind: CollectionKind, include_deleted: bool) -> impl Iterator<Item = &Entry> {
        self.table(kind).entries.values().filter(move |e| include_deleted || !e.deleted())
    }

    pub(crate) fn login_key(&self, login_name: &str) -> String {
        if self.cfg.login_name_case_sensitive {
            login_name.to_owned()
        } else {
            login_name.to_lowercase()
        }
    }

    /// `roleTypeId` of a profile, deleted or not.
    pub(crate) fn profile_role(&self, profile_id: i64) -> Option<i64> {
        self.table(CollectionKind::Profiles)
            .entries
            .get(&profile_id)
            .and_then(|e| e.stored.get("roleTypeId"))
            .and_then(Value::as_i64)
    }

    /// The response form of entity `id` (all fields); the id must exist.
    pub(crate) fn view(&self, kind: CollectionKind, id: i64) -> Value {
        self.render_entry(kind, &self.table(kind).entries[&id], &Selector::All)
    }

    /// Values the response form shows instead of the stored ones (D13, D14).
    fn overrides(&self, kind: CollectionKind, password: Option<&str>) -> Vec<(&'static str, Value)> {
        let mut o = Vec::new();
        if kind == CollectionKind::Users {
            if self.cfg.masking {
                o.push(("fullName", Value::String(String::new())));
                o.push(("employeeId", Value::String(String::new())));
            }
            if let (true, Some(pw)) = (self.cfg.emit_password_hash, password) {
                o.push(("passwordSh", Value::String(pw.to_owned())));
            }
        }
        o
    }

    /// The response form projected through `select`, built from the stored state
    /// (projecting first, so a short selection never copies the whole entity).
    pub(crate) fn render_entry(&self, kind: CollectionKind, e: &Entry, select: &Selector) -> Value {
        let overrides = self.overrides(kind, e.password.as_deref());
        let mut out = match select {
            Selector::All => e.stored.clone(),
            Selector::Fields(fields) => select::project_map(&e.stored, fields),
        };
        for (k, v) in overrides {
            let wanted = match select {
                Selector::All => true,
                Selector::Fields(fields) => fields.iter().any(|f| f.name == k),
            };
            if wanted {
                out.insert(k.into(), v);
            }
        }
        Value::Object(out)
    }

    /// Stores `stored` under `id` with `stamp`, rendering its response form and
    /// keeping the login index and the collection revision current.
    pub(crate) fn put(
        &mut self,
        kind: CollectionKind,
        id: i64,
        stamp: u64,
        stored: Map<String, Value>,
        password: Option<String>,
    ) {
        if kind == CollectionKind::Users {
            let old_key = self
                .table(kind)
                .entries
                .get(&id)
                .filter(|e| !e.deleted())
                .and_then(|e| e.stored.get("loginName").and_then(Value::as_str))
                .map(|l| self.login_key(l));
            if let Some(k) = old_key {
                if self.login_index.get(&k) == Some(&id) {
                    self.login_index.remove(&k);
                }
            }
            let deleted = stored.get("deleted").and_then(Value::as_bool).unwrap_or(false);
            if let (false, Some(login)) = (deleted, stored.get("loginName").and_then(Value::as_str)) {
                let key = self.login_key(login);
                self.login_index.insert(key, id);
            }
            self.count_profiles(id, &stored, deleted);
        }
        let overrides = self.overrides(kind, password.as_deref());
        let json =
            serde_json::to_string(&Shown { stored: &stored, overrides: &overrides }).unwrap_or_default();
        let table = self.table_mut(kind);
        table.max_stamp = table.max_stamp.max(stamp);
        let old = table.entries.insert(id, Entry { stored, stamp, password, json });
        if let Some(old) = old.filter(|o| o.stamp != stamp) {
            self.history.push(delta::Superseded { kind, stamp: old.stamp, json: old.json });
        }
    }

    /// The next revision stamp (one per applied request).
    pub(crate) fn bump(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn seed_main_group(&mut self) {
        let stamp = self.bump();
        let now = self.clock.now();
        let mut g = Map::new();
        g.insert("id".into(), MAIN_GROUP_ID.into());
        g.insert("deleted".into(), false.into());
        g.insert("name".into(), "Main Group".into());
        g.insert("parentGroupId".into(), Value::Null);
        g.insert("isEnabled".into(), true.into());
        g.insert("dateUpdated".into(), now.into());
        self.put(CollectionKind::AgentGroups, MAIN_GROUP_ID, stamp, g, None);
    }

    fn seed_role_profiles(&mut self) {
        let profiles = catalog::ROLE_NAMES
            .iter()
            .take(4)
            .enumerate()
            .map(|(i, name)| {
                serde_json::json!({
                    "name": name,
                    "description": format!("Default {name} profile"),
                    "roleTypeId": i as i64 + 1,
                    "permissionPackages": [],
                    "permissions": [],
                    "isAssignedToLPA": false,
                })
            })
            .collect();
        // Seeding is not a client request: request limits do not apply to it.
        let limit = self.cfg.max_batch.take();
        self.create(CollectionKind::Profiles, profiles).expect("the built-in role profiles are valid");
        self.cfg.max_batch = limit;
    }
}

/// The stored state with the response overrides applied, serialised without
/// copying the entity first.
struct Shown<'a> {
    stored: &'a Map<String, Value>,
    overrides: &'a [(&'static str, Value)],
}

impl serde::Serialize for Shown<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let extra = self.overrides.iter().filter(|(k, _)| !self.stored.contains_key(*k)).count();
        let mut map = serializer.serialize_map(Some(self.stored.len() + extra))?;
        for (k, v) in self.stored {
            let v = self.overrides.iter().find(|(o, _)| o == k).map_or(v, |(_, o)| o);
            map.serialize_entry(k, v)?;
        }
        for (k, v) in self.overrides.iter().filter(|(k, _)| !self.stored.contains_key(*k)) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

pub(crate) fn not_found(kind: CollectionKind, id: i64) -> StoreError {
    StoreError::not_found("id", "id.notFound", format!("no {} with id {id}", kind.path_segment()))
}
