//! OpenAPI 3.0 Schema Object → JSON Schema draft 4.
//!
//! The differences that matter for judging values:
//! - `nullable: true` admits `null`: added to `type` (and to `enum` when there is one);
//!   a nullable schema without `type` becomes `anyOf: [{type: null}, schema]`.
//! - `format: int32` / `int64` on an integer bounds it to that width, where `minimum` or
//!   `maximum` does not already say more (OpenAPI's data types; JSON Schema knows no such
//!   format).
//! - `x-patternProperties` is JSON Schema's `patternProperties`, which OpenAPI 3.0 lacks,
//!   as openapi-schema-to-json-schema reads it: when `additionalProperties` is the schema
//!   of one of its patterns, only keys matching a pattern are allowed
//!   (`additionalProperties` becomes `false`).
//! - `discriminator`, `xml`, `externalDocs`, `example`, `deprecated`, `readOnly`,
//!   `writeOnly` and the other `x-*` extensions carry no validation meaning and are
//!   dropped, so that nothing inside them is mistaken for a subschema.
//!
//! Conversion is applied in place to every place in the document that holds a schema.

use serde_json::{Map, Value, json};

const DROPPED: [&str; 8] = [
    "nullable",
    "discriminator",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Converts every schema in an OpenAPI document, returning a document whose schema
/// positions are draft 4 and whose non-schema parts (examples, descriptions of
/// operations) are removed, so the result can serve as the root of `$ref` resolution.
pub fn document(doc: &Value) -> Value {
    let mut out = Map::new();
    if let Some(components) = doc.get("components").and_then(Value::as_object) {
        let mut comps = Map::new();
        if let Some(schemas) = components.get("schemas").and_then(Value::as_object) {
            let converted = schemas.iter().map(|(k, v)| (k.clone(), schema(v))).collect();
            comps.insert("schemas".into(), Value::Object(converted));
        }
        for section in ["parameters", "responses", "requestBodies", "headers"] {
            if let Some(entries) = components.get(section) {
                comps.insert(section.into(), holders(entries));
            }
        }
        out.insert("components".into(), Value::Object(comps));
    }
    if let Some(paths) = doc.get("paths") {
        out.insert("paths".into(), holders(paths));
    }
    Value::Object(out)
}

/// Walks a non-schema part of the document, converting each `schema` it holds and
/// dropping examples; keeps the shape so that pointers into the original still resolve.
fn holders(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, child) in map {
                match k.as_str() {
                    "schema" => {
                        out.insert(k.clone(), schema(child));
                    }
                    "example" | "examples" => {}
                    _ => {
                        out.insert(k.clone(), holders(child));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(holders).collect()),
        other => other.clone(),
    }
}

/// Converts one schema and, recursively, its subschemas.
pub fn schema(v: &Value) -> Value {
    let Value::Object(map) = v else {
        return v.clone();
    };
    let mut out = Map::new();
    for (k, child) in map {
        if DROPPED.contains(&k.as_str()) || k.starts_with("x-") {
            continue;
        }
        let converted = match k.as_str() {
            "properties" | "patternProperties" | "definitions" => match child {
                Value::Object(props) => {
                    Value::Object(props.iter().map(|(name, s)| (name.clone(), schema(s))).collect())
                }
                other => other.clone(),
            },
            "items" | "additionalProperties" | "not" | "additionalItems" => schema(child),
            "allOf" | "anyOf" | "oneOf" => match child {
                Value::Array(list) => Value::Array(list.iter().map(schema).collect()),
                other => other.clone(),
            },
            _ => child.clone(),
        };
        out.insert(k.clone(), converted);
    }
    if let Some(Value::Object(patterns)) = map.get(PATTERN_PROPERTIES) {
        let closed = map
            .get("additionalProperties")
            .is_some_and(|extra| extra.is_object() && patterns.values().any(|p| p == extra));
        let converted = patterns.iter().map(|(k, s)| (k.clone(), schema(s))).collect();
        out.insert("patternProperties".into(), Value::Object(converted));
        if closed {
            out.insert("additionalProperties".into(), Value::Bool(false));
        }
    }
    if let Some((lo, hi)) = map
        .get("format")
        .and_then(Value::as_str)
        .and_then(integer_format_bounds)
        .filter(|_| map.get("type").and_then(Value::as_str) == Some("integer"))
    {
        out.entry("minimum").or_insert(json!(lo));
        out.entry("maximum").or_insert(json!(hi));
    }
    if map.get("nullable").and_then(Value::as_bool) == Some(true) {
        return admit_null(out);
    }
    Value::Object(out)
}

/// The extension that stands for JSON Schema's `patternProperties` in OpenAPI 3.0.
pub const PATTERN_PROPERTIES: &str = "x-patternProperties";

/// The range an OpenAPI integer `format` allows: `int32` and `int64` are signed.
pub fn integer_format_bounds(format: &str) -> Option<(i64, i64)> {
    match format {
        "int32" => Some((i32::MIN.into(), i32::MAX.into())),
        "int64" => Some((i64::MIN, i64::MAX)),
        _ => None,
    }
}

fn admit_null(mut out: Map<String, Value>) -> Value {
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    match out.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            out.insert("type".into(), json!([t, "null"]));
            Value::Object(out)
        }
        Some(Value::Array(types)) => {
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
            Value::Object(out)
        }
        _ => json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_properties_extension_closes_the_map_when_additional_is_the_pattern_schema() {
        let value = json!({"type": "string", "maxLength": 3});
        let closed = schema(&json!({
            "type": "object",
            "additionalProperties": value,
            "x-patternProperties": {"^[a-z]+$": value},
        }));
        assert_eq!(closed["additionalProperties"], json!(false));
        assert_eq!(closed["patternProperties"]["^[a-z]+$"]["maxLength"], json!(3));
        assert!(closed.get("x-patternProperties").is_none());
        let open = schema(&json!({
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "x-patternProperties": {"^[a-z]+$": value},
        }));
        assert_eq!(open["additionalProperties"], json!({"type": "integer"}));
        assert!(open.get("patternProperties").is_some());
    }

    #[test]
    fn int32_is_bounded_where_the_schema_is_not() {
        let s = schema(&json!({"type": "integer", "format": "int32", "minimum": 0}));
        assert_eq!(
            s,
            json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 2_147_483_647})
        );
    }

    #[test]
    fn nullable_string_admits_null() {
        let s = schema(&json!({"type": "string", "nullable": true, "maxLength": 3}));
        assert_eq!(s, json!({"type": ["string", "null"], "maxLength": 3}));
    }

    #[test]
    fn nullable_enum_admits_null_in_enum_too() {
        let s = schema(&json!({"type": "string", "enum": ["a"], "nullable": true}));
        assert_eq!(s, json!({"type": ["string", "null"], "enum": ["a", null]}));
    }

    #[test]
    fn nullable_ref_is_wrapped() {
        let s = schema(&json!({"allOf": [{"$ref": "#/x"}], "nullable": true}));
        assert_eq!(
            s,
            json!({"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/x"}]}]})
        );
    }

    #[test]
    fn property_named_like_a_dropped_keyword_survives() {
        let s =
            schema(&json!({"type": "object", "properties": {"example": {"type": "string", "example": "x"}}}));
        assert_eq!(
            s,
            json!({"type": "object", "properties": {"example": {"type": "string"}}})
        );
    }
}
