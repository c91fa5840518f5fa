//! The route table built from the specs: each operation's method, path template, root,
//! whether it needs a credential, its body schema and query parameters, and its handler.

use std::collections::HashMap;

use axum::http::Method;
use serde_json::Value;

use crate::app::App;
use crate::call::Handler;
use crate::error::Service;

/// One operation of the spec, ready to match requests.
pub(crate) struct Route {
    pub service: Service,
    pub handler: Handler,
    pub method: Method,
    pub segments: Vec<Segment>,
    /// The template ends in `/` (`/v3/`): only a path that does too is this route.
    pub trailing_slash: bool,
    pub operation_id: String,
    /// The path's first segment (`v2`, `v3`, ...; empty for `/`): the API root it is under.
    pub root: String,
    pub needs_auth: bool,
    pub body_schema: Option<String>,
    pub body_required: bool,
    pub query: Vec<QueryParam>,
    /// Statuses whose empty body the spec types (`text/plain` of at most 0 characters
    /// beside JSON), with that media type: an empty reply is labelled with it.
    pub empty_media: Vec<(u16, String)>,
}

/// A query parameter the operation declares, checked before the handler runs.
pub(crate) struct QueryParam {
    pub name: String,
    pub required: bool,
    pub schema_pointer: Option<String>,
    /// The schema's `type`: how the text is read (`integer`, `boolean`, ...).
    pub kind: String,
    /// Described by `content: application/json`: the text is JSON.
    pub json: bool,
}

pub(crate) enum Segment {
    Literal(String),
    Param(String),
}

impl Route {
    /// How many of its path's segments are literal.
    pub fn literals(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count()
    }
}

/// The route table: one [`Route`] per operation of both specs, each with its handler,
/// the templates with the most literal segments first (`/volumes/detail` before
/// `/volumes/{volume_id}`).
pub(crate) fn table(app: &App) -> Result<Vec<Route>, String> {
    let (evs, ims) = (app.spec(Service::Evs), app.spec(Service::Ims));
    let mut routes = Vec::new();
    for (service, spec) in [(Service::Ims, ims), (Service::Evs, evs)] {
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
                    .map(|s| match specwright_oas::template::segment_param(s) {
                        Some(name) => Segment::Param(name.to_string()),
                        None => Segment::Literal(s.to_string()),
                    })
                    .collect(),
                trailing_slash: op.path.len() > 1 && op.path.ends_with('/'),
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
    routes.sort_by_key(|r| std::cmp::Reverse(r.literals()));
    Ok(routes)
}

/// The path parameters of `segments` if they fit the route's template.
/// `path` is matched exactly: a trailing `/` (or an empty segment) only where the template
/// has one, as Cinder's router does (`/volumes/` is not `/volumes`).
pub(crate) fn match_path(route: &Route, path: &str, segments: &[&str]) -> Option<HashMap<String, String>> {
    let trailing = path.len() > 1 && path.ends_with('/');
    if route.segments.len() != segments.len() || route.trailing_slash != trailing || path.contains("//") {
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
