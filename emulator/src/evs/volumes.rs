//! Volumes: create (blank, from a snapshot, from an image), list, show, update, delete.

use std::time::Instant;

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{Link, bad, body_object, check_metadata, codes, links, list_reply, not_found, sort_dir, wrapped};
use crate::call::{Call, Reply};
use crate::error::ApiError;
use crate::faults::Fault;
use crate::state::{new_id, timestamp_evs, timestamp_evs_in};

/// The statuses of appendix A.2 the emulator moves volumes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VolumeStatus {
    Creating,
    Available,
    InUse,
    Attaching,
    Detaching,
    Extending,
    Uploading,
    Downloading,
    Deleting,
}

impl VolumeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VolumeStatus::Creating => "creating",
            VolumeStatus::Available => "available",
            VolumeStatus::InUse => "in-use",
            VolumeStatus::Attaching => "attaching",
            VolumeStatus::Detaching => "detaching",
            VolumeStatus::Extending => "extending",
            VolumeStatus::Uploading => "uploading",
            VolumeStatus::Downloading => "downloading",
            VolumeStatus::Deleting => "deleting",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Attachment {
    pub attachment_id: String,
    pub server_id: String,
    pub host_name: Option<String>,
    pub device: String,
    pub attached_at: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Volume {
    pub id: String,
    pub project_id: String,
    pub user_id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub size: i64,
    /// The status it rests in, and, while moving, the status it shows until `until`.
    pub status: VolumeStatus,
    pub moving: Option<(VolumeStatus, Instant)>,
    /// When the last move ends, as a timestamp: Cinder stamps `updated_at` when a status
    /// change completes, so a read after it shows this.
    pub moved_at: Option<String>,
    pub volume_type: String,
    pub availability_zone: String,
    pub bootable: bool,
    pub readonly: bool,
    pub multiattach: bool,
    pub reserved: bool,
    pub metadata: Map<String, Value>,
    pub attachments: Vec<Attachment>,
    pub snapshot_id: Option<String>,
    pub source_volid: Option<String>,
    pub image_id: Option<String>,
    pub created_at: String,
    pub updated_at: Option<String>,
    /// When deletion was asked; the volume is gone one transition later.
    pub deleting_since: Option<Instant>,
    /// The size before an extension: shown while `extending`, as Cinder changes `size` only
    /// when the extension completes.
    pub extending_from: Option<i64>,
}

impl Volume {
    /// The status shown now.
    pub fn current(&self, now: Instant) -> VolumeStatus {
        if self.deleting_since.is_some() {
            return VolumeStatus::Deleting;
        }
        match self.moving {
            Some((during, until)) if now < until => during,
            _ => self.status,
        }
    }

    /// Whether the volume is gone (deleted, and its `deleting` period over).
    pub fn deleted(&self, call: &Call) -> bool {
        match self.deleting_since {
            Some(since) => {
                !call.fault(Fault::ReadableAfterDelete)
                    && !call.fault(Fault::DeletedStillAvailable)
                    && call.now >= since + call.app.config.transition
            }
            None => false,
        }
    }

    /// Refuses a change (an update, metadata, a flag) while the volume is being deleted:
    /// what is going away takes no writes, so nothing is counted for a volume that is gone.
    pub fn changeable(&self, now: Instant) -> Result<(), ApiError> {
        match self.current(now) {
            VolumeStatus::Deleting => Err(bad(
                codes::BAD_REQUEST,
                format!("volume {} is deleting and cannot be changed", self.id),
            )),
            _ => Ok(()),
        }
    }

    /// The size a read shows now.
    pub fn shown_size(&self, now: Instant) -> i64 {
        match self.extending_from {
            Some(old) if self.current(now) == VolumeStatus::Extending => old,
            _ => self.size,
        }
    }

    /// The status a read shows now, faults included.
    pub fn shown_status(&self, call: &Call) -> &'static str {
        let status = if self.deleting_since.is_some() {
            if call.fault(Fault::DeletedStillAvailable)
                && call.now >= self.deleting_since.unwrap_or(call.now) + call.app.config.transition
            {
                VolumeStatus::Available
            } else {
                VolumeStatus::Deleting
            }
        } else {
            self.current(call.now)
        };
        if status == VolumeStatus::Available && call.fault(Fault::UnlistedStatus) {
            return "ready";
        }
        status.as_str()
    }

    /// Moves to `target`, showing `during` for one transition period.
    /// Changes the status at once, with no transitional status between.
    pub fn change_to(&mut self, target: VolumeStatus) {
        self.status = target;
        self.moving = None;
        self.updated_at = Some(timestamp_evs());
        self.moved_at = None;
    }

    /// An attach or detach: on the v3 root at once, as Cinder's API waits for the volume
    /// service (a synchronous call) before it answers; on v2 through `attaching` /
    /// `detaching`, the statuses 004 §4.2/§4.3 give.
    pub fn attach_move(&mut self, during: VolumeStatus, target: VolumeStatus, call: &Call) {
        if call.on_v3() {
            self.change_to(target);
        } else {
            self.move_to(during, target, call);
        }
    }

    pub fn move_to(&mut self, during: VolumeStatus, target: VolumeStatus, call: &Call) {
        self.status = target;
        self.moving = Some((during, call.now + call.app.config.transition));
        self.updated_at = Some(timestamp_evs());
        self.moved_at = Some(timestamp_evs_in(call.app.config.transition));
    }

    /// `updated_at` as a read shows it now: the last change, or the end of the last status
    /// change once it is over.
    pub fn shown_updated_at(&self, now: Instant) -> Option<&str> {
        let settled = match (&self.moving, &self.moved_at) {
            (Some((_, until)), Some(at)) if now >= *until => Some(at.as_str()),
            _ => None,
        };
        self.updated_at.as_deref().max(settled)
    }

    pub fn summary(&self, call: &Call) -> VolumeSummary<'_> {
        VolumeSummary {
            id: &self.id,
            links: links(call, "volumes", &self.id),
            name: self.name.as_deref(),
        }
    }

    /// The full view (`GET /volumes/{id}`, `/volumes/detail`), faults included.
    /// The volume as a create or an update answers it: the detail without the `os-vol-*`
    /// extension attributes, which Cinder adds to show and list-detail answers only.
    pub fn written(&self, call: &Call) -> VolumeDetail<'_> {
        VolumeDetail {
            extended: None,
            ..self.detail(call)
        }
    }

    pub fn detail(&self, call: &Call) -> VolumeDetail<'_> {
        let size = self.shown_size(call.now);
        VolumeDetail {
            id: (!call.fault(Fault::MissingRequiredField)).then_some(self.id.as_str()),
            links: links(call, "volumes", &self.id),
            name: self.name.as_deref(),
            status: self.shown_status(call),
            attachments: self
                .attachments
                .iter()
                .map(|a| AttachmentView {
                    server_id: &a.server_id,
                    attachment_id: &a.attachment_id,
                    attached_at: &a.attached_at,
                    host_name: a.host_name.as_deref(),
                    volume_id: &self.id,
                    device: &a.device,
                    id: &self.id,
                })
                .collect(),
            availability_zone: &self.availability_zone,
            bootable: if self.bootable { "true" } else { "false" },
            encrypted: false,
            created_at: &self.created_at,
            description: self.description.as_deref(),
            volume_type: &self.volume_type,
            replication_status: "disabled",
            consistencygroup_id: None,
            source_volid: self.source_volid.as_deref(),
            snapshot_id: self.snapshot_id.as_deref(),
            metadata: &self.metadata,
            size: if call.fault(Fault::WrongFieldType) {
                Size::Text(size.to_string())
            } else {
                Size::Number(size)
            },
            user_id: &self.user_id,
            updated_at: self.shown_updated_at(call.now),
            shareable: self.multiattach,
            multiattach: self.multiattach,
            extended: Some(Extended {
                tenant_id: &self.project_id,
                host: "emulator@backend#pool",
                migration_status: None,
                name_id: None,
            }),
            volume_image_metadata: self
                .image_id
                .as_deref()
                .map(|image_id| ImageMetadata { image_id }),
        }
    }
}

/// A volume in a list without details.
#[derive(Serialize)]
pub(crate) struct VolumeSummary<'a> {
    id: &'a str,
    links: [Link; 2],
    name: Option<&'a str>,
}

/// A volume as a show or a detailed list gives it. The fields are written in this order.
#[derive(Serialize)]
pub(crate) struct VolumeDetail<'a> {
    /// Absent only under the `missing-required-field` fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    links: [Link; 2],
    name: Option<&'a str>,
    status: &'static str,
    attachments: Vec<AttachmentView<'a>>,
    availability_zone: &'a str,
    /// A string, as Cinder gives it.
    bootable: &'static str,
    encrypted: bool,
    created_at: &'a str,
    description: Option<&'a str>,
    volume_type: &'a str,
    replication_status: &'static str,
    consistencygroup_id: Option<&'a str>,
    source_volid: Option<&'a str>,
    snapshot_id: Option<&'a str>,
    metadata: &'a Map<String, Value>,
    size: Size,
    user_id: &'a str,
    updated_at: Option<&'a str>,
    shareable: bool,
    multiattach: bool,
    /// The `os-vol-*` extension attributes: Cinder adds them to show and list-detail
    /// answers only, not to what a create or an update answers.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    extended: Option<Extended<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume_image_metadata: Option<ImageMetadata<'a>>,
}

#[derive(Serialize)]
struct Extended<'a> {
    #[serde(rename = "os-vol-tenant-attr:tenant_id")]
    tenant_id: &'a str,
    #[serde(rename = "os-vol-host-attr:host")]
    host: &'static str,
    #[serde(rename = "os-vol-mig-status-attr:migstat")]
    migration_status: Option<&'a str>,
    #[serde(rename = "os-vol-mig-status-attr:name_id")]
    name_id: Option<&'a str>,
}

#[derive(Serialize)]
struct AttachmentView<'a> {
    server_id: &'a str,
    attachment_id: &'a str,
    attached_at: &'a str,
    host_name: Option<&'a str>,
    volume_id: &'a str,
    device: &'a str,
    id: &'a str,
}

#[derive(Serialize)]
struct ImageMetadata<'a> {
    image_id: &'a str,
}

/// The size: a number, or text under the `wrong-field-type` fault.
#[derive(Serialize)]
#[serde(untagged)]
enum Size {
    Number(i64),
    Text(String),
}

fn text(o: &Map<String, Value>, key: &str) -> Option<String> {
    o.get(key).and_then(Value::as_str).map(str::to_string)
}

pub(crate) fn create(call: &Call) -> Result<Reply, ApiError> {
    let req = body_object(call, "volume")?;
    let size = req
        .get("size")
        .and_then(Value::as_i64)
        .ok_or_else(|| bad(codes::SIZE, "size must be an integer"))?;
    if size < 1 {
        return Err(bad(
            codes::SIZE,
            format!("size {size} is not a positive number of GB"),
        ));
    }
    if call.fault(Fault::ServerErrorOnBoundary) && size >= call.app.limits.max_volume_size {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "EVS.2002",
            "the system is temporarily abnormal",
        ));
    }
    let sources = ["snapshot_id", "source_volid", "imageRef"]
        .iter()
        .filter(|k| req.get(**k).is_some_and(|v| !v.is_null()))
        .count();
    if sources > 1 {
        return Err(bad(
            codes::CREATE_BODY,
            "at most one of snapshot_id, source_volid and imageRef may be given",
        ));
    }
    for key in ["name", "description"] {
        if super::text_field(req, key).is_some_and(|s| s.len() > 255) {
            return Err(bad(
                codes::NAME_OR_DESCRIPTION,
                format!("{key} is longer than 255 bytes"),
            ));
        }
    }
    let metadata = req
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    check_metadata(&metadata)?;
    let catalogue = &call.app.limits;
    let az = text(req, "availability_zone").unwrap_or_else(|| catalogue.zones[0].to_string());
    if !catalogue.zones.contains(&az.as_str()) {
        return Err(bad(
            codes::AVAILABILITY_ZONE,
            format!("availability zone {az:?} does not exist"),
        ));
    }
    let volume_type = text(req, "volume_type").unwrap_or_else(|| "SATA".into());
    let Some(volume_type) = super::catalogue::type_by_name_or_id(&volume_type) else {
        // 400 with EVS.1020 on v2 (004); the v3 root answers 404, as Cinder does.
        let message = format!("volume type {volume_type:?} does not exist");
        return Err(if call.on_v3() {
            ApiError::not_found(codes::VOLUME_TYPE, message)
        } else {
            bad(codes::VOLUME_TYPE, message)
        });
    };

    let mut world = call.app.world_mut();
    let project = call.tenant.project_id.clone();
    let snapshot_id = text(req, "snapshot_id");
    if let Some(sid) = &snapshot_id {
        let snap = world
            .snapshots
            .get(sid)
            .filter(|s| s.project_id == project && !s.deleted(call))
            .ok_or_else(|| not_found("Snapshot", sid))?;
        if size < snap.size {
            return Err(bad(
                codes::SIZE,
                format!("size {size} is smaller than the snapshot's {}", snap.size),
            ));
        }
    }
    // 004 §3.1's request table: EVS does not support these; refused rather than ignored,
    // so that nothing a client asked for silently reads back otherwise.
    for (field, what) in [
        ("source_volid", "cloning a volume"),
        ("consistencygroup_id", "consistency groups"),
        ("source_replica", "creating from a replica"),
    ] {
        if text(req, field).is_some() {
            return Err(bad(
                codes::CREATE_BODY,
                format!("{what} ({field}) is not supported by EVS"),
            ));
        }
    }
    // `shareable` is the older name of `multiattach` (004 §3.1); both at once must agree.
    let multiattach = req.get("multiattach").and_then(Value::as_bool);
    let shareable = req.get("shareable").and_then(|v| {
        v.as_bool()
            .or_else(|| v.as_str().map(|s| s.eq_ignore_ascii_case("true")))
    });
    if let (Some(m), Some(s)) = (multiattach, shareable) {
        if m != s {
            return Err(bad(
                codes::CREATE_BODY,
                format!("shareable ({s}) and multiattach ({m}) disagree; send one of them"),
            ));
        }
    }
    // Quota: counted from what exists, under the same lock as the insert.
    let (count, gigabytes) = world.usage(&project);
    let quota = world.quota(&project, catalogue);
    if count + 1 > quota.volumes {
        return Err(super::over_quota(
            call,
            codes::QUOTA_VOLUMES,
            format!("volume quota exceeded: {count} of {} in use", quota.volumes),
        ));
    }
    if gigabytes
        .checked_add(size)
        .is_none_or(|total| total > quota.gigabytes)
    {
        return Err(super::over_quota(
            call,
            codes::QUOTA_GIGABYTES,
            format!(
                "gigabytes quota exceeded: {gigabytes} of {} in use, {size} asked",
                quota.gigabytes
            ),
        ));
    }
    let image_id = text(req, "imageRef");
    let now_text = timestamp_evs();
    let mut volume = Volume {
        id: new_id(),
        project_id: project,
        user_id: format!("user-{}", call.tenant.project_id),
        name: super::text_field(req, "name"),
        description: super::text_field(req, "description"),
        size,
        status: VolumeStatus::Available,
        moving: None,
        moved_at: None,
        volume_type: volume_type.to_string(),
        availability_zone: az,
        bootable: image_id.is_some(),
        readonly: false,
        multiattach: multiattach.or(shareable).unwrap_or(false),
        reserved: false,
        metadata,
        attachments: Vec::new(),
        snapshot_id,
        source_volid: None,
        image_id: image_id.clone(),
        created_at: now_text,
        updated_at: None,
        deleting_since: None,
        extending_from: None,
    };
    let during = if image_id.is_some() {
        VolumeStatus::Downloading
    } else {
        VolumeStatus::Creating
    };
    volume.move_to(during, VolumeStatus::Available, call);
    volume.updated_at = None;
    let status = if call.fault(Fault::WrongSuccessStatus) {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    let reply = wrapped(status, "volume", volume.written(call))?;
    world.count_usage(&volume.project_id, 1, volume.size);
    world.volumes.insert(volume.id.clone(), volume);
    Ok(reply)
}

/// The `metadata` filter: Cinder reads a dictionary literal, `{"k": "v"}` or Python's
/// `{'k': 'v'}`; a volume matches when it carries every pair.
fn metadata_filter(call: &Call) -> Result<Option<Map<String, Value>>, ApiError> {
    // A JSON object, as the spec writes it, or the Python literal Cinder's clients send.
    let Some(raw) = call.query("metadata") else {
        return Ok(None);
    };
    serde_json::from_str::<Map<String, Value>>(raw)
        .or_else(|_| serde_json::from_str::<Map<String, Value>>(&raw.replace('\'', "\"")))
        .map(Some)
        .map_err(|_| {
            bad(
                codes::BAD_REQUEST,
                format!("metadata filter {raw:?} is not a JSON object such as {{\"key\": \"value\"}}"),
            )
        })
}

pub(crate) fn list(call: &Call, detail: bool) -> Result<Reply, ApiError> {
    let world = call.app.world();
    let desc = sort_dir(call)?;
    let wanted_metadata = metadata_filter(call)?;
    // 004 names id, status, size and created_at "and others" and gives no error for another
    // key, so v2's `sort_key` is an open string; v3's is the enum of what Cinder sorts by,
    // checked with the query. A key this emulator does not sort by keeps the default
    // order (created_at) rather than being refused.
    let sorting = !call.fault(Fault::SortIgnored);
    let desc = desc || !sorting;
    let key = call.query("sort_key").filter(|_| sorting).unwrap_or("created_at");
    let order = order_by(key);
    if call.fault(Fault::SortKeyRefused) && order.is_none() {
        return Err(bad(
            codes::BAD_REQUEST,
            format!("sort key {key:?} is not supported"),
        ));
    }
    let order = order.unwrap_or(|a, b, _| a.created_at.cmp(&b.created_at));
    // `changes-since` is an administrator's filter (004 §3.4); tenants here are not
    // administrators, so, as for them on a real server, it changes nothing.
    let filtering = !call.fault(Fault::FilterIgnored);
    let mut found: Vec<&Volume> = world
        .volumes
        .values()
        .filter(|v| v.project_id == call.tenant.project_id && !v.deleted(call))
        .filter(|v| !filtering || call.query("name").is_none_or(|n| v.name.as_deref() == Some(n)))
        .filter(|v| !filtering || call.query("status").is_none_or(|s| v.shown_status(call) == s))
        .filter(|v| {
            call.query("availability_zone")
                .is_none_or(|z| v.availability_zone == z)
        })
        .filter(|v| {
            wanted_metadata
                .as_ref()
                .is_none_or(|m| m.iter().all(|(k, want)| v.metadata.get(k) == Some(want)))
        })
        .collect();
    found.sort_by(|a, b| {
        let ord = order(a, b, call).then_with(|| a.id.cmp(&b.id));
        if desc { ord.reverse() } else { ord }
    });
    let items = found.into_iter().map(|v| (v.id.clone(), v)).collect();
    if detail {
        let stale = call.fault(Fault::DetailListDiffers);
        list_reply(call, "volumes", detail, items, |v| {
            let mut d = v.detail(call);
            if stale {
                d.description = Some("(as it was)");
            }
            d
        })
    } else {
        list_reply(call, "volumes", detail, items, |v| v.summary(call))
    }
}

/// How a list sorts by `key`; `None` for a key this emulator does not sort by.
fn order_by(key: &str) -> Option<fn(&Volume, &Volume, &Call) -> std::cmp::Ordering> {
    let order: fn(&Volume, &Volume, &Call) -> std::cmp::Ordering = match key {
        "id" => |a, b, _| a.id.cmp(&b.id),
        "status" => |a, b, call| a.shown_status(call).cmp(b.shown_status(call)),
        "size" => |a, b, call| a.shown_size(call.now).cmp(&b.shown_size(call.now)),
        "created_at" => |a, b, _| a.created_at.cmp(&b.created_at),
        "updated_at" => |a, b, call| a.shown_updated_at(call.now).cmp(&b.shown_updated_at(call.now)),
        "name" => |a, b, _| a.name.cmp(&b.name),
        "availability_zone" => |a, b, _| a.availability_zone.cmp(&b.availability_zone),
        _ => return None,
    };
    Some(order)
}

pub(crate) fn find<'a>(world: &'a crate::state::World, call: &Call) -> Result<&'a Volume, ApiError> {
    let id = call.param("volume_id");
    world
        .volumes
        .get(id)
        .filter(|v| v.project_id == call.tenant.project_id && !v.deleted(call))
        .ok_or_else(|| missing(call, "Volume", id))
}

/// Not found; with the `undocumented-status` fault, a 410 that no operation documents.
pub(crate) fn missing(call: &Call, what: &str, id: &str) -> ApiError {
    if call.fault(Fault::UndocumentedStatus) {
        return ApiError::new(StatusCode::GONE, codes::NOT_FOUND, format!("{what} {id} is gone"));
    }
    not_found(what, id)
}

pub(crate) fn show(call: &Call) -> Result<Reply, ApiError> {
    let world = call.app.world();
    wrapped(StatusCode::OK, "volume", find(&world, call)?.detail(call))
}

/// The v1 representation: `display_name`/`display_description`, and attachments as in v1.
pub(crate) fn show_v1(call: &Call) -> Result<Reply, ApiError> {
    let world = call.app.world();
    let v = find(&world, call)?;
    let mut d = serde_json::to_value(v.detail(call)).map_err(super::unserializable)?;
    if let Some(o) = d.as_object_mut() {
        let name = o.remove("name").unwrap_or(Value::Null);
        let description = o.remove("description").unwrap_or(Value::Null);
        // The v1 view has neither links nor the v2-only attributes (004 §3.7).
        for key in [
            "links",
            "replication_status",
            "consistencygroup_id",
            "user_id",
            "updated_at",
        ] {
            o.remove(key);
        }
        o.insert("display_name".into(), name);
        o.insert("display_description".into(), description);
        // v1 spells the shared flag as a string, as v2's create request does.
        o.insert(
            "shareable".into(),
            json!(if v.multiattach { "true" } else { "false" }),
        );
    }
    Ok(Reply::Json(StatusCode::OK, json!({"volume": d})))
}

pub(crate) fn update(call: &Call) -> Result<Reply, ApiError> {
    let req = body_object(call, "volume")?.clone();
    let mut world = call.app.world_mut();
    find(&world, call)?;
    let id = call.param("volume_id").to_string();
    let Some(v) = world.volumes.get_mut(&id) else {
        return Err(not_found("Volume", &id));
    };
    v.changeable(call.now)?;
    let (name, description) = super::new_name_and_description(&req)?;
    let before = (v.name.clone(), v.description.clone());
    if let Some(name) = name {
        v.name = name;
    }
    if let Some(description) = description {
        v.description = description;
    }
    if let Some(meta) = req.get("metadata").and_then(Value::as_object) {
        check_metadata(meta)?;
        if !call.fault(Fault::LostMetadataWrite) {
            v.metadata = meta.clone();
        }
    }
    v.updated_at = Some(timestamp_evs());
    if call.fault(Fault::CreatedAtMoves) {
        v.created_at = timestamp_evs();
    }
    let reply = wrapped(StatusCode::OK, "volume", v.written(call))?;
    if call.fault(Fault::LostUpdate) {
        (v.name, v.description) = before;
    }
    Ok(reply)
}

pub(crate) fn delete(call: &Call) -> Result<Reply, ApiError> {
    let mut world = call.app.world_mut();
    find(&world, call)?;
    let id = call.param("volume_id").to_string();
    let has_snapshots = world
        .snapshots
        .values()
        .any(|s| s.volume_id == id && !s.deleted(call));
    let Some(v) = world.volumes.get_mut(&id) else {
        return Err(not_found("Volume", &id));
    };
    let status = v.current(call.now);
    if v.deleting_since.is_some() {
        return Err(bad(
            codes::DELETE_VOLUME_STATUS,
            format!("volume {id} is already being deleted"),
        ));
    }
    if status != VolumeStatus::Available || !v.attachments.is_empty() {
        return Err(bad(
            codes::DELETE_VOLUME_STATUS,
            format!("volume {id} is {} and cannot be deleted", status.as_str()),
        ));
    }
    if has_snapshots {
        return Err(bad(
            codes::DELETE_VOLUME_STATUS,
            format!("volume {id} still has snapshots"),
        ));
    }
    v.deleting_since = Some(call.now);
    let (project, size) = (v.project_id.clone(), v.size);
    world.count_usage(&project, -1, -size);
    Ok(Reply::Empty(StatusCode::ACCEPTED))
}
