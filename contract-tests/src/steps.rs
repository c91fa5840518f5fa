//! One step of a stateful scenario, for any spec: an operation found by method and path
//! template (so a renamed `operationId` cannot silently skip a step), filled, sent, judged
//! and observed like any case; and a wait on the resource it names.

use serde_json::Value;

use crate::checks::{Check, Finding, Intent};
use crate::context::Context;
use crate::exchange::{Case, Request, Response, encode};
use crate::wait::{self, Outcome, Transitional, Want};

/// One scenario step: fills the template, sends, judges under the step's operation.
pub fn call(
    ctx: &Context,
    scenario: &str,
    method: &str,
    template: &str,
    params: &[(&str, &str)],
    body: Option<Value>,
    intent: Intent,
) -> Option<(Case, Response)> {
    let (spec, op) = ctx.find(method, template)?;
    let mut request = Request::new(method, fill(ctx, template, params));
    if let Some(b) = &body {
        request = request.json(b);
    }
    let case = Case::new(op.display_name(), format!("scenario {scenario}"), request);
    let response = ctx.exchange(spec, &op, &case, intent)?;
    let _ = crate::resources::observe(ctx, spec, &op, &case.request, &response);
    Some((case, response))
}

/// The path of `template` with the run's project and these parameters, percent-encoded.
pub fn fill(ctx: &Context, template: &str, params: &[(&str, &str)]) -> String {
    specwright_oas::template::fill(template, |name| match name {
        "project_id" => Some(encode(&ctx.target.project_id)),
        _ => params.iter().find(|(k, _)| *k == name).map(|(_, v)| encode(v)),
    })
}

pub fn id_of(r: &Response, key: &str) -> Option<String> {
    r.body.as_ref()?.get(key)?.get("id")?.as_str().map(str::to_string)
}

/// Waits for a resource at `template` to reach `want`, judging each read.
pub fn wait_for(
    ctx: &Context,
    scenario: &str,
    template: &str,
    params: &[(&str, &str)],
    want: Want,
) -> Outcome {
    let transitional = Transitional::of(ctx, template).held(ctx, &fill(ctx, template, params));
    let relaxed = Intent::Positive { must_succeed: false };
    let mut last = None;
    let outcome = wait::until(ctx, template, &transitional, want, || {
        match call(ctx, scenario, "get", template, params, None, relaxed) {
            Some((case, r)) => {
                last = Some(case);
                wait::status_of(&r)
            }
            None => wait::Seen::Unreadable("no answer".into()),
        }
    });
    if let (Want::Status(wanted), Outcome::Stuck(_) | Outcome::TimedOut(_), Some(case)) =
        (want, &outcome, last)
    {
        let f = Finding::fail(
            Check::StateTransition,
            format!(
                "status {} through documented transitional statuses",
                wanted.join(" or ")
            ),
            outcome.describe(),
        );
        ctx.record(std::slice::from_ref(&f), &case);
    }
    outcome
}
