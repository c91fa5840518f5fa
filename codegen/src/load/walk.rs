//! Every place an OpenAPI 3.x document holds a schema, visited with its JSON pointer: the
//! one walk both conversions (3.1 → 3.0, and 2.0 once restructured into 3.0's places) use.
//!
//! A value of the wrong shape (a `parameters` that is not a list, say) is skipped, never
//! a panic: the typed model reports it after the conversion.

use serde_json::{Map, Value};

use specwright_oas::pointer::join;

/// What a conversion does at each place.
pub(super) trait Visit {
    /// One schema (or a boolean schema), before its subschemas are walked: what it holds
    /// after the call is what is walked.
    fn schema(&mut self, schema: &mut Value, at: &str);

    /// A Reference Object where a parameter, response, request body, header or path item
    /// goes (schemas' `$ref`s go to [`Visit::schema`]).
    fn reference(&mut self, _object: &mut Map<String, Value>, _at: &str) {}
}

/// Subschema keywords holding one schema.
const ONE: [&str; 11] = [
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "items",
];
/// … a list of schemas.
const LIST: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// … a map of schemas.
const MAP: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

pub(super) fn schema(v: &mut dyn Visit, schema: &mut Value, at: &str) {
    v.schema(schema, at);
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    for (key, child) in object.iter_mut() {
        let here = join(at, key);
        if ONE.contains(&key.as_str()) {
            // `items` as a list is draft 4's tuple form.
            match child {
                Value::Array(items) => list(v, items, &here),
                _ => self::schema(v, child, &here),
            }
        } else if LIST.contains(&key.as_str()) {
            if let Value::Array(items) = child {
                list(v, items, &here);
            }
        } else if MAP.contains(&key.as_str()) {
            if let Value::Object(map) = child {
                for (name, s) in map.iter_mut() {
                    self::schema(v, s, &join(&here, name));
                }
            }
        }
    }
}

fn list(v: &mut dyn Visit, items: &mut [Value], at: &str) {
    for (i, s) in items.iter_mut().enumerate() {
        schema(v, s, &format!("{at}/{i}"));
    }
}

/// Every schema of a document in OpenAPI 3.x's layout: components, paths, webhooks.
pub(super) fn document(v: &mut dyn Visit, doc: &mut Value) {
    let Some(doc) = doc.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        for (section, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            let base = join("/components", section);
            for (name, entry) in entries.iter_mut() {
                let at = join(&base, name);
                match section.as_str() {
                    "schemas" => schema(v, entry, &at),
                    "parameters" => parameter(v, entry, &at),
                    "headers" => parameter(v, entry, &at),
                    "responses" => response(v, entry, &at),
                    "requestBodies" => body(v, entry, &at),
                    "callbacks" => callback(v, entry, &at),
                    "pathItems" => path_item(v, entry, &at),
                    _ => {}
                }
            }
        }
    }
    for section in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = doc.get_mut(section) {
            for (path, item) in items.iter_mut() {
                if !path.starts_with("x-") {
                    path_item(v, item, &join(&join("", section), path));
                }
            }
        }
    }
}

/// A Reference Object goes to [`Visit::reference`]; `true` if it was one.
fn referenced(v: &mut dyn Visit, value: &mut Value, at: &str) -> bool {
    match value.as_object_mut() {
        Some(object) if object.contains_key("$ref") => {
            v.reference(object, at);
            true
        }
        _ => false,
    }
}

fn path_item(v: &mut dyn Visit, item: &mut Value, at: &str) {
    if referenced(v, item, at) {
        return;
    }
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for (key, value) in item.iter_mut() {
        let here = join(at, key);
        if key == "parameters" {
            parameters(v, value, &here);
        } else if specwright_oas::METHODS.contains(&key.as_str()) {
            operation(v, value, &here);
        }
    }
}

fn parameters(v: &mut dyn Visit, list: &mut Value, at: &str) {
    if let Value::Array(list) = list {
        for (i, p) in list.iter_mut().enumerate() {
            parameter(v, p, &format!("{at}/{i}"));
        }
    }
}

fn operation(v: &mut dyn Visit, op: &mut Value, at: &str) {
    let Some(op) = op.as_object_mut() else {
        return;
    };
    for (key, value) in op.iter_mut() {
        let here = join(at, key);
        match key.as_str() {
            "parameters" => parameters(v, value, &here),
            "requestBody" => body(v, value, &here),
            "responses" => {
                if let Value::Object(responses) = value {
                    for (code, r) in responses.iter_mut() {
                        if !code.starts_with("x-") {
                            response(v, r, &join(&here, code));
                        }
                    }
                }
            }
            "callbacks" => {
                if let Value::Object(callbacks) = value {
                    for (name, c) in callbacks.iter_mut() {
                        callback(v, c, &join(&here, name));
                    }
                }
            }
            _ => {}
        }
    }
}

fn callback(v: &mut dyn Visit, c: &mut Value, at: &str) {
    if referenced(v, c, at) {
        return;
    }
    if let Value::Object(c) = c {
        for (expression, item) in c.iter_mut() {
            if !expression.starts_with("x-") {
                path_item(v, item, &join(at, expression));
            }
        }
    }
}

/// A parameter or a header: a `schema`, or a `content`.
fn parameter(v: &mut dyn Visit, p: &mut Value, at: &str) {
    if referenced(v, p, at) {
        return;
    }
    if let Some(s) = p.get_mut("schema") {
        schema(v, s, &join(at, "schema"));
    }
    if let Some(c) = p.get_mut("content") {
        content(v, c, &join(at, "content"));
    }
}

fn body(v: &mut dyn Visit, b: &mut Value, at: &str) {
    if referenced(v, b, at) {
        return;
    }
    if let Some(c) = b.get_mut("content") {
        content(v, c, &join(at, "content"));
    }
}

fn response(v: &mut dyn Visit, r: &mut Value, at: &str) {
    if referenced(v, r, at) {
        return;
    }
    if let Some(Value::Object(headers)) = r.get_mut("headers") {
        for (name, h) in headers.iter_mut() {
            parameter(v, h, &join(&join(at, "headers"), name));
        }
    }
    if let Some(c) = r.get_mut("content") {
        content(v, c, &join(at, "content"));
    }
}

fn content(v: &mut dyn Visit, c: &mut Value, at: &str) {
    let Value::Object(c) = c else {
        return;
    };
    for (media, m) in c.iter_mut() {
        let here = join(at, media);
        if let Some(s) = m.get_mut("schema") {
            schema(v, s, &join(&here, "schema"));
        }
        if let Some(Value::Object(encoding)) = m.get_mut("encoding") {
            for (name, e) in encoding.iter_mut() {
                if let Some(Value::Object(headers)) = e.get_mut("headers") {
                    for (h, header) in headers.iter_mut() {
                        let base = join(&join(&join(&here, "encoding"), name), "headers");
                        parameter(v, header, &join(&base, h));
                    }
                }
            }
        }
    }
}

/// Every `$ref` string anywhere in `value`, rewritten by `f` (which returns the new one,
/// or `None` to leave it).
pub(super) fn rewrite_refs(value: &mut Value, f: &mut dyn FnMut(&str) -> Option<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match child {
                    Value::String(r) if key == "$ref" => {
                        if let Some(new) = f(r) {
                            *r = new;
                        }
                    }
                    _ => rewrite_refs(child, f),
                }
            }
        }
        Value::Array(items) => {
            for child in items {
                rewrite_refs(child, f);
            }
        }
        _ => {}
    }
}
