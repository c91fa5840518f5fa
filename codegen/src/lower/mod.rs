//! The spec → [`ir::Service`]: settle names, resolve references, pick Rust shapes.
//!
//! Every problem is pushed as a [`Diagnostic`] and lowering carries on, so one run reports
//! all of them; the caller gets an error if there was any.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema,
    SchemaKind, Type,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Error};
use crate::ir::*;
use crate::load::Loaded;
use crate::names;
use crate::settings::Settings;
use specwright_oas::pointer;

mod constraints;
mod discriminator;
mod operations;
mod schemas;
mod security;

/// Headers the runtime sets itself; a spec that lists them as parameters is not asking the
/// caller for them.
const RUNTIME_HEADERS: [&str; 5] = [
    "x-auth-token",
    "authorization",
    "content-type",
    "accept",
    "x-sdk-date",
];

/// The loaded spec as the IR, under `settings`; an error lists every problem found.
pub fn lower(loaded: &Loaded, settings: &Settings) -> Result<Service, Error> {
    let mut l = Lower {
        api: &loaded.api,
        raw: &loaded.raw,
        settings,
        types: Vec::new(),
        claimed: HashMap::new(),
        components: HashMap::new(),
        diags: Vec::new(),
        depth: 0,
        inline_names: HashMap::new(),
        noted_security: HashSet::new(),
        given_types: HashSet::new(),
        children: None,
    };
    // Which of two values the author meant is not for the generator to guess.
    l.diags.extend(loaded.twice.iter().map(|pointer| {
        Diagnostic::new(
            pointer,
            "this key is given twice in one mapping: only the last value is read",
        )
        .hint("keep one of the two (`specwright review` reports it as `duplicate-key`)")
    }));
    let mut service = l.service();
    discriminator::free_tags(&mut service.types);
    let cut = crate::cycles::box_cycles(&mut service.types);
    l.diags.extend(cut);
    crate::paging::detect(&mut service);
    l.diags
        .extend(crate::dedup::merge_repeats(&mut service, &l.given_types));
    service.requested = service.reachable_from_requests();
    if !l.diags.iter().any(Diagnostic::is_error) {
        service.notes = l.diags;
        Ok(service)
    } else {
        Err(Error::Spec {
            origin: loaded.origin.clone(),
            diagnostics: l.diags,
        })
    }
}

struct Lower<'a> {
    api: &'a OpenAPI,
    raw: &'a Value,
    settings: &'a Settings,
    types: Vec<TypeDef>,
    /// Rust type name → pointer of what claimed it.
    claimed: HashMap<String, String>,
    /// Component schema key → Rust type name.
    components: HashMap<String, String>,
    diags: Vec<Diagnostic>,
    depth: usize,
    /// Pointer of an inline schema → the Rust type already made for it (an `allOf` can
    /// reach the same inline schema from two parents).
    inline_names: HashMap<String, String>,
    /// Undeclared schemes the document's `security` names, noted once.
    noted_security: HashSet<String>,
    /// Inline types named by the spec (`x-rust-name`): never merged away as a repeat.
    given_types: HashSet<String>,
    /// Component schema key → the components whose `allOf` names it: who extends whom,
    /// built at the first discriminated base.
    children: Option<HashMap<String, Vec<String>>>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn join(pointer: &str, token: &str) -> String {
    pointer::join(pointer, token)
}

impl<'a> Lower<'a> {
    fn service(&mut self) -> Service {
        // The spec outlives this lowering: read it through its own reference.
        let api = self.api;
        let schemas: Vec<(&String, &ReferenceOr<Schema>)> = api
            .components
            .as_ref()
            .map(|c| c.schemas.iter().collect())
            .unwrap_or_default();
        for &(key, schema) in &schemas {
            let pointer = join("/components/schemas", key);
            let name = match schema {
                ReferenceOr::Item(s) => self.given_name(&s.schema_data.extensions, "x-rust-name", &pointer),
                ReferenceOr::Reference { .. } => None,
            }
            .unwrap_or_else(|| names::type_name(key));
            let name = self.claim(&name, &pointer);
            self.components.insert(key.clone(), name);
        }
        for &(key, schema) in &schemas {
            if let Some(name) = self.components.get(key).cloned() {
                let pointer = join("/components/schemas", key);
                self.define(&name, schema, &pointer);
            }
        }
        let mut client_params: Vec<Param> = Vec::new();
        // The client's own methods are taken before any operation's.
        let mut method_names: HashMap<String, String> = ["new", "transport"]
            .into_iter()
            .map(|m| (m.to_string(), "the client itself".to_string()))
            .collect();
        for p in &self.settings.client_params {
            method_names.insert(names::field(p), "a client parameter's getter".to_string());
        }
        let security_schemes = self.security_schemes(&mut method_names);
        let operations = self.operations(&mut client_params, method_names);
        Service {
            title: self.api.info.title.clone(),
            version: self.api.info.version.clone(),
            description: non_empty(&self.api.info.description),
            types: std::mem::take(&mut self.types),
            operations,
            client_params,
            notes: Vec::new(),
            requested: HashSet::new(),
            security_schemes,
        }
    }

    /// Reserves a Rust type name for what `pointer` defines. A name another definition
    /// holds is settled with a suffix (`Pet2`), and a note says so.
    fn claim(&mut self, name: &str, pointer: &str) -> String {
        let claimed = &self.claimed;
        let settled = names::unique(name, |n| claimed.get(n).is_some_and(|owner| owner != pointer));
        if settled != name {
            let owner = &self.claimed[name];
            self.diags.push(
                Diagnostic::note(pointer, format!("named `{settled}`: `{name}` is {owner}"))
                    .hint("choose the name with `x-rust-name`"),
            );
        }
        self.claimed
            .entry(settled.clone())
            .or_insert_with(|| pointer.to_string());
        settled
    }

    /// The value of a naming extension (`x-rust-name`, `x-rust-method`), if it is a Rust
    /// identifier; an error says so if it is not.
    fn given_name(&mut self, ext: &IndexMap<String, Value>, key: &str, pointer: &str) -> Option<String> {
        let value = ext.get(key)?;
        let checked = match value.as_str() {
            Some(text) => names::given(text),
            None => Err(format!("`{key}` is {value}, not a string")),
        };
        match checked {
            Ok(name) => Some(name),
            Err(why) => {
                self.diags.push(
                    Diagnostic::new(join(pointer, key), why).hint("use a Rust identifier, or remove it"),
                );
                None
            }
        }
    }

    fn push_type(&mut self, name: &str, doc: Option<String>, pointer: &str, kind: TypeKind) {
        if self.types.iter().any(|t| t.name == name) {
            return;
        }
        self.types.push(TypeDef {
            name: name.to_string(),
            doc,
            pointer: pointer.to_string(),
            kind,
        });
    }

    /// Whether the schema a local `$ref` points at says `nullable: true`.
    /// A chain of references is followed (a few links deep): `A: {$ref: B}`, `B: {nullable:
    /// true, ...}`.
    fn referenced_nullable(&self, reference: &str) -> bool {
        let mut reference = reference.to_string();
        for _ in 0..8 {
            let Some(schema) = pointer::resolve_ref(self.raw, &reference) else {
                return false;
            };
            if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
                return true;
            }
            match schema.get("$ref").and_then(Value::as_str) {
                Some(next) => reference = next.to_string(),
                None => return false,
            }
        }
        false
    }

    /// Resolves a local `$ref` to any object, as `T`: a `components` entry as the typed
    /// model already holds it, anything else deserialized from the document.
    fn resolve<T: Component>(&mut self, reference: &str, at: &str) -> Option<(T, String)> {
        let Some(pointer) = pointer::fragment(reference) else {
            self.diags.push(
                Diagnostic::new(at, format!("external reference `{reference}` is not supported"))
                    .hint("bundle the spec into one file first (e.g. `redocly bundle`)"),
            );
            return None;
        };
        let pointer = pointer.as_ref();
        if let Some(found) = self.component::<T>(pointer) {
            return Some((found.clone(), pointer.to_string()));
        }
        let Some(value) = self.raw.pointer(pointer) else {
            self.diags.push(
                Diagnostic::new(
                    at,
                    format!("`$ref: {reference}` points at nothing in this document"),
                )
                .hint("correct the reference, or add what it names"),
            );
            return None;
        };
        match T::deserialize(value) {
            Ok(v) => Some((v, pointer.to_string())),
            Err(e) => {
                self.diags.push(Diagnostic::new(
                    pointer,
                    format!("referenced from {at}, but invalid here: {e}"),
                ));
                None
            }
        }
    }
}

impl<'a> Lower<'a> {
    /// The `components` entry a pointer names (`/components/responses/NotFound`), when it
    /// is one of `T`'s kind and not itself a reference.
    fn component<T: Component>(&self, pointer: &str) -> Option<&'a T> {
        let name = pointer
            .strip_prefix("/components/")?
            .strip_prefix(T::KIND)?
            .strip_prefix('/')?;
        if name.contains('/') {
            return None;
        }
        let name = if name.contains('~') {
            std::borrow::Cow::Owned(pointer::unescape(name))
        } else {
            std::borrow::Cow::Borrowed(name)
        };
        match T::entries(self.api.components.as_ref()?)?.get(name.as_ref())? {
            ReferenceOr::Item(found) => Some(found),
            ReferenceOr::Reference { .. } => None,
        }
    }
}

/// What a local `$ref` can name, and where `components` keeps that kind.
trait Component: DeserializeOwned + Clone + 'static {
    /// The key under `components` (`schemas`, `responses`, ...).
    const KIND: &'static str;
    fn entries(components: &openapiv3::Components) -> Option<&IndexMap<String, ReferenceOr<Self>>>;
}

macro_rules! component {
    ($t:ty, $kind:literal, $field:ident) => {
        impl Component for $t {
            const KIND: &'static str = $kind;
            fn entries(c: &openapiv3::Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
                Some(&c.$field)
            }
        }
    };
}

component!(Schema, "schemas", schemas);
component!(openapiv3::Response, "responses", responses);
component!(Parameter, "parameters", parameters);
component!(openapiv3::RequestBody, "requestBodies", request_bodies);
component!(openapiv3::Example, "examples", examples);
component!(openapiv3::SecurityScheme, "securitySchemes", security_schemes);

/// OpenAPI 3.0 has no `components.pathItems`: a path item reference is read from the
/// document.
impl Component for openapiv3::PathItem {
    const KIND: &'static str = "pathItems";
    fn entries(_: &openapiv3::Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        None
    }
}

/// A property: wire name, schema, and the pointer where it is declared.
type Prop = (String, ReferenceOr<Schema>, String);

fn props_at(properties: &IndexMap<String, ReferenceOr<Box<Schema>>>, pointer: &str) -> Vec<Prop> {
    let base = join(pointer, "properties");
    properties
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().unbox(), join(&base, k)))
        .collect()
}
