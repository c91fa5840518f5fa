//! Resources, for any spec: which operation produces the value a path parameter takes,
//! which resources the run created, and deleting them again (each delete judged: the
//! resource must read as 404 afterwards).
//!
//! A path parameter `{p}` in `/a/b/{p}` is produced by `POST /a/b` (when mutations are
//! allowed), read from its answer: an OpenAPI `link` naming `p`, else a field `p`, else an
//! `id` (at the top or in the one object wrapping the resource), else the last segment of
//! `Location`. A read-only run takes the first item `GET /a/b` lists. `--param p=VALUE`
//! overrides all of these.

use std::time::Instant;

use serde_json::Value;
use specwright_oracle::{Operation, Spec};

use crate::checks::{Check, Finding, Intent};
use crate::context::{Context, lock};
use crate::exchange::{Case, Request, Response, encode};
use crate::fuzz::Plan;
use crate::ledger::Created;
use crate::params::{Location, Param};
use crate::wait::{self, Outcome, Transitional, Want};

/// Path parameters that name the credential's project.
const TENANT_PARAMS: [&str; 2] = ["project_id", "tenant_id"];

/// Where a known parameter value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `--param`.
    User,
    /// The credential's project.
    Tenant,
    /// A resource made or found for exactly this path.
    Resource,
    /// A value found under the same name elsewhere: a guess, which may not exist here.
    SameName,
}

/// The value the run knows for a parameter, and where it came from.
pub fn known_value(ctx: &Context, template: &str, param: &Param) -> Option<(String, Source)> {
    if let Some(v) = ctx.settings.params.get(&param.name) {
        return Some((v.clone(), Source::User));
    }
    if param.location != Location::Path {
        return None;
    }
    if TENANT_PARAMS.contains(&param.name.as_str()) && !ctx.target.project_id.is_empty() {
        return Some((ctx.target.project_id.clone(), Source::Tenant));
    }
    let pool = lock(&ctx.ledger.pool);
    if let Some(v) = prefix(template, &param.name).and_then(|p| pool.by_prefix.get(p)) {
        return Some((v.clone(), Source::Resource));
    }
    // A value found under the same name elsewhere, only where it is of the parameter's
    // type: an integer `{id}` is not filled with another collection's string id.
    let numeric = matches!(
        param.schema.get("type").and_then(Value::as_str),
        Some("integer" | "number")
    );
    pool.by_name
        .get(&param.name)
        .filter(|v| !numeric || v.parse::<f64>().is_ok())
        .map(|v| (v.clone(), Source::SameName))
}

/// `/a/{x}/b/{p}/c` → `/a/{x}/b/{p}`.
pub fn prefix<'t>(template: &'t str, name: &str) -> Option<&'t str> {
    let marker = format!("{{{name}}}");
    let at = template.find(&marker)?;
    Some(&template[..at + marker.len()])
}

/// Fills the path parameters no one gave a value for, producing or discovering a
/// resource for each, shallow ones first.
pub fn fill(ctx: &Context) {
    let mut tried = std::collections::BTreeSet::new();
    for _round in 0..3 {
        let mut progress = false;
        for spec in &ctx.specs {
            let mut wanted: Vec<(String, String)> = Vec::new();
            // Only what the selected operations need: a v3 run makes no v2 resource.
            for op in spec.operations() {
                if !ctx.selected(&op.display_name()) {
                    continue;
                }
                for p in crate::params::params_of(spec, &op) {
                    if p.location == Location::Path && known_value(ctx, op.path, &p).is_none() {
                        if let Some(pre) = prefix(op.path, &p.name) {
                            let item = (pre.to_string(), p.name.clone());
                            if !wanted.contains(&item) {
                                wanted.push(item);
                            }
                        }
                    }
                }
            }
            wanted.sort_by_key(|(pre, _)| pre.matches('/').count());
            for (pre, name) in wanted {
                if ctx.stopped() {
                    return;
                }
                // Each is tried once: a create that failed is reported once, not per round.
                if lock(&ctx.ledger.pool).by_prefix.contains_key(&pre) || !tried.insert(pre.clone()) {
                    continue;
                }
                let collection = pre.trim_end_matches(&format!("/{{{name}}}")).to_string();
                let value = produce(ctx, spec, &collection, &pre, &name)
                    .or_else(|| discover(ctx, spec, &collection, &name));
                if let Some(v) = value {
                    lock(&ctx.ledger.pool).insert(&pre, &name, &v);
                    progress = true;
                }
            }
        }
        if !progress {
            break;
        }
    }
}

fn fill_path(ctx: &Context, spec: &Spec, op: &Operation) -> Option<String> {
    let plan = Plan::new(ctx, spec, op.clone());
    let inputs = plan.plain()?;
    plan.known_path.then(|| plan.request(&inputs).path)
}

/// Creates one resource in `collection` and waits for it to settle; its id.
fn produce(ctx: &Context, spec: &Spec, collection: &str, item: &str, name: &str) -> Option<String> {
    made(ctx, spec, collection, item, name).map(|(_, id)| id)
}

/// A resource of its own for a step that changes it: made in the collection of the item
/// template `item` (`/a/{x}/b/{p}` is made by `POST /a/{x}/b`), settled, and deleted at
/// cleanup; its path and id.
pub fn fresh(ctx: &Context, spec: &Spec, item: &str) -> Option<(String, String)> {
    let (collection, last) = item.rsplit_once('/')?;
    let name = last.strip_prefix('{')?.strip_suffix('}')?;
    made(ctx, spec, collection, item, name)
}

/// The item template one parameter below a collection path (`.../volumes/{volume_id}` below
/// `.../volumes`), read or deleted there, with its parameter's name: where a `POST` to the
/// collection creates.
pub fn item_below(spec: &Spec, collection: &str) -> Option<(String, String)> {
    spec.operations().into_iter().find_map(|o| {
        let rest = o.path.strip_prefix(collection)?;
        let name = rest.strip_prefix("/{")?.strip_suffix('}')?;
        (!name.contains('/') && matches!(o.method, "get" | "delete"))
            .then(|| (o.path.to_string(), name.to_string()))
    })
}

/// The item template an operation's path lies at or below: the longest `GET` template
/// ending in a parameter that is the path or a prefix of it (`.../volumes/{volume_id}` for
/// `.../volumes/{volume_id}/action`).
pub fn item_of(spec: &Spec, path: &str) -> Option<String> {
    spec.operations()
        .into_iter()
        .filter(|o| o.method == "get" && o.path.ends_with('}'))
        .filter(|o| o.path == path || path.starts_with(&format!("{}/", o.path)))
        .map(|o| o.path.to_string())
        .max_by_key(String::len)
}

/// The schemas a JSON request body of the operation may match, each with its pointer: the
/// body's schema, then each of its `oneOf`/`anyOf` members (references followed).
pub fn body_schemas<'s>(spec: &'s Spec, op: &Operation) -> Vec<(String, &'s Value)> {
    let pointer = op.request_body(spec).ok().flatten().and_then(|(_, media)| {
        media
            .iter()
            .find(|m| specwright_oas::media::is_json(m.content_type))?
            .schema_pointer
            .clone()
    });
    let Some(Ok((at, schema))) = pointer.and_then(|p| spec.raw().pointer(&p).map(|s| spec.deref(&p, s)))
    else {
        return Vec::new();
    };
    let mut out = vec![(at.clone(), schema)];
    for key in ["oneOf", "anyOf"] {
        for (i, member) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Ok(resolved) = spec.deref(&format!("{at}/{key}/{i}"), member) {
                out.push(resolved);
            }
        }
    }
    out
}

fn made(ctx: &Context, spec: &Spec, collection: &str, item: &str, name: &str) -> Option<(String, String)> {
    if !ctx.settings.allow_mutations {
        return None;
    }
    let op = spec
        .operations()
        .into_iter()
        .find(|o| o.method == "post" && o.path == collection)?;
    fill_path(ctx, spec, &op)?;
    let plan = Plan::new(ctx, spec, op.clone());
    // Into what the run owns only: not a child of a bucket it merely found in a list.
    if plan.unsafe_write().is_some() {
        return None;
    }
    let mut attempts = vec![("produce", plan.plain()?)];
    attempts.extend(plan.examples().into_iter().map(|(_, i)| ("produce (example)", i)));
    for (label, inputs) in attempts {
        let case = plan.case(label, &inputs);
        let response = ctx.exchange(spec, &op, &case, Intent::Positive { must_succeed: false })?;
        if !(200..300).contains(&response.status) {
            continue;
        }
        let Some(id) = created_id(spec, &op, &response, name) else {
            unfound(ctx, &case.request);
            return None;
        };
        let path = format!("{}/{}", case.request.path, encode(&id));
        note(ctx, item, &path, &id);
        settle(ctx, item, &path, &id);
        return Some((path, id));
    }
    None
}

/// The first item an existing list shows.
fn discover(ctx: &Context, spec: &Spec, collection: &str, name: &str) -> Option<String> {
    let op = spec
        .operations()
        .into_iter()
        .find(|o| o.method == "get" && o.path == collection)?;
    let plan = Plan::new(ctx, spec, op.clone());
    let inputs = plan.plain()?;
    if !plan.known_path {
        return None;
    }
    let case = plan.case("discover", &inputs);
    let response = ctx.exchange(spec, &op, &case, Intent::Positive { must_succeed: false })?;
    let first = crate::lists::page::items(response.body.as_ref()?)?
        .first()?
        .clone();
    id_in(spec.raw(), None, &first, name)
}

/// The id of a resource a create answered with: an OpenAPI link, else a field the
/// documented response declares (named like the parameter, or `id`, at the top or in the
/// one object wrapping the resource), else the last segment of `Location`. A value inside
/// a map of the caller's own data (`metadata`, `tags`) is never taken for an id: a
/// metadata key named `id` is no resource.
pub fn created_id(spec: &Spec, op: &Operation, response: &Response, name: &str) -> Option<String> {
    if let Some(v) = linked(spec, op, response, name) {
        return Some(v);
    }
    if let Some(body) = &response.body {
        let schema = documented_schema(spec, op, response.status);
        if let Some(v) = id_in(spec.raw(), schema.as_ref(), body, name) {
            return Some(v);
        }
    }
    let location = response.header("location")?;
    let last = location
        .split('?')
        .next()?
        .trim_end_matches('/')
        .rsplit('/')
        .next()?;
    (!last.is_empty()).then(|| last.to_string())
}

/// The JSON schema the operation documents for this status, if any.
fn documented_schema(spec: &Spec, op: &Operation, status: u16) -> Option<Value> {
    let responses = op.responses(spec).ok()?;
    let exact = status.to_string();
    let documented = responses
        .iter()
        .find(|r| r.status == exact)
        .or_else(|| responses.iter().find(|r| r.status.eq_ignore_ascii_case("2XX")))?;
    let pointer = documented
        .content
        .iter()
        .find(|m| specwright_oas::media::is_json(m.content_type))?
        .schema_pointer
        .as_deref()?;
    spec.raw().pointer(pointer).cloned()
}

/// A field named like the parameter, or `id`, at the top or in the one object wrapping
/// the resource; where the response has a schema, only fields it declares.
fn id_in(doc: &Value, schema: Option<&Value>, value: &Value, name: &str) -> Option<String> {
    let scalar = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    // A field the schema declares, or one an open object with declared fields may hold
    // (Kinto's `data`); never a key of a map of the caller's own (`metadata`: no declared
    // fields, only `additionalProperties`).
    let declared = |schema: Option<&Value>, key: &str| {
        schema.is_none_or(|s| {
            let s = specwright_oas::schema::flattened(doc, s);
            let props = s.get("properties").and_then(Value::as_object);
            props.is_some_and(|p| p.contains_key(key))
                || (props.is_some_and(|p| !p.is_empty())
                    && s.get("additionalProperties") != Some(&Value::Bool(false)))
        })
    };
    // The parameter's name, its last word (`pool_name` is a pool's `name`, `variable_key`
    // a variable's `key`, `petId` a pet's `id`), then `id`.
    let last = last_word(name);
    let here = |v: &Value, schema: Option<&Value>| {
        [name, last.as_str(), "id"]
            .into_iter()
            .find_map(|key| v.get(key).filter(|_| declared(schema, key)).and_then(scalar))
    };
    // At the top, else in the object wrapping the resource: the one object member, or of
    // several (`{"data": {...}, "permissions": {...}}`) the first that holds an id.
    here(value, schema).or_else(|| {
        let map = value.as_object()?;
        map.iter().filter(|(_, v)| v.is_object()).find_map(|(key, one)| {
            let inner = match schema {
                None => None,
                Some(s) => Some(
                    specwright_oas::schema::flattened(doc, s)
                        .get("properties")?
                        .get(key.as_str())?
                        .clone(),
                ),
            };
            here(one, inner.as_ref())
        })
    })
}

/// Whether a path parameter is a name the caller gives (`role_name`, `variable_key`), not
/// an id the server makes up: only then is a create's body where its value is.
fn names_itself(parameter: &str) -> bool {
    matches!(last_word(parameter).as_str(), "name" | "key" | "slug" | "code")
}

/// The last word of a snake_case, kebab-case or camelCase name, in lower case.
fn last_word(name: &str) -> String {
    let snake = name.rsplit(['_', '-']).next().unwrap_or(name);
    let camel = snake
        .char_indices()
        .rfind(|(i, c)| *i > 0 && c.is_ascii_uppercase())
        .map_or(snake, |(i, _)| &snake[i..]);
    camel.to_ascii_lowercase()
}

/// An OpenAPI link of the documented response that sets the parameter.
fn linked(spec: &Spec, op: &Operation, response: &Response, name: &str) -> Option<String> {
    let documented = op
        .responses(spec)
        .ok()?
        .into_iter()
        .find(|r| r.status == response.status.to_string())?;
    let links = documented.value.get("links")?.as_object()?;
    for link in links.values() {
        let link = crate::generate::resolve(spec.raw(), link);
        let Some(expr) = link
            .get("parameters")
            .and_then(|p| p.get(name))
            .and_then(Value::as_str)
        else {
            continue;
        };
        if let Some(pointer) = expr.strip_prefix("$response.body#") {
            let v = response.body.as_ref()?.pointer(pointer)?;
            return Some(crate::params::text(v));
        }
        if let Some(header) = expr.strip_prefix("$response.header.") {
            return response.header(header).map(str::to_string);
        }
    }
    None
}

fn note(ctx: &Context, template: &str, path: &str, id: &str) {
    let mut created = lock(&ctx.ledger.created);
    if !created.iter().any(|c| c.path == path) {
        created.push(Created {
            template: template.to_string(),
            path: path.to_string(),
            id: id.to_string(),
        });
    }
}

/// What a request the run sent did to resources: a status it holds one in
/// ([`crate::holds`]), and the resource it created, remembered so that cleanup deletes it;
/// returns the created resource's path.
pub fn observe(
    ctx: &Context,
    spec: &Spec,
    op: &Operation,
    request: &Request,
    response: &Response,
) -> Option<String> {
    crate::holds::observe(ctx, spec, op, request, response);
    crate::timestamps::observe(ctx, op, request, response);
    note_created(ctx, spec, op, request, response)
}

/// Remembers a resource a create answered with; returns its path.
fn note_created(
    ctx: &Context,
    spec: &Spec,
    op: &Operation,
    request: &Request,
    response: &Response,
) -> Option<String> {
    if op.method != "post" || !(200..300).contains(&response.status) {
        return None;
    }
    let (item, name) = item_below(spec, op.path)?;
    // Where the answer names no id, a resource the caller named (an Airflow role or pool,
    // created by `{"name": ...}`) is known by the name it was sent with.
    let sent = || {
        let body: Value = serde_json::from_str(request.body.as_deref()?).ok()?;
        id_in(spec.raw(), None, &body, &name)
    };
    let Some(id) = created_id(spec, op, response, &name).or_else(|| sent().filter(|_| names_itself(&name)))
    else {
        // Only a documented success is taken for a create (noauth's 204 handshake is not).
        let documented = op
            .responses(spec)
            .unwrap_or_default()
            .iter()
            .any(|r| r.status == response.status.to_string());
        if documented {
            unfound(ctx, request);
        }
        return None;
    };
    let path = format!("{}/{}", request.path, encode(&id));
    note(ctx, &item, &path, &id);
    Some(path)
}

/// A create was accepted and its answer names no id (no link, no declared field, no
/// `Location`): the resource cannot be deleted again, and the report says so, unless it
/// lies below a resource the run made and goes with it.
fn unfound(ctx: &Context, request: &Request) {
    // Below a resource the run made (metadata keys of its own volume), it goes with that.
    let below_own = lock(&ctx.ledger.created).iter().any(|c| {
        let key = crate::ledger::resource_key(&c.path);
        request.path.contains(&format!("/{key}/"))
    });
    if below_own {
        return;
    }
    let target = format!("{} {}", request.method.to_ascii_uppercase(), request.path);
    ctx.report().left_unfound(&target);
}

/// Waits until a resource leaves its transitional statuses (a read is needed).
pub fn settle(ctx: &Context, template: &str, path: &str, _id: &str) -> Outcome {
    let Some((spec, op)) = ctx.find("get", template) else {
        return Outcome::Unreadable("no read operation".into());
    };
    let transitional = Transitional::of(ctx, template).held(ctx, path);
    let case = Case::new(op.display_name(), "wait", Request::new("get", path.to_string()));
    let outcome = wait::until(ctx, template, &transitional, Want::Settled, || {
        match ctx.exchange(spec, &op, &case, Intent::Positive { must_succeed: false }) {
            Some(r) => wait::status_of(&r),
            None => wait::Seen::Unreadable("no answer".into()),
        }
    });
    if let Outcome::TimedOut(_) = &outcome {
        let f = Finding::fail(
            Check::StateTransition,
            "a status that is not transitional within the settle time",
            outcome.describe(),
        );
        ctx.record(std::slice::from_ref(&f), &case);
    }
    outcome
}

/// A resource resting in a status it leaves only when asked (`x-leave-status`: a reserved
/// or attached volume) is asked, and waited for, before its delete.
fn leave_status(ctx: &Context, created: &Created, status: &str) {
    let transitional = Transitional::of(ctx, &created.template);
    let Some(body) = transitional.leave.get(status) else {
        return;
    };
    let operation = ctx.specs.iter().find_map(|spec| {
        spec.operations().into_iter().find_map(|op| {
            let rest = op.path.strip_prefix(created.template.as_str())?;
            if op.method != "post" || rest.contains('{') || !(rest.is_empty() || rest.starts_with('/')) {
                return None;
            }
            let (_, media) = op.request_body(spec).ok()??;
            let pointer = media
                .iter()
                .find(|m| specwright_oas::media::is_json(m.content_type))?
                .schema_pointer
                .clone()?;
            let accepts = spec.validate(&pointer, body).is_ok_and(|v| v.is_empty());
            accepts.then(|| (spec, op.clone(), format!("{}{rest}", created.path)))
        })
    });
    let Some((spec, op, path)) = operation else {
        ctx.report().warnings.push(format!(
            "{}: resting in {status}; no operation accepts the x-leave-status body {body}",
            created.path
        ));
        return;
    };
    let case = Case::new(
        op.display_name(),
        format!("cleanup: leave {status}"),
        Request::new("post", path).json(body),
    );
    if let Some(r) = ctx.exchange(spec, &op, &case, Intent::Positive { must_succeed: false }) {
        crate::holds::observe(ctx, spec, &op, &case.request, &r);
    }
    settle(ctx, &created.template, &created.path, &created.id);
}

/// What a delete request got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sent {
    /// 404: it was gone already.
    Gone,
    /// A 2xx, answered then: it goes, now or in a while.
    Accepted(Instant),
    /// Anything else (a resource still in use, no answer): it stays.
    Refused,
}

/// Sends the delete of one created resource, judged like any case.
fn send_delete(ctx: &Context, created: &Created, scenario: &str) -> Sent {
    let Some((spec, op)) = ctx.find("delete", &created.template) else {
        return Sent::Refused;
    };
    let case = Case::new(
        op.display_name(),
        scenario,
        Request::new("delete", created.path.clone()),
    );
    match ctx.exchange(spec, &op, &case, Intent::Positive { must_succeed: false }) {
        Some(r) if r.status == 404 => Sent::Gone,
        Some(r) if (200..300).contains(&r.status) => Sent::Accepted(r.received_at()),
        _ => Sent::Refused,
    }
}

/// Judges that a resource whose delete was accepted at `since` reads as 404 afterwards
/// (waiting while it is in a transitional status such as `deleting`, the settle time from
/// `since`); `false` if it is still there.
fn judge_gone(ctx: &Context, created: &Created, scenario: &str, since: Instant) -> bool {
    let Some((read_spec, read_op)) = ctx.find("get", &created.template) else {
        return true;
    };
    let transitional = Transitional::of(ctx, &created.template).held(ctx, &created.path);
    let absent = std::cell::OnceCell::new();
    let read = Case::new(
        read_op.display_name(),
        format!("{scenario}: read after delete"),
        Request::new("get", created.path.clone()),
    );
    let outcome = wait::until_from(
        ctx,
        &created.template,
        &transitional,
        Want::Gone,
        since,
        || match ctx.send(&read) {
            Some(r) => {
                if r.status != 404 {
                    let findings = crate::judge::judge(
                        read_spec,
                        &read_op,
                        &read.request,
                        &r,
                        Intent::Positive { must_succeed: false },
                    );
                    ctx.record(&findings, &read);
                }
                // A server that answers a missing resource with another 4xx (403, as Kinto
                // does for buckets) answers a deleted one the same: that is gone too.
                let never_there = || {
                    let (parent, _) = created.path.rsplit_once('/')?;
                    let probe = Case::new(read_op.display_name(), "an id nothing has", {
                        Request::new("get", format!("{parent}/{}", crate::fuzz::ABSENT_ID))
                    });
                    ctx.send(&probe).map(|a| a.status)
                };
                if matches!(r.status, 403 | 410) && *absent.get_or_init(never_there) == Some(r.status) {
                    wait::Seen::Gone
                } else {
                    wait::status_of(&r)
                }
            }
            None => wait::Seen::Unreadable("no answer".into()),
        },
    );
    let gone = outcome == Outcome::Gone;
    let f = Finding::check(
        Check::UseAfterDelete,
        gone,
        "404 (or what an id nothing has gets) after the delete",
        outcome.describe(),
    );
    ctx.record(std::slice::from_ref(&f), &read);
    gone
}

/// Deletes one created resource and judges that it is gone afterwards; `false` if it
/// is still there.
fn delete(ctx: &Context, created: &Created, scenario: &str) -> bool {
    match send_delete(ctx, created, scenario) {
        Sent::Gone => true,
        Sent::Refused => false,
        Sent::Accepted(since) => judge_gone(ctx, created, scenario, since),
    }
}

/// Deletes what the run created, newest first (a snapshot before its volume), each
/// once it has settled. The deletes go out one after the other without waiting for each
/// resource to go; then each is judged gone. A delete refused while others were still
/// going (a volume whose snapshot is still `deleting`) is sent again once they are gone.
pub fn cleanup(ctx: &Context) {
    let created: Vec<Created> = lock(&ctx.ledger.created).clone();
    let mut leftovers = Vec::new();
    let (mut accepted, mut refused) = (Vec::new(), Vec::new());
    for c in created.iter().rev() {
        if ctx.find("delete", &c.template).is_none() {
            // The spec offers no way to delete it: it stays, and the report says so.
            leftovers.push(format!("{} (the spec has no delete for it)", c.path));
            continue;
        }
        let outcome = settle(ctx, &c.template, &c.path, &c.id);
        if outcome == Outcome::Gone {
            continue;
        }
        // A status that did not end by itself (Cinder can leave a volume `attaching` after
        // concurrent actions) is left the way the spec says too, if it says one.
        if let Outcome::Reached(status) | Outcome::Stuck(status) | Outcome::TimedOut(status) = &outcome {
            leave_status(ctx, c, status);
        }
        match send_delete(ctx, c, "cleanup") {
            Sent::Gone => {}
            Sent::Accepted(since) => accepted.push((c, outcome, since)),
            Sent::Refused => refused.push((c, outcome)),
        }
    }
    for (c, outcome, since) in &accepted {
        if !judge_gone(ctx, c, "cleanup", *since) {
            leftovers.push(format!("{} ({})", c.path, outcome.describe()));
        }
    }
    for (c, outcome) in &refused {
        if !delete(ctx, c, "cleanup") {
            leftovers.push(format!("{} ({})", c.path, outcome.describe()));
        }
    }
    ctx.report().leftovers = leftovers;
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// A metadata key named `id` or `key` is the caller's data, not a created resource.
    #[test]
    fn ids_are_read_only_from_declared_fields() {
        let doc = json!({});
        let metadata = json!({"type": "object", "properties": {"metadata": {
            "type": "object", "additionalProperties": {"type": "string"}}}});
        let body = json!({"metadata": {"key": "v", "id": "w"}});
        assert_eq!(super::id_in(&doc, Some(&metadata), &body, "key"), None);
        let volume = json!({"type": "object", "properties": {"volume": {
            "type": "object", "properties": {"id": {"type": "string"}}}}});
        let body = json!({"volume": {"id": "v1", "name": "n"}});
        assert_eq!(
            super::id_in(&doc, Some(&volume), &body, "volume_id").as_deref(),
            Some("v1")
        );
        // An Airflow pool is named by `pool_name` in its path and `name` in its answer.
        let pool = json!({"type": "object", "properties": {"name": {"type": "string"},
            "slots": {"type": "integer"}}});
        let made = json!({"name": "p1", "slots": 3});
        assert_eq!(
            super::id_in(&doc, Some(&pool), &made, "pool_name").as_deref(),
            Some("p1")
        );
        assert_eq!(super::last_word("variable_key"), "key");
        assert_eq!(super::last_word("petId"), "id");
        assert_eq!(super::last_word("id"), "id");
        // Without a documented schema, the usual places.
        assert_eq!(
            super::id_in(&doc, None, &body, "volume_id").as_deref(),
            Some("v1")
        );
    }
}
