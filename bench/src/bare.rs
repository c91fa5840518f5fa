//! The machine's ceiling: a hyper HTTP/1.1 server that answers every request at once with
//! one fixed JSON body, doing no routing, parsing or state.

use std::path::PathBuf;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Response, header};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

pub async fn serve(listen: &str, body_file: Option<PathBuf>) -> Result<Value, String> {
    let body = match body_file {
        Some(p) => Bytes::from(std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?),
        None => Bytes::from_static(b"{}"),
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // The address goes out first, on its own line, for whoever started this server.
    println!("{}", json!({"listening": format!("http://{addr}")}));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |_request| {
                let body = body.clone();
                async move {
                    Response::builder()
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Full::new(body))
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
