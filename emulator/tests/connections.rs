//! Slow or idle clients cannot exhaust the emulator: a request whose headers trickle in, a
//! keep-alive connection left idle and a body that never ends are all cut off in bounded
//! time, one connection past the limit gets a 503 at once, and the emulator keeps serving
//! everyone else throughout.

use std::time::{Duration, Instant};

use evs_ims_emulator::{Config, Connections, Emulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SHORT: Duration = Duration::from_millis(300);

async fn start(max: usize) -> Emulator {
    let config = Config {
        connections: Connections {
            header_timeout: SHORT,
            body_timeout: SHORT,
            max,
        },
        ..Config::default()
    };
    Emulator::start(config).await.unwrap_or_else(|e| panic!("{e}"))
}

/// Reads until the server closes the connection (or 5 s pass); returns what it sent and
/// how long that took.
async fn until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while started.elapsed() < Duration::from_secs(5) {
        match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) | Err(_) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), started.elapsed())
}

async fn connect(emulator: &Emulator) -> TcpStream {
    TcpStream::connect(emulator.addr())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A plain request on a fresh connection still gets its answer.
async fn serves(emulator: &Emulator) -> bool {
    let mut stream = connect(emulator).await;
    let request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    until_closed(&mut stream).await.0.starts_with("HTTP/1.1 ")
}

#[tokio::test]
async fn headers_that_trickle_in_are_cut_off() {
    let emulator = start(64).await;
    let mut slow = connect(&emulator).await;
    slow.write_all(b"GET /v2 HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, took) = until_closed(&mut slow).await;
    assert!(took < Duration::from_secs(3), "closed after {took:?}");
    assert!(serves(&emulator).await);
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let emulator = start(64).await;
    let mut idle = connect(&emulator).await;
    idle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (answer, took) = until_closed(&mut idle).await;
    assert!(answer.starts_with("HTTP/1.1 300"), "the version list: {answer}");
    assert!(took < Duration::from_secs(3), "idle connection kept {took:?}");
}

#[tokio::test]
async fn a_body_that_never_ends_gets_408() {
    let emulator = start(64).await;
    let mut stream = connect(&emulator).await;
    let head = "POST /v2/emulator-project/volumes HTTP/1.1\r\nHost: x\r\nX-Auth-Token: emulator-token\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"vo";
    stream
        .write_all(head.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (answer, took) = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("EVS.5408"), "{answer}");
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test]
async fn one_connection_past_the_limit_gets_503_and_the_rest_are_served() {
    let emulator = start(4).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect(&emulator).await);
    }
    // The server has taken them (accepting is asynchronous).
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut extra = connect(&emulator).await;
    let (answer, _) = until_closed(&mut extra).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("Retry-After: 1"), "{answer}");
    // The held ones time out (they never send a request), which frees their slots.
    drop(held);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(serves(&emulator).await);
}
