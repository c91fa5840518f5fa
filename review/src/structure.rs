//! The document's structure, as a generator or a test suite needs it to hold:
//! `path-parameter-mismatch`, `duplicate-operation-id`, `undeclared-security-scheme`,
//! `unresolved-ref`, `ref-siblings`, `unused-component`, `unknown-type`,
//! `enum-type-mismatch`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use specwright_oas::pointer::{escape, join};
use specwright_oas::template;

use super::Finding;
use super::context::{Context, DOCUMENT_DEPTH, component_of};

use specwright_oas::TYPES;

pub(super) fn run(cx: &Context, out: &mut Vec<Finding>) {
    path_parameters(cx, out);
    operation_ids(cx, out);
    security(cx, out);
    let refs = references(cx.raw);
    unresolved(cx, &refs, out);
    siblings(&refs, out);
    unused(cx, &refs, out);
    types(cx, out);
}

/// A path parameter as a list declares it: its name and the pointer of its list item.
struct Declared<'a> {
    name: &'a str,
    at: String,
    /// Declared on the path item (shared by its operations) rather than the operation.
    shared: bool,
}

/// The path parameters a parameter list declares (`$ref`s followed).
fn declared<'a>(cx: &Context<'a>, list: Option<&'a Value>, at: &str, shared: bool) -> Vec<Declared<'a>> {
    let Some(list) = list.and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let p = cx.deref(p);
            (p.get("in").and_then(Value::as_str) == Some("path")).then(|| Declared {
                name: p.get("name").and_then(Value::as_str).unwrap_or_default(),
                at: format!("{at}/{i}"),
                shared,
            })
        })
        .collect()
}

/// The names in a path template and the path parameters declared for each operation must
/// be the same: a client fills the template from the declared parameters.
fn path_parameters(cx: &Context, out: &mut Vec<Finding>) {
    let Some(paths) = cx.raw.get("paths").and_then(Value::as_object) else {
        return;
    };
    for (path, item) in paths {
        let item_at = join("/paths", path);
        if let Err(unclosed) = template::pieces(path) {
            out.push(Finding::new(
                "path-parameter-mismatch",
                item_at,
                format!("path `{path}` has an unclosed `{{` at byte {}", unclosed.at),
            ));
            continue;
        }
        let in_template = template::params(path);
        let mut seen = BTreeSet::new();
        for name in &in_template {
            if !seen.insert(*name) {
                out.push(Finding::new(
                    "path-parameter-mismatch",
                    item_at.clone(),
                    format!("path `{path}` names `{{{name}}}` twice"),
                ));
            }
        }
        let shared = declared(cx, item.get("parameters"), &join(&item_at, "parameters"), true);
        // A shared parameter missing from the template is reported once, on the path item.
        for d in &shared {
            if !in_template.contains(&d.name) {
                out.push(not_in_template(path, d));
            }
        }
        for method in specwright_oas::METHODS {
            let Some(op) = item.get(method) else { continue };
            let op_at = join(&item_at, method);
            let own = declared(cx, op.get("parameters"), &join(&op_at, "parameters"), false);
            let effective = specwright_oas::parameters::effective(
                shared.iter().map(|d| (d.name, d)),
                own.iter().map(|d| (d.name, d)),
                |(name, _)| *name,
            );
            for (_, d) in &effective {
                if !d.shared && !in_template.contains(&d.name) {
                    out.push(not_in_template(path, d));
                }
            }
            for name in seen.iter() {
                if effective.iter().any(|(n, _)| n == name) {
                    continue;
                }
                let declared: Vec<String> = effective.iter().map(|(n, _)| format!("`{n}`")).collect();
                let declared = match declared.is_empty() {
                    true => "none is declared".to_string(),
                    false => format!("declared: {}", declared.join(", ")),
                };
                out.push(Finding::new(
                    "path-parameter-mismatch",
                    op_at.clone(),
                    format!(
                        "{} {path}: `{{{name}}}` has no path parameter of that name ({declared})",
                        method.to_uppercase()
                    ),
                ));
            }
        }
    }
}

fn not_in_template(path: &str, d: &Declared) -> Finding {
    Finding::new(
        "path-parameter-mismatch",
        d.at.clone(),
        format!("path parameter `{}` does not appear in `{path}`", d.name),
    )
}

/// Two operations with one `operationId`: generated method names, links and tests that
/// name operations by id cannot tell them apart.
fn operation_ids(cx: &Context, out: &mut Vec<Finding>) {
    let mut first: BTreeMap<&str, String> = BTreeMap::new();
    for op in cx.operations() {
        let Some(id) = op.operation_id else { continue };
        match first.get(id) {
            Some(other) => out.push(Finding::new(
                "duplicate-operation-id",
                join(&op.pointer, "operationId"),
                format!("operationId `{id}` is also the id of {other}"),
            )),
            None => {
                first.insert(id, format!("{} {}", op.method.to_uppercase(), op.path));
            }
        }
    }
}

/// Every name in a security requirement is a declared security scheme.
fn security(cx: &Context, out: &mut Vec<Finding>) {
    let schemes = cx
        .raw
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let mut check = |list: Option<&Value>, at: String| {
        let Some(list) = list.and_then(Value::as_array) else {
            return;
        };
        for (i, requirement) in list.iter().enumerate() {
            let Some(requirement) = requirement.as_object() else {
                continue;
            };
            for name in requirement.keys() {
                if !schemes.is_some_and(|s| s.contains_key(name)) {
                    out.push(Finding::new(
                        "undeclared-security-scheme",
                        join(&format!("{at}/{i}"), name),
                        format!("security scheme `{name}` is not declared under components/securitySchemes"),
                    ));
                }
            }
        }
    };
    check(cx.raw.get("security"), "/security".into());
    for op in cx.operations() {
        check(op.value.get("security"), join(&op.pointer, "security"));
    }
}

/// A `$ref` as the document writes it: the pointer of the object holding it.
pub(super) struct Reference<'a> {
    pub at: String,
    pub target: &'a str,
    pub holder: &'a serde_json::Map<String, Value>,
    /// A Path Item's `$ref`, whose siblings OpenAPI 3.0 allows.
    pub path_item: bool,
}

/// How a walk reads an object: as an OpenAPI object (its keys are fields), or as a map of
/// names (`properties`, `paths`, `responses`, ...) whose keys are the spec's own names.
#[derive(Clone, Copy, PartialEq)]
enum Reading {
    Fields,
    Names,
    /// The names of `paths` or a callback: each value is a Path Item.
    PathItems,
}

/// Fields whose value is a map of names.
const NAME_MAPS: [&str; 16] = [
    "properties",
    "responses",
    "content",
    "examples",
    "headers",
    "encoding",
    "links",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "variables",
    "mapping",
    "scopes",
    "callbacks",
    "definitions",
];

/// Every `$ref` that is a reference, not data: examples, defaults, enumerations and
/// extensions are values, and a `$ref` inside them is text like any other.
pub(super) fn references(raw: &Value) -> Vec<Reference<'_>> {
    let mut out = Vec::new();
    walk(raw, "", Reading::Fields, false, &mut out, 0);
    out
}

fn walk<'a>(
    value: &'a Value,
    at: &str,
    reading: Reading,
    path_item: bool,
    out: &mut Vec<Reference<'a>>,
    depth: usize,
) {
    if depth > DOCUMENT_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            if reading == Reading::Fields {
                if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                    out.push(Reference {
                        at: at.to_string(),
                        target,
                        holder: map,
                        path_item,
                    });
                }
            }
            for (key, child) in map {
                let here = join(at, key);
                let (next, item) = match reading {
                    Reading::PathItems => (Reading::Fields, true),
                    Reading::Names => (Reading::Fields, false),
                    Reading::Fields => {
                        if key.starts_with("x-")
                            || matches!(key.as_str(), "example" | "default" | "enum" | "value" | "$ref")
                        {
                            continue;
                        }
                        // A callback is a map of expressions to Path Items.
                        if key == "paths" && at.is_empty() {
                            (Reading::PathItems, false)
                        } else if NAME_MAPS.contains(&key.as_str()) && child.is_object() {
                            (Reading::Names, false)
                        } else {
                            (Reading::Fields, false)
                        }
                    }
                };
                // The callbacks map: name → callback (expression → Path Item).
                let next = if reading == Reading::Names && at.ends_with("/callbacks") {
                    Reading::PathItems
                } else {
                    next
                };
                walk(child, &here, next, item, out, depth + 1);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(
                    child,
                    &format!("{at}/{i}"),
                    Reading::Fields,
                    false,
                    out,
                    depth + 1,
                );
            }
        }
        _ => {}
    }
}

/// A `$ref` that resolves to nothing in this document, or points outside it.
fn unresolved(cx: &Context, refs: &[Reference], out: &mut Vec<Finding>) {
    for r in refs {
        let at = join(&r.at, "$ref");
        if !r.target.starts_with('#') {
            out.push(Finding::new(
                "unresolved-ref",
                at,
                format!(
                    "`{}` points outside this document, which specwright does not read: bundle the spec into one file first (e.g. `redocly bundle`)",
                    r.target
                ),
            ));
        } else if specwright_oas::pointer::resolve_ref(cx.raw, r.target).is_none() {
            out.push(Finding::new(
                "unresolved-ref",
                at,
                format!("`{}` points at nothing in this document", r.target),
            ));
        }
    }
}

/// Siblings of a `$ref`, which OpenAPI 3.0 ignores (a Path Item's excepted).
fn siblings(refs: &[Reference], out: &mut Vec<Finding>) {
    for r in refs.iter().filter(|r| !r.path_item) {
        let others: Vec<String> = r
            .holder
            .keys()
            .filter(|k| *k != "$ref")
            .map(|k| format!("`{k}`"))
            .collect();
        if others.is_empty() {
            continue;
        }
        out.push(Finding::new(
            "ref-siblings",
            r.at.clone(),
            format!(
                "{} beside `$ref` {} ignored in OpenAPI 3.0: wrap the reference in `allOf` (for a schema) or move them into what it references",
                others.join(", "),
                if others.len() == 1 { "is" } else { "are" }
            ),
        ));
    }
}

/// Components no operation, path or security requirement reaches, through any chain of
/// references.
fn unused<'a>(cx: &Context<'a>, refs: &[Reference], out: &mut Vec<Finding>) {
    let Some(components) = cx.raw.get("components").and_then(Value::as_object) else {
        return;
    };
    // Each component → the components its own references name; the roots are the
    // references outside `components`.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut todo: Vec<String> = Vec::new();
    for r in refs {
        let Some(target) = specwright_oas::pointer::fragment(r.target).and_then(|f| component_of(&f)) else {
            continue;
        };
        match component_of(&r.at) {
            Some(from) => {
                edges.entry(from).or_default().insert(target);
            }
            None => todo.push(target),
        }
    }
    // A discriminator's mapping names schemas by reference or by name, without `$ref`.
    for site in &cx.schemas {
        let Some(mapping) = site
            .value
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
        else {
            continue;
        };
        for target in mapping.values().filter_map(Value::as_str) {
            let target = match specwright_oas::pointer::fragment(target) {
                Some(fragment) => component_of(&fragment),
                None => Some(join("/components/schemas", target)),
            };
            let Some(target) = target else { continue };
            match component_of(&site.pointer) {
                Some(from) => {
                    edges.entry(from).or_default().insert(target);
                }
                None => todo.push(target),
            }
        }
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    while let Some(c) = todo.pop() {
        if used.insert(c.clone()) {
            todo.extend(edges.get(&c).into_iter().flatten().cloned());
        }
    }
    let mut schemes_used: BTreeSet<&str> = BTreeSet::new();
    let mut requirements = |list: Option<&'a Value>| {
        for r in list.and_then(Value::as_array).into_iter().flatten() {
            schemes_used.extend(
                r.as_object()
                    .into_iter()
                    .flat_map(|r| r.keys().map(String::as_str)),
            );
        }
    };
    requirements(cx.raw.get("security"));
    for op in cx.operations() {
        requirements(op.value.get("security"));
    }
    for (section, entries) in components {
        let Some(entries) = entries.as_object() else {
            continue;
        };
        let base = format!("/components/{}", escape(section));
        for name in entries.keys() {
            let at = join(&base, name);
            let is_used = match section.as_str() {
                "securitySchemes" => schemes_used.contains(name.as_str()),
                "schemas" | "parameters" | "responses" | "requestBodies" | "headers" | "examples"
                | "links" | "callbacks" => used.contains(&at),
                _ => true,
            };
            if is_used {
                continue;
            }
            let kind = match section.as_str() {
                "securitySchemes" => "no security requirement names it",
                _ if edges.values().any(|to| to.contains(&at)) => "only components nothing uses reference it",
                _ => "nothing references it",
            };
            out.push(Finding::new(
                "unused-component",
                at,
                format!("`{section}/{name}` is unused: {kind}"),
            ));
        }
    }
}

/// A schema's `type` is one of OpenAPI 3.0's, and its `enum` values are of that type.
fn types(cx: &Context, out: &mut Vec<Finding>) {
    for site in &cx.schemas {
        // Beside a `$ref`, `type` and `enum` are ignored (`ref-siblings` says so).
        if site.value.get("$ref").is_some() {
            continue;
        }
        let Some(ty) = site.value.get("type") else {
            continue;
        };
        let at = join(&site.pointer, "type");
        let Some(ty) = ty.as_str() else {
            let hint = match ty {
                Value::Array(_) => {
                    ": a list of types is OpenAPI 3.1; in 3.0 give one type, and `nullable: true` for null"
                }
                _ => "",
            };
            out.push(Finding::new(
                "unknown-type",
                at,
                format!("`type` is {ty}, not one of {}{hint}", TYPES.join(", ")),
            ));
            continue;
        };
        if !TYPES.contains(&ty) {
            let hint = match ty {
                "null" => ": OpenAPI 3.0 has no null type; use `nullable: true`".to_string(),
                "int" | "long" => ": use `type: integer` (with `format: int64` for a long)".to_string(),
                "float" | "double" => format!(": use `type: number, format: {ty}`"),
                "bool" => ": use `type: boolean`".to_string(),
                "file" => ": `file` is Swagger 2.0; use `type: string, format: binary`".to_string(),
                _ => match TYPES.iter().find(|t| near(t, ty)) {
                    Some(t) => format!(" (`{t}`?)"),
                    None => String::new(),
                },
            };
            out.push(Finding::new(
                "unknown-type",
                at,
                format!(
                    "unknown type `{ty}`: OpenAPI 3.0 types are {}{hint}",
                    TYPES.join(", ")
                ),
            ));
            continue;
        }
        let Some(values) = site.value.get("enum").and_then(Value::as_array) else {
            continue;
        };
        let nullable = site.value.get("nullable").and_then(Value::as_bool) == Some(true);
        for (i, v) in values.iter().enumerate() {
            if (v.is_null() && nullable) || is_of_type(v, ty) {
                continue;
            }
            let why = if v.is_null() {
                " (a null value needs `nullable: true`)"
            } else {
                ""
            };
            out.push(Finding::new(
                "enum-type-mismatch",
                format!("{}/enum/{i}", site.pointer),
                format!("enum value {v} is not of the schema's type `{ty}`{why}"),
            ));
        }
    }
}

/// Whether a JSON value is of an OpenAPI type (an integer may be written `2.0`).
pub(crate) fn is_of_type(v: &Value, ty: &str) -> bool {
    match ty {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    }
}

/// One letter apart (dropped, added, changed or two swapped): `strin`, `intger`, `booelan`.
fn near(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    match long.len() - short.len() {
        0 => {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diff.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => (0..long.len()).any(|skip| {
            long.iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .eq(short.iter())
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::near;

    #[test]
    fn near_is_one_letter_apart() {
        assert!(near("string", "strin"));
        assert!(near("integer", "intger"));
        assert!(near("boolean", "booelan"));
        assert!(near("number", "numbr"));
        assert!(!near("string", "object"));
        assert!(!near("string", "str"));
    }
}
