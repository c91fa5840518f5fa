//! `oas-schema`: the document against the OpenAPI 3.0 JSON Schema (the OpenAPI
//! Initiative's, 2019-04-02; see `oas-3.0-schema.md` for where it comes from and its
//! license), the check Spectral's `oas3-schema` and Redocly's `struct` make.
//!
//! A document that fails a `oneOf` (a Schema Object or a Reference Object, say) fails every
//! branch; each violation is reported once, from the branch the document meant: the one
//! whose errors go deepest, after branches that fail on their first step (no `$ref`, a
//! `type` or an `in` of another kind) are set aside.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::Value;

use super::Finding;

const SCHEMA: &str = include_str!("oas-3.0-schema.json");

fn validator() -> Option<&'static Validator> {
    static VALIDATOR: OnceLock<Option<Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let schema: Value = serde_json::from_str(SCHEMA).ok()?;
            jsonschema::options()
                .with_draft(Draft::Draft4)
                .should_validate_formats(true)
                // A `pattern` is written for many regex engines: strict ECMA 262 refuses
                // `\A`, `\z` or `[\w-.]`, which the others read, and neither Spectral nor
                // Redocly judges it. Formats the schema gives other fields (email, uri,
                // uri-reference) are checked.
                .with_format("regex", |_| true)
                .build(&schema)
                .ok()
        })
        .as_ref()
}

/// Every place the document breaks the OpenAPI 3.0 JSON Schema, one finding per cause.
pub(crate) fn run(raw: &Value, out: &mut Vec<Finding>) {
    let Some(validator) = validator() else {
        // The schema is part of the binary and compiles: a test holds it to that.
        return;
    };
    let mut causes = Vec::new();
    for e in validator.iter_errors(raw) {
        collect(&e, &mut causes);
    }
    // A value of the wrong JSON type fails its other keywords too (`enum`, `pattern`):
    // the type says it all.
    let mistyped: Vec<String> = causes
        .iter()
        .filter(|(_, _, typed)| *typed)
        .map(|(at, _, _)| at.clone())
        .collect();
    causes.retain(|(at, _, typed)| *typed || !mistyped.contains(at));
    for (pointer, message, _) in causes {
        let f = Finding::new("oas-schema", pointer, message);
        if !out.contains(&f) {
            out.push(f);
        }
    }
}

fn depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

/// The causes of one error: itself, or for a `oneOf`/`anyOf`, the causes in the branch the
/// document meant.
fn collect(e: &ValidationError, out: &mut Vec<(String, String, bool)>) {
    let context = match e.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => context,
        _ => {
            let typed = matches!(e.kind(), ValidationErrorKind::Type { .. });
            out.extend(describe(e).into_iter().map(|(at, m)| (at, m, typed)));
            return;
        }
    };
    let at = e.instance_path().to_string();
    // A parameter or header with neither `schema` nor `content`, or with `content` and a
    // field that only a schema allows.
    if object_name(e).as_deref() == Some("Schema XORContent Object") {
        match (e.instance().get("content"), context.get(1)) {
            (Some(_), Some(branch)) => branch.iter().for_each(|x| collect(x, out)),
            _ => out.push((
                at,
                "a parameter or header needs `schema` or `content`".into(),
                false,
            )),
        }
        return;
    }
    let branch = context.iter().filter(|b| !b.is_empty()).min_by_key(|b| {
        let off = b.iter().any(|x| first_step(x, &at));
        let deepest = b
            .iter()
            .map(|x| depth(&x.instance_path().to_string()))
            .max()
            .unwrap_or(0);
        (off, std::cmp::Reverse(deepest), b.len())
    });
    match branch {
        Some(branch) => branch.iter().for_each(|x| collect(x, out)),
        None => out.extend(describe(e).into_iter().map(|(at, m)| (at, m, false))),
    }
}

/// Whether a branch's error says the value is of another kind altogether: a Reference
/// Object's missing `$ref`, a value of another JSON type, an `in` or a `type` that
/// names another variant.
fn first_step(e: &ValidationError, branch_at: &str) -> bool {
    let at = e.instance_path().to_string();
    match e.kind() {
        ValidationErrorKind::Required { property } => at == branch_at && property == "$ref",
        ValidationErrorKind::Type { .. } => at == branch_at,
        ValidationErrorKind::Enum { .. } => at.strip_prefix(branch_at).is_some_and(|rest| depth(rest) == 1),
        _ => false,
    }
}

/// `Schema` → `Schema Object`, `PathItem` → `Path Item Object`: the name the specification
/// gives the object the failing part of the schema describes.
fn object_name(e: &ValidationError) -> Option<String> {
    let location = e.absolute_keyword_location()?.to_string();
    let (_, rest) = location.rsplit_once("/definitions/")?;
    let name = rest.split('/').next()?;
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_uppercase() && previous.is_some_and(|p| !p.is_uppercase()) {
            out.push(' ');
        }
        out.push(c);
        previous = Some(c);
    }
    Some(format!("{out} Object"))
}

/// A value as a message shows it: JSON, cut short.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One error as findings: where and what, in the specification's words.
fn describe(e: &ValidationError) -> Vec<(String, String)> {
    let at = e.instance_path().to_string();
    let object = object_name(e);
    let of = object
        .as_deref()
        .map(|o| format!(" of the {o}"))
        .unwrap_or_default();
    let here = object
        .as_deref()
        .map(|o| format!("the {o}"))
        .unwrap_or("this object".into());
    let instance = e.instance();
    let message = match e.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            return unexpected
                .iter()
                .map(|key| {
                    let message = match object.as_deref() {
                        Some("Paths Object") => format!("path `{key}` does not start with `/`"),
                        Some("Responses Object") => format!(
                            "`{key}` is not a status code (100 to 599, or 1XX to 5XX) nor `default`"
                        ),
                        _ => format!(
                            "`{key}` is not a field{of}: OpenAPI 3.0 allows its own fields and `x-` extensions"
                        ),
                    };
                    (specwright_oas::pointer::join(&at, key), message)
                })
                .collect();
        }
        ValidationErrorKind::Required { property } => match property.as_str().unwrap_or_default() {
            "required" if object.as_deref() == Some("Parameter Location Object") => {
                "a path parameter needs `required: true`".to_string()
            }
            property => format!("{here} needs `{property}`"),
        },
        ValidationErrorKind::Type { kind } => {
            let wanted = match kind {
                jsonschema::error::TypeKind::Single(t) => t.to_string(),
                jsonschema::error::TypeKind::Multiple(ts) => {
                    ts.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" or ")
                }
            };
            let field = at
                .rsplit_once('/')
                .map(|(_, f)| specwright_oas::pointer::unescape(f));
            match field.filter(|f| !f.is_empty() && !f.bytes().all(|b| b.is_ascii_digit())) {
                Some(field)
                    if field == "type"
                        && instance.is_array()
                        && object.as_deref() == Some("Schema Object") =>
                {
                    format!(
                        "`type` is a list, {}: a list of types is OpenAPI 3.1; in 3.0 give one type, and `nullable: true` for null",
                        shown(instance)
                    )
                }
                Some(field) => format!(
                    "`{field}` is {}, {}; {here} wants {wanted} here",
                    json_type(instance),
                    shown(instance)
                ),
                None => format!(
                    "{} is {}; {here} wants {wanted} here",
                    shown(instance),
                    json_type(instance)
                ),
            }
        }
        ValidationErrorKind::Enum { .. }
            if object.as_deref() == Some("Schema Object") && at.ends_with("/type") =>
        {
            format!(
                "unknown type {}: OpenAPI 3.0 types are {}",
                shown(instance),
                specwright_oas::TYPES.join(", ")
            )
        }
        ValidationErrorKind::Enum { options } => {
            let options = options
                .as_array()
                .map(|o| {
                    o.iter()
                        .map(|v| format!("`{}`", v.as_str().map_or(v.to_string(), str::to_string)))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            format!("{} is not one of {options}", shown(instance))
        }
        ValidationErrorKind::Format { format } => format!("{} is not a valid {format}", shown(instance)),
        ValidationErrorKind::Pattern { pattern } => {
            format!("{} does not match `{pattern}`", shown(instance))
        }
        ValidationErrorKind::Not { schema } if object.as_deref() == Some("Schema XORContent Object") => {
            let fields: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            match fields.as_slice() {
                [field] => {
                    format!("`{field}` does not apply to a parameter or header described by `content`")
                }
                _ => "a parameter or header has `schema` or `content`, not both".to_string(),
            }
        }
        ValidationErrorKind::OneOfMultipleValid { .. }
            if object.as_deref() == Some("Schema XORContent Object") =>
        {
            return Vec::new();
        }
        ValidationErrorKind::Not { .. } if object.as_deref() == Some("Example XORExamples Object") => {
            "`example` and `examples` are exclusive".to_string()
        }
        _ => format!("{e}{of}"),
    };
    vec![(at, message)]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_schema_compiles() {
        assert!(super::validator().is_some());
    }
}
