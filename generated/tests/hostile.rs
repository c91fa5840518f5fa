//! The clients never panic on what comes back: arbitrary statuses, content types and bodies
//! (JSON of the wrong shape, truncated JSON, bytes) reach every kind of operation, and each
//! call ends in a value or an error.

use std::sync::{Arc, Mutex};

use evs_ims::{evs, ims};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use specwright_runtime::{Auth, Retry, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

type Answer = (u16, &'static str, Vec<u8>);

/// Answers every request with the current `Answer`, as raw HTTP/1.1.
async fn serve(listener: tokio::net::TcpListener, answer: Arc<Mutex<Answer>>) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let answer = answer.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 65536];
            let _ = socket.read(&mut buf).await;
            let (status, content_type, body) = answer.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&body).await;
        });
    }
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<Vec<u8>>(),
        Just(b"{}".to_vec()),
        Just(b"[]".to_vec()),
        Just(b"null".to_vec()),
        Just(b"{\"volume\": {\"id\": 7, \"status\": []}}".to_vec()),
        Just(b"{\"volumes\": [{\"id\": \"a\"}], \"volumes_links\": [{\"rel\": \"next\"}]}".to_vec()),
        Just(b"{\"badRequest\": {\"message\": 1}}".to_vec()),
        Just(b"{\"job_id\": \"j\", \"status\": \"NEW\"".to_vec()),
        Just("{\"error\": {\"code\": \"IMG.\u{1F4A5}\"}}".as_bytes().to_vec()),
    ]
}

#[test]
fn no_response_makes_a_client_panic() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let answer = Arc::new(Mutex::new((200, "application/json", Vec::new())));
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap_or_else(|e| panic!("{e}"));
    let base = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    runtime.spawn(serve(listener, answer.clone()));
    let transport = Transport::builder(base)
        .auth(Auth::token("t"))
        .retry(Retry::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let evs = evs::Client::new(transport.clone(), "p1");
    let ims = ims::Client::new(transport, "p1");

    let strategy = (
        prop_oneof![100u16..600, Just(200), Just(202), Just(204), Just(400), Just(404)],
        prop_oneof![
            Just("application/json"),
            Just("text/plain"),
            Just("application/json; charset=UTF-8")
        ],
        body(),
    );
    let mut runner = TestRunner::new(Config {
        cases: 200,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |(status, content_type, body)| {
        // 1xx cannot end an HTTP/1.1 exchange.
        let status = if status < 200 { 200 } else { status };
        *answer.lock().unwrap_or_else(|p| p.into_inner()) = (status, content_type, body);
        runtime.block_on(async {
            let _ = evs.show_volume("v1").await;
            let _ = evs.list_volumes(&Default::default()).await;
            let params = evs::types::CreateVolumeParams::new(1);
            let _ = evs
                .create_volume(&evs::types::CreateVolumeRequest::new(params))
                .await;
            let _ = evs
                .extend_volume("v1", &evs::types::ExtendVolumeParams { new_size: 2 })
                .await;
            let _ = evs.delete_volume("v1").await;
            let _ = ims.show_job("j1").await;
        });
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
