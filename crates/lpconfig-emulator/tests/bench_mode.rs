//! Benchmark mode: no request log and a cheap (1-round) password hash that still
//! has the documented shape and still verifies.

use lpconfig_emulator::store::CollectionKind;
use lpconfig_emulator::Emulator;
use serde_json::json;

fn agent(login: &str) -> serde_json::Value {
    json!({
        "loginName": login, "fullName": "Jane Doe", "nickname": "Jane",
        "email": format!("{login}@example.com"), "passwordSh": "Str0ng-Passw0rd",
        "isEnabled": true, "maxChats": 3, "profileIds": [2_359_273_712_i64],
        "memberOf": {"agentGroupId": -1}, "userTypeId": 1
    })
}

async fn created_hash(bench: bool) -> (String, usize) {
    let emu = Emulator::builder().demo().bench_mode(bench).start().await.unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{}/api/account/demo/service/agentVep/baseURI.json?version=1.0", emu.base_url());
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
    let account = emu.account();
    let hash = emu
        .with_store(&account, |s| {
            let out = s.create(CollectionKind::Users, vec![agent("bench.jane")]).unwrap().remove(0);
            out["passwordSh"].as_str().expect("the demo account emits passwordSh").to_owned()
        })
        .unwrap();
    (hash, emu.request_log().len())
}

#[tokio::test]
async fn bench_mode_skips_the_log_and_hashes_cheaply() {
    let (hash, logged) = created_hash(true).await;
    assert!(hash.starts_with("<<slt>>1:"), "{hash}");
    assert_eq!(logged, 0, "benchmark mode records no requests");

    let (hash, logged) = created_hash(false).await;
    assert!(hash.starts_with("<<slt>>1000:"), "{hash}");
    assert_eq!(logged, 1);
}
