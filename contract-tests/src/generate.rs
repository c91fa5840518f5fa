//! Proptest strategies built from the spec's schemas.
//!
//! [`valid`] generates values a schema accepts, leaning on its boundaries (shortest and
//! longest strings, range ends, every enum value, optional fields present and absent);
//! a string with an open list of known values (`x-known-values`) mostly takes one of those.
//! [`broken`] takes a valid value and breaks exactly one constraint: a missing required
//! field, a wrong type, a string one byte too long, a number out of range, an unknown enum
//! value. Every candidate is then judged by the oracle, so a generator bug cannot turn
//! into a false alarm: a "valid" value the schema rejects, or a "broken" one it accepts,
//! is dropped, never sent.

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, ValueTree};
use serde_json::{Map, Value, json};
use specwright_oas::pattern;
use specwright_oas::pointer::escape;
use specwright_oas::schema::flattened;

/// Follows `$ref`s inside the spec document.
pub use specwright_oracle::pointer::follow_refs as resolve;

/// How deep generated values nest: a generation budget (each level multiplies the
/// strategies below it), not the bound against cycles, which is `specwright_oas::schema`'s.
/// Past it, arrays are empty, optional fields and map entries are left out, and an object
/// that still requires fields is `{}` (the oracle drops it where that is invalid: a schema
/// that requires itself has no finite value).
const BUDGET: usize = 6;

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
    // An open list (`x-known-values`) names the documented values; any other string the
    // schema allows is valid too, so it is drawn now and then.
    if let Some(values) = schema
        .get("x-known-values")
        .and_then(Value::as_array)
        .filter(|v| !v.is_empty())
    {
        let known = proptest::sample::select(values.clone());
        return if schema.get("type").and_then(Value::as_str) == Some("string") {
            prop_oneof![3 => known, 1 => string(schema)].boxed()
        } else {
            known.boxed()
        };
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = schema
            .get(key)
            .and_then(Value::as_array)
            .filter(|v| !v.is_empty())
        {
            if depth > BUDGET {
                // A choice may name itself (`A: {oneOf: [$ref: A, ...]}`) with no object
                // between: past the budget it is `{}`, for the oracle to keep or drop.
                return Just(Value::Object(Map::new())).boxed();
            }
            let strategies: Vec<BoxedStrategy<Value>> =
                variants.iter().map(|v| valid_at(doc, v, depth + 1)).collect();
            return proptest::strategy::Union::new(strategies).boxed();
        }
    }
    if schema.get("allOf").is_some() {
        return valid_non_null(doc, &flattened(doc, schema), depth);
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

/// The plainest value `schema` accepts: required fields only, the first enum or known
/// value, the shortest string, the smallest number, or the schema's own example or default.
/// `None` where the schema says too little to build one (a pattern it cannot satisfy).
pub fn minimal(doc: &Value, schema: &Value) -> Option<Value> {
    minimal_at(doc, schema, 0)
}

fn minimal_at(doc: &Value, schema: &Value, depth: usize) -> Option<Value> {
    if depth > BUDGET {
        return None;
    }
    let schema = resolve(doc, schema);
    for key in ["example", "default"] {
        if let Some(v) = schema.get(key).filter(|v| !v.is_null()) {
            return Some(v.clone());
        }
    }
    if let Some(v) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.iter().find(|v| !v.is_null()))
    {
        return Some(v.clone());
    }
    if let Some(v) = schema
        .get("x-known-values")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return Some(v.clone());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema.get(key).and_then(Value::as_array).and_then(|v| v.first()) {
            return minimal_at(doc, first, depth + 1);
        }
    }
    if schema.get("allOf").is_some() {
        return minimal_at(doc, &flattened(doc, schema), depth + 1);
    }
    let kind = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_else(|| guess_type(schema));
    Some(match kind {
        "string" => {
            if schema.get("pattern").is_some() || schema.get("format").is_some() {
                let mut runner = proptest::test_runner::TestRunner::deterministic();
                return string(schema).new_tree(&mut runner).ok().map(|t| t.current());
            }
            Value::String("a".repeat(usize_of(schema, "minLength").unwrap_or(1).max(1)))
        }
        "integer" => {
            let (lo, hi) = bounds_i64(schema);
            json!(if schema.get("minimum").is_some() {
                lo
            } else {
                1.min(hi)
            })
        }
        "number" => json!(schema.get("minimum").and_then(Value::as_f64).unwrap_or(1.0)),
        "boolean" => json!(false),
        "array" => {
            let n = usize_of(schema, "minItems").unwrap_or(0);
            let item = schema.get("items").cloned().unwrap_or(json!({}));
            let one = if n > 0 {
                Some(minimal_at(doc, &item, depth + 1)?)
            } else {
                None
            };
            Value::Array(one.into_iter().cycle().take(n).collect())
        }
        "object" => {
            let mut map = Map::new();
            let required = schema
                .get("required")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let props = schema.get("properties").and_then(Value::as_object);
            for name in required.iter().filter_map(Value::as_str) {
                let prop = props
                    .and_then(|p| p.get(name))
                    .cloned()
                    .unwrap_or(json!({"type": "string"}));
                map.insert(name.to_string(), minimal_at(doc, &prop, depth + 1)?);
            }
            // `minProperties` beyond the required ones: the declared properties first, in
            // their order, then keys of the map's own values.
            let at_least = usize_of(schema, "minProperties").unwrap_or(0);
            for (name, prop) in props.into_iter().flatten() {
                if map.len() >= at_least {
                    break;
                }
                if !map.contains_key(name) {
                    map.insert(name.clone(), minimal_at(doc, prop, depth + 1)?);
                }
            }
            if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object()) {
                let keys = map_key(schema, extra);
                let mut runner = proptest::test_runner::TestRunner::deterministic();
                for _ in 0..64 {
                    if map.len() >= at_least {
                        break;
                    }
                    let key = keys.new_tree(&mut runner).ok()?.current();
                    if !map.contains_key(&key) {
                        map.insert(key, minimal_at(doc, extra, depth + 1)?);
                    }
                }
            }
            Value::Object(map)
        }
        _ => json!("a"),
    })
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

/// `n` as a JSON integer, where JSON numbers of this crate can hold it.
fn integer_json(n: i128) -> Option<Value> {
    i64::try_from(n)
        .map(Value::from)
        .or_else(|_| u64::try_from(n).map(Value::from))
        .ok()
}

fn usize_of(schema: &Value, key: &str) -> Option<usize> {
    schema.get(key).and_then(Value::as_u64).map(|n| n as usize)
}

fn string(schema: &Value) -> BoxedStrategy<Value> {
    let min = usize_of(schema, "minLength").unwrap_or(0);
    let max_chars = usize_of(schema, "maxLength");
    let max_bytes = usize_of(schema, "x-max-bytes");
    let fits = move |s: &String| {
        let chars = s.chars().count();
        chars >= min && max_chars.is_none_or(|m| chars <= m) && max_bytes.is_none_or(|m| s.len() <= m)
    };
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        // Anchor-free regexes from specs are taken as whole-value patterns.
        let bare = pattern::whole_value_regex(pattern);
        if let Ok(strategy) = proptest::string::string_regex(&bare) {
            return strategy
                .prop_filter("length within bounds", fits)
                .prop_map(Value::String)
                .boxed();
        }
    }
    if let Some(format) = schema
        .get("format")
        .and_then(Value::as_str)
        .and_then(format_regex)
    {
        if let Ok(strategy) = proptest::string::string_regex(format) {
            return strategy
                .prop_filter("length within bounds", fits)
                .prop_map(Value::String)
                .boxed();
        }
    }
    let max = max_chars.unwrap_or(min.max(24)).max(min);
    let longest = max.min(min + 40);
    let body =
        proptest::collection::vec(character(), min..=longest).prop_map(|c| c.into_iter().collect::<String>());
    let mut edges: Vec<String> = vec![
        "a".repeat(min.max(1).min(max)),
        "z".repeat(max),
        "名".repeat(min.max(1).min(max)),
    ];
    if let Some(bytes) = max_bytes {
        edges.extend(at_byte_limit(bytes, min, max));
    }
    let edges = proptest::sample::select(edges);
    prop_oneof![3 => body, 1 => edges]
        .prop_filter("length within bounds", fits)
        .prop_map(Value::String)
        .boxed()
}

/// One character from all of Unicode, leaning on what names are made of in practice:
/// ASCII, CJK (the documents allow Chinese names), other scripts, and anything at all.
fn character() -> BoxedStrategy<char> {
    prop_oneof![
        6 => proptest::char::ranges(vec!['a'..='z', 'A'..='Z', '0'..='9'].into()),
        1 => proptest::sample::select(vec!['-', '_', '.', ' ', '/', '%', '\'', '"', '&', '?', '#']),
        3 => proptest::char::range('\u{4e00}', '\u{9fff}'),
        1 => proptest::char::range('\u{00c0}', '\u{04ff}'),
        1 => any::<char>(),
    ]
    .boxed()
}

/// A string of exactly `bytes` bytes (CJK characters, three bytes each, padded with ASCII)
/// whose character count is within `min..=max`, if there is one.
fn at_byte_limit(bytes: usize, min: usize, max: usize) -> Option<String> {
    let wide = bytes / 3;
    let s = format!("{}{}", "名".repeat(wide), "x".repeat(bytes - wide * 3));
    let chars = s.chars().count();
    (chars >= min && chars <= max).then_some(s)
}

/// Generators for the formats the oracle checks.
fn format_regex(format: &str) -> Option<&'static str> {
    Some(match format {
        "uuid" => "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        "date-time" => {
            "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
        }
        "date" => "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
        "email" => "[a-z]{1,8}@[a-z]{1,8}\\.(com|org)",
        "uri" | "url" => "https://[a-z]{1,8}\\.example/[a-z]{0,8}",
        "hostname" => "[a-z]{1,10}(\\.[a-z]{1,10}){0,2}",
        "ipv4" => "(1?[0-9]{1,2}|2[0-4][0-9])(\\.(1?[0-9]{1,2}|2[0-4][0-9])){3}",
        _ => return None,
    })
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
    if depth > BUDGET {
        return Just(Value::Array(Vec::new())).boxed();
    }
    let items = schema.get("items").cloned().unwrap_or(json!({}));
    proptest::collection::vec(valid_at(doc, &items, depth + 1), min..=max)
        .prop_map(Value::Array)
        .boxed()
}

fn object(doc: &Value, schema: &Value, depth: usize) -> BoxedStrategy<Value> {
    if depth > BUDGET {
        return Just(Value::Object(Map::new())).boxed();
    }
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
            } else if depth <= BUDGET {
                fields.push(
                    proptest::option::of(value)
                        .prop_map(move |v| v.map(|v| (name.clone(), v)))
                        .boxed(),
                );
            }
        }
    }
    let extra = match schema.get("additionalProperties") {
        Some(add) if add.is_object() && depth <= BUDGET => {
            let max = usize_of(schema, "maxProperties").unwrap_or(3).min(3);
            let min = usize_of(schema, "minProperties").unwrap_or(0).min(max);
            proptest::collection::btree_map(map_key(schema, add), valid_at(doc, add, depth + 1), min..=max)
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

/// A key of a map whose values are `additional`. OpenAPI 3.0 cannot constrain keys, so any
/// non-empty text is one, unless `x-patternProperties` closes the map (its patterns are the
/// keys when `additionalProperties` is one of their schemas, as the oracle reads it).
fn map_key(schema: &Value, additional: &Value) -> BoxedStrategy<String> {
    let patterns: Vec<&str> = schema
        .get(specwright_oracle::convert::PATTERN_PROPERTIES)
        .and_then(Value::as_object)
        .filter(|p| p.values().any(|s| s == additional))
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let keys: Vec<BoxedStrategy<String>> = patterns
        .iter()
        .filter_map(|p| proptest::string::string_regex(&pattern::whole_value_regex(p)).ok())
        .map(|s| s.prop_filter("a key is not empty", |k| !k.is_empty()).boxed())
        .collect();
    if keys.is_empty() {
        return proptest::collection::vec(character(), 1..=12)
            .prop_map(|c| c.into_iter().collect::<String>())
            .boxed();
    }
    proptest::strategy::Union::new(keys).boxed()
}

/// The breakage the oracle cannot see (JSON Schema counts characters): a string over its
/// documented byte limit (`x-max-bytes`) but within `maxLength`.
pub const TOO_MANY_BYTES: &str = "too many bytes";

/// One way a value was broken, named for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breakage {
    /// `missing required field`, `wrong type`, `too long`, `too short`, `too many bytes`,
    /// `pattern broken`, `out of range`, `unknown enum value`, `null where not nullable`.
    pub kind: &'static str,
    /// JSON pointer of the broken place in the value.
    pub at: String,
}

/// Every single-constraint breakage of `value` that `schema` defines, each as a new value.
pub fn broken(doc: &Value, schema: &Value, value: &Value) -> Vec<(Breakage, Value)> {
    let mut out = Vec::new();
    breakages(doc, schema, value, "", &mut out);
    out
}

fn breakages(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<(Breakage, Value)>) {
    // Through `$ref` and `allOf` to the constraints. The walk follows the value, which is
    // finite; the schema is read once per level of it.
    let schema = &flattened(doc, schema);
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
    replace(out, "wrong type", wrong);
    if !value.is_null() && schema.get("nullable").and_then(Value::as_bool) != Some(true) {
        replace(out, "null where not nullable", Value::Null);
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
            if let Some(bytes) = usize_of(schema, "x-max-bytes") {
                let min = usize_of(schema, "minLength").unwrap_or(0);
                let max = usize_of(schema, "maxLength").unwrap_or(usize::MAX);
                if let Some(s) = at_byte_limit(bytes.saturating_add(1), min, max) {
                    replace(out, TOO_MANY_BYTES, Value::String(s));
                }
            }
            if schema.get("pattern").is_some() {
                for candidate in ["", " ", "!*!", "\u{7f}\u{0}", "ÿ\u{4e00}"] {
                    replace(out, "pattern broken", json!(candidate));
                }
            }
        }
        Value::Number(_) => {
            // An integer's `format` (int32, int64) bounds it where no `maximum` is given.
            let width = schema
                .get("format")
                .and_then(Value::as_str)
                .and_then(specwright_oracle::convert::integer_format_bounds)
                .filter(|_| schema.get("type").and_then(Value::as_str) == Some("integer"));
            let max = schema
                .get("maximum")
                .and_then(Value::as_i64)
                .or(width.map(|w| w.1));
            let min = schema
                .get("minimum")
                .and_then(Value::as_i64)
                .or(width.map(|w| w.0));
            if let Some(n) = max.and_then(|m| integer_json(i128::from(m) + 1)) {
                replace(out, "out of range", n);
            }
            if let Some(n) = min.and_then(|m| integer_json(i128::from(m) - 1)) {
                replace(out, "out of range", n);
            }
        }
        Value::Object(map) => {
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
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
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (k, v) in map {
                    let Some(prop) = props.get(k) else { continue };
                    let mut inner = Vec::new();
                    breakages(doc, prop, v, &format!("{at}/{}", escape(k)), &mut inner);
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
                breakages(doc, item_schema, first, &format!("{at}/0"), &mut inner);
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

    /// Schemas that hold themselves through every combinator end: a value or none, never a
    /// stack overflow.
    #[test]
    fn schemas_that_hold_themselves_end() {
        let doc = json!({"components": {"schemas": {
            "Needs": {"type": "object", "required": ["next"],
                      "properties": {"next": {"$ref": "#/components/schemas/Needs"}}},
            "Choice": {"oneOf": [{"$ref": "#/components/schemas/Choice"}]},
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}], "properties": {"a": {"type": "string"}}},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "required": ["a"]},
            "List": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/List"}},
            "Map": {"type": "object", "minProperties": 1,
                    "additionalProperties": {"$ref": "#/components/schemas/Map"}},
        }}});
        let mut runner = TestRunner::deterministic();
        for name in ["Needs", "Choice", "A", "B", "List", "Map"] {
            let schema = json!({"$ref": format!("#/components/schemas/{name}")});
            let strategy = valid(&doc, &schema);
            for _ in 0..8 {
                let value = strategy.new_tree(&mut runner).map(|t| t.current());
                let value = value.unwrap_or_else(|e| panic!("{name}: {e}"));
                let _ = broken(&doc, &schema, &value);
            }
            let _ = minimal(&doc, &schema);
        }
        let a = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(minimal(&doc, &a), Some(json!({"a": "a"})));
    }

    #[test]
    fn the_plainest_object_has_its_min_properties() {
        let doc = json!({});
        let schema = json!({"type": "object", "minProperties": 1,
            "properties": {"name": {"type": "string", "nullable": true}, "size": {"type": "integer"}}});
        assert_eq!(minimal(&doc, &schema), Some(json!({"name": "a"})));
        let map = json!({"type": "object", "minProperties": 2, "additionalProperties": {"type": "string"}});
        let plain = minimal(&doc, &map).unwrap_or_default();
        assert_eq!(plain.as_object().map(Map::len), Some(2), "{plain}");
    }

    #[test]
    fn map_keys_follow_the_pattern_properties_extension_when_it_closes_the_map() {
        let value = json!({"type": "string"});
        let closed = json!({"type": "object", "additionalProperties": value,
            "x-patternProperties": {"^[a-c]{1,3}$": value}});
        let keys = map_key(&closed, &value);
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for _ in 0..200 {
            let key = keys
                .new_tree(&mut runner)
                .map(|t| t.current())
                .unwrap_or_default();
            assert!(
                !key.is_empty() && key.len() <= 3 && key.chars().all(|c| ('a'..='c').contains(&c)),
                "{key:?}"
            );
        }
        let open = json!({"type": "object", "additionalProperties": {"type": "integer"},
            "x-patternProperties": {"^[a-c]{1,3}$": value}});
        let keys = map_key(&open, &json!({"type": "integer"}));
        let any_other = (0..200).any(|_| {
            let key = keys
                .new_tree(&mut runner)
                .map(|t| t.current())
                .unwrap_or_default();
            !key.chars().all(|c| ('a'..='c').contains(&c))
        });
        assert!(any_other, "an open map takes any key");
    }

    #[test]
    fn open_lists_draw_mostly_from_their_known_values() {
        let schema = json!({"type": "string", "x-known-values": ["id", "size"]});
        let got = samples(&schema);
        let known = got.iter().filter(|v| *v == "id" || *v == "size").count();
        assert!(known * 2 > got.len(), "{got:?}");
        assert!(known < got.len(), "other strings are valid too: {got:?}");
        assert!(got.contains(&json!("id")) && got.contains(&json!("size")));
    }

    #[test]
    fn patterns_read_digits_and_word_characters_as_ecma_262_does() {
        let schema = json!({"type": "string", "pattern": r"^\d{4}\w$"});
        for v in samples(&schema) {
            let s = v.as_str().unwrap_or_default();
            assert!(
                s.len() == 5 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{s:?} is not ASCII digits and a word character"
            );
        }
    }

    #[test]
    fn strings_keep_to_their_length_bounds() {
        let schema = json!({"type": "string", "minLength": 2, "maxLength": 4});
        for v in samples(&schema) {
            let n = v.as_str().map(|s| s.chars().count()).unwrap_or_default();
            assert!((2..=4).contains(&n), "{v}");
        }
    }

    #[test]
    fn strings_reach_beyond_ascii_and_up_to_their_byte_limit() {
        let schema = json!({"type": "string", "maxLength": 255, "x-max-bytes": 255});
        let got = samples(&schema);
        assert!(
            got.iter().all(|v| v.as_str().is_some_and(|s| s.len() <= 255)),
            "{got:?}"
        );
        assert!(
            got.iter().any(|v| v.as_str().is_some_and(|s| !s.is_ascii())),
            "{got:?}"
        );
        let broken = broken(&json!({}), &schema, &json!("a"));
        let over = broken
            .iter()
            .find(|(b, _)| b.kind == TOO_MANY_BYTES)
            .and_then(|(_, v)| v.as_str().map(str::len));
        assert_eq!(over, Some(256));
    }
}
