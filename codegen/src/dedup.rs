//! Inline schemas the spec writes more than once become one type.
//!
//! Big specs repeat the same inline shape under many parents: GitHub's writes the
//! `read`/`write` permission enum 648 times and the same nested objects in every webhook:
//! 3,285 structs and 2,963 enums, of which 1,510 and 689 differ. Each repeat costs the
//! compiler a full set of derives. Here inline types whose definitions are equal (field for
//! field, variant for variant, the types they hold compared the same way, cycles included)
//! become one: the shortest of their names keeps the definition, and every reference to
//! the others names it (`VolumeV1.bootable` is a `VolumeBootable`). An alias per repeat
//! would keep every name, but GitHub's 3,400 of them would be 400 KB of source saying
//! nothing: an inline schema's name is made from where it stands, not chosen. One that
//! is chosen (`x-rust-name`) is never merged away. One note per run says how many went.
//! A type's own doc is not part of its definition here (an inline schema's is usually its
//! property's description, which the field keeps); the kept type's doc stands for all.
//!
//! Equality is the coarsest partition that every definition respects (Moore's refinement:
//! start from each definition with the names it holds blanked out, split a class while two
//! members hold types of different classes). Components (`/components/schemas/X`) keep
//! their own definitions: the spec named them, and a caller may rely on them being
//! distinct. Every reference in types and operations is rewritten, so that whatever looks
//! a type up by the name a reference holds finds its definition.

use std::collections::{HashMap, HashSet};

use crate::Diagnostic;
use crate::ir::{Service, TypeDef, TypeKind, TypeRef};

/// Merges repeated inline types of `service`, but none named in `given` (chosen by the
/// spec); a note says how many went, and names a few.
pub fn merge_repeats(service: &mut Service, given: &HashSet<String>) -> Option<Diagnostic> {
    let types = &service.types;
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let eligible: Vec<bool> = types
        .iter()
        .map(|t| is_inline_definition(t) && !given.contains(&t.name))
        .collect();

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

    // The shortest name of each class (the first of those) keeps the definition; every
    // reference to another member is made to it, and the others go.
    let mut standing: HashMap<u32, usize> = HashMap::new();
    for i in (0..types.len()).filter(|&i| eligible[i]) {
        let best = standing.entry(class[i]).or_insert(i);
        if types[i].name.len() < types[*best].name.len() {
            *best = i;
        }
    }
    let merged: HashMap<String, String> = (0..types.len())
        .filter(|&i| eligible[i] && standing[&class[i]] != i)
        .map(|i| (types[i].name.clone(), types[standing[&class[i]]].name.clone()))
        .collect();
    if merged.is_empty() {
        return None;
    }
    let mut examples: Vec<(&String, &String)> = merged.iter().collect();
    examples.sort();
    let shown: Vec<String> = examples
        .iter()
        .take(3)
        .map(|(gone, kept)| format!("`{gone}` is `{kept}`"))
        .collect();
    let note = Diagnostic::note(
        "",
        format!(
            "{} inline schema(s) repeat another's definition and are its type ({}{})",
            merged.len(),
            shown.join(", "),
            if merged.len() > 3 { ", ..." } else { "" }
        ),
    )
    .hint("name one with `x-rust-name` to keep it a type of its own");
    let rename = &mut |name: &mut String| {
        if let Some(to) = merged.get(name.as_str()) {
            name.clone_from(to);
        }
    };
    service.types.retain(|t| !merged.contains_key(&t.name));
    for t in &mut service.types {
        for_each_ref(&mut t.kind, rename);
    }
    for op in &mut service.operations {
        let params = op
            .path_params
            .iter_mut()
            .chain(&mut op.required_params)
            .chain(&mut op.optional_params);
        let refs = params
            .map(|p| &mut p.ty)
            .chain(op.body.as_mut().map(|b| &mut b.ty))
            .chain(op.responses.iter_mut().filter_map(|r| r.ty.as_mut()))
            .chain(op.actions.iter_mut().map(|a| &mut a.ty))
            .chain(op.paging.as_mut().map(|p| &mut p.item));
        for ty in refs {
            rename_in(ty, rename);
        }
    }
    for p in &mut service.client_params {
        rename_in(&mut p.ty, rename);
    }
    Some(note)
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
