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

/// Configured as operators configure it: a `clouds.yaml` with the identity endpoint and a
/// user's password, no endpoint given; openstacksdk finds block storage in the catalogue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openstacksdk_from_a_clouds_yaml_finds_block_storage_in_the_catalogue() {
    let config = Config::default();
    let user = config.users[0].clone();
    let password = secrecy::ExposeSecret::expose_secret(&user.password).to_string();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("openstacksdk-clouds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let clouds = dir.join("clouds.yaml");
    let yaml = format!(
        "clouds:\n  emulator:\n    auth:\n      auth_url: {}/identity/v3\n      username: {}\n      password: {}\n      project_name: {}\n      user_domain_name: Default\n      project_domain_name: Default\n    identity_api_version: 3\n    region_name: RegionOne\n",
        emulator.base_url(),
        user.name,
        password,
        user.project_id
    );
    std::fs::write(&clouds, yaml).unwrap_or_else(|e| panic!("{e}"));
    let args = vec![
        emulator.base_url().to_string(),
        user.project_id.clone(),
        format!("clouds:{}", clouds.display()),
    ];
    let stdout = python_env::script("openstacksdk", "sequence.py", args).await;
    let _ = std::fs::remove_dir_all(&dir);
    assert!(stdout.contains("openstacksdk v3 sequence: ok"), "{stdout}");
}
