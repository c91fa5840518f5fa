//! Snapshots: create from a volume, list, show, update, delete.

use std::time::Instant;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::volumes::{VolumeStatus, missing};
use super::{bad, body_object, check_metadata, codes, links, list_reply, sort_dir};
use crate::call::{Call, Reply};
use crate::error::ApiError;
use crate::faults::Fault;
use crate::state::{new_id, timestamp_evs, timestamp_evs_in};

/// Names with this prefix belong to automatic backups: no one may create one by hand,
/// nor delete one (004 §5.1, §5.2). The create rule is in the spec's schema.
const AUTOMATIC_BACKUP_PREFIX: &str = "autobk_snapshot_";

#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub id: String,
    pub project_id: String,
    pub volume_id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub size: i64,
    pub metadata: Map<String, Value>,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub ready_at: Instant,
    /// `ready_at` as a timestamp: a read after it shows it as `updated_at`, as Cinder stamps
    /// the end of `creating`.
    pub ready_stamp: String,
    pub deleting_since: Option<Instant>,
}

impl Snapshot {
    pub fn deleted(&self, call: &Call) -> bool {
        match self.deleting_since {
            Some(since) => {
                !call.fault(Fault::ReadableAfterDelete) && call.now >= since + call.app.config.transition
            }
            None => false,
        }
    }

    pub fn status(&self, now: Instant) -> &'static str {
        if self.deleting_since.is_some() {
            "deleting"
        } else if now < self.ready_at {
            "creating"
        } else {
            "available"
        }
    }

    /// `updated_at` as a read shows it now: the last change, or the end of `creating`.
    pub fn shown_updated_at(&self, now: Instant) -> Option<&str> {
        let ready = (now >= self.ready_at).then_some(self.ready_stamp.as_str());
        self.updated_at.as_deref().max(ready)
    }

    /// Refuses a change while the snapshot is being deleted.
    pub fn changeable(&self, now: Instant) -> Result<(), ApiError> {
        match self.status(now) {
            "deleting" => Err(bad(
                codes::BAD_REQUEST,
                format!("snapshot {} is deleting and cannot be changed", self.id),
            )),
            _ => Ok(()),
        }
    }

    fn summary(&self, call: &Call) -> Value {
        let mut v = json!({
            "id": self.id,
            "status": self.status(call.now),
            "size": self.size,
            "metadata": self.metadata,
            "name": self.name,
            "volume_id": self.volume_id,
            "created_at": self.created_at,
            "description": self.description,
            "updated_at": self.shown_updated_at(call.now),
        });
        if call.fault(Fault::MissingRequiredField) {
            if let Some(o) = v.as_object_mut() {
                o.remove("id");
            }
        }
        if call.fault(Fault::WrongFieldType) {
            v["size"] = json!(self.size.to_string());
        }
        v
    }

    fn detail(&self, call: &Call) -> Value {
        let mut v = self.summary(call);
        v["os-extended-snapshot-attributes:progress"] = json!(if self.status(call.now) == "available" {
            "100%"
        } else {
            "0%"
        });
        v["os-extended-snapshot-attributes:project_id"] = json!(self.project_id);
        v["links"] = json!(links(call, "snapshots", &self.id));
        v
    }
}

pub(crate) fn create(call: &Call) -> Result<Reply, ApiError> {
    let req = body_object(call, "snapshot")?;
    let volume_id = req
        .get("volume_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let force = req.get("force").and_then(Value::as_bool).unwrap_or(false);
    let metadata = req
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    check_metadata(&metadata)?;
    let mut world = call.app.world_mut();
    let project = call.tenant.project_id.clone();
    let volume = world
        .volumes
        .get(&volume_id)
        .filter(|v| v.project_id == project && !v.deleted(call))
        .ok_or_else(|| missing(call, "Volume", &volume_id))?;
    let status = volume.current(call.now);
    let allowed = status == VolumeStatus::Available || (force && status == VolumeStatus::InUse);
    if !allowed {
        return Err(bad(
            codes::BAD_REQUEST,
            format!(
                "volume {volume_id} is {}; snapshots need available (or in-use with force)",
                status.as_str()
            ),
        ));
    }
    let size = volume.size;
    let count = world
        .snapshots
        .values()
        .filter(|s| s.project_id == project && !s.deleted(call))
        .count() as i64;
    let quota = world.quota(&project, &call.app.limits);
    if count + 1 > quota.snapshots {
        return Err(super::over_quota(
            call,
            codes::QUOTA_VOLUMES,
            format!("snapshot quota exceeded: {count} of {}", quota.snapshots),
        ));
    }
    let snapshot = Snapshot {
        id: new_id(),
        project_id: project,
        volume_id,
        name: super::text_field(req, "name"),
        description: super::text_field(req, "description"),
        size,
        metadata,
        created_at: timestamp_evs(),
        updated_at: None,
        ready_at: call.now + call.app.config.transition,
        ready_stamp: timestamp_evs_in(call.app.config.transition),
        deleting_since: None,
    };
    let body = json!({"snapshot": snapshot.summary(call)});
    world.snapshots.insert(snapshot.id.clone(), snapshot);
    let status = if call.fault(Fault::WrongSuccessStatus) {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok(Reply::Json(status, body))
}

pub(crate) fn list(call: &Call, detail: bool) -> Result<Reply, ApiError> {
    let world = call.app.world();
    let desc = sort_dir(call)?;
    let mut found: Vec<&Snapshot> = world
        .snapshots
        .values()
        .filter(|s| s.project_id == call.tenant.project_id && !s.deleted(call))
        .filter(|s| call.query("name").is_none_or(|n| s.name.as_deref() == Some(n)))
        .filter(|s| call.query("status").is_none_or(|st| s.status(call.now) == st))
        .filter(|s| call.query("volume_id").is_none_or(|v| s.volume_id == v))
        .collect();
    // The v3 lists sort by `sort_key` (the spec's enum holds what Cinder accepts; keys of
    // columns a snapshot here does not have keep the default order); v2's have no sort_key.
    let key = call.query("sort_key").unwrap_or("created_at");
    let now = call.now;
    found.sort_by(|a, b| {
        let by_key = match key {
            "id" => a.id.cmp(&b.id),
            "status" => a.status(now).cmp(b.status(now)),
            "volume_id" => a.volume_id.cmp(&b.volume_id),
            "volume_size" => a.size.cmp(&b.size),
            "display_name" => a.name.cmp(&b.name),
            "display_description" => a.description.cmp(&b.description),
            "updated_at" => a.shown_updated_at(now).cmp(&b.shown_updated_at(now)),
            _ => std::cmp::Ordering::Equal,
        };
        let ord = by_key
            .then_with(|| a.created_at.cmp(&b.created_at))
            .then_with(|| a.id.cmp(&b.id));
        if desc { ord.reverse() } else { ord }
    });
    let items = found.into_iter().map(|s| (s.id.clone(), s)).collect();
    list_reply(call, "snapshots", detail, items, |s| {
        if detail { s.detail(call) } else { s.summary(call) }
    })
}

fn find<'a>(world: &'a crate::state::World, call: &Call) -> Result<&'a Snapshot, ApiError> {
    let id = call.param("snapshot_id");
    world
        .snapshots
        .get(id)
        .filter(|s| s.project_id == call.tenant.project_id && !s.deleted(call))
        .ok_or_else(|| missing(call, "Snapshot", id))
}

pub(crate) fn show(call: &Call) -> Result<Reply, ApiError> {
    let world = call.app.world();
    Ok(Reply::Json(
        StatusCode::OK,
        json!({"snapshot": find(&world, call)?.detail(call)}),
    ))
}

pub(crate) fn update(call: &Call) -> Result<Reply, ApiError> {
    let req = body_object(call, "snapshot")?.clone();
    let mut world = call.app.world_mut();
    find(&world, call)?;
    let id = call.param("snapshot_id").to_string();
    let Some(s) = world.snapshots.get_mut(&id) else {
        return Err(missing(call, "Snapshot", &id));
    };
    s.changeable(call.now)?;
    let (name, description) = super::new_name_and_description(&req)?;
    if let Some(name) = name {
        s.name = name;
    }
    if let Some(description) = description {
        s.description = description;
    }
    s.updated_at = Some(timestamp_evs());
    Ok(Reply::Json(StatusCode::OK, json!({"snapshot": s.summary(call)})))
}

pub(crate) fn delete(call: &Call) -> Result<Reply, ApiError> {
    let mut world = call.app.world_mut();
    find(&world, call)?;
    let id = call.param("snapshot_id").to_string();
    let Some(s) = world.snapshots.get_mut(&id) else {
        return Err(missing(call, "Snapshot", &id));
    };
    if s.name
        .as_deref()
        .is_some_and(|n| n.starts_with(AUTOMATIC_BACKUP_PREFIX))
    {
        return Err(bad(
            codes::BAD_REQUEST,
            format!(
                "snapshot {id} is an automatic-backup snapshot ({AUTOMATIC_BACKUP_PREFIX}*) and cannot be deleted"
            ),
        ));
    }
    let status = s.status(call.now);
    if status != "available" {
        return Err(bad(
            codes::DELETE_SNAPSHOT_STATUS,
            format!("snapshot {id} is {status} and cannot be deleted"),
        ));
    }
    s.deleting_since = Some(call.now);
    Ok(Reply::Empty(StatusCode::ACCEPTED))
}
