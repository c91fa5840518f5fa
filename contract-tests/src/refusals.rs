//! Valid input refused: a write the spec calls valid, answered 400 or 422, is a rule the
//! server holds and the spec does not say (metadata keys of a narrower alphabet, an
//! example the server refuses). A write may rightly be refused for the state it finds, so
//! the refusal is reported only when the state is ruled out: a request of the same shape
//! (the same top-level body fields) with other values is accepted just before and just
//! after the refused one is refused again. Creates are left alone (quotas and references
//! refuse them for state), and so are inputs naming state (an id, a reference, a marker).
//!
//! So is an operation none of whose valid writes is ever accepted (creates too): a rule the
//! server holds that no client generated from the spec can meet.
//!
//! Both are warnings: the spec does not promise that every valid input is accepted, but a
//! client generated from it will send this one.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::checks::{Check, Finding};
use crate::context::Context;
use crate::exchange::Case;
use crate::fuzz::{Inputs, Plan};
use crate::params::name_names_state;

/// A valid request of one operation and the status it got.
pub struct Seen {
    pub inputs: Inputs,
    pub case: Case,
    pub status: u16,
}

/// How many refused requests are tried for one operation before giving up.
const CANDIDATES: usize = 3;

/// How many valid writes of one operation, every one refused, make a warning that the
/// server holds a rule the spec does not state.
const NEVER_ACCEPTED: usize = 8;

/// Checks the valid requests of one operation for refusals the input alone explains.
pub fn check(ctx: &Context, plan: &Plan, seen: &[Seen]) {
    if !ctx.enabled(Check::PositiveAccepted) || !writes_own(plan) {
        return;
    }
    never_accepted(ctx, plan, seen);
    if creates(plan) {
        return;
    }
    let mut refused: Vec<&Seen> = seen
        .iter()
        .filter(|s| matches!(s.status, 400 | 422) && !names_state(plan, &s.inputs))
        .collect();
    refused.sort_by_key(|s| size(&s.case));
    for bad in refused.into_iter().take(CANDIDATES) {
        if ctx.stopped() {
            return;
        }
        let shape = shape(&bad.case);
        let Some(good) = seen
            .iter()
            .filter(|s| (200..300).contains(&s.status) && shape == self::shape(&s.case))
            .min_by_key(|s| size(&s.case))
        else {
            continue;
        };
        if let Some(finding) = confirm(ctx, plan, &good.case, &bad.case) {
            ctx.record(&[finding], &bad.case);
            return;
        }
    }
}

/// A write to what the run owns (a create included).
fn writes_own(plan: &Plan) -> bool {
    matches!(plan.op.method, "post" | "put" | "patch") && plan.owned_path && plan.existing_path
}

/// Not one of many valid writes was accepted, each refused with 400/422 (Airflow's
/// `POST /users`, whose schema requires nothing, refused 197 times): the server holds
/// rules the spec does not state, and no client generated from the spec can call it.
fn never_accepted(ctx: &Context, plan: &Plan, seen: &[Seen]) {
    let valid: Vec<&Seen> = seen.iter().filter(|s| !names_state(plan, &s.inputs)).collect();
    let refused = valid.iter().filter(|s| matches!(s.status, 400 | 422)).count();
    if valid.len() < NEVER_ACCEPTED || refused < valid.len() {
        return;
    }
    let Some(first) = valid.iter().min_by_key(|s| size(&s.case)) else {
        return;
    };
    let Some(answer) = send(ctx, plan, &first.case) else {
        return;
    };
    if !matches!(answer.status, 400 | 422) {
        return;
    }
    let finding = Finding::fail(
        Check::PositiveAccepted,
        format!("some of {} requests the spec calls valid accepted", valid.len()),
        format!(
            "every one refused; the smallest: {}: {}",
            answer.status,
            crate::judge::excerpt(&answer.body_text)
        ),
    )
    .warning_unless(false);
    ctx.record(&[finding], &first.case);
}

/// A `POST` to a collection whose items are read at `{path}/{id}`.
fn creates(plan: &Plan) -> bool {
    plan.op.method == "post" && crate::resources::item_below(plan.spec, plan.op.path).is_some()
}

/// Whether a generated value in these inputs names something on the server.
fn names_state(plan: &Plan, inputs: &Inputs) -> bool {
    let param = plan
        .params
        .iter()
        .zip(&inputs.values)
        .enumerate()
        .any(|(i, (p, v))| v.is_some() && !plan.fixed.contains_key(&i) && p.names_state());
    param || inputs.body.as_ref().is_some_and(|b| key_names_state(b, 0))
}

fn key_names_state(value: &Value, depth: usize) -> bool {
    match value {
        Value::Object(map) if depth < 16 => map
            .iter()
            .any(|(k, v)| name_names_state(k) || key_names_state(v, depth + 1)),
        Value::Array(items) if depth < 16 => items.iter().any(|v| key_names_state(v, depth + 1)),
        _ => false,
    }
}

/// What makes two requests the same kind of request: the body's top-level fields and the
/// query's names.
fn shape(case: &Case) -> (BTreeSet<String>, BTreeSet<String>) {
    let body = case
        .request
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
        .and_then(|b| b.as_object().map(|m| m.keys().cloned().collect()))
        .unwrap_or_default();
    let query = case.request.query.iter().map(|(k, _)| k.clone()).collect();
    (body, query)
}

fn size(case: &Case) -> usize {
    case.request.body.as_deref().map_or(0, str::len)
        + case
            .request
            .query
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>()
}

/// Good, bad, good, in that order: a refusal between two acceptances of the same kind of
/// request is the input's.
fn confirm(ctx: &Context, plan: &Plan, good: &Case, bad: &Case) -> Option<Finding> {
    let accepted = |case: &Case| send(ctx, plan, case).is_some_and(|r| (200..300).contains(&r.status));
    if !accepted(good) {
        return None;
    }
    let refusal = send(ctx, plan, bad).filter(|r| matches!(r.status, 400 | 422))?;
    if !accepted(good) {
        return None;
    }
    let finding = Finding::fail(
        Check::PositiveAccepted,
        format!(
            "a 2xx: the spec calls this input valid, and the same request with other values ({}) was accepted just before and after",
            crate::judge::excerpt(good.request.body.as_deref().unwrap_or(&good.label))
        ),
        format!(
            "{}: {}",
            refusal.status,
            crate::judge::excerpt(&refusal.body_text)
        ),
    );
    Some(finding.warning_unless(false))
}

/// Sends a case again, noting what it did (a status it holds the resource in, a resource it
/// made) as every other request of the run is: a reserve sent here holds the volume too.
fn send(ctx: &Context, plan: &Plan, case: &Case) -> Option<crate::exchange::Response> {
    let response = ctx.send(case)?;
    let _ = crate::resources::observe(ctx, plan.spec, &plan.op, &case.request, &response);
    Some(response)
}
