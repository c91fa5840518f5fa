//! The CLI operators type into, python-openstackclient (pinned in
//! `openstackclient/requirements.txt`, installed on first use into
//! `target/client-venvs/openstackclient`), through a day's volume work, configured the
//! ordinary way: `OS_AUTH_URL` at the emulator's identity endpoint and a user's password,
//! the block-storage endpoint found in the token's catalogue. On the v3 API (create, list,
//! list --long, show, set and unset name, description and properties, extend, snapshot
//! create/list/show/set/delete, types, availability zones, export to an image, delete, a
//! wrong password refused) and on v2 (what the client still does over v2).

mod python_env;
mod support;

async fn day(volume_api: &str) -> String {
    let (_emulator, mut args) = support::with_user().await;
    args.push(volume_api.to_string());
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
