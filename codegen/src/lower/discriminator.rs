//! `oneOf`/`anyOf` with a `discriminator` → an enum tagged by that property.
//!
//! Each variant is a `$ref` to a component object; its tag values are those the `mapping`
//! gives it (a `#/components/schemas/X` reference or a bare `X`), else the component's
//! `x-ms-discriminator-value` (Azure's specs), else its name, as OpenAPI says. The enum writes and reads the tag itself, so the variant's own
//! tag property (often a one-value enum) is made optional: nobody fills it in, and it is
//! never written twice. Whatever does not fit (an inline variant, a non-object variant, a
//! tag value used twice, a variant whose tag property cannot hold its value) falls back to
//! the shape-based union, with a note saying why.
//!
//! A discriminator on a component with no `oneOf` (Swagger's inheritance: a base the
//! others extend with `allOf`) makes the same enum of the kinds that extend the base or
//! that its `mapping` names; each kind stays a struct with the base's fields merged in.

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
        self.discriminated_or(
            variants,
            discriminator,
            pointer,
            "the union is told apart by shape instead",
        )
    }

    /// [`discriminated`](Self::discriminated), saying `instead` what becomes of the schema
    /// where it cannot be an enum.
    fn discriminated_or(
        &mut self,
        variants: &[ReferenceOr<Schema>],
        discriminator: &openapiv3::Discriminator,
        pointer: &str,
        instead: &str,
    ) -> Option<TypeKind> {
        // `pointer` is the `oneOf`'s; the discriminator stands beside it.
        let at = join(pointer.rsplit_once('/').map_or("", |(p, _)| p), "discriminator");
        let tag = discriminator.property_name.clone();
        let fallback = |lower: &mut Self, why: String| -> Option<TypeKind> {
            lower.diags.push(
                Diagnostic::note(&at, format!("{why}: {instead}"))
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
                        format!("`{value}` maps to `{target}`, which is no variant: a value so tagged is kept whole in `Other`"),
                    )
                    .hint("map each value to a schema of its own kind"),
                ),
            }
        }
        let mut out: Vec<DiscriminatedVariant> = Vec::new();
        let mut scope = names::Scope::reserving(&["Other"]);
        let mut tags = std::collections::HashSet::new();
        for ((key, rust, variant_at), values) in keys.iter().zip(values) {
            // Unmapped: the value the schema names for itself (Azure's
            // `x-ms-discriminator-value`, as AutoRest reads it), else its name.
            let values = if values.is_empty() {
                vec![self.own_tag_value(variant_at).unwrap_or_else(|| key.clone())]
            } else {
                values
            };
            if let Some(why) = self.tag_conflict(variant_at, &tag, &values) {
                return fallback(self, why);
            }
            for value in &values {
                if !tags.insert(value.clone()) {
                    return fallback(self, format!("the tag value `{value}` names two variants"));
                }
                let wanted = if values.len() == 1 {
                    rust.clone()
                } else {
                    names::type_name(value)
                };
                let name = scope.settle(&wanted);
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

    /// A component schema with a discriminator and no `oneOf` (Swagger's inheritance: a
    /// base the others extend with `allOf`) as the enum of its kinds: each component the
    /// `mapping` names, or that extends the base through a chain of `allOf`s, that is an
    /// object of its own (not the base renamed) and, unmapped, can carry its own tag value
    /// (else it is a middle others extend) is a variant; a value of the base's own kind, or
    /// of one this client does not know, is kept whole in `Other`. The kinds stay structs,
    /// each with the base's fields merged in. `None` (with a note) when it is not a
    /// component, nothing extends it, or the kinds cannot be told apart.
    pub(super) fn discriminated_base(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        pointer: &str,
    ) -> Option<TypeKind> {
        let at = join(pointer, "discriminator");
        let note = |lower: &mut Self, why: &str| {
            lower.diags.push(
                Diagnostic::note(&at, format!("a discriminator on a schema that is no `oneOf`/`anyOf`, {why}: a struct, the tag a field of it"))
                    .hint("map the tag's values to component schemas that extend this one"),
            );
        };
        let Some(base) = pointer
            .strip_prefix("/components/schemas/")
            .filter(|k| !k.contains('/'))
            .map(pointer::unescape)
        else {
            note(self, "and no component schema");
            return None;
        };
        let mapped: Vec<String> = discriminator
            .mapping
            .values()
            .map(|target| component_key(target).unwrap_or_else(|| target.clone()))
            .collect();
        let extending = self.extending(&base);
        let tag = &discriminator.property_name;
        // The object a kind that only renames the base would be: the base's own shape.
        let base_shape = self.object_behind(pointer, 0);
        let mut seen = HashSet::new();
        let mut kinds = Vec::new();
        for key in mapped.iter().chain(&extending) {
            let at = join("/components/schemas", key);
            let behind = self.object_behind(&at, 0);
            let own_discriminator = self
                .raw
                .pointer(&at)
                .is_some_and(|s| s.get("discriminator").is_some());
            if *key == base
                || !seen.insert(key.clone())
                || !self.components.contains_key(key)
                // The base renamed would hold itself.
                || behind.is_none()
                || behind.as_deref() == Some(pointer)
                || behind == base_shape
                // A base of its own: its kinds extend this one too, and are variants here.
                || own_discriminator
            {
                continue;
            }
            // An unmapped kind whose tag cannot hold its own value is a middle others extend.
            let value = self.own_tag_value(&at).unwrap_or_else(|| key.clone());
            if !mapped.contains(key) && self.tag_conflict(&at, tag, &[value]).is_some() {
                continue;
            }
            kinds.push(key.clone());
        }
        if kinds.is_empty() {
            let why = if extending.is_empty() && mapped.is_empty() {
                "which no component schema extends (`allOf`) or is mapped to".to_string()
            } else {
                format!(
                    "whose extensions ({}) are no kinds of their own: each the base renamed, a base itself, or one whose `{tag}` cannot hold its name, and the mapping names none",
                    extending.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
                )
            };
            note(self, &why);
            return None;
        }
        let variants: Vec<ReferenceOr<Schema>> = kinds
            .iter()
            .map(|k| ReferenceOr::Reference {
                reference: format!("#/components/schemas/{}", pointer::escape(k)),
            })
            .collect();
        // `discriminated` reads the discriminator beside a `oneOf`: here, beside the base's
        // properties.
        self.discriminated_or(
            &variants,
            discriminator,
            &join(pointer, "oneOf"),
            "the base and the schemas extending it are structs, the tag a field of each",
        )
    }

    /// The component schemas extending `base` through any chain of `allOf`s (Azure's
    /// leaves extend an abstract middle), in the document's order. The index of who
    /// extends whom is built once per lowering.
    fn extending(&mut self, base: &str) -> Vec<String> {
        let raw = self.raw;
        let Some(schemas) = raw.pointer("/components/schemas").and_then(Value::as_object) else {
            return Vec::new();
        };
        let children = self.children.get_or_insert_with(|| {
            let mut children: HashMap<String, Vec<String>> = HashMap::new();
            for (key, schema) in schemas {
                let members = schema
                    .get("allOf")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten();
                for parent in members
                    .filter_map(|m| m.get("$ref").and_then(Value::as_str))
                    .filter_map(component_key)
                {
                    children.entry(parent).or_default().push(key.clone());
                }
            }
            children
        });
        let mut family: HashSet<&str> = HashSet::from([base]);
        let mut queue = vec![base];
        while let Some(parent) = queue.pop() {
            for child in children.get(parent).into_iter().flatten() {
                if family.insert(child.as_str()) {
                    queue.push(child.as_str());
                }
            }
        }
        schemas
            .keys()
            .filter(|k| k.as_str() != base && family.contains(k.as_str()))
            .cloned()
            .collect()
    }

    /// The tag value a schema names for itself: Azure's `x-ms-discriminator-value`, as
    /// AutoRest reads it.
    fn own_tag_value(&self, at: &str) -> Option<String> {
        let value = self.raw.pointer(at)?.get("x-ms-discriminator-value")?;
        value.as_str().map(str::to_string)
    }

    /// Whether the schema at `at` is an object: see [`object_behind`](Self::object_behind).
    fn is_object(&self, at: &str) -> bool {
        self.object_behind(at, 0).is_some()
    }

    /// The pointer of the object schema that gives the schema at `at` its shape: its own
    /// (properties of its own, or an `allOf` merging objects), or, for an `allOf` whose
    /// one member says what it is (Azure's kinds that only name their tag value), that
    /// member's. `None` for anything not an object.
    fn object_behind(&self, at: &str, depth: usize) -> Option<String> {
        let schema = self.raw.pointer(at)?;
        if schema.get("allOf").is_some() {
            return match all_of::read_schema(self.raw, schema, at) {
                all_of::AllOf::Merged(_) => Some(at.to_string()),
                all_of::AllOf::One(i, _) if depth < specwright_oas::schema::MAX_DEPTH => {
                    let member = schema.get("allOf")?.get(i)?;
                    let target = pointer::fragment(member.get("$ref")?.as_str()?)?.into_owned();
                    self.object_behind(&target, depth + 1)
                }
                all_of::AllOf::One(..) => None,
            };
        }
        let typ = schema.get("type").and_then(Value::as_str);
        (typ == Some("object") || (typ.is_none() && schema.get("properties").is_some()))
            .then(|| at.to_string())
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
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    for (variant, tag, union) in tagged {
        // A kind that only names its tag value is an alias of the struct it renames.
        let mut at = index.get(&variant).copied();
        for _ in 0..16 {
            match at.map(|i| &types[i].kind) {
                Some(TypeKind::Alias(TypeRef::Named(target))) => at = index.get(target).copied(),
                _ => break,
            }
        }
        let Some(TypeKind::Struct { fields, .. }) = at.map(|i| &mut types[i].kind) else {
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

/// The component schema key a `$ref` names (`#/components/schemas/X`), if it names one.
fn component_key(reference: &str) -> Option<String> {
    reference
        .strip_prefix("#/components/schemas/")
        .map(pointer::unescape)
        .filter(|k| !k.contains('/'))
}
