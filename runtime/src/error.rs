use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A response as it came off the wire, before any decoding.
///
/// Its `Debug` (and so an [`Error`]'s) shows the status, the headers with the values of
/// those that carry credentials hidden (`X-Subject-Token`, `Set-Cookie`, ...), and a
/// bounded excerpt of the body: a 500 MB answer does not become a 500 MB log line. A
/// credential the request carried that the server echoes, in a header or the body, is
/// masked there too.
#[derive(Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The credentials the request carried, masked wherever the answer is shown.
    pub(crate) masked: Masked,
}

/// The credential values a request carried (a token, a signature, an API key), kept beside
/// its answer so that they are hidden wherever the answer is shown. Its own `Debug` shows
/// how many there are, never one of them.
#[derive(Clone, Default)]
pub struct Masked(Vec<String>);

impl std::fmt::Debug for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Masked({} hidden)", self.0.len())
    }
}

impl Masked {
    /// The credentials to hide. Values shorter than 8 bytes are left out: masking must not
    /// blank ordinary text (the one place this rule is kept).
    pub fn from_credentials(credentials: Vec<String>) -> Masked {
        Masked(credentials.into_iter().filter(|c| c.len() >= 8).collect())
    }

    /// `text` as an error may show it: its first [`EXCERPT`] bytes (and its length, where it
    /// is longer), every credential hidden. A credential that starts within them is hidden
    /// whole, and nothing past them is shown, however much the masks shorten the text.
    fn shown(&self, text: &[u8]) -> String {
        let mut shown = self.masked_start(text);
        if text.len() > EXCERPT {
            shown.push_str(&format!("… ({} bytes)", text.len()));
        }
        shown
    }

    /// The first [`EXCERPT`] bytes of `text` (not cutting a character), each credential
    /// that starts within them hidden whole.
    fn masked_start(&self, text: &[u8]) -> String {
        let mut end = text.len().min(EXCERPT);
        // Not in the middle of a character (bytes 10xxxxxx continue one).
        while end > 0 && end < text.len() && text[end] & 0xC0 == 0x80 {
            end -= 1;
        }
        let mut shown = Vec::with_capacity(end + 16);
        let mut at = 0;
        while at < end {
            let here = &text[at..];
            let credential = self
                .0
                .iter()
                .filter(|c| here.starts_with(c.as_bytes()))
                .max_by_key(|c| c.len());
            match credential {
                Some(c) => {
                    shown.extend_from_slice(b"[hidden]");
                    at += c.len();
                }
                None => {
                    shown.push(text[at]);
                    at += 1;
                }
            }
        }
        String::from_utf8_lossy(&shown).into_owned()
    }

    /// `value`'s whole `Debug` with every credential hidden (also as `Debug` escapes it), or
    /// `None` where there is none to hide (then the value shows itself, `{:#?}` included).
    pub(crate) fn hiding(&self, value: &dyn std::fmt::Debug) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let mut text = format!("{value:?}");
        for credential in self.with_escaped() {
            text = text.replace(credential.as_str(), "[hidden]");
        }
        Some(text)
    }

    /// The credentials, and each as `Debug` writes it inside quotes where that differs.
    fn with_escaped(&self) -> Vec<String> {
        let mut all = self.0.clone();
        for c in &self.0 {
            let quoted = format!("{c:?}");
            let escaped = &quoted[1..quoted.len() - 1];
            if escaped != c {
                all.push(escaped.to_string());
            }
        }
        // Longest first, so a credential holding another is hidden whole.
        all.sort_by_key(|c| std::cmp::Reverse(c.len()));
        all
    }

    /// `value`'s `Debug` as an error may show it: read only as far as [`EXCERPT`] (and the
    /// longest credential) reach, every credential hidden, also as `Debug` escapes it (a
    /// password holding `"` is written `\"` there).
    fn shown_debug(&self, value: &dyn std::fmt::Debug) -> String {
        let all = Masked(self.with_escaped());
        let longest = all.0.first().map_or(0, String::len);
        let mut text = Bounded {
            text: String::new(),
            limit: EXCERPT + longest,
            cut: false,
        };
        // A value's `Debug` stops with an error where the bound is reached.
        let _ = std::fmt::write(&mut text, format_args!("{value:?}"));
        let mut shown = all.masked_start(text.text.as_bytes());
        if text.cut || text.text.len() > EXCERPT {
            shown.push('…');
        }
        shown
    }
}

/// A `fmt::Write` that keeps the first `limit` bytes written to it, then refuses more.
struct Bounded {
    text: String,
    limit: usize,
    cut: bool,
}

impl std::fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let room = self.limit.saturating_sub(self.text.len());
        if s.len() <= room {
            self.text.push_str(s);
            return Ok(());
        }
        let mut end = room;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.text.push_str(&s[..end]);
        self.cut = true;
        Err(std::fmt::Error)
    }
}

/// How much of a body an error's message or `Debug` shows.
pub const EXCERPT: usize = 512;

/// Response headers whose values are credentials: a Keystone token, a session cookie.
const SECRET_HEADERS: [&str; 5] = [
    "x-subject-token",
    "x-auth-token",
    "set-cookie",
    "authorization",
    "x-security-token",
];

/// Headers as `Debug` shows them: the values of [`SECRET_HEADERS`], and any value holding
/// one of `masked`, hidden.
pub(crate) fn shown_headers<'h>(headers: &'h HeaderMap, masked: &Masked) -> Vec<(&'h str, &'h str)> {
    headers
        .iter()
        .map(|(name, value)| {
            let text = value.to_str().unwrap_or("[not text]");
            let secret =
                SECRET_HEADERS.contains(&name.as_str()) || masked.0.iter().any(|m| text.contains(m.as_str()));
            (name.as_str(), if secret { "[hidden]" } else { text })
        })
        .collect()
}

/// The credential values a request's headers carry (a token, a signature), to mask in
/// what its answer shows ([`Masked::from_credentials`] leaves out the short ones).
pub(crate) fn credentials_in(headers: &HeaderMap) -> Vec<String> {
    SECRET_HEADERS
        .iter()
        .filter_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::to_string)
        .collect()
}

/// A transport error names the URL it failed on: the values of `masked` (a query API key)
/// are hidden in it.
pub(crate) fn mask_url(mut error: reqwest::Error, masked: &Masked) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let hidden = masked.0.iter().any(|m| v.contains(m.as_str()));
                (
                    k.into_owned(),
                    if hidden { "[hidden]".into() } else { v.into_owned() },
                )
            })
            .collect();
        if pairs.iter().any(|(_, v)| v == "[hidden]") {
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
    }
    error
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &shown_headers(&self.headers, &self.masked))
            .field("body", &self.excerpt())
            .finish()
    }
}

impl RawResponse {
    /// A response as read: status, headers and the whole body.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> RawResponse {
        RawResponse {
            status,
            headers,
            body,
            masked: Masked::default(),
        }
    }

    /// The same, with `credentials` masked wherever it is shown.
    pub(crate) fn masking(mut self, credentials: Masked) -> RawResponse {
        self.masked = credentials;
        self
    }

    /// The body as text, for messages (lossy; bodies are not always UTF-8).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The start of the body as text, for messages and `Debug`: at most [`EXCERPT`] bytes
    /// of it are read, whatever its size.
    pub fn excerpt(&self) -> String {
        self.shown(&self.body)
    }

    /// `text` as an error may show it: bounded, every credential the request carried hidden.
    pub(crate) fn shown(&self, text: &[u8]) -> String {
        self.masked.shown(text)
    }

    /// The error of a documented body that does not decode: the decoder's `message` (which
    /// quotes the value it refused, whatever the server put there) shown as the body is.
    pub(crate) fn undecoded<E>(self, message: &str) -> Error<E> {
        Error::Decode {
            message: self.shown(message.as_bytes()),
            response: Box::new(self),
        }
    }
}

/// Why an operation did not produce its documented success value.
///
/// Large parts are boxed so that `Result<_, Error<E>>` stays small on the happy path.
///
/// `E` is the operation's documented error body. A documented error status gives
/// [`Error::Api`] with that body parsed; anything the spec does not describe keeps the raw
/// response, so nothing the server said is lost.
///
/// Its `Debug` hides credentials as [`RawResponse`]'s does: the values of credential headers,
/// and any credential the request carried that the answer echoes (in a header, or in a
/// documented error body's message), which is also bounded to [`EXCERPT`] bytes.
#[derive(thiserror::Error)]
pub enum Error<E> {
    /// A documented error status, with its body parsed.
    #[error("{status}: the server answered with a documented error")]
    Api {
        status: StatusCode,
        headers: Box<HeaderMap>,
        body: Box<E>,
        /// The credentials the request carried, hidden in this error's `Debug`.
        masked: Masked,
    },
    /// A status the spec does not document for this operation.
    #[error("{}: status not documented for this operation; body: {}", .0.status, .0.excerpt())]
    UnexpectedStatus(Box<RawResponse>),
    /// The status was documented, but the body does not match its schema.
    #[error("{}: body does not match the documented schema: {message}; body: {}", .response.status, .response.excerpt())]
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
    /// No verdict within the call's deadline ([`crate::TransportBuilder::timeout`]), every
    /// attempt and wait included.
    #[error("no answer within the call's deadline of {0:?}")]
    Deadline(std::time::Duration),
    /// The answer's body is larger than [`crate::TransportBuilder::max_body_bytes`]; it was
    /// not read past that.
    #[error("{status}: the body is larger than {limit} bytes, and was not read")]
    TooLarge { status: StatusCode, limit: usize },
    /// A credential of the spec's security schemes could not be applied: an OAuth2 token
    /// request failed, or a value a header cannot carry. The message names the scheme and
    /// the token URL, never a secret.
    #[error("credential: {0}")]
    Credential(String),
}

impl<E: std::fmt::Debug> std::fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Api {
                status,
                headers,
                body,
                masked,
            } => f
                .debug_struct("Api")
                .field("status", status)
                .field("headers", &shown_headers(headers, masked))
                .field("body", &Shown(masked.shown_debug(body)))
                .finish(),
            Error::UnexpectedStatus(raw) => f.debug_tuple("UnexpectedStatus").field(raw).finish(),
            Error::Decode { response, message } => f
                .debug_struct("Decode")
                .field("response", response)
                .field("message", message)
                .finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Error::InvalidRequest(m) => f.debug_tuple("InvalidRequest").field(m).finish(),
            Error::Deadline(d) => f.debug_tuple("Deadline").field(d).finish(),
            Error::TooLarge { status, limit } => f
                .debug_struct("TooLarge")
                .field("status", status)
                .field("limit", limit)
                .finish(),
            Error::Credential(m) => f.debug_tuple("Credential").field(m).finish(),
        }
    }
}

/// Text that `Debug` writes as it is (already a `Debug` rendering, masked).
pub(crate) struct Shown(pub(crate) String);

impl std::fmt::Debug for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E> Error<E> {
    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::UnexpectedStatus(raw) | Error::Decode { response: raw, .. } => Some(raw.status),
            Error::Transport(e) => e.status(),
            Error::TooLarge { status, .. } => Some(*status),
            Error::InvalidRequest(_) | Error::Deadline(_) | Error::Credential(_) => None,
        }
    }

    /// The service's id for the request, from the response headers (`X-Request-Id`,
    /// `X-Openstack-Request-Id`, `X-Compute-Request-Id`), to quote to its support.
    pub fn request_id(&self) -> Option<&str> {
        let headers = match self {
            Error::Api { headers, .. } => headers.as_ref(),
            Error::UnexpectedStatus(raw) | Error::Decode { response: raw, .. } => &raw.headers,
            Error::Transport(_)
            | Error::InvalidRequest(_)
            | Error::Deadline(_)
            | Error::TooLarge { .. }
            | Error::Credential(_) => {
                return None;
            }
        };
        ["x-request-id", "x-openstack-request-id", "x-compute-request-id"]
            .iter()
            .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_a_bounded_body_and_no_credential() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-subject-token",
            "gAAAAsecret".parse().unwrap_or_else(|e| panic!("{e}")),
        );
        headers.insert(
            "content-type",
            "text/plain".parse().unwrap_or_else(|e| panic!("{e}")),
        );
        let raw = RawResponse::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            headers,
            Bytes::from(vec![b'x'; 10_000_000]),
        );
        let err: Error<()> = Error::UnexpectedStatus(Box::new(raw));
        for shown in [format!("{err:?}"), err.to_string()] {
            assert!(shown.len() < 2 * EXCERPT, "{} bytes", shown.len());
            assert!(!shown.contains("gAAAAsecret"));
            assert!(shown.contains("10000000 bytes"), "{shown}");
        }
        assert!(format!("{err:?}").contains("text/plain"));
    }

    #[test]
    fn a_documented_error_shows_no_credential_the_request_carried() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "set-cookie",
            "session=abcdef123456".parse().unwrap_or_else(|e| panic!("{e}")),
        );
        headers.insert(
            "x-echo",
            "token gAAAAsecret-token"
                .parse()
                .unwrap_or_else(|e| panic!("{e}")),
        );
        let err: Error<String> = Error::Api {
            status: StatusCode::UNAUTHORIZED,
            headers: Box::new(headers),
            body: Box::new(format!(
                "token gAAAAsecret-token is not valid {}",
                "y".repeat(100_000)
            )),
            masked: Masked(vec!["gAAAAsecret-token".into()]),
        };
        let shown = format!("{err:?}");
        assert!(!shown.contains("gAAAAsecret-token"), "{shown}");
        assert!(!shown.contains("abcdef123456"), "{shown}");
        assert!(shown.contains("is not valid"), "{shown}");
        assert!(shown.len() < 2 * EXCERPT, "{} bytes", shown.len());
        assert!(format!("{:?}", Masked(vec!["gAAAAsecret-token".into()])).contains("1 hidden"));
    }

    #[test]
    fn a_credential_is_hidden_whole_wherever_the_cut_falls_and_as_debug_escapes_it() {
        let credential = "k".repeat(60) + &"s".repeat(40);
        let masked = Masked(vec![credential.clone()]);
        let body = format!("{credential}{}{credential}{}", "x".repeat(422), "y".repeat(1000));
        let shown = masked.shown(body.as_bytes());
        assert!(!shown.contains("kkkkk"), "{shown}");
        assert!(shown.ends_with(&format!("… ({} bytes)", body.len())), "{shown}");
        // Straddling the cut: hidden whole, not halved.
        let body = format!("{}{credential}", "x".repeat(EXCERPT - 10));
        assert!(!masked.shown(body.as_bytes()).contains("kkkkk"));
        let password = Masked(vec![r#"pa"ss\word1"#.to_string()]);
        let echoed = r#"wrong password pa"ss\word1"#.to_string();
        let shown = password.shown_debug(&echoed);
        assert!(!shown.contains("word1"), "{shown}");
        assert!(shown.contains("wrong password [hidden]"), "{shown}");
        let huge = "z".repeat(10_000_000);
        assert!(password.shown_debug(&huge).len() < 2 * EXCERPT);
    }

    #[test]
    fn values_too_short_to_be_credentials_blank_nothing() {
        let masked = Masked::from_credentials(vec!["user".into(), "s3cret-key".into()]);
        assert_eq!(masked.shown(b"user sent s3cret-key"), "user sent [hidden]");
    }

    #[test]
    fn the_request_id_is_kept_on_errors() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-openstack-request-id",
            "req-42".parse().unwrap_or_else(|e| panic!("{e}")),
        );
        let raw = RawResponse::new(StatusCode::BAD_GATEWAY, headers, Bytes::new());
        let err: Error<()> = Error::UnexpectedStatus(Box::new(raw));
        assert_eq!(err.request_id(), Some("req-42"));
        assert_eq!(Error::<()>::InvalidRequest("x".into()).request_id(), None);
    }
}
