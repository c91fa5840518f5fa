//! The vendor's own Python SDKs, huaweicloudsdkevs and huaweicloudsdkims (pinned in
//! `huaweicloudsdk/requirements.txt`), sign with AK/SK and drive the emulator: EVS's Cinder
//! calls, IMS image and data-image imports followed to the end of their jobs, and a wrong
//! signature refused.

mod python_env;

use evs_ims_emulator::{Config, Emulator};
use secrecy::{ExposeSecret, SecretString};
use specwright_runtime::AkSk;

/// The runtime's signer and huaweicloudsdkcore's `Signer` give one fixed request, key and
/// date the same `Authorization`: non-ASCII and spaced query values, `X-Project-Id` and a
/// temporary credential's `X-Security-Token` included.
#[tokio::test]
async fn the_runtime_signs_exactly_as_the_vendor_sdk() {
    let date = "20261124T010203Z";
    let args = vec!["AK1".to_string(), "SK1".to_string(), date.to_string()];
    let vendor = python_env::script("huaweicloudsdk", "sign.py", args)
        .await
        .trim()
        .to_string();

    let mut request = reqwest::Client::new()
        .post("http://127.0.0.1:8776/v2/p1/volumes?limit=2&a=b%20c&name=%E5%8D%B7")
        .header("Content-Type", "application/json")
        .body(r#"{"volume": {"size": 1}}"#)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let keys = AkSk {
        access_key: "AK1".into(),
        secret_key: SecretString::from("SK1"),
        project_id: Some("p1".into()),
        security_token: Some(SecretString::from("temporary-token")),
    };
    keys.sign(&mut request, date).unwrap_or_else(|e| panic!("{e}"));
    let ours = request.headers()["authorization"].to_str().unwrap_or_default();
    assert_eq!(ours, vendor);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vendor_sdks_sign_with_ak_sk_and_complete_their_calls() {
    let config = Config::default();
    let key = config.access_keys[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let args = vec![
        emulator.base_url().to_string(),
        key.access_key.clone(),
        key.secret_key.expose_secret().to_string(),
        key.project_id.clone(),
    ];
    let stdout = python_env::script("huaweicloudsdk", "sequence.py", args).await;
    assert!(stdout.contains("sequence: ok"), "{stdout}");
}
