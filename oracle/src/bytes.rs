//! `x-max-bytes: N`: a string's limit in UTF-8 bytes, where the documents give limits in
//! bytes (a name of 255 bytes holds 85 Chinese characters, not 255). JSON Schema's
//! `maxLength` counts characters, so this walk judges the byte limits beside it.

use std::collections::HashSet;

use serde_json::Value;

use crate::error::Violation;
use crate::pointer;

/// Adds a violation for every string in `value` longer in bytes than the `x-max-bytes` of
/// its schema. Follows `$ref`s, properties, `additionalProperties`, `items` and `allOf`;
/// inside `oneOf`/`anyOf` the variant is unknown, so nothing is judged there.
pub(crate) fn check(
    root: &Value,
    schema: &Value,
    at: &str,
    value: &Value,
    instance: &str,
    out: &mut Vec<Violation>,
    depth: usize,
) {
    let mut seen = HashSet::new();
    walk(root, schema, at, value, instance, out, depth, &mut seen);
}

/// One schema and one part of the value, judged once: an `allOf` that names its own schema
/// (`E: {allOf: [$ref: E, $ref: E]}`) would otherwise be walked an exponential number of times.
#[allow(clippy::too_many_arguments)]
fn walk(
    root: &Value,
    schema: &Value,
    at: &str,
    value: &Value,
    instance: &str,
    out: &mut Vec<Violation>,
    depth: usize,
    seen: &mut HashSet<(*const Value, *const Value)>,
) {
    if depth > 32 {
        return;
    }
    let (schema, at) = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => match pointer::resolve_ref(root, r) {
            Some(s) => (s, r.trim_start_matches('#').to_string()),
            None => return,
        },
        None => (schema, at.to_string()),
    };
    if !seen.insert((schema as *const Value, value as *const Value)) {
        return;
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        for (i, m) in members.iter().enumerate() {
            walk(
                root,
                m,
                &format!("{at}/allOf/{i}"),
                value,
                instance,
                out,
                depth + 1,
                seen,
            );
        }
    }
    match value {
        Value::String(s) => {
            if let Some(limit) = schema.get("x-max-bytes").and_then(Value::as_u64) {
                if s.len() as u64 > limit {
                    out.push(Violation {
                        instance_path: instance.to_string(),
                        schema_path: format!("{at}/x-max-bytes"),
                        message: format!("{} bytes is longer than {limit} bytes", s.len()),
                    });
                }
            }
        }
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let extra = schema.get("additionalProperties").filter(|a| a.is_object());
            for (k, v) in map {
                let here = format!("{instance}/{}", pointer::escape(k));
                match props.and_then(|p| p.get(k)) {
                    Some(p) => walk(
                        root,
                        p,
                        &pointer::join(&format!("{at}/properties"), k),
                        v,
                        &here,
                        out,
                        depth + 1,
                        seen,
                    ),
                    None => {
                        if let Some(a) = extra {
                            walk(
                                root,
                                a,
                                &format!("{at}/additionalProperties"),
                                v,
                                &here,
                                out,
                                depth + 1,
                                seen,
                            );
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    walk(
                        root,
                        item,
                        &format!("{at}/items"),
                        v,
                        &format!("{instance}/{i}"),
                        out,
                        depth + 1,
                        seen,
                    );
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bytes_not_characters() {
        let schema =
            json!({"properties": {"name": {"type": "string", "maxLength": 255, "x-max-bytes": 255}}});
        let mut out = Vec::new();
        check(
            &json!({}),
            &schema,
            "",
            &json!({"name": "名".repeat(85)}),
            "",
            &mut out,
            0,
        );
        assert!(out.is_empty());
        check(
            &json!({}),
            &schema,
            "",
            &json!({"name": "名".repeat(86)}),
            "",
            &mut out,
            0,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].instance_path, "/name");
    }

    #[test]
    fn an_all_of_naming_its_own_schema_is_judged_once() {
        let root = json!({"E": {"allOf": [{"$ref": "#/E"}, {"$ref": "#/E"}, {"$ref": "#/E"}],
                                "x-max-bytes": 1}});
        let mut out = Vec::new();
        // Without the memo this is 3^32 walks.
        check(&root, &json!({"$ref": "#/E"}), "", &json!("ab"), "", &mut out, 0);
        assert_eq!(out.len(), 1);
    }
}
