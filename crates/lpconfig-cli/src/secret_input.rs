//! `--NAME-stdin` and `--NAME-file FILE` for every login secret, so that no
//! secret has to be a command-line argument (visible in `ps`); see
//! docs/cli-security.md. Adding a secret is one line in [`SECRET_FLAGS`].

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

use crate::failure::{CliResult, Failure};

/// A secret whose value may also come from stdin or a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretFlag {
    /// The `LP_*` variable (and the key of [`SecretInputs::read`]'s result).
    pub env: &'static str,
    /// `--NAME-stdin`.
    pub stdin: &'static str,
    /// `--NAME-file`.
    pub file: &'static str,
    /// What it is, for `--help`.
    pub what: &'static str,
}

/// Every secret with stdin/file alternatives.
pub const SECRET_FLAGS: &[SecretFlag] = &[
    SecretFlag {
        env: "LP_PASSWORD",
        stdin: "password-stdin",
        file: "password-file",
        what: "password of --username",
    },
    SecretFlag { env: "LP_SECRET", stdin: "secret-stdin", file: "secret-file", what: "API key / app secret" },
    SecretFlag {
        env: "LP_ACCESS_TOKEN",
        stdin: "access-token-stdin",
        file: "access-token-file",
        what: "API key access token",
    },
    SecretFlag {
        env: "LP_ACCESS_TOKEN_SECRET",
        stdin: "access-token-secret-stdin",
        file: "access-token-secret-file",
        what: "API key access token secret",
    },
    SecretFlag {
        env: "LP_CLIENT_SECRET",
        stdin: "client-secret-stdin",
        file: "client-secret-file",
        what: "OAuth 2.0 client secret",
    },
];

/// Which secrets were asked for from stdin or files (values are read later,
/// by [`SecretInputs::read`], only when the command needs an account).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretInputs {
    /// `LP_*` names whose `--NAME-stdin` was given.
    pub stdin: Vec<&'static str>,
    /// `LP_*` name → the file of `--NAME-file`.
    pub files: BTreeMap<&'static str, PathBuf>,
}

impl FromArgMatches for SecretInputs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut out = Self::default();
        out.update_from_arg_matches(m)?;
        Ok(out)
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        for f in SECRET_FLAGS {
            if m.get_flag(f.stdin) && !self.stdin.contains(&f.env) {
                self.stdin.push(f.env);
            }
            if let Some(p) = m.get_one::<PathBuf>(f.file) {
                self.files.insert(f.env, p.clone());
            }
        }
        Ok(())
    }
}

impl Args for SecretInputs {
    fn augment_args(mut cmd: Command) -> Command {
        for f in SECRET_FLAGS {
            cmd = cmd
                .arg(
                    Arg::new(f.stdin)
                        .long(f.stdin)
                        .global(true)
                        .action(ArgAction::SetTrue)
                        .help(format!("Read the {} from the first line of stdin", f.what)),
                )
                .arg(
                    Arg::new(f.file)
                        .long(f.file)
                        .global(true)
                        .value_name("FILE")
                        .value_parser(clap::value_parser!(PathBuf))
                        .conflicts_with(f.stdin)
                        .help(format!("Read the {} from FILE (first line)", f.what)),
                );
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl SecretInputs {
    /// True when a secret is to be read from stdin (which then serves nothing else).
    pub fn uses_stdin(&self) -> bool {
        !self.stdin.is_empty()
    }

    /// Reads every requested secret: `LP_*` name → value.
    pub fn read(&self) -> CliResult<BTreeMap<&'static str, String>> {
        let mut out = BTreeMap::new();
        if self.stdin.len() > 1 {
            return Err(Failure::usage(format!(
                "only one secret can come from stdin ({} given); use --NAME-file for the others",
                self.stdin.iter().map(|e| flag(e, |f| f.stdin)).collect::<Vec<_>>().join(", ")
            )));
        }
        for env in &self.stdin {
            out.insert(*env, first_line(std::io::stdin().lock(), &flag(env, |f| f.stdin))?);
        }
        for (env, path) in &self.files {
            out.insert(*env, read_file(path, &flag(env, |f| f.file))?);
        }
        Ok(out)
    }
}

fn flag(env: &str, pick: fn(&SecretFlag) -> &'static str) -> String {
    SECRET_FLAGS.iter().find(|f| f.env == env).map_or_else(|| env.to_owned(), |f| format!("--{}", pick(f)))
}

/// The first line of `input` without its line ending; empty is an error.
pub fn first_line(mut input: impl BufRead, origin: &str) -> CliResult<String> {
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| Failure::usage(format!("{origin}: cannot read: {e}")))?;
    let value = line.trim_end_matches(['\r', '\n']).to_owned();
    if value.is_empty() {
        return Err(Failure::usage(format!("{origin}: no value (the first line is empty)")));
    }
    Ok(value)
}

fn read_file(path: &Path, origin: &str) -> CliResult<String> {
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::usage(format!("{origin} {}: cannot open: {e}", path.display())))?;
    first_line(std::io::BufReader::new(file), &format!("{origin} {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, clap::Parser)]
    struct T {
        #[command(flatten)]
        s: SecretInputs,
    }

    #[test]
    fn flags_from_the_table() {
        use clap::Parser;
        let t = T::try_parse_from(["x", "--password-stdin", "--secret-file", "/tmp/s"]).unwrap();
        assert_eq!(t.s.stdin, ["LP_PASSWORD"]);
        assert_eq!(t.s.files.get("LP_SECRET"), Some(&PathBuf::from("/tmp/s")));
        assert!(T::try_parse_from(["x", "--password-stdin", "--password-file", "f"]).is_err());
        let two = T::try_parse_from(["x", "--password-stdin", "--secret-stdin"]).unwrap();
        assert!(two.s.read().unwrap_err().message.contains("only one secret"));
    }

    #[test]
    fn first_line_only() {
        assert_eq!(first_line(&b"pw with spaces \r\nnext\n"[..], "x").unwrap(), "pw with spaces ");
        assert!(first_line(&b"\n"[..], "--password-stdin").unwrap_err().message.contains("--password-stdin"));
    }
}
