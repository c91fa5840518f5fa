use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A response as it came off the wire, before any decoding.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RawResponse {
    /// The body as text, for messages (lossy; bodies are not always UTF-8).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

/// Why an operation did not produce its documented success value.
///
/// `E` is the operation's documented error body. Large parts are boxed so that
/// `Result<_, Error<E>>` stays small on the happy path.
///
/// `E` is the operation's documented error body. A documented error status gives
/// [`Error::Api`] with that body parsed; anything the spec does not describe keeps the raw
/// response, so nothing the server said is lost.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    /// A documented error status, with its body parsed.
    #[error("{status}: the server answered with a documented error")]
    Api {
        status: StatusCode,
        headers: Box<HeaderMap>,
        body: Box<E>,
    },
    /// A status the spec does not document for this operation.
    #[error("{}: status not documented for this operation; body: {}", .0.status, truncate(&.0.text()))]
    UnexpectedStatus(Box<RawResponse>),
    /// The status was documented, but the body does not match its schema.
    #[error("{}: body does not match the documented schema: {message}; body: {}", .response.status, truncate(&.response.text()))]
    Decode {
        response: Box<RawResponse>,
        message: String,
    },
    /// The request never got a response: connection, TLS, timeout.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The request could not be built (bad base URL, a value not allowed in a header).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::UnexpectedStatus(raw) | Error::Decode { response: raw, .. } => Some(raw.status),
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The service's id for the request, from the response headers (`X-Request-Id`,
    /// `X-Openstack-Request-Id`, `X-Compute-Request-Id`), to quote to its support.
    pub fn request_id(&self) -> Option<&str> {
        let headers = match self {
            Error::Api { headers, .. } => headers.as_ref(),
            Error::UnexpectedStatus(raw) | Error::Decode { response: raw, .. } => &raw.headers,
            Error::Transport(_) | Error::InvalidRequest(_) => return None,
        };
        ["x-request-id", "x-openstack-request-id", "x-compute-request-id"]
            .iter()
            .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
    }
}

fn truncate(text: &str) -> String {
    const MAX: usize = 512;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_id_is_kept_on_errors() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-openstack-request-id",
            "req-42".parse().unwrap_or_else(|e| panic!("{e}")),
        );
        let raw = RawResponse {
            status: StatusCode::BAD_GATEWAY,
            headers,
            body: Bytes::new(),
        };
        let err: Error<()> = Error::UnexpectedStatus(Box::new(raw));
        assert_eq!(err.request_id(), Some("req-42"));
        assert_eq!(Error::<()>::InvalidRequest("x".into()).request_id(), None);
    }
}
