//! A redirect is followed only within its origin: a server that answers with a
//! `Location` on another host or port gets that answer back, and the credential never
//! travels there.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use specwright_runtime::{Auth, Query, Retry, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A one-request-per-connection HTTP server: `answer` gets the request head and returns
/// the status line and extra headers; `heads` counts the requests that carried a token.
async fn serve(
    answer: impl Fn(&str) -> (String, String) + Send + Sync + 'static,
    with_token: Arc<AtomicUsize>,
    seen: Arc<AtomicUsize>,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
            seen.fetch_add(1, Ordering::SeqCst);
            if head.contains("x-auth-token") {
                with_token.fetch_add(1, Ordering::SeqCst);
            }
            let (status, headers) = answer(&head);
            let reply =
                format!("HTTP/1.1 {status}\r\n{headers}content-length: 2\r\nconnection: close\r\n\r\n{{}}");
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    base
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let elsewhere_tokens = Arc::new(AtomicUsize::new(0));
    let elsewhere_seen = Arc::new(AtomicUsize::new(0));
    let elsewhere = serve(
        |_| ("200 OK".into(), String::new()),
        elsewhere_tokens.clone(),
        elsewhere_seen.clone(),
    )
    .await;
    let home_tokens = Arc::new(AtomicUsize::new(0));
    let target = format!("{elsewhere}/steal");
    let home = serve(
        move |head| {
            if head.starts_with("get /away") {
                ("307 Temporary Redirect".into(), format!("location: {target}\r\n"))
            } else if head.starts_with("get /hop") {
                ("302 Found".into(), "location: /landed\r\n".into())
            } else {
                ("200 OK".into(), String::new())
            }
        },
        home_tokens.clone(),
        Arc::new(AtomicUsize::new(0)),
    )
    .await;

    let transport = Transport::builder(home)
        .auth(Auth::token("a-token-for-home-only"))
        .retry(Retry::none())
        .build()
        .expect("a transport");
    let away = transport
        .send::<()>(
            "away",
            transport.request(specwright_runtime::reqwest::Method::GET, "/away", &Query::new()),
        )
        .await
        .expect("an answer");
    assert_eq!(away.status.as_u16(), 307, "the redirect is the answer");
    assert_eq!(
        elsewhere_seen.load(Ordering::SeqCst),
        0,
        "nothing went to the other origin"
    );
    assert_eq!(elsewhere_tokens.load(Ordering::SeqCst), 0);

    // Within the origin it is followed, with the credential.
    let hop = transport
        .send::<()>(
            "hop",
            transport.request(specwright_runtime::reqwest::Method::GET, "/hop", &Query::new()),
        )
        .await
        .expect("an answer");
    assert_eq!(hop.status.as_u16(), 200);
    assert_eq!(
        home_tokens.load(Ordering::SeqCst),
        3,
        "/away, /hop and /landed carried it"
    );
}
