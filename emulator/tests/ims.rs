//! IMS against the emulator: jobs progress and end with the image, bad input is refused.

mod support;

use std::time::Duration;

use evs_ims_emulator::Config;
use serde_json::json;
use support::Checked;

fn fast() -> Config {
    Config {
        transition: Duration::from_millis(30),
        ..Config::default()
    }
}

async fn wait_for_end(c: &Checked, job_id: &str) -> serde_json::Value {
    let mut seen = Vec::new();
    for _ in 0..100 {
        let a = c
            .call("showJob", "GET", &format!("/v1/{{project}}/jobs/{job_id}"), None)
            .await;
        assert_eq!(a.status, 200);
        let status = a.body["status"].as_str().unwrap_or_default().to_string();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "SUCCESS" || status == "FAIL" {
            assert_eq!(seen.first().map(String::as_str), Some("INIT"), "{seen:?}");
            return a.body;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("job {job_id} did not end: {seen:?}");
}

#[tokio::test]
async fn image_from_server_goes_init_running_success_with_the_image() {
    let c = Checked::start(fast()).await;
    let a = c
        .call(
            "createImage",
            "POST",
            "/v2/cloudimages/action",
            Some(json!({"name": "img-1", "instance_id": "server-1"})),
        )
        .await;
    assert_eq!(a.status, 200);
    let job = wait_for_end(&c, a.body["job_id"].as_str().unwrap_or_default()).await;
    assert_eq!(job["status"], "SUCCESS");
    assert_eq!(job["entities"]["image_name"], "img-1");
    assert!(job["entities"]["image_id"].is_string(), "{job}");
}

#[tokio::test]
async fn import_from_an_unusable_location_fails_with_a_reason() {
    let c = Checked::start(fast()).await;
    let body = json!({"name": "img-2", "image_url": "missing:image.qcow2", "min_disk": 40, "os_version": "Ubuntu 20.04 server 64bit"});
    let a = c
        .call("createImage", "POST", "/v2/cloudimages/action", Some(body))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let job = wait_for_end(&c, a.body["job_id"].as_str().unwrap_or_default()).await;
    assert_eq!(job["status"], "FAIL");
    assert!(
        job["fail_reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{job}"
    );
}

#[tokio::test]
async fn bad_requests_get_documented_4xx_never_5xx() {
    let c = Checked::start(fast()).await;
    for body in [
        json!({}),
        json!({"name": "x"}),
        json!({"name": 7, "instance_id": "s"}),
        json!([1, 2]),
    ] {
        let a = c
            .call(
                "createImage",
                "POST",
                "/v2/cloudimages/action",
                Some(body.clone()),
            )
            .await;
        assert_eq!(a.status, 400, "{body} → {}", a.body);
        assert!(
            a.body["error"]["code"]
                .as_str()
                .is_some_and(|code| code.starts_with("IMG.")),
            "{}",
            a.body
        );
    }
    let malformed = c
        .raw(
            "POST",
            "/v2/cloudimages/action",
            Some("{\"name\":".into()),
            Some("application/json"),
            true,
        )
        .await;
    assert_eq!(malformed.status, 400);
    let no_token = c
        .raw(
            "POST",
            "/v2/cloudimages/action",
            Some("{}".into()),
            Some("application/json"),
            false,
        )
        .await;
    assert_eq!(no_token.status, 401);
    c.check("createImage", &no_token);
    let other_project = c.raw("GET", "/v1/other-project/jobs/x", None, None, true).await;
    assert_eq!(other_project.status, 403);
}

#[tokio::test]
async fn a_job_that_is_not_there_is_the_documented_400() {
    let c = Checked::start(fast()).await;
    // Checked::call fails the test on a status the job query does not document (it has no 404).
    let a = c
        .call(
            "showJob",
            "GET",
            "/v1/{project}/jobs/ff8080814dbd65d7014dc0a4d8a12c4c",
            None,
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert_eq!(a.body["error"]["code"], "IMG.0023");
}
