//! A real third-party client, openstacksdk (pinned in `openstacksdk/requirements.txt`,
//! installed on first use into `target/client-venvs/openstacksdk`), drives the emulator on
//! its defaults, where it discovers the versions and settles on the Cinder v3 root, and
//! forced to v2.

mod python_env;

use evs_ims_emulator::{Config, Emulator};

async fn sequence(api_version: Option<&str>) -> String {
    let config = Config::default();
    let tenant = config.tenants[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let mut args = vec![emulator.base_url().to_string(), tenant.project_id, tenant.token];
    args.extend(api_version.map(str::to_string));
    python_env::script("openstacksdk", "sequence.py", args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openstacksdk_on_its_defaults_uses_the_v3_root() {
    let stdout = sequence(None).await;
    assert!(stdout.contains("openstacksdk v3 sequence: ok"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openstacksdk_forced_to_v2_uses_the_v2_root() {
    let stdout = sequence(Some("2")).await;
    assert!(stdout.contains("openstacksdk v2 sequence: ok"), "{stdout}");
}
