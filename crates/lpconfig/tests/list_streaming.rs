//! Lists are decoded while the body streams in (docs/performance.md): a body of
//! many chunks gives exactly what decoding it whole gives, and a garbled body is
//! a `Decode` error (the decoder's unit tests cover bodies cut short and split at
//! every byte).

mod common;

use common::*;
use lpconfig::api::users::User;
use lpconfig::{ApiRequest, ErrorKind, ListOptions, Method};
use lpconfig_emulator::{FaultAction, FaultRule};

#[tokio::test]
async fn a_streamed_list_equals_the_whole_body_decoded() {
    let emu = emulator().await;
    emu.insert_bulk_users(3000); // well over one chunk of body
    let c = admin_client(&emu);
    let streamed = c.users().list(&ListOptions::default()).await.unwrap();
    let raw = c.raw().send(ApiRequest::new(Method::GET, "users").query("select", "$all")).await.unwrap();
    assert!(raw.body.len() > 1_000_000, "{} bytes", raw.body.len());
    let whole: Vec<User> = serde_json::from_slice(&raw.body).unwrap();
    assert_eq!(streamed.value.len(), whole.len());
    assert_eq!(serde_json::to_value(&streamed.value).unwrap(), serde_json::to_value(&whole).unwrap());
    assert!(streamed.revision.is_some());
}

#[tokio::test]
async fn a_garbled_list_is_a_decode_error() {
    let emu = emulator_with(vec![FaultRule::new("*/users", FaultAction::MalformedBody).method("GET")]).await;
    let c = admin_client(&emu);
    let err = c.users().list(&ListOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
}

#[tokio::test]
async fn list_each_hands_on_what_list_returns_in_order_and_can_stop() {
    let emu = emulator().await;
    emu.insert_bulk_users(3000);
    let c = admin_client(&emu);
    let listed = c.users().list(&ListOptions::default()).await.unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let each = c.users().list_each(&ListOptions::default(), move |u| tx.send(u).is_ok()).await.unwrap();
    let handed: Vec<User> = rx.try_iter().collect();
    assert_eq!(each.value, listed.value.len());
    assert_eq!(serde_json::to_value(&handed).unwrap(), serde_json::to_value(&listed.value).unwrap());
    assert_eq!(each.revision, listed.revision);

    // `false` stops: nothing more is handed on, and stopping is not an error.
    let mut seen = 0;
    let stopped = c
        .users()
        .list_each(&ListOptions::default(), move |_| {
            seen += 1;
            seen < 10
        })
        .await
        .unwrap();
    assert_eq!(stopped.value, 10);
}

#[tokio::test]
async fn list_each_of_a_garbled_body_is_a_decode_error() {
    let emu = emulator_with(vec![FaultRule::new("*/users", FaultAction::MalformedBody).method("GET")]).await;
    let c = admin_client(&emu);
    let err = c.users().list_each(&ListOptions::default(), |_| true).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
}
