//! What generated clients call.
//!
//! A generated client is a thin layer of typed methods; everything that is the same for
//! every operation lives here, written and tested once: building URLs ([`Transport`]),
//! authenticating requests ([`Auth`], the vendor's; [`security`], the spec's own schemes),
//! a caller's hook on each request ([`RequestHook`]), and turning HTTP responses into typed
//! outcomes ([`Response`], [`Error`]). Keep it small: generated code should read like a list
//! of endpoints, not like an HTTP library.

mod auth;
mod error;
pub mod formats;
mod hook;
mod maybe;
pub mod object;
pub mod pages;
mod query;
mod response;
pub mod retry;
pub mod security;
pub mod serde_helpers;
pub mod signer;
mod string_enum;
mod transport;
pub mod wait;

pub use auth::{AkSk, Auth};
pub use error::{EXCERPT, Error, Masked, RawResponse};
pub use hook::{BoxError, RequestHook, RequestInfo};
pub use maybe::Maybe;
pub use query::{ObjectStyle, Query, form_body, json_text, simple_text};
pub use response::Response;
pub use retry::Retry;
pub use security::{ClientCredentials, Credential, Credentials, KeyIn, Security};
pub use signer::encode as percent_encode;
pub use transport::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY, DEFAULT_TIMEOUT, Transport, TransportBuilder, USER_AGENT,
    encode_path_segment,
};

pub use base64;
#[cfg(feature = "uuid")]
pub use uuid;
/// Re-exported so generated code needs no dependency of its own on these.
pub use {bytes, futures_util, reqwest, serde, serde_json, time};
