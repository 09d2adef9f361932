//! Executing a plan: missing skills and lines of business first, then groups (parents
//! before children), then users, in batches under `If-Match`, stopping cleanly on the
//! first failure or on cancellation. Batches are atomic on the server (D8); when a
//! batch's answer is lost the core re-reads and says, item by item, what the account
//! holds (docs/retries.md), and the report passes that on: applied, not applied, or
//! unknown. A re-plan (which starts from the account) never applies anything twice.

use std::collections::HashMap;
use std::future::Future;
use std::time::Instant;

use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::catalog::{Lob, Skill};
use lpconfig::api::lenient::Nullable;
use lpconfig::api::users::{GroupLink, User};
use lpconfig::{Client, Error, ErrorKind, Fetched, IfMatch, ListOptions, Revision};

use crate::plan::{CatalogKind, GroupRef, Plan};
use crate::progress::{CancelToken, Phase, Progress, ProgressFn, TICK};
use crate::report::{Applied, ChangeKind, ChangeResult, Outcome, Report, Status};
use crate::SyncError;

/// How to apply.
#[derive(Clone, Default)]
pub struct ApplyOptions {
    /// Items per request (default 500; the core splits above its own batch size).
    pub batch_size: Option<usize>,
    /// Called with progress (see [`ProgressFn`]).
    pub progress: Option<ProgressFn>,
    /// Stops the apply after the current batch.
    pub cancel: CancelToken,
}

impl std::fmt::Debug for ApplyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplyOptions")
            .field("batch_size", &self.batch_size)
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel)
            .finish()
    }
}

/// The default number of items per request.
pub const DEFAULT_BATCH: usize = 500;

struct Run<'a> {
    client: &'a Client,
    plan: &'a Plan,
    opts: &'a ApplyOptions,
    batch: usize,
    started: Instant,
    applied: Applied,
    results: Vec<ChangeResult>,
    new_groups: HashMap<String, i64>,
    /// Ids of the skills and lines of business this apply created, by kind and lowercased name.
    new_catalog: HashMap<(CatalogKind, String), i64>,
    users_rev: Option<Revision>,
    groups_rev: Option<Revision>,
    done: usize,
    total: usize,
    phase: Phase,
}

/// A batch: what to send plus, for reports, the changes behind it.
struct Batch<T> {
    items: Vec<T>,
    results: Vec<ChangeResult>,
}

enum Stop {
    Cancelled,
    Failed { step: String, error: Error, batch: Vec<ChangeResult>, suspects: Vec<String> },
}

fn guard(r: Option<Revision>) -> IfMatch {
    r.map_or(IfMatch::Any, IfMatch::Revision)
}

/// Refuses a plan made against other revisions than the account's current ones. A
/// conditional read (`If-None-Match`) answers 304 when nothing moved, so this costs two
/// small requests, not two full lists.
async fn check_fresh(client: &Client, plan: &Plan) -> Result<(), SyncError> {
    let opts = ListOptions::select("id");
    let (u, g) = (client.users(), client.agent_groups());
    let users = async {
        match plan.users_revision {
            Some(r) => u.list_if_modified(&opts, Revision(r)).await.map(Some),
            None => Ok(None),
        }
    };
    let groups = async {
        match plan.groups_revision {
            Some(r) => g.list_if_modified(&opts, Revision(r)).await.map(Some),
            None => Ok(None),
        }
    };
    let (users, groups) = tokio::try_join!(users, groups)?;
    // `Some(revision now)` for a collection that moved.
    fn moved<T>(f: Option<Fetched<T>>) -> Option<Option<Revision>> {
        match f {
            Some(Fetched::Modified(now)) => Some(now.revision),
            _ => None,
        }
    }
    let show = |r: Option<Revision>| r.map_or_else(|| "(none)".to_owned(), |r| r.to_string());
    for (collection, planned, now) in
        [("users", plan.users_revision, moved(users)), ("agent groups", plan.groups_revision, moved(groups))]
    {
        if let Some(now) = now {
            return Err(SyncError::Stale {
                collection,
                planned: show(planned.map(Revision)),
                now: show(now),
            });
        }
    }
    Ok(())
}

/// Applies `plan`. Refuses (nothing applied) a plan made against an account that has
/// moved since ([`SyncError::Stale`]: re-plan). API failures during the apply are not an
/// `Err`: the report says which changes were applied and which were not.
pub async fn apply(client: &Client, plan: &Plan, opts: &ApplyOptions) -> Result<Report, SyncError> {
    let started = Instant::now();
    let total = plan.len();
    let tick = |phase, done| {
        if let Some(cb) = &opts.progress {
            cb(&Progress { phase, done, total, elapsed_ms: started.elapsed().as_millis() as u64 });
        }
    };
    tick(Phase::Checking, 0);
    check_fresh(client, plan).await?;
    let mut run = Run {
        client,
        plan,
        opts,
        batch: opts.batch_size.unwrap_or(DEFAULT_BATCH).max(1),
        started,
        applied: Applied::default(),
        results: Vec::with_capacity(total),
        new_groups: HashMap::new(),
        new_catalog: HashMap::new(),
        users_rev: plan.users_revision.map(Revision),
        groups_rev: plan.groups_revision.map(Revision),
        done: 0,
        total,
        phase: Phase::CreateCatalogEntries,
    };
    let result = run.all().await;
    let outcome = match result {
        Ok(()) => Outcome::Done,
        Err(stop) => {
            run.rest_not_applied();
            match stop {
                Stop::Cancelled => Outcome::Cancelled { not_applied: run.total - run.done },
                Stop::Failed { step, error, batch, suspects } => {
                    let label = |r: &ChangeResult| format!("{} {}", r.at, r.name);
                    let with = |s: Status| batch.iter().filter(|r| r.status == s).map(label).collect();
                    Outcome::Failed {
                        step,
                        message: error.to_string(),
                        hint: hint(&error).map(str::to_owned),
                        rows: batch.iter().map(label).collect(),
                        applied: with(Status::Applied),
                        unknown: with(Status::Unknown),
                        suspects,
                        error: Some(error),
                    }
                }
            }
        }
    };
    tick(Phase::Done, run.done);
    Ok(Report { applied: run.applied, changes: run.results, outcome, verified: None, leftover: None })
}

impl Run<'_> {
    async fn all(&mut self) -> Result<(), Stop> {
        self.create_catalog(CatalogKind::Lob).await?;
        self.create_catalog(CatalogKind::Skill).await?;
        self.create_groups().await?;
        self.update_groups().await?;
        self.move_groups().await?;
        self.create_users().await?;
        self.update_users().await?;
        self.delete_users().await
    }

    fn report(&self) {
        if let Some(cb) = &self.opts.progress {
            cb(&Progress {
                phase: self.phase,
                done: self.done,
                total: self.total,
                elapsed_ms: self.started.elapsed().as_millis() as u64,
            });
        }
    }

    /// Runs one request, reporting progress every [`TICK`] while it runs.
    async fn send<F: Future>(&self, fut: F) -> F::Output {
        if self.opts.progress.is_none() {
            return fut.await;
        }
        tokio::pin!(fut);
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + TICK, TICK);
        loop {
            tokio::select! {
                out = &mut fut => return out,
                _ = ticks.tick() => self.report(),
            }
        }
    }

    fn begin(&mut self, phase: Phase) -> Result<(), Stop> {
        self.phase = phase;
        if self.opts.cancel.is_cancelled() {
            return Err(Stop::Cancelled);
        }
        self.report();
        Ok(())
    }

    fn resolve(&self, g: &GroupRef) -> Option<i64> {
        match g {
            GroupRef::Existing(id) => Some(*id),
            GroupRef::New(name) => self.new_groups.get(name).copied(),
        }
    }

    /// A failed batch: each of its changes is applied, not applied or unknown as the
    /// core's `BatchProgress` says (none applied when the server refused the request
    /// outright); the applied ones are counted.
    fn failed<T>(&mut self, step: String, error: Error, batch: Batch<T>) -> Stop {
        let text =
            format!("{} {}", error.details().message, error.details().body.as_deref().unwrap_or_default())
                .to_lowercase();
        let label = |r: &ChangeResult| format!("{} {}", r.at, r.name);
        let suspects = batch
            .results
            .iter()
            .filter(|r| !r.name.is_empty() && text.contains(&r.name.to_lowercase()))
            .map(label)
            .collect();
        let states = item_states(&error, batch.results.len());
        let mut results = batch.results;
        for (r, (status, after_loss)) in results.iter_mut().zip(states) {
            r.status = status;
            r.confirmed_after_loss = after_loss;
            if status == Status::Applied {
                self.applied.count(r.kind);
                self.done += 1;
            }
        }
        self.results.extend(results.iter().cloned());
        Stop::Failed { step, error, batch: results, suspects }
    }

    fn finish<T>(&mut self, batch: Batch<T>) {
        self.done += batch.results.len();
        for r in &batch.results {
            self.applied.count(r.kind);
        }
        self.results.extend(batch.results.into_iter().map(|mut r| {
            r.status = Status::Applied;
            r
        }));
        self.report();
    }

    /// Every change of the plan without a result yet is reported as not applied.
    fn rest_not_applied(&mut self) {
        let mut seen: std::collections::HashSet<(ChangeKind, String)> =
            self.results.iter().map(|r| (r.kind, r.name.clone())).collect();
        for r in all_changes(self.plan) {
            if seen.insert((r.kind, r.name.clone())) {
                self.results.push(r);
            }
        }
    }

    /// Creates the plan's missing lines of business or skills, by name. The core never
    /// re-sends a create blindly: after a lost answer it looks the name up (D22).
    async fn create_catalog(&mut self, kind: CatalogKind) -> Result<(), Stop> {
        let creates: Vec<_> = self.plan.catalog_creates.iter().filter(|c| c.kind == kind).collect();
        let chunks: Vec<_> = creates.chunks(self.batch).collect();
        let (what, change) = match kind {
            CatalogKind::Lob => ("lines of business", ChangeKind::CreateLob),
            CatalogKind::Skill => ("skills", ChangeKind::CreateSkill),
        };
        for (n, chunk) in chunks.iter().enumerate() {
            self.begin(Phase::CreateCatalogEntries)?;
            let batch = Batch {
                items: chunk.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
                results: chunk.iter().map(|c| ChangeResult::new(change, &c.name, &c.at)).collect(),
            };
            let step = format!("{what}: create batch {}/{}", n + 1, chunks.len());
            let made: lpconfig::Result<Vec<(Option<String>, Option<i64>)>> = match kind {
                CatalogKind::Lob => {
                    let items: Vec<Lob> = batch.items.iter().map(Lob::new).collect();
                    let made = self.send(self.client.lobs().create_many(&items)).await;
                    made.map(|m| m.value.into_iter().map(|l| (l.name, l.id)).collect())
                }
                CatalogKind::Skill => {
                    let items: Vec<Skill> = batch.items.iter().map(Skill::new).collect();
                    let made = self.send(self.client.skills().create_many(&items)).await;
                    made.map(|m| m.value.into_iter().map(|s| (s.name, s.id)).collect())
                }
            };
            match made {
                Ok(made) => {
                    for (name, id) in made {
                        if let (Some(name), Some(id)) = (name, id) {
                            self.new_catalog.insert((kind, name.to_lowercase()), id);
                        }
                    }
                    self.finish(batch);
                }
                Err(e) => return Err(self.failed(step, e, batch)),
            }
        }
        Ok(())
    }

    async fn create_groups(&mut self) -> Result<(), Stop> {
        let creates = &self.plan.group_creates;
        let mut depths: Vec<usize> = creates.iter().map(|c| c.depth).collect();
        depths.sort_unstable();
        depths.dedup();
        for depth in depths {
            let level: Vec<_> = creates.iter().filter(|c| c.depth == depth).collect();
            let chunks: Vec<_> = level.chunks(self.batch).collect();
            for (n, chunk) in chunks.iter().enumerate() {
                self.begin(Phase::CreateGroups)?;
                let batch = Batch {
                    items: chunk
                        .iter()
                        .map(|c| {
                            let mut g =
                                AgentGroup::new(c.name.clone(), self.resolve(&c.parent).unwrap_or(-1));
                            g.description = c.description.clone().or(g.description);
                            g.is_enabled = c.enabled.or(g.is_enabled);
                            g
                        })
                        .collect::<Vec<_>>(),
                    results: chunk
                        .iter()
                        .map(|c| ChangeResult::new(ChangeKind::CreateGroup, &c.path, &c.at))
                        .collect(),
                };
                let step = format!("groups (level {depth}): create batch {}/{}", n + 1, chunks.len());
                match self.send(self.client.agent_groups().create_many(&batch.items)).await {
                    Ok(made) => {
                        self.groups_rev = made.revision.or(self.groups_rev);
                        for (c, g) in chunk.iter().zip(&made.value) {
                            if let Some(id) = g.id {
                                self.new_groups.insert(c.name.clone(), id);
                            }
                        }
                        self.finish(batch);
                    }
                    Err(e) => return Err(self.failed(step, e, batch)),
                }
            }
        }
        Ok(())
    }

    async fn update_groups(&mut self) -> Result<(), Stop> {
        let updates = &self.plan.group_updates;
        let chunks: Vec<_> = updates.chunks(self.batch).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            self.begin(Phase::UpdateGroups)?;
            let batch = Batch {
                items: chunk
                    .iter()
                    .map(|u| {
                        let mut g = u.group.clone();
                        if let Some(p) = u.parent.as_ref().and_then(|p| self.resolve(p)) {
                            g.parent_group_id = Nullable(Some(p));
                        }
                        g
                    })
                    .collect::<Vec<_>>(),
                results: chunk
                    .iter()
                    .map(|u| ChangeResult::new(ChangeKind::UpdateGroup, &u.from_path, &u.at))
                    .collect(),
            };
            let step = format!("groups: update batch {}/{}", n + 1, chunks.len());
            self.update_group_batch(step, batch).await?;
        }
        Ok(())
    }

    /// Sends one batch of group updates (renames, re-parents and moves alike) under the
    /// collection revision, which the answer advances.
    async fn update_group_batch(&mut self, step: String, batch: Batch<AgentGroup>) -> Result<(), Stop> {
        match self.send(self.client.agent_groups().update_many(&batch.items, guard(self.groups_rev))).await {
            Ok(done) => {
                self.groups_rev = done.revision.or(self.groups_rev);
                self.finish(batch);
                Ok(())
            }
            Err(e) => Err(self.failed(step, e, batch)),
        }
    }

    async fn move_groups(&mut self) -> Result<(), Stop> {
        let moves = &self.plan.group_moves;
        let chunks: Vec<_> = moves.chunks(self.batch).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            self.begin(Phase::MoveGroups)?;
            let batch = Batch {
                items: chunk
                    .iter()
                    .map(|m| {
                        let mut g = m.group.clone();
                        g.parent_group_id = Nullable(self.resolve(&m.to));
                        g
                    })
                    .collect::<Vec<_>>(),
                results: chunk
                    .iter()
                    .map(|m| ChangeResult::new(ChangeKind::MoveGroup, &m.from_path, &m.at))
                    .collect(),
            };
            let step = format!("groups: move batch {}/{}", n + 1, chunks.len());
            self.update_group_batch(step, batch).await?;
        }
        Ok(())
    }

    /// The user to send, with the ids of groups, skills and lines of business this
    /// apply created filled in.
    fn complete(&self, mut user: User, refs: Refs<'_>) -> User {
        if let Some(id) = refs.group.as_ref().and_then(|g| self.resolve(g)) {
            user.member_of = Some(GroupLink::to(id));
        }
        if let Some(m) = refs.managed {
            user.manager_of = m.iter().filter_map(|g| self.resolve(g)).map(GroupLink::to).collect();
        }
        let new_ids = |kind, names: &[String]| -> Vec<i64> {
            names.iter().filter_map(|n| self.new_catalog.get(&(kind, n.to_lowercase())).copied()).collect()
        };
        for (ids, kind, names) in [
            (&mut user.skill_ids, CatalogKind::Skill, refs.skills),
            (&mut user.lob_ids, CatalogKind::Lob, refs.lobs),
        ] {
            if !names.is_empty() {
                ids.extend(new_ids(kind, names));
                ids.sort_unstable();
                ids.dedup();
            }
        }
        user
    }

    async fn create_users(&mut self) -> Result<(), Stop> {
        let creates = &self.plan.user_creates;
        let chunks: Vec<_> = creates.chunks(self.batch).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            self.begin(Phase::CreateUsers)?;
            let mut generated =
                crate::password::generate_many(chunk.iter().filter(|c| c.password.is_none()).count())
                    .into_iter();
            let batch = Batch {
                items: chunk
                    .iter()
                    .map(|c| {
                        let refs = Refs {
                            group: &c.group,
                            managed: &c.manager_of,
                            skills: &c.new_skills,
                            lobs: &c.new_lobs,
                        };
                        let mut u = self.complete(c.user.clone(), refs);
                        u.password = Some(match &c.password {
                            Some(p) => p.clone(),
                            None => generated.next().unwrap_or_else(crate::password::generate),
                        });
                        u
                    })
                    .collect::<Vec<_>>(),
                results: chunk
                    .iter()
                    .map(|c| ChangeResult::new(ChangeKind::CreateUser, &c.login, &c.at))
                    .collect(),
            };
            let step = format!("users: create batch {}/{}", n + 1, chunks.len());
            // Only the revision of the answer is used: the light decode skips every field.
            let Batch { items, results } = batch;
            // Sent, the users are taken apart: their login names and passwords move
            // into the report instead of being copied.
            let sent = |results| Batch { items: Vec::<()>::new(), results };
            match self.send(self.client.users().create_many_ids(&items)).await {
                Ok(made) => {
                    self.users_rev = made.revision.or(self.users_rev);
                    self.keep_passwords(items, |_| true);
                    self.finish(sent(results));
                }
                Err(e) => {
                    // Users the account holds, or may hold, keep the password they were sent.
                    let states = item_states(&e, items.len());
                    self.keep_passwords(items, |i| states[i].0 != Status::NotApplied);
                    return Err(self.failed(step, e, sent(results)));
                }
            }
        }
        Ok(())
    }

    fn keep_passwords(&mut self, users: Vec<User>, keep: impl Fn(usize) -> bool) {
        for (i, u) in users.into_iter().enumerate() {
            if let (true, Some(l), Some(p)) = (keep(i), u.login_name, u.password) {
                self.applied.passwords.push((l, p));
            }
        }
    }

    async fn update_users(&mut self) -> Result<(), Stop> {
        let updates = &self.plan.user_updates;
        let chunks: Vec<_> = updates.chunks(self.batch).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            self.begin(Phase::UpdateUsers)?;
            let batch = Batch {
                items: chunk
                    .iter()
                    .map(|u| {
                        let refs = Refs {
                            group: &u.group,
                            managed: &u.manager_of,
                            skills: &u.new_skills,
                            lobs: &u.new_lobs,
                        };
                        self.complete(u.user.clone(), refs)
                    })
                    .collect::<Vec<_>>(),
                results: chunk
                    .iter()
                    .map(|u| {
                        let kind =
                            if u.row.is_some() { ChangeKind::UpdateUser } else { ChangeKind::DisableUser };
                        ChangeResult::new(kind, &u.login, &u.at)
                    })
                    .collect(),
            };
            let step = format!("users: update batch {}/{}", n + 1, chunks.len());
            match self.send(self.client.users().update_many(&batch.items, guard(self.users_rev))).await {
                Ok(done) => {
                    self.users_rev = done.revision.or(self.users_rev);
                    self.finish(batch);
                }
                Err(e) => return Err(self.failed(step, e, batch)),
            }
        }
        Ok(())
    }

    async fn delete_users(&mut self) -> Result<(), Stop> {
        let deletes = &self.plan.user_deletes;
        let chunks: Vec<_> = deletes.chunks(self.batch).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            self.begin(Phase::DeleteUsers)?;
            let batch = Batch {
                items: chunk.iter().map(|d| d.id).collect::<Vec<_>>(),
                results: chunk
                    .iter()
                    .map(|d| ChangeResult::new(ChangeKind::DeleteUser, &d.login, "(not in the file)"))
                    .collect(),
            };
            let step = format!("users: delete batch {}/{}", n + 1, chunks.len());
            match self.send(self.client.users().delete_many(&batch.items, guard(self.users_rev))).await {
                Ok(done) => {
                    self.users_rev = done.revision.or(self.users_rev);
                    self.finish(batch);
                }
                Err(e) => return Err(self.failed(step, e, batch)),
            }
        }
        Ok(())
    }
}

/// The groups, skills and lines of business a user change points at that this apply creates.
struct Refs<'p> {
    group: &'p Option<GroupRef>,
    managed: &'p Option<Vec<GroupRef>>,
    skills: &'p [String],
    lobs: &'p [String],
}

/// Each item of a failed write: applied, not applied or unknown, and whether it was
/// confirmed applied after a lost answer (`BatchProgress`, docs/retries.md). Without
/// progress the server refused the request outright: nothing applied.
fn item_states(error: &Error, n: usize) -> Vec<(Status, bool)> {
    let Some(p) = &error.details().batch else {
        return vec![(Status::NotApplied, false); n];
    };
    (0..n)
        .map(|i| {
            if p.applied.contains(&i) {
                (Status::Applied, p.confirmed_after_loss.contains(&i))
            } else if p.unknown.contains(&i) {
                (Status::Unknown, false)
            } else {
                (Status::NotApplied, false)
            }
        })
        .collect()
}

/// Every change of a plan, in apply order, as not applied.
pub(crate) fn all_changes(plan: &Plan) -> Vec<ChangeResult> {
    let mut out = Vec::with_capacity(plan.len());
    for kind in [CatalogKind::Lob, CatalogKind::Skill] {
        let change = match kind {
            CatalogKind::Lob => ChangeKind::CreateLob,
            CatalogKind::Skill => ChangeKind::CreateSkill,
        };
        out.extend(
            plan.catalog_creates
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| ChangeResult::new(change, &c.name, &c.at)),
        );
    }
    let mut creates: Vec<_> = plan.group_creates.iter().collect();
    creates.sort_by_key(|c| c.depth);
    out.extend(creates.iter().map(|c| ChangeResult::new(ChangeKind::CreateGroup, &c.path, &c.at)));
    out.extend(
        plan.group_updates.iter().map(|u| ChangeResult::new(ChangeKind::UpdateGroup, &u.from_path, &u.at)),
    );
    out.extend(
        plan.group_moves.iter().map(|m| ChangeResult::new(ChangeKind::MoveGroup, &m.from_path, &m.at)),
    );
    out.extend(plan.user_creates.iter().map(|c| ChangeResult::new(ChangeKind::CreateUser, &c.login, &c.at)));
    out.extend(plan.user_updates.iter().map(|u| {
        let kind = if u.row.is_some() { ChangeKind::UpdateUser } else { ChangeKind::DisableUser };
        ChangeResult::new(kind, &u.login, &u.at)
    }));
    out.extend(
        plan.user_deletes
            .iter()
            .map(|d| ChangeResult::new(ChangeKind::DeleteUser, &d.login, "(not in the file)")),
    );
    out
}

/// A hint for a failed batch, by error kind.
pub fn hint(e: &Error) -> Option<&'static str> {
    match e.kind() {
        ErrorKind::Conflict => {
            Some("the account changed since it was read (or a name is taken); run sync again to re-plan")
        }
        ErrorKind::Invalid => {
            Some("the server refused a row of this batch; fix it in the file and run sync again")
        }
        _ => None,
    }
}
