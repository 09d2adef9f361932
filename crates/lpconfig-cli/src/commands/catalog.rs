//! `lpconfig skills|profiles|lobs list|get|create|update|delete`

use lpconfig::api::catalog::{Catalog, Lob, Profile, Skill};
use lpconfig::api::collection::Entity;
use lpconfig::{IfMatch, ListOptions};
use serde_json::{Map, Value};

use super::overlay;
use crate::cli::{CatalogCmd, CatalogFields, ListArgs, OutputFormat};
use crate::failure::{CliResult, Failure};
use crate::names::{role_type, ROLE_TYPES};
use crate::output::{emit_list, emit_one, raw_view, select_keys, to_record, write_stdout, View};
use crate::target::Session;

/// Which catalog.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    /// Skills.
    Skills,
    /// Profiles.
    Profiles,
    /// Lines of business.
    Lobs,
}

/// How one catalog is shown and which flags it takes.
trait Row: Entity + Default {
    const HEADERS: &'static [&'static str];
    const WHAT: &'static str;
    fn row(&self) -> Vec<String>;
    fn name(&self) -> Option<&str>;
}

fn plain_row(id_: Option<i64>, name: &Option<String>, description: &Option<String>) -> Vec<String> {
    vec![id(id_), name.clone().unwrap_or_default(), description.clone().unwrap_or_default()]
}

impl Row for Skill {
    const HEADERS: &'static [&'static str] = &["id", "name", "description"];
    const WHAT: &'static str = "skill";
    fn row(&self) -> Vec<String> {
        plain_row(self.id, &self.name, &self.description)
    }
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl Row for Lob {
    const HEADERS: &'static [&'static str] = &["id", "name", "description"];
    const WHAT: &'static str = "line of business";
    fn row(&self) -> Vec<String> {
        plain_row(self.id, &self.name, &self.description)
    }
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl Row for Profile {
    const HEADERS: &'static [&'static str] = &["id", "name", "role", "users"];
    const WHAT: &'static str = "profile";
    fn row(&self) -> Vec<String> {
        let role = ROLE_TYPES
            .iter()
            .find(|(t, _)| Some(*t) == self.role_type_id)
            .map(|(_, n)| n.to_string())
            .or_else(|| self.role_type_name.clone())
            .unwrap_or_default();
        vec![
            id(self.id),
            self.name.clone().unwrap_or_default(),
            role,
            self.num_of_assigned_users.map(|n| n.to_string()).unwrap_or_default(),
        ]
    }
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// Runs a `skills|profiles|lobs` command.
pub async fn run(s: &Session, which: Which, cmd: CatalogCmd, format: OutputFormat) -> CliResult {
    match which {
        Which::Skills => run_on(s, s.client.skills(), cmd, format).await,
        Which::Profiles => run_on(s, s.client.profiles(), cmd, format).await,
        Which::Lobs => run_on(s, s.client.lobs(), cmd, format).await,
    }
}

async fn run_on<T: Row>(
    s: &Session,
    cat: Catalog<'_, T>,
    cmd: CatalogCmd,
    format: OutputFormat,
) -> CliResult {
    match cmd {
        CatalogCmd::List(args) => {
            let opts = ListOptions { select: args.select.clone(), include_deleted: args.include_deleted };
            let items = cat.list(&opts).await?.value;
            emit(&args, format, &items)
        }
        CatalogCmd::Get { entry } => {
            let id = resolve(&cat, &entry).await?;
            show(&cat.get(id).await?.value, format)
        }
        CatalogCmd::Create(f) => {
            let patch = fields_patch::<T>(s, &f).await?;
            match f.json.as_deref().map(json_value).transpose()? {
                Some(Value::Array(items)) => {
                    let mut all = Vec::with_capacity(items.len());
                    for (n, item) in items.iter().enumerate() {
                        let Value::Object(m) = item else {
                            return Err(Failure::usage(format!("--json[{n}]: expected a JSON object")));
                        };
                        all.push(overlay(&overlay(&T::default(), m)?, &patch)?);
                    }
                    let made = cat.create_many(&all).await?.value;
                    emit(&ListArgs::default(), format, &made)
                }
                base => {
                    let base = match base {
                        Some(Value::Object(m)) => m,
                        None => Map::new(),
                        Some(_) => return Err(Failure::usage("--json: expected an object or an array")),
                    };
                    let item: T = overlay(&overlay(&T::default(), &base)?, &patch)?;
                    if item.name().is_none_or(|n| n.trim().is_empty()) {
                        return Err(Failure::usage("--name is required"));
                    }
                    show(&cat.create(&item).await?.value, format)
                }
            }
        }
        CatalogCmd::Update { entry, fields } => {
            let id = resolve(&cat, &entry).await?;
            let patch = fields_patch::<T>(s, &fields).await?;
            let base = match fields.json.as_deref().map(json_value).transpose()? {
                Some(Value::Object(m)) => m,
                None => Map::new(),
                Some(_) => return Err(Failure::usage("--json: update takes one JSON object")),
            };
            let current = cat.get(id).await?;
            let item: T = overlay(&overlay(&current.value, &base)?, &patch)?;
            show(&cat.update(&item, current.if_match()).await?.value, format)
        }
        CatalogCmd::Delete { entries } => {
            let mut ids = Vec::with_capacity(entries.len());
            for e in &entries {
                ids.push(resolve(&cat, e).await?);
            }
            let gone = cat.delete_many(&ids, IfMatch::Any).await?.value;
            let mut out = String::new();
            for item in &gone {
                out.push_str(&format!(
                    "deleted {} {} ({})\n",
                    T::WHAT,
                    id(item.id()),
                    item.name().unwrap_or_default()
                ));
            }
            write_stdout(&out)
        }
    }
}

/// An id from an id or an exact (non-deleted) name.
async fn resolve<T: Row>(cat: &Catalog<'_, T>, spec: &str) -> CliResult<i64> {
    if let Ok(id) = spec.trim().parse::<i64>() {
        return Ok(id);
    }
    match cat.find_by_name(spec).await? {
        Some(e) => e.id().ok_or_else(|| Failure::api(format!("{} {spec:?} has no id", T::WHAT))),
        None => Err(Failure::usage(format!("no {} named {spec:?}", T::WHAT))),
    }
}

/// The flags as API fields (`name`, `description`, `roleTypeId`, `lobIds`).
async fn fields_patch<T: Row>(s: &Session, f: &CatalogFields) -> CliResult<Map<String, Value>> {
    let mut m = Map::new();
    if let Some(n) = &f.name {
        m.insert("name".into(), n.clone().into());
    }
    if let Some(d) = &f.description {
        m.insert("description".into(), d.clone().into());
    }
    if let Some(role) = &f.role {
        if T::PATH != "profiles" {
            return Err(Failure::usage("--role applies to profiles only"));
        }
        let t = role.trim().parse::<i64>().ok().or_else(|| role_type(role)).ok_or_else(|| {
            Failure::usage(format!(
                "--role {role:?}: use Admin, Agent, \"Agent Manager\", \"Campaign Manager\", LPA or 1-5"
            ))
        })?;
        m.insert("roleTypeId".into(), t.into());
    }
    if !f.lobs.is_empty() {
        if T::PATH != "skills" {
            return Err(Failure::usage("--lob applies to skills only"));
        }
        let lobs = s.client.lobs().list(&ListOptions::default()).await?.value;
        let mut ids = Vec::with_capacity(f.lobs.len());
        for spec in &f.lobs {
            let by_name = || {
                lobs.iter()
                    .find(|l| l.deleted != Some(true) && l.name.as_deref() == Some(spec.as_str()))
                    .and_then(|l| l.id)
            };
            let found = spec.trim().parse::<i64>().ok().or_else(by_name);
            ids.push(
                found.ok_or_else(|| Failure::usage(format!("--lob {spec:?}: no such line of business")))?,
            );
        }
        m.insert("lobIds".into(), ids.into());
    }
    Ok(m)
}

fn json_value(arg: &str) -> CliResult<Value> {
    let (text, origin) = match arg.strip_prefix('@') {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("cannot read {path}: {e}")))?,
            path.to_owned(),
        ),
        None => (arg.to_owned(), "--json".to_owned()),
    };
    serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("{origin}:{}:{}: invalid JSON: {e}", e.line(), e.column())))
}

fn id(v: Option<i64>) -> String {
    v.map(|i| i.to_string()).unwrap_or_default()
}

fn show<T: Row>(item: &T, format: OutputFormat) -> CliResult {
    let record = to_record(item, None)?;
    emit_one(format, &record, || View {
        headers: T::HEADERS.iter().map(|h| h.to_string()).collect(),
        rows: vec![item.row()],
    })
}

fn emit<T: Row>(args: &ListArgs, format: OutputFormat, items: &[T]) -> CliResult {
    let keys = args.select.as_deref().map(select_keys);
    let records = items.iter().map(|x| to_record(x, keys.as_deref())).collect::<CliResult<Vec<Value>>>()?;
    emit_list(format, &records, || match &keys {
        Some(k) => raw_view(&records, k),
        None => View {
            headers: T::HEADERS.iter().map(|h| h.to_string()).collect(),
            rows: items.iter().map(Row::row).collect(),
        },
    })
}
