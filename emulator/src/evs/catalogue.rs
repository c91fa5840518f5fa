//! What tenants read but do not change: volume types, availability zones, quotas,
//! extensions and API versions.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{bad, codes};
use crate::dispatch::{Call, Reply};
use crate::error::ApiError;

/// The volume types every tenant sees: (id, name).
pub(crate) const TYPES: [(&str, &str); 4] = [
    ("0f5ab6b1-1c1a-4c27-9f0e-0a4e7a3b1d01", "SATA"),
    ("0f5ab6b1-1c1a-4c27-9f0e-0a4e7a3b1d02", "SAS"),
    ("0f5ab6b1-1c1a-4c27-9f0e-0a4e7a3b1d03", "SSD"),
    ("0f5ab6b1-1c1a-4c27-9f0e-0a4e7a3b1d04", "GPSSD"),
];

pub(crate) fn type_by_name_or_id(key: &str) -> Option<&'static str> {
    TYPES
        .iter()
        .find(|(id, name)| *id == key || *name == key)
        .map(|(_, name)| *name)
}

fn volume_type(id: &str, name: &str, zones: &[&str]) -> Value {
    json!({
        "id": id,
        "name": name,
        "extra_specs": {
            "volume_backend_name": name,
            "availability-zone": zones.join(","),
            "HW:availability_zone": zones.join(","),
        },
        "description": null,
        "is_public": true,
        "qos_specs_id": null,
    })
}

pub(crate) fn handle(operation: &str, call: &Call) -> Result<Reply, ApiError> {
    let zones = &call.app.limits.zones;
    match operation {
        "listVolumeTypes" => {
            let types: Vec<Value> = TYPES
                .iter()
                .map(|(id, name)| volume_type(id, name, zones))
                .collect();
            Ok(Reply::Json(StatusCode::OK, json!({"volume_types": types})))
        }
        "showVolumeType" => {
            let id = call.param("type_id");
            let (id, name) = TYPES.iter().find(|(tid, _)| *tid == id).ok_or_else(|| {
                ApiError::not_found(codes::NOT_FOUND, format!("Volume type {id} could not be found."))
            })?;
            Ok(Reply::Json(
                StatusCode::OK,
                json!({"volume_type": volume_type(id, name, zones)}),
            ))
        }
        "listAvailabilityZones" => {
            let info: Vec<Value> = zones
                .iter()
                .map(|z| json!({"zoneName": z, "zoneState": {"available": true}}))
                .collect();
            Ok(Reply::Json(StatusCode::OK, json!({"availabilityZoneInfo": info})))
        }
        "showQuotaSet" => quota(call),
        "listExtensions" => Ok(Reply::Json(
            StatusCode::OK,
            json!({"extensions": EXTENSIONS.iter().map(|(alias, name, desc)| json!({
            "alias": alias, "name": name, "description": desc, "links": [],
            "namespace": format!("http://docs.openstack.org/volume/ext/{alias}/api/v1"),
            "updated": "2013-04-18T00:00:00+00:00"
        })).collect::<Vec<_>>()}),
        )),
        "listVersions" => Ok(Reply::Json(
            StatusCode::MULTIPLE_CHOICES,
            json!({"versions": [version("v1.0", "SUPPORTED"), version("v2.0", "CURRENT")]}),
        )),
        "showVersionV2" => Ok(Reply::Json(
            StatusCode::OK,
            json!({"versions": [version("v2.0", "CURRENT")]}),
        )),
        other => Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            codes::BAD_REQUEST,
            format!("{other} is not emulated"),
        )),
    }
}

const EXTENSIONS: [(&str, &str, &str); 6] = [
    (
        "os-vol-tenant-attr",
        "VolumeTenantAttribute",
        "Expose the internal project_id as an attribute of a volume.",
    ),
    (
        "os-vol-host-attr",
        "VolumeHostAttribute",
        "Expose host as an attribute of a volume.",
    ),
    (
        "os-extended-snapshot-attributes",
        "ExtendedSnapshotAttributes",
        "Extended SnapshotAttributes support.",
    ),
    (
        "os-availability-zone",
        "AvailabilityZones",
        "Describe Availability Zones.",
    ),
    ("os-quota-sets", "Quotas", "Quota management support."),
    ("os-volume-actions", "VolumeActions", "Enable volume actions."),
];

fn version(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "status": status,
        "updated": "2014-06-28T12:20:21Z",
        "links": [{"href": "http://localhost/v2/", "rel": "self"}],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.volume+json;version=1"}],
        "min_version": "",
        "version": "",
    })
}

fn quota(call: &Call) -> Result<Reply, ApiError> {
    let world = call.app.world.lock().unwrap_or_else(|p| p.into_inner());
    let project = call.tenant.project_id.clone();
    let usage = match call.query("usage") {
        None => false,
        Some(u) if u.eq_ignore_ascii_case("true") => true,
        Some(u) if u.eq_ignore_ascii_case("false") => false,
        Some(u) => {
            return Err(bad(
                codes::BAD_REQUEST,
                format!("usage {u:?} is not true or false"),
            ));
        }
    };
    let (count, gigabytes) = world.usage(&project, call);
    let snapshots = world
        .snapshots
        .values()
        .filter(|s| s.project_id == project && !s.deleted(call))
        .count() as i64;
    let q = world.quota(&project, &call.app.limits);
    let entry = |limit: i64, in_use: i64| {
        if usage {
            json!({"in_use": in_use, "limit": limit, "reserved": 0})
        } else {
            json!(limit)
        }
    };
    Ok(Reply::Json(
        StatusCode::OK,
        json!({"quota_set": {
            "id": call.param("project_id"),
            "volumes": entry(q.volumes, count),
            "gigabytes": entry(q.gigabytes, gigabytes),
            "snapshots": entry(q.snapshots, snapshots),
        }}),
    ))
}
