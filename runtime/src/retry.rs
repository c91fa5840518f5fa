//! When a failed attempt is tried again, and after how long.
//!
//! An idempotent request (GET, HEAD, PUT, DELETE, OPTIONS) is retried on a connection or
//! timeout error and on 429, 500, 502, 503 and 504. Any other request is retried only when
//! it cannot have reached the server: the connection was never made. The wait doubles from
//! `base_delay` up to `max_delay`, each drawn between half and all of it (jitter), unless the
//! answer says how long with `Retry-After`; a `Retry-After` longer than `max_delay` ends the
//! retries and the answer is returned as it is.

use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};

/// How many attempts a request gets and how long to wait between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Retry {
    /// 4 attempts, waiting about 0.2 s, 0.4 s and 0.8 s, at most 20 s.
    fn default() -> Retry {
        Retry {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(20),
        }
    }
}

/// What an attempt came to, as far as retrying is concerned.
#[derive(Clone, Copy, Debug)]
pub enum Outcome<'a> {
    /// An answer, with its `Retry-After` header if any.
    Answer(StatusCode, Option<&'a str>),
    /// No connection was made: nothing reached the server.
    NotConnected,
    /// The connection broke or timed out: the request may have reached the server.
    Broken,
}

impl Retry {
    /// No retries.
    pub fn none() -> Retry {
        Retry {
            max_attempts: 1,
            ..Retry::default()
        }
    }

    /// The wait before attempt `attempt + 1`, or `None` to stop and keep this outcome.
    pub fn after(&self, attempt: u32, method: &Method, outcome: Outcome<'_>) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let idempotent = matches!(
            *method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
        );
        let backoff = self.backoff(attempt);
        match outcome {
            Outcome::NotConnected => Some(backoff),
            Outcome::Broken if idempotent => Some(backoff),
            Outcome::Answer(status, retry_after) if idempotent && retryable(status) => {
                match retry_after.map(parse_retry_after) {
                    Some(Some(wait)) if wait > self.max_delay => None,
                    Some(Some(wait)) => Some(wait),
                    _ => Some(backoff),
                }
            }
            _ => None,
        }
    }

    /// `base_delay · 2^(attempt-1)`, capped, drawn between half and all of it.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
        let full = self.base_delay.saturating_mul(factor).min(self.max_delay);
        full / 2 + full.mul_f64(fastrand::f64() / 2.0)
    }
}

fn retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// `Retry-After`: seconds, or an HTTP date (RFC 9110 §10.2.3).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotent_requests_are_retried_on_throttling_and_server_errors() {
        let r = Retry::default();
        for status in [429, 500, 502, 503, 504] {
            let s = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            assert!(
                r.after(1, &Method::GET, Outcome::Answer(s, None)).is_some(),
                "{status}"
            );
            assert!(
                r.after(1, &Method::POST, Outcome::Answer(s, None)).is_none(),
                "{status}"
            );
        }
        assert!(
            r.after(1, &Method::GET, Outcome::Answer(StatusCode::NOT_FOUND, None))
                .is_none()
        );
        assert!(r.after(1, &Method::DELETE, Outcome::Broken).is_some());
    }

    #[test]
    fn a_request_that_may_have_arrived_is_not_repeated_unless_idempotent() {
        let r = Retry::default();
        assert!(r.after(1, &Method::POST, Outcome::Broken).is_none());
        assert!(r.after(1, &Method::POST, Outcome::NotConnected).is_some());
    }

    #[test]
    fn attempts_are_capped_and_waits_grow_within_bounds() {
        let r = Retry::default();
        assert!(r.after(4, &Method::GET, Outcome::Broken).is_none());
        assert!(Retry::none().after(1, &Method::GET, Outcome::Broken).is_none());
        for attempt in 1..=3 {
            let full = r.base_delay * (1 << (attempt - 1));
            let wait = r
                .after(attempt, &Method::GET, Outcome::Broken)
                .unwrap_or_default();
            assert!(wait >= full / 2 && wait <= full, "attempt {attempt}: {wait:?}");
        }
        assert!(r.backoff(40) <= r.max_delay);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let r = Retry::default();
        let throttled = |v| Outcome::Answer(StatusCode::TOO_MANY_REQUESTS, Some(v));
        assert_eq!(
            r.after(1, &Method::GET, throttled("3")),
            Some(Duration::from_secs(3))
        );
        assert_eq!(r.after(1, &Method::GET, throttled("3600")), None);
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
        let wait = r.after(1, &Method::GET, throttled(&soon)).unwrap_or_default();
        assert!(wait <= Duration::from_secs(2), "{wait:?}");
        assert!(
            r.after(1, &Method::GET, throttled("soon")).is_some(),
            "unreadable: the backoff"
        );
    }
}
