//! Property-based conformance tests of any EVS/IMS implementation against `spec/`.
//!
//! The oracle is the spec loaded at run time ([`evs_ims_oracle`]), not the generated
//! client: a generator bug cannot hide an implementation bug. For each operation the
//! suite sends valid inputs (boundaries included) and inputs breaking exactly one
//! constraint, and judges every answer with named [`Check`]s; stateful scenarios then walk
//! whole lifecycles through the generated client, so lost writes and use-after-delete
//! show. Failures are shrunk by proptest to a minimal request and reported with a `curl`
//! line and the seed that replays the run.

pub mod checks;
pub mod exchange;
pub mod generate;
mod lifecycle;
pub mod report;
mod scenarios;
mod suite;

pub use checks::Check;
pub use report::Report;
pub use suite::{Settings, Suite, Target};
