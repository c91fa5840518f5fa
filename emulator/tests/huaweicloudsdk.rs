//! The vendor's own Python SDKs, huaweicloudsdkevs and huaweicloudsdkims (pinned in
//! `huaweicloudsdk/requirements.txt`), sign with AK/SK and drive the emulator: EVS's Cinder
//! calls, IMS image and data-image imports followed to the end of their jobs, and a wrong
//! signature refused.

mod python_env;

use std::path::PathBuf;
use std::process::Command;

use evs_ims_emulator::{Config, Emulator};
use secrecy::ExposeSecret;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vendor_sdks_sign_with_ak_sk_and_complete_their_calls() {
    let python = tokio::task::spawn_blocking(|| python_env::python("huaweicloudsdk"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let config = Config::default();
    let key = config.access_keys[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/huaweicloudsdk/sequence.py");
    let base = emulator.base_url().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .arg(base)
            .arg(&key.access_key)
            .arg(key.secret_key.expose_secret())
            .arg(&key.project_id)
            .output()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|e| panic!("cannot run python: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the vendor SDKs failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("sequence: ok"), "{stdout}");
}
