//! `components.securitySchemes` → the client's credential setters; `security` → each
//! operation's requirements.
//!
//! What the runtime cannot apply by itself (an `http` scheme other than `bearer` and
//! `basic`, an OAuth2 flow other than client credentials, OpenID Connect discovery) gets a
//! note: a caller serves it with a token setter or the transport's request hook. A scheme
//! that cannot be sent as written (an empty or unsendable name) is left out with a note;
//! nothing here refuses a spec.

use super::*;
use openapiv3::{APIKeyLocation, SecurityRequirement, SecurityScheme as Scheme};

impl Lower<'_> {
    /// The schemes, their setters claimed in `methods` before any operation's method.
    pub(super) fn security_schemes(&mut self, methods: &mut HashMap<String, String>) -> Vec<SecurityScheme> {
        let api = self.api;
        let Some(components) = api.components.as_ref() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, scheme) in &components.security_schemes {
            let at = join("/components/securitySchemes", key);
            let scheme = match scheme {
                ReferenceOr::Item(s) => s.clone(),
                ReferenceOr::Reference { reference } => match self.resolve::<Scheme>(reference, &at) {
                    Some((s, _)) => s,
                    None => continue,
                },
            };
            let Some((kind, doc)) = self.scheme_kind(&scheme, &at) else {
                continue;
            };
            let base = format!("with_{}", names::field(key).trim_start_matches("r#"));
            let setter = match &kind {
                SchemeKind::OAuth2 {
                    client_credentials: None,
                    ..
                }
                | SchemeKind::OpenIdConnect { .. } => None,
                _ => Some(self.claim_method(methods, &base, &at)),
            };
            let token_setter = matches!(kind, SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. })
                .then(|| self.claim_method(methods, &format!("{base}_token"), &at));
            out.push(SecurityScheme {
                key: key.clone(),
                pointer: at,
                doc,
                kind,
                setter,
                token_setter,
            });
        }
        out
    }

    fn scheme_kind(&mut self, scheme: &Scheme, at: &str) -> Option<(SchemeKind, Option<String>)> {
        let left_out = |at: String, why: String| {
            Diagnostic::note(at, format!("security scheme left out: {why}"))
                .hint("correct the scheme; until then a caller can send it from a request hook")
        };
        match scheme {
            Scheme::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let location = match location {
                    APIKeyLocation::Header => KeyLocation::Header,
                    APIKeyLocation::Query => KeyLocation::Query,
                    APIKeyLocation::Cookie => KeyLocation::Cookie,
                };
                let sendable = match location {
                    KeyLocation::Header => is_token(name),
                    KeyLocation::Query => !name.is_empty(),
                    // RFC 6265's cookie-name: a token.
                    KeyLocation::Cookie => is_token(name),
                };
                if !sendable {
                    let why = format!("`{name}` cannot name a {}", location.label());
                    self.diags.push(left_out(join(at, "name"), why));
                    return None;
                }
                let kind = SchemeKind::ApiKey {
                    location,
                    name: name.clone(),
                };
                Some((kind, non_empty(description)))
            }
            Scheme::HTTP {
                scheme: http,
                bearer_format,
                description,
                ..
            } => {
                let kind = if http.eq_ignore_ascii_case("bearer") {
                    SchemeKind::Bearer {
                        format: non_empty(bearer_format),
                    }
                } else if http.eq_ignore_ascii_case("basic") {
                    SchemeKind::Basic
                } else {
                    let why = format!(
                        "the HTTP scheme `{http}` is not one the runtime applies (`bearer`, `basic`)"
                    );
                    self.diags.push(left_out(join(at, "scheme"), why));
                    return None;
                };
                Some((kind, non_empty(description)))
            }
            Scheme::OAuth2 {
                flows, description, ..
            } => {
                let mut names = Vec::new();
                if flows.implicit.is_some() {
                    names.push("implicit".to_string());
                }
                if flows.password.is_some() {
                    names.push("password".to_string());
                }
                if flows.client_credentials.is_some() {
                    names.push("clientCredentials".to_string());
                }
                if flows.authorization_code.is_some() {
                    names.push("authorizationCode".to_string());
                }
                let client_credentials = match &flows.client_credentials {
                    Some(flow) if flow.token_url.trim().is_empty() => {
                        let at = join(&join(&join(at, "flows"), "clientCredentials"), "tokenUrl");
                        self.diags.push(
                            Diagnostic::note(
                                at,
                                "an empty `tokenUrl`: the client credentials flow is left out",
                            )
                            .hint("give the token endpoint's URL"),
                        );
                        None
                    }
                    Some(flow) => Some((
                        flow.token_url.trim().to_string(),
                        flow.scopes.keys().cloned().collect(),
                    )),
                    None => None,
                };
                if client_credentials.is_none() {
                    self.diags.push(
                        Diagnostic::note(
                            join(at, "flows"),
                            "no client credentials flow: the client takes a token got by other means, sent as a bearer token",
                        )
                        .hint("set it with the scheme's `_token` setter, or from a request hook"),
                    );
                }
                let kind = SchemeKind::OAuth2 {
                    client_credentials,
                    flows: names,
                };
                Some((kind, non_empty(description)))
            }
            Scheme::OpenIDConnect {
                open_id_connect_url,
                description,
                ..
            } => {
                self.diags.push(
                    Diagnostic::note(
                        at,
                        "OpenID Connect is not run by the client: it takes a token got by other means, sent as a bearer token",
                    )
                    .hint("set it with the scheme's `_token` setter, or from a request hook"),
                );
                let kind = SchemeKind::OpenIdConnect {
                    url: open_id_connect_url.clone(),
                };
                Some((kind, non_empty(description)))
            }
        }
    }

    /// An operation's requirements: its own `security` where it has one (`[]` is none),
    /// else the document's. A scheme no `securitySchemes` entry declares is kept (a caller
    /// may set it on the transport) with a note.
    pub(super) fn requirements(
        &mut self,
        own: Option<&Vec<SecurityRequirement>>,
        at: &str,
    ) -> Vec<Vec<String>> {
        let (list, list_at) = match own {
            Some(list) => (list, join(at, "security")),
            None => match self.api.security.as_ref() {
                Some(list) => (list, "/security".to_string()),
                None => return Vec::new(),
            },
        };
        let declared = self.api.components.as_ref().map(|c| &c.security_schemes);
        let mut out = Vec::new();
        for (i, requirement) in list.iter().enumerate() {
            let mut schemes = Vec::new();
            for name in requirement.keys() {
                let known = declared.is_some_and(|d| d.contains_key(name));
                // The document's list is read once per operation: noted once.
                if !known && (own.is_some() || !self.noted_security.contains(name)) {
                    self.noted_security.insert(name.clone());
                    self.diags.push(
                        Diagnostic::note(
                            join(&format!("{list_at}/{i}"), name),
                            format!("security scheme `{name}` is not declared: no setter sets it"),
                        )
                        .hint("declare it under `components/securitySchemes`"),
                    );
                }
                schemes.push(name.clone());
            }
            out.push(schemes);
        }
        out
    }
}

/// Whether `name` is an HTTP token (RFC 9110 §5.6.2), as header and cookie names must be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
