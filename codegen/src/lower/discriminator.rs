//! `oneOf`/`anyOf` with a `discriminator` → an enum tagged by that property.
//!
//! Each variant is a `$ref` to a component object; its tag values are those the `mapping`
//! gives it (a `#/components/schemas/X` reference or a bare `X`), else the component's
//! name, as OpenAPI says. The enum writes and reads the tag itself, so the variant's own
//! tag property (often a one-value enum) is made optional: nobody fills it in, and it is
//! never written twice. Whatever does not fit (an inline variant, a non-object variant, a
//! tag value used twice, a variant whose tag property cannot hold its value) falls back to
//! the shape-based union, with a note saying why.

use super::*;
use crate::ir::DiscriminatedVariant;
use specwright_oas::all_of;

impl Lower<'_> {
    /// The discriminated enum, or `None` (and a note) where it cannot be one.
    pub(super) fn discriminated(
        &mut self,
        variants: &[ReferenceOr<Schema>],
        discriminator: &openapiv3::Discriminator,
        pointer: &str,
    ) -> Option<TypeKind> {
        // `pointer` is the `oneOf`'s; the discriminator stands beside it.
        let at = join(pointer.rsplit_once('/').map_or("", |(p, _)| p), "discriminator");
        let tag = discriminator.property_name.clone();
        let fallback = |lower: &mut Self, why: String| -> Option<TypeKind> {
            lower.diags.push(
                Diagnostic::note(&at, format!("{why}: the union is told apart by shape instead"))
                    .hint("make every variant a `$ref` to an object schema, each with its own tag value"),
            );
            None
        };
        if tag.is_empty() {
            return fallback(self, "the discriminator names no property".into());
        }
        // Per variant: its component key, Rust type name, and pointer.
        let mut keys: Vec<(String, String, String)> = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            let ReferenceOr::Reference { reference } = v else {
                return fallback(self, format!("variant {i} is not a `$ref` to a component"));
            };
            let key = reference
                .strip_prefix("#/components/schemas/")
                .map(pointer::unescape)
                .filter(|k| !k.contains('/'));
            let Some((key, rust)) = key.and_then(|k| self.components.get(&k).map(|r| (k, r.clone()))) else {
                return fallback(
                    self,
                    format!("variant {i} `{reference}` is not a component schema"),
                );
            };
            let variant_at = join("/components/schemas", &key);
            if !self.is_object(&variant_at) {
                return fallback(self, format!("variant `{key}` is not an object"));
            }
            keys.push((key, rust, variant_at));
        }
        let mut values: Vec<Vec<String>> = vec![Vec::new(); keys.len()];
        for (value, target) in &discriminator.mapping {
            let target_key = match target.strip_prefix("#/components/schemas/") {
                Some(k) => pointer::unescape(k),
                None => target.clone(),
            };
            match keys.iter().position(|(k, _, _)| *k == target_key) {
                Some(i) => values[i].push(value.clone()),
                None => self.diags.push(
                    Diagnostic::note(
                        join(&join(&at, "mapping"), value),
                        format!("`{value}` maps to `{target}`, which is not among the variants: left out"),
                    )
                    .hint("map each value to one of the `oneOf` schemas"),
                ),
            }
        }
        let mut out: Vec<DiscriminatedVariant> = Vec::new();
        for ((key, rust, variant_at), values) in keys.iter().zip(values) {
            let values = if values.is_empty() {
                vec![key.clone()]
            } else {
                values
            };
            if let Some(why) = self.tag_conflict(variant_at, &tag, &values) {
                return fallback(self, why);
            }
            for value in &values {
                if out.iter().any(|v| v.value == *value) {
                    return fallback(self, format!("the tag value `{value}` names two variants"));
                }
                let wanted = if values.len() == 1 {
                    rust.clone()
                } else {
                    names::type_name(value)
                };
                let name = names::unique(&wanted, |n| n == "Other" || out.iter().any(|v| v.name == n));
                out.push(DiscriminatedVariant {
                    name,
                    value: value.clone(),
                    ty: TypeRef::Named(rust.clone()),
                    boxed: false,
                });
            }
        }
        Some(TypeKind::Discriminated { tag, variants: out })
    }

    /// Whether the schema at `at` is an object: properties of its own, or an `allOf`
    /// merging objects.
    fn is_object(&self, at: &str) -> bool {
        let Some(schema) = self.raw.pointer(at) else {
            return false;
        };
        let typ = schema.get("type").and_then(Value::as_str);
        if schema.get("allOf").is_some() {
            return matches!(
                all_of::read_schema(self.raw, schema, at),
                all_of::AllOf::Merged(_)
            );
        }
        typ == Some("object") || (typ.is_none() && schema.get("properties").is_some())
    }

    /// Why the variant at `at` cannot carry `values` in its property `tag`, if it cannot:
    /// a tag is a string, and a variant's enum of tags must hold each value.
    fn tag_conflict(&self, at: &str, tag: &str, values: &[String]) -> Option<String> {
        let schema = self.raw.pointer(at)?;
        let declared = match all_of::read_schema(self.raw, schema, at) {
            all_of::AllOf::Merged(m) => m
                .properties
                .into_iter()
                .find(|(n, _, _)| n == tag)
                .map(|(_, s, _)| s),
            all_of::AllOf::One(..) => schema.get("properties").and_then(|p| p.get(tag)),
        };
        let declared = pointer::follow_refs(self.raw, declared?);
        let typ = declared.get("type").and_then(Value::as_str);
        if typ.is_some_and(|t| t != "string") {
            return Some(format!(
                "the variant `{at}` declares `{tag}` as {}, not a string",
                typ.unwrap_or_default()
            ));
        }
        let listed = declared.get("enum").and_then(Value::as_array)?;
        let missing = values
            .iter()
            .find(|v| !listed.iter().any(|l| l.as_str() == Some(v)))?;
        Some(format!(
            "the variant `{at}` does not list `{missing}` among the values of `{tag}`"
        ))
    }
}

/// A variant's tag property is the enum's to write: it stops being a required field. Where
/// the type stands alone, it still reads and writes it.
pub(super) fn free_tags(types: &mut [TypeDef]) {
    let tagged: Vec<(String, String, String)> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Discriminated { tag, variants } => Some(
                variants
                    .iter()
                    .filter_map(|v| match &v.ty {
                        TypeRef::Named(n) => Some((n.clone(), tag.clone(), t.name.clone())),
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    for (variant, tag, union) in tagged {
        let Some(TypeDef {
            kind: TypeKind::Struct { fields, .. },
            ..
        }) = types.iter_mut().find(|t| t.name == variant)
        else {
            continue;
        };
        if let Some(field) = fields.iter_mut().find(|f| f.wire == tag && !f.flatten) {
            if field.required {
                field.required = false;
                let note = format!("Inside a `{union}` the enum writes `{tag}` itself: leave it `None`.");
                field.doc = Some(match field.doc.take() {
                    Some(doc) => format!("{doc}\n\n{note}"),
                    None => note,
                });
            }
        }
    }
}
