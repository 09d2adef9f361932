//! Recorded Okta and Entra ID provisioning request shapes (tests/fixtures/*.json)
//! replayed against the bridge over the emulator; the emulator's final state is asserted.

mod common;

use std::collections::HashMap;

use serde_json::Value;

fn subst(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (k, v) in vars {
        out = out.replace(&format!("${{{k}}}"), v);
    }
    out
}

async fn replay(file: &str) {
    let h = common::Harness::start().await;
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    )
    .unwrap();
    let mut vars = HashMap::new();
    for (i, step) in fixture["steps"].as_array().unwrap().iter().enumerate() {
        let path = subst(step["path"].as_str().unwrap(), &vars);
        let body =
            step.get("body").map(|b| serde_json::from_str::<Value>(&subst(&b.to_string(), &vars)).unwrap());
        let (status, got) = h.call(step["method"].as_str().unwrap(), &path, body.as_ref()).await;
        let want = step["status"].as_u64().unwrap() as u16;
        assert_eq!(status, want, "{file} step {i} {} {path}: {got}", step["method"]);
        if let Some(save) = step.get("save").and_then(Value::as_object) {
            for (var, ptr) in save {
                vars.insert(
                    var.clone(),
                    got.pointer(ptr.as_str().unwrap()).and_then(Value::as_str).unwrap().to_owned(),
                );
            }
        }
        if let Some(expect) = step.get("expect").and_then(Value::as_object) {
            for (ptr, v) in expect {
                let v: Value = serde_json::from_str(&subst(&v.to_string(), &vars)).unwrap();
                assert_eq!(got.pointer(ptr), Some(&v), "{file} step {i}: {ptr} in {got}");
            }
        }
    }
    for u in fixture["final"]["users"].as_array().unwrap() {
        let login = u["loginName"].as_str().unwrap();
        let stored = h.stored_user(login).unwrap_or_else(|| panic!("{file}: no user {login}"));
        for (k, v) in u.as_object().unwrap() {
            match k.as_str() {
                "group" => {
                    let gid = h.group_id(v.as_str().unwrap()).unwrap_or_else(|| panic!("no group {v}"));
                    assert_eq!(stored["memberOf"]["agentGroupId"], gid, "{file}: {login} group");
                }
                _ => assert_eq!(&stored[k], v, "{file}: {login}.{k}"),
            }
        }
        // New agents got the mapping's default role (the demo's Agent profile).
        assert!(!stored["profileIds"].as_array().unwrap().is_empty(), "{login} has a profile");
    }
    for g in fixture["final"]["groups"].as_array().unwrap() {
        assert!(h.group_id(g.as_str().unwrap()).is_some(), "{file}: group {g}");
    }
}

#[tokio::test]
async fn okta_provisioning_replays() {
    replay("okta.json").await;
}

#[tokio::test]
async fn entra_id_provisioning_replays() {
    replay("entra.json").await;
}
