//! Who is calling: an `X-Auth-Token`, or an AK/SK signature (`SDK-HMAC-SHA256`) verified
//! with the signer the clients sign with (`specwright_runtime::signer`).

use axum::http::{HeaderMap, StatusCode, request::Parts};
use secrecy::ExposeSecret;
use time::{OffsetDateTime, PrimitiveDateTime, macros::format_description};

use specwright_runtime::signer::{self, Signed};

use crate::error::{ApiError, Failure, Service};
use crate::{Config, Tenant};

/// How far `X-Sdk-Date` may be from the emulator's clock, as the API gateway allows.
const CLOCK_SKEW: time::Duration = time::Duration::minutes(15);

/// The tenant the request authenticates as, `None` when it carries no credential at all.
pub(crate) fn tenant(
    config: &Config,
    tokens: &crate::identity::Tokens,
    service: Service,
    parts: &Parts,
    query: &[(String, String)],
    body: &[u8],
) -> Result<Option<Tenant>, ApiError> {
    let refuse = |why: String| ApiError::new(StatusCode::UNAUTHORIZED, Failure::Auth.code(service), why);
    let headers = &parts.headers;
    if let Some(value) = header(headers, "authorization").filter(|v| v.starts_with(signer::ALGORITHM)) {
        let Some(auth) = signer::parse_authorization(value) else {
            return Err(refuse(
                "the Authorization header is not a valid SDK-HMAC-SHA256 one".into(),
            ));
        };
        let Some(key) = config
            .access_keys
            .iter()
            .find(|k| k.access_key == auth.access_key)
        else {
            return Err(refuse("the access key is not known".into()));
        };
        let date = header(headers, signer::DATE_HEADER).unwrap_or_default();
        if !recent(date) {
            return Err(refuse(format!(
                "{} is missing or more than 15 minutes from the server's clock",
                signer::DATE_HEADER
            )));
        }
        let mut signed_headers = Vec::new();
        for name in &auth.signed_headers {
            let Some(value) = header(headers, name) else {
                return Err(refuse(format!("the signed header {name} is not in the request")));
            };
            signed_headers.push((name.to_ascii_lowercase(), value.to_string()));
        }
        let signed = Signed {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query,
            headers: &signed_headers,
            body,
            content_sha256: header(headers, signer::CONTENT_HEADER),
        };
        if !signed.verify(date, key.secret_key.expose_secret().as_bytes(), auth.signature) {
            return Err(refuse("the signature does not match the request".into()));
        }
        if let Some(project) = header(headers, "x-project-id").filter(|p| *p != key.project_id) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                Failure::Forbidden.code(service),
                format!("the access key has no access to project {project}"),
            ));
        }
        let tenant = config.tenants.iter().find(|t| t.project_id == key.project_id);
        return Ok(Some(
            tenant
                .cloned()
                .unwrap_or_else(|| Tenant::without_token(&key.project_id)),
        ));
    }
    match header(headers, "x-auth-token") {
        None => Ok(None),
        Some(token) => match config.tenants.iter().find(|t| t.token == token) {
            Some(t) => Ok(Some(t.clone())),
            None => match tokens.tenant(token, std::time::Instant::now()) {
                Some(t) => Ok(Some(t)),
                None => Err(refuse("the token is not valid (or has expired)".into())),
            },
        },
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Whether a `YYYYMMDDTHHMMSSZ` time is within the allowed skew of now.
fn recent(date: &str) -> bool {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    match PrimitiveDateTime::parse(date, format) {
        Ok(t) => (OffsetDateTime::now_utc() - t.assume_utc()).abs() <= CLOCK_SKEW,
        Err(_) => false,
    }
}
