//! A method's request: started with its method, path, query and `Accept`, then its
//! headers and body, then sent (with the credentials its security asks for).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::text_of;
use crate::emit::Ctx;
use crate::ir::*;
use crate::names::ident;

/// `let request = ...;`: the request for the method and path, with the query, and `Accept`
/// as the operation's success responses produce (a server producing only text or images
/// answers `application/json` with 406).
pub(super) fn start(op: &Operation, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let method = format_ident!("{}", op.method);
    let accept = op.accept();
    if accept == "application/json" {
        quote!(let request = self.transport.request(#rt::reqwest::Method::#method, path, &query);)
    } else {
        quote!(let request = self.transport.request_accepting(#rt::reqwest::Method::#method, path, &query, #accept);)
    }
}

/// A header per header parameter: required ones from their arguments, optional ones from
/// the options where set.
pub(super) fn headers(op: &Operation, ctx: &Ctx) -> TokenStream {
    let sets = op
        .required_params
        .iter()
        .chain(&op.optional_params)
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| {
            let wire = &p.wire;
            let n = ident(&p.name);
            let text = |v: TokenStream| text_of(p, v, ctx);
            if p.required {
                let value = text(quote!(&#n));
                quote!(let request = request.header(#wire, #value);)
            } else {
                let value = text(quote!(v));
                quote!(let request = match &options.#n { Some(v) => request.header(#wire, #value), None => request };)
            }
        });
    quote!(#(#sets)*)
}

/// The body attached as its encoding says (JSON, form, multipart, bytes), where there is one.
pub(super) fn body(op: &Operation, ctx: &Ctx) -> Option<TokenStream> {
    let rt = &ctx.rt;
    op.body.as_ref().map(|b| {
        let ct = &b.content_type;
        let attach = match b.encoding {
            BodyEncoding::Json => quote!(request.json(body)),
            BodyEncoding::Form => quote! {
                request
                    .header("Content-Type", #ct)
                    .body(#rt::form_body(body).map_err(#rt::Error::InvalidRequest)?)
            },
            BodyEncoding::Multipart => quote!(request.multipart(body)),
            BodyEncoding::Bytes => quote!(request.header("Content-Type", #ct).body(body.clone())),
        };
        if b.required {
            quote!(let request = #attach;)
        } else {
            quote!(let request = match body { Some(body) => #attach, None => request };)
        }
    })
}

/// `let raw = ...;`: the request sent, with the credentials the operation's security names.
pub(super) fn send(op: &Operation) -> TokenStream {
    let op_id = &op.id;
    if op.security.is_empty() {
        quote!(let raw = self.transport.send(#op_id, request).await?;)
    } else {
        let security = crate::emit::security::requirements(op);
        quote!(let raw = self.transport.send_secured(#op_id, #security, request).await?;)
    }
}
