//! Stateful scenarios (lifecycles, pagination), and the resources the property-based part
//! needs to fill path parameters.
//!
//! Steps find their operation in the spec by method and path, so a renamed `operationId`
//! cannot silently skip a step; every answer is judged by the same checks as the
//! generated cases, under the operation's name.

use std::time::{Duration, Instant};

use evs_ims_oracle::Spec;
use serde_json::{Value, json};

use crate::checks::{Check, Finding, Intent, judge};
use crate::exchange::{Request, Response, encode};
use crate::suite::Suite;

const VOLUMES: &str = "/v2/{project_id}/volumes";
const VOLUME: &str = "/v2/{project_id}/volumes/{volume_id}";
const VOLUME_ACTION: &str = "/v2/{project_id}/volumes/{volume_id}/action";
const VOLUME_METADATA: &str = "/v2/{project_id}/volumes/{volume_id}/metadata";
const SNAPSHOTS: &str = "/v2/{project_id}/snapshots";
const SNAPSHOT: &str = "/v2/{project_id}/snapshots/{snapshot_id}";
const TYPES: &str = "/v2/{project_id}/types";
const IMAGES_ACTION: &str = "/v2/cloudimages/action";

struct Step<'a> {
    suite: &'a Suite,
    scenario: &'static str,
}

impl Step<'_> {
    fn spec_for(&self, template: &str) -> &Spec {
        if template.starts_with("/v2/cloudimages") || template.starts_with("/v1/") {
            &self.suite.ims
        } else {
            &self.suite.evs
        }
    }

    /// Sends one step and judges it. `None` when the spec has no such operation (reported
    /// as skipped) or the request never got an answer.
    fn call(
        &self,
        method: &str,
        template: &str,
        params: &[(&str, &str)],
        body: Option<Value>,
        intent: Intent,
    ) -> Option<Response> {
        let spec = self.spec_for(template);
        let Some(op) = spec
            .operations()
            .into_iter()
            .find(|o| o.method == method && o.path == template)
        else {
            self.suite.report.borrow_mut().skip(
                &format!("{} {template}", method.to_uppercase()),
                "not in the spec; scenario step skipped",
            );
            return None;
        };
        let mut path = template.replace("{project_id}", &encode(&self.suite.target.project_id));
        for (k, v) in params {
            path = path.replace(&format!("{{{k}}}"), &encode(v));
        }
        let mut request = Request::new(method, path);
        if let Some(b) = &body {
            request = request.json(b);
        }
        let response = self.suite.send(&request)?;
        self.suite.note_created(&response);
        let findings = judge(spec, &op, &response, intent);
        if let Some(f) = self.suite.tally(&op.display_name(), &findings) {
            self.suite.fail(
                &op.display_name(),
                &format!("scenario {}", self.scenario),
                f,
                request,
            );
        }
        Some(response)
    }

    /// Records a scenario-level check (read-back, deletion, pagination).
    fn expect(
        &self,
        operation: &str,
        check: Check,
        ok: bool,
        expected: &str,
        actual: &str,
        request: Request,
    ) {
        let f = if ok {
            Finding::pass(check)
        } else {
            Finding::fail(check, expected, actual)
        };
        if self.suite.tally(operation, std::slice::from_ref(&f)).is_some() {
            self.suite
                .fail(operation, &format!("scenario {}", self.scenario), f, request);
        }
    }

    fn get(&self, template: &str, params: &[(&str, &str)]) -> Option<Response> {
        self.call(
            "get",
            template,
            params,
            None,
            Intent::Positive { must_succeed: false },
        )
    }

    /// Polls a resource until `done` says so, or the deadline passes.
    fn wait(
        &self,
        template: &str,
        params: &[(&str, &str)],
        done: impl Fn(&Response) -> bool,
    ) -> Option<Response> {
        // Polling backs off up to a second, until the run's settle time is spent.
        let deadline = Instant::now() + self.suite.settings.settle;
        let mut pause = Duration::from_millis(20);
        loop {
            let r = self.get(template, params)?;
            if done(&r) {
                return Some(r);
            }
            if Instant::now() > deadline || self.suite.stopped() {
                return Some(r);
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(1));
        }
    }

    fn wait_status(
        &self,
        template: &str,
        params: &[(&str, &str)],
        key: &str,
        want: &[&str],
    ) -> Option<Response> {
        self.wait(template, params, |r| {
            let status = r
                .body
                .as_ref()
                .and_then(|b| b.get(key))
                .and_then(|o| o.get("status"))
                .and_then(Value::as_str)
                .unwrap_or("");
            want.contains(&status) || status.starts_with("error")
        })
    }

    fn request(&self, method: &str, template: &str, params: &[(&str, &str)]) -> Request {
        let mut path = template.replace("{project_id}", &self.suite.target.project_id);
        for (k, v) in params {
            path = path.replace(&format!("{{{k}}}"), v);
        }
        Request::new(method, path)
    }
}

fn id_of(r: &Response, key: &str) -> Option<String> {
    r.body.as_ref()?.get(key)?.get("id")?.as_str().map(str::to_string)
}

fn field<'a>(r: &'a Response, key: &str, name: &str) -> Option<&'a Value> {
    r.body.as_ref()?.get(key)?.get(name)
}

/// Creates what the operations under test need: a volume with a metadata key, a snapshot,
/// an IMS job; and finds a volume type.
pub(crate) fn setup_pool(suite: &Suite) {
    let s = Step {
        suite,
        scenario: "setup",
    };
    let positive = Intent::Positive { must_succeed: true };
    if let Some(r) = s.get(TYPES, &[]) {
        if let Some(id) = r
            .body
            .as_ref()
            .and_then(|b| b.get("volume_types"))
            .and_then(|t| t.get(0))
            .and_then(|t| t.get("id"))
            .and_then(Value::as_str)
        {
            suite.pool.borrow_mut().insert("type_id".into(), id.to_string());
        }
    }
    let project = suite.target.project_id.clone();
    suite
        .pool
        .borrow_mut()
        .insert("target_project_id".into(), project);
    let body = json!({"volume": {"size": 1, "name": "contract-pool", "metadata": {"contract": "pool"}}});
    let Some(volume_id) = s
        .call("post", VOLUMES, &[], Some(body), positive)
        .and_then(|r| id_of(&r, "volume"))
    else {
        return;
    };
    s.wait_status(VOLUME, &[("volume_id", &volume_id)], "volume", &["available"]);
    suite
        .pool
        .borrow_mut()
        .insert("volume_id".into(), volume_id.clone());
    suite.pool.borrow_mut().insert("key".into(), "contract".into());
    let body = json!({"snapshot": {"volume_id": volume_id, "name": "contract-pool"}});
    if let Some(snapshot_id) = s
        .call("post", SNAPSHOTS, &[], Some(body), positive)
        .and_then(|r| id_of(&r, "snapshot"))
    {
        s.wait_status(
            SNAPSHOT,
            &[("snapshot_id", &snapshot_id)],
            "snapshot",
            &["available"],
        );
        suite.pool.borrow_mut().insert("snapshot_id".into(), snapshot_id);
    }
    let body = json!({"name": "contract-pool-image", "instance_id": "00000000-0000-4000-8000-000000000001"});
    if let Some(job) = s.call("post", IMAGES_ACTION, &[], Some(body), positive) {
        if let Some(id) = job
            .body
            .as_ref()
            .and_then(|b| b.get("job_id"))
            .and_then(Value::as_str)
        {
            suite.pool.borrow_mut().insert("job_id".into(), id.to_string());
        }
    }
}

/// Read-only runs use what already exists.
pub(crate) fn discover_pool(suite: &Suite) {
    let s = Step {
        suite,
        scenario: "discover",
    };
    let first = |template: &str, list: &str| {
        s.get(template, &[])
            .and_then(|r| r.body?.get(list)?.get(0)?.get("id")?.as_str().map(str::to_string))
    };
    let found: Vec<(&str, Option<String>)> = vec![
        ("type_id", first(TYPES, "volume_types")),
        ("volume_id", first(VOLUMES, "volumes")),
        ("snapshot_id", first(SNAPSHOTS, "snapshots")),
    ];
    let mut pool = suite.pool.borrow_mut();
    pool.insert("target_project_id".into(), suite.target.project_id.clone());
    for (k, v) in found {
        if let Some(v) = v {
            pool.insert(k.into(), v);
        }
    }
    if let Some(volume) = pool.get("volume_id").cloned() {
        drop(pool);
        let key = s
            .get(VOLUME_METADATA, &[("volume_id", &volume)])
            .and_then(|r| r.body?.get("metadata")?.as_object()?.keys().next().cloned());
        if let Some(key) = key {
            suite.pool.borrow_mut().insert("key".into(), key);
        }
    }
}

pub(crate) fn run_all(suite: &Suite) {
    crate::lifecycle::volume_lifecycle(suite);
    if !suite.stopped() {
        pagination(suite);
    }
}

/// Lists with `limit=1`, following `next` links: every volume once, no gaps, no loops.
fn pagination(suite: &Suite) {
    let s = Step {
        suite,
        scenario: "pagination",
    };
    let positive = Intent::Positive { must_succeed: true };
    let mut made = Vec::new();
    for i in 0..3 {
        let body = json!({"volume": {"size": 1, "name": format!("contract-page-{i}")}});
        if let Some(id) = s
            .call("post", VOLUMES, &[], Some(body), positive)
            .and_then(|r| id_of(&r, "volume"))
        {
            made.push(id);
        }
    }
    let listing = "/v2/{project_id}/volumes/detail";
    let spec = &suite.evs;
    let op = spec
        .operations()
        .into_iter()
        .find(|o| o.method == "get" && o.path == listing)
        .map(|o| o.display_name())
        .unwrap_or_else(|| "listVolumesDetail".into());
    let mut request = s.request("get", listing, &[]);
    request.query.push(("limit".into(), "1".into()));
    let mut seen: Vec<String> = Vec::new();
    let mut pages = 0;
    let mut problem = None;
    loop {
        pages += 1;
        let Some(r) = suite.send(&request) else { return };
        if let Some(op_ref) = spec.operations().into_iter().find(|o| o.display_name() == op) {
            let findings = judge(spec, &op_ref, &r, Intent::Positive { must_succeed: true });
            if let Some(f) = suite.tally(&op, &findings) {
                suite.fail(&op, "scenario pagination", f, request.clone());
                return;
            }
        }
        let body = r.body.clone().unwrap_or(Value::Null);
        let ids: Vec<String> = body
            .get("volumes")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.get("id")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        for id in ids {
            if seen.contains(&id) {
                problem = Some(format!("volume {id} listed twice (page {pages})"));
            }
            seen.push(id);
        }
        let next = body
            .get("volumes_links")
            .and_then(Value::as_array)
            .and_then(|links| {
                links
                    .iter()
                    .find(|l| l.get("rel").and_then(Value::as_str) == Some("next"))?
                    .get("href")?
                    .as_str()
                    .map(str::to_string)
            });
        match next {
            Some(href) if problem.is_none() && pages < 10_000 => {
                request = follow(&href, &suite.target.project_id)
            }
            _ => break,
        }
    }
    let missing: Vec<&String> = made.iter().filter(|id| !seen.contains(id)).collect();
    if problem.is_none() && !missing.is_empty() {
        problem = Some(format!("never listed: {missing:?}"));
    }
    s.expect(
        &op,
        Check::Pagination,
        problem.is_none(),
        "every volume exactly once across the pages",
        problem.as_deref().unwrap_or(""),
        request,
    );
    for id in &made {
        s.call(
            "delete",
            VOLUME,
            &[("volume_id", id)],
            None,
            Intent::Positive { must_succeed: false },
        );
    }
}

/// A `next` link's path and query, sent to the target's base URL (servers often put an
/// internal host name in their links).
fn follow(href: &str, _project: &str) -> Request {
    let without_scheme = href.split_once("://").map_or(href, |(_, rest)| rest);
    let path_and_query = without_scheme.find('/').map_or("/", |i| &without_scheme[i..]);
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let mut request = Request::new("get", path.to_string());
    request.query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    request
}

/// Deletes what the run created, waiting until each is gone: snapshots first (a volume
/// with snapshots cannot be deleted), then volumes.
pub(crate) fn cleanup(suite: &Suite) {
    let s = Step {
        suite,
        scenario: "cleanup",
    };
    let created: Vec<(&'static str, String)> = suite.created.borrow().clone();
    let mut leftovers = Vec::new();
    for phase in ["snapshot", "volume"] {
        let (template, param) = if phase == "snapshot" {
            (SNAPSHOT, "snapshot_id")
        } else {
            (VOLUME, "volume_id")
        };
        let mut deleting = Vec::new();
        for (_, id) in created.iter().filter(|(kind, _)| *kind == phase) {
            // A resource still settling cannot be deleted yet; give it its time.
            let settled = s.wait(template, &[(param, id)], |r| {
                r.status == 404 || {
                    let status = field(r, phase, "status").and_then(Value::as_str).unwrap_or("");
                    !matches!(
                        status,
                        "creating" | "detaching" | "extending" | "uploading" | "downloading" | "deleting"
                    )
                }
            });
            if settled.as_ref().is_some_and(|r| r.status == 404) {
                continue;
            }
            let status = settled
                .as_ref()
                .and_then(|r| field(r, phase, "status"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let relaxed = Intent::Positive { must_succeed: false };
            // A reservation (os-reserve) holds a volume in `attaching` until released.
            if status == "attaching" {
                s.call(
                    "post",
                    VOLUME_ACTION,
                    &[(param, id)],
                    Some(json!({"os-unreserve": {}})),
                    relaxed,
                );
            }
            if status == "in-use" {
                s.call(
                    "post",
                    VOLUME_ACTION,
                    &[(param, id)],
                    Some(json!({"os-detach": {}})),
                    relaxed,
                );
                s.wait_status(VOLUME, &[(param, id)], "volume", &["available"]);
            }
            s.call("delete", template, &[(param, id)], None, relaxed);
            deleting.push(id.clone());
        }
        for id in deleting {
            let end = s.wait(template, &[(param, &id)], |r| r.status == 404);
            if end.as_ref().is_none_or(|r| r.status != 404) {
                let last = end
                    .and_then(|r| field(&r, phase, "status").cloned())
                    .map(|st| st.to_string())
                    .unwrap_or_default();
                leftovers.push(format!("{phase} {id} (status {last})"));
            }
        }
    }
    suite.report.borrow_mut().leftovers = leftovers;
}
