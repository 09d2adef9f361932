//! The seeded chaos sync in CI (bounded: a few hundred rows, millisecond retry
//! waits): random 5xx and 429 (with and without `Retry-After`), resets, latency
//! past the timeout, garbled bodies, every lost-answer fault, bursts longer than
//! the retries, and expired sessions. Afterwards the account equals the list, no
//! login or group is duplicated, nothing is lost, and no write was misreported.

#[path = "chaos/harness.rs"]
mod harness;

use harness::{run, ChaosConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_under_random_faults_converges_without_lies() {
    // The bursts fire on a clock, so a faster client meets fewer of them; a
    // rate of 0.08 makes the seeded per-request faults alone clear the floor
    // below (about 50 hits, several rounds), whatever the machine's speed.
    let cfg = ChaosConfig { seed: 7, rows: 300, fault_rate: 0.08, ..ChaosConfig::default() };
    let r = run(&cfg).await;
    let notes = r.notes.join("\n");
    assert!(r.faults_injected >= 10, "the faults must actually fire: {r:?}");
    assert_eq!(r.false_reports, 0, "{notes}");
    assert_eq!(r.duplicates, 0, "{notes}");
    assert_eq!(r.users_lost, 0, "{notes}");
    assert!(r.converged, "not converged after {} rounds:\n{notes}", r.rounds);
    assert!(r.writes_checked >= 300, "{r:?}");
}
