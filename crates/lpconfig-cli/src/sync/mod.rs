//! `lpconfig sync FILE`: read the file and the account, plan, print, and with
//! `--apply` execute, then check that a new plan finds nothing left to do.

pub mod apply;
pub mod columns;
pub mod diff;
pub mod input;
pub mod password;
pub mod plan;
pub mod snapshot;

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use lpconfig::Secret;

use self::apply::{Applied, ApplyOptions, Outcome};
use self::diff::Style;
use self::input::InputError;
use self::plan::{Options, PasswordSource, Plan};
use self::snapshot::Snapshot;
use crate::cli::SyncArgs;
use crate::failure::{CliResult, Failure, EXIT_API, EXIT_CHANGES, EXIT_INTERRUPTED, EXIT_OK};
use crate::output::write_stdout;
use crate::target::Session;

fn input_failure(errors: Vec<InputError>) -> Failure {
    let n = errors.len();
    let mut lines: Vec<String> = errors.iter().take(20).map(ToString::to_string).collect();
    if n > 20 {
        lines.push(format!("... and {} more", n - 20));
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

/// Runs `sync`; returns the exit code.
pub async fn run(s: &Session, args: &SyncArgs) -> CliResult<u8> {
    // Syntax, columns, duplicates: before any network call.
    input::read(&args.file, None).map_err(|e| input_failure(vec![e]))?;
    let snap =
        Snapshot::read(&s.client).await.map_err(|e| Failure::from(e).context("reading the account"))?;
    let file = input::read(&args.file, Some(&snap.names)).map_err(|e| input_failure(vec![e]))?;
    let opts = Options {
        prune: args.prune,
        protected: s.login_name.iter().cloned().collect(),
        allow_masked_blank: args.allow_masked_blank || s.sandbox,
        initial_password: args.initial_password.clone().filter(|p| !p.is_empty()).map(Secret::new),
    };
    let plan = plan::plan(&file, &snap, &opts).map_err(input_failure)?;
    let style = Style::new(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none());
    let text =
        if args.quiet { format!("{}\n", diff::summary(&plan)) } else { diff::render(&plan, &file, style) };
    write_stdout(&text)?;
    password_note(&plan, args);

    if !args.apply {
        if !plan.is_empty() {
            write_stdout("Run again with --apply to make these changes.\n")?;
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

    let stop = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn(watch_ctrl_c(stop.clone()));
    let apply_opts = ApplyOptions {
        batch_size: args.batch_size as usize,
        progress: std::io::stderr().is_terminal(),
        stop,
    };
    let report = apply::apply(&s.client, &plan, &file, &apply_opts).await;
    watcher.abort();
    write_stdout(&format!("{}\n", applied_line(&report.applied)))?;
    if let Some(path) = &args.passwords_out {
        write_passwords(path, &report.applied.passwords)?;
    }
    match report.outcome {
        Outcome::Done => {}
        Outcome::Interrupted { remaining_items } => {
            write_stdout(&format!(
                "Interrupted: stopped after the current batch; {remaining_items} change(s) not applied. \
                 Run sync again to finish.\n"
            ))?;
            return Ok(EXIT_INTERRUPTED);
        }
        Outcome::Failed { step, error, rows, suspects } => {
            let mut detail = format!("failed batch ({} rows, none of them applied):", rows.len());
            for r in rows.iter().take(25) {
                detail.push_str(&format!("\n  {}", crate::escape::controls(&r.to_string())));
            }
            if rows.len() > 25 {
                detail.push_str(&format!("\n  ... and {} more", rows.len() - 25));
            }
            eprintln!("{detail}");
            if !suspects.is_empty() {
                eprintln!("the error names: {}", crate::escape::controls(&suspects.join(", ")));
            }
            if let Some(h) = apply::hint(&error) {
                eprintln!("hint: {h}");
            }
            return Err(Failure::from(error).context(format!("{step} failed")));
        }
    }
    if args.no_verify {
        return Ok(EXIT_OK);
    }
    let after =
        Snapshot::read(&s.client).await.map_err(|e| Failure::from(e).context("re-reading the account"))?;
    match plan::plan(&file, &after, &opts) {
        Ok(p) if p.is_empty() => {
            write_stdout("Verified: a new plan finds nothing left to do.\n")?;
            Ok(EXIT_OK)
        }
        Ok(p) => {
            eprintln!(
                "warning: after apply, a new plan still finds changes (the server adjusted some values):"
            );
            eprint!("{}", diff::render(&p, &file, Style::new(false)));
            Ok(EXIT_API)
        }
        Err(errors) => Err(input_failure(errors)),
    }
}

fn password_note(plan: &Plan, args: &SyncArgs) {
    let generated = plan.user_creates.iter().filter(|c| c.password_from == PasswordSource::Generated).count();
    if generated > 0 && args.passwords_out.is_none() {
        eprintln!(
            "note: {generated} new user(s) get a random initial password that is not shown (they must change it \
             at first login); add a password column, --initial-password, or --passwords-out FILE to keep them"
        );
    }
}

fn applied_line(a: &Applied) -> String {
    format!(
        "Applied: {} group(s) created, {} moved; {} user(s) created, {} updated, {} disabled, {} deleted.",
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
async fn watch_ctrl_c(stop: Arc<AtomicBool>) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    stop.store(true, Ordering::SeqCst);
    eprintln!("lpconfig: interrupted: stopping after the current batch (Ctrl-C again to quit now)");
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    }
}
