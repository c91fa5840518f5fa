//! EVS: volumes, snapshots, their metadata, actions, and the read-only catalogue
//! (types, availability zones, quotas, extensions, versions).

mod actions;
mod catalogue;
mod snapshots;
mod volumes;

use axum::http::StatusCode;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};

use crate::call::{Call, Handler, Reply};
use crate::error::ApiError;
use crate::faults::Fault;

pub(crate) use snapshots::Snapshot;
pub(crate) use volumes::Volume;

/// The handler of each EVS operation; `None` for one the emulator does not implement
/// (the emulator refuses to start on a spec with such an operation).
pub(crate) fn handler(operation: &str) -> Option<Handler> {
    let h: Handler = match operation {
        "createVolume" => |_, c| volumes::create(c),
        "listVolumes" => |_, c| volumes::list(c, false),
        "listVolumesDetail" => |_, c| volumes::list(c, true),
        "showVolume" => |_, c| volumes::show(c),
        "showVolumeV1" => |_, c| volumes::show_v1(c),
        "updateVolume" => |_, c| volumes::update(c),
        "deleteVolume" => |_, c| volumes::delete(c),
        "volumeAction" | "volumeActionV3" => |_, c| actions::volume_action(c),
        "createSnapshot" => |_, c| snapshots::create(c),
        "listSnapshots" => |_, c| snapshots::list(c, false),
        "listSnapshotsDetail" => |_, c| snapshots::list(c, true),
        "showSnapshot" => |_, c| snapshots::show(c),
        "updateSnapshot" => |_, c| snapshots::update(c),
        "deleteSnapshot" => |_, c| snapshots::delete(c),
        "createVolumeMetadata"
        | "showVolumeMetadata"
        | "replaceVolumeMetadata"
        | "showVolumeMetadataItem"
        | "updateVolumeMetadataItem"
        | "deleteVolumeMetadataItem"
        | "createSnapshotMetadata"
        | "showSnapshotMetadata"
        | "replaceSnapshotMetadata"
        | "showSnapshotMetadataItem"
        | "updateSnapshotMetadataItem"
        | "deleteSnapshotMetadataItem" => metadata,
        "showVersionV3" => return catalogue::handler(operation),
        // The Cinder v3 root serves the v2 operations unchanged (its 3.0 is v2):
        // `createVolumeV3` is `createVolume`.
        op => match op.strip_suffix("V3") {
            Some(v2) => return handler(v2),
            None => return catalogue::handler(op),
        },
    };
    Some(h)
}

/// Codes of appendix A.1 (the `EVS.5xxx` family wraps the Cinder status).
pub(crate) mod codes {
    pub const NOT_FOUND: &str = "EVS.5404";
    pub const BAD_REQUEST: &str = "EVS.5400";
    pub const METADATA_TOO_LARGE: &str = "EVS.1005";
    pub const NAME_OR_DESCRIPTION: &str = "EVS.1007";
    pub const CREATE_BODY: &str = "EVS.1009";
    pub const SIZE: &str = "EVS.1010";
    pub const VOLUME_TYPE: &str = "EVS.1020";
    pub const AVAILABILITY_ZONE: &str = "EVS.1036";
    pub const QUOTA_VOLUMES: &str = "EVS.1034";
    pub const QUOTA_GIGABYTES: &str = "EVS.1042";
    pub const EXTEND_FORMAT: &str = "EVS.1011";
    pub const EXTEND_SIZE: &str = "EVS.1015";
    pub const EXTEND_STATUS: &str = "EVS.1048";
    pub const DELETE_VOLUME_STATUS: &str = "EVS.1046";
    pub const DELETE_SNAPSHOT_STATUS: &str = "EVS.1047";
    pub const LIMIT: &str = "EVS.1023";
    pub const MARKER: &str = "EVS.1024";
    pub const SORT_DIR: &str = "EVS.1040";
    pub const INTERNAL: &str = "EVS.5500";
}

pub(crate) fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request(code, message)
}

/// A quota that does not allow the request: 400 on v2, as 004 lists EVS.1034/EVS.1042
/// among its 400s; 413 (`overLimit`) on the v3 root, as Cinder answers (REVIEW.md).
pub(crate) fn over_quota(call: &Call, code: &'static str, message: impl Into<String>) -> ApiError {
    if call.on_v3() {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, code, message)
    } else {
        bad(code, message)
    }
}

pub(crate) fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::not_found(codes::NOT_FOUND, format!("{what} {id} could not be found."))
}

pub(crate) fn body_object<'a>(call: &'a Call, key: &str) -> Result<&'a Map<String, Value>, ApiError> {
    call.body
        .as_ref()
        .and_then(|b| b.get(key))
        .and_then(Value::as_object)
        .ok_or_else(|| {
            bad(
                codes::BAD_REQUEST,
                format!("the body must be an object with `{key}`"),
            )
        })
}

/// A non-negative decimal integer; one past what memory can count means "all of them".
fn count(text: &str) -> Option<usize> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.parse::<usize>().unwrap_or(usize::MAX))
}

/// Pages a sorted list with Cinder's `marker`/`limit`/`offset` and builds the `next` link.
pub(crate) fn page<T>(
    call: &Call,
    items: Vec<(String, T)>,
    collection_path: &str,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let limit = match call.query("limit").filter(|_| !call.fault(Fault::LimitIgnored)) {
        Some(l) => Some(
            count(l)
                .ok_or_else(|| bad(codes::LIMIT, format!("limit {l:?} is not a non-negative integer")))?,
        ),
        None => None,
    };
    let offset = match call.query("offset").filter(|o| !o.is_empty()) {
        Some(o) => count(o).ok_or_else(|| {
            bad(
                codes::BAD_REQUEST,
                format!("offset {o:?} is not a non-negative integer"),
            )
        })?,
        None => 0,
    };
    let mut start = offset;
    // An empty marker is no marker, as in Cinder (`if marker:`).
    if let Some(marker) = call.query("marker").filter(|m| !m.is_empty()) {
        let at = items
            .iter()
            .position(|(id, _)| id == marker)
            .ok_or_else(|| bad(codes::MARKER, format!("marker {marker} not found")))?;
        start = at.saturating_add(1).saturating_add(offset);
    }
    let total = items.len();
    let start = start.min(total);
    let end = limit.map_or(total, |l| start.saturating_add(l).min(total));
    let last_id = if end > start && end < total {
        Some(items[end - 1].0.clone())
    } else {
        None
    };
    let page: Vec<T> = items
        .into_iter()
        .skip(start)
        .take(end.saturating_sub(start))
        .map(|(_, t)| t)
        .collect();
    let next = last_id.map(|marker| {
        let marker = if call.fault(Fault::BrokenPaginationLink) {
            String::new()
        } else {
            marker
        };
        let mut query: Vec<String> = call
            .query
            .iter()
            .filter(|(k, _)| k != "marker" && k != "offset")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !marker.is_empty() {
            query.push(format!("marker={marker}"));
        }
        format!("{collection_path}?{}", query.join("&"))
    });
    Ok((page, next))
}

/// A list answer: one page of `items` under `kind` (`volumes`, `snapshots`), and the
/// `<kind>_links` next link when there is more. Only the page's items are rendered.
pub(crate) fn list_reply<T, R: Serialize>(
    call: &Call,
    kind: &str,
    detail: bool,
    items: Vec<(String, T)>,
    render: impl Fn(T) -> R,
) -> Result<Reply, ApiError> {
    let suffix = if detail { "/detail" } else { "" };
    let collection = format!(
        "{}/{}/{}/{kind}{suffix}",
        call.base_url, call.root, call.tenant.project_id
    );
    let (page, next) = page(call, items, &collection)?;
    let page = Page {
        kind,
        items: page.into_iter().map(render).collect(),
        next: next.map(|href| [Link { href, rel: "next" }]),
    };
    typed(StatusCode::OK, &page)
}

struct Page<'k, R> {
    kind: &'k str,
    items: Vec<R>,
    next: Option<[Link; 1]>,
}

impl<R: Serialize> Serialize for Page<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1 + usize::from(self.next.is_some())))?;
        map.serialize_entry(self.kind, &self.items)?;
        if let Some(next) = &self.next {
            map.serialize_entry(&format!("{}_links", self.kind), next)?;
        }
        map.end()
    }
}

/// `{"<key>": body}`: the one-member object Cinder wraps a resource in.
pub(crate) fn wrapped(status: StatusCode, key: &str, body: impl Serialize) -> Result<Reply, ApiError> {
    struct Wrapped<'k, T>(&'k str, T);
    impl<T: Serialize> Serialize for Wrapped<'_, T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(1))?;
            map.serialize_entry(self.0, &self.1)?;
            map.end()
        }
    }
    typed(status, &Wrapped(key, body))
}

/// A typed body written out at once.
fn typed(status: StatusCode, body: &impl Serialize) -> Result<Reply, ApiError> {
    serde_json::to_string(body)
        .map(|text| Reply::Text(status, text))
        .map_err(unserializable)
}

/// A view that does not serialize: the emulator's fault, a 500.
pub(crate) fn unserializable(e: serde_json::Error) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL, e.to_string())
}

/// Sort by `sort_key` (default `created_at`) and `sort_dir` (default `desc`), as Cinder does.
pub(crate) fn sort_dir(call: &Call) -> Result<bool, ApiError> {
    match call.query("sort_dir").unwrap_or("desc") {
        "desc" => Ok(true),
        "asc" => Ok(false),
        other => Err(bad(
            codes::SORT_DIR,
            format!("sort_dir {other:?} is not asc or desc"),
        )),
    }
}

/// A link of a resource or a page (`{"href", "rel"}`).
#[derive(serde::Serialize)]
pub(crate) struct Link {
    href: String,
    rel: &'static str,
}

/// A resource's `self` and `bookmark` links.
pub(crate) fn links(call: &Call, kind: &str, id: &str) -> [Link; 2] {
    let (base, root, project) = (&call.base_url, call.root, &call.tenant.project_id);
    [
        Link {
            href: format!("{base}/{root}/{project}/{kind}/{id}"),
            rel: "self",
        },
        Link {
            href: format!("{base}/{project}/{kind}/{id}"),
            rel: "bookmark",
        },
    ]
}

/// The metadata operations of volumes and snapshots share one implementation.
fn metadata(operation: &str, call: &Call) -> Result<Reply, ApiError> {
    let snapshot = operation.to_ascii_lowercase().contains("snapshot");
    let mut world = call.app.world_mut();
    let project = call.tenant.project_id.clone();
    let (kind, id) = if snapshot {
        ("snapshot", call.param("snapshot_id"))
    } else {
        ("volume", call.param("volume_id"))
    };
    let op = operation.to_ascii_lowercase();
    let writes = !(op.starts_with("list") || op.starts_with("show"));
    let meta: &mut Map<String, Value> = if snapshot {
        let s = world
            .snapshots
            .get_mut(id)
            .filter(|s| s.project_id == project && !s.deleted(call))
            .ok_or_else(|| not_found("Snapshot", id))?;
        if writes {
            s.changeable(call.now)?;
        }
        &mut s.metadata
    } else {
        let v = world
            .volumes
            .get_mut(id)
            .filter(|v| v.project_id == project && !v.deleted(call))
            .ok_or_else(|| not_found("Volume", id))?;
        if writes {
            v.changeable(call.now)?;
        }
        &mut v.metadata
    };
    let lost = call.fault(Fault::LostMetadataWrite);
    let key = call.params.get("key").cloned();
    let reply_all = |m: &Map<String, Value>| Reply::Json(StatusCode::OK, json!({"metadata": m}));
    let narrow = |m: &Map<String, Value>| -> Result<(), ApiError> {
        // Narrower than the spec's key pattern: its punctuation other than `-` and `_`.
        let plain = |c: char| c.is_ascii_alphanumeric() || "-_".contains(c);
        match m.keys().find(|k| !k.chars().all(plain)) {
            Some(k) if call.fault(Fault::MetadataKeysNarrow) => {
                Err(bad(codes::BAD_REQUEST, format!("Invalid metadata key {k:?}")))
            }
            _ => Ok(()),
        }
    };
    if op.starts_with("create") {
        let new = body_object(call, "metadata")?.clone();
        check_metadata(&new)?;
        narrow(&new)?;
        let mut merged = meta.clone();
        merged.extend(new);
        check_metadata(&merged)?;
        if !lost {
            *meta = merged.clone();
        }
        return Ok(reply_all(&merged));
    }
    if op.starts_with("replace") || (op.starts_with("update") && key.is_none()) {
        let new = body_object(call, "metadata")?.clone();
        check_metadata(&new)?;
        narrow(&new)?;
        if !lost {
            if call.fault(Fault::MetadataPutMerges) {
                meta.extend(new.clone());
            } else {
                *meta = new.clone();
            }
        }
        return Ok(reply_all(&new));
    }
    match (op.get(..4), key) {
        (Some("list" | "show"), None) => Ok(reply_all(meta)),
        (Some("show"), Some(k)) => {
            let v = meta.get(&k).cloned().ok_or_else(|| {
                ApiError::not_found(
                    codes::NOT_FOUND,
                    format!("Metadata key {k} of {kind} {id} could not be found."),
                )
            })?;
            Ok(Reply::Json(StatusCode::OK, json!({"meta": {k: v}})))
        }
        (Some("upda"), Some(k)) => {
            let item = body_object(call, "meta")?.clone();
            if item.len() != 1 || !item.contains_key(&k) {
                return Err(bad(
                    codes::BAD_REQUEST,
                    format!("the body must hold exactly the key {k:?} of the URL"),
                ));
            }
            narrow(&item)?;
            let mut merged = meta.clone();
            merged.extend(item.clone());
            check_metadata(&merged)?;
            if !lost {
                *meta = merged;
            }
            Ok(Reply::Json(StatusCode::OK, json!({"meta": item})))
        }
        (Some("dele"), Some(k)) => {
            if meta.remove(&k).is_none() {
                return Err(ApiError::not_found(
                    codes::NOT_FOUND,
                    format!("Metadata key {k} of {kind} {id} could not be found."),
                ));
            }
            Ok(Reply::Empty(StatusCode::OK))
        }
        _ => Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            codes::BAD_REQUEST,
            format!("{operation} is not emulated"),
        )),
    }
}

/// A name or description as stored: without the white space around it, as Cinder keeps
/// them (`"  a b  "` is `"a b"`, `"   "` is `""`; REVIEW.md).
pub(crate) fn trimmed(text: &str) -> String {
    text.trim().to_string()
}

/// The name or description `key` of a create body, trimmed.
pub(crate) fn text_field(o: &Map<String, Value>, key: &str) -> Option<String> {
    o.get(key).and_then(Value::as_str).map(trimmed)
}

/// The name and description an update asks for (`Some(None)` clears one). `display_name`
/// and `display_description` are the v1 spellings; when both spellings are given, `name`
/// and `description` win (004 §3.3). Everything is checked before anything is applied, so a
/// refused update changes nothing.
pub(crate) type NewText = Option<Option<String>>;

pub(crate) fn new_name_and_description(req: &Map<String, Value>) -> Result<(NewText, NewText), ApiError> {
    let pick = |primary: &str, v1: &str| -> Result<NewText, ApiError> {
        let Some((key, value)) = req
            .get(primary)
            .map(|v| (primary, v))
            .or_else(|| req.get(v1).map(|v| (v1, v)))
        else {
            return Ok(None);
        };
        let text = value.as_str().map(trimmed);
        if text.as_ref().is_some_and(|t| t.len() > 255) {
            return Err(bad(
                codes::NAME_OR_DESCRIPTION,
                format!("{key} is longer than 255 bytes"),
            ));
        }
        Ok(Some(text))
    };
    Ok((
        pick("name", "display_name")?,
        pick("description", "display_description")?,
    ))
}

/// Keys and values are at most 255 bytes each (the documents count bytes).
pub(crate) fn check_metadata(meta: &Map<String, Value>) -> Result<(), ApiError> {
    for (k, v) in meta {
        let Some(v) = v.as_str() else {
            return Err(bad(
                codes::METADATA_TOO_LARGE,
                format!("metadata value of {k:?} is not a string"),
            ));
        };
        if k.is_empty() || k.len() > 255 || v.len() > 255 {
            return Err(bad(
                codes::METADATA_TOO_LARGE,
                format!("metadata key {k:?} or its value is empty or longer than 255 bytes"),
            ));
        }
    }
    Ok(())
}
