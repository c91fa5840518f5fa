//! Request validation against the spec, before any handler runs: the body (media type,
//! JSON syntax, schema) and the query (each declared parameter read by its schema's type).

use axum::http::header;
use serde_json::Value;

use crate::app::App;
use crate::error::{ApiError, Failure, Service};
use crate::faults::Fault;
use crate::routes::Route;

pub(crate) fn check_body(
    app: &App,
    route: &Route,
    service: Service,
    headers: &axum::http::HeaderMap,
    bytes: &[u8],
) -> Result<Option<Value>, ApiError> {
    let invalid = |msg: String| ApiError::bad_request(Failure::Invalid.code(service), msg);
    let Some(schema) = &route.body_schema else {
        return Ok(None);
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return if route.body_required {
            Err(invalid("a JSON request body is required".into()))
        } else {
            Ok(None)
        };
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("application/json") {
        return Err(invalid(format!(
            "Content-Type must be application/json, not {content_type:?}"
        )));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| invalid(format!("malformed JSON: {e}")))?;
    if app.config.faults.contains(&Fault::AcceptsInvalidInput) {
        return Ok(Some(value));
    }
    let violations = app
        .spec(service)
        .validate(schema, &value)
        .map_err(|e| invalid(e.to_string()))?;
    if let Some(first) = violations.first() {
        return Err(invalid(format!("invalid request body {first}")));
    }
    Ok(Some(value))
}

/// Query parameters against the spec, as bodies are: each declared one, read by its
/// schema's type, must satisfy its schema, and a required one must be there.
pub(crate) fn check_query(
    app: &App,
    route: &Route,
    service: Service,
    query: &[(String, String)],
) -> Result<(), ApiError> {
    let invalid = |msg: String| ApiError::bad_request(Failure::Invalid.code(service), msg);
    for p in &route.query {
        let values: Vec<&str> = query
            .iter()
            .filter(|(k, _)| *k == p.name)
            .map(|(_, v)| v.as_str())
            .collect();
        if values.is_empty() {
            if p.required && !app.config.faults.contains(&Fault::MissingParameterAccepted) {
                return Err(invalid(format!("the query parameter {} is required", p.name)));
            }
            continue;
        }
        if app.config.faults.contains(&Fault::AcceptsInvalidInput) {
            continue;
        }
        let Some(schema) = &p.schema_pointer else { continue };
        let value = match p.kind.as_str() {
            // Text that is not JSON is the handler's to read or refuse: Cinder's own clients
            // write a dictionary as a Python literal.
            _ if p.json => match serde_json::from_str(values[0]) {
                Ok(value) => value,
                Err(_) => continue,
            },
            "array" => Value::Array(values.iter().map(|v| Value::String((*v).to_string())).collect()),
            kind => read_scalar(kind, values[0]),
        };
        let violations = app
            .spec(service)
            .validate(schema, &value)
            .map_err(|e| invalid(e.to_string()))?;
        if let Some(first) = violations.first() {
            return Err(invalid(format!(
                "invalid query parameter {}: {}",
                p.name, first.message
            )));
        }
    }
    Ok(())
}

/// The value a query text stands for, by the schema's type; text that is not of the
/// type stays text, so that the schema refuses it.
fn read_scalar(kind: &str, text: &str) -> Value {
    match kind {
        // Past 64 bits a decimal integer is still one: judged as the (whole) float it rounds to.
        "integer" => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .ok()
            .or_else(|| {
                let digits = text.strip_prefix('-').unwrap_or(text);
                (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| text.parse::<f64>().ok().and_then(serde_json::Number::from_f64))
                    .flatten()
                    .map(Value::Number)
            })
            .unwrap_or_else(|| Value::String(text.into())),
        "number" => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.into())),
        // Cinder reads booleans case-insensitively (the documents write usage=True).
        "boolean" => match text.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        _ => Value::String(text.into()),
    }
}

pub(crate) fn url_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
