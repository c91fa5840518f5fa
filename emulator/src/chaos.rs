//! Transport faults: an endpoint that is slow, throttles, is briefly unavailable or drops
//! connections, deterministically (every Nth request), so that clients' timeouts and
//! retries can be tried. They act before any handler runs: a refused or dropped request
//! changes nothing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// How the transport misbehaves; the default is not at all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chaos {
    /// Added before every answer.
    pub latency: Duration,
    /// Every Nth request gets 429 with `Retry-After`.
    pub throttle_every: Option<u64>,
    /// The `Retry-After` of a 429 or 503, in seconds.
    pub retry_after: u64,
    /// Every Nth request gets 503.
    pub unavailable_every: Option<u64>,
    /// Every Nth request has its connection closed before the answer is complete.
    pub drop_every: Option<u64>,
}

/// What chaos does to one request.
pub(crate) enum Act {
    Serve,
    Refuse(StatusCode),
    Drop,
}

/// Counts requests and decides, in a fixed order: drop, then 503, then 429.
#[derive(Debug, Default)]
pub(crate) struct Counter(AtomicU64);

impl Counter {
    pub fn act(&self, chaos: &Chaos) -> Act {
        let n = self.0.fetch_add(1, Ordering::Relaxed).saturating_add(1);
        let hits = |every: Option<u64>| every.is_some_and(|e| e > 0 && n % e == 0);
        if hits(chaos.drop_every) {
            Act::Drop
        } else if hits(chaos.unavailable_every) {
            Act::Refuse(StatusCode::SERVICE_UNAVAILABLE)
        } else if hits(chaos.throttle_every) {
            Act::Refuse(StatusCode::TOO_MANY_REQUESTS)
        } else {
            Act::Serve
        }
    }
}

/// A response whose body fails: the server closes the connection mid-answer.
pub(crate) fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped by --drop-every"))
    });
    (StatusCode::OK, Body::from_stream(failing)).into_response()
}

/// Adds `Retry-After` to a 429 or 503.
pub(crate) fn retry_after(mut response: Response, chaos: &Chaos) -> Response {
    if let Ok(v) = HeaderValue::from_str(&chaos.retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}
