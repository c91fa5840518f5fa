use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::Masked;

/// A successful, decoded response: the documented status, the headers and the body.
///
/// Derefs to the body, so `client.show_volume(id).await?.volume` reads naturally. Its
/// `Debug` hides the values of headers that carry credentials (a Keystone token's
/// `X-Subject-Token`, `Set-Cookie`), and any credential the request carried that the answer
/// echoes, in a header or the body.
#[derive(Clone)]
pub struct Response<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: T,
    /// The credentials the request carried, hidden in this response's `Debug`.
    pub masked: Masked,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut shown = f.debug_struct("Response");
        shown.field("status", &self.status).field(
            "headers",
            &crate::error::shown_headers(&self.headers, &self.masked),
        );
        match self.masked.hiding(&self.body) {
            Some(body) => shown.field("body", &crate::error::Shown(body)),
            None => shown.field("body", &self.body),
        };
        shown.finish()
    }
}

impl<T> Response<T> {
    /// The body, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            masked: self.masked,
        }
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_a_credential_the_answer_echoes() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-echo",
            "gAAAAsecret-token".parse().unwrap_or_else(|e| panic!("{e}")),
        );
        let response = Response {
            status: StatusCode::OK,
            headers,
            body: vec!["you are gAAAAsecret-token".to_string()],
            masked: Masked::from_credentials(vec!["gAAAAsecret-token".into()]),
        };
        let shown = format!("{response:?}");
        assert!(!shown.contains("gAAAAsecret"), "{shown}");
        assert!(shown.contains("you are [hidden]"), "{shown}");
        // With nothing to hide, the body shows itself, pretty-printed where asked.
        let plain = response.map(|_| vec![1, 2]);
        let plain = Response {
            masked: Masked::default(),
            ..plain
        };
        assert!(format!("{plain:#?}").contains("1,\n"), "{plain:#?}");
    }
    /// Doubles decode to the nearest double and encode back to the same text: the
    /// workspace enables serde_json's `float_roundtrip`, and generated clients decode through
    /// this crate's serde_json.
    #[test]
    fn floats_survive_decode_and_encode() {
        for text in [
            "0.30000000000000004",
            "1e-7",
            "2.2250738585072014e-308",
            "1.7976931348623157e308",
            "0.1",
            "123456789.12345678",
            "5e-324",
            "9007199254740993.5",
        ] {
            let parsed: f64 = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            let decoded: f64 = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                decoded.to_bits(),
                parsed.to_bits(),
                "{text} decodes to the nearest double"
            );
            let encoded = serde_json::to_string(&decoded).unwrap_or_else(|e| panic!("{e}"));
            let again: f64 = serde_json::from_str(&encoded).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(again.to_bits(), decoded.to_bits(), "{text} → {encoded}");
        }
        let body = r#"{"a":0.30000000000000004,"b":1e-7,"c":[0.1,0.2]}"#;
        let value: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::to_string(&value).unwrap_or_else(|e| panic!("{e}")),
            r#"{"a":0.30000000000000004,"b":1e-7,"c":[0.1,0.2]}"#
        );
    }
}
