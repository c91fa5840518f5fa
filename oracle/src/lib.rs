//! The spec as a run-time oracle.
//!
//! Everything downstream of `spec/` that needs to *judge* JSON — the spec's own example
//! check, the contract suite's response checks — loads the OpenAPI document here and asks
//! it. Keeping the oracle apart from the code generator means a generator bug cannot hide
//! an implementation bug: both read the same YAML, neither reads the other's output.
//!
//! OpenAPI 3.0 schemas are an extended subset of JSON Schema draft 4; [`convert`] turns
//! them into plain draft 4 (`nullable`, OpenAPI-only keywords) so that a well-kept JSON
//! Schema validator can do the judging. One extension is judged here, since JSON Schema
//! counts characters: `x-max-bytes`, a length limit in UTF-8 bytes.

mod bytes;
pub mod convert;
mod error;
pub mod pointer;
mod spec;
mod walk;

pub use error::{LoadError, Violation};
pub use spec::Spec;
pub use walk::{Example, ExampleSite, MediaType, Operation, Parameter, Response, is_json};

/// HTTP methods an OpenAPI path item may hold, in the order the spec defines them.
pub use specwright_oas::METHODS;
