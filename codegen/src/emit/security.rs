//! The client's credential setters, one per security scheme, and an operation's
//! requirements as the runtime takes them.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs};
use crate::ir::*;
use crate::names::ident;

/// `with_<scheme>` setters (and `with_<scheme>_token` for OAuth2 and OpenID Connect).
pub fn setters(service: &Service, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let mut out = TokenStream::new();
    for scheme in &service.security_schemes {
        let key = &scheme.key;
        let uses = format!(
            "\nSent with the operations whose `security` names `{key}` (see each method's docs). \
             The value is held as a secret: no `Debug`, log or error shows it."
        );
        let described = scheme.doc.as_deref();
        if let Some(setter) = &scheme.setter {
            let name = ident(setter);
            let (what, args, credential) = match &scheme.kind {
                SchemeKind::ApiKey { location, name } => {
                    let place = match location {
                        KeyLocation::Header => quote!(#rt::KeyIn::Header),
                        KeyLocation::Query => quote!(#rt::KeyIn::Query),
                        KeyLocation::Cookie => quote!(#rt::KeyIn::Cookie),
                    };
                    (
                        format!(
                            "the API key of `{key}`, sent as given (nothing is computed from it) as the {} `{name}`.",
                            location.label()
                        ),
                        quote!(key: impl ::std::convert::Into<::std::string::String>),
                        quote!(#rt::Credential::api_key(#place, #name, key)),
                    )
                }
                SchemeKind::Bearer { format } => (
                    format!(
                        "the bearer token of `{key}`{}, sent as `Authorization: Bearer`.",
                        format.as_ref().map(|f| format!(" ({f})")).unwrap_or_default()
                    ),
                    quote!(token: impl ::std::convert::Into<::std::string::String>),
                    quote!(#rt::Credential::bearer(token)),
                ),
                SchemeKind::Basic => (
                    format!("the user and password of `{key}`, sent as `Authorization: Basic`."),
                    quote!(
                        username: impl ::std::convert::Into<::std::string::String>,
                        password: impl ::std::convert::Into<::std::string::String>
                    ),
                    quote!(#rt::Credential::basic(username, password)),
                ),
                SchemeKind::OAuth2 {
                    client_credentials: Some((token_url, scopes)),
                    ..
                } => {
                    let listed = if scopes.is_empty() {
                        "none".to_string()
                    } else {
                        scopes
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    (
                        format!(
                            "the client id and secret of `{key}` (OAuth2 client credentials): a token is \
                             asked of `{token_url}` for `scopes` (none: the server's default; the spec \
                             lists {listed}), kept until shortly before it expires, and asked again; \
                             concurrent calls share one request. For other settings, build a \
                             `ClientCredentials` and set it with `Transport::with_credential`."
                        ),
                        quote!(
                            client_id: impl ::std::convert::Into<::std::string::String>,
                            client_secret: impl ::std::convert::Into<::std::string::String>,
                            scopes: &[&str]
                        ),
                        quote!(#rt::Credential::ClientCredentials(
                            #rt::ClientCredentials::new(#token_url, client_id, client_secret)
                                .scopes(scopes.iter().copied())
                        )),
                    )
                }
                // Lowering gives these no `setter`.
                SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => continue,
            };
            let doc = docs::attrs(&[Some(&format!("Sets {what}")), described, Some(&uses)]);
            out.extend(quote! {
                #doc
                pub fn #name(mut self, #args) -> Self {
                    self.transport = self.transport.with_credential(#key, #credential);
                    self
                }
            });
        }
        if let Some(setter) = &scheme.token_setter {
            let name = ident(setter);
            let how = match &scheme.kind {
                SchemeKind::OpenIdConnect { url } => format!("OpenID Connect, discovered at `{url}`"),
                SchemeKind::OAuth2 { flows, .. } => format!("OAuth2, flows: {}", flows.join(", ")),
                _ => String::new(),
            };
            let what = format!(
                "Sets a token of `{key}` ({how}) got by other means, sent as `Authorization: Bearer`; \
                 the client does not renew it."
            );
            let doc = docs::attrs(&[Some(&what), described, Some(&uses)]);
            out.extend(quote! {
                #doc
                pub fn #name(mut self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.transport = self.transport.with_credential(#key, #rt::Credential::bearer(token));
                    self
                }
            });
        }
    }
    out
}

/// The requirements as a `Security` value (`&[&["a"], &["b", "c"]]`).
pub fn requirements(op: &Operation) -> TokenStream {
    let each = op.security.iter().map(|req| quote!(&[#(#req),*]));
    quote!(&[#(#each),*])
}

/// The requirements in words, for a method's docs: "`a`, or `b` and `c`".
pub fn described(op: &Operation) -> Option<String> {
    if op.security.is_empty() {
        return None;
    }
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|req| match req.as_slice() {
            [] => "none".to_string(),
            schemes => schemes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" and "),
        })
        .collect();
    Some(format!("Credentials: {}.", alternatives.join(", or ")))
}
