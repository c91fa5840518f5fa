//! `x-max-bytes: N`: a string's limit in UTF-8 bytes, where the documents give limits in
//! bytes (a name of 255 bytes holds 85 Chinese characters, not 255). JSON Schema's
//! `maxLength` counts characters, so this walk judges the byte limits beside it.

use serde_json::Value;
use specwright_oas::schema::View;

use crate::error::Violation;
use crate::pointer;

/// Adds a violation for every string in `value` longer in bytes than an `x-max-bytes` of
/// its schema, `$ref`s followed and `allOf` members merged by the schema reader (each
/// member's limit holds); through properties, `additionalProperties` and `items`. Inside
/// `oneOf`/`anyOf` the variant is unknown, so nothing is judged there. The walk follows
/// the value (finite, as parsed), reading the schema once per level of it.
pub(crate) fn check(
    root: &Value,
    schema: &Value,
    at: &str,
    value: &Value,
    instance: &str,
    out: &mut Vec<Violation>,
) {
    let view = View::at(root, schema, at);
    match value {
        Value::String(s) => {
            for stated in &view.merged {
                let Some(limit) = stated.schema.get("x-max-bytes").and_then(Value::as_u64) else {
                    continue;
                };
                if s.len() as u64 > limit {
                    out.push(Violation {
                        instance_path: instance.to_string(),
                        schema_path: pointer::join(&stated.at, "x-max-bytes"),
                        message: format!("{} bytes is longer than {limit} bytes", s.len()),
                    });
                }
            }
        }
        Value::Object(map) => {
            let extra = view.additional.as_ref().filter(|a| a.schema.is_object());
            for (k, v) in map {
                let here = pointer::join(instance, k);
                match view.properties.iter().find(|p| p.name == k.as_str()) {
                    Some(p) => check(root, p.schema, &p.at, v, &here, out),
                    None => {
                        if let Some(a) = extra {
                            check(root, a.schema, &a.at, v, &here, out);
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = &view.items {
                for (i, v) in items.iter().enumerate() {
                    check(root, item.schema, &item.at, v, &format!("{instance}/{i}"), out);
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
    fn an_all_of_naming_its_own_schema_is_judged_once() {
        let root = json!({"E": {"allOf": [{"$ref": "#/E"}, {"$ref": "#/E"}, {"$ref": "#/E"}],
                                "x-max-bytes": 1}});
        let mut out = Vec::new();
        // Merged once, by the schema reader's seen-set: walked naively, 3^32 walks.
        check(&root, &json!({"$ref": "#/E"}), "", &json!("ab"), "", &mut out);
        assert_eq!(out.len(), 1);
    }
}
