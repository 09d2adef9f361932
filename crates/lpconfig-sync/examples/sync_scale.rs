//! Sync at scale against an emulator in its own process (a benchmark, not a test):
//!
//!   sync_scale plan  ROWS   the account has ROWS agents; the rows name them all, every
//!                           10th with a changed max_chats; times one plan (read + build)
//!   sync_scale apply ROWS   a demo account; ROWS new agents in 10 new groups; plan + apply
//!
//! Prints one JSON line: wall times, this process's CPU time (user + system, from
//! /proc/self/stat), its peak RSS (VmHWM) and the emulator's CPU time over the same span.
//! Run through benches/sync_scale.sh, which builds in release mode and takes medians.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use lpconfig::{Client, Credentials, ListOptions};
use lpconfig_sync::{ApplyOptions, Desired, Options, Outcome, Snapshot};
use serde_json::json;

/// CPU seconds (user + system) of a process, from /proc/PID/stat (clock ticks of 1/100 s).
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line: 11 and 12 after the ')'.
    (ticks(11) + ticks(12)) / 100.0
}

/// System CPU seconds of this process (page faults, socket reads, returning memory).
fn sys_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    rest.split_whitespace().nth(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / 100.0
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Emu {
    child: Child,
    url: String,
}

fn start_emulator(bin: &str, bulk: usize) -> Emu {
    let mut child = Command::new(bin)
        .args(["--bench", "--port", "0", "--seed", "demo", "--bulk-users", &bulk.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
    let out = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(out).lines();
    let mut url = String::new();
    for line in lines.by_ref() {
        let line = line.expect("emulator output");
        if let Some(u) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            url = u.to_owned();
            break;
        }
    }
    assert!(!url.is_empty(), "the emulator printed no URL");
    // Keep reading its output, so that it never writes to a closed pipe.
    std::thread::spawn(move || for _ in lines {});
    Emu { child, url }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("plan", String::as_str).to_owned();
    let rows: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let bin =
        std::env::var("LPCONFIG_EMULATOR").unwrap_or_else(|_| "target/release/lpconfig-emulator".into());
    let mut emu = start_emulator(&bin, if mode == "plan" { rows } else { 0 });
    let emu_pid = emu.child.id().to_string();
    let client = Client::builder()
        .account("demo")
        .csds_url(emu.url.clone())
        .credentials(Credentials::password("admin", "demo-password-1"))
        .build()
        .expect("client");
    let options = Options { allow_masked_blank: true, ..Options::default() };

    // Untimed set-up: the rows.
    let records: Vec<serde_json::Value> = if mode == "plan" {
        let users = client.users().list(&ListOptions::select("id,loginName")).await.expect("list").value;
        users
            .iter()
            .filter_map(|u| u.login_name.clone())
            .filter(|l| l.starts_with("bulk.agent."))
            .enumerate()
            .map(|(i, l)| {
                if i % 10 == 0 {
                    json!({"login_name": l, "max_chats": 4})
                } else {
                    json!({"login_name": l, "max_chats": 3})
                }
            })
            .collect()
    } else {
        (0..rows)
            .map(|i| {
                json!({"login_name": format!("scale.{i:06}"), "full_name": format!("Scale Agent {i}"),
                       "email": format!("scale.{i:06}@example.com"), "group": format!("Scale/Team {}", i % 10),
                       "skills": "Billing", "max_chats": 2})
            })
            .collect()
    };
    let records_len = records.len();
    client.login().await.expect("login");

    let (cpu0, emu0, t0, sys0) = (cpu_seconds("self"), cpu_seconds(&emu_pid), Instant::now(), sys_seconds());
    let desired = Desired::from_values(records).expect("rows");
    let read_rows_s = t0.elapsed().as_secs_f64();
    let (t_snap, cpu_snap) = (Instant::now(), cpu_seconds("self"));
    let snapshot = Snapshot::read(&client).await.expect("read");
    let snapshot_s = t_snap.elapsed().as_secs_f64();
    let (t_build, cpu_build) = (Instant::now(), cpu_seconds("self"));
    let plan = lpconfig_sync::plan_snapshot(&desired, &snapshot, &options).expect("plan");
    let build_s = t_build.elapsed().as_secs_f64();
    drop(snapshot);
    let cpu_end = cpu_seconds("self");
    // CPU by phase (1/100 s resolution): where the client's time goes.
    let phase_cpu =
        json!({"read_rows": cpu_snap - cpu0, "snapshot": cpu_build - cpu_snap, "build": cpu_end - cpu_build});
    let plan_s = t0.elapsed().as_secs_f64();
    let (mut apply_s, mut outcome) = (0.0, "not run".to_owned());
    if mode == "apply" {
        // Groups, then users in batches of 1,000 (the documented maximum).
        let t = Instant::now();
        let report = lpconfig_sync::apply(
            &client,
            &plan,
            &ApplyOptions { batch_size: Some(1000), ..ApplyOptions::default() },
        )
        .await
        .expect("apply");
        apply_s = t.elapsed().as_secs_f64();
        outcome = match report.outcome {
            Outcome::Done => format!("done: {} users created", report.applied.users_created),
            other => format!("{other:?}"),
        };
    }
    let (cpu, emu_cpu, wall) =
        (cpu_seconds("self") - cpu0, cpu_seconds(&emu_pid) - emu0, t0.elapsed().as_secs_f64());
    println!(
        "{}",
        json!({
            "mode": mode, "rows": records_len, "changes": plan.len(),
            "read_rows_s": read_rows_s, "snapshot_s": snapshot_s, "build_s": build_s, "plan_s": plan_s,
            "apply_s": apply_s, "wall_s": wall, "client_cpu_s": cpu, "emulator_cpu_s": emu_cpu,
            "client_peak_rss_mb": peak_rss_mb(), "outcome": outcome, "plan_cpu_s": phase_cpu, "client_sys_s": sys_seconds() - sys0,
        })
    );
    let _ = emu.child.kill();
    let _ = emu.child.wait();
}
