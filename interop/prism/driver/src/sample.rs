//! Sample values and declared shapes from a spec's schemas (the raw document in its 3.0
//! form): bounded in depth, `$ref` cycles cut.

use serde_json::{Map, Value, json};

/// How deep a sample or shape goes before it stops.
const DEPTH: usize = 8;

/// The schema a `$ref` names (a local JSON pointer), or the schema itself.
pub fn resolve<'a>(raw: &'a Value, schema: &'a Value) -> &'a Value {
    let mut at = schema;
    for _ in 0..16 {
        match at.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| raw.pointer(p)) {
                Some(next) => at = next,
                None => return &Value::Null,
            },
            None => return at,
        }
    }
    &Value::Null
}

/// A value the schema accepts: its `enum`'s first value, its example or default where the
/// type is a scalar, else one made from its type and format, within its bounds. `all`:
/// every declared property, not only the required ones.
pub fn sample(raw: &Value, schema: &Value, all: bool) -> Value {
    sample_at(raw, schema, all, 0, &mut Vec::new())
}

fn sample_at(raw: &Value, schema: &Value, all: bool, depth: usize, stack: &mut Vec<String>) -> Value {
    let reference = schema.get("$ref").and_then(Value::as_str).map(str::to_string);
    if let Some(r) = &reference {
        if stack.contains(r) || depth > DEPTH {
            return Value::Null;
        }
        stack.push(r.clone());
    }
    let s = resolve(raw, schema);
    let out = sample_of(raw, s, all, depth, stack);
    if reference.is_some() {
        stack.pop();
    }
    out
}

fn sample_of(raw: &Value, s: &Value, all: bool, depth: usize, stack: &mut Vec<String>) -> Value {
    let mut v = built(raw, s, all, depth, stack);
    if let (Value::Object(o), Some(not)) = (&mut v, s.get("not")) {
        leave_out_what_not_forbids(raw, s, resolve(raw, not), o);
    }
    v
}

/// Removes the optional properties a `not` forbids together: for the `required` list of
/// the `not`, and of each of its `anyOf` members, that the sample holds in full, its last
/// property the schema (or one of its `allOf` members) does not require (`tags` beside
/// `image_tags`, one source of three). A `not` of `oneOf` is left as it is: taking one
/// property out could make exactly one member match.
fn leave_out_what_not_forbids(raw: &Value, s: &Value, not: &Value, o: &mut Map<String, Value>) {
    fn members<'a>(raw: &'a Value, v: &'a Value, key: &str) -> Vec<&'a Value> {
        let list = v.get(key).and_then(Value::as_array).into_iter().flatten();
        list.map(|m| resolve(raw, m)).collect()
    }
    let names = |v: &Value| -> Vec<String> {
        let list = v.get("required").and_then(Value::as_array).into_iter().flatten();
        list.filter_map(Value::as_str).map(str::to_string).collect()
    };

    let mut required = names(s);
    for member in members(raw, s, "allOf") {
        required.extend(names(member));
    }
    let forbidden = std::iter::once(not).chain(members(raw, not, "anyOf")).map(names);
    for together in forbidden {
        if !together.is_empty() && together.iter().all(|n| o.contains_key(n)) {
            if let Some(optional) = together.iter().rev().find(|n| !required.contains(n)) {
                o.remove(optional);
            }
        }
    }
}

/// A sample from the schema's own shape (its `not` aside).
fn built(raw: &Value, s: &Value, all: bool, depth: usize, stack: &mut Vec<String>) -> Value {
    if depth > DEPTH {
        return Value::Null;
    }
    if let Some(first) = s
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.iter().find(|v| !v.is_null()))
    {
        return first.clone();
    }
    let ty = s.get("type").and_then(Value::as_str).unwrap_or("");
    let scalar = matches!(ty, "string" | "integer" | "number" | "boolean");
    for key in ["example", "default"] {
        if let Some(v) = s.get(key).filter(|v| scalar && fits(ty, v)) {
            return v.clone();
        }
    }
    if let Some(members) = s.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        let mut other = None;
        for m in members {
            match sample_at(raw, m, all, depth + 1, stack) {
                Value::Object(o) => merged.extend(o),
                Value::Null => {}
                v => other = Some(v),
            }
        }
        if let Some(props) = s.get("properties") {
            merge_properties(raw, s, props, all, depth, stack, &mut merged);
        }
        return match other {
            Some(v) if merged.is_empty() => v,
            _ => Value::Object(merged),
        };
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = s.get(key).and_then(Value::as_array).and_then(|m| m.first()) {
            let mut v = sample_at(raw, first, all, depth + 1, stack);
            // The properties beside a `oneOf` hold too.
            if let (Value::Object(o), Some(props)) = (&mut v, s.get("properties")) {
                merge_properties(raw, s, props, all, depth, stack, o);
            }
            return v;
        }
    }
    let format = s.get("format").and_then(Value::as_str).unwrap_or("");
    match ty {
        "string" => Value::String(string_of(s, format)),
        "integer" => json!(bound(s, 1.0, true) as i64),
        "number" => json!(bound(s, 1.5, false)),
        "boolean" => json!(true),
        "array" => {
            let item = s
                .get("items")
                .map(|i| sample_at(raw, i, all, depth + 1, stack))
                .unwrap_or(json!("x"));
            if item.is_null() {
                return json!([]);
            }
            let n = s.get("minItems").and_then(Value::as_u64).unwrap_or(1).clamp(1, 3) as usize;
            Value::Array(vec![item; n])
        }
        _ if ty == "object" || s.get("properties").is_some() => {
            let mut o = Map::new();
            if let Some(props) = s.get("properties") {
                merge_properties(raw, s, props, all, depth, stack, &mut o);
            }
            Value::Object(o)
        }
        _ => json!("x"),
    }
}

fn merge_properties(
    raw: &Value,
    s: &Value,
    props: &Value,
    all: bool,
    depth: usize,
    stack: &mut Vec<String>,
    into: &mut Map<String, Value>,
) {
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (name, p) in props.as_object().into_iter().flatten() {
        let wanted = required.contains(&name.as_str());
        let read_only = resolve(raw, p)
            .get("readOnly")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if (wanted || all) && !read_only {
            let v = sample_at(raw, p, all, depth + 1, stack);
            // A cut cycle leaves an optional property out; a required one gets an object.
            if !v.is_null() {
                into.insert(name.clone(), v);
            } else if wanted {
                into.insert(name.clone(), json!({}));
            }
        }
    }
}

fn fits(ty: &str, v: &Value) -> bool {
    match ty {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        _ => false,
    }
}

fn bound(s: &Value, otherwise: f64, integer: bool) -> f64 {
    let step = if integer { 1.0 } else { 0.5 };
    let min = s.get("minimum").and_then(Value::as_f64);
    let max = s.get("maximum").and_then(Value::as_f64);
    let exclusive = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
    let mut v = match min {
        Some(m) if exclusive("exclusiveMinimum") => m + step,
        Some(m) => m,
        None => otherwise,
    };
    if let Some(m) = max {
        if v > m || (v == m && exclusive("exclusiveMaximum")) {
            v = if exclusive("exclusiveMaximum") {
                m - step
            } else {
                m
            };
        }
    }
    if integer { v.ceil() } else { v }
}

fn string_of(s: &Value, format: &str) -> String {
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0).min(256) as usize;
    let max = s.get("maxLength").and_then(Value::as_u64).map(|m| m as usize);
    if let Some(text) = s
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(|p| matching(p, min, max))
    {
        return text;
    }
    let base = match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "someone@example.com",
        "uri" | "url" | "uri-reference" => "https://example.com/x",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "c2FtcGxl",
        "int32" | "int64" => "1",
        _ => "sample",
    };
    let mut text = base.to_string();
    while text.chars().count() < min {
        text.push('x');
    }
    if let Some(max) = max.filter(|m| *m < text.chars().count()) {
        text = text.chars().take(max).collect();
    }
    text
}

/// A text matching `pattern` whose length is within `min..=max`, the same on every run
/// (a fixed seed), or `None` where the pattern is beyond Rust's regex syntax (a
/// look-around, a back-reference) or no short draw fits the bounds.
fn matching(pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
    use proptest::strategy::{Strategy, ValueTree};
    let regex = specwright_oas::pattern::whole_value_regex(pattern);
    let strategy = proptest::string::string_regex(&regex).ok()?;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..64).find_map(|_| {
        let text = strategy.new_tree(&mut runner).ok()?.current();
        let chars = text.chars().count();
        (chars >= min && max.is_none_or(|m| chars <= m)).then_some(text)
    })
}

/// What the schema declares, for comparing a decoded body encoded again with the body as
/// it came: `{"k":"obj","p":{..},"x":..}`, `{"k":"arr","i":..}`, `"leaf"`, or `null`.
pub fn shape(raw: &Value, schema: &Value) -> Value {
    shape_at(raw, schema, 0, &mut Vec::new())
}

fn shape_at(raw: &Value, schema: &Value, depth: usize, stack: &mut Vec<String>) -> Value {
    let reference = schema.get("$ref").and_then(Value::as_str).map(str::to_string);
    if let Some(r) = &reference {
        if stack.contains(r) {
            return Value::Null;
        }
        stack.push(r.clone());
    }
    let out = if depth > DEPTH {
        Value::Null
    } else {
        shape_of(raw, resolve(raw, schema), depth, stack)
    };
    if reference.is_some() {
        stack.pop();
    }
    out
}

fn shape_of(raw: &Value, s: &Value, depth: usize, stack: &mut Vec<String>) -> Value {
    let mut props = Map::new();
    let mut extra = None;
    let mut items = None;
    let mut parts: Vec<&Value> = vec![s];
    for key in ["allOf", "oneOf", "anyOf"] {
        parts.extend(s.get(key).and_then(Value::as_array).into_iter().flatten());
    }
    for (i, part) in parts.into_iter().enumerate() {
        let sub = if i == 0 {
            None
        } else {
            Some(shape_at(raw, part, depth + 1, stack))
        };
        match sub {
            Some(Value::Object(o)) => match o.get("k").and_then(Value::as_str) {
                Some("obj") => {
                    if let Some(Value::Object(p)) = o.get("p") {
                        for (k, v) in p {
                            props.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                    if let Some(x) = o.get("x") {
                        extra.get_or_insert_with(|| x.clone());
                    }
                }
                _ => items = items.or_else(|| o.get("i").cloned()),
            },
            Some(_) => {}
            None => {
                for (k, p) in part
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    props.insert(k.clone(), shape_at(raw, p, depth + 1, stack));
                }
                match part.get("additionalProperties") {
                    Some(Value::Bool(true)) => extra = Some(json!("leaf")),
                    Some(x @ Value::Object(_)) => extra = Some(shape_at(raw, x, depth + 1, stack)),
                    _ => {}
                }
                if let Some(i) = part.get("items") {
                    items = Some(shape_at(raw, i, depth + 1, stack));
                }
            }
        }
    }
    if !props.is_empty() || extra.is_some() {
        let mut o = Map::new();
        o.insert("k".into(), json!("obj"));
        o.insert("p".into(), Value::Object(props));
        if let Some(x) = extra {
            o.insert("x".into(), x);
        }
        Value::Object(o)
    } else if let Some(i) = items {
        json!({"k": "arr", "i": i})
    } else {
        // A scalar, or a free-form value (decoded as JSON, so kept whole).
        json!("leaf")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_with_a_pattern_matches_it_within_its_bounds_the_same_every_time() {
        // Twilio's account sids; fulfillment's six-digit codes.
        let sid =
            json!({"type": "string", "pattern": "^AC[0-9a-fA-F]{32}$", "minLength": 34, "maxLength": 34});
        let text = sample(&Value::Null, &sid, false);
        let text = text.as_str().unwrap_or_default();
        assert!(text.starts_with("AC") && text.len() == 34, "{text}");
        assert!(text[2..].chars().all(|c| c.is_ascii_hexdigit()), "{text}");
        assert_eq!(
            sample(&Value::Null, &sid, false),
            json!(text),
            "not the same on a second run"
        );
        let code = sample(
            &Value::Null,
            &json!({"type": "string", "pattern": r"^\d{6}$"}),
            true,
        );
        let code = code.as_str().unwrap_or_default();
        assert!(
            code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
            "{code}"
        );
        // Beyond Rust's syntax (a look-ahead): the plain sample, not a failure.
        let ahead = sample(
            &Value::Null,
            &json!({"type": "string", "pattern": "^(?=a)a+$"}),
            true,
        );
        assert_eq!(ahead, json!("sample"));
    }

    #[test]
    fn an_object_leaves_out_the_optional_properties_its_not_forbids_together() {
        let schema = json!({
            "type": "object",
            "required": ["name", "volume_id"],
            "properties": {
                "name": {"type": "string"}, "volume_id": {"type": "string"},
                "instance_id": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
                "image_tags": {"type": "array", "items": {"type": "string"}}
            },
            "not": {"anyOf": [{"required": ["instance_id"]}, {"required": ["tags", "image_tags"]}]}
        });
        let all = sample(&Value::Null, &schema, true);
        let keys: Vec<&str> = all
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["name", "volume_id", "tags"], "{all}");
    }
}
