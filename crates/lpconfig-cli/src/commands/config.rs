//! `lpconfig config show`: the profile file with secrets redacted, and the target in use.

use lpconfig::Credentials;

use crate::cli::TargetArgs;
use crate::config_file;
use crate::failure::CliResult;
use crate::output::write_stdout;
use crate::target::{resolve, Target};

/// Prints the config file (redacted) and which target a command would use.
pub fn show(args: &TargetArgs) -> CliResult {
    let mut out = String::new();
    let path = args.config.clone().or_else(config_file::default_path);
    match &path {
        Some(p) => match config_file::load(p, args.config.is_some())? {
            Some(file) => {
                out.push_str(&format!("# {}\n", p.display()));
                if let Some(d) = &file.default_profile {
                    out.push_str(&format!("default_profile = {d:?}\n"));
                }
                for (name, profile) in &file.profiles {
                    out.push_str(&format!("\n[profiles.{name}]\n{}", profile.redacted()));
                }
            }
            None => out.push_str(&format!("# no config file at {}\n", p.display())),
        },
        None => out.push_str("# no config file location (HOME is not set)\n"),
    }
    out.push('\n');
    out.push_str(&match resolve(args)? {
        Target::EmbeddedSandbox { .. } => {
            "target: the built-in sandbox (demo account, in memory)\n".to_owned()
        }
        Target::RemoteSandbox(url) => format!("target: the sandbox at {url} (demo account)\n"),
        Target::Account { account, credentials, csds_url, source } => {
            let how = match credentials {
                Credentials::Password { username, .. } => format!("user login as {username} (password ***)"),
                Credentials::AppKeyLogin { username, .. } => {
                    format!("app-key login as {username} (keys ***)")
                }
                Credentials::ApiKey { .. } => "API key (OAuth 1.0a; keys ***)".to_owned(),
                Credentials::ClientCredentials { client_id, .. } => {
                    format!("OAuth 2.0 client credentials of {client_id} (secret ***)")
                }
                _ => "other (***)".to_owned(),
            };
            format!(
                "target: account {account} from {source}\ncredentials: {how}\ncsds: {}\n",
                csds_url.as_deref().unwrap_or("https://api.liveperson.net (default)")
            )
        }
    });
    write_stdout(&out)
}
