//! `x-max-bytes: N`: a string's limit in UTF-8 bytes, where the documents give limits in
//! bytes (a name of 255 bytes holds 85 Chinese characters, not 255). JSON Schema's
//! `maxLength` counts characters, so this walk judges the byte limits beside it.

use std::collections::HashSet;

use serde_json::Value;
use specwright_oas::schema::View;

use crate::error::Violation;
use crate::pointer;

/// Adds a violation for every string in `value` longer in bytes than an `x-max-bytes` of
/// its schema. `$ref`s are followed and `allOf` members merged by the schema reader; every
/// schema merged in holds (JSON Schema's `allOf`), so a property two members declare is
/// judged by both, each member's `additionalProperties` by the keys it does not declare.
/// Inside `oneOf`/`anyOf` the variant is unknown, so nothing is judged there. The walk
/// follows the value (finite, as parsed); each schema judges each part of it once.
pub(crate) fn check(
    root: &Value,
    schema: &Value,
    at: &str,
    value: &Value,
    instance: &str,
    out: &mut Vec<Violation>,
) {
    walk(root, schema, at, value, instance, out, &mut HashSet::new());
}

fn walk<'a>(
    root: &'a Value,
    schema: &'a Value,
    at: &str,
    value: &'a Value,
    instance: &str,
    out: &mut Vec<Violation>,
    seen: &mut HashSet<(*const Value, *const Value)>,
) {
    let view = View::at(root, schema, at);
    for stated in &view.merged {
        // Two members may name one schema (`allOf: [$ref: E, $ref: E]`), and two properties
        // lead to one through different paths: each judges each part of the value once.
        if !seen.insert((std::ptr::from_ref(stated.schema), std::ptr::from_ref(value))) {
            continue;
        }
        let s = stated.schema;
        match value {
            Value::String(text) => {
                let Some(limit) = s.get("x-max-bytes").and_then(Value::as_u64) else {
                    continue;
                };
                if text.len() as u64 > limit {
                    out.push(Violation {
                        instance_path: instance.to_string(),
                        schema_path: pointer::join(&stated.at, "x-max-bytes"),
                        message: format!("{} bytes is longer than {limit} bytes", text.len()),
                    });
                }
            }
            Value::Object(map) => {
                let declared = s.get("properties").and_then(Value::as_object);
                let extra = s.get("additionalProperties").filter(|a| a.is_object());
                for (k, v) in map {
                    let here = pointer::join(instance, k);
                    match declared.and_then(|d| d.get(k)) {
                        Some(p) => {
                            let p_at = pointer::join(&pointer::join(&stated.at, "properties"), k);
                            walk(root, p, &p_at, v, &here, out, seen);
                        }
                        None => {
                            if let Some(a) = extra {
                                let a_at = pointer::join(&stated.at, "additionalProperties");
                                walk(root, a, &a_at, v, &here, out, seen);
                            }
                        }
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item) = s.get("items") {
                    let item_at = pointer::join(&stated.at, "items");
                    for (i, v) in items.iter().enumerate() {
                        walk(root, item, &item_at, v, &format!("{instance}/{i}"), out, seen);
                    }
                }
            }
            _ => {}
        }
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
        );
        assert!(out.is_empty());
        check(
            &json!({}),
            &schema,
            "",
            &json!({"name": "名".repeat(86)}),
            "",
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].instance_path, "/name");
        assert_eq!(out[0].schema_path, "/properties/name/x-max-bytes");
    }

    #[test]
    fn each_member_limit_holds_and_a_deep_value_is_walked_whole() {
        let root = json!({"Name": {"type": "string", "x-max-bytes": 4},
                          "Node": {"properties": {"name": {"allOf": [{"$ref": "#/Name"}], "x-max-bytes": 8},
                                                  "next": {"$ref": "#/Node"}}}});
        let mut value = json!({"name": "abcde"});
        for _ in 0..50 {
            value = json!({"next": value, "name": "ok"});
        }
        let mut out = Vec::new();
        check(&root, &json!({"$ref": "#/Node"}), "", &value, "", &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].schema_path, "/Name/x-max-bytes");
        assert_eq!(out[0].instance_path.matches("/next").count(), 50);
    }

    #[test]
    fn a_property_two_members_declare_is_judged_by_both() {
        let root = json!({"Base": {"properties": {"name": {"x-max-bytes": 4}}},
                          "Pet": {"allOf": [{"$ref": "#/Base"}, {"properties": {"name": {"type": "string"}}}]}});
        let mut out = Vec::new();
        check(
            &root,
            &json!({"$ref": "#/Pet"}),
            "",
            &json!({"name": "abcdef"}),
            "",
            &mut out,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].schema_path, "/Base/properties/name/x-max-bytes");
    }

    #[test]
    fn an_all_of_naming_its_own_schema_is_judged_once() {
        let root = json!({"E": {"allOf": [{"$ref": "#/E"}, {"$ref": "#/E"}, {"$ref": "#/E"}],
                                "x-max-bytes": 1}});
        let mut out = Vec::new();
        // Merged once, by the schema reader's seen-set: walked naively, 3^32 walks.
        check(&root, &json!({"$ref": "#/E"}), "", &json!("ab"), "", &mut out);
        assert_eq!(out.len(), 1);
    }
}
