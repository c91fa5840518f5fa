//! Swagger 2.0 → OpenAPI 3.0, on load: the document the rest of the generator reads.
//!
//! The document is rebuilt in 3.0's layout (`definitions` → `components/schemas`, a `body`
//! parameter → `requestBody`, `formData` parameters → a form body, `produces` →
//! response media types, `host` + `basePath` + `schemes` → `servers`, …), then every schema
//! is given 3.0's spelling of what 2.0 says (`x-nullable`, `type: file`, a string
//! `discriminator`). Swagger 2.0 schemas are already 3.0's dialect of JSON Schema, so
//! little else changes. What has no 3.0 form is a note at its pointer in the 2.0 document.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::walk::{self, Visit};
use crate::diagnostics::Diagnostic;
use specwright_oas::pointer::{self, join};

/// The 3.0 document for a 2.0 one, and the notes: a summary at `/swagger`, then one per
/// place where something had no 3.0 form.
pub(super) fn convert(old: &Value) -> (Value, Vec<Diagnostic>) {
    let mut c = Convert {
        old,
        notes: Vec::new(),
        counts: BTreeMap::new(),
        renamed: BTreeMap::new(),
    };
    let mut doc = c.document();
    // References: 2.0's sections are 3.0's components.
    let renamed = std::mem::take(&mut c.renamed);
    walk::rewrite_refs(&mut doc, &mut |r| rewrite_ref(r, &renamed));
    path_refs(&mut doc);
    let mut later = super::oas31::Convert::default();
    walk::document(
        &mut Schemas {
            c: &mut c,
            later: &mut later,
        },
        &mut doc,
    );
    c.counts.append(&mut later.counts);
    let mut notes = vec![summary(&c.counts)];
    notes.append(&mut c.notes);
    notes.append(&mut later.notes);
    (doc, notes)
}

fn summary(counts: &BTreeMap<&'static str, usize>) -> Diagnostic {
    let done = counts
        .iter()
        .map(|(what, n)| format!("{what} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let done = if done.is_empty() {
        String::new()
    } else {
        format!(": {done}")
    };
    Diagnostic::note(
        "/swagger",
        format!(
            "Swagger 2.0 read as OpenAPI 3.0.3{done}; pointers in later messages are into the 3.0 form (`#/definitions/X` is `#/components/schemas/X`)"
        ),
    )
}

/// `#/definitions/X` → `#/components/schemas/X`, and the same for `parameters` and
/// `responses`; a definition renamed to a 3.0 component key follows its new name.
fn rewrite_ref(r: &str, renamed: &BTreeMap<String, String>) -> Option<String> {
    let fragment = pointer::fragment(r)?;
    for (old, new) in [
        ("/definitions/", "schemas"),
        ("/parameters/", "parameters"),
        ("/responses/", "responses"),
    ] {
        let Some(rest) = fragment.strip_prefix(old) else {
            continue;
        };
        let (name, tail) = rest.split_once('/').map_or((rest, ""), |(n, t)| (n, t));
        let name = pointer::unescape(name);
        let key = if new == "schemas" {
            renamed.get(&name).cloned().unwrap_or(name)
        } else {
            name
        };
        let tail = if tail.is_empty() {
            String::new()
        } else {
            format!("/{tail}")
        };
        return Some(format!("#/components/{new}/{}{tail}", pointer::escape(&key)));
    }
    None
}

/// A `$ref` into a response's or body parameter's schema under `paths`
/// (`#/paths/~1a/get/responses/200/schema/...`) names its place in 2.0's layout: it follows
/// the schema to its 3.0 place, the first media type's.
fn path_refs(doc: &mut Value) {
    let mut found = false;
    walk::rewrite_refs(doc, &mut |r| {
        found |= r.starts_with("#/paths/");
        None
    });
    if !found {
        return;
    }
    let lookup = doc.clone();
    walk::rewrite_refs(doc, &mut |r| {
        let fragment = pointer::fragment(r)?;
        if !fragment.starts_with("/paths/") || lookup.pointer(&fragment).is_some() {
            return None;
        }
        let tokens: Vec<&str> = fragment.split('/').collect();
        // "", paths, path, method, responses, code, schema, ...
        let (head, tail) = match tokens.get(4..7) {
            Some(["responses", _, "schema"]) => (tokens[..6].join("/"), tokens[7..].to_vec()),
            _ => return None,
        };
        let content = lookup.pointer(&format!("{head}/content"))?.as_object()?;
        let media = content.keys().next()?;
        let mut new = format!("#{head}/content/{}/schema", pointer::escape(media));
        for t in tail {
            new.push('/');
            new.push_str(t);
        }
        Some(new)
    });
}

/// A 3.0 component key: `^[a-zA-Z0-9.\-_]+$`.
fn component_key(name: &str) -> String {
    let key: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if key.is_empty() { "_".into() } else { key }
}

struct Convert<'a> {
    old: &'a Value,
    notes: Vec<Diagnostic>,
    counts: BTreeMap<&'static str, usize>,
    /// Definition name → its component key, where they differ.
    renamed: BTreeMap<String, String>,
}

const INFO_KEYS: [&str; 4] = ["info", "tags", "externalDocs", "security"];

impl<'a> Convert<'a> {
    fn count(&mut self, what: &'static str) {
        *self.counts.entry(what).or_default() += 1;
    }

    fn note(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Diagnostic::note(at, message));
    }

    fn strings(value: Option<&Value>) -> Option<Vec<String>> {
        let list = value?.as_array()?;
        Some(list.iter().filter_map(|v| v.as_str().map(String::from)).collect())
    }

    fn document(&mut self) -> Value {
        let old = self.old;
        let mut doc = Map::new();
        doc.insert("openapi".into(), json!("3.0.3"));
        if let Some(old) = old.as_object() {
            copy_keys(old, &mut doc, &INFO_KEYS);
        }
        if let Some(servers) = self.servers() {
            doc.insert("servers".into(), servers);
        }
        let consumes = Self::strings(old.get("consumes")).unwrap_or_default();
        let produces = Self::strings(old.get("produces")).unwrap_or_default();
        let mut components = Map::new();
        if let Some(Value::Object(defs)) = old.get("definitions") {
            let mut schemas = Map::new();
            for (name, schema) in defs {
                let mut key = component_key(name);
                let base = key.clone();
                let mut n = 2;
                while schemas.contains_key(&key) || (key != *name && defs.contains_key(&key)) {
                    key = format!("{base}_{n}");
                    n += 1;
                }
                if key != *name {
                    self.note(
                        join("/definitions", name),
                        format!("definition `{name}` is the component schema `{key}`: OpenAPI 3.0 keys are letters, digits, `.`, `-` and `_`"),
                    );
                    self.renamed.insert(name.clone(), key.clone());
                }
                schemas.insert(key, schema.clone());
                self.count("definition → components/schemas");
            }
            components.insert("schemas".into(), Value::Object(schemas));
        }
        if let Some(Value::Object(params)) = old.get("parameters") {
            let mut out = Map::new();
            for (name, p) in params {
                // A body or form parameter is a request body in 3.0: inlined where used.
                if matches!(p.get("in").and_then(Value::as_str), Some("body" | "formData")) {
                    continue;
                }
                out.insert(name.clone(), self.parameter(p, &join("/parameters", name)));
            }
            if !out.is_empty() {
                components.insert("parameters".into(), Value::Object(out));
            }
        }
        if let Some(Value::Object(responses)) = old.get("responses") {
            let mut out = Map::new();
            for (name, r) in responses {
                out.insert(
                    name.clone(),
                    self.response(r, &produces, &join("/responses", name)),
                );
            }
            components.insert("responses".into(), Value::Object(out));
        }
        if let Some(Value::Object(schemes)) = old.get("securityDefinitions") {
            let mut out = Map::new();
            for (name, s) in schemes {
                if let Some(s) = self.security_scheme(s, &join("/securityDefinitions", name)) {
                    out.insert(name.clone(), s);
                }
            }
            components.insert("securitySchemes".into(), Value::Object(out));
        }
        let mut paths = Map::new();
        if let Some(Value::Object(old_paths)) = old.get("paths") {
            for (path, item) in old_paths {
                let at = join("/paths", path);
                if path.starts_with("x-") {
                    paths.insert(path.clone(), item.clone());
                    continue;
                }
                paths.insert(path.clone(), self.path_item(item, &consumes, &produces, &at));
            }
        }
        doc.insert("paths".into(), Value::Object(paths));
        if !components.is_empty() {
            doc.insert("components".into(), Value::Object(components));
        }
        if let Some(Value::Object(old)) = Some(old) {
            for (k, v) in old.iter().filter(|(k, _)| k.starts_with("x-")) {
                doc.insert(k.clone(), v.clone());
            }
        }
        Value::Object(doc)
    }

    /// `host` + `basePath` + `schemes` → one server per scheme.
    fn servers(&mut self) -> Option<Value> {
        let host = self.old.get("host").and_then(Value::as_str);
        let base = self.old.get("basePath").and_then(Value::as_str).unwrap_or("");
        let base = base.trim_end_matches('/');
        let schemes = Self::strings(self.old.get("schemes")).unwrap_or_default();
        let urls: Vec<String> = match host {
            None if base.is_empty() => return None,
            None => vec![base.to_string()],
            Some(host) => {
                let schemes = if schemes.is_empty() {
                    vec!["https".to_string()]
                } else {
                    schemes
                };
                schemes.iter().map(|s| format!("{s}://{host}{base}")).collect()
            }
        };
        self.count("host/basePath/schemes → servers");
        Some(Value::Array(
            urls.into_iter().map(|url| json!({ "url": url })).collect(),
        ))
    }

    fn security_scheme(&mut self, s: &Value, at: &str) -> Option<Value> {
        let mut out = Map::new();
        if let Some(d) = s.get("description") {
            out.insert("description".into(), d.clone());
        }
        extensions(s, &mut out);
        match s.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("apiKey") => {
                out.insert("type".into(), json!("apiKey"));
                for k in ["name", "in"] {
                    out.insert(k.into(), s.get(k).cloned().unwrap_or(json!("")));
                }
            }
            Some("oauth2") => {
                let flow_name = match s.get("flow").and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    _ => {
                        self.note(at, "oauth2 scheme with no known `flow`: left out");
                        return None;
                    }
                };
                let mut flow = Map::new();
                for k in ["authorizationUrl", "tokenUrl"] {
                    if let Some(v) = s.get(k) {
                        flow.insert(k.into(), v.clone());
                    }
                }
                // 3.0 requires the URL each flow uses.
                if matches!(flow_name, "implicit" | "authorizationCode") {
                    flow.entry("authorizationUrl").or_insert(json!(""));
                }
                if flow_name != "implicit" {
                    flow.entry("tokenUrl").or_insert(json!(""));
                }
                flow.insert("scopes".into(), s.get("scopes").cloned().unwrap_or(json!({})));
                out.insert("type".into(), json!("oauth2"));
                out.insert("flows".into(), json!({ flow_name: flow }));
            }
            other => {
                self.note(
                    at,
                    format!("security scheme of type {other:?} is not one Swagger 2.0 has: left out"),
                );
                return None;
            }
        }
        self.count("securityDefinitions → securitySchemes");
        Some(Value::Object(out))
    }

    /// A parameter of `#/parameters`, followed; `None` if the reference is not local.
    fn resolve<'v>(&self, p: &'v Value) -> Option<(&'v Value, bool)>
    where
        'a: 'v,
    {
        let Some(r) = p.get("$ref").and_then(Value::as_str) else {
            return Some((p, false));
        };
        let target = self.old.pointer(&pointer::fragment(r)?)?;
        Some((target, true))
    }

    fn path_item(&mut self, item: &Value, consumes: &[String], produces: &[String], at: &str) -> Value {
        let Some(item) = item.as_object() else {
            return item.clone();
        };
        let mut out = Map::new();
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        // Path-level body and form parameters go to each operation's body.
        let mut kept = Vec::new();
        for (i, p) in shared.iter().enumerate() {
            let Some((target, _)) = self.resolve(p) else {
                kept.push(p.clone());
                continue;
            };
            if !is_body(target) {
                kept.push(self.parameter(p, &format!("{at}/parameters/{i}")));
            }
        }
        for (key, value) in item {
            let here = join(at, key);
            if key == "parameters" {
                if !kept.is_empty() {
                    out.insert(key.clone(), Value::Array(kept.clone()));
                }
            } else if specwright_oas::METHODS.contains(&key.as_str()) {
                out.insert(
                    key.clone(),
                    self.operation(value, &shared, consumes, produces, &here),
                );
            } else {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    fn operation(
        &mut self,
        op: &Value,
        shared: &[Value],
        consumes: &[String],
        produces: &[String],
        at: &str,
    ) -> Value {
        let Some(op) = op.as_object() else {
            return op.clone();
        };
        let consumes = Self::strings(op.get("consumes")).unwrap_or_else(|| consumes.to_vec());
        let produces = Self::strings(op.get("produces")).unwrap_or_else(|| produces.to_vec());
        let mut out = Map::new();
        copy_keys(
            op,
            &mut out,
            &[
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "deprecated",
                "security",
            ],
        );
        extensions(&Value::Object(op.clone()), &mut out);
        if op.contains_key("schemes") {
            self.note(
                join(at, "schemes"),
                "an operation's own `schemes`: left out, the document's servers serve it",
            );
        }
        // Body and form parameters: the path item's, unless the operation has its own of the
        // same name.
        let own: Vec<(Value, String)> = op
            .get("parameters")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .enumerate()
                    .map(|(i, p)| (p.clone(), format!("{at}/parameters/{i}")))
                    .collect()
            })
            .unwrap_or_default();
        let key_of = |c: &Self, p: &Value| -> Option<(String, String)> {
            let (t, _) = c.resolve(p)?;
            Some((
                t.get("name")?.as_str()?.to_string(),
                t.get("in")?.as_str()?.to_string(),
            ))
        };
        let own_keys: Vec<Option<(String, String)>> = own.iter().map(|(p, _)| key_of(self, p)).collect();
        let mut params = Vec::new();
        let mut body: Option<(Value, String)> = None;
        let mut form: Vec<(Value, String)> = Vec::new();
        let inherited = shared.iter().enumerate().filter_map(|(i, p)| {
            let k = key_of(self, p);
            let overridden = k.is_some() && own_keys.contains(&k);
            let path_at = at.rsplit_once('/').map_or(at, |(p, _)| p);
            (!overridden).then(|| (p.clone(), format!("{path_at}/parameters/{i}"), true))
        });
        let all: Vec<(Value, String, bool)> = inherited
            .collect::<Vec<_>>()
            .into_iter()
            .chain(own.into_iter().map(|(p, a)| (p, a, false)))
            .collect();
        for (p, p_at, from_path) in all {
            let Some((target, _)) = self.resolve(&p) else {
                if !from_path {
                    params.push(p.clone());
                }
                continue;
            };
            match target.get("in").and_then(Value::as_str) {
                Some("body") => body = Some((target.clone(), p_at)),
                Some("formData") => form.push((target.clone(), p_at)),
                _ if !from_path => params.push(self.parameter(&p, &p_at)),
                _ => {}
            }
        }
        if !params.is_empty() {
            out.insert("parameters".into(), Value::Array(params));
        }
        if let Some((b, _)) = body {
            let types = if consumes.is_empty() {
                vec!["application/json".to_string()]
            } else {
                consumes.clone()
            };
            let schema = b.get("schema").cloned().unwrap_or(json!({}));
            let mut request = Map::new();
            if let Some(d) = b.get("description") {
                request.insert("description".into(), d.clone());
            }
            request.insert(
                "content".into(),
                Value::Object(
                    types
                        .iter()
                        .map(|t| (t.clone(), json!({ "schema": schema })))
                        .collect(),
                ),
            );
            if b.get("required") == Some(&json!(true)) {
                request.insert("required".into(), json!(true));
            }
            extensions(&b, &mut request);
            if let Some(name) = b.get("name").and_then(Value::as_str) {
                request.insert("x-codegen-request-body-name".into(), json!(name));
            }
            out.insert("requestBody".into(), Value::Object(request));
            self.count("`in: body` → requestBody");
            if !form.is_empty() {
                self.note(
                    at,
                    "both a body and form parameters: the form parameters are left out",
                );
            }
        } else if !form.is_empty() {
            out.insert("requestBody".into(), self.form(&form, &consumes));
            self.count("`in: formData` → a form requestBody");
        }
        let mut responses = Map::new();
        if let Some(Value::Object(old)) = op.get("responses") {
            for (code, r) in old {
                let here = join(&join(at, "responses"), code);
                if code.starts_with("x-") {
                    responses.insert(code.clone(), r.clone());
                } else {
                    responses.insert(code.clone(), self.response(r, &produces, &here));
                }
            }
        }
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }

    /// `formData` parameters → one object schema, urlencoded or (with a file, or when the
    /// operation consumes only it) multipart.
    fn form(&mut self, form: &[(Value, String)], consumes: &[String]) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut file = false;
        for (p, at) in form {
            let Some(name) = p.get("name").and_then(Value::as_str) else {
                continue;
            };
            file |= p.get("type").and_then(Value::as_str) == Some("file");
            let mut schema = self.schema_of(p, at);
            if let (Some(d), Value::Object(s)) = (p.get("description"), &mut schema) {
                s.entry("description").or_insert(d.clone());
            }
            if p.get("required") == Some(&json!(true)) {
                required.push(json!(name));
            }
            properties.insert(name.to_string(), schema);
        }
        let urlencoded = "application/x-www-form-urlencoded";
        let multipart = "multipart/form-data";
        let media = if file
            || (consumes.iter().any(|c| c == multipart) && !consumes.iter().any(|c| c == urlencoded))
        {
            multipart
        } else {
            urlencoded
        };
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        json!({ "content": { media: { "schema": schema } } })
    }

    /// A non-body parameter: its `type`, `format`, `items`, … as a `schema`;
    /// `collectionFormat` as `style`/`explode`. A `$ref` stays (rewritten later).
    fn parameter(&mut self, p: &Value, at: &str) -> Value {
        let Some(object) = p.as_object() else {
            return p.clone();
        };
        if object.contains_key("$ref") {
            return p.clone();
        }
        let mut out = Map::new();
        copy_keys(
            object,
            &mut out,
            &[
                "name",
                "in",
                "description",
                "required",
                "allowEmptyValue",
                "deprecated",
            ],
        );
        if object.get("in").and_then(Value::as_str) == Some("path") {
            out.insert("required".into(), json!(true));
        }
        extensions(p, &mut out);
        out.remove("x-example");
        if let Some(e) = object.get("x-example") {
            out.insert("example".into(), e.clone());
        }
        if object.get("type").and_then(Value::as_str) == Some("array") {
            let location = object.get("in").and_then(Value::as_str).unwrap_or("query");
            let format = object
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            let (style, explode) = match (format, location) {
                ("multi", _) => ("form", true),
                ("csv", "query" | "formData") => ("form", false),
                ("csv", _) => ("simple", false),
                ("ssv", "query") => ("spaceDelimited", false),
                ("pipes", "query") => ("pipeDelimited", false),
                (other, _) => {
                    self.note(
                        join(at, "collectionFormat"),
                        format!("`collectionFormat: {other}` has no OpenAPI 3.0 form here: read as comma-separated"),
                    );
                    if location == "query" {
                        ("form", false)
                    } else {
                        ("simple", false)
                    }
                }
            };
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        out.insert("schema".into(), self.schema_of(p, at));
        self.count("parameter type → schema");
        Value::Object(out)
    }

    /// The schema a 2.0 parameter, header or `items` states inline.
    fn schema_of(&mut self, p: &Value, at: &str) -> Value {
        const KEYS: [&str; 16] = [
            "type",
            "format",
            "default",
            "enum",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "minLength",
            "maxLength",
            "pattern",
            "minItems",
            "maxItems",
            "uniqueItems",
            "x-nullable",
        ];
        let mut s = Map::new();
        if let Some(p) = p.as_object() {
            copy_keys(p, &mut s, &KEYS);
        }
        if let Some(items) = p.get("items") {
            s.insert("items".into(), self.schema_of(items, &join(at, "items")));
        }
        if let Some(Value::Object(obj)) = Some(p) {
            for (k, v) in obj
                .iter()
                .filter(|(k, _)| k.starts_with("x-") && *k != "x-nullable")
            {
                if k != "x-example" {
                    s.insert(k.clone(), v.clone());
                }
            }
        }
        Value::Object(s)
    }

    fn response(&mut self, r: &Value, produces: &[String], at: &str) -> Value {
        let Some(object) = r.as_object() else {
            return r.clone();
        };
        if object.contains_key("$ref") {
            return r.clone();
        }
        let mut out = Map::new();
        out.insert(
            "description".into(),
            object.get("description").cloned().unwrap_or(json!("")),
        );
        extensions(r, &mut out);
        if let Some(Value::Object(headers)) = object.get("headers") {
            let mut h = Map::new();
            for (name, header) in headers {
                let mut converted = Map::new();
                if let Some(d) = header.get("description") {
                    converted.insert("description".into(), d.clone());
                }
                converted.insert(
                    "schema".into(),
                    self.schema_of(header, &join(&join(at, "headers"), name)),
                );
                h.insert(name.clone(), Value::Object(converted));
            }
            out.insert("headers".into(), Value::Object(h));
        }
        let examples = object.get("examples").and_then(Value::as_object);
        if let Some(schema) = object.get("schema") {
            let mut types = produces.to_vec();
            if types.is_empty() {
                types.push("application/json".into());
            }
            let content: Map<String, Value> = types
                .iter()
                .map(|t| {
                    let mut m = json!({ "schema": schema });
                    if let Some(e) = examples.and_then(|e| e.get(t)) {
                        m["example"] = e.clone();
                    }
                    (t.clone(), m)
                })
                .collect();
            out.insert("content".into(), Value::Object(content));
            self.count("response schema → content");
        }
        Value::Object(out)
    }
}

fn is_body(p: &Value) -> bool {
    matches!(p.get("in").and_then(Value::as_str), Some("body" | "formData"))
}

/// Copies the members `keys` that `from` has into `to`, as they are.
fn copy_keys(from: &Map<String, Value>, to: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        if let Some(v) = from.get(*key) {
            to.insert((*key).into(), v.clone());
        }
    }
}

fn extensions(from: &Value, to: &mut Map<String, Value>) {
    if let Some(object) = from.as_object() {
        for (k, v) in object.iter().filter(|(k, _)| k.starts_with("x-")) {
            to.insert(k.clone(), v.clone());
        }
    }
}

/// 2.0's schema spellings → 3.0's, everywhere a schema now is; then what a 2.0 document
/// says in JSON Schema's later spellings (a tuple `items`, a list of types, `$ref` beside
/// `x-nullable`), as the 3.1 conversion reads it.
struct Schemas<'c, 'a> {
    c: &'c mut Convert<'a>,
    later: &'c mut super::oas31::Convert,
}

impl Visit for Schemas<'_, '_> {
    fn schema(&mut self, schema: &mut Value, at: &str) {
        let Some(s) = schema.as_object_mut() else {
            return;
        };
        if let Some(n) = s.remove("x-nullable") {
            if n == json!(true) {
                s.insert("nullable".into(), n);
                self.c.count("`x-nullable` → `nullable`");
            }
        }
        if s.get("type").and_then(Value::as_str) == Some("file") {
            s.insert("type".into(), json!("string"));
            s.insert("format".into(), json!("binary"));
            self.c.count("`type: file` → `format: binary`");
        }
        if let Some(Value::String(property)) = s.get("discriminator") {
            let property = property.clone();
            s.insert("discriminator".into(), json!({ "propertyName": property }));
            self.c.count("string `discriminator` → `propertyName`");
        }
        self.later.keywords(s, at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(extra: Value) -> Value {
        let mut d = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        if let (Value::Object(d), Value::Object(extra)) = (&mut d, extra) {
            d.extend(extra);
        }
        d
    }

    fn op(operation: Value, extra: Value) -> Value {
        let mut d = doc(extra);
        d["paths"] = json!({"/a": {"post": operation}});
        convert(&d).0["paths"]["/a"]["post"].clone()
    }

    #[test]
    fn definitions_are_component_schemas_and_references_follow() {
        let (d, notes) = convert(&doc(json!({"definitions": {
            "A": {"properties": {"b": {"$ref": "#/definitions/B%C2%ABx%C2%BB"}}},
            "B«x»": {"type": "string", "x-nullable": true},
        }})));
        let schemas = &d["components"]["schemas"];
        assert_eq!(
            schemas["A"]["properties"]["b"],
            json!({"$ref": "#/components/schemas/B_x_"})
        );
        assert_eq!(schemas["B_x_"], json!({"type": "string", "nullable": true}));
        assert!(notes.iter().any(|n| n.pointer == "/definitions/B«x»"));
        assert!(notes[0].message.starts_with("Swagger 2.0 read as OpenAPI 3.0.3"));
        assert_eq!(d["openapi"], json!("3.0.3"));
    }

    #[test]
    fn body_parameter_is_a_request_body_of_each_consumed_type() {
        let o = op(
            json!({"consumes": ["application/json", "application/xml"],
                   "parameters": [{"name": "b", "in": "body", "required": true, "schema": {"$ref": "#/definitions/A"}}],
                   "responses": {"204": {"description": "ok"}}}),
            json!({}),
        );
        let body = &o["requestBody"];
        assert_eq!(body["required"], json!(true));
        for t in ["application/json", "application/xml"] {
            assert_eq!(
                body["content"][t]["schema"],
                json!({"$ref": "#/components/schemas/A"})
            );
        }
        assert!(o.get("parameters").is_none());
        // No `consumes` anywhere: JSON.
        let o = op(
            json!({"parameters": [{"name": "b", "in": "body", "schema": {"type": "object"}}], "responses": {}}),
            json!({}),
        );
        assert!(o["requestBody"]["content"]["application/json"].is_object());
    }

    #[test]
    fn form_parameters_are_a_form_body() {
        let o = op(
            json!({"parameters": [
                {"name": "a", "in": "formData", "type": "string", "required": true, "description": "d"},
                {"name": "n", "in": "formData", "type": "integer"}],
                "responses": {}}),
            json!({}),
        );
        assert_eq!(
            o["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"],
            json!({"type": "object", "required": ["a"],
                   "properties": {"a": {"type": "string", "description": "d"}, "n": {"type": "integer"}}})
        );
        let o = op(
            json!({"parameters": [{"name": "f", "in": "formData", "type": "file"}], "responses": {}}),
            json!({}),
        );
        assert_eq!(
            o["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["f"],
            json!({"type": "string", "format": "binary"})
        );
    }

    #[test]
    fn parameters_get_a_schema_and_a_style() {
        let o = op(
            json!({"parameters": [
                {"name": "q", "in": "query", "type": "array", "items": {"type": "integer", "format": "int64"}, "collectionFormat": "pipes"},
                {"name": "m", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                {"name": "c", "in": "query", "type": "array", "items": {"type": "string"}},
                {"name": "h", "in": "header", "type": "array", "items": {"type": "string"}},
                {"name": "e", "in": "query", "type": "string", "enum": ["a", "b"], "default": "a", "x-nullable": true},
                {"name": "id", "in": "path", "type": "string"}],
                "responses": {}}),
            json!({}),
        );
        let p = &o["parameters"];
        assert_eq!(p[0]["style"], json!("pipeDelimited"));
        assert_eq!(
            p[0]["schema"],
            json!({"type": "array", "items": {"type": "integer", "format": "int64"}})
        );
        assert_eq!((&p[1]["style"], &p[1]["explode"]), (&json!("form"), &json!(true)));
        assert_eq!(
            (&p[2]["style"], &p[2]["explode"]),
            (&json!("form"), &json!(false))
        );
        assert_eq!(p[3]["style"], json!("simple"));
        assert_eq!(
            p[4]["schema"],
            json!({"type": "string", "enum": ["a", "b"], "default": "a", "nullable": true})
        );
        assert_eq!(p[5]["required"], json!(true), "a path parameter is required");
    }

    #[test]
    fn responses_get_content_of_each_produced_type() {
        let o = op(
            json!({"produces": ["text/csv"], "responses": {
                "200": {"description": "ok", "schema": {"type": "file"}, "headers": {"X-N": {"type": "integer"}}},
                "404": {"$ref": "#/responses/NotFound"},
                "204": {}}}),
            json!({"produces": ["application/json"]}),
        );
        let r = &o["responses"];
        assert_eq!(
            r["200"]["content"],
            json!({"text/csv": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(r["200"]["headers"]["X-N"], json!({"schema": {"type": "integer"}}));
        assert_eq!(r["404"], json!({"$ref": "#/components/responses/NotFound"}));
        assert_eq!(r["204"], json!({"description": ""}), "3.0 requires a description");
    }

    #[test]
    fn servers_from_host_base_path_and_schemes() {
        let (d, _) = convert(&doc(
            json!({"host": "h.example", "basePath": "/v2/", "schemes": ["http", "https"]}),
        ));
        assert_eq!(
            d["servers"],
            json!([{"url": "http://h.example/v2"}, {"url": "https://h.example/v2"}])
        );
        let (d, _) = convert(&doc(json!({"basePath": "/api"})));
        assert_eq!(d["servers"], json!([{"url": "/api"}]));
        let (d, _) = convert(&doc(json!({})));
        assert!(d.get("servers").is_none());
    }

    #[test]
    fn security_definitions_are_schemes() {
        let (d, _) = convert(&doc(json!({"securityDefinitions": {
            "b": {"type": "basic"},
            "k": {"type": "apiKey", "name": "K", "in": "query"},
            "o": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {"a": "A"}},
            "i": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a"},
        }})));
        let s = &d["components"]["securitySchemes"];
        assert_eq!(s["b"], json!({"type": "http", "scheme": "basic"}));
        assert_eq!(s["k"], json!({"type": "apiKey", "name": "K", "in": "query"}));
        assert_eq!(
            s["o"]["flows"],
            json!({"clientCredentials": {"tokenUrl": "https://t", "scopes": {"a": "A"}}})
        );
        assert_eq!(
            s["i"]["flows"],
            json!({"implicit": {"authorizationUrl": "https://a", "scopes": {}}})
        );
    }

    #[test]
    fn shared_parameters_and_path_level_bodies() {
        let mut d = doc(json!({"parameters": {
            "L": {"name": "limit", "in": "query", "type": "integer"},
            "B": {"name": "body", "in": "body", "schema": {"type": "string"}},
        }}));
        d["paths"] = json!({"/a": {
            "parameters": [{"$ref": "#/parameters/B"}, {"name": "x", "in": "header", "type": "string"}],
            "put": {"parameters": [{"$ref": "#/parameters/L"}], "responses": {}},
        }});
        let (d, _) = convert(&d);
        assert_eq!(
            d["components"]["parameters"],
            json!({"L": {"name": "limit", "in": "query", "schema": {"type": "integer"}}})
        );
        let a = &d["paths"]["/a"];
        assert_eq!(
            a["parameters"],
            json!([{"name": "x", "in": "header", "schema": {"type": "string"}}])
        );
        assert_eq!(
            a["put"]["parameters"],
            json!([{"$ref": "#/components/parameters/L"}])
        );
        assert_eq!(
            a["put"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn discriminator_string_is_property_name() {
        let (d, _) = convert(&doc(
            json!({"definitions": {"P": {"type": "object", "discriminator": "kind"}}}),
        ));
        assert_eq!(
            d["components"]["schemas"]["P"]["discriminator"],
            json!({"propertyName": "kind"})
        );
    }

    #[test]
    fn references_into_a_response_schema_follow_it_into_content() {
        let mut d = doc(json!({}));
        d["paths"] = json!({"/a": {"get": {"responses": {"200": {"description": "ok", "schema": {
            "properties": {"x": {"type": "string"}, "y": {"$ref": "#/paths/~1a/get/responses/200/schema/properties/x"}},
        }}}}}});
        let (d, _) = convert(&d);
        assert_eq!(
            d["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
                ["y"],
            json!({"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/x"})
        );
    }

    #[test]
    fn tuples_and_type_lists_read_as_3_1_reads_them() {
        let (d, notes) = convert(&doc(json!({"definitions": {
            "T": {"type": "array", "items": [{"type": "integer"}, {"type": "string"}], "additionalItems": false},
            "R": {"$ref": "#/definitions/T", "x-nullable": true},
        }})));
        let s = &d["components"]["schemas"];
        assert_eq!(
            s["T"],
            json!({"type": "array", "maxItems": 2, "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}})
        );
        assert_eq!(
            s["R"],
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert!(
            notes
                .iter()
                .any(|n| n.pointer == "/components/schemas/T/prefixItems")
        );
    }

    #[test]
    fn malformed_input_does_not_panic() {
        for junk in [
            json!({"swagger": "2.0", "paths": [], "definitions": 3, "parameters": []}),
            json!({"swagger": "2.0", "paths": {"/a": {"parameters": {}, "get": {"parameters": [1, {"$ref": "#/nowhere"}], "responses": []}}}}),
            json!({"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [{"in": "formData"}, {"in": "body"}], "consumes": 1}}}}),
            json!({"swagger": "2.0", "securityDefinitions": {"a": 1, "b": {"type": "oauth2"}}, "host": 5, "schemes": "x"}),
        ] {
            convert(&junk);
        }
    }
}
