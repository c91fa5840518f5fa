//! `oneOf`/`anyOf` → enums: externally tagged where every variant is a single-key object,
//! else untagged, told apart by shape. Discriminated unions: `lower/discriminator.rs`.

use super::*;

impl Lower<'_> {
    /// A `oneOf`/`anyOf` → an enum: discriminated where a discriminator says so
    /// (`lower/discriminator.rs`), else externally tagged where every variant is a distinct
    /// single-key object, else untagged.
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

    /// Single-key object variants → an externally tagged enum, a client method per variant.
    fn tagged(&mut self, name: &str, resolved: &[(Schema, String, Option<String>)]) -> TypeKind {
        let mut out: Vec<TaggedVariant> = Vec::new();
        let mut scope = names::Scope::default();
        for (schema, at, _) in resolved {
            let Some((key, inner)) = single_key(schema) else {
                continue;
            };
            let wanted = self
                .given_name(&schema.schema_data.extensions, "x-rust-name", at)
                .unwrap_or_else(|| names::type_name(&key));
            let variant = scope.settle(&wanted);
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

    /// Variants told apart by shape → an untagged enum, ordered so serde tries the most
    /// specific first.
    fn untagged(
        &mut self,
        name: &str,
        variants: &[ReferenceOr<Schema>],
        resolved: &[(Schema, String, Option<String>)],
        pointer: &str,
    ) -> TypeKind {
        let mut out: Vec<(UntaggedVariant, Shape)> = Vec::new();
        let mut scope = names::Scope::default();
        for (i, (v, (schema, at, component))) in variants.iter().zip(resolved).enumerate() {
            let title = non_empty(&schema.schema_data.title).map(|t| names::type_name(&t));
            let wanted = self
                .given_name(&schema.schema_data.extensions, "x-rust-name", at)
                .or_else(|| component.clone())
                .or(title)
                .unwrap_or_else(|| format!("Variant{}", i + 1));
            let variant_name = scope.settle(&wanted);
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
