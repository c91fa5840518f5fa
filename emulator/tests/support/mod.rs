//! A test client that checks every answer against the spec: the status must be
//! documented for the operation, and the body must match that status's schema.

#![allow(dead_code)]

use evs_ims_emulator::{Config, Emulator};
use serde_json::Value;
use specwright_oracle::Spec;

pub struct Checked {
    pub emulator: Emulator,
    pub http: reqwest::Client,
    evs: Spec,
    ims: Spec,
    pub token: String,
    pub project: String,
}

pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub content_type: String,
}

impl Checked {
    pub async fn start(config: Config) -> Checked {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/");
        let tenant = config.tenants[0].clone();
        Checked {
            emulator: Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}")),
            http: reqwest::Client::new(),
            evs: Spec::load(format!("{root}evs.yaml")).unwrap_or_else(|e| panic!("{e}")),
            ims: Spec::load(format!("{root}ims.yaml")).unwrap_or_else(|e| panic!("{e}")),
            token: tenant.token,
            project: tenant.project_id,
        }
    }

    /// Sends a request for `operation` and checks the answer against the spec.
    pub async fn call(&self, operation: &str, method: &str, path: &str, body: Option<Value>) -> Answer {
        let answer = self
            .raw(
                method,
                path,
                body.map(|b| b.to_string()),
                Some("application/json"),
                true,
            )
            .await;
        self.check(operation, &answer);
        answer
    }

    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
        content_type: Option<&str>,
        auth: bool,
    ) -> Answer {
        let path = path.replace("{project}", &self.project);
        let url = format!("{}{path}", self.emulator.base_url());
        let method: reqwest::Method = method.parse().unwrap_or_else(|e| panic!("{e}"));
        let mut request = self.http.request(method, url);
        if auth {
            request = request.header("X-Auth-Token", &self.token);
        }
        if let Some(ct) = content_type {
            request = request.header("Content-Type", ct);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = response.text().await.unwrap_or_default();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Answer {
            status,
            body,
            content_type,
        }
    }

    /// The status is documented for the operation and the body matches its schema.
    pub fn check(&self, operation: &str, answer: &Answer) {
        let spec = if self.evs.operation(operation).is_some() {
            &self.evs
        } else {
            &self.ims
        };
        let op = spec
            .operation(operation)
            .unwrap_or_else(|| panic!("no operation {operation} in the spec"));
        let responses = op.responses(spec).unwrap_or_else(|e| panic!("{e}"));
        let status = answer.status.to_string();
        let documented = responses.iter().find(|r| r.status == status).unwrap_or_else(|| {
            panic!(
                "{operation}: status {status} is not documented; body {}",
                answer.body
            )
        });
        if let Some(ct) = documented.empty_alternative(spec) {
            if answer.body.is_null() {
                assert_eq!(
                    answer.content_type, ct,
                    "{operation} {status}: an empty body's type"
                );
                return;
            }
        }
        if let Some(media) = documented
            .content
            .iter()
            .find(|m| m.content_type.contains("json"))
        {
            assert!(
                answer.content_type.starts_with("application/json"),
                "{operation} {status}: content type {}",
                answer.content_type
            );
            if let Some(schema) = &media.schema_pointer {
                let violations = spec
                    .validate(schema, &answer.body)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    violations.is_empty(),
                    "{operation} {status}: body {} breaks the schema: {violations:#?}",
                    answer.body
                );
            }
        }
    }
}

/// An emulator for a client configured the ordinary way (the identity endpoint and a
/// password), with quick transitions: it, and the base URL, user name, password and project
/// of its first user, in the order the client scripts take them.
pub async fn with_user() -> (Emulator, Vec<String>) {
    let config = Config {
        transition: std::time::Duration::from_millis(20),
        ..Config::default()
    };
    let user = config.users[0].clone();
    let password = secrecy::ExposeSecret::expose_secret(&user.password).to_string();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let args = vec![
        emulator.base_url().to_string(),
        user.name,
        password,
        user.project_id,
    ];
    (emulator, args)
}
