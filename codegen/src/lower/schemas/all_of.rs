//! `allOf` → the type of the one member that says what the value is, or its objects (and
//! what stands beside them) merged into one struct.

use super::*;
use specwright_oas::all_of;

impl Lower<'_> {
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
