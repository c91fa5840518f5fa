//! Proptest strategies built from the spec's schemas.
//!
//! [`valid`] generates values a schema accepts, leaning on its boundaries (shortest and
//! longest strings, range ends, every enum value, optional fields present and absent);
//! a string with an open list of known values (`x-known-values`) takes one of those.
//! [`broken`] takes a valid value and breaks exactly one constraint: a missing required
//! field, a wrong type, a string one byte too long, a number out of range, an unknown enum
//! value. Every candidate is then judged by the oracle, so a generator bug cannot turn
//! into a false alarm: a "valid" value the schema rejects, or a "broken" one it accepts,
//! is dropped, never sent.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use serde_json::{Map, Value, json};

/// Follows `$ref`s inside the spec document.
pub use evs_ims_oracle::pointer::follow_refs as resolve;

const MAX_DEPTH: usize = 6;

/// Values `schema` accepts.
pub fn valid(doc: &Value, schema: &Value) -> BoxedStrategy<Value> {
    valid_at(doc, schema, 0)
}

fn valid_at(doc: &Value, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
    let schema = resolve(doc, schema);
    let strategy = valid_non_null(doc, schema, depth);
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        prop_oneof![4 => strategy, 1 => Just(Value::Null)].boxed()
    } else {
        strategy
    }
}

fn valid_non_null(doc: &Value, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
    if let Some(values) = schema
        .get("enum")
        .and_then(Value::as_array)
        .filter(|v| !v.is_empty())
    {
        let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        if !values.is_empty() {
            return proptest::sample::select(values).boxed();
        }
    }
    // An open list (`x-known-values`) names the values a server is known to accept; any
    // other string the schema allows may still be refused, so "valid" draws from the list.
    if let Some(values) = schema
        .get("x-known-values")
        .and_then(Value::as_array)
        .filter(|v| !v.is_empty())
    {
        return proptest::sample::select(values.clone()).boxed();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = schema
            .get(key)
            .and_then(Value::as_array)
            .filter(|v| !v.is_empty())
        {
            let strategies: Vec<BoxedStrategy<Value>> =
                variants.iter().map(|v| valid_at(doc, v, depth + 1)).collect();
            return proptest::strategy::Union::new(strategies).boxed();
        }
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        let merged = merge_all_of(doc, members);
        return valid_non_null(doc, &merged, depth);
    }
    match schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_else(|| guess_type(schema))
    {
        "string" => string(schema),
        "integer" => integer(schema),
        "number" => number(schema),
        "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
        "array" => array(doc, schema, depth),
        "object" => object(doc, schema, depth),
        _ => prop_oneof![Just(json!("x")), Just(json!(1)), Just(json!({}))].boxed(),
    }
}

fn guess_type(schema: &Value) -> &'static str {
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        "object"
    } else if schema.get("items").is_some() {
        "array"
    } else {
        "any"
    }
}

/// The members of an `allOf` as one object schema.
pub fn merge_all_of(doc: &Value, members: &[Value]) -> Value {
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    for m in members {
        let m = resolve(doc, m);
        let m = if let Some(inner) = m.get("allOf").and_then(Value::as_array) {
            merge_all_of(doc, inner)
        } else {
            m.clone()
        };
        if let Some(p) = m.get("properties").and_then(Value::as_object) {
            properties.extend(p.clone());
        }
        if let Some(r) = m.get("required").and_then(Value::as_array) {
            required.extend(r.iter().cloned());
        }
    }
    json!({"type": "object", "properties": properties, "required": required})
}

fn usize_of(schema: &Value, key: &str) -> Option<usize> {
    schema.get(key).and_then(Value::as_u64).map(|n| n as usize)
}

fn string(schema: &Value) -> BoxedStrategy<Value> {
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        // Anchor-free regexes from specs are taken as whole-value patterns.
        let bare = pattern.trim_start_matches('^').trim_end_matches('$');
        if let Ok(strategy) = proptest::string::string_regex(bare) {
            let max = usize_of(schema, "maxLength");
            let min = usize_of(schema, "minLength").unwrap_or(0);
            return strategy
                .prop_filter("length within bounds", move |s| {
                    s.len() >= min && max.is_none_or(|m| s.len() <= m)
                })
                .prop_map(Value::String)
                .boxed();
        }
    }
    if schema.get("format").and_then(Value::as_str) == Some("uuid") {
        return "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
            .prop_map(Value::String)
            .boxed();
    }
    let min = usize_of(schema, "minLength").unwrap_or(0);
    let max = usize_of(schema, "maxLength").unwrap_or(min.max(24)).max(min);
    // ASCII only: the documents count lengths in bytes, so a character is one byte here.
    let alphabet = "[a-zA-Z0-9_-]";
    let body = proptest::string::string_regex(&format!("{alphabet}{{{min},{}}}", max.min(min + 40)))
        .map(|s| s.boxed())
        .unwrap_or_else(|_| Just("x".repeat(min)).boxed());
    let edges = prop_oneof![Just("a".repeat(min.max(1).min(max))), Just("z".repeat(max))];
    prop_oneof![3 => body, 1 => edges]
        .prop_filter("length within bounds", move |s| s.len() >= min && s.len() <= max)
        .prop_map(Value::String)
        .boxed()
}

fn bounds_i64(schema: &Value) -> (i64, i64) {
    let mut lo = schema.get("minimum").and_then(Value::as_i64).unwrap_or(-1_000);
    let mut hi = schema
        .get("maximum")
        .and_then(Value::as_i64)
        .unwrap_or(lo.saturating_add(100_000).max(1_000));
    if schema.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true) {
        lo = lo.saturating_add(1);
    }
    if schema.get("exclusiveMaximum").and_then(Value::as_bool) == Some(true) {
        hi = hi.saturating_sub(1);
    }
    (lo, hi.max(lo))
}

fn integer(schema: &Value) -> BoxedStrategy<Value> {
    let (lo, hi) = bounds_i64(schema);
    prop_oneof![1 => Just(lo), 1 => Just(hi), 4 => lo..=hi]
        .prop_map(|n| json!(n))
        .boxed()
}

fn number(schema: &Value) -> BoxedStrategy<Value> {
    let lo = schema.get("minimum").and_then(Value::as_f64).unwrap_or(-1000.0);
    let hi = schema
        .get("maximum")
        .and_then(Value::as_f64)
        .unwrap_or(lo + 100_000.0)
        .max(lo);
    prop_oneof![Just(lo), Just(hi), lo..=hi]
        .prop_map(|n| json!(n))
        .boxed()
}

fn array(doc: &Value, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
    let min = usize_of(schema, "minItems").unwrap_or(0);
    let max = usize_of(schema, "maxItems")
        .unwrap_or(min + 2)
        .min(min + 3)
        .max(min);
    if depth > MAX_DEPTH {
        return Just(Value::Array(Vec::new())).boxed();
    }
    let items = schema.get("items").cloned().unwrap_or(json!({}));
    proptest::collection::vec(valid_at(doc, &items, depth + 1), min..=max)
        .prop_map(Value::Array)
        .boxed()
}

fn object(doc: &Value, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let prop_schema = resolve(doc, prop);
            if prop_schema.get("readOnly").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let name = name.clone();
            let value = valid_at(doc, prop, depth + 1);
            if required.contains(&name) {
                fields.push(value.prop_map(move |v| Some((name.clone(), v))).boxed());
            } else if depth <= MAX_DEPTH {
                fields.push(
                    proptest::option::of(value)
                        .prop_map(move |v| v.map(|v| (name.clone(), v)))
                        .boxed(),
                );
            }
        }
    }
    let extra = match schema.get("additionalProperties") {
        Some(add) if add.is_object() && depth <= MAX_DEPTH => {
            let max = usize_of(schema, "maxProperties").unwrap_or(3).min(3);
            let min = usize_of(schema, "minProperties").unwrap_or(0).min(max);
            proptest::collection::btree_map("[a-z][a-z0-9_]{0,11}", valid_at(doc, add, depth + 1), min..=max)
                .prop_map(|m| m.into_iter().collect::<Vec<_>>())
                .boxed()
        }
        _ => Just(Vec::new()).boxed(),
    };
    (fields, extra)
        .prop_map(|(fields, extra)| {
            let mut map = Map::new();
            for (k, v) in fields.into_iter().flatten() {
                map.insert(k, v);
            }
            for (k, v) in extra {
                map.entry(k).or_insert(v);
            }
            Value::Object(map)
        })
        .boxed()
}

/// One way a value was broken, named for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breakage {
    /// `missing required field`, `wrong type`, `too long`, `out of range`, `unknown enum value`.
    pub kind: &'static str,
    /// JSON pointer of the broken place in the value.
    pub at: String,
}

/// Every single-constraint breakage of `value` that `schema` defines, each as a new value.
pub fn broken(doc: &Value, schema: &Value, value: &Value) -> Vec<(Breakage, Value)> {
    let mut out = Vec::new();
    breakages(doc, schema, value, "", &mut out, 0);
    out
}

fn breakages(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    out: &mut Vec<(Breakage, Value)>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = resolve(doc, schema);
    let replace = |out: &mut Vec<(Breakage, Value)>, kind: &'static str, new: Value| {
        out.push((
            Breakage {
                kind,
                at: at.to_string(),
            },
            new,
        ));
    };
    // A wrong type at this place.
    let wrong = match value {
        Value::String(_) => json!(12345),
        Value::Number(_) => json!("not-a-number"),
        // Not "yes" or "1": servers of the Cinder family read those as booleans.
        Value::Bool(_) => json!({"unexpected": "object"}),
        Value::Array(_) => json!({"unexpected": "object"}),
        Value::Object(_) => json!(["unexpected", "array"]),
        Value::Null => json!(7),
    };
    if !at.is_empty() || value.is_object() {
        replace(out, "wrong type", wrong);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if values.iter().all(Value::is_string) {
            replace(out, "unknown enum value", json!("value-not-in-the-enum"));
        }
    }
    match value {
        Value::String(_) => {
            if let Some(max) = usize_of(schema, "maxLength") {
                replace(out, "too long", Value::String("x".repeat(max + 1)));
            }
            if let Some(min) = usize_of(schema, "minLength").filter(|m| *m > 0) {
                replace(out, "too short", Value::String("x".repeat(min - 1)));
            }
        }
        Value::Number(_) => {
            if let Some(max) = schema.get("maximum").and_then(Value::as_i64) {
                replace(out, "out of range", json!(max + 1));
            }
            if let Some(min) = schema.get("minimum").and_then(Value::as_i64) {
                replace(out, "out of range", json!(min - 1));
            }
        }
        Value::Object(map) => {
            let effective = match schema.get("allOf").and_then(Value::as_array) {
                Some(members) => merge_all_of(doc, members),
                None => schema.clone(),
            };
            if let Some(required) = effective.get("required").and_then(Value::as_array) {
                for r in required.iter().filter_map(Value::as_str) {
                    if map.contains_key(r) {
                        let mut m = map.clone();
                        m.remove(r);
                        out.push((
                            Breakage {
                                kind: "missing required field",
                                at: format!("{at}/{}", escape(r)),
                            },
                            Value::Object(m),
                        ));
                    }
                }
            }
            if let Some(props) = effective.get("properties").and_then(Value::as_object) {
                for (k, v) in map {
                    let Some(prop) = props.get(k) else { continue };
                    let mut inner = Vec::new();
                    breakages(
                        doc,
                        prop,
                        v,
                        &format!("{at}/{}", escape(k)),
                        &mut inner,
                        depth + 1,
                    );
                    for (b, new) in inner {
                        let mut m = map.clone();
                        m.insert(k.clone(), new);
                        out.push((b, Value::Object(m)));
                    }
                }
            }
        }
        Value::Array(items) => {
            if let (Some(first), Some(item_schema)) = (items.first(), schema.get("items")) {
                let mut inner = Vec::new();
                breakages(doc, item_schema, first, &format!("{at}/0"), &mut inner, depth + 1);
                for (b, new) in inner {
                    let mut list = items.clone();
                    list[0] = new;
                    out.push((b, Value::Array(list)));
                }
            }
        }
        _ => {}
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    fn samples(schema: &Value) -> Vec<Value> {
        let doc = json!({});
        let strategy = valid(&doc, schema);
        let mut runner = TestRunner::deterministic();
        (0..64)
            .map(|_| match strategy.new_tree(&mut runner) {
                Ok(tree) => tree.current(),
                Err(e) => panic!("no value: {e}"),
            })
            .collect()
    }

    #[test]
    fn open_lists_draw_from_their_known_values() {
        let schema = json!({"type": "string", "x-known-values": ["id", "size"]});
        let got = samples(&schema);
        assert!(got.iter().all(|v| v == "id" || v == "size"), "{got:?}");
        assert!(got.contains(&json!("id")) && got.contains(&json!("size")));
    }

    #[test]
    fn strings_keep_to_their_length_bounds() {
        let schema = json!({"type": "string", "minLength": 2, "maxLength": 4});
        for v in samples(&schema) {
            let n = v.as_str().map(str::len).unwrap_or_default();
            assert!((2..=4).contains(&n), "{v}");
        }
    }
}
