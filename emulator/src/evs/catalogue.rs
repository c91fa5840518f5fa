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
        "os-volume-type-access:is_public": true,
    })
}

/// The handlers of the catalogue operations: types, zones, quotas, extensions, versions.
pub(crate) fn handler(operation: &str) -> Option<Handler> {
    let h: Handler = match operation {
        "listVolumeTypes" => |_, c| list_types(c),
        "showVolumeType" => |_, c| show_type(c),
        "listAvailabilityZones" => |_, c| zones(c),
        "showQuotaSet" => |_, c| quota(c),
        "listExtensions" => |_, c| extensions(c),
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
            let versions = [version_v3(c)];
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

/// The extension list. On v3 as EVS's v3 page (查询扩展接口-Cinder-v3) and Cinder 29 print
/// it, without `namespace`; on v2 with the `namespace` 004 §3.17 marks required.
fn extensions(call: &Call) -> Result<Reply, ApiError> {
    let with_namespace = !call.on_v3();
    let extensions: Vec<Value> = EXTENSIONS
        .iter()
        .map(|(alias, name, updated, desc)| {
            let mut e = json!({
                "alias": alias, "name": name, "description": desc, "links": [], "updated": updated,
            });
            if with_namespace {
                e["namespace"] = json!(format!("http://docs.openstack.org/volume/ext/{alias}/api/v1"));
            }
            e
        })
        .collect();
    Ok(Reply::Json(StatusCode::OK, json!({ "extensions": extensions })))
}

/// (alias, name, updated, description): the extensions Cinder 29 lists, in its order; EVS's
/// v3 extension page prints the same aliases.
const EXTENSIONS: [(&str, &str, &str, &str); 32] = [
    (
        "os-vol-image-meta",
        "VolumeImageMetadata",
        "2012-12-07T00:00:00+00:00",
        "Show image metadata associated with the volume.",
    ),
    (
        "os-volume-unmanage",
        "VolumeUnmanage",
        "2012-05-31T00:00:00+00:00",
        "Enable volume unmanage operation.",
    ),
    (
        "os-used-limits",
        "UsedLimits",
        "2013-10-03T00:00:00+00:00",
        "Provide data on limited resources that are being used.",
    ),
    (
        "os-admin-actions",
        "AdminActions",
        "2012-08-25T00:00:00+00:00",
        "Enable admin actions.",
    ),
    (
        "cgsnapshots",
        "Cgsnapshots",
        "2014-08-18T00:00:00+00:00",
        "cgsnapshots support.",
    ),
    (
        "os-types-extra-specs",
        "TypesExtraSpecs",
        "2011-08-24T00:00:00+00:00",
        "Type extra specs support.",
    ),
    (
        "os-snapshot-unmanage",
        "SnapshotUnmanage",
        "2014-12-31T00:00:00+00:00",
        "Enable volume unmanage operation.",
    ),
    (
        "encryption",
        "VolumeTypeEncryption",
        "2013-07-01T00:00:00+00:00",
        "Encryption support for volume types.",
    ),
    (
        "os-volume-encryption-metadata",
        "VolumeEncryptionMetadata",
        "2013-07-10T00:00:00+00:00",
        "Volume encryption metadata retrieval support.",
    ),
    (
        "consistencygroups",
        "Consistencygroups",
        "2014-08-18T00:00:00+00:00",
        "consistency groups support.",
    ),
    (
        "os-snapshot-actions",
        "SnapshotActions",
        "2013-07-16T00:00:00+00:00",
        "Enable snapshot manager actions.",
    ),
    (
        "backups",
        "Backups",
        "2012-12-12T00:00:00+00:00",
        "Backups support.",
    ),
    (
        "os-quota-sets",
        "Quotas",
        "2011-08-08T00:00:00+00:00",
        "Quota management support.",
    ),
    (
        "os-volume-actions",
        "VolumeActions",
        "2012-05-31T00:00:00+00:00",
        "Enable volume actions.",
    ),
    (
        "os-quota-class-sets",
        "QuotaClasses",
        "2012-03-12T00:00:00+00:00",
        "Quota classes management support.",
    ),
    (
        "os-availability-zone",
        "AvailabilityZones",
        "2013-06-27T00:00:00+00:00",
        "Describe Availability Zones.",
    ),
    (
        "os-volume-type-access",
        "VolumeTypeAccess",
        "2014-06-26T00:00:00Z",
        "Volume type access support.",
    ),
    (
        "os-services",
        "Services",
        "2012-10-28T00:00:00-00:00",
        "Services support.",
    ),
    (
        "os-hosts",
        "Hosts",
        "2011-06-29T00:00:00+00:00",
        "Admin-only host administration.",
    ),
    (
        "os-types-manage",
        "TypesManage",
        "2011-08-24T00:00:00+00:00",
        "Types manage support.",
    ),
    (
        "os-extended-snapshot-attributes",
        "ExtendedSnapshotAttributes",
        "2012-06-19T00:00:00+00:00",
        "Extended SnapshotAttributes support.",
    ),
    (
        "os-snapshot-manage",
        "SnapshotManage",
        "2014-12-31T00:00:00+00:00",
        "Allows existing backend storage to be 'managed' by Cinder.",
    ),
    (
        "qos-specs",
        "Qos_specs_manage",
        "2013-08-02T00:00:00+00:00",
        "QoS specs support.",
    ),
    (
        "os-vol-host-attr",
        "VolumeHostAttribute",
        "2011-11-03T00:00:00+00:00",
        "Expose host as an attribute of a volume.",
    ),
    (
        "scheduler-stats",
        "Scheduler_stats",
        "2014-09-07T00:00:00+00:00",
        "Scheduler stats support.",
    ),
    (
        "os-volume-manage",
        "VolumeManage",
        "2014-02-10T00:00:00+00:00",
        "Allows existing backend storage to be 'managed' by Cinder.",
    ),
    (
        "os-vol-mig-status-attr",
        "VolumeMigStatusAttribute",
        "2013-08-08T00:00:00+00:00",
        "Expose migration_status as an attribute of a volume.",
    ),
    (
        "os-volume-transfer",
        "VolumeTransfer",
        "2013-05-29T00:00:00+00:00",
        "Volume transfer management support.",
    ),
    (
        "os-vol-tenant-attr",
        "VolumeTenantAttribute",
        "2011-11-03T00:00:00+00:00",
        "Expose the internal project_id as an attribute of a volume.",
    ),
    (
        "OS-SCH-HNT",
        "SchedulerHints",
        "2013-04-18T00:00:00+00:00",
        "Pass arbitrary key/value pairs to the scheduler.",
    ),
    (
        "os-extended-services",
        "ExtendedServices",
        "2014-01-10T00:00:00-00:00",
        "Extended services support.",
    ),
    (
        "capabilities",
        "Capabilities",
        "2015-08-31T00:00:00+00:00",
        "Capabilities support.",
    ),
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

/// The v3 version document at `/v3/`, which 004 does not print: as Cinder's
/// (`version-show-response.json` of the upstream reference), bounded by this service's
/// microversions.
fn version_v3(call: &Call) -> Value {
    json!({
        "id": "v3.0",
        "status": "CURRENT",
        "updated": "2016-02-08T12:20:21Z",
        "links": [
            {"rel": "describedby", "type": "text/html", "href": "https://docs.openstack.org/"},
            {"rel": "self", "href": format!("{}/v3/", call.base_url)},
        ],
        "media-types": [
            {"base": "application/json", "type": "application/vnd.openstack.volume+json;version=3"},
        ],
        "min_version": MIN.to_string(),
        "version": MAX.to_string(),
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
