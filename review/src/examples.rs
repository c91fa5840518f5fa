//! Examples against their schemas: `example-schema`, `example-integer-string`,
//! `example-undocumented-field`, `empty-value-excluded`.
//!
//! An example is walked beside its schema first, for what a validator's messages would
//! hide or not say at all (a field no schema declares is valid JSON Schema; a string where
//! an integer belongs deserves its own name). What the walk reports is then left out of
//! the validator's findings, so that one flaw is one finding.

use std::collections::BTreeSet;

use serde_json::Value;
use specwright_oas::pointer::escape;
use specwright_oracle::is_json;

use super::Finding;
use super::context::{Context, DOCUMENT_DEPTH};
use specwright_oas::schema::View;

/// At most this many violations are quoted per example; the rest are counted.
const QUOTED: usize = 3;
/// Items of an array example walked: enough to find a pattern, bounded for huge examples.
const ITEMS_WALKED: usize = 64;

pub(super) fn run(cx: &Context, out: &mut Vec<Finding>) {
    // (example pointer, schema pointer, the example, what it is of, what may be missing)
    type Example<'v> = (String, Option<String>, &'v Value, String, &'static [&'static str]);
    let mut examples: Vec<Example> = Vec::new();
    if let Ok(list) = cx.spec.examples() {
        for (site, example) in list {
            if site.content_type.as_deref().is_some_and(|ct| !is_json(ct)) {
                continue;
            }
            let what = format!("{} example of {}", site.role, site.operation);
            // OpenAPI 3.0: a required `readOnly` property is required in responses only, a
            // `writeOnly` one in requests only.
            let exempt: &'static [&'static str] = if site.role.starts_with("response") {
                &["writeOnly"]
            } else {
                &["readOnly"]
            };
            examples.push((example.pointer, site.schema_pointer, example.value, what, exempt));
        }
    }
    for site in &cx.schemas {
        if let Some(value) = site.value.get("example") {
            examples.push((
                format!("{}/example", site.pointer),
                Some(site.pointer.clone()),
                value,
                "example of the schema".into(),
                &["readOnly", "writeOnly"],
            ));
        }
    }
    for (pointer, schema_pointer, value, what, exempt) in examples {
        let Some(schema_pointer) = schema_pointer else {
            out.push(Finding::new(
                "example-undocumented-field",
                pointer,
                format!("the {what} has no schema: nothing documents its fields"),
            ));
            continue;
        };
        let Some(schema) = cx.raw.pointer(&schema_pointer) else {
            continue;
        };
        let mut walk = Walk {
            raw: cx.raw,
            at: &pointer,
            out,
            reported: BTreeSet::new(),
        };
        walk.value(schema, value, "", 0);
        let reported = walk.reported;
        let context = Judged {
            schema,
            exempt,
            reported: &reported,
        };
        validate(cx, &pointer, &schema_pointer, value, &what, &context, out);
    }
    defaults_and_enums(cx, out);
}

/// The validator's verdict, less what the walk already reported.
/// What the validator's verdict on one example is read against.
struct Judged<'a, 'r> {
    schema: &'a Value,
    /// `readOnly` for a request, `writeOnly` for a response: a required property marked so
    /// may be missing.
    exempt: &'r [&'r str],
    /// Instance paths the walk already reported.
    reported: &'r BTreeSet<String>,
}

fn validate(
    cx: &Context,
    pointer: &str,
    schema_pointer: &str,
    value: &Value,
    what: &str,
    judged: &Judged,
    out: &mut Vec<Finding>,
) {
    let Ok(violations) = cx.spec.validate(schema_pointer, value) else {
        return;
    };
    let left: Vec<_> = violations
        .iter()
        .filter(|v| !judged.reported.contains(&v.instance_path))
        .filter(|v| !exempt_missing(cx.raw, judged, &v.instance_path, &v.message))
        .collect();
    if left.is_empty() {
        return;
    }
    let mut quoted: Vec<String> = left
        .iter()
        .take(QUOTED)
        .map(|v| {
            let at = if v.instance_path.is_empty() {
                "(root)"
            } else {
                &v.instance_path
            };
            format!("at {at}: {}", shorten(&v.message))
        })
        .collect();
    if left.len() > QUOTED {
        quoted.push(format!("and {} more", left.len() - QUOTED));
    }
    out.push(Finding::new(
        "example-schema",
        pointer,
        format!(
            "the {what} fails its schema ({schema_pointer}): {}",
            quoted.join("; ")
        ),
    ));
}

/// Whether a violation is a required property missing that OpenAPI exempts here (a
/// `readOnly` one in a request, a `writeOnly` one in a response).
fn exempt_missing(raw: &Value, judged: &Judged, instance: &str, message: &str) -> bool {
    const TAIL: &str = " is a required property";
    let Some(name) = message
        .strip_suffix(TAIL)
        .and_then(|quoted| serde_json::from_str::<String>(quoted).ok())
    else {
        return false;
    };
    let Some(view) = view_at(raw, judged.schema, instance) else {
        return false;
    };
    let Some(property) = view.property(&name) else {
        return false;
    };
    let property = super::context::resolve(raw, property);
    judged
        .exempt
        .iter()
        .any(|k| property.get(*k).and_then(Value::as_bool) == Some(true))
}

/// The schema that speaks for the part of a value at `instance` (a JSON pointer into it),
/// through properties, `additionalProperties` and `items`.
fn view_at<'a>(raw: &'a Value, schema: &'a Value, instance: &str) -> Option<View<'a>> {
    let mut view = View::of(raw, schema);
    for token in instance.split('/').skip(1) {
        let token = specwright_oas::pointer::unescape(token);
        let next = match view.property(&token) {
            Some(p) => p,
            None => {
                view.items
                    .as_ref()
                    .or(view.additional.as_ref().filter(|a| a.schema.is_object()))?
                    .schema
            }
        };
        view = View::of(raw, next);
    }
    Some(view)
}

/// Validator messages quote the whole instance; a long one is cut.
fn shorten(message: &str) -> String {
    const MAX: usize = 200;
    if message.chars().count() <= MAX {
        return message.to_string();
    }
    let cut: String = message.chars().take(MAX).collect();
    format!("{cut}…")
}

struct Walk<'a, 'o> {
    raw: &'a Value,
    /// Pointer of the example value in the spec.
    at: &'a str,
    out: &'o mut Vec<Finding>,
    /// Instance paths reported here, left out of the validator's findings.
    reported: BTreeSet<String>,
}

impl<'a> Walk<'a, '_> {
    fn value(&mut self, schema: &'a Value, value: &'a Value, instance: &str, depth: usize) {
        if depth > DOCUMENT_DEPTH {
            return;
        }
        let view = View::of(self.raw, schema);
        let here = format!("{}{instance}", self.at);
        let numeric = !view.types.is_empty() && view.types.iter().all(|t| matches!(*t, "integer" | "number"));
        match value {
            Value::String(s) if numeric => {
                self.reported.insert(instance.to_string());
                let t = view.types.join(" or ");
                self.out.push(Finding::new(
                    "example-integer-string",
                    here,
                    format!("the example gives the string {s:?} where the schema says {t}: a client typed from the schema cannot read it"),
                ));
                return;
            }
            _ => {}
        }
        if let Some(message) = empty_excluded(&view, value) {
            self.reported.insert(instance.to_string());
            self.out.push(Finding::new(
                "empty-value-excluded",
                here,
                format!("the example is {message}: either the empty value is allowed and the schema is too strict, or the example is wrong"),
            ));
            return;
        }
        match value {
            Value::Object(map) => self.object(&view, map, instance, depth),
            Value::Array(items) => {
                if let Some(item_schema) = view.items.as_ref().map(|c| c.schema) {
                    for (i, item) in items.iter().take(ITEMS_WALKED).enumerate() {
                        self.value(item_schema, item, &format!("{instance}/{i}"), depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn object(
        &mut self,
        view: &View<'a>,
        map: &'a serde_json::Map<String, Value>,
        instance: &str,
        depth: usize,
    ) {
        if depth > DOCUMENT_DEPTH {
            return;
        }
        if view.properties.is_empty() && !view.choices.is_empty() {
            // The variant the example is of: one whose required fields it has, declaring
            // the most of its fields.
            let best = view
                .choices
                .iter()
                .map(|c| View::of(self.raw, c.schema))
                .filter(|v| v.required.iter().all(|r| map.contains_key(*r)))
                .max_by_key(|v| map.keys().filter(|k| v.declares(self.raw, k)).count());
            if let Some(variant) = best {
                self.object(&variant, map, instance, depth + 1);
            }
            return;
        }
        for (key, field) in map {
            let child = format!("{instance}/{}", escape(key));
            if let Some(schema) = view.property(key) {
                self.value(schema, field, &child, depth + 1);
                continue;
            }
            match view.additional.as_ref().map(|a| a.schema) {
                Some(a) if a.is_object() => self.value(a, field, &child, depth + 1),
                // `false`: the validator refuses the field; `true`: any field is documented.
                Some(_) => {}
                None if view.properties.is_empty() || view.declares(self.raw, key) => {}
                None => {
                    self.out.push(Finding::new(
                        "example-undocumented-field",
                        format!("{}{child}", self.at),
                        format!(
                            "the example has the field `{key}`, which its schema does not declare (declared: {})",
                            declared(view)
                        ),
                    ));
                }
            }
        }
    }
}

fn declared(view: &View) -> String {
    const SHOWN: usize = 8;
    let names: Vec<String> = view.properties.iter().map(|p| format!("`{}`", p.name)).collect();
    if names.len() > SHOWN {
        format!("{}, and {} more", names[..SHOWN].join(", "), names.len() - SHOWN)
    } else {
        names.join(", ")
    }
}

/// Says what is wrong when `value` is empty and the schema's minimum excludes it.
fn empty_excluded(view: &View, value: &Value) -> Option<String> {
    let (kind, keyword, min) = match value {
        Value::String(s) if s.is_empty() => ("the empty string", "minLength", view.min_length?),
        Value::Array(a) if a.is_empty() => ("an empty array", "minItems", view.min_items?),
        Value::Object(o) if o.is_empty() => ("an empty object", "minProperties", view.min_properties?),
        _ => return None,
    };
    (min > 0).then(|| format!("{kind}, which `{keyword}: {min}` excludes"))
}

/// A `default` or an `enum` value that is empty where the schema's minimum excludes it.
fn defaults_and_enums(cx: &Context, out: &mut Vec<Finding>) {
    for site in &cx.schemas {
        let view = View::of(cx.raw, site.value);
        if let Some(default) = site.value.get("default") {
            if let Some(message) = empty_excluded(&view, default) {
                out.push(Finding::new(
                    "empty-value-excluded",
                    format!("{}/default", site.pointer),
                    format!("the default is {message}"),
                ));
            }
        }
        if let Some(values) = site.value.get("enum").and_then(Value::as_array) {
            for (i, v) in values.iter().enumerate() {
                if let Some(message) = empty_excluded(&view, v) {
                    out.push(Finding::new(
                        "empty-value-excluded",
                        format!("{}/enum/{i}", site.pointer),
                        format!("the enum lists {message}"),
                    ));
                }
            }
        }
    }
}
