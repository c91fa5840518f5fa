//! Samples built from a schema, for bodies the spec gives no example of: what a caller can
//! start from, marked on the page as generated.
//!
//! The value is the schema's own `example`, `default` or first `enum` value where it has
//! one (a property's first of all), else one of its type: `allOf` merged (as
//! `specwright_oas::all_of` reads it), the first `oneOf`/`anyOf` variant, strings shaped by
//! their `format` and lengths, numbers inside their bounds, arrays of one item (or their
//! `minItems`). A request leaves out `readOnly` properties, a response `writeOnly` ones.
//! Every sample is bounded: a component is not expanded inside itself and nesting stops at
//! `specwright_oas::schema::MAX_DEPTH` (the reader's [`Trail`] keeps both rules), and a
//! sample holds at most [`MAX_NODES`] values, so any schema, cyclic or huge, gives a small
//! sample in time proportional to that bound. A body whose schema is
//! one component is built once per direction ([`Samples`] keeps it).

use std::collections::HashMap;

use serde_json::{Map, Value};
use specwright_oas::all_of::{self, AllOf};
use specwright_oas::pointer;
use specwright_oas::schema::Trail;

/// How many values (objects, arrays, scalars) one sample holds at most.
pub(crate) const MAX_NODES: usize = 400;

/// How many items an array's `minItems` may ask for.
const MAX_ITEMS: usize = 8;

/// Who a sample is for: a request leaves `readOnly` out, a response `writeOnly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// Samples of one document (the one every call passes), each component body built once
/// per direction.
#[derive(Default)]
pub(crate) struct Samples {
    by_ref: HashMap<(String, Direction), Value>,
}

impl Samples {
    /// The sample of a body's schema in `root`. A schema that is a `$ref` alone depends only
    /// on its target, so it is kept and reused.
    pub(crate) fn body(&mut self, root: &Value, schema: &Value, direction: Direction) -> Value {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return build(root, schema, direction);
        };
        let key = (reference.to_string(), direction);
        if let Some(known) = self.by_ref.get(&key) {
            return known.clone();
        }
        let value = build(root, schema, direction);
        self.by_ref.insert(key, value.clone());
        value
    }
}

/// A sample of `schema` (in the document `root`) for `direction`.
pub(crate) fn build(root: &Value, schema: &Value, direction: Direction) -> Value {
    let mut walk = Walk {
        root,
        direction,
        nodes: 0,
    };
    walk.value(schema, &Trail::default())
        .unwrap_or_else(|| Value::Object(Map::new()))
}

struct Walk<'a> {
    root: &'a Value,
    direction: Direction,
    nodes: usize,
}

impl<'a> Walk<'a> {
    /// The sample of `schema`, or `None` where none fits here (a component inside itself,
    /// past the depth or the size bound): a property is then left out, an array left empty.
    fn value(&mut self, schema: &'a Value, trail: &Trail) -> Option<Value> {
        if self.nodes >= MAX_NODES {
            return None;
        }
        // The one rule: not a component inside itself, not past the reader's depth.
        let inside = trail.step(self.root, schema)?;
        self.nodes += 1;
        self.of(pointer::follow_refs(self.root, schema), &inside)
    }

    fn of(&mut self, schema: &'a Value, trail: &Trail) -> Option<Value> {
        if !schema.is_object() {
            // `true`, `{}`-like or broken: anything goes.
            return Some(Value::Object(Map::new()));
        }
        if let Some(given) = given(schema) {
            return Some(given.clone());
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            return match all_of::read_schema(self.root, schema, "") {
                // One member says what it is; the others annotate it (their example counts).
                AllOf::One(i, _) => {
                    let annotated = members
                        .iter()
                        .find_map(|m| given(pointer::follow_refs(self.root, m)));
                    match annotated {
                        Some(v) => Some(v.clone()),
                        None => self.value(members.get(i)?, trail),
                    }
                }
                AllOf::Merged(merged) => {
                    let properties: Vec<(&str, &'a Value)> = merged
                        .properties
                        .iter()
                        .map(|(n, p, _)| (n.as_str(), *p))
                        .collect();
                    let mut object = self.object(&properties, merged.additional, trail);
                    // A choice an `allOf` member carries: its first variant's members too.
                    if let Some(first) = merged
                        .choices
                        .first()
                        .and_then(|(_, v)| v.as_array())
                        .and_then(|v| v.first())
                    {
                        if let Some(Value::Object(more)) = self.value(first, trail) {
                            for (k, v) in more {
                                object.entry(k).or_insert(v);
                            }
                        }
                    }
                    Some(Value::Object(object))
                }
            };
        }
        let choice = ["oneOf", "anyOf"]
            .iter()
            .find_map(|k| schema.get(*k).and_then(Value::as_array))
            .and_then(|variants| variants.first());
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(first) = choice {
            let variant = self.value(first, trail);
            return match (variant, properties) {
                // Properties beside the choice hold for every variant: both are the value.
                (Some(Value::Object(mut v)), Some(props)) => {
                    let props: Vec<(&str, &'a Value)> = props.iter().map(|(k, p)| (k.as_str(), p)).collect();
                    for (k, value) in self.object(&props, None, trail) {
                        v.entry(k).or_insert(value);
                    }
                    Some(Value::Object(v))
                }
                (variant, _) => variant,
            };
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let ty = ty.or_else(|| {
            if properties.is_some() || schema.get("additionalProperties").is_some() {
                Some("object")
            } else if schema.get("items").is_some() {
                Some("array")
            } else {
                None
            }
        });
        match ty {
            Some("object") => {
                let props: Vec<(&str, &'a Value)> = properties
                    .into_iter()
                    .flatten()
                    .map(|(k, p)| (k.as_str(), p))
                    .collect();
                Some(Value::Object(self.object(
                    &props,
                    schema.get("additionalProperties"),
                    trail,
                )))
            }
            Some("array") => Some(self.array(schema, trail)),
            Some("string") => Some(Value::String(string(schema))),
            Some("integer") => Some(number(schema, true)),
            Some("number") => Some(number(schema, false)),
            Some("boolean") => Some(Value::Bool(true)),
            Some("null") => Some(Value::Null),
            _ => Some(Value::Object(Map::new())),
        }
    }

    /// An object of `properties` (those this direction leaves out aside), or, with none, one
    /// entry of its `additionalProperties`.
    fn object(
        &mut self,
        properties: &[(&str, &'a Value)],
        additional: Option<&'a Value>,
        trail: &Trail,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (name, prop) in properties {
            if self.left_out(prop) {
                continue;
            }
            if let Some(v) = self.value(prop, trail) {
                out.insert((*name).to_string(), v);
            }
        }
        if properties.is_empty() {
            if let Some(extra) = additional.filter(|a| a.is_object()) {
                if let Some(v) = self.value(extra, trail) {
                    out.insert("key".to_string(), v);
                }
            }
        }
        out
    }

    fn array(&mut self, schema: &'a Value, trail: &Trail) -> Value {
        let Some(items) = schema.get("items") else {
            return Value::Array(Vec::new());
        };
        let min = count(schema, "minItems").unwrap_or(1).min(MAX_ITEMS);
        let max = count(schema, "maxItems").unwrap_or(usize::MAX);
        let n = min.max(1).min(max);
        let mut out = Vec::new();
        for _ in 0..n {
            match self.value(items, trail) {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Value::Array(out)
    }

    /// Whether this direction leaves the property out (`readOnly` from a request,
    /// `writeOnly` from a response), said on it or on the schema it refers to.
    fn left_out(&self, prop: &Value) -> bool {
        let key = match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        let flag = |s: &Value| s.get(key).and_then(Value::as_bool) == Some(true);
        flag(prop) || flag(pointer::follow_refs(self.root, prop))
    }
}

/// The value the schema gives itself: its `example`, `default`, or first `enum` value.
fn given(schema: &Value) -> Option<&Value> {
    schema
        .get("example")
        .or_else(|| schema.get("default"))
        .or_else(|| {
            schema
                .get("enum")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
        })
}

fn count(schema: &Value, key: &str) -> Option<usize> {
    schema
        .get(key)
        .and_then(Value::as_u64)
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// A string of the schema's `format`, made to fit its lengths.
fn string(schema: &Value) -> String {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let base = match format {
        "date-time" => "2024-01-31T12:00:00Z",
        "date" => "2024-01-31",
        "time" => "12:00:00",
        "duration" => "PT1H",
        "uuid" => "8f5c3a2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b",
        "email" => "user@example.com",
        "idn-email" => "user@example.com",
        "uri" | "url" | "iri" => "https://example.com/",
        "uri-reference" | "iri-reference" => "/example",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "c2FtcGxl",
        "binary" => "<binary>",
        "password" => "********",
        "regex" => "^.*$",
        "json-pointer" => "/a/b",
        _ => "string",
    };
    let mut text = base.to_string();
    let min = count(schema, "minLength").unwrap_or(0).min(256);
    let max = count(schema, "maxLength").unwrap_or(usize::MAX);
    let len = text.chars().count();
    if len < min {
        text.extend(std::iter::repeat_n('x', min - len));
    } else if len > max {
        text = text.chars().take(max).collect();
    }
    text
}

/// A number inside the schema's bounds: 0 where that fits, else the bound (one step inside an
/// exclusive one), a multiple of `multipleOf` where one is asked for.
fn number(schema: &Value, integer: bool) -> Value {
    let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
    let exclusive = |k: &str| schema.get(k).and_then(Value::as_bool) == Some(true);
    let step = if integer { 1.0 } else { 0.5 };
    let mut n = 0.0_f64;
    if let Some(min) = bound("minimum") {
        if n < min || (n <= min && exclusive("exclusiveMinimum")) {
            n = if exclusive("exclusiveMinimum") {
                min + step
            } else {
                min
            };
        }
    }
    if let Some(max) = bound("maximum") {
        if n > max || (n >= max && exclusive("exclusiveMaximum")) {
            n = if exclusive("exclusiveMaximum") {
                max - step
            } else {
                max
            };
        }
    }
    if let Some(m) = bound("multipleOf").filter(|m| *m > 0.0) {
        let k = (n / m).ceil();
        if k.is_finite() {
            n = k * m;
        }
    }
    if integer {
        let n = n.round();
        if n >= i64::MIN as f64 && n <= i64::MAX as f64 {
            // In range, so the conversion is exact for the integers a schema bounds by.
            return Value::from(n as i64);
        }
        return Value::from(0);
    }
    serde_json::Number::from_f64(n)
        .map(Value::Number)
        .unwrap_or_else(|| Value::from(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "components": {"schemas": schemas}})
    }

    fn of(root: &Value, name: &str, direction: Direction) -> Value {
        build(
            root,
            &json!({"$ref": format!("#/components/schemas/{name}")}),
            direction,
        )
    }

    #[test]
    fn a_schema_that_holds_itself_gives_a_finite_sample() {
        let root = doc(json!({
            "Node": {"type": "object", "properties": {
                "name": {"type": "string"},
                "parent": {"$ref": "#/components/schemas/Node"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}]},
            "C": {"oneOf": [{"$ref": "#/components/schemas/C"}, {"type": "string"}]}
        }));
        assert_eq!(
            of(&root, "Node", Direction::Response),
            json!({"name": "string", "children": []})
        );
        // Mutual allOf and a choice of itself end too.
        let _ = of(&root, "A", Direction::Response);
        let _ = of(&root, "C", Direction::Response);
    }

    #[test]
    fn all_of_merges_its_members_and_one_of_takes_the_first_variant() {
        let root = doc(json!({
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 1}}},
            "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"},
                              {"properties": {"kind": {"type": "string", "enum": ["cat", "dog"]}}}]},
            "Choice": {"oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "string"}]},
            "Annotated": {"allOf": [{"$ref": "#/components/schemas/Base"}], "description": "x"}
        }));
        assert_eq!(
            of(&root, "Pet", Direction::Request),
            json!({"id": 1, "kind": "cat"})
        );
        assert_eq!(
            of(&root, "Choice", Direction::Request),
            json!({"id": 1, "kind": "cat"})
        );
        assert_eq!(of(&root, "Annotated", Direction::Request), json!({"id": 1}));
    }

    #[test]
    fn read_only_stays_out_of_requests_and_write_only_out_of_responses() {
        let root = doc(json!({
            "Id": {"type": "string", "readOnly": true},
            "User": {"type": "object", "properties": {
                "id": {"$ref": "#/components/schemas/Id"},
                "created": {"type": "string", "format": "date-time", "readOnly": true},
                "password": {"type": "string", "format": "password", "writeOnly": true},
                "name": {"type": "string", "example": "Ann"}}}
        }));
        assert_eq!(
            of(&root, "User", Direction::Request),
            json!({"password": "********", "name": "Ann"})
        );
        assert_eq!(
            of(&root, "User", Direction::Response),
            json!({"id": "string", "created": "2024-01-31T12:00:00Z", "name": "Ann"})
        );
    }

    #[test]
    fn strings_follow_their_format_and_lengths_and_numbers_their_bounds() {
        let s = |schema: Value| build(&json!({}), &schema, Direction::Request);
        assert_eq!(
            s(json!({"type": "string", "format": "uuid"})),
            json!("8f5c3a2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b")
        );
        assert_eq!(
            s(json!({"type": "string", "format": "email"})),
            json!("user@example.com")
        );
        assert_eq!(
            s(json!({"type": "string", "format": "uri"})),
            json!("https://example.com/")
        );
        assert_eq!(
            s(json!({"type": "string", "format": "date"})),
            json!("2024-01-31")
        );
        assert_eq!(s(json!({"type": "string", "minLength": 8})), json!("stringxx"));
        assert_eq!(s(json!({"type": "string", "maxLength": 3})), json!("str"));
        assert_eq!(
            s(json!({"type": "string", "enum": ["b", "a"], "default": "a"})),
            json!("a")
        );
        assert_eq!(
            s(json!({"type": "integer", "minimum": 10, "maximum": 20})),
            json!(10)
        );
        assert_eq!(
            s(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})),
            json!(1)
        );
        assert_eq!(s(json!({"type": "integer", "maximum": -5})), json!(-5));
        assert_eq!(
            s(json!({"type": "integer", "minimum": 7, "multipleOf": 5})),
            json!(10)
        );
        assert_eq!(s(json!({"type": "number", "minimum": 1.5})), json!(1.5));
        assert_eq!(
            s(json!({"type": "array", "items": {"type": "boolean"}, "minItems": 2})),
            json!([true, true])
        );
        assert_eq!(
            s(json!({"type": "array", "items": {"type": "string"}, "maxItems": 0})),
            json!([])
        );
        assert_eq!(
            s(json!({"type": "object", "additionalProperties": {"type": "integer"}})),
            json!({"key": 0})
        );
    }

    #[test]
    fn nesting_and_size_are_bounded() {
        // Forty distinct components, each holding the next: the depth bound ends it.
        let mut schemas = Map::new();
        for i in 0..40 {
            schemas.insert(
                format!("S{i}"),
                json!({"type": "object", "properties": {"next": {"$ref": format!("#/components/schemas/S{}", i + 1)}, "n": {"type": "integer"}}}),
            );
        }
        let root = doc(Value::Object(schemas));
        let sample = of(&root, "S0", Direction::Response);
        let mut depth = 0;
        let mut at = &sample;
        while let Some(next) = at.get("next") {
            depth += 1;
            at = next;
        }
        assert!(depth <= specwright_oas::schema::MAX_DEPTH, "{depth}");
        // A wide schema: every array asks for many items of wide objects.
        let wide: Map<String, Value> = (0..50)
            .map(|i| (format!("f{i}"), json!({"type": "array", "minItems": 50, "items": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}})))
            .collect();
        let sample = build(
            &json!({}),
            &json!({"type": "object", "properties": wide}),
            Direction::Request,
        );
        let text = serde_json::to_string(&sample).unwrap_or_default();
        assert!(text.matches("string").count() <= MAX_NODES, "{}", text.len());
    }

    #[test]
    fn a_body_of_one_component_is_built_once_and_the_same_every_time() {
        let root =
            doc(json!({"V": {"type": "object", "properties": {"size": {"type": "integer", "minimum": 1}}}}));
        let mut samples = Samples::default();
        let schema = json!({"$ref": "#/components/schemas/V"});
        let first = samples.body(&root, &schema, Direction::Request);
        assert_eq!(first, json!({"size": 1}));
        assert_eq!(samples.body(&root, &schema, Direction::Request), first);
        assert_eq!(samples.by_ref.len(), 1);
    }
}
