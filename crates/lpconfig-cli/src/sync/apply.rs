//! Executing a plan: groups first (parents before children), then users, in
//! batches under `If-Match`, stopping cleanly on the first failure or on Ctrl-C.
//! Batches are atomic on the server (D8), so a failed batch applied nothing and a
//! re-run (which re-plans from the account) never applies anything twice.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::lenient::Nullable;
use lpconfig::api::users::{GroupLink, User};
use lpconfig::{Client, Error, ErrorKind, IfMatch, Revision, Secret};

use super::input::StaffFile;
use super::plan::{GroupRef, Plan};

/// How to apply.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Items per request.
    pub batch_size: usize,
    /// Draw a progress bar (only on a terminal).
    pub progress: bool,
    /// Set by Ctrl-C: stop before the next batch.
    pub stop: Arc<AtomicBool>,
}

/// What was applied.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Groups created.
    pub groups_created: usize,
    /// Groups moved.
    pub groups_moved: usize,
    /// Users created.
    pub users_created: usize,
    /// Users updated (not counting disables).
    pub users_updated: usize,
    /// Users disabled by `--prune`.
    pub users_disabled: usize,
    /// Users deleted by `--prune=delete`.
    pub users_deleted: usize,
    /// Login name and initial password of each created user.
    pub passwords: Vec<(String, Secret)>,
}

/// How an apply ended.
#[derive(Debug)]
pub enum Outcome {
    /// Everything was applied.
    Done,
    /// Ctrl-C: stopped between batches.
    Interrupted {
        /// Batches left undone.
        remaining_items: usize,
    },
    /// A batch failed; nothing of it was applied, nothing after it was tried.
    Failed {
        /// The step and batch (`users: create batch 2/5`).
        step: String,
        /// The error.
        error: Error,
        /// The file rows of the failed batch (`staff.csv:12 jane.doe`).
        rows: Vec<String>,
        /// Rows the error message names, when it names any.
        suspects: Vec<String>,
    },
}

/// Applied counts and the outcome.
#[derive(Debug)]
pub struct Report {
    /// What was applied.
    pub applied: Applied,
    /// How it ended.
    pub outcome: Outcome,
}

struct Run<'a> {
    client: &'a Client,
    plan: &'a Plan,
    file: &'a StaffFile,
    opts: &'a ApplyOptions,
    bar: ProgressBar,
    applied: Applied,
    new_groups: HashMap<String, i64>,
    users_rev: Option<Revision>,
    groups_rev: Option<Revision>,
    done_items: usize,
    total_items: usize,
}

/// A batch: what to send plus, for failure reports, the rows and login names behind it.
struct Batch<T> {
    items: Vec<T>,
    rows: Vec<String>,
    logins: Vec<String>,
}

enum Stop {
    Interrupted,
    Failed { step: String, error: Error, rows: Vec<String>, suspects: Vec<String> },
}

fn guard(r: Option<Revision>) -> IfMatch {
    r.map_or(IfMatch::Any, IfMatch::Revision)
}

/// Applies `plan`; never panics on API errors, reports them in [`Outcome::Failed`].
pub async fn apply(client: &Client, plan: &Plan, file: &StaffFile, opts: &ApplyOptions) -> Report {
    let total = plan.group_creates.len()
        + plan.group_moves.len()
        + plan.user_creates.len()
        + plan.user_updates.len()
        + plan.user_deletes.len();
    let bar = if opts.progress {
        let b = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})")
        {
            b.set_style(style.progress_chars("=> "));
        }
        b
    } else {
        ProgressBar::hidden()
    };
    let mut run = Run {
        client,
        plan,
        file,
        opts,
        bar,
        applied: Applied::default(),
        new_groups: HashMap::new(),
        users_rev: plan.users_revision,
        groups_rev: plan.groups_revision,
        done_items: 0,
        total_items: total,
    };
    let result = run.all().await;
    run.bar.finish_and_clear();
    let outcome = match result {
        Ok(()) => Outcome::Done,
        Err(Stop::Interrupted) => Outcome::Interrupted { remaining_items: run.total_items - run.done_items },
        Err(Stop::Failed { step, error, rows, suspects }) => Outcome::Failed { step, error, rows, suspects },
    };
    Report { applied: run.applied, outcome }
}

impl Run<'_> {
    async fn all(&mut self) -> Result<(), Stop> {
        self.create_groups().await?;
        self.move_groups().await?;
        self.create_users().await?;
        self.update_users().await?;
        self.delete_users().await
    }

    fn check_stop(&self) -> Result<(), Stop> {
        if self.opts.stop.load(Ordering::SeqCst) {
            Err(Stop::Interrupted)
        } else {
            Ok(())
        }
    }

    fn row_label(&self, row: usize) -> String {
        let r = &self.file.rows[row];
        format!("{} {}", self.file.where_is(r), r.login_name)
    }

    fn resolve(&self, g: &GroupRef) -> Option<i64> {
        match g {
            GroupRef::Existing(id) => Some(*id),
            GroupRef::New(name) => self.new_groups.get(name).copied(),
        }
    }

    fn failed<T>(&self, step: String, error: Error, batch: &Batch<T>) -> Stop {
        let text =
            format!("{} {}", error.details().message, error.details().body.as_deref().unwrap_or_default())
                .to_lowercase();
        let suspects = batch
            .logins
            .iter()
            .zip(&batch.rows)
            .filter(|(login, _)| !login.is_empty() && text.contains(&login.to_lowercase()))
            .map(|(_, row)| row.clone())
            .collect();
        Stop::Failed { step, error, rows: batch.rows.clone(), suspects }
    }

    fn progress(&mut self, n: usize, msg: &str) {
        self.done_items += n;
        self.bar.set_message(msg.to_owned());
        self.bar.inc(n as u64);
    }

    async fn create_groups(&mut self) -> Result<(), Stop> {
        let creates = &self.plan.group_creates;
        let mut depths: Vec<usize> = creates.iter().map(|c| c.depth).collect();
        depths.dedup();
        for depth in depths {
            let level: Vec<_> = creates.iter().filter(|c| c.depth == depth).collect();
            let chunks: Vec<_> = level.chunks(self.opts.batch_size).collect();
            for (n, chunk) in chunks.iter().enumerate() {
                self.check_stop()?;
                let batch = Batch {
                    items: chunk
                        .iter()
                        .map(|c| AgentGroup::new(c.name.clone(), self.resolve(&c.parent).unwrap_or(-1)))
                        .collect::<Vec<_>>(),
                    rows: chunk
                        .iter()
                        .map(|c| format!("{} group {}", self.file.where_is(&self.file.rows[c.row]), c.path))
                        .collect(),
                    logins: chunk.iter().map(|c| c.name.clone()).collect(),
                };
                let step = format!("groups (level {depth}): create batch {}/{}", n + 1, chunks.len());
                match self.client.agent_groups().create_many(&batch.items).await {
                    Ok(made) => {
                        self.groups_rev = made.revision.or(self.groups_rev);
                        for (c, g) in chunk.iter().zip(&made.value) {
                            if let Some(id) = g.id {
                                self.new_groups.insert(c.name.clone(), id);
                            }
                        }
                        self.applied.groups_created += batch.items.len();
                        self.progress(batch.items.len(), "creating groups");
                    }
                    Err(e) => return Err(self.failed(step, e, &batch)),
                }
            }
        }
        Ok(())
    }

    async fn move_groups(&mut self) -> Result<(), Stop> {
        let moves = &self.plan.group_moves;
        let chunks: Vec<_> = moves.chunks(self.opts.batch_size).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            self.check_stop()?;
            let batch = Batch {
                items: chunk
                    .iter()
                    .map(|m| {
                        let mut g = m.group.clone();
                        g.parent_group_id = Nullable(self.resolve(&m.to));
                        g
                    })
                    .collect::<Vec<_>>(),
                rows: chunk
                    .iter()
                    .map(|m| format!("{} group {}", self.file.where_is(&self.file.rows[m.row]), m.to_path))
                    .collect(),
                logins: chunk.iter().filter_map(|m| m.group.name.clone()).collect(),
            };
            let step = format!("groups: move batch {}/{}", n + 1, chunks.len());
            match self.client.agent_groups().update_many(&batch.items, guard(self.groups_rev)).await {
                Ok(done) => {
                    self.groups_rev = done.revision.or(self.groups_rev);
                    self.applied.groups_moved += batch.items.len();
                    self.progress(batch.items.len(), "moving groups");
                }
                Err(e) => return Err(self.failed(step, e, &batch)),
            }
        }
        Ok(())
    }

    fn with_group(&self, mut user: User, group: &Option<GroupRef>) -> User {
        if let Some(id) = group.as_ref().and_then(|g| self.resolve(g)) {
            user.member_of = Some(GroupLink::to(id));
        }
        user
    }

    async fn create_users(&mut self) -> Result<(), Stop> {
        let creates = &self.plan.user_creates;
        let chunks: Vec<_> = creates.chunks(self.opts.batch_size).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            self.check_stop()?;
            let batch = Batch {
                items: chunk.iter().map(|c| self.with_group(c.user.clone(), &c.group)).collect::<Vec<_>>(),
                rows: chunk.iter().map(|c| self.row_label(c.row)).collect(),
                logins: chunk.iter().map(|c| self.file.rows[c.row].login_name.clone()).collect(),
            };
            let step = format!("users: create batch {}/{}", n + 1, chunks.len());
            match self.client.users().create_many(&batch.items).await {
                Ok(made) => {
                    self.users_rev = made.revision.or(self.users_rev);
                    for u in &batch.items {
                        if let (Some(l), Some(p)) = (&u.login_name, &u.password) {
                            self.applied.passwords.push((l.clone(), p.clone()));
                        }
                    }
                    self.applied.users_created += batch.items.len();
                    self.progress(batch.items.len(), "creating users");
                }
                Err(e) => return Err(self.failed(step, e, &batch)),
            }
        }
        Ok(())
    }

    async fn update_users(&mut self) -> Result<(), Stop> {
        let updates = &self.plan.user_updates;
        let chunks: Vec<_> = updates.chunks(self.opts.batch_size).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            self.check_stop()?;
            let batch = Batch {
                items: chunk.iter().map(|u| self.with_group(u.user.clone(), &u.group)).collect::<Vec<_>>(),
                rows: chunk
                    .iter()
                    .map(|u| match u.row {
                        Some(r) => self.row_label(r),
                        None => format!("(not in the file) {}", u.login),
                    })
                    .collect(),
                logins: chunk.iter().map(|u| u.login.clone()).collect(),
            };
            let step = format!("users: update batch {}/{}", n + 1, chunks.len());
            match self.client.users().update_many(&batch.items, guard(self.users_rev)).await {
                Ok(done) => {
                    self.users_rev = done.revision.or(self.users_rev);
                    let disables = chunk.iter().filter(|u| u.row.is_none()).count();
                    self.applied.users_disabled += disables;
                    self.applied.users_updated += chunk.len() - disables;
                    self.progress(chunk.len(), "updating users");
                }
                Err(e) => return Err(self.failed(step, e, &batch)),
            }
        }
        Ok(())
    }

    async fn delete_users(&mut self) -> Result<(), Stop> {
        let deletes = &self.plan.user_deletes;
        let chunks: Vec<_> = deletes.chunks(self.opts.batch_size).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            self.check_stop()?;
            let batch = Batch {
                items: chunk.iter().map(|d| d.id).collect::<Vec<_>>(),
                rows: chunk.iter().map(|d| format!("(not in the file) {}", d.login)).collect(),
                logins: chunk.iter().map(|d| d.login.clone()).collect(),
            };
            let step = format!("users: delete batch {}/{}", n + 1, chunks.len());
            match self.client.users().delete_many(&batch.items, guard(self.users_rev)).await {
                Ok(done) => {
                    self.users_rev = done.revision.or(self.users_rev);
                    self.applied.users_deleted += chunk.len();
                    self.progress(chunk.len(), "deleting users");
                }
                Err(e) => return Err(self.failed(step, e, &batch)),
            }
        }
        Ok(())
    }
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
