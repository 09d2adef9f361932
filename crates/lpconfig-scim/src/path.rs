//! PATCH and mapping paths (RFC 7644 §3.5.2): `attr`, `attr.sub`, `urn:...:attr`,
//! `attr[filter]` and `attr[filter].sub`, read from and written into resource JSON.

use serde_json::{Map, Value};

use crate::error::{ScimError, ScimResult};
use crate::filter::{get_ci, AttrPath, Filter};

/// A parsed path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Schema URN of an extension attribute.
    pub urn: Option<String>,
    /// Top-level attribute.
    pub attr: String,
    /// Selects elements of a multi-valued attribute.
    pub selector: Option<Filter>,
    /// Sub-attribute.
    pub sub: Option<String>,
}

fn invalid(text: &str) -> ScimError {
    ScimError::bad("invalidPath", format!("not a valid path: {text:?}"))
}

impl Path {
    /// Parses a path.
    ///
    /// ```
    /// let p = lpconfig_scim::path::Path::parse(r#"emails[type eq "work"].value"#).unwrap();
    /// assert_eq!((p.attr.as_str(), p.sub.as_deref()), ("emails", Some("value")));
    /// ```
    pub fn parse(text: &str) -> ScimResult<Self> {
        let t = text.trim();
        if let Some(open) = t.find('[') {
            let close = t.rfind(']').ok_or_else(|| invalid(text))?;
            if close < open {
                return Err(invalid(text));
            }
            let head = AttrPath::parse(&t[..open]).map_err(|_| invalid(text))?;
            if head.sub.is_some() {
                return Err(invalid(text));
            }
            let selector = Filter::parse(&t[open + 1..close])
                .map_err(|e| ScimError::bad("invalidPath", format!("{text:?}: {}", e.detail)))?;
            let rest = &t[close + 1..];
            let sub = match rest.strip_prefix('.') {
                Some(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '$') => {
                    Some(s.to_owned())
                }
                None if rest.is_empty() => None,
                _ => return Err(invalid(text)),
            };
            return Ok(Self { urn: head.urn, attr: head.attr, selector: Some(selector), sub });
        }
        let p = AttrPath::parse(t).map_err(|_| invalid(text))?;
        Ok(Self { urn: p.urn, attr: p.attr, selector: None, sub: p.sub })
    }

    /// `attr` or `urn:attr` (for schema checks).
    pub fn top(&self) -> String {
        match &self.urn {
            Some(u) => format!("{u}:{}", self.attr),
            None => self.attr.clone(),
        }
    }

    /// The first value at this path: for a multi-valued attribute without a selector,
    /// the `primary` element, else the first.
    pub fn get<'a>(&self, resource: &'a Value) -> Option<&'a Value> {
        let container = match &self.urn {
            Some(u) => get_ci(resource, u)?,
            None => resource,
        };
        let top = get_ci(container, &self.attr)?;
        let item = match top {
            Value::Array(items) => match &self.selector {
                Some(f) => items.iter().find(|i| f.matches(i))?,
                None => items
                    .iter()
                    .find(|i| get_ci(i, "primary").is_some_and(|p| truthy(p) == Some(true)))
                    .or_else(|| items.first())?,
            },
            other => {
                if let Some(f) = &self.selector {
                    if !f.matches(other) {
                        return None;
                    }
                }
                other
            }
        };
        match &self.sub {
            Some(s) => get_ci(item, s),
            None => Some(item),
        }
        .filter(|v| !v.is_null())
    }

    fn container_mut<'a>(&self, resource: &'a mut Value) -> &'a mut Map<String, Value> {
        if !resource.is_object() {
            *resource = Value::Object(Map::new());
        }
        let root = resource.as_object_mut().expect("object");
        let obj = match &self.urn {
            Some(u) => {
                let key = key_ci(root, u).unwrap_or_else(|| u.clone());
                let e = root.entry(key).or_insert_with(|| Value::Object(Map::new()));
                if !e.is_object() {
                    *e = Value::Object(Map::new());
                }
                e.as_object_mut().expect("object")
            }
            None => root,
        };
        obj
    }

    /// `add` (`append` for multi-valued) or `replace` of `value` at this path.
    pub fn set(&self, resource: &mut Value, value: Value, append: bool) {
        let obj = self.container_mut(resource);
        let key = key_ci(obj, &self.attr).unwrap_or_else(|| self.attr.clone());
        match (&self.selector, &self.sub) {
            (None, None) => {
                let slot = obj.entry(key).or_insert(Value::Null);
                match (append, slot, value) {
                    (true, Value::Array(have), Value::Array(new)) => {
                        for n in new {
                            if !have.contains(&n) {
                                have.push(n);
                            }
                        }
                    }
                    (_, Value::Object(have), Value::Object(new)) => {
                        for (k, v) in new {
                            let k2 = key_ci(have, &k).unwrap_or(k);
                            have.insert(k2, v);
                        }
                    }
                    (_, slot, value) => *slot = value,
                }
            }
            (None, Some(sub)) => {
                let slot = obj.entry(key).or_insert_with(|| Value::Object(Map::new()));
                match slot {
                    Value::Array(items) => {
                        if items.is_empty() {
                            items.push(Value::Object(Map::new()));
                        }
                        let i = items
                            .iter()
                            .position(|i| get_ci(i, "primary").and_then(truthy) == Some(true))
                            .unwrap_or(0);
                        set_member(&mut items[i], sub, value);
                    }
                    other => set_member(other, sub, value),
                }
            }
            (Some(sel), sub) => {
                let slot = obj.entry(key).or_insert_with(|| Value::Array(Vec::new()));
                if !slot.is_array() {
                    *slot = Value::Array(
                        vec![std::mem::take(slot)].into_iter().filter(|v| !v.is_null()).collect(),
                    );
                }
                let items = slot.as_array_mut().expect("array");
                let mut hit = false;
                for item in items.iter_mut().filter(|i| sel.matches(i)) {
                    hit = true;
                    match sub {
                        Some(s) => set_member(item, s, value.clone()),
                        None => *item = value.clone(),
                    }
                }
                if !hit {
                    // Entra ID replaces `emails[type eq "work"].value` on a user without a
                    // work e-mail: create the element the selector describes.
                    let mut item = Value::Object(Map::new());
                    if let Filter::Compare(p, crate::filter::Op::Eq, v) = sel {
                        set_member(&mut item, &p.attr, v.clone());
                    }
                    match sub {
                        Some(s) => set_member(&mut item, s, value),
                        None => item = value,
                    }
                    items.push(item);
                }
            }
        }
    }

    /// `remove` at this path (a `value` list removes those elements of a multi-valued attribute).
    pub fn remove(&self, resource: &mut Value, value: Option<&Value>) {
        let obj = self.container_mut(resource);
        let Some(key) = key_ci(obj, &self.attr) else { return };
        match (&self.selector, &self.sub) {
            (None, None) => match (value, obj.get_mut(&key)) {
                (Some(Value::Array(gone)), Some(Value::Array(items))) => {
                    let ids: Vec<&Value> = gone.iter().map(|g| get_ci(g, "value").unwrap_or(g)).collect();
                    items.retain(|i| !ids.contains(&get_ci(i, "value").unwrap_or(i)));
                }
                _ => {
                    obj.remove(&key);
                }
            },
            (None, Some(sub)) => match obj.get_mut(&key) {
                Some(Value::Array(items)) => items.iter_mut().for_each(|i| remove_member(i, sub)),
                Some(other) => remove_member(other, sub),
                None => {}
            },
            (Some(sel), sub) => {
                if let Some(Value::Array(items)) = obj.get_mut(&key) {
                    match sub {
                        None => items.retain(|i| !sel.matches(i)),
                        Some(s) => {
                            items.iter_mut().filter(|i| sel.matches(i)).for_each(|i| remove_member(i, s))
                        }
                    }
                }
            }
        }
    }
}

fn key_ci(m: &Map<String, Value>, key: &str) -> Option<String> {
    m.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned()
}

fn set_member(v: &mut Value, key: &str, value: Value) {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    let m = v.as_object_mut().expect("object");
    let k = key_ci(m, key).unwrap_or_else(|| key.to_owned());
    m.insert(k, value);
}

fn remove_member(v: &mut Value, key: &str) {
    if let Some(m) = v.as_object_mut() {
        if let Some(k) = key_ci(m, key) {
            m.remove(&k);
        }
    }
}

/// `true`/`false`, also from Entra ID's string booleans `"True"`/`"False"`.
pub fn truthy(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_set_remove() {
        let mut u = json!({"userName": "a", "emails": [{"value": "h@x", "type": "home"}, {"value": "w@x", "type": "work", "primary": true}]});
        assert_eq!(Path::parse("emails.value").unwrap().get(&u), Some(&json!("w@x")));
        assert_eq!(Path::parse(r#"emails[type eq "home"].value"#).unwrap().get(&u), Some(&json!("h@x")));
        Path::parse(r#"emails[type eq "work"].value"#).unwrap().set(&mut u, json!("n@x"), false);
        assert_eq!(u["emails"][1]["value"], "n@x");
        Path::parse(r#"phoneNumbers[type eq "mobile"].value"#).unwrap().set(&mut u, json!("+1"), false);
        assert_eq!(u["phoneNumbers"], json!([{"type": "mobile", "value": "+1"}]));
        Path::parse("name.givenName").unwrap().set(&mut u, json!("Kim"), false);
        assert_eq!(u["name"]["givenName"], "Kim");
        let ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        Path::parse(&format!("{ent}:employeeNumber")).unwrap().set(&mut u, json!("7"), false);
        assert_eq!(u[ent]["employeeNumber"], "7");
        Path::parse(r#"emails[type eq "home"]"#).unwrap().remove(&mut u, None);
        assert_eq!(u["emails"].as_array().unwrap().len(), 1);
        let mut g = json!({"members": [{"value": "1"}, {"value": "2"}]});
        Path::parse("members").unwrap().set(&mut g, json!([{"value": "3"}, {"value": "1"}]), true);
        assert_eq!(g["members"].as_array().unwrap().len(), 3);
        Path::parse(r#"members[value eq "2"]"#).unwrap().remove(&mut g, None);
        Path::parse("members").unwrap().remove(&mut g, Some(&json!([{"value": "3"}])));
        assert_eq!(g["members"], json!([{"value": "1"}]));
    }

    #[test]
    fn bad_paths() {
        for p in ["", "emails[", "emails[type eq]", "a.b.c", "emails[type eq \"w\"]x"] {
            assert_eq!(Path::parse(p).unwrap_err().scim_type, Some("invalidPath"), "{p}");
        }
    }
}
