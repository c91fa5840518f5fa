//! Schemas → types: objects, enums, unions, `allOf` merges and the inline types they name.

use super::*;
use specwright_oas::all_of;

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
    fn constraints(&self, schema: &Schema, pointer: &str) -> Option<String> {
        match self.raw.pointer(pointer) {
            Some(raw) => constraints::describe(raw),
            None => constraints::describe(&serde_json::to_value(schema).ok()?),
        }
    }

    pub(super) fn kind_of(&mut self, name: &str, schema: &Schema, pointer: &str) -> TypeKind {
        self.check_type(schema, pointer);
        let union = match &schema.schema_kind {
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::Any(a) => !a.one_of.is_empty() || !a.any_of.is_empty(),
            _ => false,
        };
        if schema.schema_data.discriminator.is_some() && !union {
            self.diags.push(
                Diagnostic::note(
                    join(pointer, "discriminator"),
                    "a discriminator on a schema that is no `oneOf`/`anyOf` (a base others extend with `allOf`): the base and each schema extending it are structs, the tag a field of each",
                )
                .hint("for an enum of the kinds, add a schema `oneOf` the extending schemas, with this discriminator"),
            );
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

    pub(super) fn any_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        any: &AnySchema,
        pointer: &str,
    ) -> TypeKind {
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

    pub(super) fn string_enum(
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
            if variants.iter().any(|v| &v.wire == wire) {
                continue;
            }
            let taken = |n: &str| n == "Other" || variants.iter().any(|v| v.name == n);
            let settled = names::unique(&name, taken);
            if settled != name {
                self.diags.push(
                    Diagnostic::note(
                        format!("{pointer}/enum/{i}"),
                        format!("enum value `{wire}` is the variant `{settled}`: `{name}` is taken"),
                    )
                    .hint("name the variants with `x-enum-varnames`"),
                );
            }
            let name = settled;
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

    pub(super) fn object(
        &mut self,
        name: &str,
        props: &[Prop],
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> TypeKind {
        let mut fields: Vec<Field> = Vec::new();
        for (wire, prop, at) in props {
            let (nullable, doc, default, rename, constraints) = match prop {
                ReferenceOr::Item(s) => (
                    s.schema_data.nullable,
                    non_empty(&s.schema_data.description),
                    s.schema_data.default.clone(),
                    self.given_name(&s.schema_data.extensions, "x-rust-name", at),
                    self.constraints(s, at),
                ),
                // A schema that is nullable itself is nullable wherever it is referenced.
                // What a referenced schema allows is on its own type's page.
                ReferenceOr::Reference { reference } => {
                    (self.referenced_nullable(reference), None, None, None, None)
                }
            };
            let wanted = rename.unwrap_or_else(|| names::field(wire));
            let taken = |n: &str| n == "additional_properties" || fields.iter().any(|f| f.name == n);
            let field_name = names::unique(&wanted, taken);
            if field_name != wanted {
                let msg = format!("property `{wire}` is the field `{field_name}`: `{wanted}` is taken");
                self.diags
                    .push(Diagnostic::note(at, msg).hint("name it with `x-rust-name` on its schema"));
            }
            let ty = self.type_ref(prop, &format!("{name}{}", names::type_name(wire)), at);
            let setter = if field_name == "new" {
                "set_new".to_string()
            } else {
                field_name.clone()
            };
            fields.push(Field {
                setter,
                wire: wire.clone(),
                name: field_name,
                ty,
                required: required.contains(wire),
                nullable,
                doc,
                default,
                // Settled once every type is known (`crate::cycles`).
                boxed: false,
                flatten: false,
                constraints,
            });
        }
        for r in required {
            if !props.iter().any(|(k, _, _)| k == r) {
                let msg =
                    format!("`{r}` is required but not among the properties, so no field is made for it");
                self.diags.push(
                    Diagnostic::note(join(pointer, "required"), msg)
                        .hint("add the property or remove it from `required`"),
                );
            }
        }
        let (additional, deny_unknown) = match additional {
            Some(AdditionalProperties::Any(false)) => (None, true),
            Some(AdditionalProperties::Any(true)) => (Some(TypeRef::Json), false),
            Some(AdditionalProperties::Schema(s)) => {
                let ty = self.type_ref(s, &format!("{name}Value"), &join(pointer, "additionalProperties"));
                (Some(self.or_null(s, ty)), false)
            }
            None => (None, false),
        };
        TypeKind::Struct {
            fields,
            additional,
            deny_unknown,
        }
    }

    /// The `allOf` of the schema at `pointer` (whose members are `members`), read as
    /// `specwright_oas::all_of` says, with what stands beside it in that schema.
    fn read_all_of(&self, members: &[ReferenceOr<Schema>], pointer: &str) -> AllOfRead {
        let owned;
        let read = match self.raw.pointer(pointer) {
            Some(schema) if schema.get("allOf").is_some() || schema.get("properties").is_some() => {
                all_of::read_schema(self.raw, schema, pointer)
            }
            _ => {
                owned = serde_json::to_value(members).unwrap_or_default();
                let raw_members = owned.as_array().map(Vec::as_slice).unwrap_or_default();
                all_of::read(self.raw, raw_members, &join(pointer, "allOf"))
            }
        };
        match read {
            // An annotation beside the members can be the one that "says what it is" only
            // where the member list is empty: then nothing is merged.
            all_of::AllOf::One(i, _) if i < members.len() => AllOfRead::One(i),
            all_of::AllOf::One(..) => AllOfRead::Merged(Box::default()),
            all_of::AllOf::Merged(m) => AllOfRead::Merged(Box::new(MergedOwned {
                properties: m
                    .properties
                    .into_iter()
                    .map(|(n, s, at)| (n, s.clone(), at))
                    .collect(),
                required: m.required,
                additional: m.additional.cloned(),
                choices: m
                    .choices
                    .into_iter()
                    .zip(m.choices_at)
                    .map(|((k, v), at)| (k, v.clone(), at))
                    .collect(),
                left_out: m.left_out,
                overridden: m.overridden,
            })),
        }
    }

    /// An `allOf`, read as `specwright_oas::all_of` says: the type of the one member that says
    /// what the value is, or its objects (and the schema's own properties) merged into one
    /// struct, each `oneOf`/`anyOf` among them a flattened field of its union type.
    pub(super) fn all_of(&mut self, name: &str, members: &[ReferenceOr<Schema>], pointer: &str) -> TypeKind {
        let at = join(pointer, "allOf");
        let merged = match self.read_all_of(members, pointer) {
            AllOfRead::Merged(merged) => merged,
            AllOfRead::One(i) => {
                let member_at = format!("{at}/{i}");
                return match &members[i] {
                    // The one member that says what the value is, named as the whole.
                    ReferenceOr::Item(member) => self.kind_of(name, member, &member_at),
                    member => TypeKind::Alias(self.type_ref(member, &format!("{name}Base"), &member_at)),
                };
            }
        };
        for left in &merged.left_out {
            self.diags.push(
                Diagnostic::note(
                    left,
                    "an `allOf` member that is not an object, beside objects: left out of the merge",
                )
                .hint("merge only object schemas, or use `oneOf`"),
            );
        }
        for lost in &merged.overridden {
            self.diags.push(
                Diagnostic::note(
                    lost,
                    "a property an `allOf` member declares again, differently: the later declaration is kept",
                )
                .hint("declare each property once, or the same way"),
            );
        }
        let mut props: Vec<Prop> = Vec::new();
        for (prop_name, schema, prop_at) in &merged.properties {
            match ReferenceOr::<Schema>::deserialize(schema) {
                Ok(schema) => props.push((prop_name.clone(), schema, prop_at.clone())),
                Err(e) => self
                    .diags
                    .push(Diagnostic::new(prop_at, format!("not a schema: {e}"))),
            }
        }
        let additional = merged
            .additional
            .as_ref()
            .and_then(|a| AdditionalProperties::deserialize(a).ok());
        let mut kind = self.object(name, &props, &merged.required, additional.as_ref(), pointer);
        if let TypeKind::Struct {
            fields, deny_unknown, ..
        } = &mut kind
        {
            for (key, variants, choice_at) in &merged.choices {
                let schema = serde_json::json!({ *key: variants });
                let Ok(schema) = Schema::deserialize(&schema) else {
                    self.diags.push(Diagnostic::new(
                        choice_at,
                        format!("`{key}` is not a list of schemas"),
                    ));
                    continue;
                };
                let wanted = names::field(key);
                let field_name = names::unique(&wanted, |n| {
                    n == "additional_properties" || fields.iter().any(|f| f.name == n)
                });
                let ty = self.inline(&schema, &format!("{name}{}", names::type_name(key)), choice_at);
                fields.push(Field {
                    wire: field_name.clone(),
                    setter: field_name.clone(),
                    name: field_name,
                    ty,
                    required: true,
                    nullable: false,
                    doc: None,
                    default: None,
                    boxed: false,
                    flatten: true,
                    constraints: None,
                });
            }
            // Unknown fields are the flattened union's to read.
            if fields.iter().any(|f| f.flatten) {
                *deny_unknown = false;
            }
        }
        kind
    }

    /// Where an `allOf` is not a merge of objects, the member whose type it takes (see
    /// `specwright_oas::all_of`); `None`: its objects are merged.
    pub(super) fn all_of_alone(&mut self, members: &[ReferenceOr<Schema>], pointer: &str) -> Option<usize> {
        match self.read_all_of(members, pointer) {
            AllOfRead::One(i) => Some(i),
            AllOfRead::Merged(_) => None,
        }
    }

    pub(super) fn union(
        &mut self,
        name: &str,
        schema: &Schema,
        variants: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> TypeKind {
        if let Some(d) = &schema.schema_data.discriminator {
            if let Some(kind) = self.discriminated(variants, d, pointer) {
                return kind;
            }
        }
        let mut resolved: Vec<(Schema, String, Option<String>)> = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            let at = format!("{pointer}/{i}");
            match v {
                ReferenceOr::Reference { reference } => {
                    let component = reference
                        .strip_prefix("#/components/schemas/")
                        .and_then(|k| self.components.get(&pointer::unescape(k)))
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
        let keys: Vec<String> = resolved
            .iter()
            .filter_map(|(s, _, _)| single_key(s).map(|(k, _)| k))
            .collect();
        let distinct_keys = keys.iter().collect::<HashSet<_>>().len() == keys.len();
        if keys.len() == resolved.len() && distinct_keys && !resolved.is_empty() {
            return self.tagged(name, &resolved);
        }
        self.untagged(name, variants, &resolved, pointer)
    }

    pub(super) fn tagged(&mut self, name: &str, resolved: &[(Schema, String, Option<String>)]) -> TypeKind {
        let mut out: Vec<TaggedVariant> = Vec::new();
        for (schema, at, _) in resolved {
            let Some((key, inner)) = single_key(schema) else {
                continue;
            };
            let wanted = self
                .given_name(&schema.schema_data.extensions, "x-rust-name", at)
                .unwrap_or_else(|| names::type_name(&key));
            let variant = names::unique(&wanted, |n| out.iter().any(|v| v.name == n));
            let method = self
                .given_name(&schema.schema_data.extensions, "x-rust-method", at)
                .unwrap_or_else(|| names::field(&key));
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
                boxed: false,
                doc,
                method,
            });
        }
        TypeKind::Tagged { variants: out }
    }

    pub(super) fn untagged(
        &mut self,
        name: &str,
        variants: &[ReferenceOr<Schema>],
        resolved: &[(Schema, String, Option<String>)],
        pointer: &str,
    ) -> TypeKind {
        let mut out: Vec<(UntaggedVariant, Shape)> = Vec::new();
        for (i, (v, (schema, at, component))) in variants.iter().zip(resolved).enumerate() {
            let title = non_empty(&schema.schema_data.title).map(|t| names::type_name(&t));
            let wanted = self
                .given_name(&schema.schema_data.extensions, "x-rust-name", at)
                .or_else(|| component.clone())
                .or(title)
                .unwrap_or_else(|| format!("Variant{}", i + 1));
            let variant_name = names::unique(&wanted, |n| out.iter().any(|(u, _)| u.name == n));
            let hint = format!("{name}{variant_name}");
            let ty = self.type_ref(v, &hint, &format!("{pointer}/{i}"));
            let shape = shape_of(schema);
            if let Some((prev, _)) = out.iter().find(|(_, s)| *s == shape) {
                let msg = format!(
                    "variants `{}` and `{variant_name}` of `{name}` have the same JSON type and required fields: a value is read as the first of them it fits, in the spec's order",
                    prev.name
                );
                self.diags.push(
                    Diagnostic::note(at, msg)
                        .hint("make their `required` fields differ, or add a single-key wrapper"),
                );
            }
            out.push((
                UntaggedVariant {
                    name: variant_name,
                    ty,
                    boxed: false,
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
    pub(super) fn type_ref(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => {
                if let Some(key) = reference.strip_prefix("#/components/schemas/") {
                    let key = pointer::unescape(key);
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

    pub(super) fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
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
            let name = self
                .given_name(&schema.schema_data.extensions, "x-rust-name", pointer)
                .unwrap_or_else(|| hint.to_string());
            let name = self.claim(&name, pointer);
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

    pub(super) fn inline_primitive(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        use openapiv3::VariantOrUnknownOrEmpty::Item;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let format = match &s.format {
                    Item(openapiv3::StringFormat::DateTime) => Some(StringFormat::DateTime),
                    Item(openapiv3::StringFormat::Date) => Some(StringFormat::Date),
                    Item(openapiv3::StringFormat::Byte) => Some(StringFormat::Base64),
                    openapiv3::VariantOrUnknownOrEmpty::Unknown(f) => StringFormat::of(f),
                    _ => None,
                };
                self.string_of(format)
            }
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => self.array_of(a.items.as_ref(), hint, pointer),
            SchemaKind::Type(Type::Object(o)) => self.map_of(o.additional_properties.as_ref(), hint, pointer),
            SchemaKind::Any(a) => match a.typ.as_deref() {
                Some("string") => self.string_of(a.format.as_deref().and_then(StringFormat::of)),
                Some("integer") => TypeRef::I64,
                Some("number") => TypeRef::F64,
                Some("boolean") => TypeRef::Bool,
                Some("array") => self.array_of(a.items.as_ref(), hint, pointer),
                Some("object") => self.map_of(a.additional_properties.as_ref(), hint, pointer),
                _ => TypeRef::Json,
            },
            _ => TypeRef::Json,
        }
    }

    /// A string, of its format's type where the settings type formats.
    fn string_of(&self, format: Option<StringFormat>) -> TypeRef {
        match format {
            Some(format) if self.settings.typed_formats => TypeRef::Formatted(format),
            _ => TypeRef::String,
        }
    }

    /// `Vec` of the items' type (any JSON where the schema gives none).
    fn array_of(&mut self, items: Option<&ReferenceOr<Box<Schema>>>, hint: &str, pointer: &str) -> TypeRef {
        let item = match items {
            Some(items) => {
                let items = items.clone().unbox();
                let ty = self.type_ref(&items, &format!("{hint}Item"), &join(pointer, "items"));
                self.or_null(&items, ty)
            }
            None => TypeRef::Json,
        };
        TypeRef::Vec(Box::new(item))
    }

    /// A map of the `additionalProperties` schema's type, or a free-form JSON object.
    fn map_of(&mut self, additional: Option<&AdditionalProperties>, hint: &str, pointer: &str) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let ty = self.type_ref(s, &format!("{hint}Value"), &join(pointer, "additionalProperties"));
                TypeRef::Map(Box::new(self.or_null(s, ty)))
            }
            _ => TypeRef::JsonObject,
        }
    }

    /// `ty` in `Option` where `schema` (or what it references) says `nullable: true`: for
    /// array items and map values, where no field says so.
    pub(super) fn or_null(&self, schema: &ReferenceOr<Schema>, ty: TypeRef) -> TypeRef {
        let nullable = match schema {
            ReferenceOr::Item(s) => s.schema_data.nullable,
            ReferenceOr::Reference { reference } => self.referenced_nullable(reference),
        };
        // `Json` holds `null` already.
        if nullable && !matches!(ty, TypeRef::Json | TypeRef::Nullable(_)) {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }
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
    pub(super) fn order(&self) -> (u8, usize) {
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

/// An `allOf` as lowering uses it: see `specwright_oas::all_of::AllOf`.
enum AllOfRead {
    One(usize),
    Merged(Box<MergedOwned>),
}

/// `specwright_oas::all_of::Merged`, owned.
#[derive(Default)]
struct MergedOwned {
    properties: Vec<(String, Value, String)>,
    required: Vec<String>,
    additional: Option<Value>,
    /// `("oneOf" | "anyOf", its variants, where)`.
    choices: Vec<(&'static str, Value, String)>,
    left_out: Vec<String>,
    overridden: Vec<String>,
}
