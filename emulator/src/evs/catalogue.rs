//! What tenants read but do not change: volume types, availability zones, quotas,
//! extensions and API versions.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{bad, codes};
use crate::call::{Call, Handler, Reply};
use crate::error::ApiError;
use crate::microversion::{MAX, MIN};

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

/// The handlers of the catalogue operations: types, zones, quotas, extensions, versions.
pub(crate) fn handler(operation: &str) -> Option<Handler> {
    let h: Handler = match operation {
        "listVolumeTypes" => |_, c| list_types(c),
        "showVolumeType" => |_, c| show_type(c),
        "listAvailabilityZones" => |_, c| zones(c),
        "showQuotaSet" => |_, c| quota(c),
        "listExtensions" => |_, _| extensions(),
        "listVersions" => |_, c| {
            let versions = [
                version(c, "v1.0", "SUPPORTED"),
                version(c, "v2.0", "SUPPORTED"),
                version(c, "v3.0", "CURRENT"),
            ];
            Ok(Reply::Json(
                StatusCode::MULTIPLE_CHOICES,
                json!({ "versions": versions }),
            ))
        },
        "showVersionV2" => |_, c| {
            let versions = [version(c, "v2.0", "SUPPORTED")];
            Ok(Reply::Json(StatusCode::OK, json!({ "versions": versions })))
        },
        "showVersionV3" => |_, c| {
            let versions = [version(c, "v3.0", "CURRENT")];
            Ok(Reply::Json(StatusCode::OK, json!({ "versions": versions })))
        },
        _ => return None,
    };
    Some(h)
}

fn list_types(call: &Call) -> Result<Reply, ApiError> {
    let zones = &call.app.limits.zones;
    let types: Vec<Value> = TYPES
        .iter()
        .map(|(id, name)| volume_type(id, name, zones))
        .collect();
    Ok(Reply::Json(StatusCode::OK, json!({"volume_types": types})))
}

fn show_type(call: &Call) -> Result<Reply, ApiError> {
    let id = call.param("type_id");
    let (id, name) = TYPES.iter().find(|(tid, _)| *tid == id).ok_or_else(|| {
        ApiError::not_found(codes::NOT_FOUND, format!("Volume type {id} could not be found."))
    })?;
    Ok(Reply::Json(
        StatusCode::OK,
        json!({"volume_type": volume_type(id, name, &call.app.limits.zones)}),
    ))
}

fn zones(call: &Call) -> Result<Reply, ApiError> {
    let info: Vec<Value> = call
        .app
        .limits
        .zones
        .iter()
        .map(|z| json!({"zoneName": z, "zoneState": {"available": true}}))
        .collect();
    Ok(Reply::Json(StatusCode::OK, json!({"availabilityZoneInfo": info})))
}

fn extensions() -> Result<Reply, ApiError> {
    let extensions: Vec<Value> = EXTENSIONS
        .iter()
        .map(|(alias, name, desc)| {
            json!({
                "alias": alias, "name": name, "description": desc, "links": [],
                "namespace": format!("http://docs.openstack.org/volume/ext/{alias}/api/v1"),
                "updated": "2013-04-18T00:00:00+00:00"
            })
        })
        .collect();
    Ok(Reply::Json(StatusCode::OK, json!({ "extensions": extensions })))
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

/// One entry of the version list, shaped as 004 §3.19 prints it.
fn version(call: &Call, id: &str, status: &str) -> Value {
    let (min_version, version, updated) = if id == "v3.0" {
        (MIN.to_string(), MAX.to_string(), "2016-02-08T12:20:21Z")
    } else {
        (String::new(), String::new(), "2014-06-28T12:20:21Z")
    };
    let major = id.split('.').next().unwrap_or(id);
    json!({
        "id": id,
        "status": status,
        "updated": updated,
        "links": [
            {"rel": "describedby", "href": "http://docs.openstack.org/", "type": "text/html"},
            {"rel": "self", "href": format!("{}/{major}", call.base_url)},
        ],
        "media-types": [
            {"base": "application/json", "type": "application/vnd.openstack.volume+json;version=1"},
            {"base": "application/xml", "type": "application/vnd.openstack.volume+xml;version=1"},
        ],
        "min_version": min_version,
        "version": version,
    })
}

fn quota(call: &Call) -> Result<Reply, ApiError> {
    let world = call.app.world();
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
    let entry = |limit: i64, in_use: i64| {
        if usage {
            json!({"in_use": in_use, "limit": limit, "reserved": 0})
        } else {
            json!(limit)
        }
    };
    // In use, per volume type: (volumes, gigabytes, snapshots). Volumes count until their
    // deletion starts, as in the ledger behind `World::usage`.
    let mut by_type: Vec<(&str, i64, i64, i64)> = TYPES.iter().map(|(_, name)| (*name, 0, 0, 0)).collect();
    for v in world
        .volumes
        .values()
        .filter(|v| v.project_id == project && v.deleting_since.is_none())
    {
        if let Some(t) = by_type.iter_mut().find(|t| t.0 == v.volume_type) {
            t.1 += 1;
            t.2 += v.size;
        }
    }
    let mut snapshots = 0;
    for s in world
        .snapshots
        .values()
        .filter(|s| s.project_id == project && !s.deleted(call))
    {
        snapshots += 1;
        let volume_type = world.volumes.get(&s.volume_id).map(|v| v.volume_type.as_str());
        if let Some(t) = by_type.iter_mut().find(|t| Some(t.0) == volume_type) {
            t.3 += 1;
        }
    }
    let (count, gigabytes) = world.usage(&project);
    let q = world.quota(&project, &call.app.limits);
    let mut set = json!({
        "id": call.param("target_project_id"),
        "volumes": entry(q.volumes, count),
        "gigabytes": entry(q.gigabytes, gigabytes),
        "snapshots": entry(q.snapshots, snapshots),
        // Backups are not emulated: none are ever in use.
        "backups": entry(q.backups, 0),
        "backup_gigabytes": entry(q.backup_gigabytes, 0),
    });
    // Per-type quotas are unlimited (-1), as in the document's example.
    for (name, volumes, gigabytes, snapshots) in by_type {
        set[format!("volumes_{name}")] = entry(-1, volumes);
        set[format!("gigabytes_{name}")] = entry(-1, gigabytes);
        set[format!("snapshots_{name}")] = entry(-1, snapshots);
    }
    Ok(Reply::Json(StatusCode::OK, json!({ "quota_set": set })))
}
