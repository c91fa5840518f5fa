//! What an action promises to do, for any spec: a request body schema (or the `oneOf`
//! member a body matches) with `x-reads-back` names, for pointers into the resource's
//! read, the pointer into the request whose value they show afterwards
//! (`/volume/bootable: /os-set_bootable/bootable`). And what it refuses for the state it
//! finds: a property with `x-exceeds` (`new_size`: `/volume/size`) must be larger than the
//! resource's current value there, so the current value itself gets a 4xx (`state-rules`).
//!
//! Each such action is sent to a resource of the run's own, made for it, so that no other
//! case races the read-back; once the resource settles, it is read and each pointer
//! compared (by value, or by text where a server shows a flag as `"true"`). An action the
//! server refuses for the state it finds is not judged here.

use serde_json::Value;
use specwright_oas::pointer;
use specwright_oas::schema::Trail;
use specwright_oracle::{Operation, Spec};

use crate::checks::{Check, Finding, Intent};
use crate::context::Context;
use crate::exchange::{Case, Request};

/// A body schema with `x-reads-back`: its pointer, and the pairs (read, request); and its
/// properties with `x-exceeds`, as pairs (request, read).
struct Promise {
    schema_pointer: String,
    pairs: Vec<(String, String)>,
    exceeds: Vec<(String, String)>,
}

/// Sends every action with `x-reads-back` the run selected, each on a fresh resource.
pub fn check(ctx: &Context) {
    if !ctx.settings.allow_mutations || !(ctx.enabled(Check::ActionEffect) || ctx.enabled(Check::StateRules))
    {
        return;
    }
    for spec in &ctx.specs {
        for op in spec.operations() {
            if ctx.stopped() {
                return;
            }
            if op.method != "post" || !ctx.selected(&op.display_name()) {
                continue;
            }
            let promises = promises(spec, &op);
            if promises.is_empty() {
                continue;
            }
            let Some(item) = crate::resources::item_of(spec, op.path).filter(|i| i != op.path) else {
                continue;
            };
            let rest = &op.path[item.len()..];
            if rest.contains('{') {
                continue;
            }
            let Some((path, id)) = crate::resources::fresh(ctx, spec, &item) else {
                ctx.report().skip(
                    &op.display_name(),
                    "action-effect: no resource of its own could be made",
                );
                continue;
            };
            for promise in &promises {
                let Some(body) = body_for(spec, &op, promise) else {
                    continue;
                };
                for (sent_at, read_at) in &promise.exceeds {
                    not_exceeding(ctx, spec, &op, &item, &path, rest, &body, (sent_at, read_at));
                }
                if !promise.pairs.is_empty() {
                    send_and_read(ctx, spec, &op, &item, (&path, &id), rest, promise, &body);
                }
            }
        }
    }
}

/// The `x-reads-back` promises of the operation's JSON body: its schema, or its members.
fn promises(spec: &Spec, op: &Operation) -> Vec<Promise> {
    let candidates = crate::resources::body_schemas(spec, op);
    candidates
        .into_iter()
        .filter_map(|(at, s)| {
            let pairs: Vec<(String, String)> = s
                .get("x-reads-back")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(read, sent)| Some((read.clone(), sent.as_str()?.to_string())))
                .collect();
            let mut exceeds = Vec::new();
            exceeding(spec.raw(), s, "", &mut exceeds, &Trail::default());
            (!pairs.is_empty() || !exceeds.is_empty()).then_some(Promise {
                schema_pointer: at,
                pairs,
                exceeds,
            })
        })
        .collect()
}

/// How many properties deep a body is searched for `x-exceeds`: a budget of where such a
/// promise is looked for (each level multiplies the paths), not a bound against cycles,
/// which the trail keeps.
const PROMISE_DEPTH: usize = 4;

/// The properties under `schema` with `x-exceeds`: (pointer into the body, into the read).
/// Walked through the schema reader's trail: none inside itself, [`PROMISE_DEPTH`] deep.
fn exceeding(doc: &Value, schema: &Value, at: &str, out: &mut Vec<(String, String)>, trail: &Trail) {
    if trail.depth() > PROMISE_DEPTH {
        return;
    }
    let Some((view, inside)) = trail.enter(doc, schema, "") else {
        return;
    };
    let stated = view.merged.iter().rev();
    if let Some(read) = stated.filter_map(|s| s.schema.get("x-exceeds")?.as_str()).next() {
        out.push((at.to_string(), read.to_string()));
    }
    for property in &view.properties {
        exceeding(
            doc,
            property.schema,
            &pointer::join(at, property.name),
            out,
            &inside,
        );
    }
}

/// The body with the property at `sent_at` set to the resource's current value at
/// `read_at`, which the spec says is refused: a 4xx is due.
#[allow(clippy::too_many_arguments)]
fn not_exceeding(
    ctx: &Context,
    spec: &Spec,
    op: &Operation,
    item: &str,
    path: &str,
    rest: &str,
    body: &Value,
    (sent_at, read_at): (&str, &str),
) {
    if !ctx.enabled(Check::StateRules) {
        return;
    }
    let Some((read_spec, read_op)) = ctx.find("get", item) else {
        return;
    };
    let relaxed = Intent::Positive { must_succeed: false };
    let read = Case::new(
        read_op.display_name(),
        "state rule: the current value",
        Request::new("get", path.to_string()),
    );
    let Some(current) = ctx
        .exchange_passing(read_spec, &read_op, &read, relaxed)
        .and_then(|r| r.body?.pointer(read_at).cloned())
    else {
        return;
    };
    let mut same = body.clone();
    let Some(slot) = same.pointer_mut(sent_at) else {
        return;
    };
    *slot = current.clone();
    let case = Case::new(
        op.display_name(),
        format!("state rule: {sent_at} equal to the current {read_at} ({current})"),
        Request::new("post", format!("{path}{rest}")).json(&same),
    );
    let Some(answer) = ctx.send(&case) else {
        return;
    };
    crate::resources::observe(ctx, spec, op, &case.request, &answer);
    let f = Finding::check(
        Check::StateRules,
        (400..500).contains(&answer.status),
        format!("a 4xx: {sent_at} must exceed the resource's {read_at} (x-exceeds)"),
        format!("{}: {}", answer.status, crate::judge::excerpt(&answer.body_text)),
    );
    ctx.record(std::slice::from_ref(&f), &case);
}

/// A body for the promise's schema: the operation's own example that fits it, else the
/// plainest valid value.
fn body_for(spec: &Spec, op: &Operation, promise: &Promise) -> Option<Value> {
    let fits = |v: &Value| {
        spec.validate(&promise.schema_pointer, v)
            .is_ok_and(|e| e.is_empty())
    };
    let (_, media) = op.request_body(spec).ok().flatten()?;
    let json = media
        .iter()
        .find(|m| specwright_oas::media::is_json(m.content_type))?;
    let mut examples: Vec<Value> = json.value.get("example").cloned().into_iter().collect();
    if let Some(map) = json.value.get("examples").and_then(Value::as_object) {
        examples.extend(
            map.values()
                .filter_map(|e| crate::generate::resolve(spec.raw(), e).get("value").cloned()),
        );
    }
    examples.into_iter().find(|v| fits(v)).or_else(|| {
        let schema = spec.raw().pointer(&promise.schema_pointer)?;
        crate::generate::minimal(spec.raw(), schema).filter(|v| fits(v))
    })
}

#[allow(clippy::too_many_arguments)]
fn send_and_read(
    ctx: &Context,
    spec: &Spec,
    op: &Operation,
    item: &str,
    (path, id): (&str, &str),
    rest: &str,
    promise: &Promise,
    body: &Value,
) {
    let case = Case::new(
        op.display_name(),
        "action effect",
        Request::new("post", format!("{path}{rest}")).json(body),
    );
    let relaxed = Intent::Positive { must_succeed: false };
    let Some(answer) = ctx.exchange(spec, op, &case, relaxed) else {
        return;
    };
    crate::resources::observe(ctx, spec, op, &case.request, &answer);
    if !(200..300).contains(&answer.status) {
        return;
    }
    crate::resources::settle(ctx, item, path, id);
    let Some((read_spec, read_op)) = ctx.find("get", item) else {
        return;
    };
    let read = Case::new(
        read_op.display_name(),
        format!("read back after {}", case.request.body.as_deref().unwrap_or("")),
        Request::new("get", path.to_string()),
    );
    let Some(shown) = ctx.exchange(read_spec, &read_op, &read, relaxed) else {
        return;
    };
    crate::timestamps::observe(ctx, &read_op, &read.request, &shown);
    let Some(shown) = shown.body.as_ref().filter(|_| (200..300).contains(&shown.status)) else {
        return;
    };
    let mut differ = Vec::new();
    for (read_at, sent_at) in &promise.pairs {
        let Some(sent) = body.pointer(sent_at) else {
            continue;
        };
        match shown.pointer(read_at) {
            Some(got) if crate::readback::same(sent, got) => {}
            got => differ.push(format!(
                "{read_at} is {}, sent {sent} at {sent_at}",
                got.map_or("absent".to_string(), Value::to_string)
            )),
        }
    }
    let f = Finding::check(
        Check::ActionEffect,
        differ.is_empty(),
        "the resource showing what the action set (x-reads-back)",
        differ.join("; "),
    );
    ctx.record(std::slice::from_ref(&f), &read);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Schemas that fan out without a cycle (each level's two properties lead to the next)
    /// are searched to the budget, not once per one of their 2³² paths.
    #[test]
    fn promises_are_found_within_the_budget_of_a_fanning_schema() {
        let mut schemas = serde_json::Map::new();
        for i in 0..32 {
            let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
            schemas.insert(
                format!("S{i}"),
                json!({"properties": {"p": next, "q": next,
                                      "size": {"type": "integer", "x-exceeds": "/size"}}}),
            );
        }
        schemas.insert("S32".into(), json!({"type": "string"}));
        let doc = json!({"components": {"schemas": schemas}});
        let mut out = Vec::new();
        exceeding(
            &doc,
            &json!({"$ref": "#/components/schemas/S0"}),
            "",
            &mut out,
            &Trail::default(),
        );
        assert!(out.contains(&("/size".to_string(), "/size".to_string())));
        assert!(out.contains(&("/p/q/size".to_string(), "/size".to_string())));
        assert!(out.len() < 100, "{} promises", out.len());
    }
}
