//! The async client: one method per operation, one per variant of a tagged-enum body.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::status_variant_ident;
use super::{Ctx, docs};
use crate::ir::*;
use crate::names::ident;
use specwright_oas::template::{self, Piece};

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
            /// A client sending requests through `transport`.
            pub fn new(transport: #rt::Transport, #(#ctor_args)*) -> Self {
                Self { transport, #(#ctor_inits)* }
            }

            /// The transport requests go through.
            pub fn transport(&self) -> &#rt::Transport { &self.transport }

            #(#getters)*

            #setters

            #(#methods)*
        }
    }
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

/// The Rust type a parameter is passed as.
fn arg_type(ty: &TypeRef, ctx: &Ctx) -> TokenStream {
    let types = quote!(types::);
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Vec(inner) => {
            let inner = inner.tokens(ctx, &types);
            quote!(&[#inner])
        }
        TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 | TypeRef::Bool => ty.tokens(ctx, &types),
        other => {
            let t = other.tokens(ctx, &types);
            quote!(&#t)
        }
    }
}

fn ok_type(op: &Operation, ctx: &Ctx) -> TokenStream {
    if let Some(outcome) = &op.outcome_type {
        let o = ident(outcome);
        return quote!(types::#o);
    }
    match op
        .responses
        .iter()
        .find(|r| r.success)
        .and_then(|r| r.ty.as_ref())
    {
        Some(ty) => ty.tokens(ctx, &quote!(types::)),
        None => quote!(()),
    }
}

fn err_type(op: &Operation, ctx: &Ctx) -> TokenStream {
    if let Some(error) = &op.error_type {
        let e = ident(error);
        return quote!(types::#e);
    }
    match op
        .responses
        .iter()
        .find(|r| !r.success)
        .and_then(|r| r.ty.as_ref())
    {
        Some(ty) => ty.tokens(ctx, &quote!(types::)),
        None => quote!(()),
    }
}

fn operation(op: &Operation, service: &Service, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&op.name);
    let is_client_param = |p: &Param| service.client_params.iter().any(|c| c.wire == p.wire);

    // Arguments: path (not held by the client), required query/header, body, options.
    let mut args = Vec::new();
    let mut call_args = Vec::new();
    for p in op
        .path_params
        .iter()
        .filter(|p| !is_client_param(p))
        .chain(&op.required_params)
    {
        let n = ident(&p.name);
        let t = arg_type(&p.ty, ctx);
        args.push(quote!(#n: #t));
        call_args.push(quote!(#n));
    }
    let body_arg = op.body.as_ref().map(|b| {
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
    let options_arg = op.options_type.as_ref().map(|o| {
        let o = ident(o);
        quote!(options: &types::#o)
    });

    // The path, with each parameter percent-encoded as one segment, bound to a local of its
    // name and captured by the format string (`format!("/v2/{project_id}/volumes")`).
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
        let value = if is_client_param(p) {
            quote!(&self.#n)
        } else if p.ty == TypeRef::String {
            quote!(#n)
        } else {
            let text = text_of(p, quote!(#n), ctx);
            quote!(&#text)
        };
        segments.push(quote!(let #local = #rt::encode_path_segment(#value);));
    }

    let query_pushes = op
        .required_params
        .iter()
        .chain(&op.optional_params)
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| {
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
    let header_sets = op.required_params.iter().chain(&op.optional_params).filter(|p| p.location == ParamLocation::Header).map(|p| {
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
    let body_set = op.body.as_ref().map(|b| {
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
    });
    let all_args: Vec<TokenStream> = args
        .iter()
        .cloned()
        .chain(body_arg.clone())
        .chain(options_arg.clone())
        .collect();
    let path_expr = if segments.is_empty() {
        let literal = &op.path;
        quote!(let path: &str = #literal;)
    } else {
        quote!(#(#segments)* let path: &str = &format!(#fmt);)
    };
    let method = format_ident!("{}", op.method);
    let query_mut = (op
        .required_params
        .iter()
        .chain(&op.optional_params)
        .any(|p| p.location == ParamLocation::Query))
    .then(|| quote!(mut));

    // `Accept` as the operation's success responses produce: a server producing only text
    // or images answers `application/json` with 406.
    let accept = op.accept();
    let request = if accept == "application/json" {
        quote!(let request = self.transport.request(#rt::reqwest::Method::#method, path, &query);)
    } else {
        quote!(let request = self.transport.request_accepting(#rt::reqwest::Method::#method, path, &query, #accept);)
    };
    let arms = response_arms(op, ctx);
    let ok = ok_type(op, ctx);
    let err = err_type(op, ctx);
    let mut summary_line = format!(
        "`{} {}` (operation `{}`). Documented statuses: {}.",
        op.method,
        op.path,
        op.id,
        documented_statuses(op)
    );
    if let Some(credentials) = super::security::described(op) {
        summary_line.push(' ');
        summary_line.push_str(&credentials);
    }
    let op_id = &op.id;
    let doc = docs::attrs(&[op.summary.as_deref(), op.description.as_deref()]);
    let where_doc = docs::raw(&if op.summary.is_some() || op.description.is_some() {
        format!("\n{summary_line}")
    } else {
        summary_line
    });
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let ret = quote!(::std::result::Result<#rt::Response<#ok>, #rt::Error<#err>>);

    let actions = op.actions.iter().map(|a| {
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
        let boxed = service.types.iter().any(|t| {
            &t.name == enum_name
                && matches!(&t.kind, TypeKind::Tagged { variants } if variants.iter().any(|tv| tv.name == a.variant && tv.boxed))
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
            .iter()
            .cloned()
            .chain(Some(quote!(params: &#inner)))
            .chain(options_arg.clone())
            .collect();
        let action_call: Vec<TokenStream> = call_args
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

    let stream = paged_stream(op, service, ctx);
    let send = if op.security.is_empty() {
        quote!(let raw = self.transport.send(#op_id, request).await?;)
    } else {
        let security = super::security::requirements(op);
        quote!(let raw = self.transport.send_secured(#op_id, #security, request).await?;)
    };
    quote! {
        #doc
        #where_doc
        #deprecated
        pub async fn #name(&self, #(#all_args),*) -> #ret {
            #path_expr
            let #query_mut query = #rt::Query::new();
            #(#query_pushes)*
            #request
            #(#header_sets)*
            #body_set
            #send
            match raw.status.as_u16() {
                #(#arms)*
            }
        }

        #(#actions)*

        #stream
    }
}

/// `<operation>_stream`: every item of a paged list (see `crate::paging` for the rule), for
/// lists the client can call with its options alone.
fn paged_stream(op: &Operation, service: &Service, ctx: &Ctx) -> Option<TokenStream> {
    let paging = op.paging.as_ref()?;
    let options = op.options_type.as_ref()?;
    let held = |p: &Param| service.client_params.iter().any(|c| c.wire == p.wire);
    if !op.required_params.is_empty() || !op.path_params.iter().all(held) || op.body.is_some() {
        return None;
    }
    let rt = &ctx.rt;
    let name = ident(&op.name);
    let stream_name = ident(&paging.stream);
    let options = ident(options);
    let item = paging.item.tokens(ctx, &quote!(types::));
    let err = err_type(op, ctx);
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
fn documented_statuses(op: &Operation) -> String {
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
