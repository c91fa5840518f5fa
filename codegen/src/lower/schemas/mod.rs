//! Schemas → types, split by shape as typify splits its conversion: this module names and
//! defines types and dispatches each schema to the module of its shape.
//!
//! - `objects.rs`: objects → structs (fields, `additionalProperties`)
//! - `enums.rs`: string `enum`s → open enums
//! - `unions.rs`: `oneOf`/`anyOf` → externally tagged or untagged enums (discriminated
//!   ones: `lower/discriminator.rs`)
//! - `all_of.rs`: `allOf` → the one member's type, or its objects merged into one struct
//! - `primitives.rs`: strings, numbers, booleans, arrays, maps; `nullable` items and values

use super::*;

mod all_of;
mod enums;
mod objects;
mod primitives;
mod unions;

impl Lower<'_> {
    /// Defines the named type `name` from `schema`.
    pub(super) fn define(&mut self, name: &str, schema: &ReferenceOr<Schema>, pointer: &str) {
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
        // A named string, number or list: what it allows goes on its own page.
        let doc = match (&kind, self.constraints(schema, pointer)) {
            (TypeKind::Alias(_), Some(c)) => Some(doc.map_or(c.clone(), |d| format!("{d}\n\n{c}"))),
            _ => doc,
        };
        self.push_type(name, doc, pointer, kind);
    }

    /// What `schema` (at `pointer`) allows beyond its type, as doc text.
    pub(super) fn constraints(&self, schema: &Schema, pointer: &str) -> Option<String> {
        match self.raw.pointer(pointer) {
            Some(raw) => constraints::describe(raw),
            None => constraints::describe(&serde_json::to_value(schema).ok()?),
        }
    }

    /// The shape of type `name` takes from `schema`: dispatched to the module of that shape.
    fn kind_of(&mut self, name: &str, schema: &Schema, pointer: &str) -> TypeKind {
        self.check_type(schema, pointer);
        let union = match &schema.schema_kind {
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::Any(a) => !a.one_of.is_empty() || !a.any_of.is_empty(),
            _ => false,
        };
        if let Some(discriminator) = schema.schema_data.discriminator.as_ref().filter(|_| !union) {
            // A base others extend with `allOf` (Swagger's inheritance): an enum of its kinds,
            // or (with a note saying why not) a struct.
            if let Some(kind) = self.discriminated_base(discriminator, pointer) {
                return kind;
            }
        }
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
            SchemaKind::OneOf { one_of } => self.union(name, schema, one_of, &join(pointer, "oneOf")),
            SchemaKind::AnyOf { any_of } => self.union(name, schema, any_of, &join(pointer, "anyOf")),
            SchemaKind::AllOf { all_of } => self.all_of(name, all_of, pointer),
            SchemaKind::Any(any) => self.any_kind(name, schema, any, pointer),
            _ => TypeKind::Alias(self.inline_primitive(schema, name, pointer)),
        }
    }

    /// [`Self::kind_of`] for a schema without a `type` the model knows (`SchemaKind::Any`):
    /// told apart by what it holds.
    fn any_kind(&mut self, name: &str, schema: &Schema, any: &AnySchema, pointer: &str) -> TypeKind {
        // Properties beside a `oneOf`/`anyOf` (or an `allOf`) are merged with it, as the
        // members of an `allOf` are: none is dropped.
        if !any.all_of.is_empty()
            || (!any.properties.is_empty() && (!any.one_of.is_empty() || !any.any_of.is_empty()))
        {
            return self.all_of(name, &any.all_of, pointer);
        }
        if !any.one_of.is_empty() {
            return self.union(name, schema, &any.one_of, &join(pointer, "oneOf"));
        }
        if !any.any_of.is_empty() {
            return self.union(name, schema, &any.any_of, &join(pointer, "anyOf"));
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

    /// The Rust type for a schema in some position; inline composites get a named type
    /// called `hint`.
    pub(super) fn type_ref(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => {
                if let Some(key) = reference.strip_prefix("#/components/schemas/") {
                    let key = pointer::unescape(key);
                    if let Some(name) = self.components.get(&key) {
                        return TypeRef::Named(name.clone());
                    }
                }
                if self.depth > specwright_oas::schema::MAX_DEPTH {
                    self.diags.push(Diagnostic::new(
                        pointer,
                        format!(
                            "references nest more than {} levels deep (a cycle?)",
                            specwright_oas::schema::MAX_DEPTH
                        ),
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

    /// A `type` OpenAPI 3.0 does not have (`strin`) would make the value any JSON, silently:
    /// an error, once per schema.
    fn check_type(&mut self, schema: &Schema, pointer: &str) {
        let SchemaKind::Any(AnySchema { typ: Some(typ), .. }) = &schema.schema_kind else {
            return;
        };
        if specwright_oas::TYPES.contains(&typ.as_str()) {
            return;
        }
        let at = join(pointer, "type");
        if self.diags.iter().any(|d| d.pointer == at) {
            return;
        }
        self.diags.push(
            Diagnostic::new(
                at,
                format!(
                    "unknown type `{typ}`: OpenAPI 3.0 types are {}",
                    specwright_oas::TYPES.join(", ")
                ),
            )
            .hint("correct the type (`specwright review` suggests one); `nullable: true` stands for null"),
        );
    }

    /// An inline schema's type: a composite is named `hint` (or its `x-rust-name`) and
    /// defined once per pointer; anything else is a primitive, array or map.
    fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        self.check_type(schema, pointer);
        let named = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
            SchemaKind::Type(Type::Object(o)) => {
                !o.properties.is_empty()
                    || matches!(o.additional_properties, Some(AdditionalProperties::Any(false)))
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::AllOf { all_of } => self.all_of_alone(all_of, pointer).is_none(),
            SchemaKind::Any(a) => {
                !a.properties.is_empty()
                    || !a.one_of.is_empty()
                    || !a.any_of.is_empty()
                    || (!a.all_of.is_empty() && self.all_of_alone(&a.all_of, pointer).is_none())
            }
            _ => false,
        };
        if named {
            if let Some(existing) = self.inline_names.get(pointer) {
                return TypeRef::Named(existing.clone());
            }
            let given = self.given_name(&schema.schema_data.extensions, "x-rust-name", pointer);
            let name = self.claim(given.as_deref().unwrap_or(hint), pointer);
            if given.is_some() {
                self.given_types.insert(name.clone());
            }
            self.inline_names.insert(pointer.to_string(), name.clone());
            self.define(&name, &ReferenceOr::Item(schema.clone()), pointer);
            return TypeRef::Named(name);
        }
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } | SchemaKind::Any(AnySchema { all_of, .. })
                if !all_of.is_empty() =>
            {
                let i = self.all_of_alone(all_of, pointer).unwrap_or_default();
                self.type_ref(&all_of[i], hint, &join(pointer, &format!("allOf/{i}")))
            }
            _ => self.inline_primitive(schema, hint, pointer),
        }
    }
}
