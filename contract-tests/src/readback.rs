//! What was written reads back, for any spec: after a create (`POST` answering with a new
//! resource) or a replace (`PUT`/`PATCH` of a path that can also be read), the resource
//! is read, and every field the request set must read back as sent: names (all of
//! Unicode), descriptions, sizes, flags, and each key of a map such as `metadata`.
//!
//! Fields the read does not show are not judged (a server need not echo `imageRef`),
//! except keys of a map the request wrote, whose loss is the point. Scalars compare by
//! value or by their text (`true` and `"true"`), since servers of the Cinder family show
//! some flags as strings.

use evs_ims_oracle::{Operation, Spec};
use serde_json::Value;

use crate::checks::{Check, Finding, Intent, judge};
use crate::context::Context;
use crate::exchange::{Case, Request, Response};
use crate::generate::resolve;
use crate::params::text;

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
    if !(200..300).contains(&response.status) || !ctx.enabled(Check::LostData) {
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
    let mut lost = Vec::new();
    compare(spec.raw(), &schema, &sent, body, "", &mut lost, 0);
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

fn same(sent: &Value, read: &Value) -> bool {
    sent == read
        || (!sent.is_object()
            && !sent.is_array()
            && !read.is_object()
            && !read.is_array()
            && text(sent) == text(read))
}

fn compare(
    doc: &Value,
    schema: &Value,
    sent: &Value,
    read: &Value,
    at: &str,
    lost: &mut Vec<String>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    let schema = resolve(doc, schema);
    if schema.get("writeOnly").and_then(Value::as_bool) == Some(true) {
        return;
    }
    match (sent, read) {
        (Value::Object(sent_map), Value::Object(read_map)) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let map_values = schema
                .get("additionalProperties")
                .filter(|a| a.is_object() || **a == Value::Bool(true));
            for (k, v) in sent_map {
                let declared = props.and_then(|p| p.get(k));
                let sub = declared.or(map_values).cloned().unwrap_or(Value::Null);
                if k.to_ascii_lowercase().contains("password") {
                    continue;
                }
                match read_map.get(k) {
                    Some(r) => compare(doc, &sub, v, r, &format!("{at}/{k}"), lost, depth + 1),
                    // A key of a map the request wrote is missing: lost. A declared field
                    // the read does not show is not judged.
                    None if declared.is_none() && map_values.is_some() => {
                        lost.push(format!("{at}/{k} missing"))
                    }
                    None => {}
                }
            }
        }
        (Value::Array(s), Value::Array(r)) if s.len() == r.len() => {
            let items = schema.get("items").cloned().unwrap_or(Value::Null);
            for (i, (a, b)) in s.iter().zip(r).enumerate() {
                compare(doc, &items, a, b, &format!("{at}/{i}"), lost, depth + 1);
            }
        }
        // Null asks for no value, or the server's default.
        (Value::Object(_) | Value::Array(_) | Value::Null, _) => {}
        (a, b) if !same(a, b) => lost.push(format!("{at}: sent {a}, read {b}")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sent_fields_and_map_keys_must_read_back() {
        let schema = json!({"properties": {"volume": {"properties": {
            "name": {"type": "string"}, "imageRef": {"type": "string"},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"}}}}}});
        let sent = json!({"volume": {"name": "名前", "imageRef": "x", "metadata": {"a": "1", "b": "2"}}});
        let good = json!({"volume": {"name": "名前", "metadata": {"a": "1", "b": "2", "c": "3"}}});
        let mut lost = Vec::new();
        compare(&json!({}), &schema, &sent, &good, "", &mut lost, 0);
        assert!(lost.is_empty(), "{lost:?}");
        let bad = json!({"volume": {"name": "??", "metadata": {"a": "1"}}});
        compare(&json!({}), &schema, &sent, &bad, "", &mut lost, 0);
        assert_eq!(
            lost,
            [
                "/volume/name: sent \"名前\", read \"??\"",
                "/volume/metadata/b missing"
            ]
        );
        assert!(same(&json!(true), &json!("true")));
    }
}
