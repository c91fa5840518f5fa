//! Parameters on the wire: which ones an operation takes, how a value is written into a
//! path, a query string or a header (OpenAPI `style`/`explode`), and how the server reads
//! the text back, so that a broken value is judged as the server will see it.

use serde_json::{Value, json};
use specwright_oracle::{Operation, Spec};

use crate::generate::resolve;

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    pub fn name(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// One parameter of an operation, `$ref`s followed.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    /// Pointer to the schema in the spec document, for the oracle.
    pub schema_pointer: Option<String>,
    /// The schema itself, references at its top followed.
    pub schema: Value,
    /// `form` + `explode: true` unless the spec says otherwise (query), `simple` (path,
    /// header).
    pub style: String,
    pub explode: bool,
    /// Described by `content: application/json`: written as JSON text, read as JSON.
    pub json: bool,
    pub examples: Vec<Value>,
}

impl Param {
    /// The text `value` is written as, in a path segment, a query value or a header.
    pub fn wire(&self, value: &Value) -> String {
        if self.json { value.to_string() } else { text(value) }
    }

    /// Whether a value of this parameter names something on the server (a pagination
    /// `marker`, an id, a reference), so that a generated one may rightly be refused for
    /// naming nothing, though the schema allows it.
    pub fn names_state(&self) -> bool {
        name_names_state(&self.name) || self.schema.get("format").and_then(Value::as_str) == Some("uuid")
    }

    /// The value the server reads from what `value` is written as (see [`as_read`]). A
    /// JSON parameter given as text (`--param`) is that text's JSON.
    pub fn read(&self, doc: &Value, value: &Value) -> Value {
        match value {
            Value::String(s) if self.json => serde_json::from_str(s).unwrap_or_else(|_| value.clone()),
            _ if self.json => value.clone(),
            _ => as_read(doc, &self.schema, value),
        }
    }
}

/// Headers OpenAPI says a parameter may not define: they belong to the protocol.
const RESERVED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

/// The operation's path, query and header parameters (cookies are not sent).
pub fn params_of(spec: &Spec, op: &Operation) -> Vec<Param> {
    let doc = spec.raw();
    let mut out = Vec::new();
    for p in op.parameters(spec).unwrap_or_default() {
        let location = match p.location {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" if !RESERVED_HEADERS.contains(&p.name.to_ascii_lowercase().as_str()) => Location::Header,
            _ => continue,
        };
        let schema = p
            .schema_pointer
            .as_deref()
            .and_then(|at| doc.pointer(at))
            .map(|s| resolve(doc, s).clone())
            .unwrap_or(json!({"type": "string"}));
        let style = p
            .value
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or(if location == Location::Query {
                "form"
            } else {
                "simple"
            })
            .to_string();
        let explode = p
            .value
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        // Examples sit on the parameter, or on its media type when it has `content`.
        let media = p
            .schema_pointer
            .as_deref()
            .filter(|_| p.json)
            .and_then(|at| at.strip_suffix("/schema"))
            .and_then(|at| doc.pointer(at));
        let mut examples = Vec::new();
        for holder in std::iter::once(p.value).chain(media) {
            examples.extend(holder.get("example").cloned());
            if let Some(map) = holder.get("examples").and_then(Value::as_object) {
                examples.extend(map.values().filter_map(|e| resolve(doc, e).get("value").cloned()));
            }
        }
        if let Some(e) = schema.get("example") {
            examples.push(e.clone());
        }
        out.push(Param {
            name: p.name.to_string(),
            location,
            required: p.required || location == Location::Path,
            schema_pointer: p.schema_pointer.clone(),
            schema,
            style,
            explode,
            json: p.json,
            examples,
        });
    }
    out
}

/// The text of a scalar, or of an array/object in `simple` style (comma separated).
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), text(v)])
            .collect::<Vec<_>>()
            .join(","),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The query pairs a value becomes, by the parameter's style and explode.
pub fn query_pairs(param: &Param, value: &Value) -> Vec<(String, String)> {
    let name = param.name.clone();
    if param.json {
        return vec![(name, param.wire(value))];
    }
    match (value, param.style.as_str(), param.explode) {
        (Value::Array(items), "form", true) => items.iter().map(|v| (name.clone(), text(v))).collect(),
        (Value::Array(items), "spaceDelimited", _) => {
            vec![(name, items.iter().map(text).collect::<Vec<_>>().join(" "))]
        }
        (Value::Array(items), "pipeDelimited", _) => {
            vec![(name, items.iter().map(text).collect::<Vec<_>>().join("|"))]
        }
        (Value::Object(map), "deepObject", _) => map
            .iter()
            .map(|(k, v)| (format!("{name}[{k}]"), text(v)))
            .collect(),
        (Value::Object(map), "form", true) => map.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
        _ => vec![(name, text(value))],
    }
}

/// The value a server reads from the text of a scalar parameter, by its schema's type:
/// what the oracle must judge, since on the wire `12345` and `"12345"` are the same.
pub fn as_read(doc: &Value, schema: &Value, value: &Value) -> Value {
    let schema = resolve(doc, schema);
    if let (Some("array"), Value::Array(items)) = (schema.get("type").and_then(Value::as_str), value) {
        let item = schema.get("items").cloned().unwrap_or(json!({}));
        return items.iter().map(|v| as_read(doc, &item, v)).collect();
    }
    let wire = text(value);
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => wire
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::String(wire)),
        Some("number") => wire
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            .unwrap_or(Value::String(wire)),
        Some("boolean") => match wire.as_str() {
            "true" => json!(true),
            "false" => json!(false),
            _ => Value::String(wire),
        },
        Some("string") | None => Value::String(wire),
        _ => value.clone(),
    }
}

/// Header values must be visible ASCII; others cannot be sent at all.
pub fn header_safe(wire: &str) -> bool {
    wire.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Whether a parameter or field of this name names something on the server (a pagination
/// `marker`, an id, a reference, a precondition), so that a generated value may rightly be
/// refused for naming nothing, though the schema allows it.
pub fn name_names_state(name: &str) -> bool {
    const CURSORS: [&str; 9] = [
        "marker",
        "cursor",
        "page_token",
        "pagetoken",
        "after",
        "before",
        "starting_after",
        "ending_before",
        "since_id",
    ];
    // `_token`, `$cursor`: the sigil says nothing.
    let lowered = name.to_ascii_lowercase();
    let name = lowered.trim_start_matches(['_', '$']);
    CURSORS.contains(&name)
        || ["id", "ids", "ref", "uuid", "token", "cursor", "etag"].iter().any(|end| name.ends_with(end))
        // Preconditions name a version of state: a made-up one is rightly refused.
        || matches!(name, "if-match" | "if-none-match" | "if-unmodified-since" | "if-modified-since")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(style: &str, explode: bool) -> Param {
        Param {
            name: "f".into(),
            location: Location::Query,
            required: false,
            schema_pointer: None,
            schema: json!({}),
            style: style.into(),
            explode,
            json: false,
            examples: Vec::new(),
        }
    }

    #[test]
    fn query_styles() {
        let list = json!(["a", 1]);
        assert_eq!(
            query_pairs(&param("form", true), &list),
            [("f".into(), "a".into()), ("f".into(), "1".into())]
        );
        assert_eq!(
            query_pairs(&param("form", false), &list),
            [("f".into(), "a,1".into())]
        );
        let obj = json!({"k": "v"});
        assert_eq!(
            query_pairs(&param("deepObject", true), &obj),
            [("f[k]".into(), "v".into())]
        );
        assert_eq!(
            query_pairs(&param("form", true), &obj),
            [("k".into(), "v".into())]
        );
    }

    #[test]
    fn numbers_read_back_as_the_server_reads_them() {
        let int = json!({"type": "integer"});
        assert_eq!(as_read(&json!({}), &int, &json!("12")), json!(12));
        assert_eq!(as_read(&json!({}), &int, &json!("x")), json!("x"));
        assert_eq!(
            as_read(&json!({}), &json!({"type": "string"}), &json!(12345)),
            json!("12345")
        );
    }

    #[test]
    fn array_items_read_back_one_by_one_through_refs() {
        let doc = json!({"components": {"schemas": {"N": {"type": "integer"}}}});
        let strings = json!({"type": "array", "items": {"type": "string"}});
        assert_eq!(as_read(&doc, &strings, &json!([12345])), json!(["12345"]));
        let ints = json!({"type": "array", "items": {"$ref": "#/components/schemas/N"}});
        assert_eq!(as_read(&doc, &ints, &json!(["7", "x"])), json!([7, "x"]));
    }
}
