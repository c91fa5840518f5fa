//! Inline schemas the spec writes more than once become one type.
//!
//! Big specs repeat the same inline shape under many parents: GitHub's writes the
//! `read`/`write` permission enum 648 times and the same nested objects in every webhook,
//! so that 6,248 generated types hold 2,650 distinct definitions. Each repeat costs the
//! compiler a full set of derives. Here every inline type whose definition equals an
//! other (field for field, variant for variant, the types it holds compared the same
//! way, cycles included) becomes an alias of one of them (`pub type VolumeV1Bootable = VolumeBootable;`): its name and doc stay, callers
//! see no difference, and the compiler checks one definition.
//!
//! Equality is the coarsest partition that every definition respects (Moore's refinement:
//! start from each definition with the names it holds blanked out, split a class while two
//! members hold types of different classes). Components (`/components/schemas/X`) keep
//! their own definitions: the spec named them, and a caller may rely on them being
//! distinct. This runs last in lowering: whatever looks a type up by name before emission
//! (paging, a body's actions) has seen the definitions as the spec gave them.

use std::collections::HashMap;

use crate::ir::{Service, TypeDef, TypeKind, TypeRef};

/// Merges repeated inline types of `service`; returns how many became aliases.
pub fn merge_repeats(service: &mut Service) -> usize {
    let types = &service.types;
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let eligible: Vec<bool> = types.iter().map(is_inline_definition).collect();

    // Each eligible definition as text with the names it holds blanked out, and those
    // names in order: two definitions are equal when the texts are, and the names pairwise
    // name equal types.
    let mut templates: HashMap<String, u32> = HashMap::new();
    let mut shape = vec![0u32; types.len()];
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); types.len()];
    for (i, t) in types.iter().enumerate().filter(|&(i, _)| eligible[i]) {
        let mut blank = t.kind.clone();
        for_each_ref(&mut blank, &mut |name| {
            // A name no type has (which lowering does not make) keeps its text, and so
            // only equals itself.
            if let Some(&j) = index.get(name.as_str()) {
                held[i].push(j);
                name.clear();
            }
        });
        let next = templates.len() as u32;
        shape[i] = *templates.entry(format!("{blank:?}")).or_insert(next);
    }
    drop(templates);

    // Classes: every type not eligible is its own; eligible ones start by shape.
    let offset = types.len() as u32;
    let mut class: Vec<u32> = (0..types.len())
        .map(|i| if eligible[i] { offset + shape[i] } else { i as u32 })
        .collect();
    let mut count = distinct(&class);
    loop {
        let mut keys: HashMap<(u32, Vec<u32>), u32> = HashMap::new();
        let mut next = class.clone();
        for i in (0..types.len()).filter(|&i| eligible[i]) {
            let key = (class[i], held[i].iter().map(|&j| class[j]).collect());
            let fresh = offset + keys.len() as u32;
            next[i] = *keys.entry(key).or_insert(fresh);
        }
        let now = distinct(&next);
        class = next;
        if now == count {
            break;
        }
        count = now;
    }

    // The shortest name of each class (the first of those) keeps the definition; the
    // others name it. References stay as the spec put them: a field reads `VolumeStatus`,
    // whichever name holds the definition.
    let mut standing: HashMap<u32, usize> = HashMap::new();
    for i in (0..types.len()).filter(|&i| eligible[i]) {
        let best = standing.entry(class[i]).or_insert(i);
        if types[i].name.len() < types[*best].name.len() {
            *best = i;
        }
    }
    let mut merged = 0;
    let names: Vec<String> = types.iter().map(|t| t.name.clone()).collect();
    for (i, t) in service.types.iter_mut().enumerate().filter(|&(i, _)| eligible[i]) {
        let keeper = standing[&class[i]];
        if keeper != i {
            t.kind = TypeKind::Alias(TypeRef::Named(names[keeper].clone()));
            merged += 1;
        }
    }
    merged
}

/// An inline schema's type with a definition of its own (not a component, not an alias).
fn is_inline_definition(t: &TypeDef) -> bool {
    let component = t
        .pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'));
    !component && !matches!(t.kind, TypeKind::Alias(_))
}

fn distinct(class: &[u32]) -> usize {
    let mut sorted = class.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.len()
}

/// Calls `f` on every type name `kind` holds, in a fixed order.
fn for_each_ref(kind: &mut TypeKind, f: &mut dyn FnMut(&mut String)) {
    match kind {
        TypeKind::Struct {
            fields, additional, ..
        } => {
            for field in fields {
                rename_in(&mut field.ty, f);
            }
            if let Some(ty) = additional {
                rename_in(ty, f);
            }
        }
        TypeKind::Tagged { variants } => variants.iter_mut().for_each(|v| rename_in(&mut v.ty, f)),
        TypeKind::Untagged { variants } => variants.iter_mut().for_each(|v| rename_in(&mut v.ty, f)),
        TypeKind::Discriminated { variants, .. } => variants.iter_mut().for_each(|v| rename_in(&mut v.ty, f)),
        TypeKind::Alias(ty) | TypeKind::Newtype { ty, .. } => rename_in(ty, f),
        TypeKind::StringEnum { .. } => {}
    }
}

fn rename_in(ty: &mut TypeRef, f: &mut dyn FnMut(&mut String)) {
    match ty {
        TypeRef::Named(name) => f(name),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => rename_in(inner, f),
        _ => {}
    }
}
