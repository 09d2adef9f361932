//! The desired state: rows from a file or handed in as records.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

use crate::groups_input::{self, GroupSection};
use crate::input::{self, Format, InputError, StaffFile};
use crate::names::Names;
use crate::SyncError;

#[derive(Debug, Clone)]
enum Source {
    Text {
        shown: String,
        format: Format,
        text: String,
    },
    /// Records: checked from the rows read; the records themselves are not kept.
    Records,
}

/// The rows a sync should make true, checked for syntax, columns and duplicates when made
/// (before any network call). Role, skill and line-of-business names are checked against
/// the account when planning.
///
/// ```
/// use lpconfig_sync::Desired;
/// use serde_json::json;
/// let d = Desired::from_records([
///     json!({"login_name": "ana", "full_name": "Ana Silva", "email": "ana@example.com", "skills": ["Billing"]}),
///     json!({"Login Name": "bob", "max_chats": "3"}),
/// ])
/// .unwrap();
/// assert_eq!(d.len(), 2);
/// let err = Desired::from_records([json!({"login_name": "a", "max_chats": "lots"}), json!({"email": "x@y"})])
///     .unwrap_err();
/// assert_eq!(err.to_string(), "2 problems in the input; nothing applied (first: rows:1:0: max_chats \"lots\" is not a whole number)");
/// ```
#[derive(Debug, Clone)]
pub struct Desired {
    source: Source,
    /// The rows, and the groups section once one is added.
    rows: StaffFile,
}

impl Desired {
    /// Reads a `.csv`, `.json`, `.yaml` or `.yml` file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, SyncError> {
        let (shown, format, text) = input::load(path.as_ref()).map_err(|e| SyncError::Input(vec![e]))?;
        Self::from_text(shown, format, text)
    }

    /// Reads the text of a file; `name` is how errors name it.
    pub fn from_text(
        name: impl Into<String>,
        format: Format,
        text: impl Into<String>,
    ) -> Result<Self, SyncError> {
        let (shown, text) = (name.into(), text.into());
        let rows = input::parse(&shown, format, &text, None).map_err(SyncError::Input)?;
        Ok(Self { source: Source::Text { shown, format, text }, rows })
    }

    /// Takes records keyed by column name (any spelling a file header accepts: `login_name`,
    /// `Login Name`, `loginName`), with strings, numbers, booleans, lists or nulls as values.
    pub fn from_records<T: Serialize>(records: impl IntoIterator<Item = T>) -> Result<Self, SyncError> {
        let mut bad = None;
        // One record at a time: the converted value is dropped as soon as its row is read.
        let values = records.into_iter().enumerate().map_while(|(i, r)| match serde_json::to_value(r) {
            Ok(v) => Some(v),
            Err(e) => {
                bad = Some(InputError {
                    path: input::RECORDS.into(),
                    line: i + 1,
                    column: 0,
                    message: format!("not a record: {e}"),
                });
                None
            }
        });
        let rows = input::records(values, None);
        if let Some(e) = bad {
            return Err(SyncError::Input(vec![e]));
        }
        Ok(Self { source: Source::Records, rows: rows.map_err(SyncError::Input)? })
    }

    /// [`Desired::from_records`] for records that are JSON values already (what the
    /// bindings hand in): read in place, without converting each value again.
    ///
    /// ```
    /// use lpconfig_sync::Desired;
    /// let d = Desired::from_values(vec![serde_json::json!({"login_name": "ana", "max_chats": 2})]).unwrap();
    /// assert_eq!(d.rows().rows[0].max_chats, Some(2));
    /// ```
    pub fn from_values(records: impl IntoIterator<Item = serde_json::Value>) -> Result<Self, SyncError> {
        let rows = input::records(records, None).map_err(SyncError::Input)?;
        Ok(Self { source: Source::Records, rows })
    }

    /// Adds a groups section from a file (`id, name, parent, description, enabled`; see
    /// docs/sync.md): renames, re-parents, descriptions, flags and new groups.
    pub fn with_groups_path(mut self, path: impl AsRef<Path>) -> Result<Self, SyncError> {
        self.rows.groups = Some(groups_input::read(path.as_ref()).map_err(SyncError::Input)?);
        Ok(self)
    }

    /// Adds a groups section from records (`groups:N` in errors).
    pub fn with_groups<T: Serialize>(
        mut self,
        records: impl IntoIterator<Item = T>,
    ) -> Result<Self, SyncError> {
        let items: Vec<serde_json::Value> =
            records.into_iter().map(|r| serde_json::to_value(r).unwrap_or_default()).collect();
        self.rows.groups = Some(groups_input::records("groups", &items).map_err(SyncError::Input)?);
        Ok(self)
    }

    /// The groups section, when there is one.
    pub fn groups(&self) -> Option<&GroupSection> {
        self.rows.groups.as_ref()
    }

    /// The rows as read (names not yet checked against an account).
    pub fn rows(&self) -> &StaffFile {
        &self.rows
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.rows.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.rows.is_empty()
    }

    /// The rows with role, skill, line-of-business and group names checked against `names`
    /// (borrowed when the rows read need no second pass).
    pub fn resolve(&self, names: &Names) -> Result<Cow<'_, StaffFile>, SyncError> {
        match &self.source {
            // JSON and YAML: parse again, so that an error names the exact line of the bad name.
            Source::Text { shown, format: format @ (Format::Json | Format::Yaml), text } => {
                let mut file = input::parse(shown, *format, text, Some(names)).map_err(SyncError::Input)?;
                file.groups = self.rows.groups.clone();
                Ok(Cow::Owned(file))
            }
            // CSV and records: rows and columns give the position; check the rows already read.
            _ => {
                let errors = input::check_names(&self.rows, names);
                if !errors.is_empty() {
                    return Err(SyncError::Input(errors));
                }
                Ok(Cow::Borrowed(&self.rows))
            }
        }
    }
}
