//! The handler protocol: what a handler sees of a request ([`Call`]) and what it answers
//! ([`Reply`]). Handlers (`evs/`, `ims`) know this and the state ([`crate::app`]), never
//! the router that calls them.

use std::collections::HashMap;
use std::time::Instant;

use axum::http::StatusCode;
use serde_json::Value;

use crate::Tenant;
use crate::app::App;
use crate::error::ApiError;
use crate::faults::Fault;

/// What runs an operation, given its id.
pub(crate) type Handler = fn(&str, &Call) -> Result<Reply, ApiError>;

/// What a handler sees of a request.
pub(crate) struct Call<'a> {
    pub app: &'a App,
    pub tenant: &'a Tenant,
    pub params: HashMap<String, String>,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    pub now: Instant,
    /// `http://` and the Host the client addressed, for the links answers carry.
    pub base_url: String,
    /// The API root the request came under (`v2`, `v3`): links point back under it.
    pub root: &'a str,
}

impl Call<'_> {
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or_default()
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The request came under the Cinder v3 root, where the spec decides some answers as
    /// Cinder gives them rather than as 004 does for v2 (REVIEW.md, "Decided against
    /// Cinder 29").
    pub fn on_v3(&self) -> bool {
        self.root == "v3"
    }

    pub fn fault(&self, fault: Fault) -> bool {
        self.app.config.faults.contains(&fault)
    }
}

/// A handler's answer.
pub(crate) enum Reply {
    Json(StatusCode, Value),
    /// JSON already written out: a typed body serialized once, with no `Value` built for it.
    Text(StatusCode, String),
    Empty(StatusCode),
}
