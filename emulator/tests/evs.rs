//! EVS against the emulator: lifecycles with their status transitions, refusals with the
//! documented codes, concurrent writers, and bad input that never gets a 5xx.

mod support;

use std::time::Duration;

use evs_ims_emulator::{Config, Quota};
use serde_json::{Value, json};
use support::Checked;

fn fast() -> Config {
    Config {
        transition: Duration::from_millis(20),
        ..Config::default()
    }
}

async fn wait_status(c: &Checked, path: &str, op: &str, key: &str, want: &str) -> Value {
    for _ in 0..200 {
        let a = c.call(op, "GET", path, None).await;
        if a.body[key]["status"] == want {
            return a.body;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{path} never became {want}");
}

async fn create_volume(c: &Checked, size: i64) -> String {
    let a = c
        .call(
            "createVolume",
            "POST",
            "/v2/{project}/volumes",
            Some(json!({"volume": {"size": size, "name": "t"}})),
        )
        .await;
    assert_eq!(a.status, 202, "{}", a.body);
    assert_eq!(a.body["volume"]["status"], "creating");
    a.body["volume"]["id"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn volume_moves_through_documented_statuses() {
    let c = Checked::start(fast()).await;
    let id = create_volume(&c, 10).await;
    let path = format!("/v2/{{project}}/volumes/{id}");
    let made = wait_status(&c, &path, "showVolume", "volume", "available").await;
    // Cinder stamps updated_at when creating ends; a read after it shows the stamp.
    let (created, updated) = (&made["volume"]["created_at"], &made["volume"]["updated_at"]);
    assert!(
        updated.as_str().is_some_and(|u| Some(u) > created.as_str()),
        "created_at {created}, updated_at {updated}"
    );
    let action = format!("{path}/action");
    let a = c
        .call(
            "volumeAction",
            "POST",
            &action,
            Some(json!({"os-extend": {"new_size": 5}})),
        )
        .await;
    assert_eq!(a.status, 400, "shrinking must be refused: {}", a.body);
    assert_eq!(a.body["badRequest"]["code"], "EVS.1015");
    let a = c
        .call(
            "volumeAction",
            "POST",
            &action,
            Some(json!({"os-extend": {"new_size": 20}})),
        )
        .await;
    assert_eq!(a.status, 202);
    let shown = c.call("showVolume", "GET", &path, None).await;
    assert_eq!(shown.body["volume"]["status"], "extending");
    assert_eq!(
        shown.body["volume"]["size"], 10,
        "as in Cinder, the new size shows once the extension completes"
    );
    let done = wait_status(&c, &path, "showVolume", "volume", "available").await;
    assert_eq!(done["volume"]["size"], 20);

    let attach = json!({"os-attach": {"instance_uuid": "11111111-2222-4333-8444-555555555555", "mountpoint": "/dev/vdb"}});
    assert_eq!(
        c.call("volumeAction", "POST", &action, Some(attach)).await.status,
        202
    );
    wait_status(&c, &path, "showVolume", "volume", "in-use").await;
    let refused = c.call("deleteVolume", "DELETE", &path, None).await;
    assert_eq!(refused.status, 400, "an in-use volume cannot be deleted");
    assert_eq!(refused.body["badRequest"]["code"], "EVS.1046");
    assert_eq!(
        c.call("volumeAction", "POST", &action, Some(json!({"os-detach": {}})))
            .await
            .status,
        202
    );
    wait_status(&c, &path, "showVolume", "volume", "available").await;
    assert_eq!(c.call("deleteVolume", "DELETE", &path, None).await.status, 202);
    for _ in 0..200 {
        if c.call("showVolume", "GET", &path, None).await.status == 404 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("deleted volume still readable");
}

#[tokio::test]
async fn concurrent_metadata_writes_are_all_kept_and_quota_holds() {
    let config = Config {
        quota: Quota {
            volumes: 10,
            gigabytes: 1000,
            snapshots: 10,
            ..Quota::default()
        },
        ..fast()
    };
    let c = std::sync::Arc::new(Checked::start(config).await);
    let id = create_volume(&c, 1).await;
    let path = format!("/v2/{{project}}/volumes/{id}/metadata");
    let mut tasks = Vec::new();
    for i in 0..40 {
        let c = c.clone();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"metadata": {format!("k{i}"): format!("v{i}")}});
            c.raw(
                "POST",
                &path,
                Some(body.to_string()),
                Some("application/json"),
                true,
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap_or_default(), 200);
    }
    let all = c.raw("GET", &path, None, None, true).await;
    let meta = all.body["metadata"].as_object().cloned().unwrap_or_default();
    assert_eq!(meta.len(), 40, "lost metadata writes: {meta:?}");

    // 30 concurrent creates against a quota of 10 volumes (one exists): exactly 9 succeed.
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            c.raw(
                "POST",
                "/v2/{project}/volumes",
                Some(json!({"volume": {"size": 1}}).to_string()),
                Some("application/json"),
                true,
            )
            .await
            .status
        }));
    }
    let mut created = 0;
    for t in tasks {
        match t.await.unwrap_or_default() {
            202 => created += 1,
            400 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(created, 9);
}

#[tokio::test]
async fn malformed_requests_never_get_a_server_error() {
    let c = Checked::start(fast()).await;
    let id = create_volume(&c, 1).await;
    // Not JSON, or not an object, or sent as something else than JSON: always a 400.
    let malformed = ["", "{", "[]", "null", "\u{0}\u{1}", "{\"volume\": null}"];
    // JSON objects of the wrong shape: refused or (where the API ignores unknown keys)
    // accepted, but never a server error.
    let odd = [
        "{\"volume\": {\"size\": \"big\"}}",
        "{\"volume\": {\"size\": -1}}",
        "{\"volume\": {\"size\": 1, \"name\": 5}}",
        "{\"os-extend\": {}}",
        "{\"os-bogus\": {}}",
        "{\"metadata\": {\"k\": 1}}",
        "{\"volume\": {\"size\": 99999999999999999999}}",
    ];
    let paths = [
        ("POST", "/v2/{project}/volumes".to_string()),
        ("PUT", format!("/v2/{{project}}/volumes/{id}")),
        ("POST", format!("/v2/{{project}}/volumes/{id}/action")),
        ("POST", format!("/v2/{{project}}/volumes/{id}/metadata")),
        ("POST", "/v2/{project}/snapshots".to_string()),
    ];
    for (method, path) in &paths {
        for body in malformed {
            for ct in [Some("application/json"), Some("text/plain"), None] {
                let a = c.raw(method, path, Some(body.to_string()), ct, true).await;
                assert_eq!(a.status, 400, "{method} {path} {body:?} {ct:?} → {}", a.body);
                assert!(a.body.get("badRequest").is_some(), "{}", a.body);
            }
        }
        for body in odd {
            let a = c
                .raw(
                    method,
                    path,
                    Some(body.to_string()),
                    Some("application/json"),
                    true,
                )
                .await;
            assert!(
                a.status < 500,
                "{method} {path} {body:?} → {} {}",
                a.status,
                a.body
            );
            if a.status >= 400 {
                assert!(a.body.get("badRequest").is_some(), "{}", a.body);
            }
        }
        let wrong_type = c
            .raw(
                method,
                path,
                Some("{\"volume\": {\"size\": 1}}".into()),
                Some("text/plain"),
                true,
            )
            .await;
        assert_eq!(
            wrong_type.status, 400,
            "{method} {path}: a non-JSON content type must be refused"
        );
    }
    let huge = format!(
        "{{\"volume\": {{\"size\": 1, \"name\": \"{}\"}}}}",
        "x".repeat(2 << 20)
    );
    let a = c
        .raw(
            "POST",
            "/v2/{project}/volumes",
            Some(huge),
            Some("application/json"),
            true,
        )
        .await;
    assert_eq!(a.status, 400);
    // Nothing changed: still exactly the one volume.
    let list = c.raw("GET", "/v2/{project}/volumes", None, None, true).await;
    assert_eq!(list.body["volumes"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn tenants_cannot_see_each_other() {
    let c = Checked::start(fast()).await;
    let id = create_volume(&c, 1).await;
    let other = c
        .http
        .get(format!("{}/v2/other-project/volumes/{id}", c.emulator.base_url()))
        .header("X-Auth-Token", "other-token")
        .send()
        .await;
    let status = other.map(|r| r.status().as_u16()).unwrap_or_default();
    assert_eq!(status, 404, "another tenant reads our volume");
    let cross = c
        .http
        .get(format!(
            "{}/v2/emulator-project/volumes/{id}",
            c.emulator.base_url()
        ))
        .header("X-Auth-Token", "other-token")
        .send()
        .await;
    // Another project in the URL: 400 EVS.0001, as Cinder answers "Malformed request url".
    assert_eq!(cross.map(|r| r.status().as_u16()).unwrap_or_default(), 400);
    let none = c
        .raw("GET", &format!("/v2/{{project}}/volumes/{id}"), None, None, false)
        .await;
    assert_eq!(none.status, 401);
    assert!(none.body.get("unauthorized").is_some(), "{}", none.body);
}

#[tokio::test]
async fn odd_bytes_in_the_path_get_a_4xx() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let c = Checked::start(fast()).await;
    for path in [
        &b"/v2/emulator-project/volumes/%a\xc3\xa9"[..],
        b"/v2/emulator-project/volumes/%zz%",
        b"/v2/emulator-project/volumes/%E9",
    ] {
        let mut stream = tokio::net::TcpStream::connect(c.emulator.addr())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut request = b"GET ".to_vec();
        request.extend_from_slice(path);
        request.extend_from_slice(
            b" HTTP/1.1\r\nHost: x\r\nX-Auth-Token: emulator-token\r\nConnection: close\r\n\r\n",
        );
        stream.write_all(&request).await.unwrap_or_else(|e| panic!("{e}"));
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let head = String::from_utf8_lossy(&answer);
        let status: u16 = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        assert!(
            (400..500).contains(&status),
            "{:?} → {head}",
            String::from_utf8_lossy(path)
        );
    }
}

#[tokio::test]
async fn updates_prefer_name_and_change_nothing_when_refused() {
    let c = Checked::start(fast()).await;
    let id = create_volume(&c, 1).await;
    let path = format!("/v2/{{project}}/volumes/{id}");
    let both = json!({"volume": {"display_name": "old-style", "name": "new-style"}});
    let a = c.call("updateVolume", "PUT", &path, Some(both)).await;
    assert_eq!(
        a.body["volume"]["name"], "new-style",
        "name wins over display_name (004 §3.3)"
    );
    let half_bad = json!({"volume": {"name": "changed", "display_description": "x".repeat(256)}});
    let a = c
        .raw(
            "PUT",
            &path,
            Some(half_bad.to_string()),
            Some("application/json"),
            true,
        )
        .await;
    assert_eq!(a.status, 400);
    let shown = c.call("showVolume", "GET", &path, None).await;
    assert_eq!(
        shown.body["volume"]["name"], "new-style",
        "a refused update changed the name"
    );
}

#[tokio::test]
async fn automatic_backup_snapshots_can_be_neither_made_nor_deleted_by_hand() {
    let c = Checked::start(fast()).await;
    let volume = create_volume(&c, 1).await;
    wait_status(
        &c,
        &format!("/v2/{{project}}/volumes/{volume}"),
        "showVolume",
        "volume",
        "available",
    )
    .await;
    let reserved = json!({"snapshot": {"volume_id": volume, "name": "autobk_snapshot_1"}});
    let a = c
        .raw(
            "POST",
            "/v2/{project}/snapshots",
            Some(reserved.to_string()),
            Some("application/json"),
            true,
        )
        .await;
    assert_eq!(a.status, 400, "004 §5.1 forbids the prefix on create: {}", a.body);

    let a = c
        .call(
            "createSnapshot",
            "POST",
            "/v2/{project}/snapshots",
            Some(json!({"snapshot": {"volume_id": volume, "name": "daily"}})),
        )
        .await;
    assert_eq!(a.status, 202, "{}", a.body);
    let id = a.body["snapshot"]["id"].as_str().unwrap_or_default().to_string();
    let path = format!("/v2/{{project}}/snapshots/{id}");
    wait_status(&c, &path, "showSnapshot", "snapshot", "available").await;
    // §5.3 states no prefix rule for updates, so a rename is how such a snapshot can exist.
    let rename = json!({"snapshot": {"name": "autobk_snapshot_daily"}});
    assert_eq!(
        c.call("updateSnapshot", "PUT", &path, Some(rename)).await.status,
        200
    );
    let a = c.call("deleteSnapshot", "DELETE", &path, None).await;
    assert_eq!(a.status, 400, "004 §5.2 forbids deleting it: {}", a.body);
    assert_eq!(
        c.call("showSnapshot", "GET", &path, None).await.body["snapshot"]["status"],
        "available",
        "a refused delete changed the snapshot"
    );
}

/// What `openstack volume snapshot create --volume V s1` sends, on both roots: `null`
/// metadata is no metadata (REVIEW.md, snapshots).
#[tokio::test]
async fn a_snapshot_with_null_metadata_is_made_without_any() {
    let c = Checked::start(fast()).await;
    for (root, op) in [("v2", "createSnapshot"), ("v3", "createSnapshotV3")] {
        let volume = create_volume(&c, 1).await;
        wait_status(
            &c,
            &format!("/v2/{{project}}/volumes/{volume}"),
            "showVolume",
            "volume",
            "available",
        )
        .await;
        let body = json!({"snapshot": {"volume_id": volume, "name": "s1", "description": null,
            "force": false, "metadata": null}});
        let a = c
            .call(op, "POST", &format!("/{root}/{{project}}/snapshots"), Some(body))
            .await;
        assert_eq!(a.status, 202, "{root}: {}", a.body);
        assert_eq!(a.body["snapshot"]["metadata"], json!({}), "{root}: {}", a.body);
    }
}

#[tokio::test]
async fn the_metadata_filter_reads_a_dictionary_as_cinder_does() {
    let c = Checked::start(fast()).await;
    let mut ids = Vec::new();
    for purpose in ["web", "db"] {
        let body = json!({"volume": {"size": 1, "metadata": {"purpose": purpose}}});
        let a = c
            .call("createVolume", "POST", "/v2/{project}/volumes", Some(body))
            .await;
        assert_eq!(a.status, 202, "{}", a.body);
        ids.push(a.body["volume"]["id"].clone());
    }
    // {"purpose": "db"} and Python's {'purpose': 'db'}, percent-encoded.
    for filter in [
        "%7B%22purpose%22%3A%22db%22%7D",
        "%7B%27purpose%27%3A%20%27db%27%7D",
    ] {
        let path = format!("/v2/{{project}}/volumes?metadata={filter}");
        let a = c.call("listVolumes", "GET", &path, None).await;
        assert_eq!(a.status, 200, "{}", a.body);
        let found: Vec<&Value> = a.body["volumes"]
            .as_array()
            .map(|v| v.iter().map(|v| &v["id"]).collect())
            .unwrap_or_default();
        assert_eq!(found, vec![&ids[1]], "filter {filter}");
    }
    let a = c
        .call(
            "listVolumes",
            "GET",
            "/v2/{project}/volumes?metadata=purpose",
            None,
        )
        .await;
    assert_eq!(
        a.status, 400,
        "a filter that is no dictionary is refused: {}",
        a.body
    );
    let a = c
        .call(
            "listVolumes",
            "GET",
            "/v2/{project}/volumes?sort_key=colour",
            None,
        )
        .await;
    assert_eq!(
        a.status, 200,
        "sort_key is an open string; an unknown key keeps the default order: {}",
        a.body
    );
    let a = c
        .call(
            "listVolumes",
            "GET",
            "/v2/{project}/volumes?sort_key=status",
            None,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
}

async fn quota(c: &Checked) -> Value {
    let path = "/v2/{project}/os-quota-sets/{project}?usage=true";
    c.call("showQuotaSet", "GET", path, None).await.body
}

#[tokio::test]
async fn quota_usage_follows_create_extend_and_delete() {
    let c = Checked::start(fast()).await;
    let in_use = |body: &Value, key: &str| body["quota_set"][key]["in_use"].as_i64();
    let a = create_volume(&c, 3).await;
    create_volume(&c, 4).await;
    let q = quota(&c).await;
    assert_eq!(
        (in_use(&q, "volumes"), in_use(&q, "gigabytes")),
        (Some(2), Some(7)),
        "{q}"
    );
    assert_eq!(
        in_use(&q, "volumes_SATA"),
        Some(2),
        "volumes without a type are SATA: {q}"
    );

    let path = format!("/v2/{{project}}/volumes/{a}");
    wait_status(&c, &path, "showVolume", "volume", "available").await;
    let grow = json!({"os-extend": {"new_size": 10}});
    assert_eq!(
        c.call("volumeAction", "POST", &format!("{path}/action"), Some(grow))
            .await
            .status,
        202
    );
    let q = quota(&c).await;
    assert_eq!(in_use(&q, "gigabytes"), Some(14), "{q}");

    wait_status(&c, &path, "showVolume", "volume", "available").await;
    assert_eq!(c.call("deleteVolume", "DELETE", &path, None).await.status, 202);
    let q = quota(&c).await;
    assert_eq!(
        (in_use(&q, "volumes"), in_use(&q, "gigabytes")),
        (Some(1), Some(4)),
        "{q}"
    );
}
