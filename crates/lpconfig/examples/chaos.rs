//! Chaos figures (not run in CI): a 2,000-row staff list synced under random
//! faults over several seeds, one table at the end.
//!
//! `cargo run --release -p lpconfig --example chaos -- [ROWS] [SEEDS] [FAULT_RATE]`
//! (defaults 2000 rows, seeds 1-5, rate 0.02), or `scripts/chaos.sh`.
//!
//! Columns: faults injected = requests a fault rule hit (emulator side); faults
//! hit = retries the client made plus writes that returned an error; converged =
//! a sync round planned nothing and the account equals the list; lost = listed
//! users missing or wrong, plus bystanders deleted; duplicates = login or group
//! names held twice; false reports = items reported not applied that the account
//! held, or applied that it did not; unknown = items reported "outcome unknown".

#[path = "../tests/chaos/harness.rs"]
mod harness;

use std::time::Instant;

use harness::{run, ChaosConfig};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let seeds: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let rate: f64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0.02);
    println!("chaos: {rows} rows, seeds 1-{seeds}, fault rate {rate} per kind per request\n");
    println!(
        "| seed | rows | faults injected | faults hit | rounds | converged | users lost | duplicates | false reports | unknown | writes checked | seconds |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut total = harness::ChaosReport::default();
    let mut converged = 0;
    for seed in 1..=seeds {
        let cfg = ChaosConfig {
            seed,
            rows,
            groups: 12,
            fault_rate: rate,
            batch_size: 100,
            max_rounds: 12,
            ..ChaosConfig::default()
        };
        let t = Instant::now();
        let r = run(&cfg).await;
        println!(
            "| {seed} | {rows} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} |",
            r.faults_injected,
            r.faults_hit,
            r.rounds,
            if r.converged { "yes" } else { "no" },
            r.users_lost,
            r.duplicates,
            r.false_reports,
            r.unknown_reports,
            r.writes_checked,
            t.elapsed().as_secs_f64()
        );
        if std::env::var_os("CHAOS_NOTES").is_some() {
            for n in &r.notes {
                eprintln!("  seed {seed}: {n}");
            }
        }
        converged += usize::from(r.converged);
        total.faults_injected += r.faults_injected;
        total.faults_hit += r.faults_hit;
        total.users_lost += r.users_lost;
        total.duplicates += r.duplicates;
        total.false_reports += r.false_reports;
        total.unknown_reports += r.unknown_reports;
    }
    println!(
        "\n| runs | faults injected | faults hit | runs converged | users lost | duplicates | false error reports | unknown outcomes |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| {seeds} | {} | {} | {converged}/{seeds} | {} | {} | {} | {} |",
        total.faults_injected,
        total.faults_hit,
        total.users_lost,
        total.duplicates,
        total.false_reports,
        total.unknown_reports
    );
}
