//! `lpconfig skills|profiles|lobs list`

use lpconfig::api::catalog::{Lob, Profile, Skill};
use lpconfig::ListOptions;
use serde_json::Value;

use crate::cli::{CatalogCmd, ListArgs, OutputFormat};
use crate::failure::CliResult;
use crate::names::ROLE_TYPES;
use crate::output::{emit_list, raw_view, select_keys, to_record, View};
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

/// Runs `skills|profiles|lobs list`.
pub async fn run(s: &Session, which: Which, cmd: CatalogCmd, format: OutputFormat) -> CliResult {
    let CatalogCmd::List(args) = cmd;
    let opts = ListOptions { select: args.select.clone(), include_deleted: args.include_deleted };
    match which {
        Which::Skills => {
            let items = s.client.skills().list(&opts).await?.value;
            emit(&args, format, &items, &["id", "name", "description"], |x: &Skill| {
                vec![id(x.id), x.name.clone().unwrap_or_default(), x.description.clone().unwrap_or_default()]
            })
        }
        Which::Profiles => {
            let items = s.client.profiles().list(&opts).await?.value;
            emit(&args, format, &items, &["id", "name", "role", "users"], |x: &Profile| {
                let role = ROLE_TYPES
                    .iter()
                    .find(|(t, _)| Some(*t) == x.role_type_id)
                    .map(|(_, n)| n.to_string())
                    .or_else(|| x.role_type_name.clone())
                    .unwrap_or_default();
                vec![
                    id(x.id),
                    x.name.clone().unwrap_or_default(),
                    role,
                    x.num_of_assigned_users.map(|n| n.to_string()).unwrap_or_default(),
                ]
            })
        }
        Which::Lobs => {
            let items = s.client.lobs().list(&opts).await?.value;
            emit(&args, format, &items, &["id", "name", "description"], |x: &Lob| {
                vec![id(x.id), x.name.clone().unwrap_or_default(), x.description.clone().unwrap_or_default()]
            })
        }
    }
}

fn id(v: Option<i64>) -> String {
    v.map(|i| i.to_string()).unwrap_or_default()
}

fn emit<T: serde::Serialize>(
    args: &ListArgs,
    format: OutputFormat,
    items: &[T],
    headers: &[&str],
    row: impl Fn(&T) -> Vec<String>,
) -> CliResult {
    let keys = args.select.as_deref().map(select_keys);
    let records = items.iter().map(|x| to_record(x, keys.as_deref())).collect::<CliResult<Vec<Value>>>()?;
    emit_list(format, &records, || match &keys {
        Some(k) => raw_view(&records, k),
        None => View {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: items.iter().map(row).collect(),
        },
    })
}
