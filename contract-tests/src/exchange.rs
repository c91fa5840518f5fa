//! One HTTP exchange: the request as sent, the response as received, and how to replay it.

use std::time::Duration;

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
}

/// What came back.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub content_type: Option<String>,
    pub body_text: String,
    /// The body parsed as JSON, if it is JSON.
    pub body: Option<Value>,
    pub elapsed: Duration,
}

impl Request {
    pub fn new(method: &str, path: String) -> Request {
        Request {
            method: method.to_uppercase(),
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn json(mut self, body: &Value) -> Request {
        self.body = Some(body.to_string());
        self.headers
            .push(("Content-Type".into(), "application/json".into()));
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

    /// A `curl` command that sends this request again. The token is never printed: it is
    /// read from `$OS_TOKEN` when the command runs.
    pub fn curl(&self, base: &str, with_token: bool) -> String {
        let mut parts = vec![format!("curl -i -X {}", self.method), quote(&self.url(base))];
        if with_token {
            parts.push("-H \"X-Auth-Token: $OS_TOKEN\"".to_string());
        }
        for (k, v) in &self.headers {
            parts.push(format!("-H {}", quote(&format!("{k}: {v}"))));
        }
        if let Some(body) = &self.body {
            parts.push(format!("--data-binary {}", quote(body)));
        }
        parts.join(" ")
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Percent-encodes a query component or path segment (RFC 3986).
pub use evs_ims_runtime::percent_encode as encode;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn curl_line_replays_the_request_without_the_secret() {
        let mut r = Request::new("post", "/v2/p/volumes".into()).json(&json!({"volume": {"name": "it's"}}));
        r.query.push(("limit".into(), "1 0".into()));
        let line = r.curl("http://127.0.0.1:1/", true);
        assert_eq!(
            line,
            "curl -i -X POST 'http://127.0.0.1:1/v2/p/volumes?limit=1%200' -H \"X-Auth-Token: $OS_TOKEN\" -H 'Content-Type: application/json' --data-binary '{\"volume\":{\"name\":\"it'\\''s\"}}'"
        );
    }
}
