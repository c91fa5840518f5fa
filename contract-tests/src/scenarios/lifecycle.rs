//! The volume lifecycle scenario, driven through the generated EVS and IMS clients, as an
//! SDK user would: create → available → read back → update → read back → metadata →
//! read back → extend → snapshot → export to image → IMS job → delete → 404.
//!
//! Each step's typed outcome becomes a finding: an undocumented status, a body the
//! generated model cannot read (a missing required field, a wrong type), a documented
//! error where success was due; read-backs compare typed fields.

use std::future::Future;

use evs_ims::{evs, ims};
use serde_json::{Value, json};
use specwright_runtime::{Error, Response, Retry, Transport};

use crate::checks::{Check, Finding};
use crate::context::{Context, lock};
use crate::exchange::{Case, Request};
use crate::ledger::Created;
use crate::wait::{self, Outcome, Seen, Transitional, Want};

const VOLUME: &str = "/v2/{project_id}/volumes/{volume_id}";
const SNAPSHOT: &str = "/v2/{project_id}/snapshots/{snapshot_id}";
const JOB: &str = "/v1/{project_id}/jobs/{job_id}";

struct Steps<'a> {
    ctx: &'a Context,
    evs: evs::Client,
    ims: ims::Client,
}

impl Steps<'_> {
    fn block<F: Future>(&self, f: F) -> F::Output {
        self.ctx.block_on(f)
    }

    fn request(&self, method: &str, path: String, body: Option<Value>) -> Request {
        let r = Request::new(method, path.replace("{project_id}", &self.ctx.target.project_id));
        match body {
            Some(b) => r.json(&b),
            None => r,
        }
    }

    fn record(&self, operation: &str, finding: Finding, request: Request) {
        let case = Case::new(operation, "scenario volume lifecycle (generated client)", request);
        self.ctx.record(std::slice::from_ref(&finding), &case);
    }

    /// Polls with the generated client until `want`, failing `state-transition` when the
    /// volume rests in another status.
    fn wait_volume(&self, id: &str, want: &str) -> Option<evs::types::Volume> {
        let transitional = Transitional::of(self.ctx, VOLUME);
        let mut last = None;
        let outcome = wait::until(
            self.ctx,
            VOLUME,
            &transitional,
            Want::Status(&[want]),
            || match self.show(id) {
                Ok(v) => {
                    let status = v.status.as_str().to_string();
                    last = Some(v);
                    Seen::Status(status)
                }
                Err(Error::Api { status, .. }) if status == 404 => Seen::Gone,
                Err(e) => Seen::Unreadable(e.to_string()),
            },
        );
        let reached = matches!(outcome, Outcome::Reached(_));
        self.expect(
            "showVolume",
            Check::StateTransition,
            reached,
            format!("status {want} through documented transitional statuses"),
            outcome.describe(),
            self.request("get", format!("/v2/{{project_id}}/volumes/{id}"), None),
        );
        if reached { last } else { None }
    }

    /// Deleted: 404 at once, or after documented transitional statuses only.
    fn gone(&self, template: &str, poll: impl FnMut() -> Seen) -> Outcome {
        let transitional = Transitional::of(self.ctx, template);
        wait::until(self.ctx, template, &transitional, Want::Gone, poll)
    }

    /// Turns a typed result into findings; `Some` with the success value.
    fn judge<T, E: std::fmt::Debug>(
        &self,
        operation: &str,
        result: Result<Response<T>, Error<E>>,
        request: Request,
    ) -> Option<T> {
        let finding = match &result {
            Ok(_) => None,
            Err(Error::UnexpectedStatus(raw)) => Some(Finding::fail(
                Check::StatusDocumented,
                "a documented status",
                format!("{}: {}", raw.status, raw.text()),
            )),
            Err(Error::Decode { response, message }) => Some(Finding::fail(
                Check::ResponseSchema,
                "a body the generated model reads",
                format!("{}: {message}", response.status),
            )),
            Err(Error::Api { status, body, .. }) if status.is_server_error() => Some(Finding::fail(
                Check::NoServerError,
                "a status below 500",
                format!("{status}: {body:?}"),
            )),
            Err(Error::Api { status, body, .. }) => Some(Finding::fail(
                Check::PositiveAccepted,
                "a documented success",
                format!("{status}: {body:?}"),
            )),
            Err(e) => Some(Finding::fail(Check::NoServerError, "a response", e.to_string())),
        };
        match finding {
            Some(f) => {
                self.record(operation, f, request);
                None
            }
            None => {
                self.record(operation, Finding::pass(Check::PositiveAccepted), request);
                result.ok().map(Response::into_inner)
            }
        }
    }

    fn expect(
        &self,
        operation: &str,
        check: Check,
        ok: bool,
        expected: String,
        actual: String,
        request: Request,
    ) {
        let f = if ok {
            Finding::pass(check)
        } else {
            Finding::fail(check, expected, actual)
        };
        self.record(operation, f, request);
    }

    fn show(&self, id: &str) -> Result<evs::types::Volume, Error<evs::types::ErrorResponse>> {
        self.block(self.evs.show_volume(id))
            .map(|r| r.into_inner().volume)
    }
}

pub(crate) fn volume_lifecycle(ctx: &Context) {
    let selected = ctx
        .find("post", "/v2/{project_id}/volumes")
        .is_some_and(|(_, op)| ctx.selected(&op.display_name()));
    if !selected {
        return;
    }
    // Every answer is judged, so no attempt is retried out of sight.
    let transport = match Transport::builder(ctx.target.base_url.clone())
        .auth(ctx.target.auth.clone())
        .timeout(ctx.target.timeout)
        .retry(Retry::none())
        .build()
    {
        Ok(t) => t,
        Err(e) => {
            ctx.report().skip("volume lifecycle", &format!("no client: {e}"));
            return;
        }
    };
    let p = ctx.target.project_id.clone();
    let s = Steps {
        ctx,
        evs: evs::Client::new(transport.clone(), p.clone()),
        ims: ims::Client::new(transport, p),
    };
    let vol_path = |id: &str| format!("/v2/{{project_id}}/volumes/{id}");

    let mut params = evs::types::CreateVolumeParams::new(2);
    params.name = Some(Some("contract-life".into()));
    params.description = Some(Some("written by contract-tests".into()));
    params.metadata = Some(Some(evs::types::CreateVolumeParamsMetadata {
        additional_properties: [("purpose".to_string(), "lifecycle".to_string())].into(),
        ..Default::default()
    }));
    let body = evs::types::CreateVolumeRequest::new(params);
    let req = s.request(
        "post",
        "/v2/{project_id}/volumes".into(),
        serde_json::to_value(&body).ok(),
    );
    let Some(created) = s.judge("createVolume", s.block(s.evs.create_volume(&body)), req) else {
        return;
    };
    let id = created.volume.id.clone();
    lock(&ctx.ledger.created).push(Created {
        template: VOLUME.into(),
        path: format!("/v2/{}/volumes/{id}", ctx.target.project_id),
        id: id.clone(),
    });
    let read = || s.request("get", vol_path(&id), None);

    let Some(v) = s.wait_volume(&id, "available") else {
        return;
    };
    let check_field = |step: &str, name: &str, want: Value, got: Value| {
        s.expect(
            "showVolume",
            Check::LostData,
            want == got,
            format!("{name} = {want} after {step}"),
            format!("{name} = {got}"),
            read(),
        );
    };
    check_field("create", "status", json!("available"), json!(v.status.as_str()));
    check_field(
        "create",
        "name",
        json!("contract-life"),
        json!(v.name.clone().flatten()),
    );
    check_field(
        "create",
        "description",
        json!("written by contract-tests"),
        json!(v.description.clone().flatten()),
    );
    check_field("create", "size", json!(2), json!(v.size));

    let update = evs::types::UpdateVolumeRequest::new(evs::types::UpdateVolumeParams {
        name: Some("contract-life-2".into()),
        description: Some("updated".into()),
        ..Default::default()
    });
    let req = s.request("put", vol_path(&id), serde_json::to_value(&update).ok());
    s.judge("updateVolume", s.block(s.evs.update_volume(&id, &update)), req);
    if let Ok(v) = s.show(&id) {
        check_field(
            "update",
            "name",
            json!("contract-life-2"),
            json!(v.name.flatten()),
        );
        check_field(
            "update",
            "description",
            json!("updated"),
            json!(v.description.flatten()),
        );
    }

    // Metadata: add two keys, change one, delete the other; each must read back.
    let meta_path = format!("{}/metadata", vol_path(&id));
    let add = evs::types::MetadataBody::new(
        [("stage".into(), "one".into()), ("keep".into(), "yes".into())]
            .into_iter()
            .collect(),
    );
    let req = s.request("post", meta_path.clone(), serde_json::to_value(&add).ok());
    s.judge(
        "createVolumeMetadata",
        s.block(s.evs.create_volume_metadata(&id, &add)),
        req,
    );
    let meta_is = |step: &str, key: &str, want: Option<&str>| {
        let got = s
            .block(s.evs.show_volume_metadata(&id))
            .ok()
            .and_then(|r| r.into_inner().metadata.get(key).cloned());
        s.expect(
            "showVolumeMetadata",
            Check::LostData,
            got.as_deref() == want,
            format!("metadata {key} = {want:?} after {step}"),
            format!("{got:?}"),
            s.request("get", meta_path.clone(), None),
        );
    };
    meta_is("adding metadata", "stage", Some("one"));
    meta_is("adding metadata", "purpose", Some("lifecycle"));
    let item = evs::types::MetaItemBody::new([("stage".into(), "two".into())].into_iter().collect());
    let req = s.request(
        "put",
        format!("{meta_path}/stage"),
        serde_json::to_value(&item).ok(),
    );
    s.judge(
        "updateVolumeMetadataItem",
        s.block(s.evs.update_volume_metadata_item(&id, "stage", &item)),
        req,
    );
    meta_is("updating one key", "stage", Some("two"));
    let req = s.request("delete", format!("{meta_path}/keep"), None);
    s.judge(
        "deleteVolumeMetadataItem",
        s.block(s.evs.delete_volume_metadata_item(&id, "keep")),
        req,
    );
    meta_is("deleting one key", "keep", None);
    meta_is("deleting another key", "stage", Some("two"));

    // Extend through the action's convenience method; the new size reads back.
    let extend = evs::types::ExtendVolumeParams { new_size: 3 };
    let req = s.request(
        "post",
        format!("{}/action", vol_path(&id)),
        Some(json!({"os-extend": {"new_size": 3}})),
    );
    s.judge("volumeAction", s.block(s.evs.extend_volume(&id, &extend)), req);
    if let Some(v) = s.wait_volume(&id, "available") {
        check_field("extend", "size", json!(3), json!(v.size));
    }

    // Snapshot, export to image, and an IMS image from the volume followed to its end.
    let snap_body = evs::types::CreateSnapshotRequest::new(evs::types::CreateSnapshotParams::new(id.clone()));
    let req = s.request(
        "post",
        "/v2/{project_id}/snapshots".into(),
        serde_json::to_value(&snap_body).ok(),
    );
    let snapshot_id = s
        .judge("createSnapshot", s.block(s.evs.create_snapshot(&snap_body)), req)
        .map(|r| r.snapshot.id);
    if let Some(sid) = &snapshot_id {
        lock(&ctx.ledger.created).push(Created {
            template: SNAPSHOT.into(),
            path: format!("/v2/{}/snapshots/{sid}", ctx.target.project_id),
            id: sid.clone(),
        });
    }
    let export = evs::types::UploadImageParams::new("contract-life-image".into());
    let req = s.request(
        "post",
        format!("{}/action", vol_path(&id)),
        Some(json!({"os-volume_upload_image": export})),
    );
    s.judge("volumeAction", s.block(s.evs.export_to_image(&id, &export)), req);
    s.wait_volume(&id, "available");
    let image = ims::types::CreateImageRequest::CreateImageFromVolumeRequest(
        ims::types::CreateImageFromVolumeRequest::new(
            "contract-life-ims".into(),
            id.clone(),
            "CentOS 7.6 64bit".into(),
        ),
    );
    let req = s.request(
        "post",
        "/v2/cloudimages/action".into(),
        serde_json::to_value(&image).ok(),
    );
    if !ctx.selected("createImage") || !ctx.selected("showJob") {
        return delete_all(&s, &id, snapshot_id.as_deref());
    }
    if let Some(job) = s.judge("createImage", s.block(s.ims.create_image(&image)), req) {
        let job_path = format!("/v1/{{project_id}}/jobs/{}", job.job_id);
        let transitional = Transitional::of(ctx, JOB);
        let mut last = None;
        wait::until(
            ctx,
            JOB,
            &transitional,
            Want::Status(&["SUCCESS", "FAIL"]),
            || match s.block(s.ims.show_job(&job.job_id)).map(Response::into_inner) {
                Ok(j) => {
                    let status = j.status.as_str().to_string();
                    last = Some(j);
                    Seen::Status(status)
                }
                Err(e) => Seen::Unreadable(e.to_string()),
            },
        );
        let ok = last.as_ref().is_some_and(|j| match j.status {
            ims::types::JobStatus::Success => j
                .entities
                .as_ref()
                .and_then(|e| e.image_id.as_deref())
                .is_some_and(|i| !i.is_empty()),
            ims::types::JobStatus::Fail => j.fail_reason.clone().flatten().is_some_and(|r| !r.is_empty()),
            _ => false,
        });
        s.expect(
            "showJob",
            Check::JobResult,
            ok,
            "SUCCESS with entities.image_id, or FAIL with a fail_reason".into(),
            format!("{last:?}"),
            s.request("get", job_path.clone(), None),
        );
        // An end is final: read again a moment later, the status and end time are the same.
        if let Some(ended) = last.filter(|_| ok) {
            std::thread::sleep(std::time::Duration::from_millis(30));
            if let Ok(again) = s.block(s.ims.show_job(&job.job_id)).map(Response::into_inner) {
                let same = again.status == ended.status && again.end_time == ended.end_time;
                s.expect(
                    "showJob",
                    Check::JobResult,
                    same,
                    format!(
                        "the job to stay {} with end_time {:?}",
                        ended.status.as_str(),
                        ended.end_time
                    ),
                    format!(
                        "{} with end_time {:?} on a later read",
                        again.status.as_str(),
                        again.end_time
                    ),
                    s.request("get", job_path, None),
                );
            }
        }
    }
    delete_all(&s, &id, snapshot_id.as_deref());
}

/// Deletes: each must read as 404, at once or after documented transitional statuses.
fn delete_all(s: &Steps, id: &str, snapshot_id: Option<&str>) {
    let ctx = s.ctx;
    let vol_path = format!("/v2/{{project_id}}/volumes/{id}");
    if let Some(sid) = snapshot_id {
        let path = format!("/v2/{{project_id}}/snapshots/{sid}");
        let show = || match s.block(s.evs.show_snapshot(sid)) {
            Ok(r) => Seen::Status(r.into_inner().snapshot.status.as_str().to_string()),
            Err(Error::Api { status, .. }) if status == 404 => Seen::Gone,
            Err(e) => Seen::Unreadable(e.to_string()),
        };
        // A snapshot still being created cannot be deleted yet.
        wait::until(
            ctx,
            SNAPSHOT,
            &Transitional::of(ctx, SNAPSHOT),
            Want::Settled,
            show,
        );
        s.judge(
            "deleteSnapshot",
            s.block(s.evs.delete_snapshot(sid)),
            s.request("delete", path.clone(), None),
        );
        let outcome = s.gone(SNAPSHOT, show);
        let gone = outcome == Outcome::Gone;
        s.expect(
            "showSnapshot",
            Check::UseAfterDelete,
            gone,
            "404 after delete".into(),
            outcome.describe(),
            s.request("get", path, None),
        );
        if gone {
            lock(&ctx.ledger.created).retain(|c| c.id != sid);
        }
    }
    s.judge(
        "deleteVolume",
        s.block(s.evs.delete_volume(id)),
        s.request("delete", vol_path.clone(), None),
    );
    let outcome = s.gone(VOLUME, || match s.show(id) {
        Ok(v) => Seen::Status(v.status.as_str().to_string()),
        Err(Error::Api { status, .. }) if status == 404 => Seen::Gone,
        Err(e) => Seen::Unreadable(e.to_string()),
    });
    let gone = outcome == Outcome::Gone;
    s.expect(
        "showVolume",
        Check::UseAfterDelete,
        gone,
        "404 after delete".into(),
        outcome.describe(),
        s.request("get", vol_path, None),
    );
    if gone {
        lock(&ctx.ledger.created).retain(|c| c.id != id);
    }
}
