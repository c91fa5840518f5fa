//! OpenAPI 3.0 facts that every part of this workspace reads the same way, kept once: the
//! generator (`specwright-codegen`) and the oracle (`oracle`, and through it the contract suite and the
//! emulator) both depend on this crate and on nothing of each other.
//!
//! - [`mod@pointer`]: JSON pointers (RFC 6901) and local `$ref`s;
//! - [`METHODS`]: the operations a path item may hold;
//! - [`TYPES`]: the types a schema may have;
//! - [`template`]: path templates (`/volumes/{volume_id}`);
//! - [`media`]: which media types are JSON;
//! - [`parameters`]: an operation's parameters, its path item's overridden by its own;
//! - [`all_of`]: what an `allOf` means: one member's type, or its objects merged;
//! - [`schema`]: one reader of a schema after `$ref` and `allOf`, with one cycle and depth rule;
//! - [`pattern`]: a schema's ECMA-262 `pattern` as Rust's regex syntax reads it, for building values.

pub mod all_of;
pub mod media;
pub mod parameters;
pub mod pattern;
pub mod pointer;
pub mod schema;
pub mod template;

/// The types OpenAPI 3.0 gives a schema's `type` (one of them, never a list; no `null`).
pub const TYPES: [&str; 6] = ["array", "boolean", "integer", "number", "object", "string"];

/// HTTP methods an OpenAPI path item may hold, in the order the spec defines them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
