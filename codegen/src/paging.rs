//! Recognising a paged list operation, so that the client can offer every item as one
//! stream. The rule, on the lowered IR:
//!
//! - a GET whose one success body is a struct with exactly one array field of structs
//!   besides links (`links`, `<items>_links`): the items;
//! - and an optional query parameter that continues the list:
//!   - `marker`, `starting_after`, `after` or `cursor` with an `id` on the items: a
//!     marker, the last item's id (Cinder, Stripe, many OpenStack APIs); where the body has
//!     a `<items>_links`, `links` or `next` field, the list goes on while it holds a
//!     `rel: next` link, else while pages are not empty;
//!   - `page_token`, `pageToken`, `next_token`, `nextToken`, `continuation_token` with a
//!     body field `next_page_token`, `nextPageToken`, `next_token`, `nextToken`,
//!     `continuation_token` or `next_cursor`: a page token;
//!   - `offset` or `skip`: an offset advanced by the items seen, until a page is empty.

use crate::ir::{Operation, Paging, PagingRule, Service, TypeKind, TypeRef};

const MARKERS: [&str; 4] = ["marker", "starting_after", "after", "cursor"];
const TOKEN_PARAMS: [&str; 5] = [
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
];
const TOKEN_FIELDS: [&str; 6] = [
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "next_cursor",
];
const OFFSETS: [&str; 2] = ["offset", "skip"];

pub fn detect(service: &mut Service) {
    let found: Vec<Option<Paging>> = service.operations.iter().map(|op| paging(service, op)).collect();
    let mut methods: std::collections::HashSet<String> = service
        .operations
        .iter()
        .flat_map(|op| std::iter::once(op.name.clone()).chain(op.actions.iter().map(|a| a.method.clone())))
        .collect();
    for (op, paging) in service.operations.iter_mut().zip(found) {
        op.paging = paging.map(|mut paging| {
            let wanted = format!("{}_stream", crate::names::unraw(&op.name));
            paging.stream = crate::names::unique(&wanted, |n| methods.contains(n));
            methods.insert(paging.stream.clone());
            paging
        });
    }
}

fn paging(service: &Service, op: &Operation) -> Option<Paging> {
    if !op.method.eq_ignore_ascii_case("get") || op.outcome_type.is_some() {
        return None;
    }
    let mut successes = op.responses.iter().filter(|r| r.success);
    let body = successes.next()?;
    if successes.next().is_some() || body.body_optional {
        return None;
    }
    let TypeRef::Named(page) = body.ty.as_ref()? else {
        return None;
    };
    let TypeKind::Struct { fields, .. } = &service.types.iter().find(|t| &t.name == page)?.kind else {
        return None;
    };
    // Links (`links`, `volumes_links`) are arrays of structs too, but not the items.
    let is_links = |wire: &str| wire == "links" || wire.ends_with("_links");
    let mut arrays = fields
        .iter()
        .filter(|f| !is_links(&f.wire) && matches!(&f.ty, TypeRef::Vec(item) if is_struct(service, item)));
    let items = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let TypeRef::Vec(item) = &items.ty else {
        return None;
    };
    // The continuing parameter is a string (marker, token) or an integer (offset).
    let option_of = |names: &[&str], integer: bool| {
        op.optional_params.iter().find(|p| {
            p.location == crate::ir::ParamLocation::Query
                && names.contains(&p.wire.as_str())
                && !p.json
                && if integer {
                    matches!(p.ty, TypeRef::I32 | TypeRef::I64)
                } else {
                    p.ty == TypeRef::String
                }
        })
    };
    let option = |names: &[&str]| option_of(names, false);
    let field = |names: &[&str]| fields.iter().find(|f| names.contains(&f.wire.as_str()));
    let rule = if let (Some(p), Some(next)) = (option(&TOKEN_PARAMS), field(&TOKEN_FIELDS)) {
        PagingRule::Token {
            param: p.name.clone(),
            next: next.wire.clone(),
        }
    } else if let Some(p) = option(&MARKERS).filter(|_| has_id(service, item)) {
        let links_name = format!("{}_links", items.wire);
        PagingRule::Marker {
            param: p.name.clone(),
            id: "id".into(),
            links: field(&[links_name.as_str(), "links", "next"]).map(|f| f.wire.clone()),
        }
    } else if let Some(p) = option_of(&OFFSETS, true) {
        PagingRule::Offset {
            param: p.name.clone(),
        }
    } else {
        return None;
    };
    Some(Paging {
        items: items.name.clone(),
        items_options: u8::from(!items.required) + u8::from(items.nullable),
        item: (**item).clone(),
        rule,
        stream: String::new(),
    })
}

fn struct_fields<'s>(service: &'s Service, ty: &TypeRef) -> Option<&'s [crate::ir::Field]> {
    let TypeRef::Named(name) = ty else { return None };
    match &service.types.iter().find(|t| &t.name == name)?.kind {
        TypeKind::Struct { fields, .. } => Some(fields),
        _ => None,
    }
}

fn is_struct(service: &Service, ty: &TypeRef) -> bool {
    struct_fields(service, ty).is_some()
}

fn has_id(service: &Service, ty: &TypeRef) -> bool {
    struct_fields(service, ty).is_some_and(|f| f.iter().any(|f| f.wire == "id"))
}
