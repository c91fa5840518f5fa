//! Spec-driven request handling: match the path against the spec, authenticate, check the
//! body against the operation's schema, then run the operation's handler.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use evs_ims_oracle::Spec;
use serde_json::Value;

use crate::chaos::Act;
use crate::error::{ApiError, Service};
use crate::faults::Fault;
use crate::state::{Limits, World};
use crate::{Config, Tenant};

const EVS_SPEC: &str = include_str!("../../spec/evs.yaml");
const IMS_SPEC: &str = include_str!("../../spec/ims.yaml");

/// What runs an operation, given its id.
pub(crate) type Handler = fn(&str, &Call) -> Result<Reply, ApiError>;

/// One operation of the spec, ready to match requests.
struct Route {
    service: Service,
    handler: Handler,
    method: Method,
    segments: Vec<Segment>,
    operation_id: String,
    /// The path's first segment (`v2`, `v3`, ...; empty for `/`): the API root it is under.
    root: String,
    needs_auth: bool,
    body_schema: Option<String>,
    body_required: bool,
    query: Vec<QueryParam>,
    /// Statuses whose empty body the spec types (`text/plain` of at most 0 characters
    /// beside JSON), with that media type: an empty reply is labelled with it.
    empty_media: Vec<(u16, String)>,
}

/// A query parameter the operation declares, checked before the handler runs.
struct QueryParam {
    name: String,
    required: bool,
    schema_pointer: Option<String>,
    /// The schema's `type`: how the text is read (`integer`, `boolean`, ...).
    kind: String,
    /// Described by `content: application/json`: the text is JSON.
    json: bool,
}

enum Segment {
    Literal(String),
    Param(String),
}

pub(crate) struct App {
    pub config: Config,
    routes: Vec<Route>,
    evs: Spec,
    ims: Spec,
    world: RwLock<World>,
    pub limits: Limits,
    requests: crate::chaos::Counter,
    /// Tokens the identity endpoint issued.
    pub tokens: crate::identity::Tokens,
}

/// What a handler sees of a request.
pub(crate) struct Call<'a> {
    pub app: &'a App,
    pub tenant: &'a Tenant,
    pub params: HashMap<String, String>,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    pub now: Instant,
    /// `http://` and the Host the client addressed, for the links answers carry.
    pub base_url: String,
    /// The API root the request came under (`v2`, `v3`): links point back under it.
    pub root: &'a str,
}

/// The base URL links point at: the Host header when it is a plain host\[:port\], else
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

impl Call<'_> {
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or_default()
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn fault(&self, fault: Fault) -> bool {
        self.app.config.faults.contains(&fault)
    }
}

/// A handler's answer.
pub(crate) enum Reply {
    Json(StatusCode, Value),
    /// JSON already written out: a typed body serialized once, with no `Value` built for it.
    Text(StatusCode, String),
    Empty(StatusCode),
}

impl App {
    pub fn new(config: Config) -> Result<App, String> {
        let evs = Spec::parse(EVS_SPEC, "spec/evs.yaml").map_err(|e| e.to_string())?;
        let ims = Spec::parse(IMS_SPEC, "spec/ims.yaml").map_err(|e| e.to_string())?;
        let mut routes = Vec::new();
        for (service, spec) in [(Service::Ims, &ims), (Service::Evs, &evs)] {
            let global_security = spec
                .raw()
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|s| !s.is_empty());
            for op in spec.operations() {
                let needs_auth = match op.value.get("security").and_then(Value::as_array) {
                    Some(list) => !list.is_empty(),
                    None => global_security,
                };
                let (body_schema, body_required) = match op.request_body(spec).map_err(|e| e.to_string())? {
                    Some((required, media)) => {
                        let json = media.iter().find(|m| m.content_type.contains("json"));
                        (json.and_then(|m| m.schema_pointer.clone()), required)
                    }
                    None => (None, false),
                };
                let mut query = Vec::new();
                for p in op.parameters(spec).map_err(|e| e.to_string())? {
                    if p.location != "query" {
                        continue;
                    }
                    let kind = p
                        .schema_pointer
                        .as_deref()
                        .and_then(|ptr| spec.raw().pointer(ptr))
                        .and_then(|s| spec.deref("", s).ok())
                        .and_then(|(_, s)| s.get("type").and_then(Value::as_str))
                        .unwrap_or("string")
                        .to_string();
                    query.push(QueryParam {
                        name: p.name.to_string(),
                        required: p.required,
                        schema_pointer: p.schema_pointer.clone(),
                        kind,
                        json: p.json,
                    });
                }
                let empty_media = op
                    .responses(spec)
                    .map_err(|e| e.to_string())?
                    .iter()
                    .filter_map(|r| Some((r.status.parse().ok()?, r.empty_alternative(spec)?.to_string())))
                    .collect();
                let id = op.display_name();
                let handler = match service {
                    Service::Evs => crate::evs::handler(&id),
                    Service::Ims => crate::ims::handler(&id),
                }
                .ok_or_else(|| format!("the spec's operation {id} has no handler in the emulator"))?;
                routes.push(Route {
                    handler,
                    query,
                    empty_media,
                    service,
                    method: op
                        .method
                        .to_uppercase()
                        .parse()
                        .map_err(|_| format!("bad method {}", op.method))?,
                    segments: op
                        .path
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .map(|s| match evs_ims_oas::template::segment_param(s) {
                            Some(name) => Segment::Param(name.to_string()),
                            None => Segment::Literal(s.to_string()),
                        })
                        .collect(),
                    operation_id: op.display_name(),
                    root: op
                        .path
                        .split('/')
                        .find(|s| !s.is_empty())
                        .unwrap_or_default()
                        .to_string(),
                    needs_auth,
                    body_schema,
                    body_required,
                });
            }
        }
        // More literal segments first: `/volumes/detail` before `/volumes/{volume_id}`.
        routes.sort_by_key(|r| {
            std::cmp::Reverse(
                r.segments
                    .iter()
                    .filter(|s| matches!(s, Segment::Literal(_)))
                    .count(),
            )
        });
        let max_volume_size = max_size(&evs).unwrap_or(32768);
        let limits = Limits {
            zones: vec!["az1.dc1", "az2.dc2"],
            max_volume_size,
            quota: config.quota,
        };
        Ok(App {
            config,
            routes,
            evs,
            ims,
            world: RwLock::new(World::default()),
            limits,
            requests: crate::chaos::Counter::default(),
            tokens: crate::identity::Tokens::default(),
        })
    }

    /// The world to read: reads run side by side.
    pub(crate) fn world(&self) -> RwLockReadGuard<'_, World> {
        // Poisoning is ignored: a handler that panicked fails its request, not the emulator.
        self.world.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The world to change: one request at a time, so none loses another's update.
    pub(crate) fn world_mut(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(|p| p.into_inner())
    }

    fn spec(&self, service: Service) -> &Spec {
        match service {
            Service::Evs => &self.evs,
            Service::Ims => &self.ims,
        }
    }
}

/// The largest volume size the spec allows at creation, for the boundary fault.
fn max_size(evs: &Spec) -> Option<i64> {
    let op = evs.operation("createVolume")?;
    let (_, media) = op.request_body(evs).ok()??;
    let mut schema = evs.raw().pointer(media.first()?.schema_pointer.as_ref()?)?;
    for key in ["volume", "size"] {
        let (_, resolved) = evs.deref("", schema).ok()?;
        schema = resolved.get("properties")?.get(key)?;
    }
    let (_, size) = evs.deref("", schema).ok()?;
    size.get("maximum")?.as_i64()
}

fn match_path(route: &Route, segments: &[&str]) -> Option<HashMap<String, String>> {
    if route.segments.len() != segments.len() {
        return None;
    }
    let mut params = HashMap::new();
    for (want, got) in route.segments.iter().zip(segments) {
        match want {
            Segment::Literal(l) if l == got => {}
            Segment::Literal(_) => return None,
            Segment::Param(name) => {
                let decoded = percent_decode(got);
                if decoded.is_empty() {
                    return None;
                }
                params.insert(name.clone(), decoded);
            }
        }
    }
    Some(params)
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn guess_service(path: &str) -> Service {
    if path.contains("cloudimages") || path.contains("/jobs/") {
        Service::Ims
    } else {
        Service::Evs
    }
}

pub(crate) async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let service = guess_service(request.uri().path());
    let mut response = answer(app, request).await;
    stamp_request_id(&mut response, service);
    response
}

/// Every answer names its request, as the real services do: Cinder in
/// `X-Openstack-Request-Id` and `x-compute-request-id` (`req-<uuid>`), IMS in
/// `X-Request-Id`. A caller quotes it when reporting a problem.
fn stamp_request_id(response: &mut Response, service: Service) {
    let id = format!("req-{}", crate::state::new_id());
    let Ok(value) = HeaderValue::from_str(&id) else {
        return;
    };
    let headers = response.headers_mut();
    match service {
        Service::Evs => {
            headers.insert("x-openstack-request-id", value.clone());
            headers.insert("x-compute-request-id", value);
        }
        Service::Ims => {
            headers.insert("x-request-id", value);
        }
    }
}

async fn answer(app: Arc<App>, request: Request) -> Response {
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
            let kind = if status == StatusCode::TOO_MANY_REQUESTS {
                "throttled"
            } else {
                "unavailable"
            };
            let err = ApiError::new(
                status,
                code(service, kind),
                format!("the service is {kind}; retry later"),
            );
            return crate::chaos::retry_after(error_response(&app, service, &err), chaos);
        }
    }
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    if path == crate::identity::PREFIX || path.starts_with(&format!("{}/", crate::identity::PREFIX)) {
        let limits = app.config.connections;
        let read = tokio::time::timeout(
            limits.body_timeout,
            axum::body::to_bytes(body, app.config.max_body_bytes),
        );
        let bytes = match read.await {
            Ok(Ok(b)) => b,
            _ => return (StatusCode::BAD_REQUEST, "request body unreadable").into_response(),
        };
        return crate::identity::handle(
            &app.config,
            &app.tokens,
            parts.method.as_str(),
            &path,
            &parts.headers,
            &bytes,
            Instant::now(),
        );
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut service = guess_service(&path);
    // OpenAPI matches concrete paths before templated ones: `/volumes/detail` is its own
    // resource, not the volume `detail`. Only the templates with the most literal segments
    // among those that match are the resource.
    let matching: Vec<(&Route, HashMap<String, String>)> = app
        .routes
        .iter()
        .filter_map(|r| match_path(r, &segments).map(|p| (r, p)))
        .collect();
    let literals = |r: &Route| {
        r.segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count()
    };
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
            let err = ApiError::not_found(code(service, "not_found"), format!("no such resource: {path}"));
            return error_response(&app, service, &err);
        }
        // RFC 9110 §15.5.6: a 405 says which methods the resource has.
        let mut allowed: Vec<&str> = resource.iter().map(|(r, _)| r.method.as_str()).collect();
        allowed.sort_unstable();
        allowed.dedup();
        let err = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            code(service, "method"),
            format!("{} is not allowed on {path}", parts.method),
        );
        let mut response = error_response(&app, service, &err);
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
    // The Cinder v3 root reads the microversion asked for, and says what it answered at.
    let version = (route.root == "v3")
        .then(|| crate::microversion::requested(&parts.headers, code(service, "invalid")));
    let settled = version.as_ref().map(|v| v.as_ref().ok().copied());
    let mut response = serve(&app, route, params, parts, body, service, version).await;
    if let Some(settled) = settled {
        crate::microversion::stamp(&mut response, settled);
    }
    response
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
    // A body trickling in is not waited for past `body_timeout`.
    let limits = app.config.connections;
    let read = tokio::time::timeout(
        limits.body_timeout,
        axum::body::to_bytes(body, app.config.max_body_bytes),
    );
    let bytes = match read.await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            let err = ApiError::bad_request(
                code(service, "invalid"),
                format!("request body larger than {} bytes", app.config.max_body_bytes),
            );
            return error_response(app, service, &err);
        }
        Err(_) => {
            let err = ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                code(service, "timeout"),
                format!(
                    "the request body did not arrive within {} s",
                    limits.body_timeout.as_secs()
                ),
            );
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
                code(service, "auth"),
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
            let err = ApiError::new(
                StatusCode::FORBIDDEN,
                code(service, "forbidden"),
                "the caller's project does not match the project in the URL",
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

fn check_body(
    app: &App,
    route: &Route,
    service: Service,
    headers: &axum::http::HeaderMap,
    bytes: &[u8],
) -> Result<Option<Value>, ApiError> {
    let invalid = |msg: String| ApiError::bad_request(code(service, "invalid"), msg);
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
fn check_query(
    app: &App,
    route: &Route,
    service: Service,
    query: &[(String, String)],
) -> Result<(), ApiError> {
    let invalid = |msg: String| ApiError::bad_request(code(service, "invalid"), msg);
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

fn url_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The vendor code for a generic failure of each kind.
pub(crate) fn code(service: Service, kind: &str) -> &'static str {
    match (service, kind) {
        (Service::Ims, "auth") => "IMG.0003",
        (Service::Ims, "forbidden") => "IMG.0004",
        (Service::Ims, "not_found") => "IMG.0006",
        (Service::Ims, _) => "IMG.0001",
        (Service::Evs, "auth") => "EVS.0003",
        (Service::Evs, "forbidden") => "EVS.1026",
        (Service::Evs, "not_found") => "EVS.5404",
        (Service::Evs, "method") => "EVS.5405",
        // A.1's EVS.5xxx family wraps the HTTP status.
        (Service::Evs, "throttled") => "EVS.5429",
        (Service::Evs, "timeout") => "EVS.5408",
        (Service::Evs, "unavailable") => "EVS.5503",
        (Service::Evs, _) => "EVS.5400",
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
