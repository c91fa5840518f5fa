//! What was written reads back, for any spec: after a create (`POST` answering with a new
//! resource) or a replace (`PUT`/`PATCH` of a path that can also be read), the resource
//! is read, and every field the request set must read back as sent: names (all of
//! Unicode), descriptions, sizes, flags, and each key of a map such as `metadata`.
//!
//! A field the read does not show is lost if the read's schema declares it, or if it is
//! a key of a map the request wrote; other fields need not be echoed (`imageRef`). Scalars compare by
//! value or by their text (`true` and `"true"`), since servers of the Cinder family show
//! some flags as strings.

use serde_json::Value;
use specwright_oracle::{Operation, Spec};

use crate::checks::{Check, Finding, Intent};
use crate::context::{Context, lock};
use crate::exchange::{Case, Request, Response};
use crate::judge::judge;
use crate::params::text;
use specwright_oas::schema::flattened;

/// Reads back what `case` wrote, if it wrote something readable; `created` is the item
/// path a create answered with.
pub fn check(
    ctx: &Context,
    spec: &Spec,
    op: &Operation,
    case: &Case,
    response: &Response,
    created: Option<String>,
) {
    let wanted = ctx.enabled(Check::LostData) || ctx.enabled(Check::ReplaceSemantics);
    if !(200..300).contains(&response.status) || !wanted {
        return;
    }
    let Some(sent) = case
        .request
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
    else {
        return;
    };
    let (path, template) = match (op.method, created) {
        ("post", Some(path)) => {
            let Some(template) = item_template(spec, op.path) else {
                return;
            };
            (path, template)
        }
        ("put" | "patch", _) => (case.request.path.clone(), op.path.to_string()),
        _ => return,
    };
    let Some((read_spec, read_op)) = ctx.find("get", &template) else {
        return;
    };
    let Some(schema) = request_schema(spec, op) else {
        return;
    };
    let read_case = Case::new(
        read_op.display_name(),
        format!("read back after {}", case.label),
        Request::new("get", path),
    );
    let Some(read) = ctx.send(&read_case) else { return };
    crate::timestamps::observe(ctx, &read_op, &read_case.request, &read);
    let findings = judge(
        read_spec,
        &read_op,
        &read_case.request,
        &read,
        Intent::Positive { must_succeed: true },
    );
    if ctx.record(&findings, &read_case).is_some() {
        return;
    }
    let Some(body) = &read.body else { return };
    let shown = response_schema(read_spec, &read_op, read.status);
    let mut lost = Vec::new();
    let schemas = Schemas {
        request: spec.raw(),
        read: read_spec.raw(),
    };
    compare(schemas, &schema, &shown, &sent, body, "", &mut lost);
    if op.method == "put" && read_case.request.path == case.request.path {
        replaced(ctx, spec, &schema, &sent, body, &read_case);
    }
    let f = Finding::check(
        Check::LostData,
        lost.is_empty(),
        format!("what {} {} wrote", op.method.to_uppercase(), op.path),
        lost.join("; "),
    );
    let mut evidence = read_case;
    evidence.label = format!(
        "read back after {}: {}",
        case.label,
        case.request.body.as_deref().unwrap_or("")
    );
    ctx.record(std::slice::from_ref(&f), &evidence);
}

/// A `PUT` replaces (RFC 9110 §9.3.4): where its body is a map of the caller's own keys
/// (a `metadata` object whose schema declares no properties), the resource read at the
/// same path holds exactly those keys afterwards, not those and what was there before.
fn replaced(ctx: &Context, spec: &Spec, schema: &Value, sent: &Value, read: &Value, case: &Case) {
    let doc = spec.raw();
    let schema = flattened(doc, schema);
    let (Some(sent), Some(props)) = (
        sent.as_object(),
        schema.get("properties").and_then(Value::as_object),
    ) else {
        return;
    };
    for (key, value) in sent {
        let Some(member) = props.get(key).map(|m| flattened(doc, m)) else {
            continue;
        };
        let free_map = member
            .get("additionalProperties")
            .is_some_and(|a| a != &Value::Bool(false))
            && member.get("properties").is_none();
        let (Some(sent_map), Some(read_map)) = (value.as_object(), read.get(key).and_then(Value::as_object))
        else {
            continue;
        };
        if !free_map {
            continue;
        }
        // Only keys the run itself wrote there before count: a server may add its own
        // (`id`, `last_modified`) to whatever it stores.
        let written = format!("{}#{key}", case.request.path);
        let kept: Vec<&String> = {
            let mut ledger = lock(&ctx.ledger.written);
            let before = ledger.entry(written).or_default();
            let kept = read_map
                .keys()
                .filter(|k| !sent_map.contains_key(*k) && before.contains(*k))
                .collect();
            before.extend(sent_map.keys().cloned());
            kept
        };
        let f = Finding::check(
            Check::ReplaceSemantics,
            kept.is_empty(),
            format!("/{key} holding only the keys the PUT sent"),
            format!("/{key} also holds {kept:?}"),
        );
        ctx.record(std::slice::from_ref(&f), case);
    }
}

fn item_template(spec: &Spec, collection: &str) -> Option<String> {
    spec.operations().into_iter().find_map(|o| {
        let rest = o
            .path
            .strip_prefix(collection)?
            .strip_prefix("/{")?
            .strip_suffix('}')?;
        (o.method == "get" && !rest.contains('/')).then(|| o.path.to_string())
    })
}

fn request_schema(spec: &Spec, op: &Operation) -> Option<Value> {
    let (_, media) = op.request_body(spec).ok()??;
    let pointer = media
        .iter()
        .find(|m| m.content_type.contains("json"))?
        .schema_pointer
        .clone()?;
    spec.raw().pointer(&pointer).cloned()
}

/// The JSON schema of the response `op` documents for `status`, or `Null`.
fn response_schema(spec: &Spec, op: &Operation, status: u16) -> Value {
    let responses = op.responses(spec).unwrap_or_default();
    let exact = status.to_string();
    responses
        .iter()
        .find(|r| r.status == exact)
        .or_else(|| responses.iter().find(|r| r.status.eq_ignore_ascii_case("2XX")))
        .and_then(|r| r.content.iter().find(|m| m.content_type.contains("json")))
        .and_then(|m| m.schema_pointer.as_deref())
        .and_then(|p| spec.raw().pointer(p).cloned())
        .unwrap_or(Value::Null)
}

/// The documents the request's and the read's schemas come from.
#[derive(Clone, Copy)]
struct Schemas<'a> {
    request: &'a Value,
    read: &'a Value,
}

/// Whether a value reads back as sent: equal, equal as text (`true` and `"true"`), or the
/// same instant in another form (`…Z` and `…+00:00`).
pub(crate) fn same(sent: &Value, read: &Value) -> bool {
    let instants = || match (sent.as_str(), read.as_str()) {
        (Some(a), Some(b)) => {
            crate::timestamps::instant(a).is_some_and(|x| Some(x) == crate::timestamps::instant(b))
        }
        _ => false,
    };
    sent == read
        || (!sent.is_object()
            && !sent.is_array()
            && !read.is_object()
            && !read.is_array()
            && text(sent) == text(read))
        || instants()
}

/// Compares what was `sent` (by the request's `schema`) with what was `read` (by the
/// read's schema, `shown`), pushing each lost field onto `lost`. The walk follows the two
/// values (finite, as built and as parsed), reading each schema once per level.
fn compare(
    docs: Schemas,
    schema: &Value,
    shown: &Value,
    sent: &Value,
    read: &Value,
    at: &str,
    lost: &mut Vec<String>,
) {
    let schema = flattened(docs.request, schema);
    let shown = flattened(docs.read, shown);
    if schema.get("writeOnly").and_then(Value::as_bool) == Some(true) {
        return;
    }
    let sub = |s: &Value, k: &str| {
        let props = s.get("properties").and_then(Value::as_object);
        let map_values = s
            .get("additionalProperties")
            .filter(|a| a.is_object() || **a == Value::Bool(true));
        (props.and_then(|p| p.get(k)).cloned(), map_values.cloned())
    };
    match (sent, read) {
        (Value::Object(sent_map), Value::Object(read_map)) => {
            for (k, v) in sent_map {
                if k.to_ascii_lowercase().contains("password") {
                    continue;
                }
                let (declared, map_values) = sub(&schema, k);
                let (shown_declared, shown_values) = sub(&shown, k);
                let is_map_key = declared.is_none() && map_values.is_some();
                let request_sub = declared.or(map_values).unwrap_or(Value::Null);
                let read_sub = shown_declared.clone().or(shown_values).unwrap_or(Value::Null);
                let here = specwright_oas::pointer::join(at, k);
                match read_map.get(k) {
                    Some(r) => compare(docs, &request_sub, &read_sub, v, r, &here, lost),
                    // A key of a map the request wrote, or a field the read declares, is
                    // missing: lost. Nothing asked for (null, empty) is not judged.
                    None if is_empty(v) => {}
                    None if is_map_key => lost.push(format!("{here} missing")),
                    None if shown_declared.is_some() => {
                        lost.push(format!("{here}: sent {v}, the read does not show it"))
                    }
                    None => {}
                }
            }
        }
        // A list of plain values (principals, tags) read back in another order holds what
        // was sent.
        (Value::Array(s), Value::Array(r))
            if s.len() == r.len() && s.iter().chain(r).all(|v| !v.is_object() && !v.is_array()) =>
        {
            let mut a: Vec<String> = s.iter().map(text).collect();
            let mut b: Vec<String> = r.iter().map(text).collect();
            a.sort();
            b.sort();
            if a != b {
                lost.push(format!("{at}: sent {sent}, read {read}"));
            }
        }
        (Value::Array(s), Value::Array(r)) if s.len() == r.len() => {
            let items = schema.get("items").cloned().unwrap_or(Value::Null);
            let shown_items = shown.get("items").cloned().unwrap_or(Value::Null);
            for (i, (a, b)) in s.iter().zip(r).enumerate() {
                compare(docs, &items, &shown_items, a, b, &format!("{at}/{i}"), lost);
            }
        }
        // Null asks for no value, or the server's default.
        (Value::Object(_) | Value::Array(_) | Value::Null, _) => {}
        (a, b) if !same(a, b) && !trimmed(&schema, a, b) => lost.push(format!("{at}: sent {a}, read {b}")),
        _ => {}
    }
}

/// Whether `read` is `sent` without its surrounding white space, where the request's
/// schema says the server stores it so (`x-trimmed`).
fn trimmed(schema: &Value, sent: &Value, read: &Value) -> bool {
    schema.get("x-trimmed").and_then(Value::as_bool) == Some(true)
        && matches!((sent, read), (Value::String(a), Value::String(b)) if a.trim() == b)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_string_the_spec_says_is_trimmed_reads_back_trimmed() {
        let schema = json!({"properties": {"name": {"type": "string", "x-trimmed": true},
            "label": {"type": "string"}}});
        let docs = Schemas {
            request: &Value::Null,
            read: &Value::Null,
        };
        let sent = json!({"name": "  a b ", "label": " c "});
        let mut lost = Vec::new();
        compare(
            docs,
            &schema,
            &Value::Null,
            &sent,
            &json!({"name": "a b", "label": " c "}),
            "",
            &mut lost,
        );
        assert!(lost.is_empty(), "{lost:?}");
        compare(
            docs,
            &schema,
            &Value::Null,
            &sent,
            &json!({"name": "a b", "label": "c"}),
            "",
            &mut lost,
        );
        assert_eq!(lost, vec!["/label: sent \" c \", read \"c\"".to_string()]);
        lost.clear();
        compare(
            docs,
            &schema,
            &Value::Null,
            &sent,
            &json!({"name": "a", "label": " c "}),
            "",
            &mut lost,
        );
        assert_eq!(lost.len(), 1, "trimming is all that is forgiven: {lost:?}");
    }

    #[test]
    fn sent_fields_and_map_keys_must_read_back() {
        let schema = json!({"properties": {"volume": {"properties": {
            "name": {"type": "string"}, "imageRef": {"type": "string"},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"}}}}}});
        let shown = json!({"properties": {"volume": {"allOf": [{"properties": {
            "name": {"type": "string"}, "description": {"type": "string"},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"}}}}]}}});
        let docs = Schemas {
            request: &json!({}),
            read: &json!({}),
        };
        let sent = json!({"volume": {"name": "名前", "imageRef": "x", "metadata": {"a": "1", "b": "2"}}});
        let good = json!({"volume": {"name": "名前", "metadata": {"a": "1", "b": "2", "c": "3"}}});
        let mut lost = Vec::new();
        compare(docs, &schema, &shown, &sent, &good, "", &mut lost);
        assert!(
            lost.is_empty(),
            "imageRef is not shown, so need not read back: {lost:?}"
        );
        let bad = json!({"volume": {"name": "??", "metadata": {"a": "1"}}});
        compare(docs, &schema, &shown, &sent, &bad, "", &mut lost);
        assert_eq!(
            lost,
            [
                "/volume/name: sent \"名前\", read \"??\"",
                "/volume/metadata/b missing"
            ]
        );
        lost.clear();
        let unnamed = json!({"volume": {"metadata": {"a": "1", "b": "2"}}});
        compare(docs, &schema, &shown, &sent, &unnamed, "", &mut lost);
        assert_eq!(lost, ["/volume/name: sent \"名前\", the read does not show it"]);
        assert!(same(&json!(true), &json!("true")));
        assert!(same(
            &json!("2026-12-06T10:00:00Z"),
            &json!("2026-12-06T11:00:00+01:00")
        ));
        assert!(!same(
            &json!("2026-12-06T10:00:00Z"),
            &json!("2026-12-06T10:00:01Z")
        ));
    }
}
