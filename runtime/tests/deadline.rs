//! One deadline per call: a server that takes every connection and never answers gets a
//! verdict within `TransportBuilder::timeout`, retries and their waits included (with the
//! default retries, four attempts of the whole timeout each took four times as long).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use specwright_runtime::{Error, Query, Retry, Transport};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

#[tokio::test]
async fn a_server_that_never_answers_gets_a_verdict_within_the_deadline() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            // Read the request and keep the connection open, silent.
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                while let Ok(n) = socket.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                }
            });
        }
    });
    let deadline = Duration::from_millis(1500);
    let transport = Transport::builder(base)
        .timeout(deadline)
        .retry(Retry {
            max_attempts: 4,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(1),
        })
        .build()
        .expect("a transport");
    let started = Instant::now();
    let request = transport.request(reqwest::Method::GET, "/slow", &Query::new());
    let result: Result<_, Error<()>> = transport.send("slow", request).await;
    let took = started.elapsed();
    assert!(result.is_err(), "a silent server is no success");
    assert!(
        took < deadline + Duration::from_millis(500),
        "took {took:?} for a deadline of {deadline:?}"
    );
    assert!(connections.load(Ordering::SeqCst) >= 1);
}
