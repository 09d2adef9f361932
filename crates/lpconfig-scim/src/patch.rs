//! PATCH requests (RFC 7644 §3.5.2) applied to a resource's JSON, including the
//! shapes big IdPs send: Okta's `replace` with a value object and no path; Entra
//! ID's capitalised `Replace`/`Add`/`Remove`, string booleans and filtered paths.

use serde_json::Value;

use crate::error::{ScimError, ScimResult};
use crate::filter::get_ci;
use crate::path::Path;
use crate::schema::{self, PATCH_OP};

/// Applies a PatchOp body to `resource`. `group`: which schema the paths must name.
///
/// ```
/// use serde_json::json;
/// let mut u = json!({"userName": "kim", "active": true});
/// lpconfig_scim::patch::apply(&mut u, &json!({
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///     "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
/// }), false).unwrap();
/// assert_eq!(u["active"], false);
/// ```
pub fn apply(resource: &mut Value, body: &Value, group: bool) -> ScimResult<()> {
    let schemas = get_ci(body, "schemas").and_then(Value::as_array);
    if !schemas
        .is_some_and(|s| s.iter().any(|x| x.as_str().is_some_and(|x| x.eq_ignore_ascii_case(PATCH_OP))))
    {
        return Err(ScimError::bad("invalidSyntax", format!("a PATCH body must list the schema {PATCH_OP}")));
    }
    let ops = get_ci(body, "Operations")
        .and_then(Value::as_array)
        .ok_or_else(|| ScimError::bad("invalidSyntax", "a PATCH body needs an \"Operations\" list"))?;
    for (i, op) in ops.iter().enumerate() {
        let name = get_ci(op, "op").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
        let path = match get_ci(op, "path") {
            // The whole extension object as the path.
            Some(Value::String(p))
                if !group
                    && [schema::ENTERPRISE, schema::LIVEPERSON].iter().any(|u| p.eq_ignore_ascii_case(u)) =>
            {
                let value = get_ci(op, "value").cloned();
                match (name.as_str(), value) {
                    ("remove", _) => {
                        if let Some(m) = resource.as_object_mut() {
                            m.retain(|k, _| !k.eq_ignore_ascii_case(p));
                        }
                    }
                    ("add" | "replace", Some(Value::Object(ext))) => {
                        for (sub, sv) in ext.into_iter().filter(|(k, _)| !k.eq_ignore_ascii_case("schemas")) {
                            let sp = Path::parse(&format!("{p}:{sub}"))?;
                            if !schema::known(&sp.top(), group) {
                                return Err(ScimError::bad(
                                    "invalidValue",
                                    format!("Operations[{i}]: unknown attribute {p}:{sub}"),
                                ));
                            }
                            sp.set(resource, sv, name == "add");
                        }
                    }
                    _ => {
                        return Err(ScimError::bad(
                            "invalidValue",
                            format!("Operations[{i}]: {name} of {p} needs an object value"),
                        ))
                    }
                }
                continue;
            }
            Some(Value::String(p)) if !p.is_empty() => Some(Path::parse(p)?),
            Some(Value::String(_)) | None | Some(Value::Null) => None,
            Some(o) => {
                return Err(ScimError::bad("invalidPath", format!("Operations[{i}].path: not a string: {o}")))
            }
        };
        if let Some(p) = &path {
            if !schema::known(&p.top(), group) {
                return Err(ScimError::bad(
                    "invalidPath",
                    format!("Operations[{i}]: unknown attribute {:?}", p.top()),
                ));
            }
            if ["id", "meta", "schemas"].iter().any(|x| p.attr.eq_ignore_ascii_case(x)) && p.urn.is_none() {
                return Err(ScimError::bad(
                    "mutability",
                    format!("Operations[{i}]: {} is read-only", p.attr),
                ));
            }
        }
        let value = get_ci(op, "value").cloned();
        match (name.as_str(), path, value) {
            ("add" | "replace", Some(p), Some(v)) => {
                let v = coerce(&p.attr, p.sub.as_deref(), v);
                p.set(resource, v, name == "add");
            }
            ("add" | "replace", None, Some(Value::Object(m))) => {
                for (k, v) in m {
                    if [schema::ENTERPRISE, schema::LIVEPERSON].iter().any(|u| k.eq_ignore_ascii_case(u))
                        && !group
                    {
                        // A whole extension object: merge its attributes.
                        if let Value::Object(ext) = v {
                            for (sub, sv) in ext {
                                let p = Path::parse(&format!("{k}:{sub}"))?;
                                if !schema::known(&p.top(), group) {
                                    return Err(ScimError::bad(
                                        "invalidValue",
                                        format!("Operations[{i}]: unknown attribute {k}:{sub}"),
                                    ));
                                }
                                p.set(resource, sv, name == "add");
                            }
                        }
                        continue;
                    }
                    // Okta and Entra ID put dotted and URN-prefixed names as keys.
                    let p = Path::parse(&k)?;
                    if !schema::known(&p.top(), group) {
                        return Err(ScimError::bad(
                            "invalidValue",
                            format!("Operations[{i}]: unknown attribute {k:?}"),
                        ));
                    }
                    let v = coerce(&p.attr, p.sub.as_deref(), v);
                    p.set(resource, v, name == "add");
                }
            }
            ("remove", Some(p), v) => p.remove(resource, v.as_ref()),
            ("remove", None, _) => {
                return Err(ScimError::bad("noTarget", format!("Operations[{i}]: remove needs a path")))
            }
            ("add" | "replace", _, _) => {
                return Err(ScimError::bad("invalidValue", format!("Operations[{i}]: {name} needs a value")))
            }
            (other, _, _) => {
                return Err(ScimError::bad("invalidSyntax", format!("Operations[{i}]: unknown op {other:?}")))
            }
        }
    }
    Ok(())
}

/// Entra ID sends `"active": "False"`; Okta may send a value object for `active`.
fn coerce(attr: &str, sub: Option<&str>, v: Value) -> Value {
    if attr.eq_ignore_ascii_case("active") && sub.is_none() {
        if let Some(b) = crate::path::truthy(&v) {
            return Value::Bool(b);
        }
    }
    if sub.is_some_and(|s| s.eq_ignore_ascii_case("primary")) {
        if let Some(b) = crate::path::truthy(&v) {
            return Value::Bool(b);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(ops: Value) -> Value {
        json!({"schemas": [PATCH_OP], "Operations": ops})
    }

    #[test]
    fn okta_value_object_and_entra_paths() {
        let mut u = json!({"userName": "kim", "active": true, "emails": [{"value": "a@x", "type": "work", "primary": true}]});
        apply(
            &mut u,
            &op(json!([{"op": "replace", "value": {"active": false, "name.givenName": "Kim"}}])),
            false,
        )
        .unwrap();
        assert_eq!((u["active"].clone(), u["name"]["givenName"].clone()), (json!(false), json!("Kim")));
        apply(&mut u, &op(json!([
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "b@x"},
            {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "42"},
            {"op": "Replace", "path": "active", "value": "True"}
        ])), false).unwrap();
        assert_eq!(u["emails"][0]["value"], "b@x");
        assert_eq!(u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["employeeNumber"], "42");
        assert_eq!(u["active"], true);
    }

    #[test]
    fn errors() {
        let mut u = json!({});
        let cases = [
            (json!({"Operations": []}), "invalidSyntax"),
            (op(json!([{"op": "replace", "path": "nosuch", "value": 1}])), "invalidPath"),
            (op(json!([{"op": "replace", "value": {"nosuch": 1}}])), "invalidValue"),
            (op(json!([{"op": "remove"}])), "noTarget"),
            (op(json!([{"op": "move", "path": "userName"}])), "invalidSyntax"),
            (op(json!([{"op": "replace", "path": "id", "value": "9"}])), "mutability"),
        ];
        for (body, want) in cases {
            assert_eq!(apply(&mut u, &body, false).unwrap_err().scim_type, Some(want), "{body}");
        }
    }
}
