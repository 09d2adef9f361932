//! The local store: what the IdP sent for each resource (SQLite, one file).
//!
//! LivePerson masks some fields on read (`fullName`, `employeeId`) and has no place
//! for SCIM-only ones (`externalId`, `name.givenName`, e-mail types). The bridge keeps
//! the last resource the IdP wrote (never a password) keyed by the LivePerson id, so a
//! GET returns what was sent. The schema version is SQLite's `user_version`; each
//! migration step runs once, in order, inside a transaction.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use crate::error::{ScimError, ScimResult};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 → 1: one row per resource.
    "CREATE TABLE resources (
         kind TEXT NOT NULL,
         lp_id INTEGER NOT NULL,
         body TEXT NOT NULL,
         PRIMARY KEY (kind, lp_id)
     );",
    // 1 → 2: externalId as a column (filters and lookups), and when a row was written.
    "ALTER TABLE resources ADD COLUMN external_id TEXT;
     ALTER TABLE resources ADD COLUMN updated_at TEXT;
     UPDATE resources SET external_id = json_extract(body, '$.externalId');
     CREATE INDEX resources_external_id ON resources (kind, external_id);",
];

/// Resource kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Users.
    User,
    /// Groups.
    Group,
    /// Assignment groups (mapping `[groups]`): `{displayName, externalId, members: [user ids]}`,
    /// keyed by the bridge's own number (SCIM id `a<n>`).
    Assignment,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
            Self::Assignment => "Assignment",
        }
    }
}

/// The store.
pub struct Store {
    conn: Mutex<Connection>,
}

fn db_err(e: rusqlite::Error) -> ScimError {
    ScimError::status(500, format!("local store: {e}"))
}

impl Store {
    /// Opens (creating and migrating as needed) the store at `path`.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = lpconfig_scim::Store::open(&dir.path().join("scim.db")).unwrap();
    /// store.put(lpconfig_scim::store::Kind::User, 7, &serde_json::json!({"externalId": "x"})).unwrap();
    /// assert_eq!(store.get(lpconfig_scim::store::Kind::User, 7).unwrap().unwrap()["externalId"], "x");
    /// ```
    pub fn open(path: &Path) -> ScimResult<Self> {
        Self::migrate(Connection::open(path).map_err(db_err)?)
    }

    /// An in-memory store (tests, `--sandbox` without `--store`).
    pub fn memory() -> ScimResult<Self> {
        Self::migrate(Connection::open_in_memory().map_err(db_err)?)
    }

    fn migrate(mut conn: Connection) -> ScimResult<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(db_err)?;
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(db_err)?;
        if version > SCHEMA_VERSION {
            return Err(ScimError::status(
                500,
                format!("local store has schema version {version}, newer than this build's {SCHEMA_VERSION}"),
            ));
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction().map_err(db_err)?;
            tx.execute_batch(step).map_err(db_err)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64).map_err(db_err)?;
            tx.commit().map_err(db_err)?;
        }
        Ok(Self { conn: Mutex::new(conn) })
    }

    /// The schema version of the open store.
    pub fn version(&self) -> ScimResult<i64> {
        self.lock().pragma_query_value(None, "user_version", |r| r.get(0)).map_err(db_err)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The stored resource of a LivePerson id.
    pub fn get(&self, kind: Kind, id: i64) -> ScimResult<Option<Value>> {
        let body: Option<String> = self
            .lock()
            .query_row(
                "SELECT body FROM resources WHERE kind = ?1 AND lp_id = ?2",
                params![kind.as_str(), id],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)?;
        Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
    }

    /// Every stored resource of a kind, by LivePerson id.
    pub fn all(&self, kind: Kind) -> ScimResult<std::collections::HashMap<i64, Value>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare_cached("SELECT lp_id, body FROM resources WHERE kind = ?1").map_err(db_err)?;
        let rows = stmt
            .query_map(params![kind.as_str()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(db_err)?;
        let mut out = std::collections::HashMap::new();
        for row in rows {
            let (id, body) = row.map_err(db_err)?;
            if let Ok(v) = serde_json::from_str(&body) {
                out.insert(id, v);
            }
        }
        Ok(out)
    }

    /// Stores (replaces) a resource.
    pub fn put(&self, kind: Kind, id: i64, body: &Value) -> ScimResult<()> {
        let ext = body.get("externalId").and_then(Value::as_str);
        self.lock()
            .execute(
                "INSERT INTO resources (kind, lp_id, body, external_id, updated_at)
                 VALUES (?1, ?2, ?3, ?4, datetime('now'))
                 ON CONFLICT (kind, lp_id) DO UPDATE SET body = ?3, external_id = ?4, updated_at = datetime('now')",
                params![kind.as_str(), id, body.to_string(), ext],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// The next free key of a kind (for resources the bridge numbers itself).
    pub fn next_id(&self, kind: Kind) -> ScimResult<i64> {
        self.lock()
            .query_row(
                "SELECT COALESCE(MAX(lp_id), 0) + 1 FROM resources WHERE kind = ?1",
                params![kind.as_str()],
                |r| r.get(0),
            )
            .map_err(db_err)
    }

    /// Forgets a resource.
    pub fn remove(&self, kind: Kind, id: i64) -> ScimResult<()> {
        self.lock()
            .execute("DELETE FROM resources WHERE kind = ?1 AND lp_id = ?2", params![kind.as_str(), id])
            .map_err(db_err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_version_1_file_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(MIGRATIONS[0]).unwrap();
            c.pragma_update(None, "user_version", 1).unwrap();
            c.execute("INSERT INTO resources VALUES ('User', 5, '{\"externalId\":\"e5\"}')", []).unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.version().unwrap(), SCHEMA_VERSION);
        assert_eq!(s.get(Kind::User, 5).unwrap().unwrap()["externalId"], "e5");
        let ext: String = s
            .lock()
            .query_row("SELECT external_id FROM resources WHERE lp_id = 5", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ext, "e5");
        drop(s);
        // Opening again runs nothing twice.
        assert_eq!(Store::open(&path).unwrap().version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        assert!(Store::open(&path).is_err());
    }
}
