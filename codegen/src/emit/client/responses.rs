//! A method's response mapping: a `match` arm per documented status (codes decoded alike
//! sharing one), each decoding its body into the success or error type; and the statuses
//! as the method's docs list them.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::Ctx;
use crate::emit::models::status_variant_ident;
use crate::ir::*;
use crate::names::ident;

/// `match raw.status.as_u16() { ... }`: the response decoded as its status says.
pub(super) fn decode(op: &Operation, ctx: &Ctx) -> TokenStream {
    let arms = response_arms(op, ctx);
    quote! {
        match raw.status.as_u16() {
            #(#arms)*
        }
    }
}

fn response_arms(op: &Operation, ctx: &Ctx) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    let mut ordered: Vec<&ResponseDef> = op
        .responses
        .iter()
        .filter(|r| matches!(r.status, StatusMatch::Code(_)))
        .collect();
    ordered.extend(
        op.responses
            .iter()
            .filter(|r| matches!(r.status, StatusMatch::Range(_))),
    );
    let mut default = None;
    for r in op.responses.iter().filter(|r| r.status == StatusMatch::Default) {
        default = Some(r);
    }
    // Codes handled alike share one arm, runs of three or more as a range
    // (`400 | 401 | 403..=409 => raw.api_error()`): codes are disjoint, so joining them
    // changes nothing; `4XX` ranges follow, as they must.
    let mut grouped: Vec<(Vec<u16>, &ResponseDef)> = Vec::new();
    for r in ordered {
        let StatusMatch::Code(c) = r.status else {
            grouped.push((Vec::new(), r));
            continue;
        };
        let alike = |(_, first): &&mut (Vec<u16>, &ResponseDef)| {
            matches!(first.status, StatusMatch::Code(_)) && handled_alike(op, first, r)
        };
        match grouped.iter_mut().find(alike) {
            Some((codes, _)) => codes.push(c),
            None => grouped.push((vec![c], r)),
        }
    }
    for (codes, r) in grouped {
        let handle = handler(op, r, ctx);
        let patterns: Vec<TokenStream> = match r.status {
            StatusMatch::Range(n) => {
                let lo = proc_macro2::Literal::u16_unsuffixed(n * 100);
                let hi = proc_macro2::Literal::u16_unsuffixed(n * 100 + 99);
                vec![quote!(#lo..=#hi)]
            }
            _ => runs(codes)
                .into_iter()
                .map(|(lo, hi)| {
                    let (l, h) = (
                        proc_macro2::Literal::u16_unsuffixed(lo),
                        proc_macro2::Literal::u16_unsuffixed(hi),
                    );
                    if lo == hi { quote!(#l) } else { quote!(#l..=#h) }
                })
                .collect(),
        };
        arms.push(quote!(#(#patterns)|* => #handle,));
    }
    match default {
        Some(r) => {
            let handle = handler(op, r, ctx);
            arms.push(quote!(_ => #handle,));
        }
        None => arms.push(quote!(_ => raw.unexpected(),)),
    }
    arms
}

/// Whether two documented codes decode the same way, so that [`handler`] writes the same
/// arm for both: no per-status variant, the same type, the same optionality.
fn handled_alike(op: &Operation, a: &ResponseDef, b: &ResponseDef) -> bool {
    let per_status = if a.success {
        op.outcome_type.is_some()
    } else {
        op.error_type.is_some()
    };
    !per_status && a.success == b.success && a.ty == b.ty && a.body_optional == b.body_optional
}

/// Codes as sorted runs: three or more consecutive codes become one `(first, last)`, the
/// others stay single (`[400, 401, 403, 404, 405]` → `400`, `401`, `403..=405`).
fn runs(mut codes: Vec<u16>) -> Vec<(u16, u16)> {
    codes.sort_unstable();
    codes.dedup();
    let mut out: Vec<(u16, u16)> = Vec::new();
    let mut i = 0;
    while i < codes.len() {
        let mut j = i;
        while j + 1 < codes.len() && codes[j + 1] == codes[j] + 1 {
            j += 1;
        }
        if j - i >= 2 {
            out.push((codes[i], codes[j]));
        } else {
            out.extend(codes[i..=j].iter().map(|&c| (c, c)));
        }
        i = j + 1;
    }
    out
}

/// The documented statuses for a method's docs, those of one body type together:
/// `` `200` [`VolumeBody`](types::VolumeBody); `400`, `403`–`409` [`ErrorResponse`](...) ``.
pub(super) fn documented_statuses(op: &Operation) -> String {
    let mut groups: Vec<(String, Vec<u16>, Vec<String>)> = Vec::new();
    for r in &op.responses {
        let what = match &r.ty {
            Some(TypeRef::Named(n)) => format!(" [`{n}`](types::{n})"),
            Some(TypeRef::Bytes) => " bytes".to_string(),
            Some(_) => " a body".to_string(),
            None => String::new(),
        };
        let at = match groups.iter().position(|(w, _, _)| *w == what) {
            Some(i) => i,
            None => {
                groups.push((what, Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        let group = &mut groups[at];
        match r.status {
            StatusMatch::Code(c) => group.1.push(c),
            other => group.2.push(format!("`{}`", other.label())),
        }
    }
    groups
        .into_iter()
        .map(|(what, codes, others)| {
            let mut labels: Vec<String> = runs(codes)
                .into_iter()
                .map(|(lo, hi)| {
                    if lo == hi {
                        format!("`{lo}`")
                    } else {
                        format!("`{lo}`–`{hi}`")
                    }
                })
                .collect();
            labels.extend(others);
            format!("{}{what}", labels.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn handler(op: &Operation, r: &ResponseDef, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let types = quote!(types::);
    if r.success {
        let decode = match &r.ty {
            None => quote!(raw.empty()),
            Some(TypeRef::Bytes) => quote!(raw.bytes_body()),
            Some(ty) if r.body_optional => {
                let t = ty.tokens(ctx, &types);
                quote!(raw.json_or_empty::<#t, _>())
            }
            Some(ty) => {
                let t = ty.tokens(ctx, &types);
                quote!(raw.json::<#t, _>())
            }
        };
        return match &op.outcome_type {
            Some(outcome) => {
                let o = ident(outcome);
                let v = status_variant_ident(r);
                let wrap = if r.ty.is_some() {
                    quote!(types::#o::#v)
                } else {
                    quote!(|()| types::#o::#v)
                };
                quote!(#decode.map(|response| response.map(#wrap)))
            }
            None => decode,
        };
    }
    match &op.error_type {
        Some(error) => {
            let e = ident(error);
            let v = status_variant_ident(r);
            match &r.ty {
                None => quote!(raw.api_error_with(|_| Ok(types::#e::#v))),
                Some(TypeRef::Bytes) => quote!(raw.api_error_with(|body| Ok(types::#e::#v(body.clone())))),
                Some(ty) => {
                    let t = ty.tokens(ctx, &types);
                    quote!(raw.api_error_with(|body| #rt::serde_json::from_slice::<#t>(body).map(types::#e::#v).map_err(|e| e.to_string())))
                }
            }
        }
        None => match &r.ty {
            None => quote!(raw.api_error_with(|_| Ok(()))),
            Some(TypeRef::Bytes) => quote!(raw.api_error_with(|body| Ok(body.clone()))),
            Some(_) => quote!(raw.api_error()),
        },
    }
}
