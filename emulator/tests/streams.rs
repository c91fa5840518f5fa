//! A generated list stream walks 1,000 volumes seven at a time and yields each once.

use std::collections::BTreeSet;

use evs_ims::evs;
use evs_ims_emulator::{Config, Emulator};
use specwright_runtime::futures_util::StreamExt;
use specwright_runtime::{Auth, Transport};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_yields_each_of_a_thousand_volumes_once() {
    let config = Config::default();
    let tenant = config.tenants[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let transport = Transport::builder(emulator.base_url())
        .auth(Auth::token(tenant.token.clone()))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = evs::Client::new(transport, tenant.project_id.clone());
    let mut created = BTreeSet::new();
    for _ in 0..1000 {
        let params = evs::types::CreateVolumeParams::new(1);
        let r = client
            .create_volume(&evs::types::CreateVolumeRequest::new(params))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        created.insert(r.into_inner().volume.id);
    }
    let options = evs::types::ListVolumesOptions {
        limit: Some(7),
        ..Default::default()
    };
    let ids: Vec<String> = client
        .list_volumes_stream(options)
        .map(|v| v.unwrap_or_else(|e| panic!("{e}")).id)
        .collect()
        .await;
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), 1000, "each volume once");
    assert_eq!(unique, created);
}
