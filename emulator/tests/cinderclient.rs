//! A real third-party client, python-cinderclient (pinned in `cinderclient/requirements.txt`,
//! installed on first use into `target/client-venvs/cinderclient`), drives a volume
//! lifecycle against the emulator.

mod python_env;

use std::path::PathBuf;
use std::process::Command;

use evs_ims_emulator::{Config, Emulator};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_cinderclient_completes_a_volume_lifecycle() {
    let python = tokio::task::spawn_blocking(|| python_env::python("cinderclient"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let config = Config::default();
    let tenant = config.tenants[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cinderclient/lifecycle.py");
    let base = emulator.base_url().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .arg(base)
            .arg(&tenant.project_id)
            .arg(&tenant.token)
            .output()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|e| panic!("cannot run python: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "python-cinderclient failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("lifecycle: ok"), "{stdout}");
}
