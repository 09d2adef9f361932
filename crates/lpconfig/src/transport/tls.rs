//! Which certificates are trusted, and how a rejected certificate is reported
//! (docs/network.md, "TLS").
//!
//! Trusted: the bundled webpki roots, the platform's store (which
//! `SSL_CERT_FILE`/`SSL_CERT_DIR` replace, as for OpenSSL), and the PEM file of
//! the `ca_bundle` setting. A rejected certificate fails the same way on every
//! try, so it is never retried and its message says how to fix it.

use std::path::Path;

use crate::error::{Error, Result};

/// The certificates of a PEM bundle (a company or private CA), checked before
/// any I/O so that a wrong path is a `Config` error naming `ca_bundle`.
pub(crate) fn load_bundle(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let shown = path.display();
    let pem = std::fs::read(path)
        .map_err(|e| Error::config("ca_bundle", format!("cannot read CA bundle {shown}: {e}")))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| Error::config("ca_bundle", format!("{shown} is not a PEM certificate bundle: {e}")))?;
    if certs.is_empty() {
        return Err(Error::config("ca_bundle", format!("{shown} holds no PEM certificate")));
    }
    Ok(certs)
}

/// The rustls verdict on the server's certificate, when that is why `e` failed.
fn certificate_error(e: &reqwest::Error) -> Option<&rustls::CertificateError> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        // rustls errors travel inside (nested) io::Errors, whose `source()` skips them.
        let mut candidate = s;
        loop {
            if let Some(rustls::Error::InvalidCertificate(c)) = candidate.downcast_ref::<rustls::Error>() {
                return Some(c);
            }
            match candidate.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
                Some(inner) => candidate = inner,
                None => break,
            }
        }
        source = s.source();
    }
    None
}

/// A clear message when `e` is a certificate rejection: what is wrong with the
/// certificate of `host` and what to do about it. `None` for other failures.
pub(crate) fn certificate_problem(e: &reqwest::Error, host: &str) -> Option<String> {
    use rustls::CertificateError as C;
    let cert = certificate_error(e)?;
    let why = match cert {
        C::UnknownIssuer | C::BadSignature | C::UnhandledCriticalExtension => {
            return Some(format!(
                "TLS certificate of {host} is not trusted ({cert:?}): it is signed by a CA that is \
                 neither bundled nor in the system store. If a company proxy or a private CA signs it, \
                 give that CA's PEM file as ca_bundle (CLI --ca-bundle, environment LP_CA_BUNDLE or \
                 SSL_CERT_FILE); see docs/network.md"
            ))
        }
        C::NotValidForName | C::NotValidForNameContext { .. } => "it was issued for another host name",
        C::Expired | C::ExpiredContext { .. } => "it has expired (or this machine's clock is wrong)",
        C::NotValidYet | C::NotValidYetContext { .. } => {
            "it is not valid yet (or this machine's clock is wrong)"
        }
        C::Revoked => "it has been revoked",
        _ => "it was rejected",
    };
    Some(format!(
        "TLS certificate of {host} refused: {why} ({cert:?}); not retried. Check the URL, or give the \
         CA of a company proxy as ca_bundle (CLI --ca-bundle, LP_CA_BUNDLE or SSL_CERT_FILE); see \
         docs/network.md"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bundles_name_the_setting() {
        let err = load_bundle(Path::new("/nonexistent/ca.pem")).unwrap_err();
        assert_eq!(err.field(), Some("ca_bundle"));
        assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
        let dir = std::env::temp_dir().join(format!("lpconfig-tls-test-{}", std::process::id()));
        std::fs::write(&dir, "not a certificate\n").unwrap();
        let err = load_bundle(&dir).unwrap_err();
        std::fs::remove_file(&dir).ok();
        assert_eq!(err.field(), Some("ca_bundle"));
    }
}
