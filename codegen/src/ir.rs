//! The resolved model of a service: types and operations with Rust names settled.
//!
//! No tokens here, and no `openapiv3` types: everything an emitter needs, nothing it has
//! to look up again. Order is the spec's order.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub title: String,
    /// `info.version`: the API's version, not the spec format's.
    pub version: String,
    pub description: Option<String>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// Path parameters the client holds once instead of taking them on every call.
    pub client_params: Vec<Param>,
    /// What lowering decided on its own (names settled with a suffix, say).
    pub notes: Vec<crate::Diagnostic>,
    /// The types a request carries (bodies, parameters, and what they hold): these get
    /// setters.
    pub requested: std::collections::HashSet<String>,
    /// `components.securitySchemes` the client can hold a credential for, in the spec's
    /// order.
    pub security_schemes: Vec<SecurityScheme>,
}

/// A security scheme as the client's setters for its credential.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its name in the spec, the key operations' requirements use.
    pub key: String,
    pub pointer: String,
    pub doc: Option<String>,
    pub kind: SchemeKind,
    /// The client's setter of its credential (`with_api_key`); for OAuth2, of the client
    /// id and secret, where the scheme has a `clientCredentials` flow.
    pub setter: Option<String>,
    /// For OAuth2 and OpenID Connect: the setter of a token got by other means, sent as a
    /// bearer token (`with_oauth_token`).
    pub token_setter: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    ApiKey {
        location: KeyLocation,
        name: String,
    },
    Bearer {
        format: Option<String>,
    },
    Basic,
    /// `oauth2`: the `clientCredentials` flow's token URL and scopes where it has one, and
    /// the names of its flows.
    OAuth2 {
        client_credentials: Option<(String, Vec<String>)>,
        flows: Vec<String>,
    },
    OpenIdConnect {
        url: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// Where in the spec it was defined.
    pub pointer: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        /// `additionalProperties` next to declared properties: kept in a flattened map.
        additional: Option<TypeRef>,
        /// `additionalProperties: false`: unknown fields are refused.
        deny_unknown: bool,
    },
    /// A string enum; open: an unknown value deserializes into `Other(String)`.
    StringEnum {
        variants: Vec<EnumValue>,
        default: Option<String>,
        /// Variant names of the values `x-transitional` lists: a resource leaves them by
        /// itself. Non-empty → the type implements the runtime's `wait::Status`.
        transitional: Vec<String>,
    },
    /// A `oneOf` of single-key objects: serde's externally tagged enum.
    Tagged { variants: Vec<TaggedVariant> },
    /// A `oneOf`/`anyOf` told apart by shape (required fields, JSON types).
    Untagged { variants: Vec<UntaggedVariant> },
    /// A `oneOf`/`anyOf` with a `discriminator`: objects told apart by the string property
    /// `tag`, which the enum writes and reads itself; an unknown value is kept whole in
    /// `Other`.
    Discriminated {
        tag: String,
        variants: Vec<DiscriminatedVariant>,
    },
    /// A name for another type (`type X = Vec<Y>`).
    Alias(TypeRef),
    /// A struct of one field holding another type, the same on the wire (serde's
    /// `transparent`): an alias that would name itself (`X = Vec<X>`), which Rust refuses.
    Newtype { ty: TypeRef, boxed: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire: String,
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub doc: Option<String>,
    pub default: Option<Value>,
    /// Boxed to break a cycle of types containing each other.
    pub boxed: bool,
    /// `#[serde(flatten)]`: the field's properties stand beside the struct's own (the
    /// `oneOf` member of an `allOf`).
    pub flatten: bool,
    /// Its builder-style setter (the field's name, unless that is the constructor's).
    pub setter: String,
    /// What the schema allows beyond its type (lengths, bounds, pattern, format), as doc
    /// text.
    pub constraints: Option<String>,
}

impl Service {
    /// The type `name` stands for: its definition, through aliases of one named type
    /// (`type A = B`, a component that is a `$ref` to another).
    pub fn definition(&self, name: &str) -> Option<&TypeDef> {
        let mut name = name;
        for _ in 0..8 {
            let t = self.types.iter().find(|t| t.name == name)?;
            match &t.kind {
                TypeKind::Alias(TypeRef::Named(next)) => name = next,
                _ => return Some(t),
            }
        }
        None
    }

    /// The names of the types reachable from request bodies and parameters.
    pub fn reachable_from_requests(&self) -> std::collections::HashSet<String> {
        let mut seen = std::collections::HashSet::new();
        let mut todo: Vec<&TypeRef> = Vec::new();
        for op in &self.operations {
            todo.extend(op.body.as_ref().map(|b| &b.ty));
            todo.extend(
                op.required_params
                    .iter()
                    .chain(&op.optional_params)
                    .map(|p| &p.ty),
            );
        }
        let by_name: std::collections::HashMap<&str, &TypeDef> =
            self.types.iter().map(|t| (t.name.as_str(), t)).collect();
        while let Some(ty) = todo.pop() {
            match ty {
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => todo.push(inner),
                TypeRef::Named(n) if seen.insert(n.clone()) => match by_name.get(n.as_str()).map(|t| &t.kind)
                {
                    Some(TypeKind::Struct {
                        fields, additional, ..
                    }) => {
                        todo.extend(fields.iter().map(|f| &f.ty));
                        todo.extend(additional);
                    }
                    Some(TypeKind::Tagged { variants }) => todo.extend(variants.iter().map(|v| &v.ty)),
                    Some(TypeKind::Untagged { variants }) => todo.extend(variants.iter().map(|v| &v.ty)),
                    Some(TypeKind::Discriminated { variants, .. }) => {
                        todo.extend(variants.iter().map(|v| &v.ty))
                    }
                    Some(TypeKind::Alias(t) | TypeKind::Newtype { ty: t, .. }) => todo.push(t),
                    _ => {}
                },
                _ => {}
            }
        }
        seen
    }
}

impl Field {
    /// The wire name, where it is not the Rust name (`serde(rename)`; `impl_object!` is
    /// given it wherever it is not the field's identifier, raw ones included).
    pub fn renamed(&self) -> Option<&str> {
        (crate::names::unraw(&self.name) != self.wire).then_some(self.wire.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub name: String,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    pub name: String,
    pub key: String,
    pub ty: TypeRef,
    /// Boxed to break a cycle (`A: oneOf [{a: A}]`).
    pub boxed: bool,
    pub doc: Option<String>,
    /// Name of the client's convenience method for this variant, if the body of an
    /// operation is this enum.
    pub method: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Boxed to break a cycle (`A: oneOf [A, string]`).
    pub boxed: bool,
}

/// A variant of a [`TypeKind::Discriminated`]: the tag's value and the object's type.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscriminatedVariant {
    pub name: String,
    pub value: String,
    pub ty: TypeRef,
    /// Boxed to break a cycle.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    I32,
    I64,
    F64,
    Bool,
    /// Any JSON value.
    Json,
    /// A free-form JSON object.
    JsonObject,
    /// Raw bytes (non-JSON bodies).
    Bytes,
    /// A string of a format the runtime types (`formats::Formatted`): its text kept, its
    /// value read where it parses.
    Formatted(StringFormat),
    Named(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// A value that may be `null` where no field says so: an array's items, a map's values
    /// (`Vec<Option<T>>`).
    Nullable(Box<TypeRef>),
}

/// The string formats with a type of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringFormat {
    Uuid,
    DateTime,
    Date,
    /// `byte`: base64.
    Base64,
}

impl StringFormat {
    /// The format a schema's `format` names, if it is one of these.
    pub fn of(format: &str) -> Option<StringFormat> {
        match format {
            "uuid" => Some(StringFormat::Uuid),
            "date-time" => Some(StringFormat::DateTime),
            "date" => Some(StringFormat::Date),
            "byte" => Some(StringFormat::Base64),
            _ => None,
        }
    }

    /// Its type under the runtime's `formats`.
    pub fn type_name(self) -> &'static str {
        match self {
            StringFormat::Uuid => "Uuid",
            StringFormat::DateTime => "DateTime",
            StringFormat::Date => "Date",
            StringFormat::Base64 => "Base64",
        }
    }
}

impl TypeRef {
    /// The type with every typed format a plain `String` (for parameters: text the caller
    /// has).
    pub fn untyped(self) -> TypeRef {
        match self {
            TypeRef::Formatted(_) => TypeRef::String,
            TypeRef::Vec(inner) => TypeRef::Vec(Box::new(inner.untyped())),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(inner.untyped())),
            TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(inner.untyped())),
            other => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    /// Rust method name.
    pub name: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub path_params: Vec<Param>,
    /// Required query and header parameters: method arguments.
    pub required_params: Vec<Param>,
    /// Optional query and header parameters: fields of the options struct.
    pub optional_params: Vec<Param>,
    /// Name of the options struct, when there are optional parameters.
    pub options_type: Option<String>,
    pub body: Option<Body>,
    pub responses: Vec<ResponseDef>,
    /// When several success statuses carry different bodies: the outcome enum's name.
    pub outcome_type: Option<String>,
    /// When documented error statuses carry different bodies: the error enum's name.
    pub error_type: Option<String>,
    /// Convenience methods, one per variant of a tagged-enum body.
    pub actions: Vec<Action>,
    /// How the list continues on the next page, where the operation is a paged list.
    pub paging: Option<Paging>,
    /// Its security requirements (the operation's, else the document's), each the scheme
    /// names that must all be applied; any one requirement will do. Empty: none.
    pub security: Vec<Vec<String>>,
}

/// A paged list operation: its items, and how the next page is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The response field holding the page's items (Rust name), and the item type.
    pub items: String,
    /// `Option`s around the items' `Vec`: one if optional or nullable, two if both.
    pub items_options: u8,
    pub item: TypeRef,
    pub rule: PagingRule,
    /// The client method streaming every item (`list_volumes_stream`).
    pub stream: String,
}

/// How the next page is asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum PagingRule {
    /// The option `param` takes the last item's `id` (wire name) while the response's
    /// `links` field (wire name) holds a `rel: next` link, or while pages are not empty.
    Marker {
        param: String,
        id: String,
        links: Option<String>,
    },
    /// The option `param` advances by the items seen, until a page is empty.
    Offset { param: String },
    /// The option `param` takes the response's `next` field (wire name) until it is absent.
    Token { param: String, next: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire: String,
    pub name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// Sent as JSON text: a parameter described by `content: application/json`.
    pub json: bool,
    /// An object-valued query parameter: how its properties are spelled.
    pub object: Option<ObjectStyle>,
    /// What its schema allows beyond its type, as doc text (as a field's).
    pub constraints: Option<String>,
    /// Its schema's `default`: what the server assumes when it is left out.
    pub default: Option<Value>,
}

/// How an object-valued query parameter is spelled (`style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStyle {
    /// `form`, `explode: true` (the default): `a=1&b=2`.
    FormExploded,
    /// `form`, `explode: false`: `name=a,1,b,2`.
    Form,
    /// `deepObject`: `name[a]=1&name[b]=2`.
    DeepObject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The model sent (for JSON and form bodies); `Bytes` for the others.
    pub ty: TypeRef,
    pub required: bool,
    pub content_type: String,
    pub encoding: BodyEncoding,
    /// The examples of the media type sent.
    pub examples: Vec<Example>,
}

/// An example the spec gives for a body: `example`, or one of `examples` (by its key).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub name: String,
    pub value: Value,
}

/// How a request body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` and `*+json`: the model as JSON.
    Json,
    /// `application/x-www-form-urlencoded`: the model's fields as `a=1&b=2`.
    Form,
    /// `multipart/*`: a `reqwest::multipart::Form` the caller builds.
    Multipart,
    /// Anything else: the bytes as given, with the content type.
    Bytes,
}

impl BodyEncoding {
    pub fn of(content_type: &str) -> BodyEncoding {
        let ct = specwright_oas::media::essence(content_type);
        // Where any type will do, JSON is what the client sends.
        if specwright_oas::media::is_json(&ct) || ct == "*/*" || ct == "application/*" {
            BodyEncoding::Json
        } else if ct == "application/x-www-form-urlencoded" {
            BodyEncoding::Form
        } else if ct.starts_with("multipart/") {
            BodyEncoding::Multipart
        } else {
            BodyEncoding::Bytes
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDef {
    pub status: StatusMatch,
    pub ty: Option<TypeRef>,
    pub success: bool,
    pub doc: Option<String>,
    /// The documented body may be absent: beside it, a media type of an empty string
    /// (`type: string, maxLength: 0`), as when one operation's outcomes differ by request;
    /// decoded as `Option<T>`.
    pub body_optional: bool,
    /// The examples of the media type decoded.
    pub examples: Vec<Example>,
    /// The `components/responses` entry it is, when the operation refers to one.
    pub shared: Option<String>,
    /// Its variant in the operation's outcome or error enum (`Status404`, `Other`).
    pub variant: String,
    /// The media types the spec lists for it, in its order (`image/png`, `text/plain`).
    pub media_types: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX`: the first digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub method: String,
    pub variant: String,
    pub ty: TypeRef,
    pub doc: Option<String>,
}

impl Operation {
    /// The `Accept` a request of this operation sends: the media types its success
    /// responses produce, in the spec's order, or `application/json` where they list none.
    pub fn accept(&self) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for r in self.responses.iter().filter(|r| r.success) {
            for m in &r.media_types {
                let m = m.trim();
                // What a header cannot carry is left out rather than failing every call.
                let sendable = m.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
                if sendable && !m.is_empty() && !seen.iter().any(|s| s.eq_ignore_ascii_case(m)) {
                    seen.push(m);
                }
            }
        }
        if seen.is_empty() {
            "application/json".to_string()
        } else {
            seen.join(", ")
        }
    }
}

impl KeyLocation {
    /// Where the key goes, in words (`header`, `query parameter`, `cookie`).
    pub fn label(self) -> &'static str {
        match self {
            KeyLocation::Header => "header",
            KeyLocation::Query => "query parameter",
            KeyLocation::Cookie => "cookie",
        }
    }
}

impl ParamLocation {
    /// `path`, `query` or `header`, as the spec's `in` says it.
    pub fn label(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

impl StatusMatch {
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(c) => (200..400).contains(&c),
            StatusMatch::Range(r) => r == 2 || r == 3,
            StatusMatch::Default => false,
        }
    }

    pub fn label(self) -> String {
        match self {
            StatusMatch::Code(c) => c.to_string(),
            StatusMatch::Range(r) => format!("{r}XX"),
            StatusMatch::Default => "default".into(),
        }
    }
}
