//! One method per variant of a tagged-enum body (`extend_volume`, `attach_volume`, ...),
//! each wrapping its parameters in the variant and calling the operation's method.

use proc_macro2::TokenStream;
use quote::quote;

use super::signature::Args;
use crate::emit::{Ctx, docs};
use crate::ir::*;
use crate::names::ident;

/// The variant methods of `op`, which takes `args` and returns `ret`.
pub(super) fn methods(
    op: &Operation,
    service: &Service,
    ctx: &Ctx,
    args: &Args,
    ret: &TokenStream,
    deprecated: Option<&TokenStream>,
) -> TokenStream {
    let name = ident(&op.name);
    let methods = op.actions.iter().map(|a| {
        let m = ident(&a.method);
        let v = ident(&a.variant);
        let Some(Body {
            ty: TypeRef::Named(enum_name),
            required,
            ..
        }) = &op.body
        else {
            return quote!();
        };
        let enum_ident = ident(enum_name);
        let inner = a.ty.tokens(ctx, &quote!(types::));
        let boxed = service.definition(enum_name).is_some_and(|t| {
            matches!(&t.kind, TypeKind::Tagged { variants } if variants.iter().any(|tv| tv.name == a.variant && tv.boxed))
        });
        let value = if boxed {
            quote!(::std::boxed::Box::new(params.clone()))
        } else {
            quote!(params.clone())
        };
        let wrapped = quote!(&types::#enum_ident::#v(#value));
        let body_value = if *required {
            wrapped
        } else {
            quote!(Some(#wrapped))
        };
        let pass_options = op.options_type.as_ref().map(|_| quote!(options));
        let action_args: Vec<TokenStream> = args
            .params
            .iter()
            .cloned()
            .chain(Some(quote!(params: &#inner)))
            .chain(args.options.clone())
            .collect();
        let action_call: Vec<TokenStream> = args
            .names
            .iter()
            .cloned()
            .chain(Some(body_value.clone()))
            .chain(pass_options)
            .collect();
        let adoc = docs::attrs(&[a.doc.as_deref()]);
        let via = docs::raw(&format!(
            "\nSends [`types::{enum_name}::{}`] through [`Client::{}`].",
            a.variant, op.name
        ));
        quote! {
            #adoc
            #via
            #deprecated
            pub async fn #m(&self, #(#action_args),*) -> #ret {
                self.#name(#(#action_call),*).await
            }
        }
    });
    quote!(#(#methods)*)
}
