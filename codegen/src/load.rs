//! YAML or JSON text → `openapiv3::OpenAPI`, with errors located by JSON pointer.
//!
//! OpenAPI 3.0 is read as it is; OpenAPI 3.1 ([`oas31`]) and Swagger 2.0 ([`swagger2`]) are
//! converted on load to the 3.0 document the rest of the generator reads, with a note
//! saying what was converted and one at each place where something had no 3.0 form.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Error};

mod oas31;
mod swagger2;
mod twice;
mod walk;

/// A spec as read from disk: the typed model, the raw JSON (for pointers and extensions)
/// and every file that was read, for `cargo:rerun-if-changed`.
///
/// A 3.1 or 2.0 document is held in its 3.0 form, `raw` included.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub origin: String,
    pub raw: Value,
    /// The document typed, all but its paths: `api.paths` is empty, and
    /// [`path_items`](Loaded::path_items) reads each path item from `raw` when it is
    /// wanted. Every path item was read once on load, so a spec whose path item the typed
    /// model refuses is refused there. (`openapiv3` keeps a path item in 8.7 KB and each
    /// schema in 1 KB, `$ref`s included: a spec of 100k operations typed whole took 1.5
    /// GB beside its 0.85 GB document.)
    pub api: openapiv3::OpenAPI,
    pub files: Vec<PathBuf>,
    /// What loading settled on its own: what a 3.1 or 2.0 document was converted from,
    /// and what had no 3.0 form. Empty for a 3.0 document.
    pub notes: Vec<Diagnostic>,
    /// The pointer of each key the text gives twice in one mapping (the last value is the
    /// one read). Lowering refuses such a spec; review reports each.
    pub twice: Vec<String>,
}

/// A document as read, before the typed model: the JSON value (3.1 and 2.0 converted) and
/// the keys given twice.
#[derive(Debug, Clone)]
pub struct Raw {
    pub value: Value,
    /// See [`Loaded::twice`].
    pub twice: Vec<String>,
}

pub fn load_file(path: &Path) -> Result<Loaded, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut loaded = load_str(&text, &path.display().to_string())?;
    loaded.files.push(path.to_path_buf());
    Ok(loaded)
}

pub fn load_str(text: &str, origin: &str) -> Result<Loaded, Error> {
    let (Raw { value: raw, twice }, notes) = read_converted(text, origin)?;
    let fail = |d: Diagnostic| Error::Spec {
        origin: origin.to_string(),
        diagnostics: std::iter::once(d).chain(notes.iter().cloned()).collect(),
    };
    let mut raw = raw;
    // The plain deserializer first; the one that tracks where it is only to locate an error.
    let api = match typed_but_paths(&mut raw) {
        Some(api) => api,
        None => {
            let e = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw).err();
            let (pointer, message) = localize(&raw)
                .or_else(|| e.map(|e| (path_to_pointer(e.path()), e.inner().to_string())))
                .unwrap_or_else(|| (String::new(), "the typed model refuses it".into()));
            return Err(fail(
                Diagnostic::new(
                    pointer,
                    format!("does not match the OpenAPI 3.0 schema: {message}"),
                )
                .hint("give this field the type the OpenAPI 3.0 specification gives it"),
            ));
        }
    };
    Ok(Loaded {
        origin: origin.to_string(),
        raw,
        api,
        files: Vec::new(),
        notes,
        twice,
    })
}

/// The typed model of `raw` without its paths (see [`Loaded::api`]), each path item read
/// once on its own to be sure the typed model takes it; `None` where anything is refused.
/// The paths are lent out of `raw` (an empty object in their place) while the rest is
/// read, then put back.
fn typed_but_paths(raw: &mut Value) -> Option<openapiv3::OpenAPI> {
    use serde::Deserialize;
    let slot = raw.as_object_mut()?.get_mut("paths")?;
    let paths = std::mem::replace(slot, Value::Object(Default::default()));
    let rest = openapiv3::OpenAPI::deserialize(&*raw).ok();
    let items_read = paths.as_object().is_some_and(|items| {
        items.iter().all(|(key, item)| {
            key.starts_with("x-") || openapiv3::ReferenceOr::<openapiv3::PathItem>::deserialize(item).is_ok()
        })
    });
    if let Some(slot) = raw.get_mut("paths") {
        *slot = paths;
    }
    rest.filter(|_| items_read)
}

impl Loaded {
    /// Each path item of the document, typed, one at a time: `(path, item)` in the
    /// document's order, extensions (`x-…`) left out. See [`Loaded::api`].
    pub fn path_items(
        &self,
    ) -> impl Iterator<Item = (&str, openapiv3::ReferenceOr<openapiv3::PathItem>)> + '_ {
        path_items(&self.raw)
    }
}

/// [`Loaded::path_items`] of a document in its 3.0 form.
pub(crate) fn path_items(
    raw: &Value,
) -> impl Iterator<Item = (&str, openapiv3::ReferenceOr<openapiv3::PathItem>)> + '_ {
    use serde::Deserialize;
    let paths = raw.get("paths").and_then(Value::as_object);
    paths
        .into_iter()
        .flatten()
        .filter(|(k, _)| !k.starts_with("x-"))
        .filter_map(|(path, item)| {
            let item = openapiv3::ReferenceOr::<openapiv3::PathItem>::deserialize(item).ok()?;
            Some((path.as_str(), item))
        })
}

/// The text as a JSON value in OpenAPI 3.0's form (a 3.1 or 2.0 document converted), if
/// it is YAML or JSON holding a mapping with a version this reads; not yet read as the
/// typed model.
pub fn read_raw(text: &str, origin: &str) -> Result<Raw, Error> {
    read_converted(text, origin).map(|(raw, _)| raw)
}

/// [`read_raw`], with the notes of the conversion.
fn read_converted(text: &str, origin: &str) -> Result<(Raw, Vec<Diagnostic>), Error> {
    let fail = |d: Diagnostic| Error::Spec {
        origin: origin.to_string(),
        diagnostics: vec![d],
    };
    // A JSON document is read as JSON: faster, and JSON allows what YAML does not (C1
    // control characters in strings, integers past u64). Anything else is YAML, which is
    // also what reads a JSON document with a flaw JSON will not pass.
    let json = text.trim_start().starts_with('{');
    let from_json = |text: &str| {
        let mut reader = serde_json::Deserializer::from_str(text);
        let read = twice::read(&mut reader)?;
        reader.end().map(|()| read)
    };
    let (raw, twice) = match json.then(|| from_json(text)) {
        Some(Ok(read)) => read,
        _ => twice::read(serde_yaml::Deserializer::from_str(text)).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!("line {}, column {}", l.line(), l.column()))
                .unwrap_or_default();
            fail(Diagnostic::new("", format!("not valid YAML or JSON ({at}): {e}")))
        })?,
    };
    if !raw.is_object() {
        return Err(fail(
            Diagnostic::new("", "the document is not a mapping")
                .hint("an OpenAPI document starts with `openapi: 3.0.x`"),
        ));
    }
    let mut raw = raw;
    let version = |key: &str| match raw.get(key) {
        Some(Value::String(v)) => Some(v.clone()),
        // `swagger: 2.0` unquoted is a YAML number.
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let (value, notes) = match (version("openapi"), version("swagger")) {
        (Some(v), _) if v.starts_with("3.0") => (raw, Vec::new()),
        (Some(v), _) if v.starts_with("3.1") => {
            let notes = oas31::convert(&mut raw);
            (raw, notes)
        }
        (None, Some(v)) if v == "2.0" || v == "2" => swagger2::convert(&raw),
        (Some(v), _) => {
            return Err(fail(
                Diagnostic::new("/openapi", format!("OpenAPI version {v} is not supported"))
                    .hint("this generator reads OpenAPI 3.0.x and 3.1.x, and Swagger 2.0"),
            ));
        }
        (None, Some(v)) => {
            return Err(fail(
                Diagnostic::new("/swagger", format!("Swagger version {v} is not supported"))
                    .hint("this generator reads Swagger 2.0, and OpenAPI 3.0.x and 3.1.x"),
            ));
        }
        (None, None) => {
            return Err(fail(
                Diagnostic::new("/openapi", "missing `openapi` version field").hint("add `openapi: 3.0.3`"),
            ));
        }
    };
    // A converted document's pointers differ from the text's: the keys given twice are
    // named where the text has them.
    Ok((Raw { value, twice }, notes))
}

/// `openapiv3` flattens some maps, which hides the failing entry from
/// `serde_path_to_error`; deserializing entry by entry finds it.
fn localize(raw: &Value) -> Option<(String, String)> {
    fn first_error<T: serde::de::DeserializeOwned>(
        base: &str,
        map: Option<&Value>,
    ) -> Option<(String, String)> {
        for (key, value) in map?.as_object()? {
            if key.starts_with("x-")
                || (base.starts_with("/paths/") && !specwright_oas::METHODS.contains(&key.as_str()))
            {
                continue;
            }
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(value) {
                let here = specwright_oas::pointer::join(base, key);
                // A path item flattens its operations too: look one level further.
                if base == "/paths" {
                    if let Some(found) = first_error::<openapiv3::Operation>(&here, Some(value)) {
                        return Some(found);
                    }
                }
                let inner = path_to_pointer(e.path());
                return Some((format!("{here}{inner}"), e.inner().to_string()));
            }
        }
        None
    }
    use openapiv3::ReferenceOr;
    let components = raw.get("components");
    let section = |name: &str| components.and_then(|c| c.get(name));
    first_error::<ReferenceOr<openapiv3::PathItem>>("/paths", raw.get("paths"))
        .or_else(|| first_error::<ReferenceOr<openapiv3::Schema>>("/components/schemas", section("schemas")))
        .or_else(|| {
            first_error::<ReferenceOr<openapiv3::Parameter>>("/components/parameters", section("parameters"))
        })
        .or_else(|| {
            first_error::<ReferenceOr<openapiv3::Response>>("/components/responses", section("responses"))
        })
        .or_else(|| {
            first_error::<ReferenceOr<openapiv3::RequestBody>>(
                "/components/requestBodies",
                section("requestBodies"),
            )
        })
        .or_else(|| {
            first_error::<ReferenceOr<openapiv3::SecurityScheme>>(
                "/components/securitySchemes",
                section("securitySchemes"),
            )
        })
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&specwright_oas::pointer::join("", key)),
            Segment::Enum { variant } => out.push_str(&specwright_oas::pointer::join("", variant)),
            Segment::Unknown => out.push_str("/?"),
        }
    }
    out
}
