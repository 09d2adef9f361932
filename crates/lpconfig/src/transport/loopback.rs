//! Which URLs may be plain `http://` (D20): loopback only, so the emulator works
//! and nothing else can leak a bearer in clear text.

use std::net::IpAddr;
use url::Url;

use crate::error::{Error, Result};

/// True for `localhost`, `127.0.0.0/8` and `::1`.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().map(|ip| ip.is_loopback()).unwrap_or(false)
}

/// Accepts `https://` anywhere and `http://` on loopback; `field` names the
/// setting in the error.
pub fn check_url(url: &Url, field: &str) -> Result<()> {
    let host = url.host_str().ok_or_else(|| Error::config(field, format!("URL {url} has no host")))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(host) => Ok(()),
        "http" => Err(Error::config(
            field,
            format!("plain http:// is only allowed for loopback hosts, not {host}; use https://"),
        )),
        other => Err(Error::config(field, format!("unsupported URL scheme {other:?} in {url}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in ["localhost", "LOCALHOST", "127.0.0.1", "127.9.8.7", "::1", "[::1]"] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["example.com", "10.0.0.1", "192.168.1.1", "128.0.0.1", "localhost.evil.com"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn http_only_on_loopback() {
        assert!(check_url(&Url::parse("https://api.liveperson.net").unwrap(), "csds_url").is_ok());
        assert!(check_url(&Url::parse("http://127.0.0.1:9").unwrap(), "csds_url").is_ok());
        let err = check_url(&Url::parse("http://api.liveperson.net").unwrap(), "csds_url").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Config);
        assert_eq!(err.field(), Some("csds_url"));
        assert!(check_url(&Url::parse("ftp://x.example").unwrap(), "csds_url").is_err());
    }
}
