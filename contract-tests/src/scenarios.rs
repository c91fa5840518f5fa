//! The stateful part for the EVS + IMS spec: the resources the property-based part works
//! on (a volume with metadata, a snapshot, an IMS job), what a volume needs before it can
//! be deleted, and the volume lifecycle ([`crate::lifecycle`]).
//!
//! Steps find their operation in the specs by method and path, so a renamed
//! `operationId` cannot silently skip a step; a spec without these paths skips them.

use serde_json::{Value, json};

use crate::checks::{Check, Finding, Intent};
use crate::context::{Context, Created, lock};
use crate::exchange::{Case, Request, Response, encode};
use crate::wait::{self, Outcome, Transitional, Want};

pub const VOLUMES: &str = "/v2/{project_id}/volumes";
pub const VOLUME: &str = "/v2/{project_id}/volumes/{volume_id}";
pub const VOLUME_ACTION: &str = "/v2/{project_id}/volumes/{volume_id}/action";
const VOLUME_METADATA: &str = "/v2/{project_id}/volumes/{volume_id}/metadata";
const SNAPSHOTS: &str = "/v2/{project_id}/snapshots";
const SNAPSHOT: &str = "/v2/{project_id}/snapshots/{snapshot_id}";
const TYPES: &str = "/v2/{project_id}/types";
const IMAGES_ACTION: &str = "/v2/cloudimages/action";

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
fn fill(ctx: &Context, template: &str, params: &[(&str, &str)]) -> String {
    evs_ims_oas::template::fill(template, |name| match name {
        "project_id" => Some(encode(&ctx.target.project_id)),
        _ => params.iter().find(|(k, _)| *k == name).map(|(_, v)| encode(v)),
    })
}

fn id_of(r: &Response, key: &str) -> Option<String> {
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

/// Creates what the operations under test need: a volume with a metadata key, a
/// snapshot, an IMS job; and finds a volume type.
pub fn setup_pool(ctx: &Context) {
    let positive = Intent::Positive { must_succeed: true };
    if let Some((_, r)) = call(ctx, "setup", "get", TYPES, &[], None, positive) {
        if let Some(id) = r
            .body
            .as_ref()
            .and_then(|b| b.get("volume_types"))
            .and_then(|t| t.get(0))
            .and_then(|t| t.get("id"))
            .and_then(Value::as_str)
        {
            lock(&ctx.pool).insert(&format!("{TYPES}/{{type_id}}"), "type_id", id);
        }
    }
    if ctx.find("get", VOLUMES).is_some() {
        lock(&ctx.pool)
            .by_name
            .insert("target_project_id".into(), ctx.target.project_id.clone());
    }
    let body = json!({"volume": {"size": 1, "name": "contract-pool", "metadata": {"contract": "pool"}}});
    let Some(volume_id) = make_available(ctx, "setup", "volume", body) else {
        return;
    };
    {
        let mut pool = lock(&ctx.pool);
        pool.insert(VOLUME, "volume_id", &volume_id);
        pool.by_name.insert("key".into(), "contract".into());
    }
    let body = json!({"snapshot": {"volume_id": volume_id, "name": "contract-pool"}});
    if let Some(snapshot_id) = make_available(ctx, "setup", "snapshot", body) {
        lock(&ctx.pool).insert(SNAPSHOT, "snapshot_id", &snapshot_id);
    }
    let body = json!({"name": "contract-pool-image", "instance_id": "00000000-0000-4000-8000-000000000001"});
    if let Some((_, job)) = call(ctx, "setup", "post", IMAGES_ACTION, &[], Some(body), positive) {
        if let Some(id) = job
            .body
            .as_ref()
            .and_then(|b| b.get("job_id"))
            .and_then(Value::as_str)
        {
            lock(&ctx.pool).by_name.insert("job_id".into(), id.to_string());
        }
    }
}

/// Read-only runs use what exists; the generic discovery finds ids, this finds a
/// metadata key of the volume it found.
pub fn discover_pool(ctx: &Context) {
    if ctx.find("get", VOLUMES).is_some() {
        lock(&ctx.pool)
            .by_name
            .insert("target_project_id".into(), ctx.target.project_id.clone());
    }
    let volume = lock(&ctx.pool).by_prefix.get(VOLUME).cloned();
    if let Some(volume) = volume {
        let relaxed = Intent::Positive { must_succeed: false };
        let key = call(
            ctx,
            "discover",
            "get",
            VOLUME_METADATA,
            &[("volume_id", &volume)],
            None,
            relaxed,
        )
        .and_then(|(_, r)| r.body?.get("metadata")?.as_object()?.keys().next().cloned());
        if let Some(key) = key {
            lock(&ctx.pool).by_name.insert("key".into(), key);
        }
    }
}

/// A volume reserved (os-reserve) or attached must be released before it can go.
pub fn before_delete(ctx: &Context, created: &Created, status: &str) {
    if created.template != VOLUME {
        return;
    }
    let relaxed = Intent::Positive { must_succeed: false };
    let id = created.id.as_str();
    match status {
        "attaching" => {
            call(
                ctx,
                "cleanup",
                "post",
                VOLUME_ACTION,
                &[("volume_id", id)],
                Some(json!({"os-unreserve": {}})),
                relaxed,
            );
        }
        "in-use" => {
            call(
                ctx,
                "cleanup",
                "post",
                VOLUME_ACTION,
                &[("volume_id", id)],
                Some(json!({"os-detach": {}})),
                relaxed,
            );
            wait_for(
                ctx,
                "cleanup",
                VOLUME,
                &[("volume_id", id)],
                Want::Status(&["available"]),
            );
        }
        _ => {}
    }
}

/// Makes a few more volumes, so that lists have items to page, sort and filter.
pub fn seed_lists(ctx: &Context) {
    if ctx.find("post", VOLUMES).is_none() || !ctx.selected("createVolume") {
        return;
    }
    // All three are created before any is waited for: they become available together.
    let names = ["contract-list-b", "contract-list-A", "contract-list-名前"];
    let ids: Vec<String> = names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let body =
                json!({"volume": {"size": i + 1, "name": name, "description": format!("list item {i}")}});
            create(ctx, "list items", "volume", body)
        })
        .collect();
    for id in ids {
        wait_for(
            ctx,
            "list items",
            VOLUME,
            &[("volume_id", &id)],
            Want::Status(&["available"]),
        );
    }
}

/// Creates a volume or a snapshot and waits until it is `available`; its id.
fn make_available(ctx: &Context, scenario: &str, kind: &str, body: Value) -> Option<String> {
    let id = create(ctx, scenario, kind, body)?;
    let (item, param) = match kind {
        "volume" => (VOLUME, "volume_id"),
        _ => (SNAPSHOT, "snapshot_id"),
    };
    wait_for(ctx, scenario, item, &[(param, &id)], Want::Status(&["available"]));
    Some(id)
}

/// Creates a volume or a snapshot; its id.
fn create(ctx: &Context, scenario: &str, kind: &str, body: Value) -> Option<String> {
    let collection = if kind == "volume" { VOLUMES } else { SNAPSHOTS };
    let positive = Intent::Positive { must_succeed: true };
    call(ctx, scenario, "post", collection, &[], Some(body), positive).and_then(|(_, r)| id_of(&r, kind))
}
