//! Async clients for the Elastic Volume Service ([`evs`]) and the Image Management
//! Service ([`ims`]).
//!
//! Both modules are written by `specwright-codegen` from `spec/evs.yaml` and `spec/ims.yaml`
//! and checked in; `cargo run -p specwright -- check` (and this crate's tests) fail when they
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
//!
//! Requests are retried where that is safe ([`runtime::Retry`]), and
//! [`runtime::wait::Wait`] follows a resource until it settles, failing at once on a status
//! it will not leave (the statuses come from the spec's `x-transitional`):
//!
//! ```no_run
//! use evs_ims::{ims, runtime::wait::{Wait, WaitError}};
//!
//! # async fn demo(client: ims::Client, job_id: String) -> Result<(), Box<dyn std::error::Error>> {
//! let show = || async { client.show_job(&job_id).await.map(|r| r.into_inner()) };
//! match Wait::default().for_status(&ims::types::JobStatus::Success, show, |j| &j.status).await {
//!     Ok(job) => println!("image {:?}", job.entities.and_then(|e| e.image_id)),
//!     Err(WaitError::Settled(job)) => println!("failed: {:?} {:?}", job.error_code, job.fail_reason),
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok(()) }
//! ```

pub use specwright_runtime as runtime;

#[rustfmt::skip]
pub mod evs;
#[rustfmt::skip]
pub mod ims;
