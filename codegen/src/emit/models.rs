//! Models: one Rust type per [`TypeDef`], plus per-operation options, outcomes and errors.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs};
use crate::ir::*;
use crate::names::ident;

/// Part `part` of `parts` of the `types` module: a run of whole items, wrapped in the
/// module (the first part carries its doc). The parts' texts splice into the one module
/// (see `emit::file`). Types come first, then each operation's options, outcome and error.
pub fn types(service: &Service, ctx: &Ctx, part: usize, parts: usize) -> TokenStream {
    let items = service.types.len() + service.operations.len();
    let (start, end) = (items * part / parts, items * (part + 1) / parts);
    if part > 0 && start == end {
        return quote!();
    }
    let in_part = |i: &usize| (start..end).contains(i);
    let defs = (0..service.types.len())
        .filter(in_part)
        .map(|i| type_def(&service.types[i], service, ctx));
    let per_op = (0..service.operations.len())
        .filter(|i| in_part(&(service.types.len() + i)))
        .map(|i| operation_types(&service.operations[i], ctx));
    let module_doc = (part == 0).then(|| docs::attrs(&[Some(&format!("Models of the {}.", service.title))]));
    // The derives by their short names, where no model takes them.
    let rt = &ctx.rt;
    let serde_names = (part == 0 && ctx.std.serde_imported).then(|| {
        quote! {
            #[allow(unused_imports)]
            use #rt::serde::{Deserialize, Serialize};
        }
    });
    quote! {
        #module_doc
        pub mod types {
            #serde_names
            #(#defs)*
            #(#per_op)*
        }
    }
}

fn serde_crate(ctx: &Ctx) -> TokenStream {
    let krate = format!("{}::serde", ctx.rt_str);
    quote!(#[serde(crate = #krate)])
}

fn type_def(t: &TypeDef, service: &Service, ctx: &Ctx) -> TokenStream {
    let super::Std { string, .. } = &ctx.std;
    let name = ident(&t.name);
    let doc = docs::attrs(&[t.doc.as_deref()]);
    let serde_crate = serde_crate(ctx);
    let serde_derives = &ctx.std.serde_derives;
    let here = quote!();
    match &t.kind {
        TypeKind::Alias(ty) => {
            let ty = ty.tokens(ctx, &here);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Newtype { ty, boxed } => {
            let mut ty = ty.tokens(ctx, &here);
            if *boxed {
                let b = &ctx.std.boxed;
                ty = quote!(#b<#ty>);
            }
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #serde_derives)]
                #serde_crate
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
        TypeKind::Struct {
            fields,
            additional,
            deny_unknown,
        } => {
            let all_optional = fields.iter().all(|f| !f.required);
            let default = all_optional.then(|| quote!(Default,));
            // A struct of plain fields is written and read by the runtime's `impl_object!`;
            // one that flattens others in keeps serde's derives, which buffer for them.
            let compact = additional.is_none() && !fields.iter().any(|f| f.flatten);
            let (derives, serde_attrs, object) = if compact {
                (None, None, Some(object_impl(&name, fields, *deny_unknown, ctx)))
            } else {
                let deny = deny_unknown.then(|| quote!(#[serde(deny_unknown_fields)]));
                (Some(serde_derives), Some(quote!(#serde_crate #deny)), None)
            };
            let setters = service
                .requested
                .contains(&t.name)
                .then(|| setters(&name, fields, ctx));
            let fields = fields.iter().map(|f| field(f, compact, ctx));
            let extra = additional.as_ref().map(|ty| {
                let ty = ty.tokens(ctx, &here);
                quote! {
                    /// Properties beyond the documented ones.
                    #[serde(flatten)]
                    pub additional_properties: ::std::collections::BTreeMap<#string, #ty>,
                }
            });
            let constructor = (!all_optional).then(|| constructor(&name, t, ctx));
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #default #derives)]
                #serde_attrs
                pub struct #name {
                    #(#fields)*
                    #extra
                }
                #object

                #constructor
                #setters
            }
        }
        TypeKind::StringEnum {
            variants,
            default,
            transitional,
        } => {
            let settles = (!transitional.is_empty()).then(|| {
                let rt = &ctx.rt;
                let names = transitional.iter().map(|n| ident(n));
                quote! {
                    impl #rt::wait::Status for #name {
                        /// One of the spec's `x-transitional` values: the resource leaves it by itself.
                        fn is_transitional(&self) -> bool {
                            matches!(self, #(Self::#names)|*)
                        }
                    }
                }
            });
            let ty = string_enum(&name, &doc, variants, default.as_deref(), ctx);
            quote!(#ty #settles)
        }
        TypeKind::Tagged { variants } => {
            let vs = variants.iter().map(|v| {
                let vname = ident(&v.name);
                let key = &v.key;
                let ty = boxed_if(v.boxed, v.ty.tokens(ctx, &here), ctx);
                let doc = docs::attrs(&[v.doc.as_deref()]);
                quote! { #doc #[serde(rename = #key)] #vname(#ty), }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #serde_derives)]
                #serde_crate
                // Variants mirror the spec's shapes; boxing them would only move the cost.
                #[allow(clippy::large_enum_variant)]
                pub enum #name { #(#vs)* }
            }
        }
        TypeKind::Discriminated { tag, variants } => discriminated(&name, &doc, tag, variants, ctx),
        TypeKind::Untagged { variants } => {
            let vs = variants.iter().map(|v| {
                let vname = ident(&v.name);
                let ty = boxed_if(v.boxed, v.ty.tokens(ctx, &here), ctx);
                quote! { #vname(#ty), }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #serde_derives)]
                #serde_crate
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name { #(#vs)* }
            }
        }
    }
}

/// An enum told apart by its property `tag`: each variant the object of one tag value; the
/// runtime's `discriminated` helpers write the tag once and keep an unknown one whole.
fn discriminated(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    tag: &str,
    variants: &[DiscriminatedVariant],
    ctx: &Ctx,
) -> TokenStream {
    let super::Std { string, result, .. } = &ctx.std;
    let rt = &ctx.rt;
    let here = quote!();
    let helpers = quote!(#rt::serde_helpers::discriminated);
    let names: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let types = variants
        .iter()
        .map(|v| boxed_if(v.boxed, v.ty.tokens(ctx, &here), ctx));
    let variant_docs = values.iter().map(|v| format!(" `{tag}: {v}`"));
    let other_doc =
        format!(" An object whose `{tag}` this client does not know, or that has none: kept whole.");
    let tag_doc = format!(" The `{tag}` this value is sent with.");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #[doc = #variant_docs] #names(#types), )*
            #[doc = #other_doc]
            Other(#rt::serde_json::Map<#string, #rt::serde_json::Value>),
        }

        impl #name {
            #[doc = #tag_doc]
            pub fn tag(&self) -> ::std::option::Option<&str> {
                match self {
                    #( Self::#names(_) => Some(#values), )*
                    Self::Other(object) => object.get(#tag).and_then(|v| v.as_str()),
                }
            }
        }

        impl #rt::serde::Serialize for #name {
            fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                match self {
                    #( Self::#names(value) => #helpers::write(serializer, #tag, #values, value), )*
                    Self::Other(object) => #rt::serde::Serialize::serialize(object, serializer),
                }
            }
        }

        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let (tag, object) = #helpers::read(deserializer, #tag)?;
                match tag.as_deref() {
                    #( Some(#values) => #helpers::variant(object, #tag).map(Self::#names), )*
                    _ => Ok(Self::Other(object)),
                }
            }
        }
    }
}

fn boxed_if(boxed: bool, ty: TokenStream, ctx: &Ctx) -> TokenStream {
    let b = &ctx.std.boxed;
    if boxed { quote!(#b<#ty>) } else { ty }
}

/// `new(required fields...)`: everything optional starts absent, so a struct with one
/// required field among fifteen takes one argument to build.
fn constructor(name: &proc_macro2::Ident, t: &TypeDef, ctx: &Ctx) -> TokenStream {
    let super::Std {
        option, boxed, none, ..
    } = &ctx.std;
    let TypeKind::Struct {
        fields, additional, ..
    } = &t.kind
    else {
        return quote!();
    };
    let here = quote!();
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let n = ident(&f.name);
        let mut ty = f.ty.tokens(ctx, &here);
        if f.boxed {
            ty = quote!(#boxed<#ty>);
        }
        if f.nullable {
            ty = quote!(#option<#ty>);
        }
        quote!(#n: #ty)
    });
    let inits = fields.iter().map(|f| {
        let n = ident(&f.name);
        if f.required { quote!(#n) } else { quote!(#n: #none) }
    });
    let extra = additional
        .as_ref()
        .map(|_| quote!(additional_properties: ::std::collections::BTreeMap::new(),));
    // clippy's limit: seven arguments.
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            /// With its required fields; the optional ones absent.
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #extra }
            }
        }
    }
}

/// Builder-style setters: `.name("x")`, `.size(10)`, `.name(None)`. A setter takes the
/// value itself or an `Option` of it (the runtime's `Maybe`); for a nullable field `None` is
/// `null`, for any other optional field it leaves the field out.
fn setters(name: &proc_macro2::Ident, fields: &[Field], ctx: &Ctx) -> TokenStream {
    let super::Std { boxed, into, .. } = &ctx.std;
    let rt = &ctx.rt;
    let here = quote!();
    // Required fields are `new`'s arguments.
    let methods = fields.iter().filter(|f| !f.required || f.nullable).map(|f| {
        let field = ident(&f.name);
        let setter = ident(&f.setter);
        let ty = f.ty.tokens(ctx, &here);
        let value = if f.boxed {
            quote!(value.into().into_option().map(#boxed::new))
        } else {
            quote!(value.into().into_option())
        };
        // `Some`, not a path: the generated module defines types, never values.
        let (assign, doc) = match (f.required, f.nullable) {
            (false, true) => (
                quote!(Some(#value)),
                format!(" Sets `{}`; `None` sends `null`.", f.wire),
            ),
            (true, _) => (value, format!(" Sets `{}`; `None` sends `null`.", f.wire)),
            (false, false) => (value, format!(" Sets `{}`; `None` leaves it out.", f.wire)),
        };
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl #into<#rt::Maybe<#ty>>) -> Self {
                self.#field = #assign;
                self
            }
        }
    });
    let methods: Vec<TokenStream> = methods.collect();
    if methods.is_empty() {
        return quote!();
    }
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// The runtime's `impl_object!` for a struct of plain fields: each field's index, how it
/// is written and read (by whether it is required and nullable), and its wire name where
/// that is not the field's own.
fn object_impl(name: &proc_macro2::Ident, fields: &[Field], deny: bool, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let deny = deny.then(|| quote!(deny_unknown_fields));
    let entries = fields.iter().enumerate().map(|(i, f)| {
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        let field = ident(&f.name);
        let how = match (f.required, f.nullable) {
            (true, false) => quote!(required),
            (true, true) => quote!(nullable),
            (false, false) => quote!(optional),
            (false, true) => quote!(absent_or_null),
        };
        // A raw identifier (`r#type`) is not its wire name either.
        let wire = (f.name != f.wire).then(|| {
            let wire = &f.wire;
            quote!(, #wire)
        });
        quote!(#field(#index, #how #wire))
    });
    quote! { #rt::impl_object!(#name #deny { #(#entries),* }); }
}

/// A struct's field; `compact`: the runtime's `impl_object!` writes and reads it, so it
/// takes no serde attributes.
fn field(f: &Field, compact: bool, ctx: &Ctx) -> TokenStream {
    let super::Std {
        option,
        boxed,
        is_none,
        ..
    } = &ctx.std;
    let name = ident(&f.name);
    let here = quote!();
    let mut ty = f.ty.tokens(ctx, &here);
    if f.boxed {
        ty = quote!(#boxed<#ty>);
    }
    let facts = docs::facts(f.constraints.as_deref(), f.default.as_ref());
    let doc = docs::attrs(&[f.doc.as_deref(), facts.as_deref()]);
    if f.flatten {
        return quote! { #doc #[serde(flatten)] pub #name: #ty, };
    }
    if compact {
        let ty = if f.nullable { quote!(#option<#ty>) } else { ty };
        let ty = if f.required { ty } else { quote!(#option<#ty>) };
        return quote! { #doc pub #name: #ty, };
    }
    let rename = f.renamed().map(|wire| quote!(rename = #wire));
    let double = format!("{}::serde_helpers::double_option", ctx.rt_str);
    // serde reads an absent `Option` field as `None` by itself; `default` is needed only
    // where `with` takes the field over.
    let (attrs, ty) = match (f.required, f.nullable) {
        (true, false) => (vec![], ty),
        (true, true) => (vec![], quote!(#option<#ty>)),
        (false, false) => (vec![quote!(skip_serializing_if = #is_none)], quote!(#option<#ty>)),
        // Absent and `null` both occur and differ: `None` absent, `Some(None)` null.
        (false, true) => (
            vec![quote!(default, skip_serializing_if = #is_none, with = #double)],
            quote!(#option<#option<#ty>>),
        ),
    };
    let attrs: Vec<TokenStream> = rename.into_iter().chain(attrs).collect();
    let attrs = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
    quote! { #doc #attrs pub #name: #ty, }
}

/// An open string enum: the type here, its behaviour from the runtime's
/// `impl_string_enum!` (`as_str`, the conversions and serde, written once for every enum).
fn string_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[EnumValue],
    default: Option<&str>,
    ctx: &Ctx,
) -> TokenStream {
    let rt = &ctx.rt;
    let string = &ctx.std.string;
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires = variants.iter().map(|v| v.wire.as_str());
    let variant_docs = variants.iter().map(|v| format!(" `{}`", v.wire));
    let default_wire = default.filter(|d| variants.iter().any(|v| v.wire == *d));
    let derive_default = default_wire.map(|_| quote!(Default,));
    let default_marks = variants
        .iter()
        .map(|v| (Some(v.wire.as_str()) == default_wire).then(|| quote!(#[default])));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
        pub enum #name {
            #( #[doc = #variant_docs] #default_marks #idents, )*
            /// A value the spec does not list.
            Other(#string),
        }
        #rt::impl_string_enum!(#name { #( #idents = #wires ),* });
    }
}

/// Options struct, outcome enum and error enum of one operation, where it needs them.
fn operation_types(op: &Operation, ctx: &Ctx) -> TokenStream {
    let super::Std { option, into, .. } = &ctx.std;
    let here = quote!();
    let options = op.options_type.as_ref().map(|n| {
        let name = ident(n);
        let doc = docs::raw(&format!(
            "Optional parameters of [`Client::{}`](super::Client::{}).",
            op.name, op.name
        ));
        let fields = op.optional_params.iter().map(|p| {
            let fname = ident(&p.name);
            let ty = p.ty.tokens(ctx, &here);
            let where_ = match p.location {
                ParamLocation::Query => format!("Query parameter `{}`.", p.wire),
                ParamLocation::Header => format!("Header `{}`.", p.wire),
                ParamLocation::Path => format!("Path parameter `{}`.", p.wire),
            };
            let facts = docs::facts(p.constraints.as_deref(), p.default.as_ref());
            let doc = docs::attrs(&[p.doc.as_deref(), facts.as_deref(), Some(&where_)]);
            quote! { #doc pub #fname: #option<#ty>, }
        });
        let rt = &ctx.rt;
        let setters = op.optional_params.iter().map(|p| {
            let fname = ident(&p.name);
            let ty = p.ty.tokens(ctx, &here);
            let doc = format!(" Sets `{}`; `None` leaves it out.", p.wire);
            quote! {
                #[doc = #doc]
                pub fn #fname(mut self, value: impl #into<#rt::Maybe<#ty>>) -> Self {
                    self.#fname = value.into().into_option();
                    self
                }
            }
        });
        quote! {
            #doc
            #[derive(Debug, Clone, Default, PartialEq)]
            pub struct #name { #(#fields)* }

            impl #name {
                #(#setters)*
            }
        }
    });
    let outcome = op.outcome_type.as_ref().map(|n| {
        let name = ident(n);
        let doc = docs::raw(&format!(
            "The documented success outcomes of [`Client::{}`](super::Client::{}).",
            op.name, op.name
        ));
        let vs = op
            .responses
            .iter()
            .filter(|r| r.success)
            .map(|r| status_variant(r, ctx));
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name { #(#vs)* }
        }
    });
    let error = op.error_type.as_ref().map(|n| {
        let name = ident(n);
        let doc = docs::raw(&format!(
            "The documented error bodies of [`Client::{}`](super::Client::{}).",
            op.name, op.name
        ));
        let vs = op
            .responses
            .iter()
            .filter(|r| !r.success)
            .map(|r| status_variant(r, ctx));
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name { #(#vs)* }
        }
    });
    quote! { #options #outcome #error }
}

pub(crate) fn status_variant_ident(r: &ResponseDef) -> proc_macro2::Ident {
    ident(&r.variant)
}

fn status_variant(r: &ResponseDef, ctx: &Ctx) -> TokenStream {
    let super::Std { option, .. } = &ctx.std;
    let v = status_variant_ident(r);
    let doc = docs::attrs(&[r.doc.as_deref()]);
    match &r.ty {
        Some(ty) if r.body_optional => {
            let ty = ty.tokens(ctx, &quote!());
            quote! { #doc #v(#option<#ty>), }
        }
        Some(ty) => {
            let ty = ty.tokens(ctx, &quote!());
            quote! { #doc #v(#ty), }
        }
        None => quote! { #doc #v, },
    }
}
