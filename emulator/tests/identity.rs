//! The identity step (004 §1.4): a token from `POST /identity/v3/auth/tokens` by password
//! (project by id or by name) or by another token, in `X-Subject-Token`, with a catalogue
//! naming the EVS and IMS endpoints; EVS and IMS accept it; a wrong password, another
//! user's project or a made-up token get 401.

use evs_ims_emulator::{Config, Emulator};
use serde_json::{Value, json};

struct Id {
    emulator: Emulator,
    http: reqwest::Client,
}

impl Id {
    async fn start() -> Id {
        Id {
            emulator: Emulator::start(Config::default())
                .await
                .unwrap_or_else(|e| panic!("{e}")),
            http: reqwest::Client::new(),
        }
    }

    /// POSTs an auth request; the status, the subject token and the body.
    async fn auth(&self, body: Value) -> (u16, Option<String>, Value) {
        let url = format!("{}/identity/v3/auth/tokens", self.emulator.base_url());
        let r = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let token = r
            .headers()
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (r.status().as_u16(), token, r.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: &str) -> u16 {
        let url = format!("{}{path}", self.emulator.base_url());
        let r = self.http.get(url).header("X-Auth-Token", token).send().await;
        r.unwrap_or_else(|e| panic!("{e}")).status().as_u16()
    }
}

fn password(user: &str, secret: &str, project: Value) -> Value {
    json!({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"name": "Default"}, "password": secret}}},
        "scope": {"project": project},
    }})
}

#[tokio::test]
async fn a_password_gets_a_token_that_evs_and_ims_accept() {
    let id = Id::start().await;
    let by_name = json!({"name": "emulator-project", "domain": {"name": "Default"}});
    let (status, token, body) = id
        .auth(password("emulator-user", "emulator-password", by_name))
        .await;
    assert_eq!(status, 201, "{body}");
    let token = token.unwrap_or_else(|| panic!("no X-Subject-Token: {body}"));
    assert_eq!(body["token"]["project"]["id"], "emulator-project");
    assert!(
        body["token"]["expires_at"]
            .as_str()
            .is_some_and(|e| e.ends_with('Z')),
        "{body}"
    );
    let types: Vec<&str> = body["token"]["catalog"]
        .as_array()
        .map(|c| c.iter().filter_map(|s| s["type"].as_str()).collect())
        .unwrap_or_default();
    for wanted in ["volumev3", "block-storage", "volumev2", "image", "identity"] {
        assert!(types.contains(&wanted), "{wanted} missing from {types:?}");
    }
    assert_eq!(id.get("/v3/emulator-project/volumes", &token).await, 200);
    assert_eq!(id.get("/v2/emulator-project/volumes", &token).await, 200);
    // IMS takes it too: an unknown job is refused for what it is, not for the token.
    let job = id
        .get(
            "/v1/emulator-project/jobs/0123456789abcdef0123456789abcdef",
            &token,
        )
        .await;
    assert!(!matches!(job, 401 | 403), "IMS refused the token: {job}");
    assert_eq!(
        id.get(
            "/v1/emulator-project/jobs/0123456789abcdef0123456789abcdef",
            "gAAAAAmadeup"
        )
        .await,
        401
    );

    // A token for a token, scoped by id.
    let again = json!({"auth": {"identity": {"methods": ["token"], "token": {"id": token}},
        "scope": {"project": {"id": "emulator-project"}}}});
    let (status, second, _) = id.auth(again).await;
    assert_eq!(status, 201);
    assert_eq!(
        id.get("/v3/emulator-project/types", &second.unwrap_or_default())
            .await,
        200
    );
}

#[tokio::test]
async fn a_wrong_password_another_project_or_a_made_up_token_get_401() {
    let id = Id::start().await;
    let own = json!({"id": "emulator-project"});
    assert_eq!(
        id.auth(password("emulator-user", "nope", own.clone())).await.0,
        401
    );
    assert_eq!(id.auth(password("nobody", "emulator-password", own)).await.0, 401);
    let other = json!({"id": "other-project"});
    assert_eq!(
        id.auth(password("emulator-user", "emulator-password", other))
            .await
            .0,
        401
    );
    let made_up = json!({"auth": {"identity": {"methods": ["token"], "token": {"id": "gAAAAAmadeup"}}}});
    assert_eq!(id.auth(made_up).await.0, 401);
    assert_eq!(id.get("/v3/emulator-project/volumes", "gAAAAAmadeup").await, 401);
    // A token of one project opens no other: 400 EVS.0001, as Cinder's "Malformed request url".
    let (_, token, _) = id
        .auth(password(
            "other-user",
            "other-password",
            json!({"id": "other-project"}),
        ))
        .await;
    assert_eq!(
        id.get("/v3/emulator-project/volumes", &token.unwrap_or_default())
            .await,
        400
    );
}
