//! The build.rs-generated client against a mock IMS.

use std::time::Duration;

use downstream_example::{connect, ims, wait_for_job};
use evs_ims_runtime::wait::{Wait, WaitError};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The IAM token, sent as the spec's `XAuthToken` scheme says; the mocks answer only a
/// request that carries it.
const TOKEN: &str = "iam-token-1";

#[tokio::test]
async fn follows_a_job_until_it_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/p1/jobs/j1"))
        .and(header("X-Auth-Token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "RUNNING", "job_id": "j1"})))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/p1/jobs/j1"))
        .and(header("X-Auth-Token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "SUCCESS", "job_id": "j1", "entities": {"image_id": "img-1"}
        })))
        .mount(&server)
        .await;
    let client = connect(&server.uri(), "p1", TOKEN).unwrap_or_else(|e| panic!("{e}"));
    let job = wait_for_job(&client, "j1", quick())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(job.status, ims::types::JobStatus::Success);
    assert_eq!(job.entities.and_then(|e| e.image_id).as_deref(), Some("img-1"));
}

fn quick() -> Wait {
    Wait {
        deadline: Duration::from_secs(5),
        interval: Duration::from_millis(5),
    }
}

#[tokio::test]
async fn a_failed_job_comes_back_with_its_reason() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/p1/jobs/j2"))
        .and(header("X-Auth-Token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "FAIL", "job_id": "j2", "error_code": "IMG.0200", "fail_reason": "the OBS file is missing"
        })))
        .mount(&server)
        .await;
    let client = connect(&server.uri(), "p1", TOKEN).unwrap_or_else(|e| panic!("{e}"));
    match wait_for_job(&client, "j2", quick()).await {
        Err(WaitError::Settled(job)) => {
            assert_eq!(
                job.fail_reason.flatten().as_deref(),
                Some("the OBS file is missing")
            );
        }
        other => panic!("expected the failed job, got {other:?}"),
    }
}
