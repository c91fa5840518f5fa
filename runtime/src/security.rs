//! The spec's own security schemes at run time: a credential per scheme name, applied to a
//! request as the operation's `security` says.
//!
//! A generated client has one typed setter per scheme of its spec (`with_api_key(key)`,
//! `with_basic(user, password)`, ...), each storing a [`Credential`] under the scheme's
//! name in its [`Transport`](crate::Transport). Each generated method passes its
//! operation's requirements ([`Security`]); the transport applies, on every attempt, the
//! first requirement whose schemes all have a credential. The vendor's [`Auth`](crate::Auth)
//! (`X-Auth-Token`, AK/SK signing) is apart from this and applies to every request.
//!
//! Every value is held as a [`SecretString`]: `Debug` shows scheme names and kinds, never a
//! value, and the values a request carried are masked in what its answer shows.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

/// One requirement of the spec: scheme names whose credentials are all applied (AND).
pub type Requirement = &'static [&'static str];

/// An operation's requirements, in the spec's order: any one of them will do (OR). Empty
/// (`security: []`, or no `security` anywhere): none of the spec's schemes is applied.
pub type Security = &'static [Requirement];

/// Where an API key travels (`in` of an `apiKey` scheme).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyIn {
    Header,
    Query,
    Cookie,
}

/// A credential for one security scheme.
#[derive(Clone, Debug)]
pub enum Credential {
    /// `apiKey`: the value under `name`, in a header, the query or a cookie.
    ApiKey {
        key_in: KeyIn,
        name: String,
        value: SecretString,
    },
    /// `http` `bearer` (and a token of another OAuth2 flow or OpenID Connect, got by other
    /// means): `Authorization: Bearer <token>`.
    Bearer(SecretString),
    /// `http` `basic`: `Authorization: Basic <base64 of user:password>`.
    Basic {
        username: SecretString,
        password: SecretString,
    },
    /// `oauth2` with a `clientCredentials` flow: a token fetched, cached and renewed.
    ClientCredentials(ClientCredentials),
}

impl Credential {
    pub fn api_key(key_in: KeyIn, name: impl Into<String>, value: impl Into<String>) -> Credential {
        Credential::ApiKey {
            key_in,
            name: name.into(),
            value: SecretString::from(value.into()),
        }
    }

    pub fn bearer(token: impl Into<String>) -> Credential {
        Credential::Bearer(SecretString::from(token.into()))
    }

    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Credential {
        Credential::Basic {
            username: SecretString::from(username.into()),
            password: SecretString::from(password.into()),
        }
    }
}

/// The credentials set, by scheme name.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    by_scheme: Vec<(String, Credential)>,
}

/// What applying credentials put on a request: the values to mask in what its answer
/// shows, and the OAuth2 flows whose token it carries (forgotten on a 401).
#[derive(Default)]
pub(crate) struct Applied {
    pub masked: Vec<String>,
    pub flows: Vec<(ClientCredentials, SecretString)>,
}

impl Credentials {
    /// Sets (or replaces) the credential of `scheme`.
    pub fn set(&mut self, scheme: impl Into<String>, credential: Credential) {
        let scheme = scheme.into();
        self.by_scheme.retain(|(s, _)| *s != scheme);
        self.by_scheme.push((scheme, credential));
    }

    pub fn get(&self, scheme: &str) -> Option<&Credential> {
        self.by_scheme.iter().find(|(s, _)| s == scheme).map(|(_, c)| c)
    }

    /// The requirement applied: the first whose schemes all have a credential. An empty
    /// requirement (`{}`, "no credential needed") is never chosen, so a listed credential is
    /// sent whenever one is set; with none satisfiable, nothing of the spec's is sent and the
    /// server decides.
    pub fn choose(&self, security: Security) -> Option<Requirement> {
        security
            .iter()
            .copied()
            .find(|req| !req.is_empty() && req.iter().all(|s| self.get(s).is_some()))
    }

    /// Applies the chosen requirement's credentials to `request`.
    pub(crate) async fn apply(
        &self,
        security: Security,
        request: &mut reqwest::Request,
        http: &reqwest::Client,
        base: &url::Url,
    ) -> Result<Applied, String> {
        let mut applied = Applied::default();
        let Some(requirement) = self.choose(security) else {
            return Ok(applied);
        };
        for scheme in requirement {
            let Some(credential) = self.get(scheme) else {
                continue;
            };
            match credential {
                Credential::ApiKey { key_in, name, value } => {
                    let value = value.expose_secret();
                    applied.masked.push(value.to_string());
                    match key_in {
                        KeyIn::Header => {
                            let name = HeaderName::from_bytes(name.as_bytes())
                                .map_err(|_| format!("`{name}` (scheme `{scheme}`) is not a header name"))?;
                            request.headers_mut().insert(name, sensitive(value, scheme)?);
                        }
                        KeyIn::Query => {
                            request.url_mut().query_pairs_mut().append_pair(name, value);
                            // As it stands in the URL, should the server echo the URL.
                            let encoded: String =
                                url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
                            if encoded != value {
                                applied.masked.push(encoded);
                            }
                        }
                        KeyIn::Cookie => {
                            let pair = format!("{name}={value}");
                            let cookie = match request.headers().get(COOKIE).and_then(|v| v.to_str().ok()) {
                                Some(before) => format!("{before}; {pair}"),
                                None => pair,
                            };
                            request.headers_mut().insert(COOKIE, sensitive(&cookie, scheme)?);
                        }
                    }
                }
                Credential::Bearer(token) => {
                    bearer(request, token, scheme, &mut applied)?;
                }
                Credential::Basic { username, password } => {
                    let pair = format!("{}:{}", username.expose_secret(), password.expose_secret());
                    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                    let value = sensitive(&format!("Basic {encoded}"), scheme)?;
                    request.headers_mut().insert(AUTHORIZATION, value);
                    applied.masked.push(password.expose_secret().to_string());
                    applied.masked.push(encoded);
                }
                Credential::ClientCredentials(flow) => {
                    let token = flow.token(http, base).await?;
                    bearer(request, &token, scheme, &mut applied)?;
                    applied.flows.push((flow.clone(), token));
                }
            }
        }
        Ok(applied)
    }
}

fn bearer(
    request: &mut reqwest::Request,
    token: &SecretString,
    scheme: &str,
    applied: &mut Applied,
) -> Result<(), String> {
    let token = token.expose_secret();
    let value = sensitive(&format!("Bearer {token}"), scheme)?;
    request.headers_mut().insert(AUTHORIZATION, value);
    applied.masked.push(token.to_string());
    Ok(())
}

/// A header value marked sensitive (HTTP/2 never indexes it); the error names the scheme,
/// never the value.
fn sensitive(value: &str, scheme: &str) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| format!("the credential of `{scheme}` has characters a header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// The OAuth2 client-credentials flow (RFC 6749 §4.4): a token is asked of `token_url` with
/// the client's id and secret, kept until shortly before it expires, then asked again. One
/// request for a token is in flight at a time: concurrent calls wait for it and share it.
/// Clones share the token.
#[derive(Clone)]
pub struct ClientCredentials {
    inner: Arc<Flow>,
}

struct Flow {
    token_url: String,
    client_id: SecretString,
    client_secret: SecretString,
    scopes: Vec<String>,
    secret_in_body: bool,
    refresh_before: Duration,
    cached: tokio::sync::Mutex<Option<Token>>,
}

struct Token {
    value: SecretString,
    /// When to ask for a new one; `None`: the answer gave no `expires_in`.
    renew_at: Option<tokio::time::Instant>,
}

/// How long before its expiry a token is renewed, at most (and at most a tenth of its life).
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(30);

/// The largest token answer read.
const MAX_TOKEN_ANSWER: usize = 64 * 1024;

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.inner.token_url)
            .field("scopes", &self.inner.scopes)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl ClientCredentials {
    /// The flow against `token_url` (absolute, or relative to the transport's base URL),
    /// the client authenticating with HTTP Basic as RFC 6749 §2.3.1 asks servers to accept.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> ClientCredentials {
        ClientCredentials {
            inner: Arc::new(Flow {
                token_url: token_url.into(),
                client_id: SecretString::from(client_id.into()),
                client_secret: SecretString::from(client_secret.into()),
                scopes: Vec::new(),
                secret_in_body: false,
                refresh_before: DEFAULT_REFRESH_BEFORE,
                cached: tokio::sync::Mutex::new(None),
            }),
        }
    }

    fn with(self, change: impl FnOnce(&mut Flow)) -> ClientCredentials {
        let inner = &self.inner;
        let mut flow = Flow {
            token_url: inner.token_url.clone(),
            client_id: inner.client_id.clone(),
            client_secret: inner.client_secret.clone(),
            scopes: inner.scopes.clone(),
            secret_in_body: inner.secret_in_body,
            refresh_before: inner.refresh_before,
            cached: tokio::sync::Mutex::new(None),
        };
        change(&mut flow);
        ClientCredentials {
            inner: Arc::new(flow),
        }
    }

    /// The scopes asked for (default none: the server's default).
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(self, scopes: I) -> ClientCredentials {
        let scopes = scopes.into_iter().map(Into::into).collect();
        self.with(|f| f.scopes = scopes)
    }

    /// Send the id and secret as form fields (`client_id`, `client_secret`) instead of HTTP
    /// Basic, for servers that accept only those.
    pub fn secret_in_body(self) -> ClientCredentials {
        self.with(|f| f.secret_in_body = true)
    }

    /// Renew a token this long before it expires (default [`DEFAULT_REFRESH_BEFORE`]; never
    /// more than a tenth of its life).
    pub fn refresh_before(self, margin: Duration) -> ClientCredentials {
        self.with(|f| f.refresh_before = margin)
    }

    /// A valid token: the cached one, or a new one asked for while holding the cache, so
    /// that concurrent callers share one request.
    async fn token(&self, http: &reqwest::Client, base: &url::Url) -> Result<SecretString, String> {
        let mut cached = self.inner.cached.lock().await;
        let now = tokio::time::Instant::now();
        if let Some(token) = cached.as_ref().filter(|t| t.renew_at.is_none_or(|at| now < at)) {
            return Ok(token.value.clone());
        }
        let token = self.inner.fetch(http, base).await?;
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
    }

    /// Drops the cached token if it is still `token` (the server refused it).
    pub(crate) async fn forget(&self, token: &SecretString) {
        let mut cached = self.inner.cached.lock().await;
        if cached
            .as_ref()
            .is_some_and(|t| t.value.expose_secret() == token.expose_secret())
        {
            *cached = None;
        }
    }
}

impl Flow {
    async fn fetch(&self, http: &reqwest::Client, base: &url::Url) -> Result<Token, String> {
        // A relative URL is read against the API's base with a trailing `/`, so that
        // `oauth/token` lands under its prefix.
        let mut root = base.clone();
        if !root.path().ends_with('/') {
            let path = format!("{}/", root.path());
            root.set_path(&path);
        }
        let url = root
            .join(&self.token_url)
            .map_err(|e| format!("the OAuth2 token URL {:?}: {e}", self.token_url))?;
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "client_credentials");
        if !self.scopes.is_empty() {
            form.append_pair("scope", &self.scopes.join(" "));
        }
        let (id, secret) = (self.client_id.expose_secret(), self.client_secret.expose_secret());
        let mut request = http
            .post(url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if self.secret_in_body {
            form.append_pair("client_id", id);
            form.append_pair("client_secret", secret);
        } else {
            // RFC 6749 §2.3.1: each form-encoded before they are joined.
            let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            request = request.basic_auth(encode(id), Some(encode(secret)));
        }
        let failed = |what: String| format!("the OAuth2 token request to {url} {what}");
        let mut response = request
            .body(form.finish())
            .send()
            .await
            .map_err(|e| failed(format!("failed: {}", e.without_url())))?;
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| failed(format!("broke off: {}", e.without_url())))?
        {
            if body.len() + chunk.len() > MAX_TOKEN_ANSWER {
                return Err(failed(format!("got an answer over {MAX_TOKEN_ANSWER} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            let text = String::from_utf8_lossy(&body);
            let excerpt: String = text.chars().take(200).collect();
            let excerpt = excerpt.replace(secret, "[hidden]");
            return Err(failed(format!("was answered {status}: {excerpt}")));
        }
        let answer: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|e| failed(format!("got no token (`access_token`) in its answer: {e}")))?;
        let renew_at = answer.expires_in.map(|secs| {
            let life = Duration::from_secs(secs);
            tokio::time::Instant::now() + life.saturating_sub(self.refresh_before.min(life / 10))
        });
        Ok(Token {
            value: SecretString::from(answer.access_token),
            renew_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(schemes: &[&str]) -> Credentials {
        let mut c = Credentials::default();
        for s in schemes {
            c.set(*s, Credential::bearer("a-long-token"));
        }
        c
    }

    #[test]
    fn the_first_requirement_fully_set_is_chosen() {
        let security: Security = &[&[], &["a", "b"], &["c"], &["a"]];
        assert_eq!(set(&["a"]).choose(security), Some(&["a"][..]));
        assert_eq!(set(&["a", "b"]).choose(security), Some(&["a", "b"][..]));
        assert_eq!(set(&["c", "a"]).choose(security), Some(&["c"][..]));
        assert_eq!(set(&["b"]).choose(security), None);
        assert_eq!(set(&["a"]).choose(&[]), None);
    }

    #[test]
    fn debug_shows_no_value() {
        let mut c = Credentials::default();
        c.set("k", Credential::api_key(KeyIn::Query, "api_key", "s3cr3t-key"));
        c.set("b", Credential::basic("s3cr3t-user", "s3cr3t-pw"));
        c.set("t", Credential::bearer("s3cr3t-token"));
        c.set(
            "o",
            Credential::ClientCredentials(ClientCredentials::new(
                "https://x/token",
                "s3cr3t-id",
                "s3cr3t-cs",
            )),
        );
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(
            shown.contains("api_key") && shown.contains("https://x/token"),
            "{shown}"
        );
    }
}
