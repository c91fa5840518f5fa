//! A real third-party client, python-cinderclient (pinned in `cinderclient/requirements.txt`,
//! installed on first use into `target/client-venvs/cinderclient`), drives a volume
//! lifecycle against the emulator.

mod python_env;

use evs_ims_emulator::{Config, Emulator};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_cinderclient_completes_a_volume_lifecycle() {
    let config = Config::default();
    let tenant = config.tenants[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let args = vec![emulator.base_url().to_string(), tenant.project_id, tenant.token];
    let stdout = python_env::script("cinderclient", "lifecycle.py", args).await;
    assert!(stdout.contains("lifecycle: ok"), "{stdout}");
}
