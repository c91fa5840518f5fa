//! What an action promises to do, for any spec: a request body schema (or the `oneOf`
//! member a body matches) with `x-reads-back` names, for pointers into the resource's
//! read, the pointer into the request whose value they show afterwards
//! (`/volume/bootable: /os-set_bootable/bootable`).
//!
//! Each such action is sent to a resource of the run's own, made for it, so that no other
//! case races the read-back; once the resource settles, it is read and each pointer
//! compared (by value, or by text where a server shows a flag as `"true"`). An action the
//! server refuses for the state it finds is not judged here.

use evs_ims_oracle::{Operation, Spec};
use serde_json::Value;

use crate::checks::{Check, Finding, Intent};
use crate::context::Context;
use crate::exchange::{Case, Request};

/// A body schema with `x-reads-back`: its pointer, and the pairs (read, request).
struct Promise {
    schema_pointer: String,
    pairs: Vec<(String, String)>,
}

/// Sends every action with `x-reads-back` the run selected, each on a fresh resource.
pub fn check(ctx: &Context) {
    if !ctx.settings.allow_mutations || !ctx.enabled(Check::ActionEffect) {
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
                send_and_read(ctx, spec, &op, &item, (&path, &id), rest, promise, &body);
            }
        }
    }
}

/// The `x-reads-back` promises of the operation's JSON body: its schema, or its members.
fn promises(spec: &Spec, op: &Operation) -> Vec<Promise> {
    let Some((_, media)) = op.request_body(spec).ok().flatten() else {
        return Vec::new();
    };
    let Some(pointer) = media
        .iter()
        .find(|m| evs_ims_oas::media::is_json(m.content_type))
        .and_then(|m| m.schema_pointer.clone())
    else {
        return Vec::new();
    };
    let Some(Ok((at, schema))) = spec.raw().pointer(&pointer).map(|s| spec.deref(&pointer, s)) else {
        return Vec::new();
    };
    let mut candidates = vec![(at.clone(), schema)];
    for key in ["oneOf", "anyOf"] {
        for (i, member) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Ok(resolved) = spec.deref(&format!("{at}/{key}/{i}"), member) {
                candidates.push(resolved);
            }
        }
    }
    candidates
        .into_iter()
        .filter_map(|(at, s)| {
            let map = s.get("x-reads-back")?.as_object()?;
            let pairs = map
                .iter()
                .filter_map(|(read, sent)| Some((read.clone(), sent.as_str()?.to_string())))
                .collect();
            Some(Promise {
                schema_pointer: at,
                pairs,
            })
        })
        .collect()
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
        .find(|m| evs_ims_oas::media::is_json(m.content_type))?;
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
