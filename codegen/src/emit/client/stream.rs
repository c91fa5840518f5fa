//! `<operation>_stream`: a paged list as a `Stream` of its items.

use proc_macro2::TokenStream;
use quote::quote;

use super::{held, signature};
use crate::emit::Ctx;
use crate::ir::*;
use crate::names::ident;

/// `<operation>_stream`: every item of a paged list (see `crate::paging` for the rule), for
/// lists the client can call with its options alone.
pub(super) fn paged_stream(op: &Operation, service: &Service, ctx: &Ctx) -> Option<TokenStream> {
    let paging = op.paging.as_ref()?;
    let options = op.options_type.as_ref()?;
    if !op.required_params.is_empty() || !op.path_params.iter().all(|p| held(service, p)) || op.body.is_some()
    {
        return None;
    }
    let rt = &ctx.rt;
    let name = ident(&op.name);
    let stream_name = ident(&paging.stream);
    let options = ident(options);
    let item = paging.item.tokens(ctx, &quote!(types::));
    let err = signature::err_type(op, ctx);
    let items = ident(&paging.items);
    let take = match paging.items_options {
        0 => quote!(page.#items),
        1 => quote!(page.#items.unwrap_or_default()),
        _ => quote!(page.#items.flatten().unwrap_or_default()),
    };
    let (rule, set, how) = match &paging.rule {
        PagingRule::Marker { param, id, links } => {
            let p = ident(param);
            let links = match links {
                Some(l) => quote!(::std::option::Option::Some(#l)),
                None => quote!(::std::option::Option::None),
            };
            (
                quote!(#rt::pages::Rule::Marker { id: #id, links: #links }),
                quote!(if let ::std::option::Option::Some(#rt::pages::Next::Marker(m)) = next { options.#p = ::std::option::Option::Some(m); }),
                format!("`{param}` set to the last item's `{id}`"),
            )
        }
        PagingRule::Offset { param } => {
            let p = ident(param);
            (
                quote!(#rt::pages::Rule::Offset),
                quote!(if let ::std::option::Option::Some(#rt::pages::Next::Offset(n)) = next {
                    let first = options.#p.and_then(|o| u64::try_from(o).ok()).unwrap_or(0);
                    options.#p = ::std::convert::TryFrom::try_from(first.saturating_add(n)).ok();
                }),
                format!("`{param}` advanced by the items seen"),
            )
        }
        PagingRule::Token { param, next } => {
            let p = ident(param);
            (
                quote!(#rt::pages::Rule::Token { next: #next }),
                quote!(if let ::std::option::Option::Some(#rt::pages::Next::Token(t)) = next { options.#p = ::std::option::Option::Some(t); }),
                format!("`{param}` set to the body's `{next}`"),
            )
        }
    };
    let doc = format!(
        " Every item of [`Self::{}`], page after page ({how}); an error ends the stream.",
        op.name
    );
    Some(quote! {
        #[doc = #doc]
        pub fn #stream_name(
            &self,
            options: types::#options,
        ) -> impl #rt::futures_util::Stream<Item = ::std::result::Result<#item, #rt::Error<#err>>> + '_ {
            #rt::pages::stream(
                #rule,
                move |next| {
                    // The caller's options, moved on to the page the rule names.
                    let mut options = options.clone();
                    #set
                    async move { self.#name(&options).await }
                },
                |page| #take,
            )
        }
    })
}
