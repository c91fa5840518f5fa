//! Statuses a resource rests in because of a request the run sent.
//!
//! Some requests put a resource in a status that is otherwise transitional and leave it
//! there: Cinder's `os-reserve` makes a volume `attaching` until an `os-attach` or an
//! `os-unreserve`. A spec says so on the request body's schema, or on the `oneOf`/`anyOf`
//! member the body matches: `x-holds-status: STATUS` (after a 2xx, the resource rests in
//! STATUS) and `x-releases-hold: true` (after a 2xx, it no longer does). A 2xx delete of
//! the resource ends a hold too. The run remembers holds by resource, and its waits read a
//! held status as one the resource rests in ([`crate::wait::Transitional::held`]).
//!
//! Cases are sent several at a time, so two requests may reach the server in either
//! order: a release ends a hold only when it was sent after the hold's answer came back.
//! Otherwise the hold stays, which at worst stops a wait early on a status the resource
//! might have left by itself.
//!
//! A resource is known by its collection and id, the last two segments of its path: one
//! served under two roots (Cinder's `/v2/{project_id}/volumes/{id}` and
//! `/v3/{project_id}/volumes/{id}`) is one resource, held whichever root reserved it.

use std::time::Instant;

use serde_json::Value;
use specwright_oracle::{Operation, Spec};

use crate::context::{Context, lock};
use crate::exchange::{Request, Response};

/// A status a resource rests in, and when the request that put it there was answered.
#[derive(Clone, Debug)]
pub struct Hold {
    status: String,
    answered: Instant,
}

/// What a request does to a hold, by the schema its body matched.
#[derive(Clone, Debug, PartialEq)]
enum Effect {
    Hold(String),
    Release,
}

/// Notes the hold a successful request set or ended. Called on every answer the run
/// reads, so what costs most (finding the resource among the spec's operations) is done
/// only for a request that holds or releases.
pub fn observe(ctx: &Context, spec: &Spec, op: &Operation, request: &Request, response: &Response) {
    if !(200..300).contains(&response.status) || matches!(op.method, "get" | "head" | "options") {
        return;
    }
    let effect = if op.method == "delete" {
        if lock(&ctx.ledger.holds).is_empty() {
            return;
        }
        Effect::Release
    } else {
        match body_effect(spec, op, request) {
            Some(effect) => effect,
            None => return,
        }
    };
    let Some(resource) = resource_path(spec, op, &request.path) else {
        return;
    };
    // A delete below the resource (a metadata key) leaves its hold alone.
    if op.method == "delete" && resource != request.path {
        return;
    }
    let resource = crate::ledger::resource_key(&resource);
    let mut holds = lock(&ctx.ledger.holds);
    match effect {
        Effect::Hold(status) => {
            let answered = response.received_at();
            let later = holds
                .get(&resource)
                .map_or(answered, |h| h.answered.max(answered));
            holds.insert(
                resource,
                Hold {
                    status,
                    answered: later,
                },
            );
        }
        Effect::Release
            if holds
                .get(&resource)
                .is_some_and(|h| response.sent_at > h.answered) =>
        {
            holds.remove(&resource);
        }
        Effect::Release => {}
    }
}

/// The status a resource rests in because of the run's own requests, if any.
pub fn held(ctx: &Context, path: &str) -> Option<String> {
    lock(&ctx.ledger.holds)
        .get(&crate::ledger::resource_key(path))
        .map(|h| h.status.clone())
}

/// The resource an operation acts on: the request path cut to the item template the
/// operation lies at or below ([`crate::resources::item_of`]).
fn resource_path(spec: &Spec, op: &Operation, path: &str) -> Option<String> {
    let segments = crate::resources::item_of(spec, op.path)?.split('/').count();
    let cut: Vec<&str> = path.split('/').take(segments).collect();
    (cut.len() == segments).then(|| cut.join("/"))
}

/// The hold effect of the JSON schema the request's body matches: the body schema itself,
/// or one of its `oneOf`/`anyOf` members.
fn body_effect(spec: &Spec, op: &Operation, request: &Request) -> Option<Effect> {
    let candidates = crate::resources::body_schemas(spec, op);
    let effects: Vec<(String, Effect)> = candidates
        .into_iter()
        .filter_map(|(at, s)| {
            if let Some(status) = s.get("x-holds-status").and_then(Value::as_str) {
                return Some((at, Effect::Hold(status.to_string())));
            }
            let release = s.get("x-releases-hold").and_then(Value::as_bool) == Some(true);
            release.then_some((at, Effect::Release))
        })
        .collect();
    if effects.is_empty() {
        return None;
    }
    let body: Value = serde_json::from_str(request.body.as_deref()?).ok()?;
    effects
        .into_iter()
        .find(|(at, _)| spec.validate(at, &body).is_ok_and(|v| v.is_empty()))
        .map(|(_, effect)| effect)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use evs_ims_emulator::{Config, Emulator};
    use serde_json::{Value, json};
    use specwright_runtime::Auth;

    use crate::checks::Intent;
    use crate::context::{Context, Settings, Target, lock};
    use crate::exchange::{Request, Response};
    use crate::steps::call;

    const VOLUMES: &str = "/v2/{project_id}/volumes";
    const VOLUME: &str = "/v2/{project_id}/volumes/{volume_id}";
    const VOLUME_ACTION: &str = "/v2/{project_id}/volumes/{volume_id}/action";
    use crate::wait::{Outcome, Want};

    /// Two requests in flight at once may reach the server in either order: a release
    /// sent before the hold was answered leaves the hold in place.
    #[test]
    fn a_release_racing_the_hold_keeps_it() {
        let specs = crate::embedded_specs().unwrap_or_else(|e| panic!("{e}"));
        let target = Target::new("http://127.0.0.1:9", "p", Auth::None);
        let ctx = Context::new(specs, target, Settings::default()).unwrap_or_else(|e| panic!("{e}"));
        let spec = &ctx.specs[0];
        let op = spec
            .operations()
            .into_iter()
            .find(|o| o.method == "post" && o.path == VOLUME_ACTION)
            .expect("the action operation");
        // A 202 with no body, to a request sent at `sent_at` and answered `ms` later.
        let accepted = |sent_at: Instant, ms: u64| Response {
            status: 202,
            headers: Vec::new(),
            content_type: None,
            body_text: String::new(),
            body: None,
            sent_at,
            elapsed: Duration::from_millis(ms),
        };
        let send = |body: Value, sent_at: Instant, ms: u64| {
            let request = Request::new("post", "/v2/p/volumes/v1/action".to_string()).json(&body);
            super::observe(&ctx, spec, &op, &request, &accepted(sent_at, ms));
        };
        let t0 = Instant::now();
        send(json!({"os-reserve": {}}), t0, 10);
        send(json!({"os-unreserve": {}}), t0 + Duration::from_millis(5), 1);
        assert_eq!(
            super::held(&ctx, "/v3/p/volumes/v1").as_deref(),
            Some("attaching")
        );
        send(json!({"os-unreserve": {}}), t0 + Duration::from_millis(20), 1);
        assert_eq!(super::held(&ctx, "/v3/p/volumes/v1"), None);
        send(
            json!({"os-set_bootable": {"bootable": true}}),
            t0 + Duration::from_millis(30),
            1,
        );
        assert_eq!(
            super::held(&ctx, "/v2/p/volumes/v1"),
            None,
            "no hold from another action"
        );

        // A delete of the resource ends its hold; one below it (a metadata key) does not.
        send(json!({"os-reserve": {}}), t0 + Duration::from_millis(40), 1);
        let delete = |path: &str, template: &str| {
            let op = spec
                .operations()
                .into_iter()
                .find(|o| o.method == "delete" && o.path == template)
                .expect("a delete operation");
            let request = Request::new("delete", path.to_string());
            super::observe(
                &ctx,
                spec,
                &op,
                &request,
                &accepted(t0 + Duration::from_millis(50), 1),
            );
        };
        delete(
            "/v2/p/volumes/v1/metadata/k",
            "/v2/{project_id}/volumes/{volume_id}/metadata/{key}",
        );
        assert_eq!(
            super::held(&ctx, "/v2/p/volumes/v1").as_deref(),
            Some("attaching")
        );
        delete("/v2/p/volumes/v1", VOLUME);
        assert_eq!(
            super::held(&ctx, "/v2/p/volumes/v1"),
            None,
            "a delete ends the hold"
        );
    }

    /// A volume the run reserved rests in `attaching`: a wait ends at once instead of
    /// failing `state-transition` after the settle time; an attach releases it.
    #[test]
    fn a_reserved_volume_rests_until_attached() {
        let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
        let config = Config {
            transition: Duration::from_millis(5),
            ..Config::default()
        };
        let tenant = config.tenants[0].clone();
        let emulator = runtime
            .block_on(Emulator::start(config))
            .unwrap_or_else(|e| panic!("{e}"));
        let target = Target::new(emulator.base_url(), tenant.project_id, Auth::token(tenant.token));
        let settings = Settings {
            allow_mutations: true,
            settle: Duration::from_secs(30),
            ..Settings::default()
        };
        let specs = crate::embedded_specs().unwrap_or_else(|e| panic!("{e}"));
        let ctx = Context::new(specs, target, settings).unwrap_or_else(|e| panic!("{e}"));
        let ok = Intent::Positive { must_succeed: true };
        let body = json!({"volume": {"size": 1}});
        let (_, created) = call(&ctx, "test", "post", VOLUMES, &[], Some(body), ok).expect("an answer");
        let id = created
            .body
            .as_ref()
            .and_then(|b| b["volume"]["id"].as_str())
            .expect("an id");
        let id = [("volume_id", id)];
        let available = crate::steps::wait_for(&ctx, "test", VOLUME, &id, Want::Status(&["available"]));
        assert_eq!(available, Outcome::Reached("available".into()));

        // Reserved through the v3 root, read through the v2 root: one volume.
        let reserve = Some(json!({"os-reserve": {}}));
        let v3_action = VOLUME_ACTION.replacen("/v2/", "/v3/", 1);
        call(&ctx, "test", "post", &v3_action, &id, reserve, ok).expect("an answer");
        let path = format!("/v2/{}/volumes/{}", ctx.target.project_id, id[0].1);
        assert_eq!(super::held(&ctx, &path).as_deref(), Some("attaching"));
        let started = std::time::Instant::now();
        let settled = crate::resources::settle(&ctx, VOLUME, &path, id[0].1);
        assert_eq!(settled, Outcome::Reached("attaching".into()));
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "it waited on a held status"
        );

        let attach = json!({"os-attach": {"instance_uuid": "00000000-0000-4000-8000-000000000001", "mountpoint": "/dev/vdb"}});
        call(&ctx, "test", "post", VOLUME_ACTION, &id, Some(attach), ok).expect("an answer");
        assert_eq!(super::held(&ctx, &path), None, "os-attach releases the hold");
        let in_use = crate::steps::wait_for(&ctx, "test", VOLUME, &id, Want::Status(&["in-use"]));
        assert_eq!(in_use, Outcome::Reached("in-use".into()));
        assert!(lock(&ctx.ledger.holds).is_empty());
        let report = ctx.into_report();
        assert!(report.passed(), "{}", report.summary());
        runtime.block_on(emulator.stop());
    }
}
