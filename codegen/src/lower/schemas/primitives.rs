//! Strings (typed formats where the settings say so), numbers, booleans, arrays and maps;
//! `nullable` array items and map values.

use super::*;

impl Lower<'_> {
    /// A string, number, boolean, array or map, as a Rust type (any JSON where the schema
    /// says nothing).
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
            // `format: float` too: every `f32` is an `f64`, and a value beyond `f32`'s range
            // (Prism's fakes send −2¹²⁸) would fail the whole body as an `f32`.
            SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
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
    pub(in crate::lower) fn or_null(&self, schema: &ReferenceOr<Schema>, ty: TypeRef) -> TypeRef {
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
