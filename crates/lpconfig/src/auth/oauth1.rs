//! OAuth 1.0a request signing with HMAC-SHA1 (RFC 5849 §3.4), as pure functions.
//!
//! LivePerson API keys sign every request this way (platform.md §3). Decisions D12:
//! send `oauth_version="1.0"`, never `realm`; query parameters are signed, JSON bodies
//! are not; the method signed is the one actually sent.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;
use url::Url;

/// RFC 3986 unreserved characters stay as they are; everything else is `%XX`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The four values of a LivePerson API key, borrowed for one signature.
#[derive(Clone, Copy)]
pub struct Keys<'a> {
    /// App key (`oauth_consumer_key`).
    pub consumer_key: &'a str,
    /// Secret (first half of the signing key).
    pub consumer_secret: &'a str,
    /// Access token (`oauth_token`).
    pub token: &'a str,
    /// Access token secret (second half of the signing key).
    pub token_secret: &'a str,
}

/// RFC 5849 §3.6 percent-encoding: UTF-8, unreserved kept, uppercase hex, space as `%20`.
///
/// ```
/// use lpconfig::auth::oauth1::percent_encode;
/// assert_eq!(percent_encode("a b+c~é/$"), "a%20b%2Bc~%C3%A9%2F%24");
/// ```
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// RFC 5849 §3.4.1.2: lowercase scheme and host, default port dropped, path kept,
/// query and fragment dropped.
///
/// ```
/// use lpconfig::auth::oauth1::base_string_uri;
/// let u = url::Url::parse("HTTPS://Example.COM:443/a/b?x=1#f").unwrap();
/// assert_eq!(base_string_uri(&u), "https://example.com/a/b");
/// ```
pub fn base_string_uri(url: &Url) -> String {
    // `Url` already lowercases scheme and host and forgets a default port.
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{}://{}:{}{}", url.scheme(), host, port, url.path()),
        None => format!("{}://{}{}", url.scheme(), host, url.path()),
    }
}

/// RFC 5849 §3.4.1.3.2: encode names and values, sort by name then value (byte
/// order of the encoded forms), join as `name=value` with `&`.
pub fn normalize_parameters<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut encoded: Vec<(String, String)> =
        params.iter().map(|(k, v)| (percent_encode(k.as_ref()), percent_encode(v.as_ref()))).collect();
    encoded.sort();
    let pairs: Vec<String> = encoded.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join("&")
}

/// RFC 5849 §3.4.1.3.1: the query's pairs, the protocol parameters, and form-body
/// pairs (only for `application/x-www-form-urlencoded`; pass `None` for JSON).
pub fn collect_parameters(
    url: &Url,
    form_body: Option<&[u8]>,
    protocol: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    if let Some(body) = form_body {
        params.extend(url::form_urlencoded::parse(body).into_owned());
    }
    params.extend(
        protocol
            .iter()
            .filter(|(k, _)| *k != "oauth_signature" && *k != "realm")
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    params
}

/// RFC 5849 §3.4.1.1: `METHOD&enc(base URI)&enc(normalized parameters)`.
pub fn signature_base_string(method: &str, url: &Url, params: &[(String, String)]) -> String {
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode(&base_string_uri(url)),
        percent_encode(&normalize_parameters(params))
    )
}

/// RFC 5849 §3.4.2: Base64(HMAC-SHA1(`enc(consumer_secret)&enc(token_secret)`, base)).
pub fn hmac_sha1_signature(base_string: &str, consumer_secret: &str, token_secret: &str) -> String {
    let key = format!("{}&{}", percent_encode(consumer_secret), percent_encode(token_secret));
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(base_string.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The `Authorization: OAuth ...` header value for one request attempt.
///
/// `timestamp` and `nonce` are parameters so the function stays pure; callers use
/// [`fresh_nonce`] and the current time for every attempt, retries included.
pub fn authorization_header(
    keys: Keys<'_>,
    method: &str,
    url: &Url,
    form_body: Option<&[u8]>,
    timestamp: u64,
    nonce: &str,
) -> String {
    let ts = timestamp.to_string();
    let protocol = [
        ("oauth_consumer_key", keys.consumer_key),
        ("oauth_nonce", nonce),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", ts.as_str()),
        ("oauth_token", keys.token),
        ("oauth_version", "1.0"),
    ];
    let params = collect_parameters(url, form_body, &protocol);
    let base = signature_base_string(method, url, &params);
    let signature = hmac_sha1_signature(&base, keys.consumer_secret, keys.token_secret);
    let mut parts: Vec<String> =
        protocol.iter().map(|(k, v)| format!("{k}=\"{}\"", percent_encode(v))).collect();
    parts.push(format!("oauth_signature=\"{}\"", percent_encode(&signature)));
    format!("OAuth {}", parts.join(", "))
}

/// A nonce from the OS CSPRNG: 32 lowercase hex characters (D12).
pub fn fresh_nonce() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHOTOS: &str = "http://photos.example.net/photos?file=vacation.jpg&size=original";

    #[test]
    fn vector_a_rfc5849_1_2() {
        let url = Url::parse(PHOTOS).unwrap();
        let protocol = [
            ("realm", "Photos"),
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131202"),
            ("oauth_nonce", "chapoH"),
        ];
        let base = signature_base_string("GET", &url, &collect_parameters(&url, None, &protocol));
        assert_eq!(base, "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal");
        let sig = hmac_sha1_signature(&base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00");
        assert_eq!(sig, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
        assert_eq!(percent_encode(&sig), "MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D");
    }

    #[test]
    fn vector_b_oauth_core_a5_full_header() {
        let url = Url::parse(PHOTOS).unwrap();
        let keys = Keys {
            consumer_key: "dpf43f3p2l4k3l03",
            consumer_secret: "kd94hf93k423kf44",
            token: "nnch734d00sl2jdk",
            token_secret: "pfkkdhi9sl3r4s00",
        };
        let protocol = [
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "1191242096"),
            ("oauth_nonce", "kllo9940pd9333jh"),
            ("oauth_version", "1.0"),
        ];
        let base = signature_base_string("GET", &url, &collect_parameters(&url, None, &protocol));
        assert_eq!(base, "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal");
        assert_eq!(
            hmac_sha1_signature(&base, keys.consumer_secret, keys.token_secret),
            "tR3+Ty81lMeYAr/Fid0kMTYa/WM="
        );
        // The header builder produces the same signature for the same inputs.
        let header = authorization_header(keys, "GET", &url, None, 1191242096, "kllo9940pd9333jh");
        assert!(header.starts_with("OAuth "), "{header}");
        assert!(header.contains("oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\""), "{header}");
        assert!(header.contains("oauth_version=\"1.0\""));
        assert!(!header.contains("realm"));
    }

    #[test]
    fn vector_c_rfc5849_3_4_1_1_base_string() {
        let url = Url::parse("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b").unwrap();
        let protocol = [
            ("realm", "Example"),
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("oauth_signature", "bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"),
        ];
        let params = collect_parameters(&url, Some(b"c2&a3=2+q"), &protocol);
        assert_eq!(signature_base_string("post", &url, &params), "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7");
    }

    #[test]
    fn percent_encoding_edge_cases() {
        assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(percent_encode(" "), "%20");
        assert_eq!(percent_encode("+"), "%2B");
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(percent_encode("$all"), "%24all");
        assert_eq!(percent_encode("!'()"), "%21%27%28%29");
        assert_eq!(percent_encode("ü"), "%C3%BC");
        assert_eq!(percent_encode("☃"), "%E2%98%83");
        assert_eq!(percent_encode("%"), "%25");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn base_uri_ports_and_case() {
        let cases = [
            ("http://EXAMPLE.com:80/r%20v/X?id=123", "http://example.com/r%20v/X"),
            ("https://www.example.net:8080/?q=1", "https://www.example.net:8080/"),
            ("https://h.example:443/a", "https://h.example/a"),
            ("http://127.0.0.1:8123/api", "http://127.0.0.1:8123/api"),
            ("http://h.example:443/a", "http://h.example:443/a"),
        ];
        for (input, want) in cases {
            assert_eq!(base_string_uri(&Url::parse(input).unwrap()), want, "{input}");
        }
    }

    #[test]
    fn repeated_keys_sort_by_value() {
        let p = vec![
            ("a".to_owned(), "z".to_owned()),
            ("a".to_owned(), "b".to_owned()),
            ("a1".to_owned(), "x".to_owned()),
            ("A".to_owned(), "y".to_owned()),
        ];
        assert_eq!(normalize_parameters(&p), "A=y&a=b&a=z&a1=x");
    }

    #[test]
    fn query_select_is_signed_and_encoded() {
        let url = Url::parse("https://h.example/api?v=4.0&select=$all&include_deleted=true").unwrap();
        let params = collect_parameters(&url, None, &[]);
        let base = signature_base_string("GET", &url, &params);
        assert!(base.ends_with("include_deleted%3Dtrue%26select%3D%2524all%26v%3D4.0"), "{base}");
    }

    #[test]
    fn nonces_are_fresh_hex() {
        let (a, b) = (fresh_nonce(), fresh_nonce());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
