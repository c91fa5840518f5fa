//! The build.rs-generated client against a mock Render Farm.

use std::time::Duration;

use downstream_example::{connect, render, wait_for_job};
use serde_json::json;
use specwright_runtime::wait::{Wait, WaitError};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> render::Client {
    connect(&server.uri(), "p1", "t0ken").unwrap_or_else(|e| panic!("{e}"))
}

/// The mocks answer only requests carrying the spec's bearer credential.
fn authorised() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", "Bearer t0ken")
}

fn quick() -> Wait {
    Wait {
        deadline: Duration::from_secs(5),
        interval: Duration::from_millis(5),
    }
}

#[tokio::test]
async fn submits_a_render_and_follows_its_job_until_it_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(authorised())
        .and(path("/v1/p1/renders"))
        .and(body_json(json!({"scene_url": "s3://teapot.blend", "frames": 24})))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"job_id": "j1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(authorised())
        .and(path("/v1/p1/jobs/j1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "RUNNING", "job_id": "j1"})))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(authorised())
        .and(path("/v1/p1/jobs/j1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "SUCCESS", "job_id": "j1", "output_url": "https://out/j1.mp4"
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut request = render::types::RenderRequest::new("s3://teapot.blend".to_string());
    request.frames = Some(24);
    let job = client
        .submit_render(&request)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    let done = wait_for_job(&client, &job.job_id, quick())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.status, render::types::JobStatus::Success);
    assert_eq!(done.output_url.as_deref(), Some("https://out/j1.mp4"));
}

#[tokio::test]
async fn a_failed_job_comes_back_with_its_reason() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(authorised())
        .and(path("/v1/p1/jobs/j2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "FAIL", "job_id": "j2", "fail_reason": "the scene file is missing"
        })))
        .mount(&server)
        .await;
    match wait_for_job(&client(&server), "j2", quick()).await {
        Err(WaitError::Settled(job)) => {
            assert_eq!(job.fail_reason.flatten().as_deref(), Some("the scene file is missing"));
        }
        other => panic!("expected the failed job, got {other:?}"),
    }
}

#[tokio::test]
async fn an_error_answer_is_the_spec_s_error_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(authorised())
        .and(path("/v1/p1/jobs/j3"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"code": "RF.0404", "message": "no such job"})))
        .mount(&server)
        .await;
    match client(&server).show_job("j3").await {
        Err(specwright_runtime::Error::Api { status, body, .. }) => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(body.code, "RF.0404");
        }
        other => panic!("expected the typed 404, got {other:?}"),
    }
}
