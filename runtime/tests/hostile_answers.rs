//! Hostile answers end with a verdict and leak nothing: a server that echoes the caller's
//! token in its headers and body, one that announces a huge body, and one whose body never
//! ends. (Cross-origin redirects: `redirects.rs`; a silent server: `deadline.rs`.)

use std::time::{Duration, Instant};

use specwright_runtime::{Auth, Error, Query, Retry, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TOKEN: &str = "gAAAAA-the-callers-token-0123456789";

/// A server answering every connection with `head` (status line and headers), then
/// `body` once, then, if `endless`, more of it forever.
async fn serve(head: String, body: Vec<u8>, endless: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (head, body) = (head.clone(), body.clone());
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&body).await;
                if endless {
                    while socket.write_all(&[b'x'; 65536]).await.is_ok() {}
                }
            });
        }
    });
    base
}

async fn get(
    base: String,
    max_body: usize,
) -> (Result<specwright_runtime::RawResponse, Error<()>>, Duration) {
    let transport = Transport::builder(base)
        .auth(Auth::token(TOKEN))
        .retry(Retry::none())
        .timeout(Duration::from_secs(10))
        .max_body_bytes(max_body)
        .build()
        .expect("a transport");
    let started = Instant::now();
    let request = transport.request(reqwest::Method::GET, "/x", &Query::new());
    (transport.send("x", request).await, started.elapsed())
}

#[tokio::test]
async fn a_token_the_server_echoes_is_masked_in_what_an_error_shows() {
    let body = format!("{{\"error\": \"bad token {TOKEN}\"}}");
    let head = format!(
        "HTTP/1.1 500 Internal Server Error\r\nx-echo: you sent {TOKEN}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let base = serve(head, body.into_bytes(), false).await;
    let (result, _) = get(base, 1 << 20).await;
    let raw = result.expect("an answer");
    assert!(
        raw.text().contains(TOKEN),
        "the body itself is what the server sent"
    );
    let err: Error<()> = Error::UnexpectedStatus(Box::new(raw));
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(shown.contains("[hidden]"), "{shown}");
    }
}

#[tokio::test]
async fn a_body_announced_larger_than_the_bound_is_not_read() {
    let head = "HTTP/1.1 200 OK\r\ncontent-length: 9000000000\r\nconnection: close\r\n\r\n".to_string();
    let base = serve(head, b"{}".to_vec(), false).await;
    let (result, took) = get(base, 1 << 20).await;
    assert!(
        matches!(result, Err(Error::TooLarge { limit, .. }) if limit == 1 << 20),
        "{result:?}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test]
async fn an_endless_body_ends_at_the_bound() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_string();
    let base = serve(head, b"[".to_vec(), true).await;
    let (result, took) = get(base, 4 << 20).await;
    match result {
        Err(e @ Error::TooLarge { .. }) => assert!(!e.to_string().contains(TOKEN)),
        other => panic!("{other:?}"),
    }
    assert!(took < Duration::from_secs(5), "{took:?}");
}

/// A documented success whose body is `body`, sent with the caller's token.
async fn success(body: String) -> specwright_runtime::RawResponse {
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let base = serve(head, body.into_bytes(), false).await;
    get(base, 64 << 20).await.0.expect("an answer")
}

#[tokio::test]
async fn a_token_echoed_in_a_decoded_body_is_masked_in_its_debug() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)] // read by Debug only
    struct Whoami {
        token: String,
    }
    let body = format!("{{\"token\": \"{TOKEN}\"}}");
    // A success: the decoded value shows no token in `Debug`.
    let ok = success(body.clone()).await.json::<Whoami, ()>().expect("decodes");
    assert_eq!(ok.token, TOKEN, "the value itself is the caller's");
    let shown = format!("{ok:?}");
    assert!(!shown.contains(TOKEN) && shown.contains("[hidden]"), "{shown}");
    // A documented error: the typed body's `Debug` is masked too.
    let err = success(body)
        .await
        .api_error::<(), Whoami>()
        .expect_err("an error");
    let shown = format!("{err:?}");
    assert!(matches!(err, Error::Api { .. }), "{shown}");
    assert!(!shown.contains(TOKEN) && shown.contains("[hidden]"), "{shown}");
}

#[tokio::test]
async fn a_token_echoed_where_the_body_does_not_decode_is_masked_in_the_message() {
    // serde quotes the value it refuses: the token itself, where a number was documented.
    let raw = success(format!("\"{TOKEN}\"")).await;
    let err = raw.json::<u32, ()>().map(|_| ()).expect_err("a string is no u32");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(shown.contains("[hidden]"), "{shown}");
    }
}

#[tokio::test]
async fn a_token_across_the_excerpts_end_is_masked_whole() {
    // The token starts 10 bytes before the excerpt's end: no half of it may show.
    let pad = "a".repeat(specwright_runtime::EXCERPT - 10);
    let raw = success(format!("\"{pad}{TOKEN}\"")).await;
    let err = raw.json::<u32, ()>().map(|_| ()).expect_err("a string is no u32");
    let half = &TOKEN[..10];
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(half), "{shown}");
    }
}

#[tokio::test]
async fn a_huge_value_the_body_does_not_decode_gives_a_bounded_message() {
    let raw = success(format!("\"{}\"", "v".repeat(8 << 20))).await;
    let err = raw.json::<u32, ()>().map(|_| ()).expect_err("a string is no u32");
    let shown = err.to_string();
    assert!(
        shown.len() < 4 * specwright_runtime::EXCERPT,
        "{} bytes",
        shown.len()
    );
    assert!(format!("{err:?}").len() < 8 * specwright_runtime::EXCERPT);
}
