//! A profile's `credential_command`: a command (run by the shell) whose output
//! is the secret, so that none has to sit in the config file
//! (docs/cli-security.md).

use std::process::{Command, Stdio};

use crate::failure::{CliResult, Failure};

/// Runs `command` and returns the secrets it printed as (profile key, value):
/// a JSON object such as `{"password": "..."}` or `{"secret": "...",
/// "access_token": "...", "access_token_secret": "..."}`, or else one line,
/// which is the password. The output is never shown, not even in errors.
pub fn run(command: &str, profile: &str) -> CliResult<Vec<(String, String)>> {
    let mut cmd = shell(command);
    cmd.stdin(Stdio::inherit()).stdout(Stdio::piped()).stderr(Stdio::inherit());
    let out = cmd.output().map_err(|e| {
        Failure::usage(format!("profile {profile:?}: cannot run its credential_command: {e}"))
    })?;
    if !out.status.success() {
        return Err(Failure::usage(format!(
            "profile {profile:?}: credential_command failed ({}); its output is not shown",
            out.status
        )));
    }
    parse(&String::from_utf8_lossy(&out.stdout), profile)
}

fn parse(text: &str, profile: &str) -> CliResult<Vec<(String, String)>> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(trimmed).map_err(|_| {
                Failure::usage(format!("profile {profile:?}: credential_command printed invalid JSON"))
            })?;
        return Ok(map.into_iter().filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned()))).collect());
    }
    let line = text.lines().next().unwrap_or_default().trim_end_matches('\r');
    if line.is_empty() {
        return Err(Failure::usage(format!("profile {profile:?}: credential_command printed nothing")));
    }
    Ok(vec![("password".to_owned(), line.to_owned())])
}

#[cfg(unix)]
fn shell(command: &str) -> Command {
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(command);
    c
}

#[cfg(not(unix))]
fn shell(command: &str) -> Command {
    let mut c = Command::new("cmd");
    c.arg("/C").arg(command);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_or_one_line() {
        assert_eq!(parse("s3cret\nignored\n", "p").unwrap(), [("password".to_owned(), "s3cret".to_owned())]);
        let v = parse(r#"{"secret": "a", "access_token": "b", "n": 1}"#, "p").unwrap();
        assert_eq!(v, [("access_token".to_owned(), "b".to_owned()), ("secret".to_owned(), "a".to_owned())]);
        let err = parse("{ not json hunter2", "p").unwrap_err();
        assert!(!err.message.contains("hunter2"));
        assert!(parse("\n", "p").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn runs_through_the_shell() {
        assert_eq!(run("printf 'pw\\n'", "p").unwrap(), [("password".to_owned(), "pw".to_owned())]);
        let err = run("echo hunter2; exit 3", "p").unwrap_err();
        assert!(err.message.contains("failed") && !err.message.contains("hunter2"), "{}", err.message);
    }
}
