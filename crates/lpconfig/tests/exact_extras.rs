//! Unknown fields go back byte for byte on a read-modify-write, including numbers
//! a double cannot hold (big integers, precise decimals).

mod common;

use common::*;
use lpconfig::IfMatch;
use lpconfig_emulator::store::CollectionKind;
use lpconfig_emulator::{FaultAction, FaultRule};
use serde_json::Value;

const EXACT: [(&str, &str); 4] = [
    ("bigCounter", "123456789012345678901234567890"),
    ("ratio", "0.1000000000000000055511151231257827"),
    ("nested", r#"{"id":18446744073709551617,"weights":[1.10,2.500000000000000000001]}"#),
    ("plain", "42"),
];

#[tokio::test]
async fn a_seeded_user_with_big_numbers_keeps_them_exactly() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).build().unwrap();
    // The account's sam.lee, as a server with extra fields would send him.
    let id = emu
        .with_store(ACCOUNT, |s| s.find_user_by_login("sam.lee"))
        .flatten()
        .and_then(|v| v["id"].as_i64())
        .unwrap();
    let mut text = serde_json::to_string(
        &emu.with_store(ACCOUNT, |s| s.get(CollectionKind::Users, id, false)).unwrap().unwrap(),
    )
    .unwrap();
    text.pop(); // the closing brace
    for (k, v) in EXACT {
        text.push_str(&format!(r#","{k}":{v}"#));
    }
    text.push('}');
    emu.add_fault(
        FaultRule::new(
            format!("*/users/{id}"),
            FaultAction::Status { status: 200, body: Some(text), retry_after: None },
        )
        .method("GET")
        .times(1),
    );
    let mut sam = c.users().get(id).await.unwrap().value;
    assert_eq!(sam.extra.len(), EXACT.len());
    sam.full_name = Some("Sam Exact".into());
    sam.max_chats = Some(3);
    c.users().update(&sam, IfMatch::Any).await.unwrap();

    let put = emu.request_log().into_iter().rev().find(|r| r.method == "PUT").unwrap();
    for (k, v) in EXACT {
        let exact = format!(r#""{k}":{v}"#);
        assert!(put.body.contains(&exact), "{k} not sent back byte for byte: {}", put.body);
    }
    let body: Value = serde_json::from_str(&put.body).unwrap();
    assert_eq!(body["maxChats"], 3);

    // A field the caller changed is sent as the caller set it.
    sam.extra.insert("plain".into(), Value::from(43));
    c.users().update(&sam, IfMatch::Any).await.unwrap();
    let put = emu.request_log().into_iter().rev().find(|r| r.method == "PUT").unwrap();
    assert!(put.body.contains(r#""plain":43"#));
    assert!(put.body.contains(r#""bigCounter":123456789012345678901234567890"#));
}

#[test]
fn values_and_serializers_other_than_the_wire_see_plain_json() {
    let u: lpconfig::api::users::User =
        serde_json::from_str(r#"{"id":1,"bigCounter":123456789012345678901234567890}"#).unwrap();
    // Not a request body: the plain Value (a double), no raw text.
    let v = serde_json::to_value(&u).unwrap();
    assert!(v["bigCounter"].is_f64());
    let again: lpconfig::api::users::User = serde_json::from_value(v).unwrap();
    assert_eq!(again.id, Some(1));
}
