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
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Error};
use crate::ir::*;
use crate::load::Loaded;
use crate::names;

/// Generation options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path parameters the client holds once (set at construction) instead of taking them
    /// on every call, such as the OpenStack `project_id`.
    pub client_params: Vec<String>,
    /// Path under which generated code finds the runtime crate.
    pub runtime_crate: String,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            client_params: vec!["project_id".into()],
            runtime_crate: "::evs_ims_runtime".into(),
        }
    }
}

/// Headers the runtime sets itself; a spec that lists them as parameters is not asking the
/// caller for them.
const RUNTIME_HEADERS: [&str; 5] = [
    "x-auth-token",
    "authorization",
    "content-type",
    "accept",
    "x-sdk-date",
];

pub fn lower(loaded: &Loaded, options: &Options) -> Result<Service, Error> {
    let mut l = Lower {
        api: &loaded.api,
        raw: &loaded.raw,
        options,
        types: Vec::new(),
        claimed: HashMap::new(),
        components: HashMap::new(),
        diags: Vec::new(),
        depth: 0,
        inline_names: HashMap::new(),
    };
    let mut service = l.service();
    crate::paging::detect(&mut service);
    if l.diags.is_empty() {
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
    options: &'a Options,
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
}

fn ext_str<'s>(ext: &'s IndexMap<String, Value>, key: &str) -> Option<&'s str> {
    ext.get(key).and_then(Value::as_str)
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", names::pointer_escape(token))
}

impl<'a> Lower<'a> {
    fn service(&mut self) -> Service {
        let schemas: Vec<(String, ReferenceOr<Schema>)> = self
            .api
            .components
            .as_ref()
            .map(|c| c.schemas.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        for (key, schema) in &schemas {
            let pointer = join("/components/schemas", key);
            let name = match schema {
                ReferenceOr::Item(s) => ext_str(&s.schema_data.extensions, "x-rust-name").map(str::to_string),
                ReferenceOr::Reference { .. } => None,
            }
            .unwrap_or_else(|| names::type_name(key));
            if self.claim(&name, &pointer) {
                self.components.insert(key.clone(), name);
            }
        }
        for (key, schema) in &schemas {
            if let Some(name) = self.components.get(key).cloned() {
                let pointer = join("/components/schemas", key);
                self.define(&name, schema, &pointer);
            }
        }
        let mut client_params: Vec<Param> = Vec::new();
        let operations = self.operations(&mut client_params);
        Service {
            title: self.api.info.title.clone(),
            description: non_empty(&self.api.info.description),
            types: std::mem::take(&mut self.types),
            operations,
            client_params,
        }
    }

    /// Reserves a Rust type name; a second claim from elsewhere is a collision.
    fn claim(&mut self, name: &str, pointer: &str) -> bool {
        match self.claimed.get(name) {
            Some(owner) if owner != pointer => {
                let msg = format!("type name `{name}` is already used by {owner}");
                self.diags.push(
                    Diagnostic::new(pointer, msg).hint("give one of them another name with `x-rust-name`"),
                );
                false
            }
            Some(_) => true,
            None => {
                self.claimed.insert(name.to_string(), pointer.to_string());
                true
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
    fn referenced_nullable(&self, reference: &str) -> bool {
        reference
            .strip_prefix('#')
            .and_then(|pointer| self.raw.pointer(pointer))
            .and_then(|schema| schema.get("nullable"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }

    /// Resolves a local `$ref` to any object, deserialized as `T`.
    fn resolve<T: DeserializeOwned>(&mut self, reference: &str, at: &str) -> Option<(T, String)> {
        let Some(pointer) = reference.strip_prefix('#') else {
            self.diags.push(
                Diagnostic::new(at, format!("external reference `{reference}` is not supported"))
                    .hint("bundle the spec into one file first (e.g. `redocly bundle`)"),
            );
            return None;
        };
        let Some(value) = self.raw.pointer(pointer) else {
            self.diags.push(Diagnostic::new(
                at,
                format!("`$ref: {reference}` points at nothing in this document"),
            ));
            return None;
        };
        match serde_json::from_value::<T>(value.clone()) {
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

    // ---------------------------------------------------------------- types

    /// Defines the named type `name` from `schema`.
    fn define(&mut self, name: &str, schema: &ReferenceOr<Schema>, pointer: &str) {
        let schema = match schema {
            ReferenceOr::Reference { .. } => {
                let ty = self.type_ref(schema, &format!("{name}Target"), pointer);
                self.push_type(name, None, pointer, TypeKind::Alias(ty));
                return;
            }
            ReferenceOr::Item(s) => s,
        };
        let doc = non_empty(&schema.schema_data.description).or_else(|| non_empty(&schema.schema_data.title));
        let kind = self.kind_of(name, schema, pointer);
        self.push_type(name, doc, pointer, kind);
    }

    fn kind_of(&mut self, name: &str, schema: &Schema, pointer: &str) -> TypeKind {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                let default = schema
                    .schema_data
                    .default
                    .as_ref()
                    .and_then(Value::as_str)
                    .map(str::to_string);
                self.string_enum(&values, &schema.schema_data.extensions, default, pointer)
            }
            SchemaKind::Type(Type::Object(obj)) => {
                let required: Vec<String> = obj.required.clone();
                let props = props_at(&obj.properties, pointer);
                if props.is_empty()
                    && !matches!(obj.additional_properties, Some(AdditionalProperties::Any(false)))
                {
                    let ty = self.inline(schema, &format!("{name}Map"), pointer);
                    return TypeKind::Alias(ty);
                }
                self.object(
                    name,
                    &props,
                    &required,
                    obj.additional_properties.as_ref(),
                    pointer,
                )
            }
            SchemaKind::OneOf { one_of } => self.union(name, one_of, &join(pointer, "oneOf")),
            SchemaKind::AnyOf { any_of } => self.union(name, any_of, &join(pointer, "anyOf")),
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                TypeKind::Alias(self.type_ref(&all_of[0], &format!("{name}Base"), &join(pointer, "allOf/0")))
            }
            SchemaKind::AllOf { all_of } => self.all_of(name, all_of, pointer),
            SchemaKind::Any(any) => self.any_kind(name, schema, any, pointer),
            _ => TypeKind::Alias(self.inline_primitive(schema, name, pointer)),
        }
    }

    fn any_kind(&mut self, name: &str, schema: &Schema, any: &AnySchema, pointer: &str) -> TypeKind {
        if !any.one_of.is_empty() {
            return self.union(name, &any.one_of, &join(pointer, "oneOf"));
        }
        if !any.any_of.is_empty() {
            return self.union(name, &any.any_of, &join(pointer, "anyOf"));
        }
        if !any.all_of.is_empty() {
            return self.all_of(name, &any.all_of, pointer);
        }
        if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
            let props = props_at(&any.properties, pointer);
            if props.is_empty() {
                return TypeKind::Alias(TypeRef::JsonObject);
            }
            return self.object(
                name,
                &props,
                &any.required,
                any.additional_properties.as_ref(),
                pointer,
            );
        }
        TypeKind::Alias(self.inline_primitive(schema, name, pointer))
    }

    fn string_enum(
        &mut self,
        values: &[String],
        ext: &IndexMap<String, Value>,
        default: Option<String>,
        pointer: &str,
    ) -> TypeKind {
        // `x-enum-varnames` is the openapi-generator convention for naming enum variants.
        let overrides: Vec<String> = ext
            .get("x-enum-varnames")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        let mut variants: Vec<EnumValue> = Vec::new();
        for (i, wire) in values.iter().enumerate() {
            let name = overrides
                .get(i)
                .map(|n| names::type_name(n))
                .unwrap_or_else(|| names::type_name(wire));
            if name == "Other" {
                self.diags.push(
                    Diagnostic::new(
                        format!("{pointer}/enum/{i}"),
                        "enum value names the `Other` variant kept for unknown values",
                    )
                    .hint("rename it with `x-enum-varnames`"),
                );
            }
            if let Some(prev) = variants.iter().find(|v| v.name == name) {
                let msg = format!(
                    "enum values `{}` and `{wire}` both become the variant `{name}`",
                    prev.wire
                );
                self.diags.push(
                    Diagnostic::new(format!("{pointer}/enum/{i}"), msg)
                        .hint("name the variants with `x-enum-varnames`"),
                );
                continue;
            }
            if variants.iter().any(|v| &v.wire == wire) {
                continue;
            }
            variants.push(EnumValue {
                name,
                wire: wire.clone(),
            });
        }
        // `x-transitional`: the values a resource leaves by itself, for waiters.
        let transitional = ext
            .get("x-transitional")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .filter_map(|w| variants.iter().find(|v| v.wire == w).map(|v| v.name.clone()))
                    .collect()
            })
            .unwrap_or_default();
        TypeKind::StringEnum {
            variants,
            default,
            transitional,
        }
    }

    fn object(
        &mut self,
        name: &str,
        props: &[Prop],
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> TypeKind {
        let mut fields: Vec<Field> = Vec::new();
        for (wire, prop, at) in props {
            let (nullable, doc, default, rename) = match prop {
                ReferenceOr::Item(s) => (
                    s.schema_data.nullable,
                    non_empty(&s.schema_data.description),
                    s.schema_data.default.clone(),
                    ext_str(&s.schema_data.extensions, "x-rust-name").map(str::to_string),
                ),
                // A schema that is nullable itself is nullable wherever it is referenced.
                ReferenceOr::Reference { reference } => {
                    (self.referenced_nullable(reference), None, None, None)
                }
            };
            let field_name = rename.unwrap_or_else(|| names::field(wire));
            if let Some(prev) = fields.iter().find(|f| f.name == field_name) {
                let msg = format!(
                    "properties `{}` and `{wire}` both become the field `{field_name}`",
                    prev.wire
                );
                self.diags
                    .push(Diagnostic::new(at, msg).hint("name one of them with `x-rust-name` on its schema"));
                continue;
            }
            let ty = self.type_ref(prop, &format!("{name}{}", names::type_name(wire)), at);
            let boxed = ty == TypeRef::Named(name.to_string());
            fields.push(Field {
                wire: wire.clone(),
                name: field_name,
                ty,
                required: required.contains(wire),
                nullable,
                doc,
                default,
                boxed,
            });
        }
        for r in required {
            if !props.iter().any(|(k, _, _)| k == r) {
                let msg = format!("`{r}` is required but not among the properties");
                self.diags.push(
                    Diagnostic::new(join(pointer, "required"), msg)
                        .hint("add the property or remove it from `required`"),
                );
            }
        }
        let (additional, deny_unknown) = match additional {
            Some(AdditionalProperties::Any(false)) => (None, true),
            Some(AdditionalProperties::Any(true)) => (Some(TypeRef::Json), false),
            Some(AdditionalProperties::Schema(s)) => (
                Some(self.type_ref(s, &format!("{name}Value"), &join(pointer, "additionalProperties"))),
                false,
            ),
            None => (None, false),
        };
        if additional.is_some() && fields.iter().any(|f| f.name == "additional_properties") {
            self.diags.push(
                Diagnostic::new(
                    pointer,
                    "a property named like the map of additional properties (`additional_properties`)",
                )
                .hint("rename it with `x-rust-name`"),
            );
        }
        TypeKind::Struct {
            fields,
            additional,
            deny_unknown,
        }
    }

    fn all_of(&mut self, name: &str, members: &[ReferenceOr<Schema>], pointer: &str) -> TypeKind {
        let mut props: Vec<Prop> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional: Option<AdditionalProperties> = None;
        for (i, member) in members.iter().enumerate() {
            let at = format!("{pointer}/allOf/{i}");
            self.collect_object(member, &at, &mut props, &mut required, &mut additional, 0);
        }
        self.object(name, &props, &required, additional.as_ref(), pointer)
    }

    /// Gathers the properties of an `allOf` member, following references and nested `allOf`s.
    fn collect_object(
        &mut self,
        member: &ReferenceOr<Schema>,
        at: &str,
        props: &mut Vec<Prop>,
        required: &mut Vec<String>,
        additional: &mut Option<AdditionalProperties>,
        depth: usize,
    ) {
        if depth > 16 {
            self.diags.push(Diagnostic::new(
                at,
                "`allOf` nests more than 16 levels deep (a cycle?)",
            ));
            return;
        }
        let (schema, at) = match member {
            ReferenceOr::Reference { reference } => match self.resolve::<Schema>(reference, at) {
                Some(found) => found,
                None => return,
            },
            ReferenceOr::Item(s) => (s.clone(), at.to_string()),
        };
        let add = |props: &mut Vec<Prop>, found: Vec<Prop>| {
            for prop in found {
                props.retain(|(existing, _, _)| *existing != prop.0);
                props.push(prop);
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) => {
                add(props, props_at(&obj.properties, &at));
                required.extend(obj.required.iter().cloned());
                if obj.additional_properties.is_some() {
                    additional.clone_from(&obj.additional_properties);
                }
            }
            SchemaKind::Any(any) if any.all_of.is_empty() => {
                add(props, props_at(&any.properties, &at));
                required.extend(any.required.iter().cloned());
            }
            SchemaKind::AllOf { all_of } | SchemaKind::Any(AnySchema { all_of, .. }) => {
                for (i, m) in all_of.iter().enumerate() {
                    self.collect_object(
                        m,
                        &format!("{at}/allOf/{i}"),
                        props,
                        required,
                        additional,
                        depth + 1,
                    );
                }
            }
            _ => {
                self.diags.push(
                    Diagnostic::new(&at, "an `allOf` member that is not an object cannot be merged")
                        .hint("merge only object schemas, or use `oneOf`"),
                );
            }
        }
    }

    fn union(&mut self, name: &str, variants: &[ReferenceOr<Schema>], pointer: &str) -> TypeKind {
        let mut resolved: Vec<(Schema, String, Option<String>)> = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            let at = format!("{pointer}/{i}");
            match v {
                ReferenceOr::Reference { reference } => {
                    let component = reference
                        .strip_prefix("#/components/schemas/")
                        .and_then(|k| self.components.get(&names::pointer_unescape(k)))
                        .cloned();
                    if let Some((s, p)) = self.resolve::<Schema>(reference, &at) {
                        resolved.push((s, p, component));
                    }
                }
                ReferenceOr::Item(s) => resolved.push((s.clone(), at, None)),
            }
        }
        if resolved.len() != variants.len() {
            return TypeKind::Alias(TypeRef::Json);
        }
        if resolved.iter().all(|(s, _, _)| single_key(s).is_some()) && !resolved.is_empty() {
            return self.tagged(name, &resolved);
        }
        self.untagged(name, variants, &resolved, pointer)
    }

    fn tagged(&mut self, name: &str, resolved: &[(Schema, String, Option<String>)]) -> TypeKind {
        let mut out: Vec<TaggedVariant> = Vec::new();
        for (schema, at, _) in resolved {
            let Some((key, inner)) = single_key(schema) else {
                continue;
            };
            let variant = ext_str(&schema.schema_data.extensions, "x-rust-name")
                .map(str::to_string)
                .unwrap_or_else(|| names::type_name(&key));
            let method = ext_str(&schema.schema_data.extensions, "x-rust-method")
                .map(str::to_string)
                .unwrap_or_else(|| names::field(&key));
            if out.iter().any(|v| v.name == variant || v.key == key) {
                self.diags.push(Diagnostic::new(
                    at,
                    format!("two variants of `{name}` are both `{key}`/`{variant}`"),
                ));
                continue;
            }
            let inner_at = join(&join(at, "properties"), &key);
            let ty = self.type_ref(&inner, &format!("{name}{variant}"), &inner_at);
            let doc = non_empty(&schema.schema_data.description).or_else(|| match &inner {
                ReferenceOr::Item(s) => non_empty(&s.schema_data.description),
                ReferenceOr::Reference { .. } => None,
            });
            out.push(TaggedVariant {
                name: variant,
                key,
                ty,
                doc,
                method,
            });
        }
        TypeKind::Tagged { variants: out }
    }

    fn untagged(
        &mut self,
        name: &str,
        variants: &[ReferenceOr<Schema>],
        resolved: &[(Schema, String, Option<String>)],
        pointer: &str,
    ) -> TypeKind {
        let mut out: Vec<(UntaggedVariant, Shape)> = Vec::new();
        for (i, (v, (schema, at, component))) in variants.iter().zip(resolved).enumerate() {
            let title = non_empty(&schema.schema_data.title).map(|t| names::type_name(&t));
            let variant_name = ext_str(&schema.schema_data.extensions, "x-rust-name")
                .map(str::to_string)
                .or_else(|| component.clone())
                .or(title)
                .unwrap_or_else(|| format!("Variant{}", i + 1));
            let hint = format!("{name}{variant_name}");
            let ty = self.type_ref(v, &hint, &format!("{pointer}/{i}"));
            let shape = shape_of(schema);
            if let Some((prev, _)) = out.iter().find(|(_, s)| *s == shape) {
                let msg = format!(
                    "variants `{}` and `{variant_name}` of `{name}` cannot be told apart: same JSON type and the same required fields",
                    prev.name
                );
                self.diags.push(
                    Diagnostic::new(at, msg)
                        .hint("make their `required` fields differ, or add a single-key wrapper"),
                );
                continue;
            }
            if out.iter().any(|(u, _)| u.name == variant_name) {
                self.diags.push(
                    Diagnostic::new(at, format!("two variants of `{name}` are named `{variant_name}`"))
                        .hint("set `x-rust-name` or `title`"),
                );
                continue;
            }
            out.push((
                UntaggedVariant {
                    name: variant_name,
                    ty,
                },
                shape,
            ));
        }
        // serde tries untagged variants in order and takes the first that fits, so a
        // variant must come before any whose required fields are a subset of its own.
        out.sort_by_key(|(_, shape)| shape.order());
        TypeKind::Untagged {
            variants: out.into_iter().map(|(u, _)| u).collect(),
        }
    }

    /// The Rust type for a schema in some position; inline composites get a named type
    /// called `hint`.
    fn type_ref(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => {
                if let Some(key) = reference.strip_prefix("#/components/schemas/") {
                    let key = names::pointer_unescape(key);
                    if let Some(name) = self.components.get(&key) {
                        return TypeRef::Named(name.clone());
                    }
                }
                if self.depth > 32 {
                    self.diags.push(Diagnostic::new(
                        pointer,
                        "references nest more than 32 levels deep (a cycle?)",
                    ));
                    return TypeRef::Json;
                }
                match self.resolve::<Schema>(reference, pointer) {
                    Some((s, at)) => {
                        self.depth += 1;
                        let ty = self.inline(&s, hint, &at);
                        self.depth -= 1;
                        ty
                    }
                    None => TypeRef::Json,
                }
            }
            ReferenceOr::Item(s) => self.inline(s, hint, pointer),
        }
    }

    fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        let named = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
            SchemaKind::Type(Type::Object(o)) => {
                !o.properties.is_empty()
                    || matches!(o.additional_properties, Some(AdditionalProperties::Any(false)))
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::AllOf { all_of } => all_of.len() > 1,
            SchemaKind::Any(a) => {
                !a.properties.is_empty() || !a.one_of.is_empty() || !a.any_of.is_empty() || a.all_of.len() > 1
            }
            _ => false,
        };
        if named {
            if let Some(existing) = self.inline_names.get(pointer) {
                return TypeRef::Named(existing.clone());
            }
            let name = ext_str(&schema.schema_data.extensions, "x-rust-name")
                .map(str::to_string)
                .unwrap_or_else(|| hint.to_string());
            if self.claim(&name, pointer) {
                self.inline_names.insert(pointer.to_string(), name.clone());
                self.define(&name, &ReferenceOr::Item(schema.clone()), pointer);
            }
            return TypeRef::Named(name);
        }
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_ref(&all_of[0], hint, &join(pointer, "allOf/0"))
            }
            SchemaKind::Any(a) if a.all_of.len() == 1 => {
                self.type_ref(&a.all_of[0], hint, &join(pointer, "allOf/0"))
            }
            _ => self.inline_primitive(schema, hint, pointer),
        }
    }

    fn inline_primitive(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        use openapiv3::VariantOrUnknownOrEmpty::Item;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => {
                    let items = items.clone().unbox();
                    TypeRef::Vec(Box::new(self.type_ref(
                        &items,
                        &format!("{hint}Item"),
                        &join(pointer, "items"),
                    )))
                }
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            SchemaKind::Type(Type::Object(o)) => match &o.additional_properties {
                Some(AdditionalProperties::Schema(s)) => TypeRef::Map(Box::new(self.type_ref(
                    s,
                    &format!("{hint}Value"),
                    &join(pointer, "additionalProperties"),
                ))),
                _ => TypeRef::JsonObject,
            },
            SchemaKind::Any(a) => match a.typ.as_deref() {
                Some("string") => TypeRef::String,
                Some("integer") => TypeRef::I64,
                Some("number") => TypeRef::F64,
                Some("boolean") => TypeRef::Bool,
                Some("array") => match &a.items {
                    Some(items) => {
                        let items = items.clone().unbox();
                        TypeRef::Vec(Box::new(self.type_ref(
                            &items,
                            &format!("{hint}Item"),
                            &join(pointer, "items"),
                        )))
                    }
                    None => TypeRef::Vec(Box::new(TypeRef::Json)),
                },
                Some("object") => match &a.additional_properties {
                    Some(AdditionalProperties::Schema(s)) => TypeRef::Map(Box::new(self.type_ref(
                        s,
                        &format!("{hint}Value"),
                        &join(pointer, "additionalProperties"),
                    ))),
                    _ => TypeRef::JsonObject,
                },
                _ => TypeRef::Json,
            },
            _ => TypeRef::Json,
        }
    }

    // ---------------------------------------------------------------- operations

    fn operations(&mut self, client_params: &mut Vec<Param>) -> Vec<Operation> {
        let mut out: Vec<Operation> = Vec::new();
        let mut method_names: HashMap<String, String> = HashMap::new();
        let mut helper_owners: HashMap<String, String> = HashMap::new();
        let paths: Vec<(String, ReferenceOr<openapiv3::PathItem>)> = self
            .api
            .paths
            .paths
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (path, item) in paths {
            let item_at = join("/paths", &path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    match self.resolve::<openapiv3::PathItem>(&reference, &item_at) {
                        Some((item, _)) => item,
                        None => continue,
                    }
                }
            };
            for (method, op) in item.iter() {
                let at = join(&item_at, method);
                if let Some(mut op) = self.operation(&path, method, op, &item.parameters, &at, client_params)
                {
                    // An action helper already named for another operation's action (the
                    // same body variant under a second path) takes this operation's suffix.
                    for a in &mut op.actions {
                        if let Some(other) = helper_owners.get(&a.method) {
                            a.method = helper_with_suffix(&a.method, &op.name, other);
                        }
                        helper_owners.insert(a.method.clone(), op.name.clone());
                    }
                    let mut claim = |name: &str, this: &str, diags: &mut Vec<Diagnostic>| {
                        if let Some(prev) = method_names.insert(name.to_string(), this.to_string()) {
                            diags.push(
                                Diagnostic::new(
                                    this,
                                    format!("client method `{name}` is also generated for {prev}"),
                                )
                                .hint("change an `operationId`, or set `x-rust-method`"),
                            );
                        }
                    };
                    claim(&op.name, &at, &mut self.diags);
                    for a in &op.actions {
                        claim(
                            &a.method,
                            &format!("{at} (action {})", a.variant),
                            &mut self.diags,
                        );
                    }
                    out.push(op);
                }
            }
        }
        out
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
        at: &str,
        client_params: &mut Vec<Param>,
    ) -> Option<Operation> {
        let id = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => format!("{method}_{path}"),
        };
        let name = ext_str(&op.extensions, "x-rust-method")
            .map(str::to_string)
            .unwrap_or_else(|| names::field(&id));
        let type_prefix = names::type_name(&id);

        // Parameters: the path item's, overridden by the operation's (same name and place).
        let mut params: Vec<(Parameter, String)> = Vec::new();
        let lists = [
            (shared_params, join(&join("/paths", path), "parameters")),
            (&op.parameters[..], join(at, "parameters")),
        ];
        for (list, list_at) in lists {
            for (i, p) in list.iter().enumerate() {
                let p_at = format!("{list_at}/{i}");
                let resolved = match p {
                    ReferenceOr::Item(p) => Some((p.clone(), p_at)),
                    ReferenceOr::Reference { reference } => self.resolve::<Parameter>(reference, &p_at),
                };
                if let Some((p, p_at)) = resolved {
                    let key = (p.parameter_data_ref().name.clone(), std::mem::discriminant(&p));
                    params.retain(|(q, _)| {
                        (q.parameter_data_ref().name.clone(), std::mem::discriminant(q)) != key
                    });
                    params.push((p, p_at));
                }
            }
        }

        let mut path_params = Vec::new();
        let mut required_params = Vec::new();
        let mut optional_params = Vec::new();
        for (p, p_at) in &params {
            let location = match p {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    self.diags.push(
                        Diagnostic::new(p_at, "cookie parameters are not supported")
                            .hint("remove it, or send it through a custom reqwest client"),
                    );
                    continue;
                }
            };
            let data = p.parameter_data_ref();
            if location == ParamLocation::Header
                && RUNTIME_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let hint = self.parameter_type_hint(p_at, type_prefix.as_str(), &data.name);
            let (ty, json) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    (self.type_ref(s, &hint, &join(p_at, "schema")), false)
                }
                // `content: application/json`: the value is sent as JSON text, objects included.
                ParameterSchemaOrContent::Content(content) if location != ParamLocation::Path => {
                    let Some((ct, media)) = content.iter().find(|(ct, _)| is_json(ct)) else {
                        let listed: Vec<&str> = content.keys().map(String::as_str).collect();
                        self.diags.push(
                            Diagnostic::new(
                                join(p_at, "content"),
                                format!("parameter content {} is not supported", listed.join(", ")),
                            )
                            .hint(
                                "describe the parameter with `schema`, or with `content: application/json`",
                            ),
                        );
                        continue;
                    };
                    let ty = match &media.schema {
                        Some(s) => {
                            self.type_ref(s, &hint, &join(&join(&join(p_at, "content"), ct), "schema"))
                        }
                        None => TypeRef::Json,
                    };
                    (ty, true)
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.diags.push(
                        Diagnostic::new(p_at, "path parameters described by `content` are not supported")
                            .hint("describe the parameter with `schema`"),
                    );
                    continue;
                }
            };
            if !json
                && (matches!(ty, TypeRef::JsonObject | TypeRef::Map(_))
                    || matches!(&ty, TypeRef::Named(n) if self.is_struct(n)))
            {
                self.diags.push(
                    Diagnostic::new(
                        p_at,
                        format!("object-valued parameter `{}` is not supported", data.name),
                    )
                    .hint("use scalar or array parameters"),
                );
                continue;
            }
            let param = Param {
                wire: data.name.clone(),
                name: names::field(&data.name),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                doc: non_empty(&data.description),
                json,
            };
            match location {
                ParamLocation::Path if self.options.client_params.contains(&data.name) => {
                    if !client_params.iter().any(|c| c.wire == data.name) {
                        client_params.push(param.clone());
                    }
                    path_params.push(param);
                }
                ParamLocation::Path => path_params.push(param),
                _ if param.required => required_params.push(param),
                _ => optional_params.push(param),
            }
        }
        self.check_path_template(path, &path_params, at);
        let mut seen = HashSet::new();
        for p in path_params.iter().chain(&required_params).chain(&optional_params) {
            if !seen.insert(p.name.clone()) {
                self.diags.push(
                    Diagnostic::new(at, format!("two parameters become the argument `{}`", p.name))
                        .hint("rename one of them"),
                );
            }
        }

        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.body(b, &format!("{type_prefix}Request"), &join(at, "requestBody")));
        let responses = self.responses(&op.responses, &type_prefix, &join(at, "responses"));

        let options_type = if optional_params.is_empty() {
            None
        } else {
            let n = format!("{type_prefix}Options");
            self.claim(&n, at).then_some(n)
        };
        let success_types: Vec<&Option<TypeRef>> =
            responses.iter().filter(|r| r.success).map(|r| &r.ty).collect();
        let distinct_success = distinct(&success_types);
        let outcome_type = if distinct_success > 1 {
            let n = format!("{type_prefix}Outcome");
            self.claim(&n, at).then_some(n)
        } else {
            None
        };
        let error_types: Vec<&Option<TypeRef>> =
            responses.iter().filter(|r| !r.success).map(|r| &r.ty).collect();
        let error_type = if distinct(&error_types) > 1 {
            let n = format!("{type_prefix}Error");
            self.claim(&n, at).then_some(n)
        } else {
            None
        };
        let actions = match &body {
            Some(Body {
                ty: TypeRef::Named(n),
                ..
            }) => self.actions_of(n),
            _ => Vec::new(),
        };
        Some(Operation {
            id,
            name,
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: non_empty(&op.summary),
            description: non_empty(&op.description),
            deprecated: op.deprecated,
            path_params,
            required_params,
            optional_params,
            options_type,
            body,
            responses,
            outcome_type,
            error_type,
            actions,
            paging: None,
        })
    }

    fn is_struct(&self, name: &str) -> bool {
        self.types
            .iter()
            .any(|t| t.name == name && matches!(t.kind, TypeKind::Struct { .. }))
    }

    fn actions_of(&self, name: &str) -> Vec<Action> {
        match self.types.iter().find(|t| t.name == name).map(|t| &t.kind) {
            Some(TypeKind::Tagged { variants }) => variants
                .iter()
                .map(|v| Action {
                    method: v.method.clone(),
                    variant: v.name.clone(),
                    ty: v.ty.clone(),
                    doc: v.doc.clone(),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The name a parameter's own type (an enum, say) gets: a parameter shared through
    /// `components/parameters` is named after its component, since every operation that
    /// uses it shares the type; one declared in place is named after its operation.
    fn parameter_type_hint(&self, at: &str, type_prefix: &str, wire_name: &str) -> String {
        let shared = at
            .strip_prefix("/components/parameters/")
            .filter(|key| !key.contains('/'))
            .map(|key| names::type_name(&names::pointer_unescape(key)))
            .filter(|name| !self.claimed.contains_key(name));
        shared.unwrap_or_else(|| format!("{type_prefix}{}", names::type_name(wire_name)))
    }

    fn check_path_template(&mut self, path: &str, params: &[Param], at: &str) {
        let mut in_template = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                self.diags
                    .push(Diagnostic::new(at, format!("path `{path}` has an unclosed `{{`")));
                return;
            };
            in_template.push(rest[start + 1..start + len].to_string());
            rest = &rest[start + len + 1..];
        }
        for name in &in_template {
            if !params.iter().any(|p| &p.wire == name) {
                self.diags.push(
                    Diagnostic::new(
                        at,
                        format!(
                            "path `{path}` names `{{{name}}}` but no path parameter `{name}` is declared"
                        ),
                    )
                    .hint("declare it under `parameters` with `in: path`"),
                );
            }
            if in_template.iter().filter(|n| *n == name).count() > 1 {
                self.diags.push(
                    Diagnostic::new(at, format!("path `{path}` names `{{{name}}}` twice"))
                        .hint("give each segment its own parameter"),
                );
                break;
            }
        }
        for p in params {
            if !in_template.contains(&p.wire) {
                self.diags.push(Diagnostic::new(
                    at,
                    format!("path parameter `{}` does not appear in `{path}`", p.wire),
                ));
            }
        }
    }

    fn body(&mut self, body: &ReferenceOr<openapiv3::RequestBody>, hint: &str, at: &str) -> Option<Body> {
        let (body, at) = match body {
            ReferenceOr::Item(b) => (b.clone(), at.to_string()),
            ReferenceOr::Reference { reference } => self.resolve::<openapiv3::RequestBody>(reference, at)?,
        };
        let (content_type, media) = match pick_media(&body.content) {
            Some(found) => found,
            None => {
                let listed: Vec<&str> = body.content.keys().map(String::as_str).collect();
                self.diags.push(
                    Diagnostic::new(
                        join(&at, "content"),
                        format!("no supported request content type among {listed:?}"),
                    )
                    .hint("offer application/json (or application/octet-stream for raw bytes)"),
                );
                return None;
            }
        };
        let ty = if is_json(&content_type) {
            match &media.schema {
                Some(s) => self.type_ref(
                    s,
                    hint,
                    &join(&join(&join(&at, "content"), &content_type), "schema"),
                ),
                None => TypeRef::Json,
            }
        } else {
            TypeRef::Bytes
        };
        Some(Body {
            ty,
            required: body.required,
            content_type,
        })
    }

    fn responses(&mut self, responses: &openapiv3::Responses, prefix: &str, at: &str) -> Vec<ResponseDef> {
        let mut list: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .map(|(code, r)| match code {
                openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string(), r),
                openapiv3::StatusCode::Range(n) => (StatusMatch::Range(*n), format!("{n}XX"), r),
            })
            .collect();
        if let Some(d) = &responses.default {
            list.push((StatusMatch::Default, "default".into(), d));
        }
        let mut out = Vec::new();
        let mut first_success_named = false;
        for (status, label, r) in list {
            let r_at = join(at, &label);
            let (response, r_at) = match r {
                ReferenceOr::Item(r) => (r.clone(), r_at),
                ReferenceOr::Reference { reference } => {
                    match self.resolve::<openapiv3::Response>(reference, &r_at) {
                        Some(found) => found,
                        None => continue,
                    }
                }
            };
            let success = status.is_success();
            let hint = if success && !first_success_named {
                first_success_named = true;
                format!("{prefix}Response")
            } else if success {
                format!("{prefix}Response{label}")
            } else {
                format!(
                    "{prefix}Error{}",
                    if label == "default" {
                        "Default".to_string()
                    } else {
                        label.clone()
                    }
                )
            };
            let ty = match pick_media(&response.content) {
                None => None,
                Some((ct, media)) if is_json(&ct) => match &media.schema {
                    Some(s) => {
                        Some(self.type_ref(s, &hint, &join(&join(&join(&r_at, "content"), &ct), "schema")))
                    }
                    None => Some(TypeRef::Json),
                },
                Some(_) => Some(TypeRef::Bytes),
            };
            // A JSON body with an empty alternative beside it may be absent.
            let body_optional = matches!(&ty, Some(t) if *t != TypeRef::Bytes)
                && response
                    .content
                    .iter()
                    .any(|(ct, m)| !is_json(ct) && self.is_empty_alternative(m, &r_at));
            out.push(ResponseDef {
                status,
                ty,
                success,
                doc: non_empty(&Some(response.description.clone())),
                body_optional,
            });
        }
        if !out.iter().any(|r| r.success) {
            // Many real specs document only errors, or only `default` ("successful
            // operation"). Any 2xx is then the success, with `default`'s body if it has one.
            let ty = out
                .iter()
                .find(|r| r.status == StatusMatch::Default)
                .and_then(|r| r.ty.clone());
            let doc = Some("Any 2xx: the spec documents no success status.".to_string());
            out.insert(
                0,
                ResponseDef {
                    status: StatusMatch::Range(2),
                    ty,
                    success: true,
                    doc,
                    body_optional: false,
                },
            );
        }
        out
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

fn distinct(types: &[&Option<TypeRef>]) -> usize {
    let mut seen: Vec<&Option<TypeRef>> = Vec::new();
    for t in types {
        if !seen.contains(t) {
            seen.push(t);
        }
    }
    seen.len()
}

impl Lower<'_> {
    /// A media type whose schema is a string of at most 0 characters: the spec's way to
    /// say that a documented body may be absent (as the oracle's `is_empty_alternative`
    /// reads it, for the suite and the emulator).
    fn is_empty_alternative(&mut self, media: &openapiv3::MediaType, at: &str) -> bool {
        let schema = match &media.schema {
            Some(ReferenceOr::Item(s)) => s.clone(),
            Some(ReferenceOr::Reference { reference }) => match self.resolve::<Schema>(reference, at) {
                Some((s, _)) => s,
                None => return false,
            },
            None => return false,
        };
        matches!(
            schema.schema_kind,
            SchemaKind::Type(Type::String(openapiv3::StringType {
                max_length: Some(0),
                ..
            }))
        )
    }
}

fn is_json(content_type: &str) -> bool {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    ct == "application/json" || ct.ends_with("+json") || ct == "*/*" || ct == "application/*"
}

/// The media type generated code uses: JSON first, then raw bytes.
fn pick_media(content: &IndexMap<String, openapiv3::MediaType>) -> Option<(String, openapiv3::MediaType)> {
    content
        .iter()
        .find(|(ct, _)| is_json(ct))
        .or_else(|| {
            content
                .iter()
                .find(|(ct, _)| ct.starts_with("application/octet-stream") || ct.starts_with("text/"))
        })
        .map(|(ct, m)| (ct.clone(), m.clone()))
}

/// `{"key": {...}}` with `key` required and the only property: a tagged-union variant.
fn single_key(schema: &Schema) -> Option<(String, ReferenceOr<Schema>)> {
    let (props, required) = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
        SchemaKind::Any(a) if a.typ.as_deref().unwrap_or("object") == "object" => {
            (&a.properties, &a.required)
        }
        _ => return None,
    };
    if props.len() != 1 {
        return None;
    }
    let (key, inner) = props.iter().next()?;
    required
        .contains(key)
        .then(|| (key.clone(), inner.clone().unbox()))
}

/// What an untagged variant looks like on the wire, to tell variants apart.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    Object(Vec<String>),
    Array,
    String,
    Integer,
    Number,
    Bool,
    Any,
}

impl Shape {
    /// Sort key: objects with more required fields first, anything-goes last.
    fn order(&self) -> (u8, usize) {
        match self {
            Shape::Object(req) => (0, usize::MAX - req.len()),
            Shape::Array => (1, 0),
            Shape::Integer => (2, 0),
            Shape::Number => (3, 0),
            Shape::String => (4, 0),
            Shape::Bool => (5, 0),
            Shape::Any => (9, 0),
        }
    }
}

fn shape_of(schema: &Schema) -> Shape {
    let object = |required: &Vec<String>| {
        let mut r = required.clone();
        r.sort();
        r.dedup();
        Shape::Object(r)
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => object(&o.required),
        SchemaKind::Type(Type::Array(_)) => Shape::Array,
        SchemaKind::Type(Type::String(_)) => Shape::String,
        SchemaKind::Type(Type::Integer(_)) => Shape::Integer,
        SchemaKind::Type(Type::Number(_)) => Shape::Number,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Bool,
        SchemaKind::Any(a) if !a.properties.is_empty() || a.typ.as_deref() == Some("object") => {
            object(&a.required)
        }
        _ => Shape::Any,
    }
}

/// The name of an action helper of `operation` whose first choice, `helper`, is taken by a
/// helper of `other`: `helper` and what sets `operation`'s name apart from `other`'s
/// (`extend_volume` of `volume_action_v3`, taken by `volume_action`: `extend_volume_v3`).
fn helper_with_suffix(helper: &str, operation: &str, other: &str) -> String {
    let common = operation
        .char_indices()
        .zip(other.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((i, c), _)| i + c.len_utf8());
    let distinct = operation[common..].trim_matches('_');
    let suffix = if distinct.is_empty() { operation } else { distinct };
    format!("{helper}_{suffix}")
}

#[cfg(test)]
mod tests {
    use super::helper_with_suffix;

    #[test]
    fn a_taken_helper_name_takes_what_sets_its_operation_apart() {
        assert_eq!(
            helper_with_suffix("extend_volume", "volume_action_v3", "volume_action"),
            "extend_volume_v3"
        );
        assert_eq!(
            helper_with_suffix("extend", "act_on_disk", "act_on_volume"),
            "extend_disk"
        );
        // Nothing sets it apart: the whole operation name.
        assert_eq!(
            helper_with_suffix("extend", "volume_action", "volume_action_v3"),
            "extend_volume_action"
        );
    }
}
