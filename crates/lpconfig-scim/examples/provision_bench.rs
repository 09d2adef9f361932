//! Benchmark (not a test): provisioning users through SCIM POSTs, 20 in flight.
//!
//! Starts a release emulator in benchmark mode (`lpconfig-emulator --bench`: no
//! request log, cheap password hash) and the bridge
//! (`lpconfig scim serve --sandbox-url`) as their own processes, then alternates
//! rounds of 1,000 SCIM POSTs with a baseline of the same 1,000 creates sent
//! straight through the core client (same concurrency), after a warm-up round;
//! the order of the two flips every round.
//! Reports users/s (median and spread), the ratio, and the bridge process's CPU
//! time per request (from /proc).
//!
//! ```sh
//! cargo build --release -p lpconfig-cli -p lpconfig-emulator
//! cargo run --release -p lpconfig-scim --example provision_bench -- target/release/lpconfig
//! ```

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use futures::stream::{self, StreamExt};
use lpconfig::api::users::{GroupLink, User};
use lpconfig::{Client, Credentials};
use serde_json::json;

const USERS: usize = 1000;
const IN_FLIGHT: usize = 20;
const ROUNDS: usize = 5;
const TOKEN: &str = "bench-token-0123456789abcdef";

// The children are killed and reaped at the end of main.
#[allow(clippy::zombie_processes)]
fn spawn(cmd: &mut Command, prefix: &str) -> (Child, String) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "{prefix}: process ended");
        if let Some(rest) = line.trim().strip_prefix(prefix) {
            let url = rest.split_whitespace().next().unwrap().to_owned();
            std::thread::spawn(move || for _ in out.lines() {});
            return (child, url);
        }
    }
}

/// utime + stime of a process, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

async fn scim_round(http: &reqwest::Client, url: &str, tag: &str, n: usize) -> f64 {
    let t = Instant::now();
    let results: Vec<u16> = stream::iter(0..n)
        .map(|i| {
            let body = json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": format!("scim.{tag}.{i}"), "displayName": format!("Scim {i}"),
                "name": {"formatted": format!("Scim User {i}")}, "externalId": format!("ext-{tag}-{i}"),
                "emails": [{"value": format!("scim.{tag}.{i}@example.com"), "primary": true, "type": "work"}],
                "active": true
            });
            async move {
                http.post(format!("{url}/Users"))
                    .bearer_auth(TOKEN)
                    .header("content-type", "application/scim+json")
                    .body(body.to_string())
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    assert!(
        results.iter().all(|s| *s == 201),
        "a SCIM POST failed: {:?}",
        results.iter().find(|s| **s != 201)
    );
    t.elapsed().as_secs_f64()
}

async fn core_round(client: &Client, tag: &str, n: usize) -> f64 {
    let t = Instant::now();
    let results: Vec<bool> = stream::iter(0..n)
        .map(|i| async move {
            let mut u = User::new(
                format!("core.{tag}.{i}"),
                format!("Scim {i}"),
                format!("core.{tag}.{i}@example.com"),
            );
            u.full_name = Some(format!("Scim User {i}"));
            u.employee_id = Some(format!("ext-{tag}-{i}"));
            u.password = Some(lpconfig_sync::password::generate());
            u.change_pwd_next_login = Some(true);
            u.profile_ids = vec![2_359_273_712];
            u.member_of = Some(GroupLink::to(-1));
            client.users().create(&u).await.is_ok()
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    assert!(results.iter().all(|ok| *ok), "a core create failed");
    t.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let bin = std::env::args().nth(1).unwrap_or_else(|| "target/release/lpconfig".into());
    // The standalone emulator next to the CLI binary, in benchmark mode.
    let emu_bin = std::path::Path::new(&bin).with_file_name("lpconfig-emulator");
    let (mut emu, emu_url) =
        spawn(Command::new(&emu_bin).args(["--bench", "--port", "0"]), "lpconfig-emulator listening on");
    // The bridge keeps its local store in a file, as in production.
    let db = std::env::temp_dir().join(format!("scim-bench-{}.db", std::process::id()));
    let (mut bridge, scim_url) = spawn(
        Command::new(&bin)
            .args(["--sandbox-url", &emu_url, "scim", "serve", "--listen", "127.0.0.1:0", "--store"])
            .arg(&db)
            .env("LP_SCIM_TOKEN", TOKEN)
            .env_remove("LP_ACCOUNT"),
        "scim: listening on",
    );
    let http = reqwest::Client::new();
    let client = Arc::new(
        Client::builder()
            .account("demo")
            .csds_url(&emu_url)
            .credentials(Credentials::password("admin", "demo-password-1"))
            .build()
            .unwrap(),
    );
    // Warm-up: connections, logins, caches.
    scim_round(&http, &scim_url, "warm", 100).await;
    core_round(&client, "warm", 100).await;
    let (mut scim_rates, mut core_rates, mut cpu_per_req) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..ROUNDS {
        let core_first = r % 2 == 1;
        let mut c = 0.0;
        if core_first {
            c = core_round(&client, &format!("r{r}"), USERS).await;
        }
        let cpu0 = cpu_seconds(bridge.id());
        let s = scim_round(&http, &scim_url, &format!("r{r}"), USERS).await;
        let cpu = cpu_seconds(bridge.id()) - cpu0;
        if !core_first {
            c = core_round(&client, &format!("r{r}"), USERS).await;
        }
        scim_rates.push(USERS as f64 / s);
        core_rates.push(USERS as f64 / c);
        cpu_per_req.push(cpu / USERS as f64 * 1e6);
        println!(
            "round {r}: scim {:.0} users/s, core {:.0} users/s, bridge CPU {:.0} µs/request",
            USERS as f64 / s,
            USERS as f64 / c,
            cpu / USERS as f64 * 1e6
        );
    }
    let spread =
        |v: &[f64]| (v.iter().cloned().fold(f64::INFINITY, f64::min), v.iter().cloned().fold(0.0, f64::max));
    let (smin, smax) = spread(&scim_rates);
    let (cmin, cmax) = spread(&core_rates);
    let (sm, cm, cpu) =
        (median(&mut scim_rates.clone()), median(&mut core_rates.clone()), median(&mut cpu_per_req.clone()));
    println!(
        "SCIM POST /Users, {IN_FLIGHT} in flight: median {sm:.0} users/s (min {smin:.0}, max {smax:.0})"
    );
    println!(
        "core create baseline, {IN_FLIGHT} in flight: median {cm:.0} users/s (min {cmin:.0}, max {cmax:.0})"
    );
    println!("ratio scim/core: {:.2}; bridge CPU per request: median {cpu:.0} µs", sm / cm);
    let _ = bridge.kill();
    let _ = emu.kill();
    let _ = bridge.wait();
    let _ = emu.wait();
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
}
