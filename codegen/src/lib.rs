//! OpenAPI 3.0 → Rust: models and an async reqwest client.
//!
//! The pipeline is `load` (YAML/JSON → `openapiv3::OpenAPI`, every error with a JSON
//! pointer; OpenAPI 3.1 and Swagger 2.0 converted to 3.0 on the way) → `lower` (the spec → [`ir::Service`], a plain model of types and operations
//! with names settled) → `emit` (IR → tokens → `prettyplease`). The IR is the seam: tests
//! assert on it without reading generated text, and a second emitter needs no second
//! parser. No input makes the generator panic: every problem becomes a [`Diagnostic`], and
//! all of a run's diagnostics are reported together.
//!
//! From a downstream crate's `build.rs`:
//!
//! ```no_run
//! // build.rs, in fn main:
//! if let Err(e) = specwright_codegen::Builder::new("spec/evs.yaml").generate() {
//!     panic!("{e}");
//! }
//! ```

mod builder;
mod cycles;
mod dedup;
mod diagnostics;
pub mod emit;
pub mod ir;
mod load;
mod lower;
mod names;
mod paging;
mod settings;

pub use builder::{Builder, Generated, Rendered, replace_if_changed, write_if_changed};
pub use diagnostics::{Diagnostic, Error, Severity};
pub use load::{Loaded, Raw, load_file, load_str, read_raw};
pub use lower::lower;
pub use settings::Settings;
/// The former name of [`Settings`], kept so that code written against it still compiles.
pub use settings::Settings as Options;

/// Generates the Rust source for a spec file with default settings.
pub fn generate_file(path: impl AsRef<std::path::Path>) -> Result<String, Error> {
    let loaded = load_file(path.as_ref())?;
    let service = lower(&loaded, &Settings::default())?;
    emit::file(&service, &Settings::default())
}
