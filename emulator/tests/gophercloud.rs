//! gophercloud, the Go SDK Terraform's OpenStack provider is built on (Debian's
//! `golang-github-gophercloud-gophercloud-dev` with `golang-go`, which `.ci/run` installs;
//! built in GOPATH mode, so no module proxy is needed), through a day's volume work on the
//! `blockstorage/v3` and `v2` packages, configured the ordinary way: the identity endpoint
//! and a password, the endpoint from the token's catalogue. Without Go or the package the
//! test fails and says what to install; it never passes without its client.

use std::path::Path;
use std::process::Command;

mod support;

const GOPATH: &str = "/usr/share/gocode";

async fn day(volume_api: &str) -> String {
    let sdk = Path::new(GOPATH).join("src/github.com/gophercloud/gophercloud");
    assert!(
        sdk.is_dir(),
        "gophercloud is not installed at {}: apt-get install golang-go golang-github-gophercloud-gophercloud-dev",
        sdk.display()
    );
    let (_emulator, mut args) = support::with_user().await;
    args.push(volume_api.to_string());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("tests/gophercloud");
    let cache = manifest.join("../target/go-cache");
    let output = tokio::task::spawn_blocking(move || {
        Command::new("go")
            .args(["run", "main.go"])
            .args(args)
            .current_dir(dir)
            .env("GO111MODULE", "off")
            .env("GOPATH", GOPATH)
            .env("GOCACHE", cache)
            .env("GOFLAGS", "")
            .output()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|e| panic!("cannot run go (apt-get install golang-go): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "gophercloud failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_with_gophercloud_on_blockstorage_v3() {
    let stdout = day("3").await;
    assert!(stdout.contains("gophercloud day on volume API 3: ok"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_with_gophercloud_on_blockstorage_v2() {
    let stdout = day("2").await;
    assert!(stdout.contains("gophercloud day on volume API 2: ok"), "{stdout}");
}
