//! Error bodies in each service's documented shape.

use axum::http::StatusCode;
use serde_json::{Value, json};

/// Which service a request belongs to: it decides the error body's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Evs,
    Ims,
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
                json!({ key: detail })
            }
        }
    }
}
