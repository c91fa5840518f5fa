//! The CLI operators type into, python-openstackclient (pinned in
//! `openstackclient/requirements.txt`, installed on first use into
//! `target/client-venvs/openstackclient`), through a day's volume work, configured the
//! ordinary way: `OS_AUTH_URL` at the emulator's identity endpoint and a user's password,
//! the block-storage endpoint found in the token's catalogue. On the v3 API (create, list,
//! list --long, show, set and unset name, description and properties, extend, snapshot
//! create/list/show/set/delete, types, availability zones, export to an image, delete, a
//! wrong password refused) and on v2 (what the client still does over v2).

mod python_env;

use evs_ims_emulator::{Config, Emulator};

async fn day(volume_api: &str) -> String {
    let config = Config {
        transition: std::time::Duration::from_millis(20),
        ..Config::default()
    };
    let user = config.users[0].clone();
    let password = secrecy::ExposeSecret::expose_secret(&user.password).to_string();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let args = vec![
        emulator.base_url().to_string(),
        user.name,
        password,
        user.project_id,
        volume_api.to_string(),
    ];
    python_env::script("openstackclient", "day.py", args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_with_the_openstack_cli_on_v3() {
    let stdout = day("3").await;
    assert!(
        stdout.contains("openstack CLI day on volume API 3: ok"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_with_the_openstack_cli_on_v2() {
    let stdout = day("2").await;
    assert!(
        stdout.contains("openstack CLI day on volume API 2: ok"),
        "{stdout}"
    );
}
