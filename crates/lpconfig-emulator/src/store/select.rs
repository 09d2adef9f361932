//! The `select` response filter (YOGA "gdata" subset): `$all`, `a,b`, and nested
//! `name(sub,...)`. Unknown names are simply absent from the output (users-api.md §1.4).

use serde_json::{Map, Value};

/// One selected field, optionally with a nested selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSel {
    /// Field name.
    pub name: String,
    /// Nested selection for object (or array-of-object) values.
    pub sub: Option<Vec<FieldSel>>,
}

/// A parsed `select`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// Every field.
    All,
    /// Only these fields.
    Fields(Vec<FieldSel>),
}

impl Selector {
    /// Parses a `select` value. Empty or containing `$all` means everything.
    pub fn parse(raw: &str) -> Selector {
        let fields = parse_list(raw);
        if fields.is_empty() || fields.iter().any(|f| f.name == "$all") {
            Selector::All
        } else {
            Selector::Fields(fields)
        }
    }

    /// Only these top-level fields.
    pub fn fields(names: &[&str]) -> Selector {
        Selector::Fields(names.iter().map(|n| FieldSel { name: (*n).to_owned(), sub: None }).collect())
    }
}

fn parse_list(raw: &str) -> Vec<FieldSel> {
    let mut out: Vec<FieldSel> = Vec::new();
    for item in split_top(raw) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let sel = match item.find('(') {
            Some(open) => {
                let inner = item[open + 1..].trim_end();
                let inner = inner.strip_suffix(')').unwrap_or(inner);
                FieldSel { name: item[..open].trim().to_owned(), sub: Some(parse_list(inner)) }
            }
            None => FieldSel { name: item.to_owned(), sub: None },
        };
        // A repeated name replaces the earlier one: YOGA's documented behaviour for
        // `hotkey(prefix),hotkey(suffix)` (agent-groups-api.md §1.2).
        out.retain(|f| f.name != sel.name);
        out.push(sel);
    }
    out
}

/// Splits on commas outside parentheses.
fn split_top(raw: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in raw.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&raw[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&raw[start..]);
    parts
}

/// The entity reduced to the selection.
pub fn project(entity: &Value, select: &Selector) -> Value {
    match select {
        Selector::All => entity.clone(),
        Selector::Fields(fields) => project_fields(entity, fields),
    }
}

/// The selected fields of an object.
pub(crate) fn project_map(map: &Map<String, Value>, fields: &[FieldSel]) -> Map<String, Value> {
    let mut out = Map::new();
    for f in fields {
        if let Some(v) = map.get(&f.name) {
            let v = match &f.sub {
                Some(sub) if !sub.is_empty() => project_fields(v, sub),
                _ => v.clone(),
            };
            out.insert(f.name.clone(), v);
        }
    }
    out
}

fn project_fields(value: &Value, fields: &[FieldSel]) -> Value {
    match value {
        Value::Object(map) => Value::Object(project_map(map, fields)),
        Value::Array(items) => Value::Array(items.iter().map(|i| project_fields(i, fields)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_nested_and_all() {
        assert_eq!(Selector::parse("$all"), Selector::All);
        assert_eq!(Selector::parse(" "), Selector::All);
        let s = Selector::parse("id, memberOf(agentGroupId),name");
        let Selector::Fields(f) = s else { panic!() };
        assert_eq!(f.len(), 3);
        assert_eq!(f[1].sub.as_ref().unwrap()[0].name, "agentGroupId");
    }

    #[test]
    fn projects_objects_arrays_and_ignores_unknown() {
        let e = json!({"id": 1, "memberOf": {"agentGroupId": 5, "assignmentDate": "x"},
                       "managerOf": [{"agentGroupId": 6, "assignmentDate": "y"}], "name": "n"});
        let p = project(&e, &Selector::parse("id,memberOf(agentGroupId),managerOf(agentGroupId),nope"));
        assert_eq!(p, json!({"id": 1, "memberOf": {"agentGroupId": 5}, "managerOf": [{"agentGroupId": 6}]}));
    }

    #[test]
    fn repeated_nested_name_keeps_last() {
        let e = json!({"h": {"prefix": 1, "suffix": 2}});
        assert_eq!(project(&e, &Selector::parse("h(prefix),h(suffix)")), json!({"h": {"suffix": 2}}));
    }
}
