//! HTTPS with a given certificate, and the local store keeping what LivePerson masks.

mod common;

use lpconfig::{Client, Credentials};
use lpconfig_emulator::Emulator;
use lpconfig_scim::{Mapping, Server, Store};
use serde_json::json;

#[tokio::test]
async fn serves_https_with_the_given_certificate() {
    let emu = Emulator::builder().demo().start().await.unwrap();
    let client = Client::builder()
        .account(emu.account())
        .csds_url(emu.base_url())
        .credentials(Credentials::password("admin", "demo-password-1"))
        .build()
        .unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert =
        rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap().self_signed(&key).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert_path, key_path) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    let server = Server::bind(
        "127.0.0.1:0",
        client,
        Mapping::default(),
        Store::memory().unwrap(),
        common::TOKEN.into(),
        Some((cert_path.as_path(), key_path.as_path())),
    )
    .await
    .unwrap();
    assert!(server.url().starts_with("https://"));
    let addr = server.addr();
    tokio::spawn(server.run(std::future::pending()));
    let http = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.pem().as_bytes()).unwrap())
        .resolve("localhost", addr)
        .build()
        .unwrap();
    let resp = http
        .get(format!("https://localhost:{}/scim/v2/ServiceProviderConfig", addr.port()))
        .bearer_auth(common::TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/scim+json");
    // Plain HTTP to the TLS port does not get an answer.
    let plain = reqwest::get(format!("http://127.0.0.1:{}/scim/v2/ServiceProviderConfig", addr.port())).await;
    assert!(plain.is_err() || plain.unwrap().status() != 200);
}

#[tokio::test]
async fn gets_return_what_the_idp_sent_for_masked_and_scim_only_attributes() {
    let h = common::Harness::start().await;
    let ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let (s, created) = h
        .call("POST", "/Users", Some(&json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ent],
            "userName": "masked.kim", "externalId": "okta-00u9", "name": {"formatted": "Kim Masked", "givenName": "Kim"},
            "displayName": "Kim", "emails": [{"value": "kim@example.com", "type": "work", "primary": true}],
            ent: {"employeeNumber": "E-99"}, "password": "Never-Returned-1"})))
        .await;
    assert_eq!(s, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    // The emulator masks fullName and employeeId on read (D14) ...
    let read =
        h.emu.with_store(&h.emu.account(), |st| st.find_user_by_login("masked.kim")).flatten().unwrap();
    assert_eq!((read["fullName"].as_str(), read["employeeId"].as_str()), (Some(""), Some("")));
    // ... but stores them, and the SCIM GET shows what the IdP sent.
    let stored = h.stored_user("masked.kim").unwrap();
    assert_eq!(
        (stored["fullName"].as_str(), stored["employeeId"].as_str()),
        (Some("Kim Masked"), Some("E-99"))
    );
    let (_, got) = h.call("GET", &format!("/Users/{id}"), None).await;
    assert_eq!(got["name"]["formatted"], "Kim Masked");
    assert_eq!(got["externalId"], "okta-00u9");
    assert_eq!(got[ent]["employeeNumber"], "E-99");
    assert!(got.get("password").is_none(), "{got}");
    assert!(!got.to_string().contains("Never-Returned-1"));
    let (_, list) =
        h.call("GET", "/Users?filter=externalId%20eq%20%22okta-00u9%22&attributes=userName", None).await;
    assert_eq!(list["totalResults"], 1);
    assert_eq!(list["Resources"][0]["userName"], "masked.kim");
    assert!(list["Resources"][0].get("emails").is_none(), "attributes= projects: {list}");
}
