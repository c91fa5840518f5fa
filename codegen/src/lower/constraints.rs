//! What a schema allows beyond its type, as one line of doc text: lengths, bounds,
//! pattern, item counts, the values of a non-string enum, the format.

use serde_json::Value;

/// `"` `1 ≤ length ≤ 255` `, pattern` `^[a-z]+$` `"`, or `None` where the schema says
/// nothing of the kind. Reads the schema as the document holds it (OpenAPI 3.0's boolean
/// `exclusiveMinimum`, or 3.1's number).
pub(super) fn describe(schema: &Value) -> Option<String> {
    let s = schema.as_object()?;
    let number = |k: &str| s.get(k).filter(|v| v.is_number()).map(Value::to_string);
    let count = |k: &str| s.get(k).and_then(Value::as_u64).map(|n| n.to_string());
    let exclusive = |bound: &str, flag: &str| match s.get(flag) {
        Some(Value::Bool(true)) => number(bound).map(|b| (b, true)),
        Some(v @ Value::Number(_)) => Some((v.to_string(), true)),
        _ => number(bound).map(|b| (b, false)),
    };
    let mut parts: Vec<String> = Vec::new();
    let bounds = [
        (
            "value",
            exclusive("minimum", "exclusiveMinimum"),
            exclusive("maximum", "exclusiveMaximum"),
        ),
        (
            "length",
            count("minLength").map(|n| (n, false)),
            count("maxLength").map(|n| (n, false)),
        ),
        (
            "items",
            count("minItems").map(|n| (n, false)),
            count("maxItems").map(|n| (n, false)),
        ),
        (
            "properties",
            count("minProperties").map(|n| (n, false)),
            count("maxProperties").map(|n| (n, false)),
        ),
    ];
    for (what, low, high) in bounds {
        let below = |x: bool| if x { "<" } else { "≤" };
        match (low, high) {
            (Some((l, false)), Some((h, false))) if l == h => parts.push(format!("`{what} = {l}`")),
            (Some((l, lx)), Some((h, hx))) => {
                parts.push(format!("`{l} {} {what} {} {h}`", below(lx), below(hx)))
            }
            (Some((l, lx)), None) => parts.push(format!("`{what} {} {l}`", if lx { ">" } else { "≥" })),
            (None, Some((h, hx))) => parts.push(format!("`{what} {} {h}`", below(hx))),
            (None, None) => {}
        }
    }
    if let Some(m) = number("multipleOf") {
        parts.push(format!("multiple of `{m}`"));
    }
    if s.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
        parts.push("unique items".into());
    }
    if let Some(bytes) = count("x-max-bytes") {
        parts.push(format!("at most {bytes} bytes of UTF-8"));
    }
    if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
        parts.push(format!("pattern {}", code(pattern)));
    }
    // A string enum is a Rust enum, its values the variants; any other enum is stated here.
    let string = s.get("type").and_then(Value::as_str) == Some("string");
    if let Some(values) = s.get("enum").and_then(Value::as_array).filter(|_| !string) {
        const SHOWN: usize = 12;
        let mut listed: Vec<String> = values.iter().take(SHOWN).map(|v| code(&v.to_string())).collect();
        if values.len() > SHOWN {
            listed.push(format!("… ({} in all)", values.len()));
        }
        parts.push(format!("one of {}", listed.join(", ")));
    }
    // A number's format is its Rust type (`i32`, `f64`) already; `float` is read as `f64`,
    // so the doc says the spec meant single precision.
    let numeric = ["int32", "int64", "double"];
    if let Some(format) = s
        .get("format")
        .and_then(Value::as_str)
        .filter(|f| !numeric.contains(f))
    {
        parts.push(format!("format {}", code(format)));
    }
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join(", ")))
}

/// A code span, or the text as it is where it holds a backtick (then the doc text path
/// escapes it).
fn code(text: &str) -> String {
    if text.contains('`') || text.contains('\n') {
        text.replace('\n', " ")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::describe;
    use serde_json::json;

    #[test]
    fn constraints_read_as_one_compact_line() {
        let d = |v| describe(&v).unwrap_or_default();
        assert_eq!(
            d(json!({"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[a-z]+$"})),
            "Constraints: `1 ≤ length ≤ 255`, pattern `^[a-z]+$`."
        );
        assert_eq!(
            d(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 10})),
            "Constraints: `0 < value ≤ 10`."
        );
        assert_eq!(d(json!({"exclusiveMaximum": 5})), "Constraints: `value < 5`.");
        assert_eq!(
            d(json!({"minProperties": 1, "maxProperties": 1})),
            "Constraints: `properties = 1`."
        );
        assert_eq!(
            d(json!({"type": "array", "minItems": 1, "uniqueItems": true})),
            "Constraints: `items ≥ 1`, unique items."
        );
        assert_eq!(
            d(json!({"type": "integer", "enum": [1, 2]})),
            "Constraints: one of `1`, `2`."
        );
        assert_eq!(
            d(json!({"type": "string", "format": "uuid", "enum": ["a"]})),
            "Constraints: format `uuid`."
        );
        assert_eq!(d(json!({"pattern": "a`b"})), "Constraints: pattern a`b.");
        assert_eq!(describe(&json!({"type": "string"})), None);
        assert_eq!(describe(&json!({"type": "integer", "format": "int64"})), None);
    }
}
