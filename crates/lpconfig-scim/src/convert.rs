//! SCIM User JSON ↔ LivePerson [`User`], through the [`Mapping`].

use lpconfig::api::users::{GroupLink, User};
use lpconfig_sync::names::{Names, RoleRef};
use serde_json::{json, Map, Value};

use crate::error::{ScimError, ScimResult};
use crate::filter::get_ci;
use crate::mapping::Mapping;
use crate::path::{truthy, Path};
use crate::schema::{self, ENTERPRISE, LIVEPERSON, USER};

/// Fields that a PUT without any of their sources clears.
const CLEARABLE: &[&str] = &["fullName", "employeeId", "mobileNumber", "pictureUrl", "description"];

fn field_value(u: &User, field: &str) -> Option<Value> {
    let s = |v: &Option<String>| v.clone().filter(|s| !s.is_empty()).map(Value::String);
    match field {
        "loginName" => s(&u.login_name),
        "fullName" => s(&u.full_name),
        "nickname" => s(&u.nickname),
        "email" => s(&u.email),
        "isEnabled" => u.is_enabled.map(Value::Bool),
        "employeeId" => s(&u.employee_id),
        "mobileNumber" => s(&u.mobile_number),
        "pictureUrl" => s(&u.picture_url),
        "description" => s(&u.description),
        _ => None,
    }
}

fn set_field(u: &mut User, field: &str, path: &str, v: &Value) -> ScimResult<()> {
    if field == "isEnabled" {
        u.is_enabled =
            Some(truthy(v).ok_or_else(|| {
                ScimError::bad("invalidValue", format!("{path}: expected a boolean, got {v}"))
            })?);
        return Ok(());
    }
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(ScimError::bad("invalidValue", format!("{path}: expected a string, got {other}")))
        }
    };
    let slot = match field {
        "loginName" => &mut u.login_name,
        "fullName" => &mut u.full_name,
        "nickname" => &mut u.nickname,
        "email" => &mut u.email,
        "employeeId" => &mut u.employee_id,
        "mobileNumber" => &mut u.mobile_number,
        "pictureUrl" => &mut u.picture_url,
        "description" => &mut u.description,
        _ => return Ok(()),
    };
    *slot = Some(text);
    Ok(())
}

/// The SCIM resource of a LivePerson user: what the IdP last sent (`stored`), with
/// the fields LivePerson holds laid over it when LivePerson shows them (masked
/// values, returned as `""`, leave the IdP's value in place).
pub fn user_to_scim(u: &User, stored: Option<&Value>, names: &Names, mapping: &Mapping, base: &str) -> Value {
    let mut r = stored.cloned().unwrap_or_else(|| json!({}));
    if let Some(m) = r.as_object_mut() {
        for k in ["password", "schemas", "id", "meta", "groups"] {
            m.remove(k);
        }
    }
    for (field, _) in crate::mapping::DEFAULT_SOURCES {
        let Some(have) = field_value(u, field) else { continue };
        let sources = mapping.sources(field);
        let Some(first) = sources.first() else { continue };
        // Already shown by one of its sources (e.g. fullName via displayName): keep the IdP's shape.
        let shown = sources.iter().find_map(|p| p.get(&r).cloned());
        if shown.as_ref().and_then(normalise) != normalise(&have) {
            first.set(&mut r, have, false);
        }
    }
    if u.email.as_deref().is_some_and(|e| !e.is_empty()) {
        // A lone e-mail built from LivePerson's is the primary work address.
        if let Some(Value::Array(items)) = r.get_mut("emails") {
            if items.len() == 1 {
                if let Some(m) = items[0].as_object_mut() {
                    m.entry("primary").or_insert(json!(true));
                    m.entry("type").or_insert(json!("work"));
                }
            }
        }
    }
    let id = u.id.map(|i| i.to_string()).unwrap_or_default();
    let roles: Vec<String> = u.profile_ids.iter().map(|p| names.profile_name(*p)).collect();
    let skills: Vec<String> = u.skill_ids.iter().map(|s| names.skill_name(*s)).collect();
    let mut lp = Map::new();
    lp.insert("roles".into(), json!(roles));
    lp.insert("skills".into(), json!(skills));
    if let Some(mc) = u.max_chats {
        lp.insert("maxChats".into(), json!(mc));
    }
    let m = r.as_object_mut().expect("resource is an object");
    if mapping.users.liveperson_extension {
        m.insert(LIVEPERSON.into(), Value::Object(lp));
    } else {
        m.retain(|k, _| !k.eq_ignore_ascii_case(LIVEPERSON));
    }
    if let Some(g) = u.member_of.as_ref().and_then(|g| g.agent_group_id) {
        let display = names.group(g).and_then(|g| g.name.clone()).unwrap_or_default();
        m.insert(
            "groups".into(),
            json!([{"value": g.to_string(), "display": display, "$ref": format!("{base}/Groups/{g}"), "type": "direct"}]),
        );
    }
    let mut schemas = vec![json!(USER)];
    if m.contains_key(ENTERPRISE) {
        schemas.push(json!(ENTERPRISE));
    }
    if mapping.users.liveperson_extension {
        schemas.push(json!(LIVEPERSON));
    }
    m.insert("schemas".into(), Value::Array(schemas));
    m.insert("id".into(), json!(id));
    m.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "location": format!("{base}/Users/{id}"),
            "lastModified": u.date_updated.clone().map(|d| to_rfc3339(&d)),
        }),
    );
    r
}

fn normalise(v: &Value) -> Option<Value> {
    match v {
        Value::String(s) => truthy(v).map(Value::Bool).or_else(|| Some(Value::String(s.to_lowercase()))),
        Value::Null => None,
        o => Some(o.clone()),
    }
}

/// LivePerson's `YYYY-MM-DD HH:MM:SS` (UTC) as RFC 3339.
fn to_rfc3339(d: &str) -> String {
    if d.len() == 19 && d.as_bytes().get(10) == Some(&b' ') {
        format!("{}T{}Z", &d[..10], &d[11..])
    } else {
        d.to_owned()
    }
}

/// Checks a request body: an object, the right core schema, known attributes only.
pub fn check_body(body: &Value, core: &str, group: bool) -> ScimResult<()> {
    let obj =
        body.as_object().ok_or_else(|| ScimError::bad("invalidSyntax", "the body must be a JSON object"))?;
    let schemas = obj.get("schemas").and_then(Value::as_array).ok_or_else(|| {
        ScimError::bad("invalidSyntax", format!("\"schemas\" is required and must list {core}"))
    })?;
    let names: Vec<&str> = schemas.iter().filter_map(Value::as_str).collect();
    if !names.iter().any(|s| s.eq_ignore_ascii_case(core)) {
        return Err(ScimError::bad(
            "invalidSyntax",
            format!("\"schemas\" must include {core}, got {names:?}"),
        ));
    }
    for s in &names {
        let ok = s.eq_ignore_ascii_case(core)
            || (!group && (s.eq_ignore_ascii_case(ENTERPRISE) || s.eq_ignore_ascii_case(LIVEPERSON)));
        if !ok {
            return Err(ScimError::bad(
                "invalidValue",
                format!("unknown schema {s:?} for this resource type"),
            ));
        }
    }
    for key in obj.keys() {
        if key.to_ascii_lowercase().starts_with("urn:") {
            let ok = !group && (key.eq_ignore_ascii_case(ENTERPRISE) || key.eq_ignore_ascii_case(LIVEPERSON));
            if !ok {
                return Err(ScimError::bad("invalidValue", format!("unknown schema extension {key:?}")));
            }
            if let Some(ext) = obj[key].as_object() {
                for sub in ext.keys() {
                    if !schema::known(&format!("{key}:{sub}"), group) {
                        return Err(ScimError::bad("invalidValue", format!("unknown attribute {key}:{sub}")));
                    }
                }
            }
        } else if !schema::known(key, group) {
            return Err(ScimError::bad("invalidValue", format!("unknown attribute {key:?}")));
        }
    }
    Ok(())
}

/// What a SCIM user resource asks of LivePerson: `base` is the current user (update)
/// or `None` (create). `replace`: a PUT, where a field without any source is cleared.
pub fn scim_to_user(
    r: &Value,
    base: Option<&User>,
    names: &Names,
    mapping: &Mapping,
    replace: bool,
) -> ScimResult<User> {
    let creating = base.is_none();
    let mut u = base.cloned().unwrap_or_else(|| {
        let mut n = User::default();
        n.is_enabled = Some(true);
        n.max_chats = Some(mapping.users.default_max_chats);
        n
    });
    for (field, _) in crate::mapping::DEFAULT_SOURCES {
        let sources: &[Path] = mapping.sources(field);
        match sources.iter().find_map(|p| p.get(r).map(|v| (p, v))) {
            Some((p, v)) => set_field(&mut u, field, &p.top(), v)?,
            None if replace && CLEARABLE.contains(field) && field_value(&u, field).is_some() => {
                set_field(&mut u, field, field, &json!(""))?
            }
            None => {}
        }
    }
    if u.login_name.as_deref().is_none_or(str::is_empty) {
        return Err(ScimError::bad("invalidValue", "userName is required"));
    }
    if u.nickname.as_deref().is_none_or(str::is_empty) {
        u.nickname = u.login_name.clone();
    }
    if creating && u.full_name.as_deref().is_none_or(str::is_empty) {
        // LivePerson requires a full name: "given family", else the nickname.
        let part = |k: &str| {
            get_ci(r, "name").and_then(|n| get_ci(n, k)).and_then(Value::as_str).unwrap_or_default()
        };
        let joined = format!("{} {}", part("givenName"), part("familyName")).trim().to_owned();
        u.full_name = Some(if joined.is_empty() { u.nickname.clone().unwrap_or_default() } else { joined });
    }
    if creating && u.email.as_deref().is_none_or(str::is_empty) {
        return Err(ScimError::bad("invalidValue", "emails: a LivePerson user needs an e-mail address"));
    }
    if let Some(pw) = get_ci(r, "password") {
        let pw = pw.as_str().ok_or_else(|| ScimError::bad("invalidValue", "password: expected a string"))?;
        u.password = Some(pw.into());
    } else if creating {
        // IdP users sign in through SSO; LivePerson still wants a password.
        u.password = Some(lpconfig_sync::password::generate());
        u.change_pwd_next_login = Some(true);
    }
    let ext = get_ci(r, LIVEPERSON);
    let list = |key: &str| -> ScimResult<Option<Vec<String>>> {
        match ext.and_then(|e| get_ci(e, key)) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    let v = get_ci(i, "value").unwrap_or(i);
                    v.as_str().map(str::to_owned).ok_or_else(|| {
                        ScimError::bad("invalidValue", format!("{LIVEPERSON}:{key}: expected strings"))
                    })
                })
                .collect::<ScimResult<Vec<_>>>()
                .map(Some),
            Some(Value::String(s)) => {
                Ok(Some(s.split([';', ',']).map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect()))
            }
            Some(o) => {
                Err(ScimError::bad("invalidValue", format!("{LIVEPERSON}:{key}: expected a list, got {o}")))
            }
        }
    };
    // With assignment groups deciding roles (or skills), the extension's are ignored.
    let roles = match list("roles")?.filter(|_| !mapping.roles_from_groups()) {
        Some(r) => Some(r),
        None if creating => Some(vec![mapping.users.default_role.clone()]),
        None => None,
    };
    if let Some(roles) = roles {
        let refs = roles
            .iter()
            .map(|n| {
                names.role(n).ok_or_else(|| {
                    ScimError::bad(
                        "invalidValue",
                        format!("{LIVEPERSON}:roles: no role or profile named {n:?}"),
                    )
                })
            })
            .collect::<ScimResult<Vec<RoleRef>>>()?;
        u.profile_ids = names.profile_ids(&refs, &u.profile_ids);
    }
    if let Some(skills) = list("skills")?.filter(|_| !mapping.skills_from_groups()) {
        u.skill_ids = skills
            .iter()
            .map(|n| {
                names.skill_id(n).ok_or_else(|| {
                    ScimError::bad("invalidValue", format!("{LIVEPERSON}:skills: no skill named {n:?}"))
                })
            })
            .collect::<ScimResult<Vec<i64>>>()?;
    }
    if let Some(mc) = ext.and_then(|e| get_ci(e, "maxChats")) {
        u.max_chats =
            Some(mc.as_i64().or_else(|| mc.as_str().and_then(|s| s.parse().ok())).ok_or_else(|| {
                ScimError::bad("invalidValue", format!("{LIVEPERSON}:maxChats: expected an integer"))
            })?);
    }
    if names.has_agent(&u.profile_ids) && u.member_of.as_ref().and_then(|g| g.agent_group_id).is_none() {
        let g = names.find_group(&mapping.users.default_group).and_then(|g| g.id).ok_or_else(|| {
            ScimError::status(
                500,
                format!("mapping: default_group {:?} does not exist", mapping.users.default_group),
            )
        })?;
        u.member_of = Some(GroupLink::to(g));
    }
    Ok(u)
}

/// What the store keeps of a request body: everything but the password and server-set parts.
pub fn to_store(r: &Value) -> Value {
    let mut r = r.clone();
    if let Some(m) = r.as_object_mut() {
        m.retain(|k, _| {
            !["password", "id", "meta", "schemas", "groups"].iter().any(|x| k.eq_ignore_ascii_case(x))
        });
    }
    r
}
