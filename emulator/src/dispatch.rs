//! Serving one request: transport faults, the identity endpoint, matching the path
//! against the route table, authentication, the microversion, validation, then the
//! operation's handler, and the answer in the service's shape.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::Tenant;
use crate::app::App;
use crate::call::{Call, Reply};
use crate::chaos::Act;
use crate::error::{ApiError, Failure, Service};
use crate::faults::Fault;
use crate::routes::{Route, match_path};
use crate::validate::{check_body, check_query, url_pairs};

/// What the router serves with: the state and the route table built from it.
pub(crate) struct Server {
    pub app: App,
    routes: Vec<Route>,
}

impl Server {
    pub fn new(config: crate::Config) -> Result<Server, String> {
        let app = App::new(config)?;
        let routes = crate::routes::table(&app)?;
        Ok(Server { app, routes })
    }
}

/// The base URL links (and the identity catalogue) point at: the Host header when it is a plain host\[:port\], else
/// `localhost` (a client's odd Host header must not end up in our answers).
fn base_url(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

fn guess_service(path: &str) -> Service {
    if path.contains("cloudimages") || path.contains("/jobs/") {
        Service::Ims
    } else {
        Service::Evs
    }
}

pub(crate) async fn handle(State(server): State<Arc<Server>>, request: Request) -> Response {
    let service = guess_service(request.uri().path());
    let delete = request.method() == Method::DELETE;
    let mut response = answer(&server, request).await;
    stamp_request_id(&mut response, service, delete);
    response
}

/// Marks an answer no resource layer built (Cinder's router's own 404): it goes without
/// `x-compute-request-id`.
#[derive(Clone, Copy)]
struct Bare;

/// A path no EVS route has, answered as Cinder's router answers it: webob's JSON 404, not
/// an error of the API's own shape.
fn unrouted() -> Response {
    let body = serde_json::json!({
        "code": "404 Not Found",
        "message": "The resource could not be found.",
        "title": "Not Found",
    });
    let mut response = (StatusCode::NOT_FOUND, axum::Json(body)).into_response();
    response.extensions_mut().insert(Bare);
    response
}

/// Every answer names its request, as the real services do: Cinder in
/// `X-Openstack-Request-Id` and `x-compute-request-id` (`req-<uuid>`), IMS in
/// `X-Request-Id`. A caller quotes it when reporting a problem.
fn stamp_request_id(response: &mut Response, service: Service, delete: bool) {
    let id = format!("req-{}", crate::state::new_id());
    let Ok(value) = HeaderValue::from_str(&id) else {
        return;
    };
    let bare_marked = response.extensions().get::<Bare>().is_some();
    let headers = response.headers_mut();
    match service {
        Service::Evs => {
            // Cinder's resource layer adds the second name to what a handler returns as
            // data, empty or not (an `os-extend` 202, an `os-set_bootable` 200); its deletes
            // and its redirects answer with a bare response that goes without it.
            let bare = (delete && !headers.contains_key(header::CONTENT_TYPE))
                || headers.contains_key(header::LOCATION)
                || bare_marked;
            if !bare {
                headers.insert("x-compute-request-id", value.clone());
            }
            headers.insert("x-openstack-request-id", value);
        }
        Service::Ims => {
            headers.insert("x-request-id", value);
        }
    }
}

async fn answer(server: &Server, request: Request) -> Response {
    let app = &server.app;
    // Transport faults come first: what they refuse or drop is never handled.
    let chaos = &app.config.chaos;
    if !chaos.latency.is_zero() {
        tokio::time::sleep(chaos.latency).await;
    }
    match app.requests.act(chaos) {
        Act::Serve => {}
        Act::Drop => return crate::chaos::dropped(),
        Act::Refuse(status) => {
            let service = guess_service(request.uri().path());
            let (failure, what) = if status == StatusCode::TOO_MANY_REQUESTS {
                (Failure::Throttled, "throttled")
            } else {
                (Failure::Unavailable, "unavailable")
            };
            let err = ApiError::new(
                status,
                failure.code(service),
                format!("the service is {what}; retry later"),
            );
            return crate::chaos::retry_after(error_response(app, service, &err), chaos);
        }
    }
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    if path == crate::identity::PREFIX || path.starts_with(&format!("{}/", crate::identity::PREFIX)) {
        let bytes = match read_body(app, body).await {
            Ok(b) => b,
            Err(e) => return (e.status, e.message).into_response(),
        };
        return crate::identity::handle(
            app,
            parts.method.as_str(),
            &path,
            &parts.headers,
            &base_url(&parts.headers),
            &bytes,
        );
    }
    if path == "/v3" && matches!(parts.method, Method::GET | Method::HEAD) {
        // Cinder serves the v3 version document at `/v3/` only and sends `/v3` there.
        let location = format!("{}/v3/", base_url(&parts.headers));
        let headers = [
            (header::LOCATION, location),
            (header::CONTENT_TYPE, "text/plain; charset=utf8".to_string()),
        ];
        return (StatusCode::FOUND, headers).into_response();
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut service = guess_service(&path);
    // OpenAPI matches concrete paths before templated ones: `/volumes/detail` is its own
    // resource, not the volume `detail`. Only the templates with the most literal segments
    // among those that match are the resource.
    let matching: Vec<(&Route, HashMap<String, String>)> = server
        .routes
        .iter()
        .filter_map(|r| match_path(r, &path, &segments).map(|p| (r, p)))
        .collect();
    let literals = |r: &Route| r.literals();
    let most = matching.iter().map(|(r, _)| literals(r)).max();
    let resource: Vec<&(&Route, HashMap<String, String>)> = matching
        .iter()
        .filter(|(r, _)| Some(literals(r)) == most)
        .collect();
    if let Some((r, _)) = resource.first() {
        service = r.service;
    }
    let found = resource
        .iter()
        .find(|(r, _)| r.method == parts.method)
        .map(|(r, p)| (*r, p.clone()));
    let Some((route, params)) = found else {
        if resource.is_empty() {
            if service == Service::Evs {
                return unrouted();
            }
            let err = ApiError::not_found(
                Failure::NotFound.code(service),
                format!("no such resource: {path}"),
            );
            return error_response(app, service, &err);
        }
        // RFC 9110 §15.5.6: a 405 says which methods the resource has.
        let mut allowed: Vec<&str> = resource.iter().map(|(r, _)| r.method.as_str()).collect();
        allowed.sort_unstable();
        allowed.dedup();
        let err = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            Failure::Method.code(service),
            format!("{} is not allowed on {path}", parts.method),
        );
        let mut response = error_response(app, service, &err);
        let allowed = if app.config.faults.contains(&Fault::WrongAllowHeader) {
            vec![parts.method.as_str()]
        } else {
            allowed
        };
        if !app.config.faults.contains(&Fault::NoAllowHeader) {
            if let Ok(v) = HeaderValue::from_str(&allowed.join(", ")) {
                response.headers_mut().insert(header::ALLOW, v);
            }
        }
        return response;
    };
    // The Cinder v3 root and the version list read the microversion asked for, and say
    // what they answered at.
    let version = (route.root == "v3" || route.root.is_empty())
        .then(|| crate::microversion::requested(&parts.headers, Failure::Invalid.code(service)));
    let stamp = version
        .as_ref()
        .and_then(|v| crate::microversion::answered(v, &parts.headers));
    let mut response = serve(app, route, params, parts, body, service, version).await;
    if let Some(stamp) = stamp {
        crate::microversion::stamp(&mut response, &stamp);
    }
    response
}

/// Why a body could not be read: too large (400) or not in within `body_timeout` (408).
struct Unread {
    status: StatusCode,
    message: String,
}

/// Reads a request's body up to `max_body_bytes`; a body trickling in is not waited for
/// past `body_timeout`.
async fn read_body(app: &App, body: Body) -> Result<axum::body::Bytes, Unread> {
    let limits = app.config.connections;
    let read = tokio::time::timeout(
        limits.body_timeout,
        axum::body::to_bytes(body, app.config.max_body_bytes),
    );
    match read.await {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(_)) => Err(Unread {
            status: StatusCode::BAD_REQUEST,
            message: format!("request body larger than {} bytes", app.config.max_body_bytes),
        }),
        Err(_) => Err(Unread {
            status: StatusCode::REQUEST_TIMEOUT,
            message: format!(
                "the request body did not arrive within {} s",
                limits.body_timeout.as_secs()
            ),
        }),
    }
}

/// Runs one request on the route it matched: authentication, the project, the
/// microversion, the body and the query, then the handler.
async fn serve(
    app: &App,
    route: &Route,
    params: HashMap<String, String>,
    parts: axum::http::request::Parts,
    body: Body,
    service: Service,
    version: Option<Result<crate::microversion::Version, ApiError>>,
) -> Response {
    // The body is read first: an AK/SK signature covers it.
    let bytes = match read_body(app, body).await {
        Ok(b) => b,
        Err(e) => {
            let failure = if e.status == StatusCode::REQUEST_TIMEOUT {
                Failure::Timeout
            } else {
                Failure::Invalid
            };
            let err = ApiError::new(e.status, failure.code(service), e.message);
            return error_response(app, service, &err);
        }
    };
    let query: Vec<(String, String)> = parts.uri.query().map(url_pairs).unwrap_or_default();

    // Authentication: a token or an AK/SK signature names the tenant.
    let anyone = !route.needs_auth || app.config.faults.contains(&Fault::AuthNotEnforced);
    let tenant = match crate::auth::tenant(&app.config, &app.tokens, service, &parts, &query, &bytes) {
        Ok(Some(t)) => t,
        Ok(None) | Err(_) if anyone => app
            .config
            .tenants
            .first()
            .cloned()
            .unwrap_or_else(|| Tenant::without_token("")),
        Ok(None) => {
            let err = ApiError::new(
                StatusCode::UNAUTHORIZED,
                Failure::Auth.code(service),
                "no X-Auth-Token header and no AK/SK signature",
            );
            return error_response(app, service, &err);
        }
        Err(err) => return error_response(app, service, &err),
    };
    if let Some(project) = params.get("project_id") {
        if route.needs_auth
            && *project != tenant.project_id
            && !app.config.faults.contains(&Fault::TenantLeak)
        {
            // EVS: Cinder answers 400 "Malformed request url" (its wsgi layer compares the
            // URL's project with the token's), and A.1 names the code, EVS.0001. IMS: 403.
            let status = match service {
                Service::Evs => StatusCode::BAD_REQUEST,
                Service::Ims => StatusCode::FORBIDDEN,
            };
            let err = ApiError::new(
                status,
                Failure::ForeignProject.code(service),
                "the project in the URL is not the caller's (malformed request URL)",
            );
            return error_response(app, service, &err);
        }
    }
    if let Some(Err(err)) = version {
        return error_response(app, service, &err);
    }

    // The body: content type, JSON syntax, schema.
    let body = match check_body(app, route, service, &parts.headers, &bytes) {
        Ok(body) => body,
        Err(err) => return error_response(app, service, &err),
    };
    if let Err(err) = check_query(app, route, service, &query) {
        return error_response(app, service, &err);
    }

    let call = Call {
        app,
        tenant: &tenant,
        params,
        query,
        body,
        now: Instant::now(),
        base_url: base_url(&parts.headers),
        root: &route.root,
    };
    let result = (route.handler)(&route.operation_id, &call);
    match result {
        Ok(reply) => reply_response(app, route, reply),
        Err(err) => error_response(app, service, &err),
    }
}

fn json_response(app: &App, status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let ct = if app.config.faults.contains(&Fault::WrongContentType) {
        "text/plain"
    } else {
        "application/json"
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    response
}

fn error_response(app: &App, service: Service, err: &ApiError) -> Response {
    if err.status == StatusCode::NOT_FOUND && app.config.faults.contains(&Fault::UndocumentedErrorCode) {
        let undocumented = ApiError::new(err.status, "EVS.9999", err.message.clone());
        return json_response(app, err.status, undocumented.body(service).to_string());
    }
    json_response(app, err.status, err.body(service).to_string())
}

fn reply_response(app: &App, route: &Route, reply: Reply) -> Response {
    match reply {
        Reply::Json(status, body) => json_response(app, status, body.to_string()),
        Reply::Text(status, body) => json_response(app, status, body),
        Reply::Empty(status) => {
            let mut response = (status, Body::empty()).into_response();
            let typed = route.empty_media.iter().find(|(s, _)| *s == status.as_u16());
            if let Some(ct) = typed.and_then(|(_, ct)| HeaderValue::from_str(ct).ok()) {
                response.headers_mut().insert(header::CONTENT_TYPE, ct);
            } else if app.config.faults.contains(&Fault::EmptyBodyLabelledJson)
                && status != StatusCode::NO_CONTENT
            {
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            response
        }
    }
}
