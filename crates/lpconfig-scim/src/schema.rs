//! The schemas the bridge serves (RFC 7643 §8.7) and the attribute names it accepts.

use serde_json::{json, Value};

/// Core User schema.
pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Core Group schema.
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// Enterprise User extension.
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// This bridge's extension: LivePerson roles and skills by name.
pub const LIVEPERSON: &str = "urn:ietf:params:scim:schemas:extension:liveperson:2.0:User";
/// List responses.
pub const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// PATCH requests.
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Whether a URN is a core resource schema (its attributes sit at the top level).
pub fn is_core(urn: &str) -> bool {
    urn.eq_ignore_ascii_case(USER) || urn.eq_ignore_ascii_case(GROUP)
}

/// Top-level attributes of the core User schema (RFC 7643 §4.1) plus common ones.
pub const USER_ATTRS: &[&str] = &[
    "schemas",
    "id",
    "externalId",
    "meta",
    "userName",
    "name",
    "displayName",
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "active",
    "password",
    "emails",
    "phoneNumbers",
    "ims",
    "photos",
    "addresses",
    "groups",
    "entitlements",
    "roles",
    "x509Certificates",
];
/// Top-level attributes of the core Group schema.
pub const GROUP_ATTRS: &[&str] = &["schemas", "id", "externalId", "meta", "displayName", "members"];
/// Extension attributes.
pub const ENTERPRISE_ATTRS: &[&str] =
    &["employeeNumber", "costCenter", "organization", "division", "department", "manager"];
/// The LivePerson extension's attributes.
pub const LIVEPERSON_ATTRS: &[&str] = &["roles", "skills", "maxChats"];

/// Whether `path` (dotted, maybe URN-prefixed) names an attribute of the resource type.
pub fn known(path: &str, group: bool) -> bool {
    let p = crate::filter::AttrPath::parse(path);
    let Ok(p) = p else { return false };
    let list: &[&str] = match (&p.urn, group) {
        (None, false) => USER_ATTRS,
        (None, true) => GROUP_ATTRS,
        (Some(u), false) if u.eq_ignore_ascii_case(ENTERPRISE) => ENTERPRISE_ATTRS,
        (Some(u), false) if u.eq_ignore_ascii_case(LIVEPERSON) => LIVEPERSON_ATTRS,
        _ => return false,
    };
    list.iter().any(|a| a.eq_ignore_ascii_case(&p.attr))
}

/// `/ServiceProviderConfig`.
pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://example.invalid/lpconfig/docs/scim.md",
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": 1000},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A static bearer token given to the bridge (--token-file or LP_SCIM_TOKEN)",
            "primary": true
        }],
        "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{base}/ServiceProviderConfig")}
    })
}

/// `/ResourceTypes`.
pub fn resource_types(base: &str, liveperson_extension: bool) -> Vec<Value> {
    let mut extensions = vec![json!({"schema": ENTERPRISE, "required": false})];
    if liveperson_extension {
        extensions.push(json!({"schema": LIVEPERSON, "required": false}));
    }
    vec![
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User", "name": "User", "endpoint": "/Users", "description": "LivePerson users",
            "schema": USER,
            "schemaExtensions": extensions,
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User")}
        }),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "Group", "name": "Group", "endpoint": "/Groups", "description": "LivePerson agent groups",
            "schema": GROUP,
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group")}
        }),
    ]
}

fn attr(name: &str, ty: &str, multi: bool, required: bool, extra: Value) -> Value {
    let mut v = json!({
        "name": name, "type": ty, "multiValued": multi, "required": required, "caseExact": false,
        "mutability": "readWrite", "returned": "default", "uniqueness": "none", "description": name,
    });
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        m.extend(e);
    }
    v
}

fn multi_complex(name: &str, required: bool) -> Value {
    attr(
        name,
        "complex",
        true,
        required,
        json!({"subAttributes": [
            attr("value", "string", false, required, json!({})),
            attr("type", "string", false, false, json!({})),
            attr("primary", "boolean", false, false, json!({})),
            attr("display", "string", false, false, json!({})),
        ]}),
    )
}

/// `/Schemas`.
pub fn schemas(base: &str, liveperson_extension: bool) -> Vec<Value> {
    let meta = |id: &str| json!({"resourceType": "Schema", "location": format!("{base}/Schemas/{id}")});
    let s = |id: &str, name: &str, attrs: Vec<Value>| {
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"], "id": id, "name": name,
               "description": name, "attributes": attrs, "meta": meta(id)})
    };
    let user = vec![
        attr("userName", "string", false, true, json!({"uniqueness": "server"})),
        attr(
            "name",
            "complex",
            false,
            false,
            json!({"subAttributes": [
                attr("formatted", "string", false, false, json!({})),
                attr("familyName", "string", false, false, json!({})),
                attr("givenName", "string", false, false, json!({})),
            ]}),
        ),
        attr("displayName", "string", false, false, json!({})),
        attr("nickName", "string", false, false, json!({})),
        attr("title", "string", false, false, json!({})),
        attr("locale", "string", false, false, json!({})),
        attr("active", "boolean", false, false, json!({})),
        attr("password", "string", false, false, json!({"mutability": "writeOnly", "returned": "never"})),
        multi_complex("emails", true),
        multi_complex("phoneNumbers", false),
        multi_complex("photos", false),
        attr(
            "groups",
            "complex",
            true,
            false,
            json!({"mutability": "readOnly", "subAttributes": [
                attr("value", "string", false, false, json!({"mutability": "readOnly"})),
                attr("display", "string", false, false, json!({"mutability": "readOnly"})),
                attr("type", "string", false, false, json!({"mutability": "readOnly"})),
                attr("$ref", "reference", false, false, json!({"mutability": "readOnly", "referenceTypes": ["Group"]})),
            ]}),
        ),
    ];
    let group = vec![
        attr("displayName", "string", false, true, json!({"uniqueness": "server"})),
        attr(
            "members",
            "complex",
            true,
            false,
            json!({"subAttributes": [
                attr("value", "string", false, false, json!({"mutability": "immutable"})),
                attr("display", "string", false, false, json!({"mutability": "readOnly"})),
                attr("type", "string", false, false, json!({"mutability": "immutable", "canonicalValues": ["User"]})),
                attr("$ref", "reference", false, false, json!({"mutability": "immutable", "referenceTypes": ["User"]})),
            ]}),
        ),
    ];
    let enterprise = vec![attr("employeeNumber", "string", false, false, json!({}))];
    let lp = vec![
        attr("roles", "string", true, false, json!({})),
        attr("skills", "string", true, false, json!({})),
        attr("maxChats", "integer", false, false, json!({})),
    ];
    let mut all =
        vec![s(USER, "User", user), s(GROUP, "Group", group), s(ENTERPRISE, "EnterpriseUser", enterprise)];
    if liveperson_extension {
        all.push(s(LIVEPERSON, "LivePersonUser", lp));
    }
    all
}
