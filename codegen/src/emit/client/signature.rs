//! A method's signature: its docs, its arguments and what it returns.

use proc_macro2::TokenStream;
use quote::quote;

use super::{held, responses};
use crate::emit::{Ctx, docs};
use crate::ir::*;
use crate::names::ident;

/// A method's arguments, in order: the path parameters the client does not hold, the
/// required query and header parameters, the body, the options.
pub(super) struct Args {
    /// `name: Type` of each parameter.
    pub params: Vec<TokenStream>,
    /// The parameters' names, to pass them on (an action calls its operation's method).
    pub names: Vec<TokenStream>,
    /// `body: ...`, where the operation takes one.
    pub body: Option<TokenStream>,
    /// `options: &types::<Options>`, where the operation has optional parameters.
    pub options: Option<TokenStream>,
}

impl Args {
    /// The arguments of `op`'s method.
    pub fn of(op: &Operation, service: &Service, ctx: &Ctx) -> Args {
        let rt = &ctx.rt;
        let mut params = Vec::new();
        let mut names = Vec::new();
        for p in op
            .path_params
            .iter()
            .filter(|p| !held(service, p))
            .chain(&op.required_params)
        {
            let n = ident(&p.name);
            let t = arg_type(&p.ty, ctx);
            params.push(quote!(#n: #t));
            names.push(quote!(#n));
        }
        let body = op.body.as_ref().map(|b| {
            let t = b.ty.tokens(ctx, &quote!(types::));
            match (b.encoding, b.required) {
                // A multipart form is built once and sent once: taken by value.
                (BodyEncoding::Multipart, true) => quote!(body: #rt::reqwest::multipart::Form),
                (BodyEncoding::Multipart, false) => {
                    quote!(body: ::std::option::Option<#rt::reqwest::multipart::Form>)
                }
                (_, true) => quote!(body: &#t),
                (_, false) => quote!(body: ::std::option::Option<&#t>),
            }
        });
        let options = op.options_type.as_ref().map(|o| {
            let o = ident(o);
            quote!(options: &types::#o)
        });
        Args {
            params,
            names,
            body,
            options,
        }
    }

    /// Every argument, in order.
    pub fn all(&self) -> Vec<TokenStream> {
        self.params
            .iter()
            .cloned()
            .chain(self.body.clone())
            .chain(self.options.clone())
            .collect()
    }
}

/// The Rust type a parameter is passed as.
fn arg_type(ty: &TypeRef, ctx: &Ctx) -> TokenStream {
    let types = quote!(types::);
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Vec(inner) => {
            let inner = inner.tokens(ctx, &types);
            quote!(&[#inner])
        }
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool => ty.tokens(ctx, &types),
        other => {
            let t = other.tokens(ctx, &types);
            quote!(&#t)
        }
    }
}

/// What the method returns: the success type in a `Response`, or an `Error` of the error
/// type.
pub(super) fn returns(op: &Operation, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let ok = body_type(op, true, ctx);
    let err = err_type(op, ctx);
    quote!(::std::result::Result<#rt::Response<#ok>, #rt::Error<#err>>)
}

/// The error type (see [`body_type`]).
pub(super) fn err_type(op: &Operation, ctx: &Ctx) -> TokenStream {
    body_type(op, false, ctx)
}

/// The success type (`success`) or the error type: the per-status outcome or error enum
/// where the operation has one, else the first such response's body type, else `()`.
fn body_type(op: &Operation, success: bool, ctx: &Ctx) -> TokenStream {
    let per_status = if success { &op.outcome_type } else { &op.error_type };
    if let Some(per_status) = per_status {
        let e = ident(per_status);
        return quote!(types::#e);
    }
    match op
        .responses
        .iter()
        .find(|r| r.success == success)
        .and_then(|r| r.ty.as_ref())
    {
        Some(ty) => ty.tokens(ctx, &quote!(types::)),
        None => quote!(()),
    }
}

/// The method's docs: the operation's summary and description, then a line with its
/// method, path, `operationId`, documented statuses and the credentials it is sent with.
pub(super) fn method_docs(op: &Operation, service: &Service) -> TokenStream {
    let mut summary_line = format!(
        "`{} {}` (operation `{}`). Documented statuses: {}.",
        op.method,
        op.path,
        op.id,
        responses::documented_statuses(op)
    );
    if let Some(credentials) = crate::emit::security::described(op) {
        summary_line.push(' ');
        summary_line.push_str(&credentials);
    }
    let doc = docs::attrs(&[op.summary.as_deref(), op.description.as_deref()]);
    let arguments = argument_docs(op, service);
    let where_doc = docs::raw(&if op.summary.is_some() || op.description.is_some() {
        format!("\n{summary_line}")
    } else {
        summary_line
    });
    quote!(#doc #where_doc #arguments)
}

/// `# Arguments`: each argument the spec says something about (its description, what its
/// schema allows, its default), as rustdoc's convention lists them.
fn argument_docs(op: &Operation, service: &Service) -> TokenStream {
    let items: Vec<String> = op
        .path_params
        .iter()
        .filter(|p| !held(service, p))
        .chain(&op.required_params)
        .filter_map(|p| {
            let facts = docs::facts(p.constraints.as_deref(), p.default.as_ref());
            // One line per item: a description's paragraphs run together.
            let text: Vec<&str> = [p.doc.as_deref(), facts.as_deref()]
                .into_iter()
                .flatten()
                .flat_map(str::split_whitespace)
                .collect();
            (!text.is_empty()).then(|| format!("- `{}`: {}", crate::names::unraw(&p.name), text.join(" ")))
        })
        .collect();
    if items.is_empty() {
        return quote!();
    }
    let blank = docs::raw("\n");
    let list = docs::attrs(&[Some(&format!("# Arguments\n\n{}", items.join("\n")))]);
    quote!(#blank #list)
}
