//! Objects → structs: a field per property, and what `additionalProperties` allows.

use super::*;

impl Lower<'_> {
    /// An object with properties → a struct: a field per property, in the spec's order, and
    /// what `additionalProperties` allows beside them.
    pub(super) fn object(
        &mut self,
        name: &str,
        props: &[Prop],
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> TypeKind {
        let mut fields: Vec<Field> = Vec::new();
        let mut scope = names::Scope::reserving(&["additional_properties"]);
        let is_required: std::collections::HashSet<&str> = required.iter().map(String::as_str).collect();
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
            let field_name = scope.settle(&wanted);
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
                required: is_required.contains(wire.as_str()),
                nullable,
                doc,
                default,
                // Settled once every type is known (`crate::cycles`).
                boxed: false,
                flatten: false,
                constraints,
            });
        }
        let declared: std::collections::HashSet<&str> = props.iter().map(|(k, _, _)| k.as_str()).collect();
        for r in required {
            if !declared.contains(r.as_str()) {
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
}
