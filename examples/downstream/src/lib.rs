//! A crate outside the specwright workspace: its Render Farm client is generated at build
//! time by `build.rs` from `openapi.yaml`, and used like any other module.

use specwright_runtime::Error;
use specwright_runtime::wait::{Wait, WaitError};

/// The client generated from `openapi.yaml` into `$OUT_DIR/openapi.rs`.
pub mod render {
    include!(concat!(env!("OUT_DIR"), "/openapi.rs"));
}

use render::types::{Error as ApiError, Job, JobStatus};

/// A client for the Render Farm at `base_url`, acting for `project_id` with a bearer
/// token: the credential of the spec's own `bearer` scheme (`type: http, scheme: bearer`),
/// set with the setter generated for it and sent with every operation its `security`
/// covers.
pub fn connect(
    base_url: &str,
    project_id: &str,
    token: &str,
) -> Result<render::Client, Error<std::convert::Infallible>> {
    let transport = specwright_runtime::Transport::builder(base_url).build()?;
    Ok(render::Client::new(transport, project_id).with_bearer(token))
}

/// Follows a render job until it succeeds; a failed job comes back as
/// `WaitError::Settled(job)`, with its `fail_reason`.
pub async fn wait_for_job(
    client: &render::Client,
    job_id: &str,
    wait: Wait,
) -> Result<Job, WaitError<Job, Error<ApiError>>> {
    let show = || async { client.show_job(job_id).await.map(|r| r.into_inner()) };
    wait.for_status(&JobStatus::Success, show, |j| &j.status).await
}
