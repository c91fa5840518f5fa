//! OpenAPI 3.1 → 3.0, on load: the document the rest of the generator reads.
//!
//! 3.1's schemas are JSON Schema 2020-12; 3.0's are its own dialect of draft 4. What has a
//! 3.0 form gets it (`type: [X, "null"]` → `type: X` + `nullable`, `const` → a one-value
//! `enum`, a `$ref` with siblings → `allOf: [$ref]` beside them, …); what has none is left
//! out with a note at its pointer. Nothing is dropped without a note, except what 3.0
//! readers would ignore anyway (`$comment`, `$schema`, a Reference Object's `summary`),
//! which the summary note counts.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use super::walk::{self, Visit};
use crate::diagnostics::Diagnostic;
use specwright_oas::pointer;

/// Converts `doc` in place and returns the notes: one summary at `/openapi`, then one per
/// place where something had no 3.0 form.
pub(super) fn convert(doc: &mut Value) -> Vec<Diagnostic> {
    let mut c = Convert::default();
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or("3.1")
        .to_string();
    c.top_level(doc);
    c.hoist_defs(doc);
    walk::document(&mut c, doc);
    if let Some(Value::Object(doc)) = Some(&mut *doc) {
        doc.insert("openapi".into(), json!("3.0.3"));
    }
    let mut notes = vec![summary(&version, &c.counts)];
    notes.append(&mut c.notes);
    notes
}

fn summary(version: &str, counts: &BTreeMap<&'static str, usize>) -> Diagnostic {
    let done = if counts.is_empty() {
        "nothing needed changing".to_string()
    } else {
        counts
            .iter()
            .map(|(what, n)| format!("{what} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Diagnostic::note(
        "/openapi",
        format!(
            "OpenAPI {version} read as OpenAPI 3.0.3: {done}; pointers in later messages are into the 3.0 form"
        ),
    )
}

/// The conversion's state: its notes, and what it converted how often. Swagger 2.0's
/// conversion uses its schema rules too, for what 2.0 documents say in JSON Schema's
/// later spellings (`items` as a tuple, a list of types).
#[derive(Default)]
pub(super) struct Convert {
    pub(super) notes: Vec<Diagnostic>,
    pub(super) counts: BTreeMap<&'static str, usize>,
}

/// Keywords 3.0 readers ignore and nothing here needs: removed, counted.
const IGNORED: [&str; 6] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "$vocabulary",
];

/// Keywords with no 3.0 form: removed with a note.
const NO_FORM: [&str; 11] = [
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

/// Keywords that only constrain a value of one JSON type: where a list of types becomes
/// one schema per type, each goes to its own type's branch.
fn keyword_type(key: &str) -> Option<&'static str> {
    Some(match key {
        "minLength" | "maxLength" | "pattern" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" | "prefixItems" => "array",
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "patternProperties" => "object",
        _ => return None,
    })
}

/// Annotations: what may sit beside anything without changing what a value is.
const ANNOTATIONS: [&str; 8] = [
    "title",
    "description",
    "default",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

impl Convert {
    fn count(&mut self, what: &'static str) {
        *self.counts.entry(what).or_default() += 1;
    }

    fn note(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Diagnostic::note(at, message));
    }

    /// What 3.1 adds outside schemas: `webhooks`, `jsonSchemaDialect`, `pathItems`, a
    /// license `identifier`, `info.summary`, an optional `paths`, the `mutualTLS` scheme.
    fn top_level(&mut self, doc: &mut Value) {
        let Some(object) = doc.as_object_mut() else {
            return;
        };
        if object.remove("jsonSchemaDialect").is_some() {
            self.count("`jsonSchemaDialect` ignored");
        }
        if let Some(Value::Object(info)) = object.get_mut("info") {
            if info.remove("summary").is_some() {
                self.count("`info.summary` left out");
            }
            if let Some(Value::Object(license)) = info.get_mut("license") {
                if license.remove("identifier").is_some() {
                    self.count("`license.identifier` ignored");
                }
            }
        }
        if let Some(Value::Object(webhooks)) = object.remove("webhooks") {
            if !webhooks.is_empty() {
                self.note(
                    "/webhooks",
                    format!(
                        "{} webhook(s) left out: they are requests the API sends, which a client does not make",
                        webhooks.len()
                    ),
                );
            }
        }
        if !object.contains_key("paths") {
            object.insert("paths".into(), json!({}));
            self.count("absent `paths` read as empty");
        }
        // Path items a `$ref` names in components/pathItems: inlined, as 3.0 has no such section.
        let path_items = object
            .get_mut("components")
            .and_then(Value::as_object_mut)
            .and_then(|c| c.remove("pathItems"));
        if let Some(Value::Object(items)) = path_items {
            let mut inlined = 0;
            for section in ["paths", "webhooks"] {
                let Some(Value::Object(paths)) = object.get_mut(section) else {
                    continue;
                };
                for (_, item) in paths.iter_mut() {
                    let target = item
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                        .map(pointer::unescape);
                    if let Some(found) = target.and_then(|name| items.get(&name)) {
                        *item = found.clone();
                        inlined += 1;
                    }
                }
            }
            self.note(
                "/components/pathItems",
                format!(
                    "components/pathItems ({} item(s)) has no OpenAPI 3.0 form: inlined where paths name them ({inlined}), left out otherwise",
                    items.len()
                ),
            );
        }
        // An operation's `responses` is optional in 3.1, required in 3.0.
        if let Some(Value::Object(paths)) = object.get_mut("paths") {
            let mut added = 0;
            for (_, item) in paths.iter_mut() {
                let Some(item) = item.as_object_mut() else {
                    continue;
                };
                for (method, op) in item.iter_mut() {
                    if let (true, Some(op)) = (
                        specwright_oas::METHODS.contains(&method.as_str()),
                        op.as_object_mut(),
                    ) {
                        if !op.contains_key("responses") {
                            op.insert("responses".into(), json!({}));
                            added += 1;
                        }
                    }
                }
            }
            for _ in 0..added {
                self.count("absent operation `responses` read as none");
            }
        }
        if let Some(Value::Object(schemes)) = object
            .get_mut("components")
            .and_then(|c| c.get_mut("securitySchemes"))
        {
            let mtls: Vec<String> = schemes
                .iter()
                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(k, _)| k.clone())
                .collect();
            for name in mtls {
                schemes.shift_remove(&name);
                self.note(
                    pointer::join("/components/securitySchemes", &name),
                    "security scheme of type `mutualTLS` has no OpenAPI 3.0 form: left out (configure the client certificate on the HTTP client)",
                );
            }
        }
    }

    /// `$defs` (2020-12) and `definitions` (draft 4) inside schemas, and at the document's
    /// root, become component schemas; every reference to them is rewritten.
    fn hoist_defs(&mut self, doc: &mut Value) {
        let mut hoist = Hoist::default();
        if let Some(Value::Object(root)) = doc.as_object_mut().and_then(|d| d.remove("$defs")) {
            for (name, mut def) in root {
                let at = pointer::join("/$defs", &name);
                walk::schema(&mut hoist, &mut def, &at);
                hoist.found.push((at, name, def));
            }
        }
        walk::document(&mut hoist, doc);
        if hoist.found.is_empty() {
            return;
        }
        let Some(object) = doc.as_object_mut() else {
            return;
        };
        let components = object
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut();
        let Some(components) = components else {
            return;
        };
        let schemas = components.entry("schemas").or_insert_with(|| json!({}));
        let Some(schemas) = schemas.as_object_mut() else {
            return;
        };
        // Old pointer → new reference; and a bare name → its new references, for
        // `#/$defs/Name` written inside a component as if `#` were that component.
        let mut moved: Vec<(String, String)> = Vec::new();
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        let mut keys: Vec<String> = Vec::new();
        for (at, name, def) in hoist.found {
            let parent = at
                .strip_prefix("/components/schemas/")
                .and_then(|rest| rest.split('/').next())
                .map(pointer::unescape);
            let mut key = name.clone();
            if schemas.contains_key(&key) {
                key = match &parent {
                    Some(p) => format!("{p}_{name}"),
                    None => format!("Def_{name}"),
                };
            }
            let base = key.clone();
            let mut n = 2;
            while schemas.contains_key(&key) {
                key = format!("{base}_{n}");
                n += 1;
            }
            let reference = format!("#/components/schemas/{}", pointer::escape(&key));
            schemas.insert(key.clone(), def);
            by_name.entry(name).or_default().push(reference.clone());
            moved.push((at, reference));
            keys.push(key);
        }
        let root_defs: Vec<&String> = moved
            .iter()
            .filter_map(|(at, _)| at.strip_prefix("/$defs/").map(|_| at))
            .collect();
        let has_root = !root_defs.is_empty();
        walk::rewrite_refs(doc, &mut |r| {
            let fragment = pointer::fragment(r)?;
            for (at, reference) in &moved {
                if fragment == at.as_str() {
                    return Some(reference.clone());
                }
                if let Some(rest) = fragment.strip_prefix(at.as_str()) {
                    if rest.starts_with('/') {
                        return Some(format!("{reference}{rest}"));
                    }
                }
            }
            // `#/$defs/Name` with no `$defs` at the root: the one hoisted entry of that name.
            if !has_root {
                let name = fragment.strip_prefix("/$defs/").filter(|n| !n.contains('/'))?;
                if let [only] = by_name.get(&pointer::unescape(name))?.as_slice() {
                    return Some(only.clone());
                }
            }
            None
        });
        // Only what something references becomes a component: an entry nothing uses
        // describes nothing of the API (and 3.0 readers never looked at it).
        let mut used = std::collections::HashSet::new();
        walk::rewrite_refs(doc, &mut |r| {
            if let Some(key) = r.strip_prefix("#/components/schemas/") {
                used.insert(pointer::unescape(key.split('/').next().unwrap_or(key)));
            }
            None
        });
        let Some(schemas) = doc
            .get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        for ((at, _), key) in moved.iter().zip(keys) {
            if used.contains(&key) {
                self.note(
                    at,
                    format!("`$defs` entry moved to components/schemas as `{key}`; references to it follow"),
                );
            } else {
                schemas.shift_remove(&key);
                self.count("`$defs` entry nothing references left out");
            }
        }
    }
}

/// Collects (and removes) every `$defs` / `definitions` inside schemas, nested ones too.
#[derive(Default)]
struct Hoist {
    /// Old pointer, name, schema.
    found: Vec<(String, String, Value)>,
}

impl Visit for Hoist {
    fn schema(&mut self, schema: &mut Value, at: &str) {
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        for keyword in ["$defs", "definitions"] {
            if let Some(Value::Object(defs)) = object.remove(keyword) {
                for (name, mut def) in defs {
                    let here = pointer::join(&pointer::join(at, keyword), &name);
                    walk::schema(self, &mut def, &here);
                    self.found.push((here, name, def));
                }
            }
        }
    }
}

impl Visit for Convert {
    fn reference(&mut self, object: &mut Map<String, Value>, _at: &str) {
        // 3.1 lets a Reference Object carry a `summary` and `description` overriding the
        // target's; 3.0 has no such thing.
        if object.len() > 1 {
            object.retain(|k, _| k == "$ref");
            self.count("`summary`/`description` beside a non-schema `$ref` left out");
        }
    }

    fn schema(&mut self, schema: &mut Value, at: &str) {
        if let Value::Bool(b) = schema {
            // `additionalProperties: false` is 3.0 too.
            if !at.ends_with("/additionalProperties") {
                *schema = if *b { json!({}) } else { json!({"not": {}}) };
                self.count("boolean schema as `{}` or `not: {}`");
            }
            return;
        }
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        self.keywords(object, at);
    }
}

impl Convert {
    /// One schema object's keywords in 3.0's spelling (its subschemas are the walk's).
    pub(super) fn keywords(&mut self, s: &mut Map<String, Value>, at: &str) {
        for key in IGNORED {
            s.remove(key);
        }
        if s.remove("$dynamicRef").is_some() {
            self.note(
                at,
                "`$dynamicRef` has no OpenAPI 3.0 form: left out, so this schema takes any value",
            );
        }
        // Boolean subschemas (other than additionalProperties), before their walk.
        self.boolean_properties(s, at);
        self.ref_siblings(s);
        if let Some(c) = s.remove("const") {
            // The value says its type, where the schema does not.
            let implied = match &c {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let (false, Some(t)) = (s.contains_key("type"), implied) {
                s.insert("type".into(), json!(t));
            }
            if !s.contains_key("enum") {
                s.insert("enum".into(), Value::Array(vec![c]));
            }
            self.count("`const` as a one-value `enum`");
        }
        if let Some(examples) = s.remove("examples") {
            if let Some(first) = examples.as_array().and_then(|a| a.first()) {
                s.entry("example").or_insert_with(|| first.clone());
                self.count("`examples` as `example` (the first)");
            }
        }
        self.type_list(s, at);
        self.null_variant(s, "anyOf");
        self.null_variant(s, "oneOf");
        self.exclusive(s, "exclusiveMinimum", "minimum", |new, old| new >= old);
        self.exclusive(s, "exclusiveMaximum", "maximum", |new, old| new <= old);
        self.content_encoding(s);
        // Draft 4's tuple, `items: [..]` (with `additionalItems`), is 2020-12's `prefixItems`.
        if s.get("items").is_some_and(Value::is_array) && !s.contains_key("prefixItems") {
            if let Some(tuple) = s.remove("items") {
                s.insert("prefixItems".into(), tuple);
                if let Some(rest) = s.remove("additionalItems") {
                    s.insert("items".into(), rest);
                }
            }
        }
        self.prefix_items(s, at);
        if let Some(patterns) = s.remove("patternProperties") {
            s.insert("x-patternProperties".into(), patterns);
            self.note(
                at,
                "`patternProperties` has no OpenAPI 3.0 form: kept as `x-patternProperties`, which the generator does not read",
            );
        }
        for key in NO_FORM {
            if s.remove(key).is_some() {
                self.note(
                    pointer::join(at, key),
                    format!("`{key}` has no OpenAPI 3.0 form: left out, so values are checked less strictly"),
                );
            }
        }
    }

    fn boolean_properties(&mut self, s: &mut Map<String, Value>, at: &str) {
        let Some(Value::Object(props)) = s.get_mut("properties") else {
            return;
        };
        let never: Vec<String> = props
            .iter()
            .filter(|(_, v)| **v == Value::Bool(false))
            .map(|(k, _)| k.clone())
            .collect();
        for name in never {
            props.shift_remove(&name);
            self.note(
                pointer::join(&pointer::join(at, "properties"), &name),
                "property with schema `false` (it must be absent): left out",
            );
        }
    }

    /// `$ref` with siblings: legal in 3.1, ignored in 3.0. Wrapped so nothing is lost.
    fn ref_siblings(&mut self, s: &mut Map<String, Value>) {
        if s.len() < 2 || !s.get("$ref").is_some_and(Value::is_string) {
            return;
        }
        let Some(reference) = s.remove("$ref") else {
            return;
        };
        let member = json!({ "$ref": reference });
        match s.get_mut("allOf") {
            Some(Value::Array(all)) => all.insert(0, member),
            _ => {
                s.insert("allOf".into(), json!([member]));
            }
        }
        self.count("`$ref` with siblings as `allOf: [$ref]`");
    }

    /// `type: [X, "null"]` → `type: X, nullable: true`; several types → `anyOf`, each
    /// type's own keywords in its branch.
    fn type_list(&mut self, s: &mut Map<String, Value>, at: &str) {
        if s.get("type").is_some_and(|t| t == "null") {
            s.remove("type");
            s.insert("nullable".into(), json!(true));
            self.count("`type: null` as `nullable`");
            return;
        }
        let Some(Value::Array(types)) = s.get("type") else {
            return;
        };
        let mut types: Vec<String> = types
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect();
        let before = types.len();
        types.retain(|t| t != "null");
        types.dedup();
        if types.len() < before {
            s.insert("nullable".into(), json!(true));
        }
        match types.as_slice() {
            [] => {
                s.remove("type");
            }
            [one] => {
                s.insert("type".into(), json!(one));
            }
            many => {
                s.remove("type");
                let mut branches: Vec<Value> = Vec::new();
                for t in many {
                    let mut branch = Map::new();
                    branch.insert("type".into(), json!(t));
                    let own = |key: &str| match keyword_type(key) {
                        Some("number") => t == "number" || t == "integer",
                        Some(kind) => kind == t,
                        None => false,
                    };
                    for (k, v) in s.iter() {
                        if own(k) {
                            branch.insert(k.clone(), v.clone());
                        }
                    }
                    if s.get("format").is_some_and(|f| format_fits(f, t)) {
                        branch.insert("format".into(), s["format"].clone());
                    }
                    branches.push(Value::Object(branch));
                }
                s.retain(|k, _| keyword_type(k).is_none() && k != "format");
                let keyword = if !s.contains_key("anyOf") {
                    "anyOf"
                } else if !s.contains_key("oneOf") {
                    "oneOf"
                } else {
                    let all = s.entry("allOf").or_insert_with(|| json!([]));
                    if let Some(all) = all.as_array_mut() {
                        all.push(json!({ "anyOf": branches }));
                    }
                    self.note(
                        at,
                        "a list of types beside both `anyOf` and `oneOf`: its `anyOf` put under `allOf`",
                    );
                    return;
                };
                s.insert(keyword.into(), Value::Array(branches));
                self.count("a list of types as `anyOf`");
            }
        }
        if types.len() < before {
            self.count("`type: [X, null]` as `nullable`");
        }
    }

    /// `anyOf: [X, {type: null}]` (Pydantic's `Optional[X]`) → `X` + `nullable: true`.
    fn null_variant(&mut self, s: &mut Map<String, Value>, keyword: &'static str) {
        let Some(Value::Array(variants)) = s.get_mut(keyword) else {
            return;
        };
        let is_null = |v: &Value| {
            v.get("type").is_some_and(|t| t == "null")
                && v.as_object().is_some_and(|o| {
                    o.keys().all(|k| {
                        k == "type" || ANNOTATIONS.contains(&k.as_str()) || IGNORED.contains(&k.as_str())
                    })
                })
        };
        let before = variants.len();
        variants.retain(|v| !is_null(v));
        if variants.len() == before {
            return;
        }
        s.insert("nullable".into(), json!(true));
        self.count("a `null` variant as `nullable`");
        let Some(Value::Array(variants)) = s.get(keyword) else {
            return;
        };
        match variants.as_slice() {
            [] => {
                s.remove(keyword);
            }
            [_] => {
                let Some(Value::Array(mut one)) = s.remove(keyword) else {
                    return;
                };
                let Some(only) = one.pop() else {
                    return;
                };
                // The one left: merged in where it says nothing the schema says too,
                // else referenced through `allOf`, whose one member is then the type.
                match only {
                    Value::Object(member)
                        if !member.contains_key("$ref")
                            && member
                                .keys()
                                .all(|k| !s.contains_key(k) || ANNOTATIONS.contains(&k.as_str())) =>
                    {
                        for (k, v) in member {
                            s.entry(k).or_insert(v);
                        }
                    }
                    other => match s.get_mut("allOf") {
                        Some(Value::Array(all)) => all.insert(0, other),
                        _ => {
                            s.insert("allOf".into(), json!([other]));
                        }
                    },
                }
            }
            _ => {}
        }
    }

    /// 2020-12's numeric `exclusiveMinimum: n` → 3.0's `minimum: n, exclusiveMinimum: true`.
    fn exclusive(
        &mut self,
        s: &mut Map<String, Value>,
        keyword: &str,
        bound: &str,
        stricter: fn(f64, f64) -> bool,
    ) {
        let Some(n) = s.get(keyword).filter(|v| v.is_number()).cloned() else {
            return;
        };
        let new = n.as_f64().unwrap_or_default();
        let old = s.get(bound).and_then(Value::as_f64);
        if old.is_none_or(|old| stricter(new, old)) {
            s.insert(bound.into(), n);
            s.insert(keyword.into(), json!(true));
        } else {
            s.remove(keyword);
        }
        self.count("a numeric exclusive bound in 3.0's form");
    }

    fn content_encoding(&mut self, s: &mut Map<String, Value>) {
        let encoding = s.remove("contentEncoding");
        let media = s.remove("contentMediaType");
        if encoding.is_none() && media.is_none() {
            return;
        }
        let format = match encoding.as_ref().and_then(Value::as_str) {
            Some("base64") | Some("base64url") => Some("byte"),
            Some(_) => None,
            None => match media.as_ref().and_then(Value::as_str) {
                Some(m) if !m.contains("json") && !m.starts_with("text/") => Some("binary"),
                _ => None,
            },
        };
        if let Some(format) = format {
            if !s.contains_key("format") {
                s.insert("format".into(), json!(format));
                s.entry("type").or_insert_with(|| json!("string"));
            }
        }
        self.count("`contentEncoding`/`contentMediaType` as a string `format`");
    }

    /// `prefixItems` (a tuple): an array of any of its item schemas, which loses the
    /// position of each.
    fn prefix_items(&mut self, s: &mut Map<String, Value>, at: &str) {
        let Some(prefix) = s.remove("prefixItems") else {
            return;
        };
        let Value::Array(prefix) = prefix else {
            return;
        };
        let mut members: Vec<Value> = Vec::new();
        match s.remove("items") {
            Some(Value::Bool(false)) => {
                s.entry("maxItems").or_insert_with(|| json!(prefix.len()));
            }
            Some(Value::Bool(true)) | None => {}
            Some(rest) => members.push(rest),
        }
        for p in prefix.iter().rev() {
            if !members.contains(p) {
                members.insert(0, p.clone());
            }
        }
        let items = match members.len() {
            0 => json!({}),
            1 => members.remove(0),
            _ => json!({ "anyOf": members }),
        };
        s.insert("items".into(), items);
        s.entry("type").or_insert_with(|| json!("array"));
        self.note(
            pointer::join(at, "prefixItems"),
            format!(
                "`prefixItems` (a tuple of {}) has no OpenAPI 3.0 form: read as an array whose items are any of its item schemas; which position holds which is lost",
                prefix.len()
            ),
        );
    }
}

fn format_fits(format: &Value, t: &str) -> bool {
    let Some(f) = format.as_str() else {
        return false;
    };
    match t {
        "integer" => matches!(f, "int32" | "int64"),
        "number" => matches!(f, "float" | "double" | "int32" | "int64"),
        "string" => !matches!(f, "int32" | "int64" | "float" | "double"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schema` as component `S` of a 3.1 document, converted; and the notes.
    fn convert_schema(schema: Value) -> (Value, Vec<Diagnostic>) {
        let mut doc = json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"S": schema}},
        });
        let notes = convert(&mut doc);
        (doc["components"]["schemas"]["S"].clone(), notes)
    }

    fn schema(schema: Value) -> Value {
        convert_schema(schema).0
    }

    #[test]
    fn type_with_null_is_nullable() {
        assert_eq!(
            schema(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(schema(json!({"type": ["integer"]})), json!({"type": "integer"}));
        assert_eq!(schema(json!({"type": "null"})), json!({"nullable": true}));
    }

    #[test]
    fn several_types_are_any_of_with_their_own_keywords() {
        assert_eq!(
            schema(
                json!({"type": ["string", "integer", "null"], "maxLength": 3, "minimum": 1, "description": "d"})
            ),
            json!({
                "nullable": true, "description": "d",
                "anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}],
            })
        );
    }

    #[test]
    fn null_variant_of_any_of_is_nullable() {
        // Pydantic's Optional[X]: an inline member merges, a reference goes under allOf.
        assert_eq!(
            schema(json!({"anyOf": [{"type": "string"}, {"type": "null"}], "title": "T", "default": null})),
            json!({"type": "string", "nullable": true, "title": "T", "default": null})
        );
        assert_eq!(
            schema(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
        assert_eq!(
            schema(json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn const_is_a_one_value_enum() {
        assert_eq!(
            schema(json!({"const": "cat"})),
            json!({"type": "string", "enum": ["cat"]})
        );
        assert_eq!(
            schema(json!({"const": 2})),
            json!({"type": "integer", "enum": [2]})
        );
        assert_eq!(
            schema(json!({"type": "number", "const": 2})),
            json!({"type": "number", "enum": [2]})
        );
    }

    #[test]
    fn examples_give_the_first_as_example() {
        assert_eq!(
            schema(json!({"type": "string", "examples": ["a", "b"]})),
            json!({"type": "string", "example": "a"})
        );
    }

    #[test]
    fn ref_with_siblings_is_wrapped_in_all_of() {
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/A", "description": "d", "readOnly": true})),
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "d", "readOnly": true})
        );
        // A bare reference stays one.
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/A"})),
            json!({"$ref": "#/components/schemas/A"})
        );
    }

    #[test]
    fn numeric_exclusive_bounds_take_the_boolean_form() {
        assert_eq!(
            schema(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10})),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        // A `minimum` stricter than the exclusive bound wins.
        assert_eq!(
            schema(json!({"type": "number", "exclusiveMinimum": 0, "minimum": 5})),
            json!({"type": "number", "minimum": 5})
        );
    }

    #[test]
    fn content_encoding_and_media_type_are_formats() {
        assert_eq!(
            schema(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            schema(json!({"contentMediaType": "image/png"})),
            json!({"type": "string", "format": "binary"})
        );
    }

    #[test]
    fn prefix_items_are_any_of_with_a_note() {
        let (s, notes) = convert_schema(json!({
            "type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}], "items": false,
        }));
        assert_eq!(
            s,
            json!({"type": "array", "maxItems": 2, "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}})
        );
        assert!(
            notes
                .iter()
                .any(|n| n.pointer == "/components/schemas/S/prefixItems" && n.message.contains("position"))
        );
    }

    #[test]
    fn keywords_without_a_3_0_form_are_notes() {
        let (s, notes) = convert_schema(json!({
            "type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]},
            "patternProperties": {"^x": {"type": "string"}}, "properties": {"gone": false},
        }));
        assert_eq!(
            s,
            json!({"type": "object", "properties": {}, "x-patternProperties": {"^x": {"type": "string"}}})
        );
        for at in [
            "/components/schemas/S/if",
            "/components/schemas/S/then",
            "/components/schemas/S",
            "/components/schemas/S/properties/gone",
        ] {
            assert!(
                notes.iter().any(|n| n.pointer == at),
                "no note at {at}: {notes:?}"
            );
        }
        assert!(notes.iter().all(|n| !n.is_error()));
    }

    #[test]
    fn defs_become_components_and_references_follow() {
        let mut doc = json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/A/$defs/B"}, "c": {"$ref": "#/$defs/C"}},
                      "$defs": {"B": {"type": "string"}, "C": {"type": "integer"}}},
                "B": {"type": "boolean"},
            }},
        });
        convert(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["A_B"], json!({"type": "string"}));
        assert_eq!(schemas["B"], json!({"type": "boolean"}));
        assert_eq!(
            schemas["A"]["properties"]["b"],
            json!({"$ref": "#/components/schemas/A_B"})
        );
        assert_eq!(
            schemas["A"]["properties"]["c"],
            json!({"$ref": "#/components/schemas/C"})
        );
        assert!(schemas["A"].get("$defs").is_none());
        assert_eq!(doc["paths"], json!({}), "an absent `paths` is empty");
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/a": {"get": {}}}});
        convert(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["get"],
            json!({"responses": {}}),
            "`responses` may be absent in 3.1"
        );
        assert_eq!(doc["openapi"], json!("3.0.3"));
    }

    #[test]
    fn top_level_3_1_fields_are_tolerated() {
        let mut doc = json!({
            "openapi": "3.1.1", "jsonSchemaDialect": "x",
            "info": {"title": "t", "version": "1", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"w": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"securitySchemes": {"m": {"type": "mutualTLS"}, "k": {"type": "apiKey", "name": "k", "in": "header"}}},
        });
        let notes = convert(&mut doc);
        assert!(doc.get("webhooks").is_none() && doc.get("jsonSchemaDialect").is_none());
        assert_eq!(doc["info"]["license"], json!({"name": "MIT"}));
        assert!(doc["components"]["securitySchemes"].get("m").is_none());
        assert!(
            notes[0]
                .message
                .starts_with("OpenAPI 3.1.1 read as OpenAPI 3.0.3")
        );
        assert!(notes.iter().any(|n| n.pointer == "/webhooks"));
        assert!(notes.iter().any(|n| n.pointer == "/components/securitySchemes/m"));
    }

    #[test]
    fn schemas_everywhere_are_converted() {
        let mut doc = json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": ["string", "null"]}}],
                "get": {"responses": {"200": {"description": "ok",
                    "headers": {"h": {"schema": {"const": 1}}},
                    "content": {"application/json": {"schema": {"items": {"type": ["integer", "null"]}}}}}}},
            }},
        });
        convert(&mut doc);
        let a = &doc["paths"]["/a"];
        assert_eq!(
            a["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        let ok = &a["get"]["responses"]["200"];
        assert_eq!(
            ok["headers"]["h"]["schema"],
            json!({"type": "integer", "enum": [1]})
        );
        assert_eq!(
            ok["content"]["application/json"]["schema"]["items"],
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn malformed_input_does_not_panic() {
        for junk in [
            json!({"openapi": "3.1.0", "paths": [], "components": 3}),
            json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": "x", "responses": []}}}}),
            json!({"openapi": "3.1.0", "components": {"schemas": {"A": {"type": [1, null], "prefixItems": 2, "anyOf": [null]}}}}),
            json!({"openapi": "3.1.0", "$defs": {"A": {"$defs": {"B": true}}}, "components": []}),
        ] {
            let mut doc = junk;
            convert(&mut doc);
        }
    }
}
