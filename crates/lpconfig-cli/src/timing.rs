//! Timeouts and retry waits of the CLI: `--timeout`, `--retry-delays` (or
//! `LP_TIMEOUT`, `LP_RETRY_DELAYS`, `LP_CONNECT_TIMEOUT`), then the profile's
//! `timeout` and `retry_delays` keys (`docs/retries.md`).

use std::time::Duration;

use clap::Args;
use lpconfig::env::{parse_delays, parse_duration, Timing};

use crate::cli::TargetArgs;
use crate::config_file::{self, Profile};
use crate::failure::{CliResult, Failure};

/// Retry waits as one flag value (`5,10,15`, `10ms,20ms`, `none`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delays(pub Vec<Duration>);

fn delays(text: &str) -> Result<Delays, String> {
    parse_delays(text).map(Delays)
}

/// The timing flags (global).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Timeouts and retries")]
pub struct TimingArgs {
    /// Time allowed for one HTTP attempt: seconds (30, 2.5) or milliseconds (250ms). Default 60.
    #[arg(long, global = true, env = "LP_TIMEOUT", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<Duration>,
    /// Waits before each retry of a 5xx, timeout or reset, comma-separated; their number is the
    /// number of retries, the first is also the first wait after a 429. Default 5,10,15; `none`: no retries.
    #[arg(long, global = true, env = "LP_RETRY_DELAYS", value_parser = delays, value_name = "LIST")]
    pub retry_delays: Option<Delays>,
}

/// Flags and environment first, then the profile the target uses.
pub fn resolve(args: &TimingArgs, target: &TargetArgs) -> CliResult<Timing> {
    let flags = Timing {
        request_timeout: args.timeout,
        connect_timeout: None,
        retry_delays: args.retry_delays.clone().map(|d| d.0),
    };
    let env = Timing::from_lookup(|k| std::env::var(k).ok()).map_err(|e| Failure::usage(e.to_string()))?;
    let profile = match profile(target)? {
        Some(p) => from_profile(&p)?,
        None => Timing::default(),
    };
    Ok(flags.or(env).or(profile))
}

fn from_profile(p: &Profile) -> CliResult<Timing> {
    let bad = |key: &str, m: String| Failure::usage(format!("config file: {key}: {m}"));
    Ok(Timing {
        request_timeout: p
            .timeout
            .as_deref()
            .map(parse_duration)
            .transpose()
            .map_err(|m| bad("timeout", m))?,
        connect_timeout: None,
        retry_delays: p
            .retry_delays
            .as_deref()
            .map(parse_delays)
            .transpose()
            .map_err(|m| bad("retry_delays", m))?,
    })
}

/// The profile `target` selects, as `target::resolve` picks it; `None` without one.
fn profile(args: &TargetArgs) -> CliResult<Option<Profile>> {
    if args.sandbox || args.sandbox_url.as_ref().is_some_and(|u| !u.is_empty()) {
        return Ok(None);
    }
    let (path, explicit) = match &args.config {
        Some(p) => (Some(p.clone()), true),
        None => (config_file::default_path(), false),
    };
    let Some(file) = path.map(|p| config_file::load(&p, explicit)).transpose()?.flatten() else {
        return Ok(None);
    };
    let name = args.profile.clone().filter(|p| !p.is_empty()).or_else(|| {
        file.default_profile
            .clone()
            .or_else(|| file.profiles.contains_key("default").then(|| "default".into()))
    });
    // An unknown profile name is reported by `target::resolve`.
    Ok(name.and_then(|n| file.profiles.get(&n).cloned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_values_parse_and_bad_ones_name_the_key() {
        let p = Profile {
            timeout: Some("2.5".into()),
            retry_delays: Some("10ms,20ms".into()),
            ..Default::default()
        };
        let t = from_profile(&p).unwrap();
        assert_eq!(t.request_timeout, Some(Duration::from_millis(2500)));
        assert_eq!(t.retry_delays, Some(vec![Duration::from_millis(10), Duration::from_millis(20)]));
        let bad = Profile { retry_delays: Some("soon".into()), ..Default::default() };
        assert!(from_profile(&bad).unwrap_err().message.contains("retry_delays"));
    }
}
