//! Under transport faults (429, 503, dropped connections on a fixed schedule), the
//! generated clients' retries carry a workload of idempotent requests through, and a
//! create is never repeated behind the caller's back.

use std::time::Duration;

use evs_ims::evs;
use evs_ims_emulator::{Chaos, Config, Emulator};
use specwright_runtime::{Auth, Retry, Transport};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_carry_idempotent_requests_and_never_repeat_a_create() {
    let config = Config {
        transition: Duration::from_millis(1),
        chaos: Chaos {
            throttle_every: Some(3),
            unavailable_every: Some(5),
            drop_every: Some(7),
            retry_after: 0,
            ..Chaos::default()
        },
        ..Config::default()
    };
    let tenant = config.tenants[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let transport = Transport::builder(emulator.base_url())
        .auth(Auth::token(tenant.token.clone()))
        .retry(Retry {
            max_attempts: 5,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(50),
        })
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = evs::Client::new(transport, tenant.project_id.clone());

    // Creates are not idempotent: one that meets a fault fails, and is not sent again.
    let (mut created, mut refused) = (Vec::new(), 0);
    for i in 0..12 {
        let mut params = evs::types::CreateVolumeParams::new(1);
        params.name = Some(Some(format!("chaos-{i}")));
        match client
            .create_volume(&evs::types::CreateVolumeRequest::new(params))
            .await
        {
            Ok(r) => created.push(r.into_inner().volume.id),
            Err(_) => refused += 1,
        }
    }
    assert!(
        refused > 0 && !created.is_empty(),
        "the schedule hits some creates: {refused} refused"
    );

    // Reads and replaces are idempotent: every one gets through.
    let id = created[0].clone();
    for i in 0..60 {
        client
            .show_volume(&id)
            .await
            .unwrap_or_else(|e| panic!("show {i}: {e}"));
        let mut meta = evs::types::Metadata::new();
        meta.insert("round".into(), i.to_string());
        client
            .replace_volume_metadata(&id, &evs::types::MetadataBody::new(meta))
            .await
            .unwrap_or_else(|e| panic!("replace {i}: {e}"));
    }
    let listed = client
        .list_volumes(&Default::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner()
        .volumes;
    assert_eq!(listed.len(), created.len(), "no create was repeated");
    let meta = client
        .show_volume_metadata(&id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner()
        .metadata;
    assert_eq!(meta.get("round").map(String::as_str), Some("59"));

    // With retries off, the faults reach the caller.
    let plain = Transport::builder(emulator.base_url())
        .auth(Auth::token(tenant.token.clone()))
        .retry(Retry::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let plain = evs::Client::new(plain, tenant.project_id.clone());
    let mut failures = 0;
    for _ in 0..10 {
        if plain.show_volume(&id).await.is_err() {
            failures += 1;
        }
    }
    assert!(failures > 0, "without retries some reads fail");
}
