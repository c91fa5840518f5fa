//! Every request is a `tracing` span with its operation, and every attempt an event; no
//! token, key or signature ever appears in what is recorded or in an error's text.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use specwright_runtime::{AkSk, Auth, Credential, Error, KeyIn, Query, Retry, Transport};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn attempts_are_traced_and_secrets_never_are() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Nothing listens on port 9 here: every attempt fails to connect, and is retried.
    let retry = Retry {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    };
    let keys = AkSk {
        access_key: "AK-VISIBLE".into(),
        secret_key: SecretString::from("s3cr3t-sk"),
        project_id: Some("p1".into()),
        security_token: Some(SecretString::from("s3cr3t-sts")),
    };
    let mut errors = Vec::new();
    for auth in [Auth::token("s3cr3t-token"), Auth::AkSk(keys)] {
        let transport = Transport::builder("http://127.0.0.1:9")
            .auth(auth)
            .retry(retry.clone())
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let request = transport.request(reqwest::Method::GET, "/v2/p1/volumes", &Query::new());
        let result: Result<_, Error<()>> = transport.send("listVolumes", request).await;
        let err = result.err().unwrap_or_else(|| panic!("port 9 answered"));
        errors.push(format!("{err} {err:?}"));
    }
    // The spec's schemes: a query key (which a transport error's URL would show), a header
    // key, a cookie, basic.
    let transport = Transport::builder("http://127.0.0.1:9")
        .retry(retry.clone())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
        .with_credential("q", Credential::api_key(KeyIn::Query, "key", "s3cr3t-query"))
        .with_credential("h", Credential::api_key(KeyIn::Header, "X-Key", "s3cr3t-header"))
        .with_credential("c", Credential::api_key(KeyIn::Cookie, "sid", "s3cr3t-cookie"))
        .with_credential("b", Credential::basic("user", "s3cr3t-password"));
    errors.push(format!("{:?}", transport));
    let request = transport.request(reqwest::Method::GET, "/v2/p1/volumes", &Query::new());
    let result: Result<_, Error<()>> = transport
        .send_secured("listVolumes", &[&["q", "h", "c", "b"]], request)
        .await;
    let err = result.err().unwrap_or_else(|| panic!("port 9 answered"));
    errors.push(format!("{err} {err:?}"));

    let log = String::from_utf8_lossy(&captured.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
    assert!(
        log.contains("listVolumes") && log.contains("/v2/p1/volumes"),
        "{log}"
    );
    assert_eq!(
        log.matches("retrying").count(),
        6,
        "two retries per request: {log}"
    );
    for text in errors.iter().chain(std::iter::once(&log)) {
        for secret in ["s3cr3t", "Signature=", "X-Auth-Token"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
}
