//! A seeded chaos run: a staff list synced into the emulator through the core
//! while random faults hit reads and writes. Shared by the CI test
//! (`tests/chaos.rs`) and the figures script (`examples/chaos.rs`).
//!
//! Every write's report is checked against the emulator's store right after the
//! call: a write reported applied must be in the account, one reported not
//! applied must not be (else it is a false report). Rounds repeat (as a re-run
//! of a sync would) until one plans nothing; then the account must equal the
//! list, with no login or group name twice and no bystander user lost.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::users::{GroupLink, User};
use lpconfig::{Client, Credentials, Error, IfMatch, ListOptions, RetryPolicy, Secret, Versioned};
use lpconfig_emulator::store::{CollectionKind, MAIN_GROUP_ID};
use lpconfig_emulator::{Emulator, FaultAction, FaultRule, RunningEmulator};
use serde_json::Value;

const P_AGENT: i64 = 2_359_273_712;

/// One chaos run's settings.
#[derive(Debug, Clone)]
pub struct ChaosConfig {
    /// Seeds the faults and the data.
    pub seed: u64,
    /// Users in the staff list.
    pub rows: usize,
    /// Agent groups they spread over.
    pub groups: usize,
    /// Base probability of each kind of random fault per request.
    pub fault_rate: f64,
    /// Per-attempt timeout of the client.
    pub timeout: Duration,
    /// Items per batch request.
    pub batch_size: usize,
    /// Sync rounds before giving up on convergence.
    pub max_rounds: usize,
}

impl Default for ChaosConfig {
    fn default() -> Self {
        ChaosConfig {
            seed: 1,
            rows: 300,
            groups: 6,
            fault_rate: 0.02,
            timeout: Duration::from_millis(1500),
            batch_size: 25,
            max_rounds: 15,
        }
    }
}

/// What one run found.
#[derive(Debug, Clone, Default)]
pub struct ChaosReport {
    /// Requests a fault rule hit (emulator side).
    pub faults_injected: u64,
    /// Faults the client met: retries it made, plus writes that failed.
    pub faults_hit: u64,
    /// Whether a round finally planned nothing and the account equals the list.
    pub converged: bool,
    /// Rounds run.
    pub rounds: usize,
    /// Listed users missing or wrong at the end, plus bystanders deleted.
    pub users_lost: usize,
    /// Login names or group names held by more than one live entity.
    pub duplicates: usize,
    /// Items reported not applied that the account held, or applied that it did not.
    pub false_reports: usize,
    /// Items reported with an unknown outcome (allowed, never a lie).
    pub unknown_reports: usize,
    /// Writes the account confirmed applied, as reported.
    pub writes_checked: usize,
    /// Notes on what went wrong, for the test's failure message.
    pub notes: Vec<String>,
}

/// A small seeded generator (SplitMix64) for data and burst timing.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One listed user.
#[derive(Debug, Clone)]
struct Row {
    login: String,
    nickname: String,
    email: String,
    max_chats: i64,
    group: String,
}

fn rows(cfg: &ChaosConfig) -> Vec<Row> {
    let mut rng = Rng(cfg.seed ^ 0xC0FFEE);
    (0..cfg.rows)
        .map(|i| Row {
            login: format!("chaos.{i:05}"),
            nickname: format!("Agent {i}"),
            email: format!("chaos.{i}@example.com"),
            max_chats: 1 + rng.below(8) as i64,
            group: group_name(rng.below(cfg.groups as u64) as usize),
        })
        .collect()
}

fn group_name(k: usize) -> String {
    format!("Chaos team {k}")
}

fn random(p: f64, seed: u64, action: FaultAction) -> FaultAction {
    FaultAction::Random { ppm: (p.clamp(0.0, 1.0) * 1e6) as u32, seed, action: Box::new(action) }
}

fn status(code: u16, retry_after: Option<&str>) -> FaultAction {
    FaultAction::Status { status: code, body: None, retry_after: retry_after.map(str::to_owned) }
}

/// The random rules: 5xx, 429 with and without `Retry-After`, resets, latency
/// past the client's timeout, garbled bodies, and every lost-answer action.
fn fault_rules(cfg: &ChaosConfig) -> Vec<FaultRule> {
    let r = cfg.fault_rate;
    let s = cfg.seed.wrapping_mul(1000);
    let past_timeout = FaultAction::Latency(cfg.timeout + Duration::from_millis(300));
    let all = "*/le-users/*";
    vec![
        FaultRule::new(all, random(r, s + 1, status(503, None))),
        FaultRule::new(all, random(r / 2.0, s + 2, status(500, None))),
        FaultRule::new(all, random(r / 2.0, s + 3, status(429, None))),
        FaultRule::new(all, random(r / 4.0, s + 4, status(429, Some("1")))),
        FaultRule::new(all, random(r, s + 5, FaultAction::Reset)),
        FaultRule::new(all, random(r / 4.0, s + 6, past_timeout)),
        FaultRule::new(all, random(r / 2.0, s + 7, FaultAction::MalformedBody)).method("GET"),
        FaultRule::new(
            all,
            random(r, s + 8, FaultAction::ApplyThenStatus { status: 503, body: None, retry_after: None }),
        ),
        FaultRule::new(
            all,
            random(
                r / 2.0,
                s + 9,
                FaultAction::ApplyThenStatus { status: 502, body: None, retry_after: Some("0".into()) },
            ),
        ),
        FaultRule::new(all, random(r, s + 10, FaultAction::ApplyThenReset)),
        FaultRule::new(all, random(r, s + 11, FaultAction::ApplyThenMalformed)),
        // A 401 mid-run: the session is replaced and the request replayed.
        FaultRule::new("*/le-users/users", status(401, None)).method("PUT").times(1),
    ]
}

/// How a write reported one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    Applied,
    NotApplied,
    Unknown,
}

fn claims(n: usize, result: &Result<impl Sized, Error>) -> Vec<Claim> {
    match result {
        Ok(_) => vec![Claim::Applied; n],
        Err(e) => match &e.details().batch {
            None => vec![Claim::NotApplied; n],
            Some(b) => {
                let mut out = vec![Claim::Unknown; n];
                for &i in &b.applied {
                    out[i] = Claim::Applied;
                }
                for &i in &b.not_applied {
                    out[i] = Claim::NotApplied;
                }
                for &i in &b.unknown {
                    out[i] = Claim::Unknown;
                }
                out
            }
        },
    }
}

fn store_list(emu: &RunningEmulator, kind: CollectionKind) -> Vec<Value> {
    emu.with_store("demo", |s| s.list(kind, true)).unwrap_or_default()
}

fn live(v: &Value) -> bool {
    v["deleted"] != true
}

fn user_holds(v: &Value, row: &Row, group_id: Option<i64>) -> bool {
    live(v)
        && v["nickname"] == row.nickname.as_str()
        && v["email"] == row.email.as_str()
        && v["maxChats"] == row.max_chats
        && (group_id.is_none() || v["memberOf"]["agentGroupId"].as_i64() == group_id)
}

struct Run<'a> {
    cfg: &'a ChaosConfig,
    emu: &'a RunningEmulator,
    client: Client,
    rows: Vec<Row>,
    report: ChaosReport,
}

impl Run<'_> {
    fn check(&mut self, what: &str, claims: &[Claim], holds: impl Fn(usize) -> bool) {
        for (i, c) in claims.iter().enumerate() {
            let h = holds(i);
            match (c, h) {
                (Claim::Applied, true) => self.report.writes_checked += 1,
                (Claim::NotApplied, false) => {}
                (Claim::Unknown, _) => self.report.unknown_reports += 1,
                (c, h) => {
                    self.report.false_reports += 1;
                    self.report.notes.push(format!("{what} item {i}: reported {c:?}, account holds it: {h}"));
                }
            }
        }
    }

    fn note_err<T>(&mut self, what: &str, r: &Result<T, Error>) {
        if let Err(e) = r {
            self.report.faults_hit += 1;
            if self.report.notes.len() < 40 {
                self.report.notes.push(format!("{what}: {e}"));
            }
        }
    }

    /// One sync pass; `Ok(true)` when it planned nothing.
    async fn round(&mut self) -> Result<bool, Error> {
        // Groups first.
        let groups = self.client.agent_groups().list(&ListOptions::default()).await?.value;
        let mut by_name: HashMap<String, i64> = groups
            .iter()
            .filter(|g| g.deleted != Some(true))
            .filter_map(|g| Some((g.name.clone()?, g.id?)))
            .collect();
        let wanted: Vec<String> = (0..self.cfg.groups).map(group_name).collect();
        let missing: Vec<AgentGroup> = wanted
            .iter()
            .filter(|n| !by_name.contains_key(*n))
            .map(|n| AgentGroup::new(n.clone(), MAIN_GROUP_ID))
            .collect();
        let mut planned = 0;
        if !missing.is_empty() {
            planned += missing.len();
            let r = self.client.agent_groups().create_many(&missing).await;
            self.note_err("create groups", &r);
            let c = claims(missing.len(), &r);
            let stored = store_list(self.emu, CollectionKind::AgentGroups);
            self.check("create group", &c, |i| {
                stored.iter().any(|g| live(g) && g["name"] == missing[i].name.as_deref().unwrap_or_default())
            });
            if let Ok(made) = r {
                for g in made.value {
                    by_name.insert(g.name.clone().unwrap_or_default(), g.id.unwrap_or_default());
                }
            }
        }
        if wanted.iter().any(|n| !by_name.contains_key(n)) {
            return Ok(false);
        }

        // Then users: create the missing, fix the different, delete the leavers.
        let listed: Versioned<Vec<User>> = self.client.users().list(&ListOptions::default()).await?;
        let by_login: HashMap<String, &User> = listed
            .value
            .iter()
            .filter(|u| u.deleted != Some(true))
            .filter_map(|u| Some((u.login_name.clone()?.to_lowercase(), u)))
            .collect();
        let (mut creates, mut updates) = (Vec::new(), Vec::new());
        let mut create_rows = Vec::new();
        let mut update_rows = Vec::new();
        for row in &self.rows {
            let gid = by_name[&row.group];
            match by_login.get(&row.login) {
                None => {
                    let mut u = User::new(&row.login, &row.nickname, &row.email);
                    u.full_name = Some(format!("Full {}", row.login));
                    u.password = Some(Secret::new("Str0ng-Passw0rd"));
                    u.profile_ids = vec![P_AGENT];
                    u.member_of = Some(GroupLink::to(gid));
                    u.max_chats = Some(row.max_chats);
                    creates.push(u);
                    create_rows.push((row.clone(), gid));
                }
                Some(u) => {
                    let same = u.nickname.as_deref() == Some(&row.nickname)
                        && u.email.as_deref() == Some(&row.email)
                        && u.max_chats == Some(row.max_chats)
                        && u.member_of.as_ref().and_then(|m| m.agent_group_id) == Some(gid);
                    if !same {
                        let mut u = (*u).clone();
                        u.nickname = Some(row.nickname.clone());
                        u.email = Some(row.email.clone());
                        u.max_chats = Some(row.max_chats);
                        u.member_of = Some(GroupLink::to(gid));
                        u.full_name = Some(format!("Full {}", row.login));
                        updates.push(u);
                        update_rows.push((row.clone(), gid));
                    }
                }
            }
        }
        let leavers: Vec<i64> = listed
            .value
            .iter()
            .filter(|u| u.deleted != Some(true))
            .filter(|u| u.login_name.as_deref().is_some_and(|l| l.starts_with("leaver.")))
            .filter_map(|u| u.id)
            .collect();
        planned += creates.len() + updates.len() + leavers.len();

        // Updates first: they guard on the revision listed above, which creates would move.
        if !updates.is_empty() {
            let guard = listed.revision.map_or(IfMatch::Any, IfMatch::Revision);
            let r = self.client.users().update_many(&updates, guard).await;
            self.note_err("update users", &r);
            let c = claims(updates.len(), &r);
            let stored: HashMap<i64, Value> = store_list(self.emu, CollectionKind::Users)
                .into_iter()
                .filter_map(|v| Some((v["id"].as_i64()?, v)))
                .collect();
            self.check("update user", &c, |i| {
                let (row, gid) = &update_rows[i];
                stored.get(&updates[i].id.unwrap_or_default()).is_some_and(|v| user_holds(v, row, Some(*gid)))
            });
        }
        // One call per batch, going on after a failed one (a later round redoes it).
        for (creates, create_rows) in
            creates.chunks(self.cfg.batch_size).zip(create_rows.chunks(self.cfg.batch_size))
        {
            let r = self.client.users().create_many(creates).await;
            self.note_err("create users", &r);
            let c = claims(creates.len(), &r);
            let stored = store_list(self.emu, CollectionKind::Users);
            self.check("create user", &c, |i| {
                let (row, gid) = &create_rows[i];
                stored.iter().any(|v| v["loginName"] == row.login.as_str() && user_holds(v, row, Some(*gid)))
            });
        }
        if !leavers.is_empty() {
            let r = self.client.users().delete_many(&leavers, IfMatch::Any).await;
            self.note_err("delete users", &r);
            let c = claims(leavers.len(), &r);
            let stored: HashMap<i64, Value> = store_list(self.emu, CollectionKind::Users)
                .into_iter()
                .filter_map(|v| Some((v["id"].as_i64()?, v)))
                .collect();
            self.check("delete user", &c, |i| stored.get(&leavers[i]).is_some_and(|v| v["deleted"] == true));
        }
        Ok(planned == 0)
    }

    /// The account against the list, straight from the store.
    fn verify(&mut self, bystanders: &[i64]) {
        let users = store_list(self.emu, CollectionKind::Users);
        let groups = store_list(self.emu, CollectionKind::AgentGroups);
        let mut logins: BTreeMap<String, usize> = BTreeMap::new();
        for u in users.iter().filter(|u| live(u)) {
            *logins.entry(u["loginName"].as_str().unwrap_or_default().to_lowercase()).or_default() += 1;
        }
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        for g in groups.iter().filter(|g| live(g)) {
            *names.entry(g["name"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
        }
        self.report.duplicates = logins.values().chain(names.values()).filter(|n| **n > 1).count();
        let gid: HashMap<&str, i64> = groups
            .iter()
            .filter(|g| live(g))
            .filter_map(|g| Some((g["name"].as_str()?, g["id"].as_i64()?)))
            .collect();
        let mut lost = 0;
        for row in &self.rows {
            let ok = users.iter().any(|v| {
                v["loginName"] == row.login.as_str()
                    && user_holds(v, row, gid.get(row.group.as_str()).copied())
            });
            if !ok {
                lost += 1;
                if self.report.notes.len() < 60 {
                    self.report.notes.push(format!("lost or wrong: {}", row.login));
                }
            }
        }
        for id in bystanders {
            if !users.iter().any(|v| v["id"].as_i64() == Some(*id) && live(v)) {
                lost += 1;
                self.report.notes.push(format!("bystander {id} deleted"));
            }
        }
        let leavers_left = users
            .iter()
            .filter(|v| live(v) && v["loginName"].as_str().is_some_and(|l| l.starts_with("leaver.")))
            .count();
        self.report.users_lost = lost;
        if leavers_left > 0 {
            self.report.notes.push(format!("{leavers_left} leavers still live"));
        }
        self.report.converged =
            self.report.converged && lost == 0 && leavers_left == 0 && self.report.duplicates == 0;
    }
}

/// Runs one seeded chaos sync and checks it.
pub async fn run(cfg: &ChaosConfig) -> ChaosReport {
    let emu = Emulator::builder().demo().start().await.expect("emulator starts");
    let retries = Arc::new(AtomicU64::new(0));
    let seen = retries.clone();
    let policy = RetryPolicy::documented()
        .with_server_delays([5, 10, 20].map(Duration::from_millis).to_vec())
        .with_rate_limit_base(Duration::from_millis(5))
        .on_retry(move |_| {
            seen.fetch_add(1, Ordering::Relaxed);
        });
    let client = Client::builder()
        .account("demo")
        .credentials(Credentials::password("admin", "demo-password-1"))
        .csds_url(emu.base_url())
        .retry(policy)
        .request_timeout(cfg.timeout)
        .batch_size(cfg.batch_size)
        .build()
        .expect("client");

    // Before the chaos: some of the listed users exist with other values (to be
    // updated), and some leavers exist (to be deleted). Demo users are bystanders.
    let rows = rows(cfg);
    let bystanders: Vec<i64> = emu
        .with_store("demo", |s| s.list(CollectionKind::Users, false))
        .unwrap()
        .iter()
        .filter_map(|v| v["id"].as_i64())
        .collect();
    let mut pre: Vec<User> = rows
        .iter()
        .step_by(5)
        .map(|r| {
            let mut u = User::new(&r.login, "Old nick", &r.email);
            u.full_name = Some("Old".into());
            u.password = Some(Secret::new("Str0ng-Passw0rd"));
            u.profile_ids = vec![P_AGENT];
            u.member_of = Some(GroupLink::to(MAIN_GROUP_ID));
            u
        })
        .collect();
    for i in 0..(cfg.rows / 10).max(3) {
        let mut u = User::new(format!("leaver.{i}"), "Leaver", format!("leaver.{i}@example.com"));
        u.full_name = Some("Leaver".into());
        u.password = Some(Secret::new("Str0ng-Passw0rd"));
        u.profile_ids = vec![P_AGENT];
        u.member_of = Some(GroupLink::to(MAIN_GROUP_ID));
        pre.push(u);
    }
    let setup = Client::builder()
        .account("demo")
        .credentials(Credentials::password("admin", "demo-password-1"))
        .csds_url(emu.base_url())
        .build()
        .expect("client");
    setup.users().create_many(&pre).await.expect("set-up without faults");

    for rule in fault_rules(cfg) {
        emu.add_fault(rule);
    }
    // Bursts: now and then 4 failures in a row (more than the retries), a 429
    // storm, or an expired session.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let bursts = {
        let state = emu.state();
        let stop = stop.clone();
        let mut rng = Rng(cfg.seed ^ 0xB0B);
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(150 + rng.below(450))).await;
                let rule = match rng.below(8) {
                    0 | 1 => FaultRule::new("*/le-users/*", status(503, None)).times(3),
                    2 => FaultRule::new("*/le-users/*", status(429, None)).times(3),
                    3 => FaultRule::new("*/le-users/*", status(429, Some("0"))).times(3),
                    // Longer than the retries: the call fails, a later round redoes it.
                    4 => FaultRule::new("*/le-users/*", status(502, None)).times(5),
                    5 => FaultRule::new(
                        "*/le-users/*",
                        FaultAction::ApplyThenStatus { status: 503, body: None, retry_after: None },
                    )
                    .times(2),
                    _ => {
                        state.sessions.expire_all();
                        continue;
                    }
                };
                // Bursts go first, ahead of the random rules.
                let mut rules = state.faults.rules();
                state.faults.clear();
                rules.insert(0, rule);
                for r in rules {
                    state.faults.add(r);
                }
            }
        })
    };

    let mut run = Run { cfg, emu: &emu, client: client.clone(), rows, report: ChaosReport::default() };
    for round in 1..=cfg.max_rounds {
        run.report.rounds = round;
        match run.round().await {
            Ok(true) => {
                run.report.converged = true;
                break;
            }
            Ok(false) => {}
            Err(e) => {
                run.report.faults_hit += 1;
                if run.report.notes.len() < 40 {
                    run.report.notes.push(format!("round {round} read: {e}"));
                }
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let _ = bursts.await;
    // Let writes delayed past the client's timeout land before judging.
    tokio::time::sleep(cfg.timeout + Duration::from_millis(500)).await;
    run.report.faults_injected = emu.faults_injected();
    run.report.faults_hit += retries.load(Ordering::Relaxed);
    run.verify(&bystanders);
    let _ = client.close().await;
    run.report
}
