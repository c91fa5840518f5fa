//! The project's own generated clients drive a whole lifecycle against the emulator:
//! volume → metadata → extend → snapshot → export to image → IMS job → deletes.

use std::time::Duration;

use evs_ims::{evs, ims};
use evs_ims_emulator::{Config, Emulator};
use specwright_runtime::wait::{Wait, WaitError};
use specwright_runtime::{Auth, Error, Transport};

fn quick() -> Wait {
    Wait {
        deadline: Duration::from_secs(5),
        interval: Duration::from_millis(5),
    }
}

async fn wait_volume(client: &evs::Client, id: &str, want: &str) -> evs::types::Volume {
    let show = || async { client.show_volume(id).await.map(|r| r.into_inner().volume) };
    quick()
        .for_status(&evs::types::VolumeStatus::from(want), show, |v| &v.status)
        .await
        .unwrap_or_else(|e| panic!("volume {id} never became {want}: {e}"))
}

async fn follow(
    client: &ims::Client,
    job_id: &str,
) -> Result<ims::types::Job, WaitError<ims::types::Job, Error<ims::types::ImsErrorBody>>> {
    let show = || async { client.show_job(job_id).await.map(|r| r.into_inner()) };
    quick()
        .for_status(&ims::types::JobStatus::Success, show, |j| &j.status)
        .await
}

#[tokio::test]
async fn generated_clients_complete_a_full_lifecycle() {
    let config = Config {
        transition: Duration::from_millis(20),
        ..Config::default()
    };
    let tenant = config.tenants[0].clone();
    let emulator = Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"));
    let transport = Transport::builder(emulator.base_url())
        .auth(Auth::token(tenant.token.clone()))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let evs = evs::Client::new(transport.clone(), tenant.project_id.clone());
    let ims = ims::Client::new(transport, tenant.project_id.clone());

    // Create, and it reads back once available.
    let mut params = evs::types::CreateVolumeParams::new(10);
    params.name = Some(Some("generated-client".into()));
    let created = evs
        .create_volume(&evs::types::CreateVolumeRequest::new(params))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(created.status, 202);
    let id = created.volume.id.clone();
    assert_eq!(created.volume.status, evs::types::VolumeStatus::Creating);
    let v = wait_volume(&evs, &id, "available").await;
    assert_eq!(v.name.flatten().as_deref(), Some("generated-client"));

    // Metadata: add, then one item.
    let mut meta = evs::types::Metadata::new();
    meta.insert("stage".into(), "one".into());
    evs.create_volume_metadata(&id, &evs::types::MetadataBody::new(meta))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let item = evs
        .show_volume_metadata_item(&id, "stage")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(item.meta.get("stage").map(String::as_str), Some("one"));

    // Extend through the convenience method; a smaller size is a typed, documented error.
    let done = evs
        .extend_volume(&id, &evs::types::ExtendVolumeParams { new_size: 20 })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        done.body,
        evs::types::VolumeActionOutcome::Status202(None)
    ));
    assert_eq!(wait_volume(&evs, &id, "available").await.size, 20);
    match evs
        .extend_volume(&id, &evs::types::ExtendVolumeParams { new_size: 5 })
        .await
    {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status, 400);
            assert_eq!(body.bad_request.map(|d| d.code).as_deref(), Some("EVS.1015"));
        }
        other => panic!("expected a documented 400, got {other:?}"),
    }

    // Snapshot.
    let snap = evs
        .create_snapshot(&evs::types::CreateSnapshotRequest::new(
            evs::types::CreateSnapshotParams::new(id.clone()),
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let snap_id = snap.snapshot.id.clone();

    // Export to image, then an IMS image from the volume, followed to its end.
    let export = evs
        .export_to_image(&id, &evs::types::UploadImageParams::new("exported".into()))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let evs::types::VolumeActionOutcome::Status202(Some(upload)) = export.into_inner() else {
        panic!("no export body")
    };
    assert!(
        upload
            .os_volume_upload_image
            .image_id
            .is_some_and(|i| !i.is_empty())
    );
    wait_volume(&evs, &id, "available").await;
    let from_volume = ims::types::CreateImageFromVolumeRequest::new(
        "from-volume".into(),
        id.clone(),
        "CentOS 7.6 64bit".into(),
    );
    let job = ims
        .create_image(&ims::types::CreateImageRequest::CreateImageFromVolumeRequest(
            from_volume,
        ))
        .await;
    let job_id = job.unwrap_or_else(|e| panic!("{e}")).into_inner().job_id;
    let job = follow(&ims, &job_id).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        job.entities
            .and_then(|e| e.image_id)
            .is_some_and(|i| !i.is_empty())
    );

    // An import from a bucket that does not exist fails, and the waiter says why.
    let missing =
        ims::types::CreateImageFromFileRequest::new("from-missing".into(), "missing:image.qcow2".into(), 40);
    let job = ims
        .create_image(&ims::types::CreateImageRequest::CreateImageFromFileRequest(
            missing,
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    match follow(&ims, &job.into_inner().job_id).await {
        Err(WaitError::Settled(job)) => {
            assert_eq!(job.status, ims::types::JobStatus::Fail);
            assert!(job.fail_reason.flatten().is_some_and(|r| !r.is_empty()));
        }
        other => panic!("expected a failed job with its reason, got {other:?}"),
    }

    // Deletes, then 404 as a typed error.
    evs.delete_snapshot(&snap_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(Duration::from_millis(60)).await;
    evs.delete_volume(&id).await.unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(Duration::from_millis(60)).await;
    match evs.show_volume(&id).await {
        Err(Error::Api { status, .. }) => assert_eq!(status, 404),
        other => panic!("expected 404 after delete, got {other:?}"),
    }
    emulator.stop().await;
}
