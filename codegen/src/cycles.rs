//! Types that contain each other: Rust needs a `Box` somewhere on every cycle of direct
//! containment, or the types have infinite size (Stripe's `Customer` holds a `Card` that
//! holds a `Customer`). A pass on the IR: every struct field that points back into its own
//! cycle is boxed, and so is every enum variant and newtype that does. `Vec` and maps hold
//! their items on the heap already, so they end a path; an `Option` does not.
//!
//! Type aliases are expanded eagerly, so Rust refuses any alias that names itself, even
//! behind a `Vec` (`type A = Vec<A>`): an alias on a cycle of aliases becomes a newtype,
//! transparent on the wire.

use std::collections::HashMap;

use crate::Diagnostic;
use crate::ir::{TypeDef, TypeKind, TypeRef};

/// The named type `ty` holds directly (inline, not behind a `Vec` or a map), if any.
fn direct(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        TypeRef::Nullable(inner) => direct(inner),
        _ => None,
    }
}

/// Every named type `ty` mentions, however deep.
fn mentioned<'a>(ty: &'a TypeRef, out: &mut Vec<&'a str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => mentioned(inner, out),
        _ => {}
    }
}

/// The types each type holds directly.
fn edges(t: &TypeDef) -> Vec<&str> {
    match &t.kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Tagged { variants } => variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Untagged { variants } => variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Discriminated { variants, .. } => variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype { ty, .. } => direct(ty).into_iter().collect(),
        TypeKind::StringEnum { .. } => Vec::new(),
    }
}

/// The aliases each alias names, however deep (`type A = Vec<B>` names `B`).
fn alias_edges(t: &TypeDef) -> Vec<&str> {
    let mut out = Vec::new();
    if let TypeKind::Alias(ty) = &t.kind {
        mentioned(ty, &mut out);
    }
    out
}

/// Strongly connected components of the graph `edges` draws (Tarjan's algorithm,
/// iterative so that a deep spec cannot overflow the stack): each type's component number,
/// and whether that component is a cycle (more than one type, or a type that holds itself).
fn components(types: &[TypeDef], edges: impl Fn(&TypeDef) -> Vec<&str>) -> (Vec<usize>, Vec<bool>) {
    let index_of: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let graph: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            edges(t)
                .into_iter()
                .filter_map(|n| index_of.get(n).copied())
                .collect()
        })
        .collect();
    let n = types.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let mut component = vec![usize::MAX; n];
    let (mut next, mut count) = (0, 0);
    let mut stack = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0)];
        while let Some(&(v, edge)) = work.last() {
            if edge == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = graph[v].get(edge) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    let mut size = vec![0usize; count];
    for c in &component {
        size[*c] += 1;
    }
    let cyclic = (0..n)
        .map(|v| size[component[v]] > 1 || graph[v].contains(&v))
        .collect();
    (component, cyclic)
}

/// Makes a newtype of every alias on a cycle of aliases, cuts the cycles no value can end
/// (see [`cut_bottomless`]), then boxes every struct field, enum variant and newtype whose
/// type is in its own cycle. Returns a note for each cut.
pub fn box_cycles(types: &mut [TypeDef]) -> Vec<Diagnostic> {
    let (_, cyclic) = components(types, |t| {
        alias_edges(t)
            .into_iter()
            .filter(|_| matches!(t.kind, TypeKind::Alias(_)))
            .collect()
    });
    for (t, cyclic) in types.iter_mut().zip(cyclic) {
        if let (true, TypeKind::Alias(ty)) = (cyclic, &t.kind) {
            t.kind = TypeKind::Newtype {
                ty: ty.clone(),
                boxed: false,
            };
        }
    }
    let notes = cut_bottomless(types);
    let (component, _) = components(types, edges);
    let component_of: HashMap<String, usize> = types
        .iter()
        .zip(&component)
        .map(|(t, c)| (t.name.clone(), *c))
        .collect();
    let in_own = |ty: &TypeRef, own: usize| direct(ty).and_then(|n| component_of.get(n)) == Some(&own);
    for (t, own) in types.iter_mut().zip(component) {
        match &mut t.kind {
            TypeKind::Struct { fields, .. } => {
                for f in fields {
                    f.boxed = in_own(&f.ty, own);
                }
            }
            TypeKind::Tagged { variants } => {
                for v in variants {
                    v.boxed = in_own(&v.ty, own);
                }
            }
            TypeKind::Untagged { variants } => {
                for v in variants {
                    v.boxed = in_own(&v.ty, own);
                }
            }
            TypeKind::Discriminated { variants, .. } => {
                for v in variants {
                    v.boxed = in_own(&v.ty, own);
                }
            }
            TypeKind::Newtype { ty, boxed } => *boxed = in_own(ty, own),
            TypeKind::Alias(_) | TypeKind::StringEnum { .. } => {}
        }
    }
    notes
}

/// A cycle through untagged unions and newtypes alone (`A: oneOf [A, string]`, `A:
/// allOf [B]`, `B: allOf [A]`) reads no JSON on its way round: decoding a value that fits
/// none of the other variants would go round forever. Such a variant is dropped, and such
/// a newtype is any JSON, each with a note. A struct or a single-key variant on the cycle
/// reads one level of the value each time round, so those cycles end with the value.
fn cut_bottomless(types: &mut [TypeDef]) -> Vec<Diagnostic> {
    let (component, cyclic) = components(types, edges);
    let hollow_kind = |k: &TypeKind| {
        matches!(
            k,
            TypeKind::Untagged { .. } | TypeKind::Newtype { .. } | TypeKind::Alias(_)
        )
    };
    let count = component.iter().max().map_or(0, |m| m + 1);
    let mut hollow = vec![true; count];
    for (t, c) in types.iter().zip(&component) {
        if !hollow_kind(&t.kind) {
            hollow[*c] = false;
        }
    }
    let component_of: HashMap<String, usize> = types
        .iter()
        .zip(&component)
        .map(|(t, c)| (t.name.clone(), *c))
        .collect();
    let mut notes = Vec::new();
    for ((t, own), cyclic) in types.iter_mut().zip(component).zip(cyclic) {
        if !cyclic || !hollow[own] {
            continue;
        }
        let in_own = |ty: &TypeRef| direct(ty).and_then(|n| component_of.get(n)) == Some(&own);
        match &mut t.kind {
            TypeKind::Untagged { variants } => {
                let before = variants.len();
                variants.retain(|v| !in_own(&v.ty));
                if variants.len() != before {
                    notes.push(
                        Diagnostic::note(
                            &t.pointer,
                            format!(
                                "`{}` is among its own variants, through no object: that variant is left out",
                                t.name
                            ),
                        )
                        .hint("a union that holds itself adds nothing; remove the variant"),
                    );
                }
                if variants.is_empty() {
                    t.kind = TypeKind::Alias(TypeRef::Json);
                }
            }
            TypeKind::Newtype { ty, .. } | TypeKind::Alias(ty) if in_own(ty) => {
                notes.push(
                    Diagnostic::note(
                        &t.pointer,
                        format!(
                            "`{}` is itself, through no object or array: it is any JSON value",
                            t.name
                        ),
                    )
                    .hint("give the schema a type of its own"),
                );
                t.kind = TypeKind::Alias(TypeRef::Json);
            }
            _ => {}
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Field;

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            wire: name.into(),
            name: name.into(),
            ty,
            required: false,
            nullable: false,
            doc: None,
            default: None,
            boxed: false,
            flatten: false,
            setter: name.into(),
            constraints: None,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            pointer: String::new(),
            kind: TypeKind::Struct {
                fields,
                additional: None,
                deny_unknown: false,
            },
        }
    }

    fn boxed(types: &[TypeDef], name: &str) -> Vec<bool> {
        let t = types.iter().find(|t| t.name == name);
        match t.map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields.iter().map(|f| f.boxed).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn a_field_back_into_its_own_cycle_is_boxed_and_no_other() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut types = vec![
            // Customer → Card → Customer, through an alias too; Card → Brand is no cycle.
            strukt(
                "Customer",
                vec![
                    field("card", named("Card")),
                    field("cards", TypeRef::Vec(Box::new(named("Card")))),
                ],
            ),
            strukt(
                "Card",
                vec![field("owner", named("Owner")), field("brand", named("Brand"))],
            ),
            TypeDef {
                name: "Owner".into(),
                doc: None,
                pointer: String::new(),
                kind: TypeKind::Alias(named("Customer")),
            },
            strukt("Brand", vec![field("name", TypeRef::String)]),
            strukt("Node", vec![field("next", named("Node"))]),
        ];
        assert!(box_cycles(&mut types).is_empty());
        assert_eq!(
            boxed(&types, "Customer"),
            [true, false],
            "a Vec is on the heap already"
        );
        assert_eq!(boxed(&types, "Card"), [true, false]);
        assert_eq!(boxed(&types, "Brand"), [false]);
        assert_eq!(boxed(&types, "Node"), [true]);
    }
}
