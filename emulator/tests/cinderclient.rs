//! A real third-party client, python-cinderclient (pinned in `cinderclient/requirements.txt`,
//! installed on first use into `target/client-venvs/cinderclient`), drives a volume
//! lifecycle against the emulator, on the v2 root and on the v3 root.

mod python_env;
mod support;

use evs_ims_emulator::{Config, Emulator};

async fn lifecycle(version: &str) -> String {
    let config = Config::default();
    let tenant = config.tenants[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let args = vec![
        emulator.base_url().to_string(),
        tenant.project_id,
        tenant.token,
        version.to_string(),
    ];
    python_env::script("cinderclient", "lifecycle.py", args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_cinderclient_completes_a_volume_lifecycle() {
    let stdout = lifecycle("2").await;
    assert!(
        stdout.contains("python-cinderclient v2 lifecycle: ok"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_cinderclient_v3_completes_a_volume_lifecycle_on_the_v3_root() {
    let stdout = lifecycle("3").await;
    assert!(
        stdout.contains("python-cinderclient v3 lifecycle: ok"),
        "{stdout}"
    );
}

/// Configured as operators configure it: the identity endpoint, a user's password and a
/// project, no endpoint; python-cinderclient finds the v3 root in the token's catalogue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_cinderclient_with_a_password_finds_the_v3_root_in_the_catalogue() {
    let (_emulator, args) = support::with_user().await;
    let [base_url, user, password, project] =
        <[String; 4]>::try_from(args).unwrap_or_else(|a| panic!("{a:?}"));
    let args = vec![
        base_url,
        project,
        format!("password:{user}:{password}"),
        "3".to_string(),
    ];
    let stdout = python_env::script("cinderclient", "lifecycle.py", args).await;
    assert!(
        stdout.contains("python-cinderclient v3 lifecycle: ok"),
        "{stdout}"
    );
}
