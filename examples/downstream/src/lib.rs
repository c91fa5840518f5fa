//! A downstream crate: its IMS client is generated at build time by `build.rs` with one
//! line, from the spec file, and used like any other module.

/// The client generated from `spec/ims.yaml` into `$OUT_DIR/ims.rs`.
pub mod ims {
    include!(concat!(env!("OUT_DIR"), "/ims.rs"));
}

/// Follows an IMS job until it ends, polling every `interval`, for at most `attempts` polls.
pub async fn wait_for_job(
    client: &ims::Client,
    job_id: &str,
    interval: std::time::Duration,
    attempts: usize,
) -> Result<ims::types::Job, String> {
    for _ in 0..attempts {
        let job = client
            .show_job(job_id)
            .await
            .map_err(|e| e.to_string())?
            .into_inner();
        match job.status {
            ims::types::JobStatus::Success | ims::types::JobStatus::Fail => return Ok(job),
            _ => tokio::time::sleep(interval).await,
        }
    }
    Err(format!("job {job_id} did not end after {attempts} polls"))
}
