//! The vendor's `SDK-HMAC-SHA256` request signature, in one place: clients sign with it
//! ([`crate::AkSk`]) and the emulator verifies with it.
//!
//! The canonical form follows the vendor's SDKs (`huaweicloudsdkcore/signer/signer.py`):
//!
//! ```text
//! METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n PAYLOAD-HASH
//! ```
//!
//! - URI: the path percent-decoded, split at `/`, each segment encoded (RFC 3986
//!   unreserved characters stay), joined, with a trailing `/` added;
//! - QUERY: the decoded `key=value` pairs sorted by key then value, each side encoded,
//!   joined with `&`;
//! - HEADERS: `name:value\n` for each signed header, names lower case, values trimmed;
//!   the SDKs sign every header whose name has no `_`, `Host` included;
//! - PAYLOAD-HASH: hex SHA-256 of the body; for an empty body the hash of nothing; the
//!   value of `X-Sdk-Content-Sha256` where it is sent (`UNSIGNED-PAYLOAD`).
//!
//! The string to sign is `SDK-HMAC-SHA256 \n X-Sdk-Date \n hex(SHA-256(canonical))`, the
//! signature hex HMAC-SHA256 of it under the secret key, and the header
//! `Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=HEX`.

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The algorithm name, first in `Authorization` and in the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// The header holding the signing time, `YYYYMMDDTHHMMSSZ`.
pub const DATE_HEADER: &str = "X-Sdk-Date";
/// The header that replaces the payload hash (`UNSIGNED-PAYLOAD`).
pub const CONTENT_HEADER: &str = "X-Sdk-Content-Sha256";

/// What a signature covers, as it is on the wire.
#[derive(Debug)]
pub struct Signed<'a> {
    pub method: &'a str,
    /// The path as sent, percent-encoded or not.
    pub path: &'a str,
    /// The query pairs, decoded.
    pub query: &'a [(String, String)],
    /// The signed headers: lower-case name and value, in any order.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// The `X-Sdk-Content-Sha256` header, where sent.
    pub content_sha256: Option<&'a str>,
}

impl Signed<'_> {
    /// The signed header names, sorted and joined with `;`.
    pub fn signed_headers(&self) -> String {
        let mut names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        names.sort_unstable();
        names.join(";")
    }

    /// The canonical request.
    pub fn canonical(&self) -> String {
        let decoded = percent_decode(self.path);
        let mut uri = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
        if !uri.ends_with('/') {
            uri.push('/');
        }
        let mut query: Vec<&(String, String)> = self.query.iter().collect();
        query.sort();
        let query = query
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut headers: Vec<&(String, String)> = self.headers.iter().collect();
        headers.sort();
        let canonical_headers: String = headers
            .iter()
            .map(|(k, v)| format!("{k}:{}\n", v.trim()))
            .collect();
        let payload = if self.body.is_empty() {
            hex::encode(Sha256::digest(b""))
        } else if let Some(given) = self.content_sha256 {
            given.to_string()
        } else {
            hex::encode(Sha256::digest(self.body))
        };
        format!(
            "{}\n{uri}\n{query}\n{canonical_headers}\n{}\n{payload}",
            self.method.to_ascii_uppercase(),
            self.signed_headers()
        )
    }

    /// The hex signature of this request at `date` under `secret_key`.
    pub fn signature(&self, date: &str, secret_key: &[u8]) -> String {
        hex::encode(self.mac(date, secret_key).finalize().into_bytes())
    }

    /// Whether `signature` (hex) is this request's at `date` under `secret_key`, compared
    /// in constant time.
    pub fn verify(&self, date: &str, secret_key: &[u8], signature: &str) -> bool {
        match hex::decode(signature) {
            Ok(bytes) => self.mac(date, secret_key).verify_slice(&bytes).is_ok(),
            Err(_) => false,
        }
    }

    fn mac(&self, date: &str, secret_key: &[u8]) -> hmac::Hmac<Sha256> {
        let string_to_sign = format!(
            "{ALGORITHM}\n{date}\n{}",
            hex::encode(Sha256::digest(self.canonical().as_bytes()))
        );
        // HMAC takes a key of any length; this cannot fail.
        let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(secret_key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(string_to_sign.as_bytes());
        mac
    }
}

/// The `Authorization` header value.
pub fn authorization(access_key: &str, signed_headers: &str, signature: &str) -> String {
    format!("{ALGORITHM} Access={access_key}, SignedHeaders={signed_headers}, Signature={signature}")
}

/// The parts of an `Authorization: SDK-HMAC-SHA256 ...` header.
#[derive(Debug, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub access_key: &'a str,
    /// Lower-case header names, as listed.
    pub signed_headers: Vec<&'a str>,
    pub signature: &'a str,
}

/// Reads an `Authorization` header of this scheme; `None` for any other scheme or form.
pub fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let (mut access_key, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        match key {
            "Access" => access_key = Some(value),
            "SignedHeaders" => signed = Some(value),
            "Signature" => signature = Some(value),
            _ => return None,
        }
    }
    Some(Authorization {
        access_key: access_key.filter(|a| !a.is_empty())?,
        signed_headers: signed?.split(';').filter(|h| !h.is_empty()).collect(),
        signature: signature?,
    })
}

/// RFC 3986 percent-encoding of everything but the unreserved characters, as signatures
/// and query strings need it (Python's `quote(s, safe='~')`).
pub fn encode(s: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, RESERVED).to_string()
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(query: &'a [(String, String)], headers: &'a [(String, String)]) -> Signed<'a> {
        Signed {
            method: "post",
            path: "/v2/p1/volumes",
            query,
            headers,
            body: br#"{"volume":{"size":1}}"#,
            content_sha256: None,
        }
    }

    #[test]
    fn the_canonical_form_sorts_decoded_pairs_and_ends_the_uri_with_a_slash() {
        let query = [("limit".into(), "2".into()), ("a".into(), "b c".into())];
        let headers = [
            ("x-sdk-date".into(), "20261124T010203Z".into()),
            ("host".into(), " h:1 ".into()),
        ];
        let canonical = request(&query, &headers).canonical();
        let lines: Vec<&str> = canonical.lines().collect();
        assert_eq!(
            lines[..6],
            [
                "POST",
                "/v2/p1/volumes/",
                "a=b%20c&limit=2",
                "host:h:1",
                "x-sdk-date:20261124T010203Z",
                ""
            ]
        );
        assert_eq!(lines[6], "host;x-sdk-date");
    }

    #[test]
    fn a_signature_verifies_and_any_change_breaks_it() {
        let query = [("limit".into(), "2".into())];
        let headers = [("host".into(), "h".into())];
        let signed = request(&query, &headers);
        let signature = signed.signature("20261124T010203Z", b"SK1");
        assert!(signed.verify("20261124T010203Z", b"SK1", &signature));
        assert!(!signed.verify("20261124T010204Z", b"SK1", &signature));
        assert!(!signed.verify("20261124T010203Z", b"SK2", &signature));
        assert!(!signed.verify("20261124T010203Z", b"SK1", "not hex"));
        let other = [("limit".into(), "3".into())];
        assert!(!request(&other, &headers).verify("20261124T010203Z", b"SK1", &signature));
    }

    #[test]
    fn authorization_round_trips() {
        let value = authorization("AK1", "host;x-sdk-date", "abc");
        assert_eq!(
            parse_authorization(&value),
            Some(Authorization {
                access_key: "AK1",
                signed_headers: vec!["host", "x-sdk-date"],
                signature: "abc"
            })
        );
        assert_eq!(parse_authorization("Bearer x"), None);
        assert_eq!(
            parse_authorization("SDK-HMAC-SHA256 Access=, SignedHeaders=a, Signature=b"),
            None
        );
    }
}
