//! AK/SK: requests signed with `SDK-HMAC-SHA256` (by the runtime's signer, the one the
//! emulator verifies with) are served as the key's project; a wrong key, a stale date or
//! a request changed after signing get 401.

use evs_ims::evs;
use evs_ims_emulator::{Config, Emulator};
use secrecy::SecretString;
use specwright_runtime::{AkSk, Auth, Transport};

fn keys(access_key: &str, secret_key: &str, project: &str) -> AkSk {
    AkSk {
        access_key: access_key.into(),
        secret_key: SecretString::from(secret_key.to_string()),
        project_id: Some(project.into()),
        security_token: None,
    }
}

fn client(base: &str, auth: AkSk, project: &str) -> evs::Client {
    let transport = Transport::builder(base)
        .auth(Auth::AkSk(auth))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    evs::Client::new(transport, project.to_string())
}

#[tokio::test]
async fn signed_requests_are_served_as_the_keys_project() {
    let config = Config::default();
    let key = config.access_keys[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let secret = secrecy::ExposeSecret::expose_secret(&key.secret_key).to_string();
    let evs = client(
        emulator.base_url(),
        keys(&key.access_key, &secret, &key.project_id),
        &key.project_id,
    );

    // A body, a path id and a query string are all covered by the signature.
    let mut params = evs::types::CreateVolumeParams::new(10);
    params.name = Some(Some("signed 卷".into()));
    let created = evs
        .create_volume(&evs::types::CreateVolumeRequest::new(params))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(created.status, 202);
    let id = created.volume.id.clone();
    let shown = evs.show_volume(&id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(shown.volume.id, id);
    let options = evs::types::ListVolumesOptions {
        name: Some("signed 卷".into()),
        limit: Some(5),
        ..Default::default()
    };
    let listed = evs.list_volumes(&options).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(listed.volumes.len(), 1, "{:?}", listed.volumes);
}

#[tokio::test]
async fn a_wrong_key_a_stale_date_or_a_changed_request_is_refused() {
    let config = Config::default();
    let key = config.access_keys[0].clone();
    let project = key.project_id.clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let base = emulator.base_url().to_string();
    let secret = secrecy::ExposeSecret::expose_secret(&key.secret_key).to_string();

    for (what, auth) in [
        (
            "a wrong secret key",
            keys(&key.access_key, "not-the-secret", &project),
        ),
        (
            "an unknown access key",
            keys("UNKNOWNACCESSKEY0000", &secret, &project),
        ),
    ] {
        let err = client(&base, auth, &project)
            .list_volumes(&Default::default())
            .await
            .err()
            .unwrap_or_else(|| panic!("{what} was served"));
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{what}: {err}");
    }

    let http = reqwest::Client::new();
    let signer = keys(&key.access_key, &secret, &project);
    let url = format!("{base}/v2/{project}/volumes?limit=1");
    let send = |mut request: reqwest::Request, date: &str, tamper: bool| {
        signer.sign(&mut request, date).unwrap_or_else(|e| panic!("{e}"));
        if tamper {
            request.url_mut().set_query(Some("limit=2"));
        }
        http.execute(request)
    };
    let now = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let build = || http.get(&url).build().unwrap_or_else(|e| panic!("{e}"));

    let fresh = send(build(), &now, false).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fresh.status(), 200, "the control request is served");
    let stale = send(build(), "20200101T000000Z", false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stale.status(), 401, "a date outside the window");
    let changed = send(build(), &now, true).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changed.status(), 401, "a query changed after signing");
    let body: serde_json::Value = changed.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        body["unauthorized"]["code"], "EVS.0003",
        "the documented 401 body: {body}"
    );

    // Another project's id in the path, with this project's key: 400 (EVS.0001, as Cinder's
    // "Malformed request url").
    let other = http
        .get(format!("{base}/v2/other-project/volumes"))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let other = send(other, &now, false).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(other.status(), 400);
}
