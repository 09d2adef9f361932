//! `lpconfig groups ...`

use lpconfig::api::agent_groups::{build_tree, AgentGroup, GroupNode};
use lpconfig::api::lenient::Nullable;
use lpconfig::{IfMatch, ListOptions};
use serde_json::{json, Value};

use super::{group_id, json_arg, overlay};
use crate::cli::{GroupFields, GroupsCmd, ListArgs, OutputFormat};
use crate::failure::{CliResult, Failure};
use crate::names::Names;
use crate::output::{emit_list, emit_one, raw_view, select_keys, to_record, write_stdout, View};
use crate::target::Session;

/// Runs a `groups` command.
pub async fn run(s: &Session, cmd: GroupsCmd, format: OutputFormat) -> CliResult {
    match cmd {
        GroupsCmd::List(args) => list(s, &args, format).await,
        GroupsCmd::Get { group } => {
            let names = names(s).await?;
            let id = group_id(&names, &group)?;
            let g = s.client.agent_groups().get(id).await?.value;
            show(&names, &g, format)
        }
        GroupsCmd::Create(f) => {
            let names = names(s).await?;
            let patch = f.json.as_deref().map(json_arg).transpose()?.unwrap_or_default();
            let mut g = overlay(&AgentGroup::default(), &patch)?;
            apply_flags(&mut g, &f, &names)?;
            if g.name.as_deref().is_none_or(str::is_empty) {
                return Err(Failure::usage("--name is required"));
            }
            if g.parent_group_id.0.is_none() {
                g.parent_group_id = Nullable(names.root().and_then(|r| r.id));
            }
            g.is_enabled = g.is_enabled.or(Some(true));
            let made = s.client.agent_groups().create(&g).await?.value;
            let names = self::names(s).await?;
            show(&names, &made, format)
        }
        GroupsCmd::Update { group, fields } => {
            let names = names(s).await?;
            let id = group_id(&names, &group)?;
            let patch = fields.json.as_deref().map(json_arg).transpose()?.unwrap_or_default();
            let current = s.client.agent_groups().get(id).await?;
            let mut g = overlay(&current.value, &patch)?;
            apply_flags(&mut g, &fields, &names)?;
            let done = s.client.agent_groups().update(&g, current.if_match()).await?.value;
            let names = self::names(s).await?;
            show(&names, &done, format)
        }
        GroupsCmd::Delete { groups, yes } => {
            let names = names(s).await?;
            let ids = groups.iter().map(|g| group_id(&names, g)).collect::<CliResult<Vec<_>>>()?;
            let what: Vec<String> =
                groups.iter().zip(&ids).map(|(spec, id)| format!("{spec} ({id})")).collect();
            crate::confirm::confirm(
                &format!("Delete {} agent group(s): {}?", ids.len(), crate::confirm::list(&what)),
                yes,
            )?;
            for (spec, id) in groups.iter().zip(ids) {
                s.client.agent_groups().delete(id, IfMatch::Any).await?;
                write_stdout(&format!("deleted group {id} ({spec})\n"))?;
            }
            Ok(())
        }
        GroupsCmd::Tree => tree(s, format).await,
    }
}

async fn names(s: &Session) -> CliResult<Names> {
    let groups = s.client.agent_groups().list(&ListOptions::default()).await?.value;
    Ok(Names::new(groups, Vec::new(), Vec::new()))
}

fn apply_flags(g: &mut AgentGroup, f: &GroupFields, names: &Names) -> CliResult {
    if let Some(n) = &f.name {
        g.name = Some(n.clone());
    }
    if let Some(p) = &f.parent {
        g.parent_group_id = Nullable(Some(group_id(names, p)?));
    }
    if let Some(d) = &f.description {
        g.description = Some(d.clone());
    }
    if f.enabled || f.disabled {
        g.is_enabled = Some(f.enabled);
    }
    Ok(())
}

const COLUMNS: [&str; 6] = ["id", "name", "path", "parent", "enabled", "description"];

fn row(names: &Names, g: &AgentGroup) -> Vec<String> {
    let id = g.id.unwrap_or_default();
    vec![
        id.to_string(),
        g.name.clone().unwrap_or_default(),
        if g.deleted == Some(true) { String::new() } else { names.group_path(id) },
        g.parent_group_id.0.map(|p| p.to_string()).unwrap_or_default(),
        g.is_enabled.map(|e| e.to_string()).unwrap_or_default(),
        g.description.clone().unwrap_or_default(),
    ]
}

fn view(names: &Names, groups: &[AgentGroup]) -> View {
    View { headers: COLUMNS.map(String::from).to_vec(), rows: groups.iter().map(|g| row(names, g)).collect() }
}

fn show(names: &Names, g: &AgentGroup, format: OutputFormat) -> CliResult {
    let record = to_record(g, None)?;
    emit_one(format, &record, || view(names, std::slice::from_ref(g)))
}

async fn list(s: &Session, args: &ListArgs, format: OutputFormat) -> CliResult {
    let opts = ListOptions { select: args.select.clone(), include_deleted: args.include_deleted };
    let groups = s.client.agent_groups().list(&opts).await?.value;
    let keys = args.select.as_deref().map(select_keys);
    let records = groups.iter().map(|g| to_record(g, keys.as_deref())).collect::<CliResult<Vec<Value>>>()?;
    let names = Names::new(groups.clone(), Vec::new(), Vec::new());
    emit_list(format, &records, || match &keys {
        Some(k) => raw_view(&records, k),
        None => view(&names, &groups),
    })
}

fn node_json(n: &GroupNode) -> Value {
    json!({
        "id": n.group.id,
        "name": n.group.name,
        "children": n.children.iter().map(node_json).collect::<Vec<_>>(),
    })
}

fn draw(n: &GroupNode, prefix: &str, last: bool, top: bool, out: &mut String) {
    let name = crate::escape::controls(n.group.name.as_deref().unwrap_or("?"));
    let id = n.group.id.unwrap_or_default();
    if top {
        out.push_str(&format!("{name} ({id})\n"));
    } else {
        out.push_str(&format!("{prefix}{}{name} ({id})\n", if last { "└── " } else { "├── " }));
    }
    let child_prefix =
        if top { String::new() } else { format!("{prefix}{}", if last { "    " } else { "│   " }) };
    for (i, c) in n.children.iter().enumerate() {
        draw(c, &child_prefix, i + 1 == n.children.len(), false, out);
    }
}

async fn tree(s: &Session, format: OutputFormat) -> CliResult {
    let groups: Vec<AgentGroup> = s
        .client
        .agent_groups()
        .list(&ListOptions::default())
        .await?
        .value
        .into_iter()
        .filter(|g| g.deleted != Some(true))
        .collect();
    let roots = build_tree(groups.clone());
    match format {
        OutputFormat::Json => write_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&roots.iter().map(node_json).collect::<Vec<_>>())
                .unwrap_or_default()
        )),
        OutputFormat::Jsonl => {
            write_stdout(&roots.iter().map(|r| format!("{}\n", node_json(r))).collect::<String>())
        }
        OutputFormat::Csv => {
            let names = Names::new(groups.clone(), Vec::new(), Vec::new());
            let records: Vec<Value> = Vec::new();
            emit_list(format, &records, || view(&names, &groups))
        }
        OutputFormat::Table => {
            let mut out = String::new();
            for r in &roots {
                draw(r, "", true, true, &mut out);
            }
            write_stdout(&out)
        }
    }
}
