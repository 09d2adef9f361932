//! `lpconfig users ...`

use lpconfig::api::users::{GroupLink, User};
use lpconfig::{IfMatch, ListOptions, Secret};
use serde_json::Value;

use super::{group_id, json_arg, overlay, password_from_stdin, user_id};
use crate::cli::{ListArgs, OutputFormat, UserFields, UsersCmd};
use crate::failure::{CliResult, Failure};
use crate::names::{Names, RoleRef, AGENT, USER_COLUMNS};
use crate::output::{
    emit_list, emit_one, piped, raw_row, raw_view, select_keys, stream_csv, stream_records, to_record,
    write_stdout, Feed, View,
};
use crate::target::Session;

/// Runs a `users` command.
pub async fn run(s: &Session, cmd: UsersCmd, format: OutputFormat) -> CliResult {
    match cmd {
        UsersCmd::List(args) => list(s, &args, format).await,
        UsersCmd::Get { user } => {
            let id = user_id(&s.client, &user).await?;
            let u = s.client.users().get(id).await?.value;
            show(s, &u, format).await
        }
        UsersCmd::Create(fields) => create(s, &fields, format).await,
        UsersCmd::Update { user, fields, allow_masked_blank } => {
            update(s, &user, &fields, allow_masked_blank || s.sandbox, format).await
        }
        UsersCmd::Delete { users, yes } => {
            let mut ids = Vec::new();
            for spec in &users {
                ids.push(user_id(&s.client, spec).await?);
            }
            let what: Vec<String> =
                users.iter().zip(&ids).map(|(spec, id)| format!("{spec} ({id})")).collect();
            crate::confirm::confirm(
                &format!("Delete {} user(s): {}?", ids.len(), crate::confirm::list(&what)),
                yes,
            )?;
            for (spec, id) in users.iter().zip(ids) {
                s.client.users().delete(id, IfMatch::Any).await?;
                write_stdout(&format!("deleted user {id} ({spec})\n"))?;
            }
            Ok(())
        }
        UsersCmd::ResetPassword { user, password_stdin, generate } => {
            let id = user_id(&s.client, &user).await?;
            let pw = match (password_stdin, generate) {
                (true, _) => password_from_stdin()?,
                (false, true) => crate::sync::password::generate(),
                (false, false) => {
                    return Err(Failure::usage(
                        "give --new-password-stdin or --generate (passwords are never flags)",
                    ))
                }
            };
            s.client.users().reset_password(id, &pw).await?;
            if generate {
                // Asked for explicitly: the one place a password is shown.
                write_stdout(&format!("{}\n", pw.expose()))?;
            } else {
                eprintln!("lpconfig: password of user {id} ({user}) reset");
            }
            Ok(())
        }
    }
}

fn needs_names(format: OutputFormat, select: Option<&str>) -> bool {
    matches!(format, OutputFormat::Table | OutputFormat::Csv) && select.is_none()
}

/// The users table; in table format a full-name column that the account masks
/// entirely is left out (CSV keeps it, so the file feeds back into `sync`).
fn named_view(names: &Names, users: &[User], table: bool) -> View {
    let mut view = View {
        headers: USER_COLUMNS.iter().map(|h| h.to_string()).collect(),
        rows: users.iter().map(|u| names.user_row(u, table)).collect(),
    };
    let all_masked = users.iter().all(|u| u.full_name.as_deref().is_none_or(str::is_empty));
    if table && all_masked && users.len() > 1 {
        let col = USER_COLUMNS.iter().position(|c| *c == "full_name").unwrap_or(2);
        view.headers.remove(col);
        for r in &mut view.rows {
            r.remove(col);
        }
    }
    view
}

async fn list(s: &Session, args: &ListArgs, format: OutputFormat) -> CliResult {
    let opts = ListOptions { select: args.select.clone(), include_deleted: args.include_deleted };
    let keys = args.select.as_deref().map(select_keys);
    if matches!(format, OutputFormat::Json | OutputFormat::Jsonl | OutputFormat::Csv) {
        // Piped: each user is written while the rest of the list is still arriving and
        // decoding, and none is kept (docs/performance.md, "CLI: piped lists"). CSV rows are
        // `named_view`'s or `raw_view`'s (CSV never drops the masked full-name column).
        let names = if needs_names(format, args.select.as_deref()) {
            Names::load(&s.client).await?
        } else {
            Names::default()
        };
        let users = s.client.users();
        let produce = |mut feed: Feed<User>| async move {
            users.list_each(&opts, move |u| feed.push(u)).await?;
            Ok(())
        };
        return piped(produce, move |received| match (format, keys) {
            (OutputFormat::Csv, Some(k)) => stream_csv(
                &k,
                received.map(|u| u.and_then(|u| to_record(&*u, Some(&k)).map(|r| raw_row(&r, &k)))),
            ),
            (OutputFormat::Csv, None) => {
                let headers: Vec<String> = USER_COLUMNS.iter().map(|h| h.to_string()).collect();
                stream_csv(&headers, received.map(|u| u.map(|u| names.user_row(&u, false))))
            }
            (_, keys) => stream_records::<User>(format, received, keys.as_deref()),
        })
        .await;
    }
    let (users, names) = if needs_names(format, args.select.as_deref()) {
        let api = s.client.users();
        let (u, n) = tokio::try_join!(api.list(&opts), Names::load(&s.client))?;
        (u.value, n)
    } else {
        (s.client.users().list(&opts).await?.value, Names::default())
    };
    let records = users.iter().map(|u| to_record(u, keys.as_deref())).collect::<CliResult<Vec<Value>>>()?;
    emit_list(format, &records, || match &keys {
        Some(k) => raw_view(&records, k),
        None => named_view(&names, &users, format == OutputFormat::Table),
    })
}

async fn show(s: &Session, u: &User, format: OutputFormat) -> CliResult {
    let names = if needs_names(format, None) { Names::load(&s.client).await? } else { Names::default() };
    let record = to_record(u, None)?;
    emit_one(format, &record, || named_view(&names, std::slice::from_ref(u), format == OutputFormat::Table))
}

/// Flag values resolved against the account before any write.
struct Resolved {
    roles: Option<Vec<RoleRef>>,
    group: Option<i64>,
    skills: Option<Vec<i64>>,
}

fn resolve(names: &Names, f: &UserFields) -> CliResult<Resolved> {
    let roles = if f.roles.is_empty() {
        None
    } else {
        let refs = f
            .roles
            .iter()
            .map(|r| {
                names.role(r).ok_or_else(|| {
                    Failure::usage(format!("unknown role {r:?} (see `lpconfig profiles list`)"))
                })
            })
            .collect::<CliResult<Vec<_>>>()?;
        Some(refs)
    };
    let group = f.group.as_deref().map(|g| group_id(names, g)).transpose()?;
    let skills = if f.skills.is_empty() {
        None
    } else {
        let ids = f
            .skills
            .iter()
            .map(|n| {
                names.skill_id(n).ok_or_else(|| {
                    Failure::usage(format!("unknown skill {n:?} (see `lpconfig skills list`)"))
                })
            })
            .collect::<CliResult<Vec<_>>>()?;
        Some(ids)
    };
    Ok(Resolved { roles, group, skills })
}

/// Sets the flags' fields on `u` (the same for create and for each read-modify-write try).
fn apply_flags(u: &mut User, f: &UserFields, r: &Resolved, names: &Names) {
    if let Some(v) = &f.login_name {
        u.login_name = Some(v.clone());
    }
    if let Some(v) = &f.full_name {
        u.full_name = Some(v.clone());
    }
    if let Some(v) = &f.nickname {
        u.nickname = Some(v.clone());
    }
    if let Some(v) = &f.email {
        u.email = Some(v.clone());
    }
    if let Some(refs) = &r.roles {
        u.profile_ids = names.profile_ids(refs, &u.profile_ids);
    }
    if let Some(g) = r.group {
        u.member_of = Some(GroupLink::to(g));
    }
    if let Some(ids) = &r.skills {
        u.skill_ids = ids.clone();
    }
    if let Some(m) = f.max_chats {
        u.max_chats = Some(m);
    }
    if f.enabled || f.disabled {
        u.is_enabled = Some(f.enabled);
        u.disabled_manually = Some(f.disabled);
    }
}

fn password_of(patch: &serde_json::Map<String, Value>) -> Option<Secret> {
    patch.get("passwordSh").and_then(Value::as_str).map(Secret::new)
}

async fn create(s: &Session, f: &UserFields, format: OutputFormat) -> CliResult {
    let names = Names::load(&s.client).await?;
    let r = resolve(&names, f)?;
    let patch = f.json.as_deref().map(json_arg).transpose()?.unwrap_or_default();
    let mut u = overlay(&User::default(), &patch)?;
    apply_flags(&mut u, f, &r, &names);
    u.password = if f.password_stdin { Some(password_from_stdin()?) } else { password_of(&patch) };
    if u.password.is_none() && u.is_api_user != Some(true) {
        return Err(Failure::usage(
            "a new user needs a password: --new-password-stdin (or passwordSh in --json)",
        ));
    }
    if u.login_name.as_deref().is_none_or(str::is_empty) {
        return Err(Failure::usage("--login-name is required"));
    }
    if u.nickname.is_none() {
        u.nickname = u.full_name.as_deref().and_then(|n| n.split_whitespace().next()).map(str::to_owned);
    }
    if u.profile_ids.is_empty() {
        u.profile_ids = names.default_profile(AGENT).into_iter().collect();
    }
    if names.has_agent(&u.profile_ids) && u.member_of.is_none() {
        u.member_of = names.root().and_then(|g| g.id).map(GroupLink::to);
    }
    u.is_enabled = u.is_enabled.or(Some(true));
    let made = s.client.users().create(&u).await?.value;
    show(s, &made, format).await
}

async fn update(
    s: &Session,
    spec: &str,
    f: &UserFields,
    allow_masked_blank: bool,
    format: OutputFormat,
) -> CliResult {
    let id = user_id(&s.client, spec).await?;
    let needs = !f.roles.is_empty() || f.group.is_some() || !f.skills.is_empty();
    let names = if needs { Names::load(&s.client).await? } else { Names::default() };
    let r = resolve(&names, f)?;
    let patch = f.json.as_deref().map(json_arg).transpose()?.unwrap_or_default();
    overlay(&User::default(), &patch)?; // fail on a bad patch before writing
    let new_password = if f.password_stdin { Some(password_from_stdin()?) } else { password_of(&patch) };
    let done = s
        .client
        .users()
        .allow_masked_blank(allow_masked_blank)
        .modify(&[id], |u| {
            if !patch.is_empty() {
                if let Ok(mut merged) = overlay(u, &patch) {
                    merged.password = u.password.take();
                    *u = merged;
                }
            }
            apply_flags(u, f, &r, &names);
            if new_password.is_some() {
                u.password = new_password.clone();
            }
        })
        .await?;
    let u = done.value.into_iter().next().ok_or_else(|| Failure::api("the update returned no user"))?;
    show(s, &u, format).await
}
