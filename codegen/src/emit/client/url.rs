//! A method's URL: its path with each parameter encoded as one segment, and its query.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{held, text_of};
use crate::emit::Ctx;
use crate::ir::*;
use crate::names::ident;
use specwright_oas::template::{self, Piece};

/// `let path: &str = ...;`: the path, with each parameter percent-encoded as one segment,
/// bound to a local of its name and captured by the format string
/// (`format!("/v2/{project_id}/volumes")`).
pub(super) fn path(op: &Operation, service: &Service, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let mut fmt = String::new();
    let mut segments = Vec::new();
    // Lowering refused a template that does not parse.
    for piece in template::pieces(&op.path).unwrap_or_default() {
        let wire = match piece {
            Piece::Text(text) => {
                fmt.push_str(&text.replace('{', "{{").replace('}', "}}"));
                continue;
            }
            Piece::Param(wire) => wire,
        };
        let Some(p) = op.path_params.iter().find(|p| p.wire == wire) else {
            fmt.push_str(&format!("{{{{{wire}}}}}"));
            continue;
        };
        let n = ident(&p.name);
        // A raw identifier (`r#type`) cannot be captured by a format string.
        let local = match p.name.strip_prefix("r#") {
            Some(bare) => format_ident!("{bare}_segment"),
            None => n.clone(),
        };
        fmt.push_str(&format!("{{{local}}}"));
        let value = if held(service, p) {
            quote!(&self.#n)
        } else if p.ty == TypeRef::String {
            quote!(#n)
        } else {
            let text = text_of(p, quote!(#n), ctx);
            quote!(&#text)
        };
        segments.push(quote!(let #local = #rt::encode_path_segment(#value);));
    }
    if segments.is_empty() {
        let literal = &op.path;
        quote!(let path: &str = #literal;)
    } else {
        quote!(#(#segments)* let path: &str = &format!(#fmt);)
    }
}

/// `let query = ...;` and a push per query parameter: required ones from their arguments,
/// optional ones from the options where set; objects in their style, JSON as text.
pub(super) fn query(op: &Operation, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let params = || op.required_params.iter().chain(&op.optional_params);
    let pushes = params().filter(|p| p.location == ParamLocation::Query).map(|p| {
        let wire = &p.wire;
        let n = ident(&p.name);
        let style = p.object.map(|style| match style {
            ObjectStyle::FormExploded => quote!(#rt::ObjectStyle::FormExploded),
            ObjectStyle::Form => quote!(#rt::ObjectStyle::Form),
            ObjectStyle::DeepObject => quote!(#rt::ObjectStyle::DeepObject),
        });
        match (&p.ty, p.required) {
            _ if style.is_some() && p.required => {
                quote!(query.push_object(#wire, &#n, #style).map_err(#rt::Error::InvalidRequest)?;)
            }
            _ if style.is_some() => quote! {
                if let Some(v) = &options.#n {
                    query.push_object(#wire, v, #style).map_err(#rt::Error::InvalidRequest)?;
                }
            },
            _ if p.json && p.required => {
                quote!(query.push_json(#wire, &#n).map_err(#rt::Error::InvalidRequest)?;)
            }
            _ if p.json => quote! {
                if let Some(v) = &options.#n {
                    query.push_json(#wire, v).map_err(#rt::Error::InvalidRequest)?;
                }
            },
            (TypeRef::Vec(_), true) => quote!(query.push_each(#wire, #n);),
            (TypeRef::Vec(_), false) => {
                quote!(if let Some(v) = &options.#n { query.push_each(#wire, v); })
            }
            (_, true) => quote!(query.push(#wire, #n);),
            (_, false) => quote!(query.push_opt(#wire, options.#n.as_ref());),
        }
    });
    let query_mut = params()
        .any(|p| p.location == ParamLocation::Query)
        .then(|| quote!(mut));
    quote! {
        let #query_mut query = #rt::Query::new();
        #(#pushes)*
    }
}
