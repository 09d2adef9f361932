//! Skills, profiles and LOBs written through the typed catalog clients, against
//! the emulator's rules (unique names, live references, revisions, atomic batches).

mod common;

use common::*;
use lpconfig::api::catalog::{Lob, Profile, Skill};
use lpconfig::{Client, ErrorKind, IfMatch, ListOptions};
use lpconfig_emulator::store::CollectionKind;
use lpconfig_emulator::RunningEmulator;
use serde_json::Value;

const LOB_RETAIL: i64 = 6_549_273_612;
const S_BILLING: i64 = 2_359_235_912;
const P_AGENT: i64 = 2_359_273_712;

fn client(emu: &RunningEmulator) -> Client {
    builder(emu, api_key(emu)).build().unwrap()
}

fn stored(emu: &RunningEmulator, kind: CollectionKind, id: i64) -> Value {
    emu.with_store(ACCOUNT, |s| s.stored(kind, id)).flatten().expect("stored entity")
}

fn revision(emu: &RunningEmulator, kind: CollectionKind) -> u64 {
    emu.with_store(ACCOUNT, |s| s.revision(kind)).unwrap()
}

#[tokio::test]
async fn skill_create_update_delete_with_revisions() {
    let emu = emulator().await;
    let c = client(&emu);
    let mut new = Skill::new("Returns");
    new.lob_ids = vec![LOB_RETAIL];
    let made = c.skills().create(&new).await.unwrap();
    let id = made.value.id.unwrap();
    let s = stored(&emu, CollectionKind::Skills, id);
    assert_eq!(s["name"], "Returns");
    assert_eq!(s["lobIds"], serde_json::json!([LOB_RETAIL]));
    assert_eq!(s["maxWaitTime"], 120, "server default kept");
    assert_eq!(made.revision.unwrap().0, revision(&emu, CollectionKind::Skills));

    let mut skill = made.value.clone();
    skill.description = Some("Refunds".into());
    let updated = c.skills().update(&skill, made.if_match()).await.unwrap();
    assert_eq!(stored(&emu, CollectionKind::Skills, id)["description"], "Refunds");
    // The same stale revision again is a conflict and changes nothing.
    skill.description = Some("Stale".into());
    let err = c.skills().update(&skill, made.if_match()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(stored(&emu, CollectionKind::Skills, id)["description"], "Refunds");

    let gone = c.skills().delete(id, updated.if_match()).await.unwrap();
    assert_eq!(gone.value.unwrap().deleted, Some(true));
    assert_eq!(stored(&emu, CollectionKind::Skills, id)["deleted"], true);
    let again = c.skills().delete(id, IfMatch::Any).await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn duplicate_names_and_referenced_deletes_are_refused() {
    let emu = emulator().await;
    let c = client(&emu);
    let err = c.skills().create(&Skill::new("Billing")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.field(), Some("name"));
    // Users hold the Billing skill and the Agent profile.
    let before = revision(&emu, CollectionKind::Skills);
    let err = c.skills().delete(S_BILLING, IfMatch::Any).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(stored(&emu, CollectionKind::Skills, S_BILLING)["deleted"], false);
    assert_eq!(revision(&emu, CollectionKind::Skills), before);
    let err = c.profiles().delete(P_AGENT, IfMatch::Any).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    let err = c.skills().create(&Skill::new("  ")).await.unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::Config, Some("name")), "caught before any I/O");
}

#[tokio::test]
async fn batches_of_lobs_and_profiles() {
    let emu = emulator().await;
    let c = client(&emu);
    let made = c.lobs().create_many(&[Lob::new("Wholesale"), Lob::new("Public Sector")]).await.unwrap();
    let ids: Vec<i64> = made.value.iter().map(|l| l.id.unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(stored(&emu, CollectionKind::Lobs, ids[1])["name"], "Public Sector");

    let mut renamed = made.value.clone();
    renamed[0].name = Some("Wholesale EU".into());
    let updated = c.lobs().update_many(&renamed, made.if_match()).await.unwrap();
    assert_eq!(stored(&emu, CollectionKind::Lobs, ids[0])["name"], "Wholesale EU");
    let deleted = c.lobs().delete_many(&ids, updated.if_match()).await.unwrap();
    assert!(deleted.value.iter().all(|l| l.deleted == Some(true)));
    assert_eq!(c.lobs().list(&ListOptions::default()).await.unwrap().value.len(), 2, "the seeded two");

    // An atomic batch: a duplicate name inside it means nothing is created.
    let before = revision(&emu, CollectionKind::Profiles);
    let err = c
        .profiles()
        .create_many(&[Profile::new("Night Agents", 2), Profile::new("Night Agents", 2)])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(revision(&emu, CollectionKind::Profiles), before);
    let p = c.profiles().create(&Profile::new("Night Agents", 2)).await.unwrap();
    assert_eq!(stored(&emu, CollectionKind::Profiles, p.value.id.unwrap())["roleTypeName"], "Agent");
}

#[tokio::test]
async fn a_failing_later_chunk_reports_what_was_applied() {
    let emu = emulator().await;
    let c = builder(&emu, api_key(&emu)).batch_size(2).build().unwrap();
    let items = [Lob::new("A1"), Lob::new("A2"), Lob::new("Retail")];
    let err = c.lobs().create_many(&items).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "the third is a duplicate");
    let batch = err.details().batch.clone().expect("progress");
    assert_eq!((batch.applied_chunks, batch.total_chunks, batch.applied_items), (1, 2, 2));
    for id in &batch.applied_ids {
        assert_eq!(stored(&emu, CollectionKind::Lobs, *id)["deleted"], false);
    }
}
