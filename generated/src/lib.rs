//! Async clients for the Elastic Volume Service ([`evs`]) and the Image Management
//! Service ([`ims`]).
//!
//! Both modules are written by `evs-ims-codegen` from `spec/evs.yaml` and `spec/ims.yaml`
//! and checked in; `cargo run -p codegen -- check` (and this crate's tests) fail when they
//! no longer match the spec. Do not edit them by hand: change the spec and regenerate.
//!
//! ```no_run
//! use evs_ims::{evs, runtime::{Auth, Transport}};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let transport = Transport::builder("https://evs.eu-de.otc.t-systems.com")
//!     .auth(Auth::token(std::env::var("OS_TOKEN")?))
//!     .build()?;
//! let client = evs::Client::new(transport, "my-project-id");
//! let volumes = client.list_volumes(&Default::default()).await?;
//! println!("{} volumes", volumes.volumes.len());
//! # Ok(()) }
//! ```

pub use evs_ims_runtime as runtime;

#[rustfmt::skip]
pub mod evs;
#[rustfmt::skip]
pub mod ims;
