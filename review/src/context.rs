//! What every rule reads: the document, its operations with their `x-source`, which
//! operations use which component, and every schema with its pointer.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use specwright_oas::pointer::{escape, join};
use specwright_oracle::Spec;

/// How deep a walk of the document as written goes (`specwright_oas::schema`'s rule).
pub(super) use specwright_oas::schema::DOCUMENT_DEPTH;
/// Schemas after `$ref` and the `allOf` annotation idiom, read by `specwright_oas::schema`.
pub(super) use specwright_oas::schema::{resolve, type_of};

pub(super) struct Context<'a> {
    pub spec: &'a Spec,
    pub raw: &'a Value,
    /// Operation pointer → its rendered `x-source`, if it has one.
    sources: BTreeMap<String, Option<String>>,
    /// Component pointer (`/components/schemas/Volume`) → the operations that use it,
    /// directly or through other components.
    users: BTreeMap<String, BTreeSet<String>>,
    /// Every schema in the document where it is written (references not followed).
    pub schemas: Vec<SchemaSite<'a>>,
}

/// A schema as written at its place in the document.
pub(super) struct SchemaSite<'a> {
    pub pointer: String,
    pub value: &'a Value,
    /// The description that speaks for it: its own, or that of the parameter it belongs to.
    pub description: Option<&'a str>,
    /// The property (or parameter) name it is the schema of, if any.
    pub property: Option<&'a str>,
    /// Whether it is the schema of a parameter.
    pub parameter: bool,
}

impl<'a> Context<'a> {
    pub fn new(spec: &'a Spec) -> Context<'a> {
        let raw = spec.raw();
        let mut sources = BTreeMap::new();
        let mut direct: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for op in spec.operations() {
            sources.insert(op.pointer.clone(), op.value.get("x-source").map(render_source));
            let mut refs = BTreeSet::new();
            collect_refs(op.value, &mut refs, 0);
            // Path-item parameters belong to each of its operations.
            if let Some(item) = raw.pointer(op.pointer.rsplit_once('/').map_or("", |(p, _)| p)) {
                if let Some(params) = item.get("parameters") {
                    collect_refs(params, &mut refs, 0);
                }
            }
            direct.insert(op.pointer.clone(), refs);
        }
        let mut component_refs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        if let Some(components) = raw.get("components").and_then(Value::as_object) {
            for (section, entries) in components {
                let Some(entries) = entries.as_object() else {
                    continue;
                };
                for (name, value) in entries {
                    let mut refs = BTreeSet::new();
                    collect_refs(value, &mut refs, 0);
                    component_refs.insert(join(&format!("/components/{}", escape(section)), name), refs);
                }
            }
        }
        let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (op, refs) in &direct {
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            let mut todo: Vec<&str> = refs.iter().map(String::as_str).collect();
            while let Some(r) = todo.pop() {
                if !seen.insert(r) {
                    continue;
                }
                if let Some(next) = component_refs.get(r) {
                    todo.extend(next.iter().map(String::as_str));
                }
            }
            for r in seen {
                users.entry(r.to_string()).or_default().insert(op.clone());
            }
        }
        let mut schemas = Vec::new();
        collect_schemas(raw, &mut schemas);
        Context {
            spec,
            raw,
            sources,
            users,
            schemas,
        }
    }

    /// The `x-source` for a finding at `pointer`: of the operation it lies in, else of the
    /// one operation that uses the component it lies in.
    pub fn source_of(&self, pointer: &str) -> Option<String> {
        if let Some((_, source)) = self
            .sources
            .range(..=pointer.to_string())
            .next_back()
            .filter(|(op, _)| pointer == op.as_str() || pointer.starts_with(&format!("{op}/")))
        {
            return source.clone();
        }
        let component = component_of(pointer)?;
        let users = self.users.get(&component)?;
        let mut sources: BTreeSet<&String> = users
            .iter()
            .filter_map(|op| self.sources.get(op).and_then(Option::as_ref))
            .collect();
        match (users.len(), sources.len()) {
            (1, 1) => sources.pop_first().cloned(),
            _ => None,
        }
    }

    /// Follows `$ref`s from `value`.
    pub fn deref(&self, value: &'a Value) -> &'a Value {
        specwright_oas::pointer::follow_refs(self.raw, value)
    }

    /// The operations of the document: pointer and value.
    pub fn operations(&self) -> Vec<specwright_oracle::Operation<'a>> {
        self.spec.operations()
    }
}

/// `/components/schemas/Volume/properties/id` → `/components/schemas/Volume`.
pub(super) fn component_of(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/")?;
    let mut parts = rest.splitn(3, '/');
    let section = parts.next()?;
    let name = parts.next()?;
    Some(format!("/components/{section}/{name}"))
}

/// An `x-source` as the spec writes it: a string as it is; a mapping as its values joined
/// (`004.txt, 3.1 创建云硬盘`); a list of them joined by `; `.
pub(super) fn render_source(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(render_source).collect::<Vec<_>>().join("; "),
        Value::Object(map) => map.values().map(render_source).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn collect_refs(value: &Value, out: &mut BTreeSet<String>, depth: usize) {
    if depth > DOCUMENT_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                if let Some(component) = specwright_oas::pointer::fragment(r).and_then(|f| component_of(&f)) {
                    out.insert(component);
                }
            }
            for v in map.values() {
                collect_refs(v, out, depth + 1);
            }
        }
        Value::Array(items) => {
            for v in items {
                collect_refs(v, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Every schema of the document: components, parameters, bodies, responses, headers, and
/// inside each, its subschemas.
fn collect_schemas<'a>(raw: &'a Value, out: &mut Vec<SchemaSite<'a>>) {
    if let Some(schemas) = raw.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in schemas {
            subschemas(&join("/components/schemas", name), s, None, None, out, 0);
        }
    }
    for section in ["parameters", "responses", "requestBodies", "headers"] {
        if let Some(entries) = raw.get("components").and_then(|c| c.get(section)) {
            holders(&format!("/components/{section}"), entries, out, 0);
        }
    }
    if let Some(paths) = raw.get("paths") {
        holders("/paths", paths, out, 0);
    }
}

/// Walks the non-schema parts of the document for `schema` members. A parameter's
/// description speaks for its schema.
fn holders<'a>(at: &str, value: &'a Value, out: &mut Vec<SchemaSite<'a>>, depth: usize) {
    if depth > DOCUMENT_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            for (k, child) in map {
                let here = join(at, k);
                match k.as_str() {
                    "schema" => {
                        let description = map.get("in").and(map.get("description")).and_then(Value::as_str);
                        let property = map.get("in").and(map.get("name")).and_then(Value::as_str);
                        subschemas(&here, child, description, property, out, 0);
                    }
                    "example" | "examples" => {}
                    _ if k.starts_with("x-") => {}
                    _ => holders(&here, child, out, depth + 1),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                holders(&format!("{at}/{i}"), v, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn subschemas<'a>(
    at: &str,
    schema: &'a Value,
    outer_description: Option<&'a str>,
    property: Option<&'a str>,
    out: &mut Vec<SchemaSite<'a>>,
    depth: usize,
) {
    let Some(map) = schema.as_object() else { return };
    if depth > DOCUMENT_DEPTH {
        return;
    }
    let description = map
        .get("description")
        .and_then(Value::as_str)
        .or(outer_description);
    out.push(SchemaSite {
        pointer: at.to_string(),
        value: schema,
        description,
        property,
        parameter: depth == 0 && property.is_some(),
    });
    if let Some(props) = map.get("properties").and_then(Value::as_object) {
        let base = join(at, "properties");
        for (name, p) in props {
            subschemas(&join(&base, name), p, None, Some(name), out, depth + 1);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get(key) {
            subschemas(&join(at, key), child, None, None, out, depth + 1);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = map.get(key).and_then(Value::as_array) {
            for (i, child) in list.iter().enumerate() {
                subschemas(&format!("{at}/{key}/{i}"), child, None, None, out, depth + 1);
            }
        }
    }
}
