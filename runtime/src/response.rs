use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A successful, decoded response: the documented status, the headers and the body.
///
/// Derefs to the body, so `client.show_volume(id).await?.volume` reads naturally. Its
/// `Debug` hides the values of headers that carry credentials (a Keystone token's
/// `X-Subject-Token`, `Set-Cookie`).
#[derive(Clone)]
pub struct Response<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: T,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field(
                "headers",
                &crate::error::shown_headers(&self.headers, &Default::default()),
            )
            .field("body", &self.body)
            .finish()
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
