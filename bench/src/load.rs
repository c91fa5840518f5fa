//! A keep-alive HTTP/1.1 load generator: `connections` connections, each sending the same
//! request back to back until the time is up. Counts answers by status and keeps every
//! latency, so the percentiles are exact.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

pub struct Load {
    pub url: String,
    pub method: String,
    pub path: String,
    pub body: Option<String>,
    pub headers: Vec<String>,
    pub connections: usize,
    pub duration: Duration,
}

#[derive(Default)]
struct Tally {
    ok: u64,
    failed: u64,
    latencies_us: Vec<u32>,
}

pub async fn run(load: Load) -> Result<Value, String> {
    let authority = load
        .url
        .strip_prefix("http://")
        .ok_or("--url must be http://HOST:PORT")?
        .trim_end_matches('/')
        .to_string();
    let method: hyper::Method = load
        .method
        .parse()
        .map_err(|_| format!("bad method {}", load.method))?;
    let mut headers = Vec::new();
    for h in &load.headers {
        let (name, value) = h
            .split_once(':')
            .ok_or_else(|| format!("--header takes NAME:VALUE, not {h:?}"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let body = Bytes::from(load.body.clone().unwrap_or_default());
    let started = Instant::now();
    let deadline = started + load.duration;
    let mut tasks = Vec::new();
    for _ in 0..load.connections.max(1) {
        let (authority, method, headers, body, path) = (
            authority.clone(),
            method.clone(),
            headers.clone(),
            body.clone(),
            load.path.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < deadline {
                // A connection the server closed is opened again; the failure is counted.
                if connection(&authority, &method, &path, &headers, &body, deadline, &mut tally)
                    .await
                    .is_err()
                {
                    tally.failed += 1;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
            tally
        }));
    }
    let mut all = Tally::default();
    for t in tasks {
        let t = t.await.map_err(|e| e.to_string())?;
        all.ok += t.ok;
        all.failed += t.failed;
        all.latencies_us.extend(t.latencies_us);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies_us.sort_unstable();
    let pct = |p: f64| -> f64 {
        if all.latencies_us.is_empty() {
            return f64::NAN;
        }
        let i = ((all.latencies_us.len() - 1) as f64 * p).round() as usize;
        f64::from(all.latencies_us[i]) / 1000.0
    };
    Ok(json!({
        "requests_per_second": all.ok as f64 / elapsed,
        "ok": all.ok,
        "failed": all.failed,
        "seconds": elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
    }))
}

async fn connection(
    authority: &str,
    method: &hyper::Method,
    path: &str,
    headers: &[(String, String)],
    body: &Bytes,
    deadline: Instant,
    tally: &mut Tally,
) -> Result<(), String> {
    let stream = tokio::net::TcpStream::connect(authority)
        .await
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    while Instant::now() < deadline {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(path)
            .header(hyper::header::HOST, authority);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if !body.is_empty() {
            request = request.header(hyper::header::CONTENT_TYPE, "application/json");
        }
        let request = request.body(Full::new(body.clone())).map_err(|e| e.to_string())?;
        let sent = Instant::now();
        let response = sender.send_request(request).await.map_err(|e| e.to_string())?;
        let status = response.status();
        response.into_body().collect().await.map_err(|e| e.to_string())?;
        let micros = u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX);
        if status.is_success() {
            tally.ok += 1;
            tally.latencies_us.push(micros);
        } else {
            tally.failed += 1;
        }
    }
    Ok(())
}
