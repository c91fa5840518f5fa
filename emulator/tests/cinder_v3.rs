//! The Cinder v3 root: version discovery at the three URLs clients try, the same
//! operations as v2, microversion negotiation (`OpenStack-API-Version`), and links that
//! stay under `/v3`.

use evs_ims_emulator::{Config, Emulator};
use serde_json::{Value, json};

struct V3 {
    emulator: Emulator,
    http: reqwest::Client,
    token: String,
    project: String,
}

impl V3 {
    async fn start() -> V3 {
        let config = Config {
            transition: std::time::Duration::from_millis(5),
            ..Config::default()
        };
        let tenant = config.tenants[0].clone();
        V3 {
            emulator: Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}")),
            http: reqwest::Client::new(),
            token: tenant.token,
            project: tenant.project_id,
        }
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        version: Option<&str>,
        body: Option<Value>,
    ) -> reqwest::Response {
        let url = format!(
            "{}{}",
            self.emulator.base_url(),
            path.replace("{p}", &self.project)
        );
        let mut request = self
            .http
            .request(method.parse().unwrap_or_else(|e| panic!("{method}: {e}")), url)
            .header("X-Auth-Token", &self.token);
        if let Some(v) = version {
            request = request.header("OpenStack-API-Version", v);
        }
        if let Some(b) = body {
            request = request.json(&b);
        }
        request.send().await.unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

async fn json(response: reqwest::Response) -> Value {
    response.json().await.unwrap_or_else(|e| panic!("not JSON: {e}"))
}

#[tokio::test]
async fn versions_are_discovered_at_the_root_and_at_v3_but_not_at_the_project_endpoint() {
    let c = V3::start().await;
    // Cinder routes nothing at the catalogue's endpoint itself (REVIEW.md).
    let endpoint = c.send("GET", "/v3/{p}", None, None).await;
    assert_eq!(endpoint.status().as_u16(), 404);
    for path in ["/", "/v3"] {
        let response = c.send("GET", path, None, None).await;
        assert!(
            matches!(response.status().as_u16(), 200 | 300),
            "{path}: {}",
            response.status()
        );
        let body = json(response).await;
        let v3 = body["versions"]
            .as_array()
            .and_then(|vs| vs.iter().find(|v| v["id"] == "v3.0"))
            .unwrap_or_else(|| panic!("{path}: no v3.0 in {body}"));
        assert_eq!(
            (v3["min_version"].as_str(), v3["version"].as_str()),
            (Some("3.0"), Some("3.0")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_microversion_is_negotiated_as_cinder_does() {
    let c = V3::start().await;
    let ok = c.send("GET", "/v3/{p}/types", None, None).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(
        header(&ok, "OpenStack-API-Version").as_deref(),
        Some("volume 3.0")
    );
    assert_eq!(header(&ok, "Vary").as_deref(), Some("OpenStack-API-Version"));
    // Every answer names its request, as Cinder's do.
    let id = header(&ok, "X-Openstack-Request-Id").unwrap_or_default();
    assert!(id.starts_with("req-"), "{id:?}");
    assert_eq!(header(&ok, "x-compute-request-id"), Some(id));
    let latest = c.send("GET", "/v3/{p}/types", Some("volume latest"), None).await;
    assert_eq!(
        header(&latest, "OpenStack-API-Version").as_deref(),
        Some("volume 3.0")
    );
    for (asked, status) in [
        ("volume 3.0", 200),
        ("volume 3.27", 406),
        ("volume 2.0", 406),
        ("volume three", 400),
        ("volumev3 3.0", 200),
        ("compute 2.1, volume 3.0", 200),
        ("compute 2.1", 400),
        ("block-storage 3.0", 400),
    ] {
        let response = c.send("GET", "/v3/{p}/types", Some(asked), None).await;
        assert_eq!(response.status().as_u16(), status, "{asked}");
        // As Cinder 29: a header it cannot read gets no version and no Vary; a 406 names
        // the version asked for.
        let vary = header(&response, "Vary");
        assert_eq!(vary.is_some(), status != 400, "{asked}: Vary {vary:?}");
        if status == 406 {
            let named = header(&response, "OpenStack-API-Version");
            assert_eq!(named.as_deref(), Some(asked), "{asked}");
        }
        if status == 406 {
            let body = json(response).await;
            assert!(body.to_string().contains("maximum is 3.0"), "{body}");
        }
    }
    // The v2 root knows no microversions.
    let v2 = c.send("GET", "/v2/{p}/types", Some("volume 3.27"), None).await;
    assert_eq!(v2.status(), 200);
    assert_eq!(header(&v2, "OpenStack-API-Version"), None);
}

#[tokio::test]
async fn v3_volumes_live_beside_v2_and_link_under_v3() {
    let c = V3::start().await;
    let mut ids = Vec::new();
    for name in ["a", "b"] {
        let created = c
            .send(
                "POST",
                "/v3/{p}/volumes",
                None,
                Some(json!({"volume": {"size": 1, "name": name}})),
            )
            .await;
        assert_eq!(created.status(), 202);
        let body = json(created).await;
        let self_link = body["volume"]["links"][0]["href"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(self_link.contains("/v3/"), "{self_link}");
        ids.push(body["volume"]["id"].as_str().unwrap_or_default().to_string());
    }
    // One store: what v3 made, v2 reads.
    let shown = c
        .send("GET", &format!("/v2/{{p}}/volumes/{}", ids[0]), None, None)
        .await;
    assert_eq!(shown.status(), 200);
    let page = json(c.send("GET", "/v3/{p}/volumes?limit=1", None, None).await).await;
    let next = page["volumes_links"][0]["href"].as_str().unwrap_or_default();
    assert!(next.contains("/v3/") && next.contains("marker="), "{page}");

    // The v3 /action: the v2 actions, and the export with the v3 page's defaults.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let extend = json!({"os-extend": {"new_size": 2}});
    let path = format!("/v3/{{p}}/volumes/{}/action", ids[0]);
    assert_eq!(c.send("POST", &path, None, Some(extend)).await.status(), 202);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let export = json!({"os-volume_upload_image": {"image_name": "from-v3"}});
    let exported = c
        .send(
            "POST",
            &format!("/v3/{{p}}/volumes/{}/action", ids[1]),
            None,
            Some(export),
        )
        .await;
    assert_eq!(exported.status(), 202);
    let body = json(exported).await;
    assert_eq!(body["os-volume_upload_image"]["disk_format"], "vhd", "{body}");
}

/// The v3 update bodies as Cinder 29 reads them at 3.0 (REVIEW.md): `null` clears a name or
/// description, and a snapshot update must name a field; the v2 bodies keep 004's tables.
#[tokio::test]
async fn v3_updates_take_null_and_refuse_an_empty_snapshot_update() {
    let c = V3::start().await;
    let made = c
        .send(
            "POST",
            "/v3/{p}/volumes",
            None,
            Some(json!({"volume": {"size": 1, "name": "n", "description": "d"}})),
        )
        .await;
    let id = json(made).await["volume"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let volume = format!("/v3/{{p}}/volumes/{id}");
    let cleared = c
        .send(
            "PUT",
            &volume,
            None,
            Some(json!({"volume": {"description": null}})),
        )
        .await;
    assert_eq!(cleared.status(), 200);
    assert_eq!(json(cleared).await["volume"]["description"], Value::Null);
    let v2 = format!("/v2/{{p}}/volumes/{id}");
    let refused = c
        .send("PUT", &v2, None, Some(json!({"volume": {"description": null}})))
        .await;
    assert_eq!(refused.status(), 400, "004's v2 table allows no null");

    let snap = c
        .send(
            "POST",
            "/v3/{p}/snapshots",
            None,
            Some(json!({"snapshot": {"volume_id": id}})),
        )
        .await;
    assert_eq!(snap.status(), 202);
    let sid = json(snap).await["snapshot"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let snapshot = format!("/v3/{{p}}/snapshots/{sid}");
    assert_eq!(
        c.send("PUT", &snapshot, None, Some(json!({"snapshot": {}})))
            .await
            .status(),
        400
    );
    assert_eq!(
        c.send("PUT", &snapshot, None, Some(json!({"snapshot": {"name": null}})))
            .await
            .status(),
        200
    );
}
