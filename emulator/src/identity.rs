//! The identity step as 004 §1.4 describes it: a caller gets a token from the IAM endpoint
//! (`POST /v3/auth/tokens`, the Keystone v3 form) and sends it as `X-Auth-Token`. A minimal
//! Keystone v3 under `/identity`: the version documents, password and token methods, a
//! project scope by id or by name, the token in `X-Subject-Token` with an expiry, and a
//! catalogue naming the EVS and IMS endpoints under the service types clients look for
//! (`volumev3`, `block-storage`, `volumev2`, `image`, `identity`). Tokens it issues are
//! accepted by EVS and IMS until they expire; a wrong password is 401.
//!
//! Clients configured the ordinary way (`OS_AUTH_URL=http://HOST/identity/v3`, a user and a
//! password, or a `clouds.yaml`) start against the emulator unchanged.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use crate::{Config, Tenant, User};

/// Where the identity endpoint lives; `OS_AUTH_URL` is this plus `/v3`.
pub(crate) const PREFIX: &str = "/identity";

/// How long an issued token is valid.
const LIFETIME: Duration = Duration::from_secs(3600);

/// How many issued tokens are kept alive at once.
const MAX_LIVE: usize = 10_000;

/// The tokens issued so far, each with its project and when it expires.
#[derive(Default)]
pub(crate) struct Tokens {
    issued: Mutex<HashMap<String, Issued>>,
}

#[derive(Clone)]
struct Issued {
    project_id: String,
    user: String,
    expires: Instant,
    expires_at: String,
    issued_at: String,
    methods: Vec<String>,
}

impl Tokens {
    /// The tenant an issued, unexpired token stands for.
    pub fn tenant(&self, token: &str, now: Instant) -> Option<Tenant> {
        let issued = self.issued.lock().unwrap_or_else(|p| p.into_inner());
        let found = issued.get(token).filter(|i| now < i.expires)?;
        Some(Tenant {
            token: token.to_string(),
            project_id: found.project_id.clone(),
        })
    }

    fn get(&self, token: &str, now: Instant) -> Option<Issued> {
        let issued = self.issued.lock().unwrap_or_else(|p| p.into_inner());
        issued.get(token).filter(|i| now < i.expires).cloned()
    }

    fn issue(&self, project_id: &str, user: &str, methods: Vec<String>, now: Instant) -> (String, Issued) {
        let token = format!("gAAAAA{}", uuid::Uuid::new_v4().simple());
        let stamp = |after: Duration| {
            let t = time::OffsetDateTime::now_utc() + after;
            t.format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
            ))
            .unwrap_or_default()
        };
        let issued = Issued {
            project_id: project_id.to_string(),
            user: user.to_string(),
            expires: now + LIFETIME,
            expires_at: stamp(LIFETIME),
            issued_at: stamp(Duration::ZERO),
            methods,
        };
        let mut all = self.issued.lock().unwrap_or_else(|p| p.into_inner());
        // Expired tokens are dropped as new ones are issued, and past MAX_LIVE the one that
        // expires first: a client issuing tokens in a loop cannot grow the map without bound.
        all.retain(|_, i| now < i.expires);
        if all.len() >= MAX_LIVE {
            let oldest = all.iter().min_by_key(|(_, i)| i.expires).map(|(t, _)| t.clone());
            if let Some(oldest) = oldest {
                all.remove(&oldest);
            }
        }
        all.insert(token.clone(), issued.clone());
        (token, issued)
    }
}

/// Answers a request under [`PREFIX`].
pub(crate) fn handle(
    app: &crate::app::App,
    method: &str,
    path: &str,
    headers: &HeaderMap,
    base: &str,
    body: &[u8],
) -> Response {
    let (config, tokens, now) = (&app.config, &app.tokens, Instant::now());
    let rest = path.strip_prefix(PREFIX).unwrap_or(path).trim_end_matches('/');
    match (method, rest) {
        ("GET", "") => {
            let versions = json!({"versions": {"values": [version(base)]}});
            (StatusCode::MULTIPLE_CHOICES, axum::Json(versions)).into_response()
        }
        ("GET", "/v3") => axum::Json(json!({"version": version(base)})).into_response(),
        ("POST", "/v3/auth/tokens") => match issue(config, tokens, body, now) {
            Ok((token, issued)) => {
                let body = token_body(config, &issued, base);
                let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
                if let Ok(v) = HeaderValue::from_str(&token) {
                    response.headers_mut().insert("x-subject-token", v);
                }
                response
            }
            Err(refusal) => *refusal,
        },
        ("GET" | "HEAD", "/v3/auth/tokens") => {
            let caller = headers.get("x-auth-token").and_then(|v| v.to_str().ok());
            let subject = headers.get("x-subject-token").and_then(|v| v.to_str().ok());
            if caller.and_then(|t| known(config, tokens, t, now)).is_none() {
                return unauthorized("The request you have made requires authentication.");
            }
            match subject.and_then(|t| tokens.get(t, now).map(|i| (t, i))) {
                Some((token, issued)) => {
                    let mut response = axum::Json(token_body(config, &issued, base)).into_response();
                    if let Ok(v) = HeaderValue::from_str(token) {
                        response.headers_mut().insert("x-subject-token", v);
                    }
                    response
                }
                None => error(StatusCode::NOT_FOUND, "Not Found", "Could not find token."),
            }
        }
        (_, "" | "/v3" | "/v3/auth/tokens") => error(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method Not Allowed",
            "The method is not allowed for the requested URL.",
        ),
        _ => error(
            StatusCode::NOT_FOUND,
            "Not Found",
            "The resource could not be found.",
        ),
    }
}

/// The project and user a token the caller holds stands for: a tenant's own token or one
/// this endpoint issued.
fn known(config: &Config, tokens: &Tokens, token: &str, now: Instant) -> Option<(String, String)> {
    if let Some(t) = config
        .tenants
        .iter()
        .find(|t| !t.token.is_empty() && t.token == token)
    {
        let user = config
            .users
            .iter()
            .find(|u| u.project_id == t.project_id)
            .map_or_else(|| t.project_id.clone(), |u| u.name.clone());
        return Some((t.project_id.clone(), user));
    }
    tokens.get(token, now).map(|i| (i.project_id, i.user))
}

/// `POST /v3/auth/tokens`: a password or a token, and the project to scope to.
fn issue(
    config: &Config,
    tokens: &Tokens,
    body: &[u8],
    now: Instant,
) -> Result<(String, Issued), Box<Response>> {
    let bad = |why: &str| Box::new(error(StatusCode::BAD_REQUEST, "Bad Request", why));
    let refused = |why: &str| Box::new(unauthorized(why));
    let request: Value = serde_json::from_slice(body).map_err(|_| bad("The request body is not JSON."))?;
    let identity = &request["auth"]["identity"];
    let methods: Vec<String> = identity["methods"]
        .as_array()
        .map(|m| m.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    let (user, home) = if methods.iter().any(|m| m == "password") {
        let asked = &identity["password"]["user"];
        let password = asked["password"].as_str().unwrap_or_default();
        let user = find_user(config, asked).filter(|u| u.password.expose_secret() == password);
        let Some(user) = user else {
            return Err(refused("The request you have made requires authentication."));
        };
        (user.name.clone(), user.project_id.clone())
    } else if methods.iter().any(|m| m == "token") {
        let token = identity["token"]["id"].as_str().unwrap_or_default();
        match known(config, tokens, token, now) {
            Some((project, user)) => (user, project),
            None => return Err(refused("The request you have made requires authentication.")),
        }
    } else {
        return Err(bad("Expecting to find identity methods password or token."));
    };
    let scope = &request["auth"]["scope"]["project"];
    let project = match (scope["id"].as_str(), scope["name"].as_str()) {
        (Some(id), _) => id.to_string(),
        (None, Some(name)) => name.to_string(),
        // Unscoped: the user's own project, the only one it has.
        (None, None) => home.clone(),
    };
    if project != home {
        return Err(refused(&format!(
            "User {user} has no access to project {project}."
        )));
    }
    Ok(tokens.issue(&home, &user, methods, now))
}

/// The user a password request names, by id or by name (in any domain: there is one).
fn find_user<'c>(config: &'c Config, asked: &Value) -> Option<&'c User> {
    let (id, name) = (asked["id"].as_str(), asked["name"].as_str());
    config
        .users
        .iter()
        .find(|u| id.is_some_and(|id| u.id() == id) || name.is_some_and(|n| u.name == n))
}

fn token_body(config: &Config, issued: &Issued, base: &str) -> Value {
    let domain = json!({"id": "default", "name": "Default"});
    let user_id = config
        .users
        .iter()
        .find(|u| u.name == issued.user)
        .map_or_else(|| issued.user.clone(), User::id);
    json!({"token": {
        "methods": issued.methods,
        "user": {"id": user_id, "name": issued.user, "domain": domain, "password_expires_at": null},
        "audit_ids": [uuid::Uuid::new_v4().simple().to_string()[..22].to_string()],
        "expires_at": issued.expires_at,
        "issued_at": issued.issued_at,
        "project": {"id": issued.project_id, "name": issued.project_id, "domain": domain},
        "is_domain": false,
        "roles": [{"id": "member-role", "name": "member"}, {"id": "reader-role", "name": "reader"}],
        "catalog": catalog(base, &issued.project_id),
    }})
}

/// Every endpoint, under the service types OpenStack clients and the vendor's SDKs ask the
/// catalogue for.
fn catalog(base: &str, project: &str) -> Value {
    let service = |kind: &str, name: &str, url: String| {
        let endpoints: Vec<Value> = ["public", "internal", "admin"]
            .iter()
            .map(|interface| {
                json!({"id": format!("{kind}-{interface}"), "interface": interface,
                    "region": "RegionOne", "region_id": "RegionOne", "url": url})
            })
            .collect();
        json!({"id": kind, "type": kind, "name": name, "endpoints": endpoints})
    };
    json!([
        service("identity", "keystone", format!("{base}{PREFIX}/v3")),
        service("volumev3", "cinderv3", format!("{base}/v3/{project}")),
        service("block-storage", "cinder", format!("{base}/v3/{project}")),
        service("volumev2", "cinderv2", format!("{base}/v2/{project}")),
        service("evs", "evs", format!("{base}/v2/{project}")),
        service("image", "ims", base.to_string()),
        service("ims", "ims", base.to_string()),
    ])
}

fn version(base: &str) -> Value {
    json!({
        "id": "v3.14",
        "status": "stable",
        "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": format!("{base}{PREFIX}/v3/")}],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}],
    })
}

fn unauthorized(message: &str) -> Response {
    let mut response = error(StatusCode::UNAUTHORIZED, "Unauthorized", message);
    response.headers_mut().insert(
        "www-authenticate",
        HeaderValue::from_static("Keystone uri=\"/identity\""),
    );
    response
}

/// Keystone's error body.
fn error(status: StatusCode, title: &str, message: &str) -> Response {
    let body = json!({"error": {"code": status.as_u16(), "title": title, "message": message}});
    (status, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    /// A client issuing tokens in a loop keeps at most MAX_LIVE of them alive.
    #[test]
    fn issued_tokens_are_bounded() {
        let tokens = super::Tokens::default();
        let now = Instant::now();
        let mut first = String::new();
        for i in 0..super::MAX_LIVE + 5 {
            let at = now + std::time::Duration::from_millis(i as u64);
            let (token, _) = tokens.issue("p", "u", vec!["password".into()], at);
            if i == 0 {
                first = token;
            }
        }
        let live = tokens.issued.lock().map(|m| m.len()).unwrap_or_default();
        assert_eq!(live, super::MAX_LIVE);
        assert!(tokens.tenant(&first, now).is_none(), "the oldest went first");
    }
}
