//! Error bodies in each service's documented shape.

use axum::http::StatusCode;
use serde_json::{Value, json};

/// Which service a request belongs to: it decides the error body's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Evs,
    Ims,
}

/// The failures every operation can meet, whatever the handler: each service's code for
/// them is in [`Failure::code`], the one table of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No credential, or one not accepted.
    Auth,
    /// A credential without access to what it asks for.
    Forbidden,
    /// No such resource (or route).
    NotFound,
    /// A method the path does not declare.
    Method,
    /// Throttled (429).
    Throttled,
    /// The body did not arrive in time (408).
    Timeout,
    /// Unavailable (503).
    Unavailable,
    /// Input that breaks the spec.
    Invalid,
    /// The project in the URL is not the caller's.
    ForeignProject,
}

impl Failure {
    /// The vendor code of this failure in `service`'s error bodies.
    pub fn code(self, service: Service) -> &'static str {
        match (service, self) {
            (Service::Ims, Failure::Auth) => "IMG.0003",
            (Service::Ims, Failure::Forbidden) => "IMG.0004",
            (Service::Ims, Failure::NotFound) => "IMG.0006",
            (Service::Ims, Failure::ForeignProject) => "IMG.0004",
            (Service::Ims, _) => "IMG.0001",
            (Service::Evs, Failure::Auth) => "EVS.0003",
            // A.1: "URI中租户ID非法", the tenant ID in the URI is invalid.
            (Service::Evs, Failure::ForeignProject) => "EVS.0001",
            (Service::Evs, Failure::Forbidden) => "EVS.1026",
            (Service::Evs, Failure::NotFound) => "EVS.5404",
            // A.1's EVS.5xxx family wraps the HTTP status.
            (Service::Evs, Failure::Method) => "EVS.5405",
            (Service::Evs, Failure::Throttled) => "EVS.5429",
            (Service::Evs, Failure::Timeout) => "EVS.5408",
            (Service::Evs, Failure::Unavailable) => "EVS.5503",
            (Service::Evs, Failure::Invalid) => "EVS.5400",
        }
    }
}

/// A documented error: status, vendor code and message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    /// The body: EVS wraps the detail in a key naming the fault (Cinder style, with the
    /// vendor's string code); IMS uses `{"error": {...}}`.
    pub fn body(&self, service: Service) -> Value {
        let detail = json!({"message": self.message, "code": self.code});
        match service {
            Service::Ims => json!({"error": {"code": self.code, "message": self.message}}),
            Service::Evs => {
                let key = match self.status.as_u16() {
                    400 => "badRequest",
                    401 => "unauthorized",
                    403 => "forbidden",
                    404 => "itemNotFound",
                    405 => "badMethod",
                    409 => "conflictingRequest",
                    413 | 429 => "overLimit",
                    501 => "notImplemented",
                    503 => "serviceUnavailable",
                    _ => "computeFault",
                };
                let mut detail = detail;
                if self.status == StatusCode::PAYLOAD_TOO_LARGE {
                    // Cinder's `overLimit` says when to retry; a quota does not lift by itself.
                    detail["retryAfter"] = json!("0");
                }
                json!({ key: detail })
            }
        }
    }
}
