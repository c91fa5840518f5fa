//! A downstream crate: its IMS client is generated at build time by `build.rs` with one
//! line, from the spec file, and used like any other module.

use evs_ims_runtime::Error;
use evs_ims_runtime::wait::{Wait, WaitError};

/// The client generated from `spec/ims.yaml` into `$OUT_DIR/ims.rs`.
pub mod ims {
    include!(concat!(env!("OUT_DIR"), "/ims.rs"));
}

/// A client for the IMS at `base_url`, acting for `project_id` with an IAM token: the
/// credential of the spec's own `XAuthToken` scheme (`apiKey` in the header
/// `X-Auth-Token`), set with the setter generated for it and sent with every operation
/// whose `security` names it.
pub fn connect(
    base_url: &str,
    project_id: &str,
    token: &str,
) -> Result<ims::Client, Error<std::convert::Infallible>> {
    let transport = evs_ims_runtime::Transport::builder(base_url).build()?;
    Ok(ims::Client::new(transport, project_id).with_x_auth_token(token))
}

/// Follows an IMS job until it succeeds; a failed job comes back as
/// `WaitError::Settled(job)`, with its `fail_reason` and `error_code`.
pub async fn wait_for_job(
    client: &ims::Client,
    job_id: &str,
    wait: Wait,
) -> Result<ims::types::Job, WaitError<ims::types::Job, Error<ims::types::ImsErrorBody>>> {
    let show = || async { client.show_job(job_id).await.map(|r| r.into_inner()) };
    wait.for_status(&ims::types::JobStatus::Success, show, |j| &j.status)
        .await
}
