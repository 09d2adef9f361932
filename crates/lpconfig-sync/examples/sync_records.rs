//! The README's "Sync as a library" example, run against a local emulator:
//! `cargo run -p lpconfig-sync --example sync_records`. `tests/readme.rs` checks that the
//! README shows exactly the code between the README markers, and runs it.

use lpconfig::{Client, Credentials};
use lpconfig_emulator::Emulator;

/// Plans and applies two rows, then checks that nothing is left to do.
#[allow(dead_code)]
pub async fn sync_staff(client: &Client) -> Result<(), lpconfig_sync::SyncError> {
    // README begin
    use lpconfig_sync::{ApplyOptions, Desired, Options, Prune};
    use serde_json::json;

    // Rows keyed by staff-file column names (or Desired::from_path("staff.csv")).
    let desired = Desired::from_records([
        json!({"login_name": "ana.new", "full_name": "Ana New", "email": "ana.new@example.com",
               "roles": "Agent", "group": "Support/Billing/Refunds", "skills": ["Billing", "VIP"]}),
        json!({"login_name": "jane.doe", "max_chats": 5}),
    ])?;
    let options = Options { prune: Prune::Off, allow_masked_blank: true, ..Options::default() };
    let plan = lpconfig_sync::plan(client, &desired, &options).await?; // reads the account, writes nothing
    println!("{}", plan.summary); // Plan: 1 group to create, 0 to move; 1 user to create, 1 to update, ...
    let saved = plan.to_json(); // versioned JSON (docs/sync.md); lpconfig_sync::Plan::from_json reads it back
    assert!(saved.contains("\"version\": 1"));
    let report =
        lpconfig_sync::apply_and_verify(client, &plan, &desired, &options, &ApplyOptions::default()).await?;
    assert_eq!(report.applied.users_created, 1);
    assert_eq!(report.verified, Some(true)); // a new plan finds nothing left to do
                                             // README end
    Ok(())
}

#[allow(dead_code)]
#[tokio::main]
async fn main() {
    let emu = Emulator::builder().demo().start().await.expect("emulator starts");
    let client = Client::builder()
        .account("demo")
        .csds_url(emu.base_url())
        .credentials(Credentials::password("admin", "demo-password-1"))
        .build()
        .expect("client");
    sync_staff(&client).await.expect("sync");
    emu.shutdown().await;
}
