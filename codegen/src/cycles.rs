//! Types that contain each other: Rust needs a `Box` somewhere on every cycle of direct
//! containment, or the types have infinite size (Stripe's `Customer` holds a `Card` that
//! holds a `Customer`). A pass on the IR: every struct field that points back into its own
//! cycle is boxed. `Vec` and maps hold their items on the heap already, so they end a path.

use std::collections::HashMap;

use crate::ir::{TypeDef, TypeKind, TypeRef};

/// The named type `ty` holds directly (inline, not behind a `Vec` or a map), if any.
fn direct(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        _ => None,
    }
}

/// The types each type holds directly.
fn edges(t: &TypeDef) -> Vec<&str> {
    match &t.kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Tagged { variants } => variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Untagged { variants } => variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Alias(ty) => direct(ty).into_iter().collect(),
        TypeKind::StringEnum { .. } => Vec::new(),
    }
}

/// Strongly connected components of the containment graph (Tarjan's algorithm, iterative
/// so that a deep spec cannot overflow the stack): each type's component number.
fn components(types: &[TypeDef]) -> Vec<usize> {
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
    component
}

/// Boxes every struct field whose type is in the struct's own cycle.
pub fn box_cycles(types: &mut [TypeDef]) {
    let component = components(types);
    let component_of: HashMap<String, usize> = types
        .iter()
        .zip(&component)
        .map(|(t, c)| (t.name.clone(), *c))
        .collect();
    for (t, own) in types.iter_mut().zip(component) {
        if let TypeKind::Struct { fields, .. } = &mut t.kind {
            for f in fields {
                if direct(&f.ty).and_then(|n| component_of.get(n)) == Some(&own) {
                    f.boxed = true;
                }
            }
        }
    }
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
            setter: name.into(),
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
        box_cycles(&mut types);
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
