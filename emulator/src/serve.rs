//! Serving connections, so that slow or idle clients cannot exhaust the emulator: HTTP/1.1
//! by hyper, each request's headers due within [`Connections::header_timeout`] of the
//! connection being ready for one (a slow sender, and a keep-alive connection left idle, are
//! closed after it), at most [`Connections::max`] connections at once (one more gets a 503
//! and is closed), accept errors such as running out of descriptors waited out, and a
//! graceful shutdown that lets requests in flight finish.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use crate::error::{ApiError, Service};

/// Limits on connections and on how long a request may take to arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connections {
    /// How long a request's headers may take, counted from when the connection is ready
    /// for a request (so it also closes a connection idle between requests).
    pub header_timeout: Duration,
    /// How long a request's body may take once its headers are in; past it, 408.
    pub body_timeout: Duration,
    /// How many connections are served at once.
    pub max: usize,
}

impl Default for Connections {
    fn default() -> Connections {
        Connections {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max: 512,
        }
    }
}

/// How long requests in flight may take to finish once a shutdown is asked for.
const DRAIN: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until `shutdown` resolves.
pub(crate) async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Connections,
    shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max.max(1)));
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors (EMFILE), or a connection reset before it was
                // accepted: wait a little and go on, as serving others may free one.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection ends by a timeout, a reset or a protocol error: none is the
            // emulator's to report.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
}

/// One connection too many: a 503 the client can act on (EVS's error body: before a
/// request is read, its service is not known), then closed.
async fn refuse(mut stream: TcpStream) {
    let error = ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "EVS.5503",
        "too many connections; retry later",
    );
    let body = error.body(Service::Evs).to_string();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}
