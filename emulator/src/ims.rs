//! IMS: image creation requests become jobs that go `INIT → RUNNING → SUCCESS` (or
//! `FAIL` with a reason), one transition period per step.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::call::{Call, Handler, Reply};
use crate::error::{ApiError, Failure, Service};
use crate::faults::Fault;
use crate::state::{Job, new_id, new_job_id, phase, timestamp_ims, timestamp_ims_after};

/// The handler of each IMS operation; `None` for one the emulator does not implement.
pub(crate) fn handler(operation: &str) -> Option<Handler> {
    let h: Handler = match operation {
        "createImage" => |_, c| create_image(c),
        "createDataImage" => |_, c| create_data_image(c),
        "showJob" => |_, c| show_job(c),
        _ => return None,
    };
    Some(h)
}

fn body(call: &Call) -> Map<String, Value> {
    call.body
        .as_ref()
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn text<'a>(body: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str)
}

/// Submits a job; the ids of the images it will produce are chosen now, so the job can
/// name them when it ends.
fn submit(
    call: &Call,
    job_type: &'static str,
    name: &str,
    sub: Vec<String>,
    fail: Option<(&'static str, String)>,
) -> Reply {
    let mut world = call.app.world_mut();
    let project_id = call.tenant.project_id.clone();
    let make = |name: &str| (new_id(), name.to_string());
    let image = (!name.is_empty() && fail.is_none()).then(|| make(name));
    let sub_images = if fail.is_none() {
        sub.iter().map(|n| make(n)).collect()
    } else {
        Vec::new()
    };
    let job_id = new_job_id();
    world.jobs.insert(
        job_id.clone(),
        Job {
            project_id,
            job_type,
            started: call.now,
            begin_time: timestamp_ims(),
            end_time: timestamp_ims_after(call.app.config.transition * 2),
            fail,
            image,
            sub_images,
        },
    );
    Reply::Json(StatusCode::OK, json!({ "job_id": job_id }))
}

fn create_image(call: &Call) -> Result<Reply, ApiError> {
    let b = body(call);
    let name = text(&b, "name").unwrap_or_default().to_string();
    if b.contains_key("instance_id") || b.contains_key("data_images") && !b.contains_key("image_url") {
        let subs: Vec<String> = b
            .get("data_images")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|d| d.get("name").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let job_type = if b.contains_key("instance_id") {
            "imsCreateImageByInstance"
        } else {
            "imsCreateDataImagesByInstance"
        };
        return Ok(submit(call, job_type, &name, subs, None));
    }
    if let Some(url) = text(&b, "image_url") {
        let fail = unreadable(url);
        return Ok(submit(call, "imsImportImageJob", &name, Vec::new(), fail));
    }
    if let Some(volume_id) = text(&b, "volume_id") {
        // The job reads the volume: one this project does not have makes it fail.
        let exists = {
            let world = call.app.world();
            world
                .volumes
                .get(volume_id)
                .is_some_and(|v| v.project_id == call.tenant.project_id && !v.deleted(call))
        };
        let fail = (!exists).then(|| {
            (
                "IMG.0024",
                format!("volume {volume_id} does not exist in this project"),
            )
        });
        return Ok(submit(call, "imsVolumeCreateImageJob", &name, Vec::new(), fail));
    }
    Err(ApiError::bad_request(
        Failure::Invalid.code(Service::Ims),
        "the request names no source: instance_id, data_images, image_url or volume_id",
    ))
}

/// The emulator's OBS: every bucket exists except one named `missing`, so a test can make
/// an import job fail on purpose.
fn unreadable(url: &str) -> Option<(&'static str, String)> {
    let bucket = url.split(':').next().unwrap_or_default();
    (bucket == "missing" || !url.contains(':')).then(|| {
        (
            "IMG.0024",
            format!("the image file {url:?} cannot be read: the OBS bucket does not exist"),
        )
    })
}

fn create_data_image(call: &Call) -> Result<Reply, ApiError> {
    let b = body(call);
    let name = text(&b, "name").unwrap_or_default().to_string();
    let fail = unreadable(text(&b, "image_url").unwrap_or_default());
    Ok(submit(call, "imsImportDataImageJob", &name, Vec::new(), fail))
}

fn show_job(call: &Call) -> Result<Reply, ApiError> {
    let world = call.app.world();
    let id = call.param("job_id");
    let job = world
        .jobs
        .get(id)
        .filter(|j| j.project_id == call.tenant.project_id)
        // The job query documents no 404; a job that is not there (or not the caller's) is
        // the documented 400 with IMS's "task query failed" code.
        .ok_or_else(|| ApiError::bad_request("IMG.0023", format!("job {id} does not exist")))?;
    let step = phase(job.started, call.now, call.app.config.transition);
    let ended = step >= 2;
    let status = match (step, &job.fail) {
        (0, _) => "INIT",
        (1, _) => "RUNNING",
        (_, Some(_)) => "FAIL",
        (_, None) => "SUCCESS",
    };
    let mut entities = Map::new();
    if ended && job.fail.is_none() && !call.fault(Fault::JobWithoutImage) {
        if let Some((image_id, image_name)) = &job.image {
            entities.insert("image_id".into(), json!(image_id));
            entities.insert("image_name".into(), json!(image_name));
        }
        if !job.sub_images.is_empty() {
            let subs: Vec<Value> = job
                .sub_images
                .iter()
                .map(|(id, name)| {
                    json!({"status": "SUCCESS", "job_id": new_job_id(), "job_type": "imsCreateDataImageByInstance",
                           "entities": {"image_id": id, "image_name": name}})
                })
                .collect();
            entities.insert("sub_jobs_result".into(), Value::Array(subs));
        }
    }
    let (error_code, fail_reason) = match (&job.fail, ended) {
        (Some((c, r)), true) => (json!(c), json!(r)),
        _ => (Value::Null, Value::Null),
    };
    Ok(Reply::Json(
        StatusCode::OK,
        json!({
            "status": status,
            "job_id": id,
            "job_type": job.job_type,
            "begin_time": job.begin_time,
            "end_time": match (ended, call.fault(Fault::JobEndTimeMoves)) {
                (false, _) => String::new(),
                (true, false) => job.end_time.clone(),
                (true, true) => timestamp_ims(),
            },
            "error_code": error_code,
            "fail_reason": fail_reason,
            "entities": entities,
        }),
    ))
}
