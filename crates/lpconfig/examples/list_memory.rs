//! Peak memory of listing 50,000 users end to end, against an emulator running
//! in another process (so only the client's memory is counted).
//!
//! `cargo run --release -p lpconfig --example list_memory` (builds and starts
//! `lpconfig-emulator --bench --bulk-users 50000` from the same target directory).
//! `-- --url URL` uses a running emulator instead; `--json` prints one JSON
//! object (`bench/run.sh` uses both).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use lpconfig::{ApiRequest, Client, Credentials, ListOptions, Method};

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let json = args.iter().any(|a| a == "--json");
    let given = args.iter().position(|a| a == "--url").and_then(|i| args.get(i + 1)).cloned();
    // The emulator's stdout stays open (`_emulator_stdout`) for as long as it runs: it prints a
    // second line after the URL, and a closed pipe would make that write fail and the emulator
    // exit.
    let (url, mut child, _emulator_stdout) = match given {
        Some(url) => (url, None, None),
        None => {
            let exe = std::env::current_exe().unwrap();
            let emulator = exe.parent().unwrap().parent().unwrap().join("lpconfig-emulator");
            let mut child = Command::new(&emulator)
                .args(["--bench", "--port", "0", "--bulk-users", "50000"])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("start {} (cargo build --release -p lpconfig-emulator): {e}", emulator.display())
                });
            let mut first = String::new();
            let mut stdout = BufReader::new(child.stdout.take().unwrap());
            stdout.read_line(&mut first).unwrap();
            (first.trim().rsplit(' ').next().unwrap().to_owned(), Some(child), Some(stdout))
        }
    };

    let client = Client::builder()
        .account("demo")
        .credentials(Credentials::api_key(
            "d3m0a9k3y0000000000000000000000a",
            "d3m0s3cr3t000001",
            "d3m0acc355t0k3n00000000000000001",
            "d3m0t0k3ns3cr3t1",
        ))
        .csds_url(url)
        .build()
        .unwrap();
    // Warm the connection and the domain cache with a small call, so only the list is measured.
    client.skills().list(&ListOptions::default()).await.unwrap();
    let base = vm_hwm_kib();
    let t = Instant::now();
    let users = client.users().list(&ListOptions::default()).await.unwrap();
    let elapsed = t.elapsed();
    let peak = vm_hwm_kib();
    let json_bytes = client
        .raw()
        .send(ApiRequest::new(Method::GET, "users").query("select", "$all"))
        .await
        .unwrap()
        .body
        .len();
    let grown = peak.saturating_sub(base) as f64 * 1024.0;
    if json {
        println!(
            r#"{{"users":{},"json_bytes":{},"seconds":{},"peak_growth_bytes":{},"peak_ratio":{}}}"#,
            users.value.len(),
            json_bytes,
            elapsed.as_secs_f64(),
            grown,
            grown / json_bytes as f64
        );
    } else {
        println!(
        "listed {} users ({:.1} MB of JSON) in {:.0} ms; client peak memory grew by {:.1} MB = {:.2}x the JSON size (process peak {:.1} MB)",
        users.value.len(),
        json_bytes as f64 / 1e6,
        elapsed.as_secs_f64() * 1e3,
        (peak.saturating_sub(base)) as f64 / 1024.0,
        (peak.saturating_sub(base)) as f64 * 1024.0 / json_bytes as f64,
        peak as f64 / 1024.0
    );
    }
    if let Some(child) = child.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
}
