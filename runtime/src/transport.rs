use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::hook::{Hook, RequestHook, RequestInfo};
use crate::retry::Outcome;
use crate::security::{Credential, Credentials, Security};
use crate::{Auth, Error, Query, RawResponse, Response, Retry};

/// Sends requests for a generated client: base URL, auth, timeouts, retries.
#[derive(Clone, Debug)]
pub struct Transport {
    http: reqwest::Client,
    base_url: url::Url,
    auth: Auth,
    /// Credentials of the spec's security schemes, applied as each operation's `security`
    /// says.
    credentials: Credentials,
    hook: Option<Hook>,
    retry: Retry,
    /// The time a call may take in all, retries and their waits included.
    deadline: Duration,
    /// The largest response body read; a larger one is [`Error::TooLarge`].
    max_body: usize,
    /// The `User-Agent` each request names, when the transport chose it: the API's own
    /// product token (set by the generated client) before the runtime's. `None` when the
    /// caller gave a user agent or a reqwest client of their own, which then stands.
    user_agent: Option<reqwest::header::HeaderValue>,
}

/// The runtime's product token, the last (or only) one of every `User-Agent` it chooses.
pub const USER_AGENT: &str = concat!("specwright-runtime/", env!("CARGO_PKG_VERSION"));

/// The time a call may take in all (every attempt and the waits between them), unless
/// [`TransportBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The time a connection may take, unless [`TransportBuilder::connect_timeout`] says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest response body read, unless [`TransportBuilder::max_body_bytes`] says otherwise.
pub const DEFAULT_MAX_BODY: usize = 256 * 1024 * 1024;

/// Configures a [`Transport`].
#[derive(Debug)]
pub struct TransportBuilder {
    base_url: String,
    auth: Auth,
    timeout: Duration,
    connect_timeout: Duration,
    retry: Retry,
    http: Option<reqwest::Client>,
    max_body: usize,
    hook: Option<Hook>,
    user_agent: Option<String>,
}

impl TransportBuilder {
    /// The `User-Agent` every request sends, instead of the one the transport chooses (the
    /// API's product token, then [`USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A hook that sees, and may change, every outgoing request after its credentials are
    /// applied, on every attempt (see [`RequestHook`]); the call's deadline, timeouts and
    /// retries stay the transport's.
    pub fn request_hook(mut self, hook: impl RequestHook) -> Self {
        self.hook = Some(Hook(std::sync::Arc::new(hook)));
        self
    }

    /// How credentials are attached to each request.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Time allowed for a whole call, response body, retries and the waits between them
    /// included (default 60 s): a dead server gets a verdict within it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest response body read (default 256 MiB): a larger or endless one ends the
    /// call with [`Error::TooLarge`] once that much has come, not with the memory spent.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Time allowed to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When failed attempts are tried again (default [`Retry::default`]; [`Retry::none`]
    /// turns retries off).
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Use this reqwest client (its timeouts and TLS settings then apply).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn build(self) -> Result<Transport, Error<std::convert::Infallible>> {
        let mut base_url = url::Url::parse(&self.base_url)
            .map_err(|e| Error::InvalidRequest(format!("base URL {:?}: {e}", self.base_url)))?;
        if base_url.cannot_be_a_base() {
            return Err(Error::InvalidRequest(format!(
                "base URL {:?} cannot have paths",
                self.base_url
            )));
        }
        // Paths are appended to the base URL's path, so `https://host/prefix` keeps its prefix.
        let trimmed = base_url.path().trim_end_matches('/').to_string();
        base_url.set_path(&trimmed);
        base_url.set_query(None);
        base_url.set_fragment(None);
        // The transport names the API in its user agent only where it chose the agent.
        let chosen_agent = self.http.is_none() && self.user_agent.is_none();
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent.clone().unwrap_or_else(|| USER_AGENT.to_string()))
                .redirect(same_origin_redirects())
                .build()
                .map_err(Error::Transport)?,
        };
        Ok(Transport {
            http,
            base_url,
            auth: self.auth,
            credentials: Credentials::default(),
            hook: self.hook,
            retry: self.retry,
            deadline: self.timeout,
            max_body: self.max_body,
            user_agent: chosen_agent.then(|| reqwest::header::HeaderValue::from_static(USER_AGENT)),
        })
    }
}

/// Redirects are followed only within the origin they start from (scheme, host and port),
/// at most ten times: a credential (`X-Auth-Token`, `X-Security-Token`, a signature, a
/// scheme's header, cookie or query key) is never carried to another origin. A redirect elsewhere is returned as the answer it is.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same {
            attempt.stop()
        } else if attempt.previous().len() > 10 {
            attempt.error("more than ten redirects")
        } else {
            attempt.follow()
        }
    })
}

impl Transport {
    /// Starts configuring a transport for the service at `base_url`.
    pub fn builder(base_url: impl Into<String>) -> TransportBuilder {
        TransportBuilder {
            base_url: base_url.into(),
            auth: Auth::None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            retry: Retry::default(),
            http: None,
            hook: None,
            user_agent: None,
        }
    }

    /// The same transport naming `product` (the API's `name/version`, as the generated
    /// client gives it) before the runtime in its `User-Agent`, where the transport chose
    /// the agent; a user agent or reqwest client the caller gave stands. A product that is
    /// not a valid header value is left out.
    pub fn for_api(mut self, product: &str) -> Self {
        if self.user_agent.is_some()
            && let Ok(value) = reqwest::header::HeaderValue::from_str(&format!("{product} {USER_AGENT}"))
        {
            self.user_agent = Some(value);
        }
        self
    }

    /// The `User-Agent` the transport sends when it chose it (see [`Transport::for_api`]).
    pub fn user_agent(&self) -> Option<&str> {
        self.user_agent.as_ref().and_then(|v| v.to_str().ok())
    }

    /// The same transport with `credential` set for the spec's security scheme `scheme`
    /// (a generated client's `with_<scheme>` setters call this).
    pub fn with_credential(mut self, scheme: impl Into<String>, credential: Credential) -> Transport {
        self.credentials.set(scheme, credential);
        self
    }

    /// The credentials set for the spec's security schemes.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn base_url(&self) -> &url::Url {
        &self.base_url
    }

    /// Builds the URL of `path` (already percent-encoded per segment) with `query`.
    pub fn url(&self, path: &str, query: &Query) -> url::Url {
        let mut url = self.base_url.clone();
        let joined = format!("{}{}", self.base_url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.pairs().iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        }
        url
    }

    /// Starts a request accepting JSON; the generated method adds headers and body, then
    /// calls [`Transport::send`].
    pub fn request(&self, method: Method, path: &str, query: &Query) -> reqwest::RequestBuilder {
        self.request_accepting(method, path, query, "application/json")
    }

    /// Starts a request whose `Accept` is `accept`: the media types the operation's success
    /// responses produce (`text/plain`, `image/png, image/jpeg`).
    pub fn request_accepting(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        accept: &str,
    ) -> reqwest::RequestBuilder {
        let request = self
            .http
            .request(method, self.url(path, query))
            .header("Accept", accept);
        match &self.user_agent {
            Some(agent) => request.header(reqwest::header::USER_AGENT, agent.clone()),
            None => request,
        }
    }

    /// [`Transport::send_secured`] for an operation that names none of the spec's schemes:
    /// only the transport's [`Auth`] applies.
    pub async fn send<E>(
        &self,
        operation: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, Error<E>> {
        self.send_secured(operation, &[], request).await
    }

    /// Authenticates and sends a request of `operation` (its operationId), and reads the
    /// whole response; a failed attempt is tried again where [`Retry`] allows it, with its
    /// credentials applied (and signed) anew each time and the hook run again. Of
    /// `security`, the first requirement whose credentials are all set is applied (see
    /// [`Credentials::choose`]); then the transport's [`Auth`]; then the hook. Each request
    /// is a `tracing` span (`operation`, `method`, `path`), and each attempt an event with
    /// its status and duration; no credential is ever recorded.
    pub async fn send_secured<E>(
        &self,
        operation: &'static str,
        security: Security,
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, Error<E>> {
        let this = request.build().map_err(Error::Transport)?;
        let span = tracing::info_span!(
            "request",
            operation,
            method = %this.method(),
            path = this.url().path(),
        );
        let deadline = tokio::time::Instant::now() + self.deadline;
        let mut attempt = 1;
        let call = tokio::time::timeout_at(
            deadline,
            self.attempts(operation, security, this, &mut attempt, deadline),
        );
        match call.instrument(span).await {
            Ok(result) => result,
            Err(_) => Err(Error::Deadline(self.deadline)),
        }
    }

    async fn attempts<E>(
        &self,
        operation: &'static str,
        security: Security,
        mut this: reqwest::Request,
        attempt: &mut u32,
        deadline: tokio::time::Instant,
    ) -> Result<RawResponse, Error<E>> {
        loop {
            let started = std::time::Instant::now();
            // An unsigned copy for the next attempt; a body that cannot be copied (a
            // stream) gets one attempt.
            let copy = this.try_clone();
            let applied = self
                .credentials
                .apply(security, &mut this, &self.http, &self.base_url)
                .await
                .map_err(Error::Credential)?;
            self.auth.authorize(&mut this).map_err(Error::InvalidRequest)?;
            if let Some(Hook(hook)) = &self.hook {
                let info = RequestInfo {
                    operation,
                    attempt: *attempt,
                };
                hook.on_request(&mut this, info)
                    .await
                    .map_err(|e| Error::InvalidRequest(format!("the request hook refused it: {e}")))?;
            }
            // What the request carries as credentials: a server that echoes one back gets
            // it masked wherever the answer is shown (an error's message, its `Debug`, the
            // URL a transport error names).
            let mut sent = crate::error::credentials_in(this.headers());
            sent.extend(applied.masked);
            let sent = crate::error::Masked::from_credentials(sent);
            let method = this.method().clone();
            let result = match self.attempt(this).await {
                Ok(raw) => Ok(raw.masking(sent)),
                Err(Error::Transport(e)) => Err(Error::Transport(crate::error::mask_url(e, &sent))),
                Err(e) => Err(e),
            };
            // A token the server refuses is not offered again: the next call asks anew.
            if matches!(&result, Ok(raw) if raw.status == StatusCode::UNAUTHORIZED) {
                for (flow, token) in &applied.flows {
                    flow.forget(token).await;
                }
            }
            let elapsed_ms = started.elapsed().as_millis() as u64;
            match &result {
                Ok(raw) => tracing::debug!(
                    attempt = *attempt,
                    status = raw.status.as_u16(),
                    elapsed_ms,
                    "answer"
                ),
                Err(e) => tracing::debug!(attempt = *attempt, elapsed_ms, error = %e, "no answer"),
            }
            let outcome = match &result {
                Ok(raw) => Outcome::Answer(
                    raw.status,
                    raw.headers
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok()),
                ),
                Err(Error::Transport(e)) if e.is_connect() => Outcome::NotConnected,
                Err(Error::Transport(_)) => Outcome::Broken,
                // Too large is a verdict: the same request would get the same body.
                Err(_) => return result,
            };
            // A wait that would end past the call's deadline is not waited: the answer
            // (or the error) at hand is the verdict.
            let retry = self
                .retry
                .after(*attempt, &method, outcome)
                .filter(|wait| tokio::time::Instant::now() + *wait < deadline);
            match retry.zip(copy) {
                Some((wait, copy)) => {
                    tracing::info!(attempt = *attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    this = copy;
                    *attempt += 1;
                }
                None => return result,
            }
        }
    }

    /// One request and its whole answer, the body read up to `max_body` bytes.
    async fn attempt<E>(&self, request: reqwest::Request) -> Result<RawResponse, Error<E>> {
        let mut response = self.http.execute(request).await.map_err(Error::Transport)?;
        let status = response.status();
        let limit = self.max_body;
        let too_large = || Error::TooLarge { status, limit };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        // Taken, not copied: the body is read without them.
        let headers = std::mem::take(response.headers_mut());
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse::new(status, headers, body.freeze()))
    }
}

/// Percent-encodes one path segment, so an id such as `a/b` cannot change the path.
pub fn encode_path_segment(segment: &str) -> String {
    crate::signer::encode(segment)
}

impl RawResponse {
    /// Decodes a documented success body.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        match serde_json::from_slice::<T>(&self.body) {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                body,
                masked: self.masked,
            }),
            Err(e) => Err(self.undecoded(&e.to_string())),
        }
    }

    /// A documented success whose body may be absent (an empty alternative beside it).
    pub fn json_or_empty<T: DeserializeOwned, E>(self) -> Result<Response<Option<T>>, Error<E>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Response {
                status: self.status,
                headers: self.headers,
                body: None,
                masked: self.masked,
            });
        }
        self.json::<T, E>().map(|r| r.map(Some))
    }

    /// A documented success without a body (the body, if any, is ignored).
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: (),
            masked: self.masked,
        })
    }

    /// A documented success whose body is not JSON: the bytes as they came.
    pub fn bytes_body<E>(self) -> Result<Response<bytes::Bytes>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: self.body,
            masked: self.masked,
        })
    }

    /// A documented error status: parse its body as `E`.
    pub fn api_error<T, E: DeserializeOwned>(self) -> Result<T, Error<E>> {
        self.api_error_with(|body| serde_json::from_slice::<E>(body).map_err(|e| e.to_string()))
    }

    /// A documented error status, its body decoded by `decode`.
    pub fn api_error_with<T, E>(
        self,
        decode: impl FnOnce(&bytes::Bytes) -> Result<E, String>,
    ) -> Result<T, Error<E>> {
        match decode(&self.body) {
            Ok(body) => Err(Error::Api {
                status: self.status,
                headers: Box::new(self.headers),
                body: Box::new(body),
                masked: self.masked,
            }),
            Err(message) => Err(self.undecoded(&message)),
        }
    }

    /// A status the operation does not document.
    pub fn unexpected<T, E>(self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedStatus(Box::new(self)))
    }

    pub fn status_code(&self) -> StatusCode {
        self.status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_the_base_url_path_once() {
        for base in [
            "http://h:1",
            "http://h:1/",
            "http://h:1/prefix/",
            "http://h:1/prefix",
        ] {
            let t = Transport::builder(base).build().unwrap_or_else(|e| panic!("{e}"));
            let want = if base.contains("prefix") {
                "/prefix/v2/x"
            } else {
                "/v2/x"
            };
            assert_eq!(t.url("/v2/x", &Query::new()).path(), want, "{base}");
        }
    }

    #[test]
    fn path_segments_cannot_escape_their_segment() {
        assert_eq!(encode_path_segment("a/b c?d#e"), "a%2Fb%20c%3Fd%23e");
    }
}
