//! OAuth 1.0a HMAC-SHA1 primitives (RFC 5849 §3.4–§3.6), written independently of the
//! client's signer so that each one cross-checks the other.
//!
//! Everything here is a pure function over decoded text; the request-level checks
//! (known keys, timestamp window, nonce replay) live in `auth_guard`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

type HmacSha1 = Hmac<Sha1>;

/// RFC 5849 §3.6: UTF-8 bytes, `A-Z a-z 0-9 - . _ ~` kept, every other byte `%XX`
/// with uppercase hex (so a space is `%20`, never `+`).
pub fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0x0f) as usize] as char);
        }
    }
    out
}

/// Decodes `%XX` escapes; with `plus_is_space` a `+` becomes a space, as in
/// `application/x-www-form-urlencoded` (query strings and form bodies).
/// A `%` not followed by two hex digits is kept literally, like most servers do.
pub fn percent_decode(text: &str, plus_is_space: bool) -> String {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `application/x-www-form-urlencoded` text (a query string or a form body)
/// into decoded pairs, in order. A name without `=` has an empty value (RFC 5849
/// §3.4.1.3.1 example: `c2`).
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name, true), percent_decode(value, true))
        })
        .collect()
}

/// RFC 5849 §3.4.1.2: `scheme://host[:port]path` with scheme and host lowercased,
/// the port dropped when it is the scheme's default, query and fragment never included.
///
/// `authority` is what the `Host` header carries (`host`, `host:port`, `[v6]:port`).
pub fn base_string_uri(scheme: &str, authority: &str, path: &str) -> String {
    let scheme = scheme.to_ascii_lowercase();
    let authority = authority.to_ascii_lowercase();
    // The port is whatever follows the last ':' that is not inside an IPv6 literal.
    let (host, port) = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority.as_str(), None),
    };
    let default = match scheme.as_str() {
        "http" => Some("80"),
        "https" => Some("443"),
        _ => None,
    };
    let path = if path.is_empty() { "/" } else { path };
    match port {
        Some(p) if Some(p) != default && !p.is_empty() => format!("{scheme}://{host}:{p}{path}"),
        _ => format!("{scheme}://{host}{path}"),
    }
}

/// RFC 5849 §3.4.1.3.2: encode names and values, sort by encoded name then encoded
/// value (byte order), join as `name=value` with `&`.
pub fn normalize_parameters(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> =
        params.iter().map(|(n, v)| (percent_encode(n), percent_encode(v))).collect();
    encoded.sort();
    encoded.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&")
}

/// RFC 5849 §3.4.1.1: `METHOD&enc(base string URI)&enc(normalized parameters)`.
pub fn signature_base_string(method: &str, base_uri: &str, normalized_params: &str) -> String {
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode(base_uri),
        percent_encode(normalized_params)
    )
}

/// RFC 5849 §3.4.2: `enc(consumer secret)&enc(token secret)`; the `&` is always there.
pub fn signing_key(consumer_secret: &str, token_secret: &str) -> String {
    format!("{}&{}", percent_encode(consumer_secret), percent_encode(token_secret))
}

fn mac(key: &str, base_string: &str) -> HmacSha1 {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = HmacSha1::new_from_slice(key.as_bytes()).expect("HMAC accepts any key length");
    mac.update(base_string.as_bytes());
    mac
}

/// Base64 of HMAC-SHA1(key, base string): the `oauth_signature` value before encoding.
pub fn sign(key: &str, base_string: &str) -> String {
    STANDARD.encode(mac(key, base_string).finalize().into_bytes())
}

/// Checks a received (already percent-decoded) signature in constant time.
pub fn verify(key: &str, base_string: &str, signature_b64: &str) -> bool {
    match STANDARD.decode(signature_b64.trim()) {
        Ok(raw) => mac(key, base_string).verify_slice(&raw).is_ok(),
        Err(_) => false,
    }
}

/// Why an `Authorization: OAuth ...` header could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// The scheme is not `OAuth`.
    #[error("authorization scheme is not OAuth")]
    NotOAuth,
    /// A parameter is not `name="value"`.
    #[error("malformed OAuth parameter")]
    Malformed,
}

/// Parses `OAuth name="value", ...` (RFC 5849 §3.5.1) into decoded pairs, `realm`
/// included (callers drop it from the signature). The scheme is case-insensitive and
/// whitespace around the commas is optional.
pub fn parse_authorization(header: &str) -> Result<Vec<(String, String)>, HeaderError> {
    let header = header.trim_start();
    let rest = match header.get(..6) {
        Some(s) if s.eq_ignore_ascii_case("oauth ") => &header[6..],
        _ => return Err(HeaderError::NotOAuth),
    };
    let mut out = Vec::new();
    for item in rest.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (name, value) = item.split_once('=').ok_or(HeaderError::Malformed)?;
        let value = value.trim();
        let value =
            value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).ok_or(HeaderError::Malformed)?;
        out.push((percent_decode(name.trim(), false), percent_decode(value, false)));
    }
    Ok(out)
}

/// Builds `OAuth name="enc(value)", ...` from protocol parameters, in the given order.
/// Tests and tools use it to sign requests against the emulator.
pub fn authorization_header(params: &[(String, String)]) -> String {
    let body = params
        .iter()
        .map(|(n, v)| format!("{}=\"{}\"", percent_encode(n), percent_encode(v)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("OAuth {body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    const PHOTOS_KEY: &str = "kd94hf93k423kf44&pfkkdhi9sl3r4s00";

    #[test]
    fn percent_encoding_follows_rfc5849() {
        assert_eq!(percent_encode("a b+c~é/$-._"), "a%20b%2Bc~%C3%A9%2F%24-._");
        assert_eq!(percent_encode("=%3D"), "%3D%253D");
        assert_eq!(percent_decode("r%20b+c%zz%4", true), "r b c%zz%4");
        assert_eq!(percent_decode("a+b", false), "a+b");
    }

    #[test]
    fn base_string_uri_normalizes_scheme_host_and_port() {
        assert_eq!(base_string_uri("HTTP", "Example.COM:80", "/r%20v/X"), "http://example.com/r%20v/X");
        assert_eq!(
            base_string_uri("https", "www.example.net:8080", "/?q=1"),
            "https://www.example.net:8080/?q=1"
        );
        assert_eq!(base_string_uri("https", "example.net:443", "/p"), "https://example.net/p");
        assert_eq!(base_string_uri("http", "127.0.0.1:4567", "/a"), "http://127.0.0.1:4567/a");
        assert_eq!(base_string_uri("http", "[::1]:80", "/a"), "http://[::1]/a");
        assert_eq!(base_string_uri("http", "[::1]", "/a"), "http://[::1]/a");
    }

    #[test]
    fn vector_a_rfc5849_section_1_2() {
        let mut params = parse_form("file=vacation.jpg&size=original");
        params.extend(pairs(&[
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131202"),
            ("oauth_nonce", "chapoH"),
        ]));
        let uri = base_string_uri("http", "photos.example.net", "/photos");
        let base = signature_base_string("get", &uri, &normalize_parameters(&params));
        assert_eq!(
            base,
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
        );
        let key = signing_key("kd94hf93k423kf44", "pfkkdhi9sl3r4s00");
        assert_eq!(key, PHOTOS_KEY);
        assert_eq!(sign(&key, &base), "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
        assert!(verify(&key, &base, "MdpQcU8iPSUjWoN/UDMsK2sui9I="));
        assert!(!verify(&key, &base, "MdpQcU8iPSUjWoN/UDMsK2sui9J="));
        assert!(!verify(&key, &base, "not base64!"));

        let header = r#"OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D""#;
        let parsed = parse_authorization(header).unwrap();
        assert_eq!(parsed[0], ("realm".into(), "Photos".into()));
        assert_eq!(parsed[2], ("oauth_signature".into(), "MdpQcU8iPSUjWoN/UDMsK2sui9I=".into()));
    }

    #[test]
    fn vector_b_oauth_core_appendix_a5() {
        let mut params = parse_form("file=vacation.jpg&size=original");
        params.extend(pairs(&[
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "1191242096"),
            ("oauth_nonce", "kllo9940pd9333jh"),
            ("oauth_version", "1.0"),
        ]));
        let uri = base_string_uri("http", "photos.example.net", "/photos");
        let base = signature_base_string("GET", &uri, &normalize_parameters(&params));
        assert_eq!(
            base,
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal"
        );
        assert_eq!(sign(PHOTOS_KEY, &base), "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    }

    #[test]
    fn vector_c_rfc5849_section_3_4_1_1() {
        let mut params = parse_form("b5=%3D%253D&a3=a&c%40=&a2=r%20b");
        params.extend(parse_form("c2&a3=2+q"));
        params.extend(pairs(&[
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
        ]));
        assert!(params.contains(&("b5".into(), "=%3D".into())));
        assert!(params.contains(&("c@".into(), String::new())));
        assert!(params.contains(&("a3".into(), "2 q".into())));
        let uri = base_string_uri("http", "example.com", "/request");
        let base = signature_base_string("POST", &uri, &normalize_parameters(&params));
        assert_eq!(
            base,
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
        );
    }

    #[test]
    fn authorization_header_round_trips() {
        let params = pairs(&[("oauth_consumer_key", "k e"), ("oauth_signature", "a/b+c=")]);
        let header = authorization_header(&params);
        assert_eq!(header, r#"OAuth oauth_consumer_key="k%20e", oauth_signature="a%2Fb%2Bc%3D""#);
        assert_eq!(parse_authorization(&header).unwrap(), params);
        assert_eq!(parse_authorization("Bearer x"), Err(HeaderError::NotOAuth));
        assert_eq!(parse_authorization("OAuth a=b"), Err(HeaderError::Malformed));
        assert_eq!(parse_authorization("oauth  a=\"1\",b=\"2\"").unwrap().len(), 2);
    }
}
