//! The async client: one method per operation, one per variant of a tagged-enum body.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs};
use crate::ir::*;
use crate::names::ident;

mod actions;
mod request;
mod responses;
mod signature;
mod stream;
mod url;

/// Part `part` of `parts` of the client: the struct and its constructor open the first;
/// each part is one `impl Client` over a run of whole operations, and their texts splice
/// into one (see `emit::file`).
pub fn client(service: &Service, ctx: &Ctx, part: usize, parts: usize) -> TokenStream {
    let rt = &ctx.rt;
    let n = service.operations.len();
    let ops = &service.operations[n * part / parts..n * (part + 1) / parts];
    let methods = ops.iter().map(|op| operation(op, service, ctx));
    if part > 0 && ops.is_empty() {
        return quote!();
    }
    if part > 0 {
        return quote! {
            impl Client {
                #(#methods)*
            }
        };
    }
    let field_defs = service.client_params.iter().map(|p| {
        let n = ident(&p.name);
        quote!(#n: ::std::string::String,)
    });
    let ctor_args = service.client_params.iter().map(|p| {
        let n = ident(&p.name);
        quote!(#n: impl ::std::convert::Into<::std::string::String>,)
    });
    let ctor_inits = service.client_params.iter().map(|p| {
        let n = ident(&p.name);
        quote!(#n: #n.into(),)
    });
    let getters = service.client_params.iter().map(|p| {
        let n = ident(&p.name);
        let doc = format!(" The `{}` every request is made for.", p.wire);
        quote! {
            #[doc = #doc]
            pub fn #n(&self) -> &str { &self.#n }
        }
    });
    let product = product_token(service);
    let product_doc = [
        format!(" A client sending requests through `transport`, which names this API (`{product}`)"),
        " in the `User-Agent` it chooses.".to_string(),
    ];
    let doc = docs::attrs(&[
        Some(&format!("Async client for the {}.", service.title)),
        service.description.as_deref(),
    ]);
    let setters = super::security::setters(service, ctx);
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: #rt::Transport,
            #(#field_defs)*
        }

        impl Client {
            #(#[doc = #product_doc])*
            pub fn new(transport: #rt::Transport, #(#ctor_args)*) -> Self {
                Self { transport: transport.for_api(#product), #(#ctor_inits)* }
            }

            /// The transport requests go through.
            pub fn transport(&self) -> &#rt::Transport { &self.transport }

            #(#getters)*

            #setters

            #(#methods)*
        }
    }
}

/// One operation's methods: the method itself (signature, URL, request, response
/// mapping), one per variant of a tagged-enum body, and the stream of a paged list.
fn operation(op: &Operation, service: &Service, ctx: &Ctx) -> TokenStream {
    let name = ident(&op.name);
    let args = signature::Args::of(op, service, ctx);
    let all_args = args.all();
    let ret = signature::returns(op, ctx);
    let doc = signature::method_docs(op, service);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let path = url::path(op, service, ctx);
    let query = url::query(op, ctx);
    let request = request::start(op, ctx);
    let headers = request::headers(op, ctx);
    let body = request::body(op, ctx);
    let send = request::send(op);
    let decode = responses::decode(op, ctx);
    let actions = actions::methods(op, service, ctx, &args, &ret, deprecated.as_ref());
    let stream = stream::paged_stream(op, service, ctx);
    quote! {
        #doc
        #deprecated
        pub async fn #name(&self, #(#all_args),*) -> #ret {
            #path
            #query
            #request
            #headers
            #body
            #send
            #decode
        }

        #actions

        #stream
    }
}

/// Whether the client holds `p` (a client parameter) instead of taking it on each call.
fn held(service: &Service, p: &Param) -> bool {
    service.client_params.iter().any(|c| c.wire == p.wire)
}

/// A path or header parameter's value as text: JSON text where the spec says so, items
/// joined by commas for an array (the `simple` style), else as it displays.
fn text_of(p: &Param, value: TokenStream, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let wire = &p.wire;
    if p.json {
        quote!(#rt::json_text(#wire, #value).map_err(#rt::Error::InvalidRequest)?)
    } else if matches!(p.ty, TypeRef::Vec(_)) {
        quote!(#rt::simple_text(#value))
    } else {
        quote!(#value.to_string())
    }
}

/// The API as a `User-Agent` product token: its title in lower case with runs of anything
/// but letters and digits as one `-`, then `/` and its version (token characters only);
/// `api` for a title with no letters or digits.
fn product_token(service: &Service) -> String {
    let slug = |text: &str, keep: &dyn Fn(char) -> bool| {
        let mut out = String::new();
        for c in text.chars() {
            if keep(c) {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_matches('-').to_string()
    };
    let name = slug(&service.title, &|c: char| c.is_ascii_alphanumeric());
    let name = if name.is_empty() { "api".to_string() } else { name };
    let version = slug(&service.version, &|c: char| {
        c.is_ascii_alphanumeric() || ".+_~".contains(c)
    });
    if version.is_empty() {
        name
    } else {
        format!("{name}/{version}")
    }
}
