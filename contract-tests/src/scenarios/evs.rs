//! The EVS + IMS scenario: what the property-based part needs before it starts (a volume
//! with a metadata key, a snapshot, an IMS job, a volume type), items for the list probes,
//! and, on the v2 root, the volume lifecycle through the generated clients.
//!
//! Every path is taken from the root of the operations the run selected: a run of the v3
//! operations makes, reads and deletes v3 resources and sends nothing to `/v2`. IMS is
//! touched only when an IMS operation is selected.

use serde_json::{Value, json};

use crate::checks::Intent;
use crate::context::{Context, lock};
use crate::steps::{call, id_of, wait_for};
use crate::wait::Want;

const IMAGES_ACTION: &str = "/v2/cloudimages/action";
const JOB: &str = "/v1/{project_id}/jobs/{job_id}";

/// The EVS paths under one root (`/v2/{project_id}` or `/v3/{project_id}`).
pub struct Evs {
    root: String,
}

impl Evs {
    /// The root of the first selected operation under which the specs can create volumes;
    /// `None` when the run selects no such operation.
    pub fn find(ctx: &Context) -> Option<Evs> {
        ctx.specs.iter().find_map(|spec| {
            spec.operations().into_iter().find_map(|op| {
                if !ctx.selected(&op.display_name()) {
                    return None;
                }
                let mut segments = op.path.splitn(4, '/');
                let (_, version, project) = (segments.next()?, segments.next()?, segments.next()?);
                let root = format!("/{version}/{project}");
                let versioned = version.starts_with('v') && version[1..].chars().all(|c| c.is_ascii_digit());
                (versioned
                    && project == "{project_id}"
                    && ctx.find("post", &format!("{root}/volumes")).is_some())
                .then_some(Evs { root })
            })
        })
    }

    pub fn path(&self, rest: &str) -> String {
        format!("{}{rest}", self.root)
    }

    pub fn is_v2(&self) -> bool {
        self.root == "/v2/{project_id}"
    }

    /// Whether the run selected some IMS operation.
    fn ims_selected(ctx: &Context) -> bool {
        [("post", IMAGES_ACTION), ("get", JOB)]
            .into_iter()
            .any(|(method, path)| {
                ctx.find(method, path)
                    .is_some_and(|(_, op)| ctx.selected(&op.display_name()))
            })
    }

    /// Creates what the operations under test need: a volume with a metadata key, a
    /// snapshot, an IMS job; and finds a volume type.
    pub fn setup(&self, ctx: &Context) {
        let positive = Intent::Positive { must_succeed: true };
        let types = self.path("/types");
        if let Some((_, r)) = call(ctx, "setup", "get", &types, &[], None, positive) {
            if let Some(id) = r
                .body
                .as_ref()
                .and_then(|b| b.get("volume_types"))
                .and_then(|t| t.get(0))
                .and_then(|t| t.get("id"))
                .and_then(Value::as_str)
            {
                lock(&ctx.ledger.pool).insert(&format!("{types}/{{type_id}}"), "type_id", id);
            }
        }
        lock(&ctx.ledger.pool)
            .by_name
            .insert("target_project_id".into(), ctx.target.project_id.clone());
        let body = json!({"volume": {"size": 1, "name": "contract-pool", "metadata": {"contract": "pool"}}});
        let Some(volume_id) = self.make_available(ctx, "setup", "volume", body) else {
            return;
        };
        {
            let mut pool = lock(&ctx.ledger.pool);
            pool.insert(&self.path("/volumes/{volume_id}"), "volume_id", &volume_id);
            pool.by_name.insert("key".into(), "contract".into());
        }
        let body = json!({"snapshot": {"volume_id": volume_id, "name": "contract-pool"}});
        if let Some(snapshot_id) = self.make_available(ctx, "setup", "snapshot", body) {
            lock(&ctx.ledger.pool).insert(
                &self.path("/snapshots/{snapshot_id}"),
                "snapshot_id",
                &snapshot_id,
            );
        }
        if !Evs::ims_selected(ctx) {
            return;
        }
        let body =
            json!({"name": "contract-pool-image", "instance_id": "00000000-0000-4000-8000-000000000001"});
        if let Some((_, job)) = call(ctx, "setup", "post", IMAGES_ACTION, &[], Some(body), positive) {
            if let Some(id) = job
                .body
                .as_ref()
                .and_then(|b| b.get("job_id"))
                .and_then(Value::as_str)
            {
                lock(&ctx.ledger.pool)
                    .by_name
                    .insert("job_id".into(), id.to_string());
            }
        }
    }

    /// Read-only runs use what exists; the generic discovery finds ids, this finds a
    /// metadata key of the volume it found.
    pub fn discover(&self, ctx: &Context) {
        lock(&ctx.ledger.pool)
            .by_name
            .insert("target_project_id".into(), ctx.target.project_id.clone());
        let volume = lock(&ctx.ledger.pool)
            .by_prefix
            .get(&self.path("/volumes/{volume_id}"))
            .cloned();
        if let Some(volume) = volume {
            let relaxed = Intent::Positive { must_succeed: false };
            let key = call(
                ctx,
                "discover",
                "get",
                &self.path("/volumes/{volume_id}/metadata"),
                &[("volume_id", &volume)],
                None,
                relaxed,
            )
            .and_then(|(_, r)| r.body?.get("metadata")?.as_object()?.keys().next().cloned());
            if let Some(key) = key {
                lock(&ctx.ledger.pool).by_name.insert("key".into(), key);
            }
        }
    }

    /// Every job the run starts is followed to its end: the setup's IMS job reaches
    /// `SUCCESS` with its image id or `FAIL` with its reason.
    fn follow_setup_job(&self, ctx: &Context) {
        let job = lock(&ctx.ledger.pool).by_name.get("job_id").cloned();
        let Some(job) = job.filter(|_| Evs::ims_selected(ctx)) else {
            return;
        };
        let params = [("job_id", job.as_str())];
        let ended = wait_for(ctx, "setup job", JOB, &params, Want::Status(&["SUCCESS", "FAIL"]));
        if !matches!(ended, crate::wait::Outcome::Reached(_)) {
            return; // state-transition has said why
        }
        let relaxed = Intent::Positive { must_succeed: false };
        let Some((case, read)) = call(ctx, "setup job", "get", JOB, &params, None, relaxed) else {
            return;
        };
        let Some(body) = read.body.as_ref() else { return };
        let text = |pointer: &str| {
            body.pointer(pointer)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let ok = match body.get("status").and_then(Value::as_str) {
            Some("SUCCESS") => text("/entities/image_id").is_some(),
            Some("FAIL") => text("/fail_reason").is_some(),
            _ => false,
        };
        let f = crate::checks::Finding::check(
            crate::checks::Check::JobResult,
            ok,
            "SUCCESS with entities.image_id, or FAIL with a fail_reason",
            crate::judge::excerpt(&read.body_text),
        );
        ctx.record(std::slice::from_ref(&f), &case);
    }

    /// Makes a few more volumes, so that lists have items to page, sort and filter.
    pub fn seed_lists(&self, ctx: &Context) {
        // All three are created before any is waited for: they become available together.
        let names = ["contract-list-b", "contract-list-A", "contract-list-名前"];
        let ids: Vec<String> = names
            .iter()
            .enumerate()
            .filter_map(|(i, name)| {
                let body =
                    json!({"volume": {"size": i + 1, "name": name, "description": format!("list item {i}")}});
                self.create(ctx, "list items", "volume", body)
            })
            .collect();
        for id in ids {
            wait_for(
                ctx,
                "list items",
                &self.path("/volumes/{volume_id}"),
                &[("volume_id", &id)],
                Want::Status(&["available"]),
            );
        }
    }

    /// Creates a volume or a snapshot and waits until it is `available`; its id.
    fn make_available(&self, ctx: &Context, scenario: &str, kind: &str, body: Value) -> Option<String> {
        let id = self.create(ctx, scenario, kind, body)?;
        let (item, param) = match kind {
            "volume" => (self.path("/volumes/{volume_id}"), "volume_id"),
            _ => (self.path("/snapshots/{snapshot_id}"), "snapshot_id"),
        };
        wait_for(
            ctx,
            scenario,
            &item,
            &[(param, &id)],
            Want::Status(&["available"]),
        );
        Some(id)
    }

    /// Creates a volume or a snapshot; its id.
    fn create(&self, ctx: &Context, scenario: &str, kind: &str, body: Value) -> Option<String> {
        let collection = self.path(if kind == "volume" {
            "/volumes"
        } else {
            "/snapshots"
        });
        let positive = Intent::Positive { must_succeed: true };
        call(ctx, scenario, "post", &collection, &[], Some(body), positive).and_then(|(_, r)| id_of(&r, kind))
    }
}

impl super::Scenario for Evs {
    fn name(&self) -> &str {
        "list items and volume lifecycle"
    }

    fn prepare(&self, ctx: &Context) {
        if ctx.settings.allow_mutations {
            self.setup(ctx);
        }
    }

    fn discover(&self, ctx: &Context) {
        if !ctx.settings.allow_mutations {
            Evs::discover(self, ctx);
        }
    }

    fn alongside(&self, ctx: &Context) {
        if !ctx.settings.allow_mutations {
            return;
        }
        self.seed_lists(ctx);
        self.follow_setup_job(ctx);
        if self.is_v2() {
            super::lifecycle::volume_lifecycle(ctx);
        }
    }
}
