//! One HTTP exchange: the request as sent, the response as received, and the [`Case`] that
//! names a request and replays it.

use std::time::{Duration, Instant};

use serde_json::Value;

/// A request about to be sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub method: String,
    /// Path with parameters filled in and percent-encoded, starting with `/`.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// Raw body text (it may be deliberately malformed JSON).
    pub body: Option<String>,
    /// How the request authenticates.
    pub credential: Credential,
}

/// Which credential a request carries: probes of authentication and tenancy send other
/// ones than the run's own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Credential {
    /// The run's credential (`--token`, AK/SK, `--header`).
    #[default]
    Own,
    /// The second tenant's (`--second-token`).
    Second,
    /// None at all.
    Missing,
    /// A credential of the right shape that no server issued.
    Wrong,
}

/// What came back.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub content_type: Option<String>,
    pub body_text: String,
    /// The body parsed as JSON, if it is JSON.
    pub body: Option<Value>,
    /// When the request went out; with `elapsed`, when the answer was in.
    pub sent_at: Instant,
    pub elapsed: Duration,
}

impl Response {
    /// When the whole answer was in.
    pub fn received_at(&self) -> Instant {
        self.sent_at + self.elapsed
    }

    /// The first value of a header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A request the suite sent, named: which operation, which kind of case ("positive",
/// "negative: too long at /volume/name", "auth: no credential"), and everything needed to
/// send it again as a `curl` line.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub operation: String,
    pub label: String,
    pub request: Request,
}

impl Case {
    pub fn new(operation: impl Into<String>, label: impl Into<String>, request: Request) -> Case {
        Case {
            operation: operation.into(),
            label: label.into(),
            request,
        }
    }

    /// A `curl` command that sends this case again. Secrets are never printed: the
    /// token is read from `$OS_TOKEN` (`$OS_TOKEN_2` for the second tenant) when the
    /// command runs, and the values of `--header`s from `$CONTRACT_HEADER_<n>`.
    pub fn curl(&self, base: &str, secret_headers: &[String], with_token: bool) -> String {
        let r = &self.request;
        let mut parts = vec![format!("curl -i -X {}", r.method), quote(&r.url(base))];
        match r.credential {
            Credential::Own if with_token => parts.push("-H \"X-Auth-Token: $OS_TOKEN\"".into()),
            Credential::Second => parts.push("-H \"X-Auth-Token: $OS_TOKEN_2\"".into()),
            Credential::Wrong => parts.push("-H 'X-Auth-Token: not-a-token-any-server-issued'".into()),
            _ => {}
        }
        for (i, name) in secret_headers.iter().enumerate() {
            match r.credential {
                Credential::Own => parts.push(format!("-H \"{name}: $CONTRACT_HEADER_{}\"", i + 1)),
                Credential::Wrong => parts.push(format!(
                    "-H {}",
                    quote(&format!("{name}: not-a-token-any-server-issued"))
                )),
                _ => {}
            }
        }
        for (k, v) in &r.headers {
            parts.push(format!("-H {}", quote(&format!("{k}: {v}"))));
        }
        if let Some(body) = &r.body {
            parts.push(format!("--data-binary {}", quote(body)));
        }
        parts.join(" ")
    }
}

impl Request {
    pub fn new(method: &str, path: String) -> Request {
        Request {
            method: method.to_uppercase(),
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            credential: Credential::Own,
        }
    }

    pub fn json(mut self, body: &Value) -> Request {
        self.body = Some(body.to_string());
        self.headers
            .push(("Content-Type".into(), "application/json".into()));
        self
    }

    pub fn with_credential(mut self, credential: Credential) -> Request {
        self.credential = credential;
        self
    }

    pub fn url(&self, base: &str) -> String {
        let mut url = format!("{}{}", base.trim_end_matches('/'), self.path);
        if !self.query.is_empty() {
            let q: Vec<String> = self
                .query
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect();
            url.push('?');
            url.push_str(&q.join("&"));
        }
        url
    }

    /// The value of a query parameter, if the request has it.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Percent-encodes a query component or path segment (RFC 3986).
pub use specwright_runtime::percent_encode as encode;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn curl_line_replays_the_request_without_the_secret() {
        let mut r = Request::new("post", "/v2/p/volumes".into()).json(&json!({"volume": {"name": "it's"}}));
        r.query.push(("limit".into(), "1 0".into()));
        let line = Case::new("createVolume", "positive", r).curl("http://127.0.0.1:1/", &[], true);
        assert_eq!(
            line,
            "curl -i -X POST 'http://127.0.0.1:1/v2/p/volumes?limit=1%200' -H \"X-Auth-Token: $OS_TOKEN\" -H 'Content-Type: application/json' --data-binary '{\"volume\":{\"name\":\"it'\\''s\"}}'"
        );
    }

    #[test]
    fn secret_headers_are_read_from_the_environment() {
        let r = Request::new("get", "/pets".into());
        let line = Case::new("listPets", "positive", r).curl("http://h", &["api_key".into()], false);
        assert_eq!(
            line,
            "curl -i -X GET 'http://h/pets' -H \"api_key: $CONTRACT_HEADER_1\""
        );
        let r = Request::new("get", "/pets".into()).with_credential(Credential::Missing);
        let line = Case::new("listPets", "auth", r).curl("http://h", &["api_key".into()], true);
        assert_eq!(line, "curl -i -X GET 'http://h/pets'");
    }
}
