//! `lpconfig sync FILE` and `lpconfig apply PLAN.json`: a front end over the
//! `lpconfig-sync` engine. This module holds only arguments, rendering, the progress
//! bar and exit codes; planning and applying are the engine's.

pub mod diff;
pub mod progress;

/// Random initial passwords (the engine's).
pub use lpconfig_sync::password;

use std::io::IsTerminal;
use std::path::Path;

use lpconfig::Secret;
use lpconfig_sync::plan::PasswordSource;
use lpconfig_sync::report::Applied;
use lpconfig_sync::{
    ApplyOptions, CancelToken, Desired, InputError, Options, Outcome, Plan, Prune, SyncError,
};

use self::diff::Style;
use crate::cli::{ApplyArgs, OutputFormat, PruneMode, SyncArgs};
use crate::failure::{CliResult, Failure, EXIT_API, EXIT_CHANGES, EXIT_INTERRUPTED, EXIT_OK};
use crate::output::write_stdout;
use crate::target::Session;

/// At most this many input errors are printed.
const SHOWN_ERRORS: usize = 20;

fn input_failure(errors: &[InputError]) -> Failure {
    let n = errors.len();
    let mut lines: Vec<String> = errors.iter().take(SHOWN_ERRORS).map(ToString::to_string).collect();
    if n > SHOWN_ERRORS {
        lines.push(format!("... and {} more", n - SHOWN_ERRORS));
    }
    if n == 1 {
        Failure::usage(format!("{}; nothing applied", lines[0]))
    } else {
        // Each error on its own line (file:line:column: ...), then the verdict.
        for l in &lines {
            eprintln!("{}", crate::escape::controls(l));
        }
        Failure::usage(format!("{n} problems in the file; nothing applied"))
    }
}

fn sync_failure(e: SyncError, what: &str) -> Failure {
    match e {
        SyncError::Input(errors) => input_failure(&errors),
        SyncError::Api(e) => Failure::from(e).context(what),
        SyncError::Stale { .. } => Failure::api(e.to_string()),
        SyncError::Unsupported(_) | SyncError::PlanFormat(_) => Failure::usage(e.to_string()),
    }
}

fn style() -> Style {
    Style::new(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
}

/// Runs `sync`; returns the exit code.
pub async fn run(s: &Session, args: &SyncArgs, format: OutputFormat) -> CliResult<u8> {
    // Syntax, columns, duplicates: before any network call.
    let mut desired = Desired::from_path(&args.file).map_err(|e| sync_failure(e, "reading the file"))?;
    if let Some(groups) = &args.groups {
        desired = desired.with_groups_path(groups).map_err(|e| sync_failure(e, "reading the groups file"))?;
    }
    let opts = Options {
        prune: match args.prune {
            None => Prune::Off,
            Some(PruneMode::Disable) => Prune::Disable,
            Some(PruneMode::Delete) => Prune::Delete,
        },
        protected_logins: s.login_name.iter().cloned().collect(),
        allow_masked_blank: args.allow_masked_blank || s.sandbox,
        initial_password: args.initial_password.clone().filter(|p| !p.is_empty()).map(Secret::new),
        create_missing_catalog_entries: args.create_missing_catalog_entries,
    };
    let plan = lpconfig_sync::plan(&s.client, &desired, &opts)
        .await
        .map_err(|e| sync_failure(e, "reading the account"))?;
    if let Some(out) = &args.out {
        std::fs::write(out, plan.to_json() + "\n")
            .map_err(|e| Failure::usage(format!("cannot write {}: {e}", out.display())))?;
        eprintln!("lpconfig: saved the plan to {} (run `lpconfig apply {}`)", out.display(), out.display());
    }
    let json = format == OutputFormat::Json;
    if json && !args.apply {
        write_stdout(&(plan.to_json() + "\n"))?;
    } else {
        let text = if args.quiet || json {
            format!("{}\n", diff::summary(&plan))
        } else {
            diff::render(&plan, style())
        };
        if json {
            eprint!("{text}");
        } else {
            write_stdout(&text)?;
        }
    }
    password_note(&plan, args.passwords_out.as_deref());

    if !args.apply {
        if !plan.is_empty() && !json {
            write_stdout(if args.out.is_some() {
                "Run `lpconfig apply PLAN` or sync again with --apply to make these changes.\n"
            } else {
                "Run again with --apply to make these changes.\n"
            })?;
        }
        return Ok(if args.detailed_exitcode && !plan.is_empty() { EXIT_CHANGES } else { EXIT_OK });
    }
    if plan.is_empty() {
        return Ok(EXIT_OK);
    }
    if !plan.user_deletes.is_empty() {
        let logins: Vec<String> = plan.user_deletes.iter().map(|d| d.login.clone()).collect();
        crate::confirm::confirm(
            &format!("Delete {} user(s) not in the file: {}?", logins.len(), crate::confirm::list(&logins)),
            args.yes,
        )?;
    }
    let verify = if args.no_verify { None } else { Some((&desired, &opts)) };
    execute(s, &plan, verify, args.batch_size, args.passwords_out.as_deref(), json).await
}

/// Runs `apply PLAN.json`; returns the exit code.
pub async fn run_apply(s: &Session, args: &ApplyArgs, format: OutputFormat) -> CliResult<u8> {
    let text = std::fs::read_to_string(&args.plan)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.plan.display())))?;
    let plan = Plan::from_json(&text).map_err(|e| Failure::usage(format!("{}: {e}", args.plan.display())))?;
    let mut plan = plan;
    if let Some(pw) = args.initial_password.clone().filter(|p| !p.is_empty()) {
        // A saved plan holds no passwords: the option gives one to every new user of it.
        for c in &mut plan.user_creates {
            c.password = Some(Secret::new(pw.clone()));
        }
    }
    if format != OutputFormat::Json {
        write_stdout(&format!("{}\n", diff::summary(&plan)))?;
    }
    password_note(&plan, args.passwords_out.as_deref());
    if plan.is_empty() {
        return Ok(EXIT_OK);
    }
    let code =
        execute(s, &plan, None, args.batch_size, args.passwords_out.as_deref(), format == OutputFormat::Json)
            .await?;
    Ok(if code == EXIT_OK && args.detailed_exitcode { EXIT_CHANGES } else { code })
}

/// Applies a plan with a progress bar and Ctrl-C handling; with `verify`, re-plans after.
async fn execute(
    s: &Session,
    plan: &Plan,
    verify: Option<(&Desired, &Options)>,
    batch_size: u32,
    passwords_out: Option<&Path>,
    json: bool,
) -> CliResult<u8> {
    let cancel = CancelToken::new();
    let watcher = tokio::spawn(watch_ctrl_c(cancel.clone()));
    let bar = progress::Bar::new(plan.len(), std::io::stderr().is_terminal());
    let apply_opts =
        ApplyOptions { batch_size: Some(batch_size as usize), progress: Some(bar.callback()), cancel };
    let result = match verify {
        Some((desired, opts)) => {
            lpconfig_sync::apply_and_verify(&s.client, plan, desired, opts, &apply_opts).await
        }
        None => lpconfig_sync::apply(&s.client, plan, &apply_opts).await,
    };
    watcher.abort();
    bar.finish();
    let report = result.map_err(|e| sync_failure(e, "applying"))?;
    if json {
        write_stdout(&(report.to_json() + "\n"))?;
    } else {
        write_stdout(&format!("{}\n", applied_line(&report.applied)))?;
    }
    if let Some(path) = passwords_out {
        write_passwords(path, &report.applied.passwords)?;
    }
    match &report.outcome {
        Outcome::Done => {}
        Outcome::Cancelled { not_applied } => {
            let text = format!(
                "Interrupted: stopped after the current batch; {not_applied} change(s) not applied. \
                 Run sync again to finish.\n"
            );
            if json {
                eprint!("{text}");
            } else {
                write_stdout(&text)?;
            }
            return Ok(EXIT_INTERRUPTED);
        }
        Outcome::Failed { step, message, hint, rows, applied, unknown, suspects, error } => {
            eprintln!("{}", failed_batch(rows, applied, unknown, &report.changes));
            if !suspects.is_empty() {
                eprintln!("the error names: {}", crate::escape::controls(&suspects.join(", ")));
            }
            if let Some(h) = hint {
                eprintln!("hint: {h}");
            }
            let failure = match error {
                Some(e) => Failure::from(e.clone()),
                None => Failure::api(message.clone()),
            };
            return Err(failure.context(format!("{step} failed")));
        }
    }
    match (&report.verified, &report.leftover) {
        (Some(true), _) => {
            if !json {
                write_stdout("Verified: a new plan finds nothing left to do.\n")?;
            }
            Ok(EXIT_OK)
        }
        (Some(false), Some(p)) => {
            eprintln!(
                "warning: after apply, a new plan still finds changes (the server adjusted some values):"
            );
            eprint!("{}", diff::render(p, Style::new(false)));
            Ok(EXIT_API)
        }
        _ => Ok(EXIT_OK),
    }
}

/// What a failed batch did, row by row: applied (the account holds it), unknown (the
/// answer was lost and the account could not be re-read), or not applied.
fn failed_batch(
    rows: &[String],
    applied: &[String],
    unknown: &[String],
    changes: &[lpconfig_sync::report::ChangeResult],
) -> String {
    const SHOWN: usize = 25;
    let more = |detail: &mut String| {
        if rows.len() > SHOWN {
            detail.push_str(&format!("\n  ... and {} more", rows.len() - SHOWN));
        }
    };
    if applied.is_empty() && unknown.is_empty() {
        let mut detail = format!("failed batch ({} rows, none of them applied):", rows.len());
        for r in rows.iter().take(SHOWN) {
            detail.push_str(&format!("\n  {}", crate::escape::controls(r)));
        }
        more(&mut detail);
        return detail;
    }
    let not_applied = rows.len() - applied.len() - unknown.len();
    let mut detail = format!(
        "failed batch ({} rows: {} applied, {} not applied, {} unknown):",
        rows.len(),
        applied.len(),
        not_applied,
        unknown.len()
    );
    let after_loss =
        |row: &str| changes.iter().any(|c| c.confirmed_after_loss && format!("{} {}", c.at, c.name) == row);
    for r in rows.iter().take(SHOWN) {
        let (status, note) = if applied.contains(r) {
            ("applied    ", if after_loss(r) { " (confirmed after a lost answer)" } else { "" })
        } else if unknown.contains(r) {
            ("unknown    ", " (may or may not be applied)")
        } else {
            ("not applied", "")
        };
        detail.push_str(&format!("\n  {status} {}{note}", crate::escape::controls(r)));
    }
    more(&mut detail);
    if !unknown.is_empty() {
        detail.push_str(
            "\nunknown: the answer was lost and re-reading the account failed; run sync again: a new \
             plan reads the account and does only what is missing",
        );
    }
    detail
}

fn password_note(plan: &Plan, passwords_out: Option<&Path>) {
    let generated = plan.user_creates.iter().filter(|c| c.password.is_none()).count();
    let random = plan.user_creates.iter().filter(|c| c.password_from == PasswordSource::Generated).count();
    if generated > 0 && passwords_out.is_none() {
        let why = if generated > random { " (a saved plan holds no passwords)" } else { "" };
        eprintln!(
            "note: {generated} new user(s) get a random initial password that is not shown{why} (they must change \
             it at first login); add a password column, --initial-password, or --passwords-out FILE to keep them"
        );
    }
}

fn applied_line(a: &Applied) -> String {
    let updated =
        if a.groups_updated > 0 { format!(", {} updated", a.groups_updated) } else { String::new() };
    let catalog = if a.skills_created + a.lobs_created > 0 {
        format!("{} skill(s) and {} line(s) of business created; ", a.skills_created, a.lobs_created)
    } else {
        String::new()
    };
    format!(
        "Applied: {catalog}{} group(s) created, {} moved{updated}; {} user(s) created, {} updated, {} disabled, {} deleted.",
        a.groups_created, a.groups_moved, a.users_created, a.users_updated, a.users_disabled, a.users_deleted
    )
}

fn write_passwords(path: &Path, passwords: &[(String, Secret)]) -> CliResult {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file =
        opts.open(path).map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
    let mut w = csv::Writer::from_writer(file);
    let fail = |e: csv::Error| Failure::usage(format!("cannot write {}: {e}", path.display()));
    w.write_record(["login_name", "password"]).map_err(fail)?;
    for (login, pw) in passwords {
        w.write_record([login.as_str(), pw.expose()]).map_err(fail)?;
    }
    w.flush()?;
    let mut inner =
        w.into_inner().map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
    inner.flush()?;
    eprintln!("lpconfig: wrote {} initial password(s) to {}", passwords.len(), path.display());
    Ok(())
}

/// First Ctrl-C: stop after the current batch. Second: exit at once.
async fn watch_ctrl_c(cancel: CancelToken) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    cancel.cancel();
    eprintln!("lpconfig: interrupted: stopping after the current batch (Ctrl-C again to quit now)");
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    }
}
