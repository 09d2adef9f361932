//! The optional groups section: rows `id, name, parent, description, enabled` that
//! rename, re-parent, describe, enable/disable or create agent groups. From a CSV,
//! JSON or YAML file or from records; errors name the file and line (the record's
//! number for records and JSON/YAML), all at once.

use std::path::Path;

use serde_json::Value;

use crate::input::{self, Format, InputError, MAX_ERRORS};
use crate::names::fold;

/// One row of the groups section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupRow {
    /// Where the row is (`groups.csv:3`).
    pub at: String,
    /// Line (or record number) of the row.
    pub line: usize,
    /// The group's id: when given, the key (the row may rename the group).
    pub id: Option<i64>,
    /// The name (required without `id`; the key then, case-sensitive like the API's).
    pub name: Option<String>,
    /// The parent: a path, name or id; empty or the root's name: the root.
    pub parent: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Enabled flag.
    pub enabled: Option<bool>,
}

/// The groups section as read.
#[derive(Debug, Clone, Default)]
pub struct GroupSection {
    /// Its name in errors.
    pub path: String,
    /// The rows.
    pub rows: Vec<GroupRow>,
}

fn field(header: &str) -> Option<&'static str> {
    Some(match fold(header).as_str() {
        "id" | "groupid" => "id",
        "name" | "groupname" => "name",
        "parent" | "parentgroup" | "parentpath" | "parentid" => "parent",
        "description" => "description",
        "enabled" | "isenabled" | "active" => "enabled",
        _ => return None,
    })
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn row_of(path: &str, line: usize, v: &Value) -> Result<GroupRow, String> {
    let Value::Object(map) = v else { return Err("a group row must be an object".into()) };
    let mut row = GroupRow { at: format!("{path}:{line}"), line, ..GroupRow::default() };
    for (k, v) in map {
        let Some(f) = field(k) else {
            return Err(format!(
                "unknown group column {k:?}{}; known: id, name, parent, description, enabled",
                crate::suggest::hint(k, ["id", "name", "parent", "description", "enabled"])
            ));
        };
        match f {
            "id" => {
                row.id = match v {
                    Value::Null => None,
                    Value::Number(n) => Some(n.as_i64().ok_or("id must be a whole number")?),
                    other => match text(other) {
                        None => None,
                        Some(t) => Some(t.parse().map_err(|_| format!("id {t:?} is not a number"))?),
                    },
                }
            }
            "name" => row.name = text(v),
            "parent" => row.parent = text(v),
            "description" => row.description = text(v),
            _ => {
                row.enabled = match v {
                    Value::Bool(b) => Some(*b),
                    Value::Null => None,
                    other => match text(other).map(|t| t.to_ascii_lowercase()) {
                        None => None,
                        Some(t)
                            if ["true", "yes", "y", "1", "enabled", "active", "on"].contains(&t.as_str()) =>
                        {
                            Some(true)
                        }
                        Some(t)
                            if ["false", "no", "n", "0", "disabled", "inactive", "off"]
                                .contains(&t.as_str()) =>
                        {
                            Some(false)
                        }
                        Some(t) => return Err(format!("enabled {t:?} is not true/false")),
                    },
                }
            }
        }
    }
    if row.id.is_none() && row.name.is_none() {
        return Err("a group row needs a name (or an id)".into());
    }
    if row.name.as_deref().is_some_and(|n| n.contains('/')) {
        return Err(format!(
            "group name {:?} contains '/' (give the parent in the parent column)",
            row.name.unwrap_or_default()
        ));
    }
    Ok(row)
}

/// Reads records handed in directly (`groups:N` in errors).
pub fn records(path: &str, items: &[Value]) -> Result<GroupSection, Vec<InputError>> {
    rows(path, items.iter().enumerate().map(|(i, v)| (i + 1, v.clone())))
}

fn rows(path: &str, items: impl Iterator<Item = (usize, Value)>) -> Result<GroupSection, Vec<InputError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut ids = std::collections::HashMap::new();
    let mut names = std::collections::HashMap::new();
    for (line, v) in items {
        let fail = |message: String| InputError { path: path.to_owned(), line, column: 0, message };
        match row_of(path, line, &v) {
            Ok(r) => {
                if let Some(id) = r.id {
                    if let Some(first) = ids.insert(id, line) {
                        errors.push(fail(format!("duplicate group id {id} (first at line {first})")));
                    }
                }
                if let Some(n) = &r.name {
                    if let Some(first) = names.insert(n.clone(), line) {
                        errors.push(fail(format!("duplicate group name {n:?} (first at line {first})")));
                    }
                }
                out.push(r);
            }
            Err(m) => errors.push(fail(m)),
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if errors.is_empty() {
        Ok(GroupSection { path: path.to_owned(), rows: out })
    } else {
        Err(errors)
    }
}

/// Reads a `.csv`, `.json`, `.yaml` or `.yml` groups file.
pub fn read(path: &Path) -> Result<GroupSection, Vec<InputError>> {
    let (shown, format, text) = input::load(path).map_err(|e| vec![e])?;
    let fail = |line, message: String| vec![InputError { path: shown.clone(), line, column: 0, message }];
    match format {
        Format::Csv => {
            let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
            let headers = rdr.headers().map_err(|e| fail(1, format!("malformed CSV: {e}")))?.clone();
            let mut items = Vec::new();
            for record in rdr.records() {
                let record = record.map_err(|e| {
                    fail(e.position().map_or(0, |p| p.line() as usize), format!("malformed CSV: {e}"))
                })?;
                let line = record.position().map_or(0, |p| p.line() as usize);
                let map: serde_json::Map<String, Value> = headers
                    .iter()
                    .zip(record.iter())
                    .map(|(h, c)| (h.to_owned(), Value::String(c.into())))
                    .collect();
                items.push((line, Value::Object(map)));
            }
            rows(&shown, items.into_iter())
        }
        Format::Json | Format::Yaml | Format::Records => {
            let value: Value = if format == Format::Json {
                serde_json::from_str(&text).map_err(|e| fail(e.line(), e.to_string()))?
            } else {
                yaml_serde::from_str(&text)
                    .map_err(|e| fail(e.location().map_or(0, |l| l.line()), e.to_string()))?
            };
            let Value::Array(items) = value else { return Err(fail(1, "expected a list of groups".into())) };
            rows(&shown, items.into_iter().enumerate().map(|(i, v)| (i + 1, v)))
        }
    }
}
