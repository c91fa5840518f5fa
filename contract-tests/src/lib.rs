//! Property-based conformance tests of any implementation of an OpenAPI 3.0 spec, with
//! the EVS + IMS spec of `spec/` as the default.
//!
//! The oracle is the spec loaded at run time ([`specwright_oracle`]), not the generated
//! client: a generator bug cannot hide an implementation bug. For each operation the
//! suite sends the plain call, the spec's examples, valid inputs (boundaries and all of
//! Unicode included) and inputs breaking exactly one constraint anywhere (body, path,
//! query, header), and judges every answer with the named [`Check`]s. Probes then send
//! what must be refused (no credential, another tenant, an undeclared method), lists are
//! paged, sorted and filtered on real items, and for EVS a lifecycle walks through the
//! generated client, so lost writes and use-after-delete show. Failures are shrunk to a
//! minimal request and reported with a `curl` line and the seed that replays the run.

pub mod checks;
mod context;
mod effects;
pub mod exchange;
mod fuzz;
pub mod generate;
mod holds;
mod judge;
mod ledger;
mod lists;
pub mod params;
mod probes;
mod readback;
mod refusals;
pub mod report;
mod resources;
mod scenarios;
pub mod secrets;
mod sender;
mod steps;
mod suite;
mod timestamps;
mod views;
mod wait;

pub use checks::Check;
pub use context::{Settings, Target, Tenant};
pub use report::Report;
pub use suite::{Suite, embedded_specs};
