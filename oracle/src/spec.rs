use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::{Draft, Validator};
use serde_json::{Value, json};

use crate::error::{LoadError, Violation};
use crate::{convert, pointer};

/// An OpenAPI 3.0 document, checked by the `openapiv3` crate, ready to judge JSON values.
pub struct Spec {
    origin: String,
    raw: Value,
    openapi: openapiv3::OpenAPI,
    /// The document's schemas in draft 4, the root against which `$ref`s resolve: made
    /// at the first validation (a copy of most of the document, which a caller that never
    /// validates does not pay for).
    schema_root: OnceLock<Value>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Spec {
    /// Reads a spec from a YAML or JSON file.
    pub fn load(path: impl AsRef<Path>) -> Result<Spec, LoadError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
            path: PathBuf::from(path),
            source,
        })?;
        Spec::parse(&text, &path.display().to_string())
    }

    /// Parses a spec from YAML or JSON text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Spec, LoadError> {
        // YAML is a superset of JSON, so one parser serves both.
        let raw: Value = serde_yaml::from_str(text).map_err(|e| LoadError::Syntax {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        let openapi: openapiv3::OpenAPI =
            serde_json::from_value(raw.clone()).map_err(|e| LoadError::NotOpenApi {
                origin: origin.to_string(),
                message: e.to_string(),
            })?;
        Spec::from_document(raw, openapi, origin)
    }

    /// A spec already read: its document and the same document typed, as a caller that
    /// has parsed it (the generator's loader) holds them. Not read a second time.
    pub fn from_document(raw: Value, openapi: openapiv3::OpenAPI, origin: &str) -> Result<Spec, LoadError> {
        if !openapi.openapi.starts_with("3.0") {
            return Err(LoadError::NotOpenApi {
                origin: origin.to_string(),
                message: format!("version {} is not 3.0.x", openapi.openapi),
            });
        }
        Ok(Spec {
            origin: origin.to_string(),
            raw,
            openapi,
            schema_root: OnceLock::new(),
            validators: Mutex::new(HashMap::new()),
        })
    }

    fn schema_root(&self) -> &Value {
        self.schema_root.get_or_init(|| convert::document(&self.raw))
    }

    /// Where the spec came from (a file path, or the name given to [`Spec::parse`]).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The document as the `openapiv3` crate reads it.
    pub fn openapi(&self) -> &openapiv3::OpenAPI {
        &self.openapi
    }

    /// The document and its typed form, given back (a caller that lent them to the oracle
    /// rather than copying them).
    pub fn into_document(self) -> (Value, openapiv3::OpenAPI) {
        (self.raw, self.openapi)
    }

    /// The document as plain JSON, for walking by pointer.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// Follows `$ref`s (local ones only) from `value` until a non-reference object,
    /// returning it and its pointer. `at` is the pointer of `value` itself.
    pub fn deref<'a>(&'a self, at: &str, value: &'a Value) -> Result<(String, &'a Value), LoadError> {
        let mut at = at.to_string();
        let mut value = value;
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Ok((at, value));
            };
            value = pointer::resolve_ref(&self.raw, reference).ok_or_else(|| LoadError::Schema {
                origin: self.origin.clone(),
                pointer: at.clone(),
                message: format!("$ref {reference} does not resolve to anything in this document"),
            })?;
            at = reference.trim_start_matches('#').to_string();
        }
        Err(LoadError::Schema {
            origin: self.origin.clone(),
            pointer: at,
            message: "$ref chain longer than 32 links (a cycle?)".into(),
        })
    }

    /// Validates `value` against the schema at `schema_pointer` (a JSON pointer into the
    /// document, e.g. `/components/schemas/Volume`). Validators are compiled once per
    /// pointer and cached, so judging many responses stays cheap.
    pub fn validate(&self, schema_pointer: &str, value: &Value) -> Result<Vec<Violation>, LoadError> {
        let validator = self.validator(schema_pointer)?;
        let mut violations: Vec<Violation> = validator
            .iter_errors(value)
            .map(|e| Violation {
                instance_path: e.instance_path().to_string(),
                schema_path: e.schema_path().to_string(),
                message: e.to_string(),
            })
            .collect();
        if let Some(schema) = self.raw.pointer(schema_pointer) {
            crate::bytes::check(&self.raw, schema, schema_pointer, value, "", &mut violations);
        }
        Ok(violations)
    }

    /// The converted document cut down to the schema at `schema_pointer` and what its
    /// `$ref`s reach, each at its own pointer, so that a validator for one schema of a large
    /// document neither copies nor compiles the rest. Where a reference is not a plain local
    /// pointer, the whole document.
    fn closure(&self, schema_pointer: &str) -> Value {
        fn refs<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
            match value {
                Value::Object(map) => {
                    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                        out.push(r);
                    }
                    map.values().for_each(|v| refs(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        fn place(root: &mut Value, at: &str, value: &Value) {
            let mut here = root;
            for token in at.split('/').skip(1) {
                let token = pointer::unescape(token);
                if !here.is_object() {
                    *here = Value::Object(serde_json::Map::new());
                }
                let Value::Object(map) = here else { return };
                here = map.entry(token).or_insert(Value::Null);
            }
            *here = value.clone();
        }
        let mut root = json!({});
        // Placed pointers: one that is, or lies inside, a placed one needs nothing more.
        let mut done: HashSet<String> = HashSet::new();
        let mut todo = vec![schema_pointer.to_string()];
        while let Some(at) = todo.pop() {
            let placed = std::iter::successors(Some(at.as_str()), |p| {
                p.rsplit_once('/').map(|(parent, _)| parent)
            })
            .any(|p| done.contains(p));
            if placed {
                continue;
            }
            let Some(value) = self.schema_root().pointer(&at) else {
                return self.schema_root().clone();
            };
            place(&mut root, &at, value);
            let mut found = Vec::new();
            refs(value, &mut found);
            for r in found {
                match r.strip_prefix('#') {
                    Some(p) if p.starts_with('/') && !p.contains('%') => todo.push(p.to_string()),
                    Some("") => return self.schema_root().clone(),
                    _ => return self.schema_root().clone(),
                }
            }
            done.insert(at);
        }
        root
    }

    fn validator(&self, schema_pointer: &str) -> Result<Arc<Validator>, LoadError> {
        let mut cache = self
            .validators
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(v) = cache.get(schema_pointer) {
            return Ok(v.clone());
        }
        if self.schema_root().pointer(schema_pointer).is_none() {
            return Err(LoadError::Schema {
                origin: self.origin.clone(),
                pointer: schema_pointer.to_string(),
                message: "no schema at this pointer".into(),
            });
        }
        // The root is the converted document (only the parts the schema reaches) with a
        // `$ref` to the schema wanted; in
        // draft 4 the `$ref` makes its siblings invisible, so only that schema applies,
        // and every `#/components/...` reference inside it resolves against the document.
        let mut root = self.closure(schema_pointer);
        if let Value::Object(map) = &mut root {
            map.insert(
                "$ref".into(),
                json!(format!("#{}", pointer::to_uri_fragment(schema_pointer))),
            );
        }
        let validator = jsonschema::options()
            .with_draft(Draft::Draft4)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| LoadError::Schema {
                origin: self.origin.clone(),
                pointer: schema_pointer.to_string(),
                message: format!("schema does not compile: {e}"),
            })?;
        let validator = Arc::new(validator);
        cache.insert(schema_pointer.to_string(), validator.clone());
        Ok(validator)
    }
}
