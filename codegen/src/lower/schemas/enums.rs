//! String `enum`s → open enums: unknown values read into `Other(String)`.

use super::*;

impl Lower<'_> {
    /// A string `enum` → an open enum: a variant per value (`x-enum-varnames` names them),
    /// `Other` for the rest, `x-transitional` noted for waiters.
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
        let mut seen = std::collections::HashSet::new();
        let mut scope = names::Scope::reserving(&["Other"]);
        for (i, wire) in values.iter().enumerate() {
            if !seen.insert(wire.as_str()) {
                continue;
            }
            let name = overrides
                .get(i)
                .map(|n| names::type_name(n))
                .unwrap_or_else(|| names::type_name(wire));
            let settled = scope.settle(&name);
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
                let by_wire: std::collections::HashMap<&str, &str> = variants
                    .iter()
                    .map(|v| (v.wire.as_str(), v.name.as_str()))
                    .collect();
                a.iter()
                    .filter_map(Value::as_str)
                    .filter_map(|w| by_wire.get(w).map(|n| n.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        TypeKind::StringEnum {
            variants,
            default,
            transitional,
        }
    }
}
