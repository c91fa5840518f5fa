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

/// Every kind of credential a spec's scheme puts on a request (a header, a query key, a
/// cookie, `Authorization`) reaches the origin it is meant for, and none of them reaches
/// another origin a redirect names: the redirect is the answer.
#[tokio::test]
async fn no_scheme_credential_travels_to_another_origin() {
    use specwright_runtime::{ClientCredentials, Credential, KeyIn, Security};

    let secrets = [
        "hdr-secret-value",
        "query-secret-value",
        "cookie-secret-value",
        "bearer-secret-value",
        "basic-secret-value",
    ];
    let elsewhere_heads = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let heads = elsewhere_heads.clone();
    let elsewhere = serve(
        move |head| {
            heads.lock().expect("not poisoned").push(head.to_string());
            ("200 OK".into(), String::new())
        },
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    )
    .await;
    let home_heads = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let heads = home_heads.clone();
    let target = format!("{elsewhere}/steal");
    let home = serve(
        move |head| {
            heads.lock().expect("not poisoned").push(head.to_string());
            if head.starts_with("post /token") {
                return ("200 OK".into(), "content-type: application/json\r\n".into());
            }
            ("307 Temporary Redirect".into(), format!("location: {target}\r\n"))
        },
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    )
    .await;

    let transport = Transport::builder(home)
        .retry(Retry::none())
        .build()
        .expect("a transport")
        .with_credential("h", Credential::api_key(KeyIn::Header, "X-Api-Key", secrets[0]))
        .with_credential("q", Credential::api_key(KeyIn::Query, "api_key", secrets[1]))
        .with_credential("c", Credential::api_key(KeyIn::Cookie, "session", secrets[2]))
        .with_credential("bearer", Credential::bearer(secrets[3]))
        .with_credential("basic", Credential::basic("user", secrets[4]))
        .with_credential(
            "oauth",
            Credential::ClientCredentials(ClientCredentials::new("/token", "id", "oauth-client-secret")),
        );
    let requirements: [Security; 3] = [&[&["h", "q", "c", "bearer"]], &[&["basic"]], &[&["oauth"]]];
    for security in requirements {
        let away = transport
            .send_secured::<()>(
                "away",
                security,
                transport.request(specwright_runtime::reqwest::Method::GET, "/away", &Query::new()),
            )
            .await;
        // The OAuth2 token answer here is `{}` (no token): that call fails before sending.
        if let Ok(away) = away {
            assert_eq!(away.status.as_u16(), 307, "the redirect is the answer");
        }
    }
    let home_heads = home_heads.lock().expect("not poisoned").join("\n");
    for secret in &secrets[..3] {
        assert!(
            home_heads.contains(secret),
            "{secret} was sent home: {home_heads}"
        );
    }
    assert!(home_heads.contains("authorization: bearer bearer-secret-value"));
    assert!(home_heads.contains("authorization: basic "));
    assert!(
        home_heads.contains("post /token"),
        "the token was asked for at home"
    );
    let elsewhere_heads = elsewhere_heads.lock().expect("not poisoned");
    assert!(
        elsewhere_heads.is_empty(),
        "nothing went to the other origin: {elsewhere_heads:?}"
    );
}

/// A transport error names the URL it failed on: a query key the runtime added is hidden
/// in it.
#[tokio::test]
async fn a_query_key_is_hidden_in_a_transport_error() {
    use specwright_runtime::{Credential, Error, KeyIn};
    // Nothing listens on port 9 of this host (discard): the connection is refused.
    let transport = Transport::builder("http://127.0.0.1:9")
        .retry(Retry::none())
        .build()
        .expect("a transport")
        .with_credential(
            "q",
            Credential::api_key(KeyIn::Query, "api_key", "query-secret-value"),
        );
    let result = transport
        .send_secured::<()>(
            "x",
            &[&["q"]],
            transport.request(specwright_runtime::reqwest::Method::GET, "/x", &Query::new()),
        )
        .await;
    match result {
        Err(e @ Error::Transport(_)) => {
            let shown = format!("{e} {e:?}");
            assert!(!shown.contains("query-secret-value"), "{shown}");
            assert!(shown.contains("api_key=%5Bhidden%5D"), "{shown}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}
