//! `lpconfig scim serve`: the SCIM 2.0 bridge (lpconfig-scim) over the target account.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use lpconfig_scim::{Mapping, Server, Store};

use crate::failure::{CliResult, Failure};
use crate::output::write_stdout;
use crate::target::Session;

/// `scim ...`
#[derive(Debug, Subcommand)]
pub enum ScimCmd {
    /// Serve SCIM 2.0 (RFC 7644) for an identity provider until Ctrl-C (docs/scim.md).
    Serve(ServeArgs),
}

/// `scim serve` options.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// File holding the IdP's bearer token (else the LP_SCIM_TOKEN variable).
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// Mapping file (TOML); without it the documented defaults apply.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Local store (SQLite file, created on first start). Default: scim.db in the
    /// current directory; in memory with --sandbox.
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// TLS certificate chain (PEM); serves HTTPS with --tls-key.
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

fn token(args: &ServeArgs) -> CliResult<lpconfig::Secret> {
    let raw = match &args.token_file {
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| Failure::usage(format!("--token-file {}: {e}", p.display())))?,
        None => std::env::var("LP_SCIM_TOKEN").map_err(|_| {
            Failure::usage("scim serve needs the IdP's bearer token: --token-file FILE or LP_SCIM_TOKEN")
        })?,
    };
    let t = raw.trim().to_owned();
    if t.len() < 16 {
        return Err(Failure::usage("the SCIM bearer token must be at least 16 characters"));
    }
    Ok(t.into())
}

/// Runs the bridge until Ctrl-C or SIGTERM.
pub async fn run(s: &Session, cmd: ScimCmd) -> CliResult {
    let ScimCmd::Serve(args) = cmd;
    let token = token(&args)?;
    let mapping = match &args.mapping {
        Some(p) => Mapping::from_file(p).map_err(|e| Failure::usage(e.detail))?,
        None => Mapping::default(),
    };
    let store = match (&args.store, s.sandbox) {
        (Some(p), _) => Store::open(p),
        (None, true) => Store::memory(),
        (None, false) => Store::open("scim.db".as_ref()),
    }
    .map_err(|e| Failure::usage(e.detail))?;
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(c), Some(k)) => Some((c.as_path(), k.as_path())),
        _ => None,
    };
    let server = Server::bind(&args.listen, s.client.clone(), mapping, store, token, tls)
        .await
        .map_err(|e| Failure::usage(e.detail))?;
    server.check_mapping().await.map_err(|e| match e.status {
        500 => Failure::usage(e.detail),
        _ => Failure::api(format!("scim serve: {}", e.detail)),
    })?;
    write_stdout(&format!("scim: listening on {}\n", server.url()))?;
    server
        .run(super::emulator::wait_for_signal())
        .await
        .map_err(|e| Failure::api(format!("scim server: {e}")))
}
