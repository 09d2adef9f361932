//! Benchmarks of issue 4: decoding 50,000 users, and listing them end to end
//! from the emulator. Before criterion runs, a same-run comparison with
//! Python's `json.loads` on the same bytes prints the ratio the target is about.
//!
//! Run: `cargo bench -p lpconfig --bench users`.

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion, Throughput};
use lpconfig::api::users::User;
use lpconfig::{Client, Credentials, ListOptions};
use lpconfig_emulator::Emulator;

const N: usize = 50_000;

/// `cargo test --all-targets` runs benchmarks once as a smoke test; only
/// `cargo bench` (which passes `--bench`) gets the full 50,000 users.
fn size() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        N
    } else {
        500
    }
}

/// A realistic v4 user list: every documented field, native types.
fn users_json(n: usize) -> Vec<u8> {
    let users: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "id": 4_052_816_112i64 + i as i64 * 100, "pid": format!("8c1e0d2a-6f7b-4a47-9d6e-{i:012}"),
                "deleted": false, "loginName": format!("agent.{i}"), "fullName": "", "nickname": format!("Agent {i}"),
                "email": format!("agent.{i}@example.com"), "isEnabled": true, "disabledManually": false,
                "maxChats": 3, "maxAsyncChats": 10, "skillIds": [2_359_235_912i64, 2_359_235_922i64],
                "profileIds": [2_359_273_612i64], "lobIds": [6_549_273_612i64],
                "memberOf": {"agentGroupId": 1001, "assignmentDate": "2024-03-01 09:15:00"},
                "managerOf": [], "permissionGroups": [1], "changePwdNextLogin": false,
                "passwordSh": "<<slt>>1000:1e7b3e56b84d2ca9a5777bf806478e207efc9c5dfa3fc16c:38cbf5e917f22fea7f0fcf2a1c74144ede53f788ba6dc86d",
                "employeeId": "", "isApiUser": false, "userTypeId": 1, "description": "Tier 1",
                "dateUpdated": "2024-03-01 09:15:00", "lastPwdChangeDate": "2024-02-28 17:02:11"
            })
        })
        .collect();
    serde_json::to_vec(&users).unwrap()
}

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

/// Same bytes, same machine, same run: lpconfig's typed decode vs `json.loads`.
fn compare_with_python(bytes: &[u8]) {
    let path = std::env::temp_dir().join("lpconfig-bench-users.json");
    std::fs::write(&path, bytes).unwrap();
    let rust = best_of(7, || {
        black_box(serde_json::from_slice::<Vec<User>>(bytes).unwrap());
    });
    let script = format!(
        "import json,time\nb=open({:?},'rb').read()\nbest=min((lambda t:(json.loads(b),time.perf_counter()-t)[1])(time.perf_counter()) for _ in range(7))\nprint(best)",
        path.display().to_string()
    );
    match Command::new("python3").arg("-c").arg(&script).output() {
        Ok(out) if out.status.success() => {
            let py: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
            println!(
                "decode {N} users ({:.1} MB): lpconfig typed {:.1} ms, python json.loads {:.1} ms -> lpconfig is {:.2}x faster",
                bytes.len() as f64 / 1e6,
                rust.as_secs_f64() * 1e3,
                py * 1e3,
                py / rust.as_secs_f64()
            );
        }
        _ => println!("python3 not available: no json.loads baseline"),
    }
}

fn decode(c: &mut Criterion) {
    let bytes = users_json(size());
    if size() == N {
        compare_with_python(&bytes);
    }
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(10);
    g.bench_function("users_50k_typed", |b| {
        b.iter(|| serde_json::from_slice::<Vec<User>>(black_box(&bytes)).unwrap())
    });
    g.bench_function("users_50k_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&bytes)).unwrap())
    });
    g.finish();
}

fn list_e2e(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (emu, client) = rt.block_on(async {
        let emu = Emulator::builder().demo().start().await.unwrap();
        emu.insert_bulk_users(size());
        let k = emu.demo_api_key();
        let client = Client::builder()
            .account(emu.account())
            .credentials(Credentials::api_key(k.app_key, k.secret, k.access_token, k.access_token_secret))
            .csds_url(emu.base_url())
            .build()
            .unwrap();
        (emu, client)
    });
    let listed = rt.block_on(client.users().list(&ListOptions::default())).unwrap();
    assert!(listed.value.len() >= size());
    let mut g = c.benchmark_group("list");
    g.sample_size(10);
    g.bench_function("users_50k_end_to_end", |b| {
        b.to_async(&rt)
            .iter(|| async { client.users().list(&ListOptions::default()).await.unwrap().value.len() })
    });
    g.finish();
    drop(emu);
}

criterion_group!(benches, decode, list_e2e);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
