//! `POST .../volumes/{volume_id}/action`: one key names the action; each checks the
//! volume's status and moves it through the documented transitional status.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::volumes::{Attachment, VolumeStatus, find};
use super::{bad, codes};
use crate::call::{Call, Reply};
use crate::error::ApiError;
use crate::faults::Fault;
use crate::state::{new_id, timestamp_evs};

pub(crate) fn volume_action(call: &Call) -> Result<Reply, ApiError> {
    let body = call
        .body
        .as_ref()
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if body.len() != 1 {
        return Err(bad(codes::BAD_REQUEST, "the body must hold exactly one action"));
    }
    let Some((action, args)) = body.into_iter().next() else {
        return Err(bad(codes::BAD_REQUEST, "the body must hold exactly one action"));
    };
    let args = args.as_object().cloned().unwrap_or_default();
    let mut world = call.app.world_mut();
    find(&world, call)?;
    let id = call.param("volume_id").to_string();
    let (_, used) = world.usage(&call.tenant.project_id);
    let quota = world.quota(&call.tenant.project_id, &call.app.limits);
    let Some(v) = world.volumes.get_mut(&id) else {
        return Err(bad(codes::BAD_REQUEST, "volume vanished"));
    };
    let status = v.current(call.now);
    let wrong_state = |what: &str| {
        bad(
            codes::BAD_REQUEST,
            format!("volume {id} is {}; {what}", status.as_str()),
        )
    };
    match action.as_str() {
        "os-extend" => {
            let new_size = args
                .get("new_size")
                .and_then(Value::as_i64)
                .ok_or_else(|| bad(codes::EXTEND_FORMAT, "new_size must be an integer"))?;
            if !matches!(status, VolumeStatus::Available | VolumeStatus::InUse) {
                return Err(ApiError::bad_request(
                    codes::EXTEND_STATUS,
                    format!("volume {id} is {} and cannot be extended", status.as_str()),
                ));
            }
            if new_size == v.size && call.fault(Fault::ExtendToSameSizeAccepted) {
                return Ok(Reply::Empty(StatusCode::ACCEPTED));
            }
            if new_size <= v.size {
                return Err(bad(
                    codes::EXTEND_SIZE,
                    format!(
                        "new_size {new_size} must be larger than the current size {}",
                        v.size
                    ),
                ));
            }
            let after = used.checked_sub(v.size).and_then(|u| u.checked_add(new_size));
            if after.is_none_or(|total| total > quota.gigabytes) {
                return Err(super::over_quota(
                    call,
                    codes::QUOTA_GIGABYTES,
                    "gigabytes quota exceeded",
                ));
            }
            let (project, grown) = (v.project_id.clone(), new_size - v.size);
            v.extending_from = Some(v.size);
            v.size = new_size;
            v.move_to(VolumeStatus::Extending, status, call);
            world.count_usage(&project, 0, grown);
            Ok(Reply::Empty(StatusCode::ACCEPTED))
        }
        "os-attach" => {
            let server = args
                .get("instance_uuid")
                .and_then(Value::as_str)
                .map(str::to_string);
            let host = args.get("host_name").and_then(Value::as_str).map(str::to_string);
            if server.is_none() && host.is_none() {
                return Err(bad(codes::BAD_REQUEST, "instance_uuid or host_name is required"));
            }
            let shareable_in_use = status == VolumeStatus::InUse && v.multiattach;
            if !(status == VolumeStatus::Available
                || shareable_in_use
                || (v.reserved && status == VolumeStatus::Attaching))
            {
                return Err(wrong_state(
                    "it must be available (or in-use and shareable) to attach",
                ));
            }
            v.attachments.push(Attachment {
                attachment_id: new_id(),
                server_id: server.unwrap_or_default(),
                host_name: host,
                device: args
                    .get("mountpoint")
                    .and_then(Value::as_str)
                    .unwrap_or("/dev/vdb")
                    .to_string(),
                attached_at: timestamp_evs(),
            });
            v.reserved = false;
            let mode = if args.get("mode").and_then(Value::as_str) == Some("ro") {
                v.readonly = true;
                "ro"
            } else {
                "rw"
            };
            // Cinder keeps both in the volume's admin metadata, which its views show in
            // `metadata`: the read-only flag (False until set) and how it is attached.
            let readonly = if v.readonly { "True" } else { "False" };
            v.metadata.entry("readonly").or_insert_with(|| json!(readonly));
            v.metadata.insert("attached_mode".into(), json!(mode));
            v.attach_move(VolumeStatus::Attaching, VolumeStatus::InUse, call);
            Ok(Reply::Empty(StatusCode::ACCEPTED))
        }
        "os-detach" => {
            if status != VolumeStatus::InUse {
                return Err(wrong_state("it must be in-use to detach"));
            }
            match args.get("attachment_id").and_then(Value::as_str) {
                Some(a) => {
                    let before = v.attachments.len();
                    v.attachments.retain(|x| x.attachment_id != a);
                    if v.attachments.len() == before {
                        return Err(bad(
                            codes::BAD_REQUEST,
                            format!("attachment {a} does not belong to volume {id}"),
                        ));
                    }
                }
                None => v.attachments.clear(),
            }
            let target = if v.attachments.is_empty() {
                v.metadata.remove("attached_mode");
                VolumeStatus::Available
            } else {
                VolumeStatus::InUse
            };
            v.attach_move(VolumeStatus::Detaching, target, call);
            Ok(Reply::Empty(StatusCode::ACCEPTED))
        }
        "os-reserve" => {
            if status != VolumeStatus::Available {
                return Err(wrong_state("it must be available to reserve"));
            }
            v.reserved = true;
            v.status = VolumeStatus::Attaching;
            v.moving = None;
            Ok(Reply::Empty(StatusCode::ACCEPTED))
        }
        "os-unreserve" => {
            if !v.reserved {
                return Err(wrong_state("it is not reserved"));
            }
            v.reserved = false;
            v.status = VolumeStatus::Available;
            Ok(Reply::Empty(StatusCode::ACCEPTED))
        }
        "os-set_bootable" => {
            let flag = flag(&args, "bootable")?;
            v.changeable(call.now)?;
            if !call.fault(Fault::BootableIgnored) {
                v.bootable = flag;
            }
            v.updated_at = Some(timestamp_evs());
            Ok(Reply::Empty(StatusCode::OK))
        }
        "os-update_readonly_flag" => {
            let flag = flag(&args, "readonly")?;
            v.changeable(call.now)?;
            v.readonly = flag;
            v.metadata.insert(
                "readonly".into(),
                json!(if v.readonly { "True" } else { "False" }),
            );
            v.updated_at = Some(timestamp_evs());
            Ok(Reply::Empty(StatusCode::ACCEPTED))
        }
        "os-volume_upload_image" => {
            drop(world);
            upload(call, &args)
        }
        other => Err(bad(codes::BAD_REQUEST, format!("unknown action {other:?}"))),
    }
}

/// Accepts a JSON boolean or the strings "true"/"false", as Cinder does.
fn flag(args: &Map<String, Value>, key: &str) -> Result<bool, ApiError> {
    match args.get(key) {
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(bad(codes::BAD_REQUEST, format!("{key} must be true or false"))),
    }
}

/// Export to image: the volume shows `uploading`, and a private image appears in IMS.
/// The v3 root exports as its own page says (000), the v2 root as 001 does.
fn upload(call: &Call, args: &Map<String, Value>) -> Result<Reply, ApiError> {
    let version = call.root;
    let mut world = call.app.world_mut();
    find(&world, call)?;
    let id = call.param("volume_id").to_string();
    let Some(v) = world.volumes.get_mut(&id) else {
        return Err(bad(codes::BAD_REQUEST, "volume vanished"));
    };
    let status = v.current(call.now);
    let force = args
        .get("force")
        .map(|f| matches!(f, Value::Bool(true)) || f.as_str() == Some("true"))
        .unwrap_or(false);
    if !(status == VolumeStatus::Available || (force && status == VolumeStatus::InUse)) {
        return Err(bad(
            codes::BAD_REQUEST,
            format!(
                "volume {id} is {}; export needs available (or in-use with force)",
                status.as_str()
            ),
        ));
    }
    let image_name = args
        .get("image_name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    // The two pages document different defaults: the v2 page zvhd2, the v3 page vhd.
    let disk_format = args
        .get("disk_format")
        .and_then(Value::as_str)
        .unwrap_or(if version == "v3" { "vhd" } else { "zvhd2" })
        .to_string();
    let container_format = args
        .get("container_format")
        .and_then(Value::as_str)
        .unwrap_or("bare")
        .to_string();
    let size = v.size;
    let volume_type = v.volume_type.clone();
    let description = v.description.clone();
    v.move_to(VolumeStatus::Uploading, status, call);
    let image_id = new_id();
    Ok(Reply::Json(
        StatusCode::ACCEPTED,
        json!({"os-volume_upload_image": {
            "id": id,
            "updated_at": timestamp_evs(),
            "status": "uploading",
            "display_description": description,
            "size": size,
            "volume_type": {"name": volume_type},
            "image_id": image_id,
            "container_format": container_format,
            "disk_format": disk_format,
            "image_name": image_name,
        }}),
    ))
}
