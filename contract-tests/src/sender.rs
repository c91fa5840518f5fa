//! Sending requests to the target, and nothing else: the HTTP client, the credential each
//! request carries, pacing (`--rate`), a sliding window of `--workers` requests in
//! flight, waiting out 429s, bounded bodies, and telling a server that went away from an
//! operation that is only slow.
//!
//! What it will not do: follow a redirect (a 3xx is an answer, judged like any other, so
//! no credential or `--header` value reaches another origin), read a body past
//! `--max-body`, or keep a secret in what it hands on (a server that echoes a token gets
//! it replaced by [`crate::secrets::REDACTED`] before anything is judged or printed).

use std::borrow::Cow;
use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::ExposeSecret;
use specwright_runtime::Auth;

use crate::context::{Target, lock};
use crate::exchange::{Case, Credential, Request, Response};
use crate::secrets::Redactor;

/// How many of the last requests sent are kept, to name them when the server goes away.
const RECENT: usize = 8;
/// How often one request waits out a 429 before the 429 is judged as the answer.
const THROTTLE_RETRIES: u32 = 5;
/// The longest one wait for a 429 may be, whatever `Retry-After` says.
const THROTTLE_MAX_WAIT: Duration = Duration::from_secs(30);

/// What came of one case.
#[derive(Debug)]
pub enum Sent {
    Answer(Response),
    /// Sent, and no usable answer came: a transport error, a timeout, a body too large.
    NoAnswer(String),
    /// Not sent: the run is stopping, the server is gone, or the operation stopped
    /// answering.
    Skipped,
}

/// Why a request got no answer: the text, and whether the connection could not even be
/// made (the first sign of a server that went away).
struct Trouble {
    text: String,
    connect: bool,
}

/// The server stopped accepting connections during the run.
#[derive(Clone, Debug)]
pub struct Gone {
    pub error: String,
    /// The requests sent last before it went, oldest first: one of them may have killed it.
    pub last: Vec<String>,
}

pub struct Sender {
    target: Target,
    http: reqwest::Client,
    rt: tokio::runtime::Runtime,
    workers: usize,
    rate: Option<f64>,
    max_body: u64,
    /// No 429 is waited out past this moment: it is judged as the answer it is.
    last_wait: Instant,
    redactor: Redactor,
    next_slot: Mutex<Option<Instant>>,
    requests: AtomicU64,
    throttled: Arc<AtomicU64>,
    /// Operations that stopped answering: nothing more is sent to them.
    silent: Mutex<BTreeSet<String>>,
    recent: Mutex<VecDeque<String>>,
    gone: Mutex<Option<Gone>>,
}

impl Sender {
    /// `last_wait` is when waiting out a 429 must stop (the run's `--max-time`).
    pub fn new(
        target: Target,
        workers: usize,
        rate: Option<f64>,
        max_body: u64,
        last_wait: Instant,
    ) -> Result<Sender, String> {
        let http = reqwest::Client::builder()
            .timeout(target.timeout)
            .connect_timeout(target.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("contract-tests/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers.clamp(1, 64))
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Sender {
            redactor: Redactor::new(target.secrets()),
            target,
            http,
            rt,
            workers: workers.max(1),
            rate,
            max_body,
            last_wait,
            next_slot: Mutex::new(None),
            requests: AtomicU64::new(0),
            throttled: Arc::new(AtomicU64::new(0)),
            silent: Mutex::new(BTreeSet::new()),
            recent: Mutex::new(VecDeque::new()),
            gone: Mutex::new(None),
        })
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// 429 answers waited out and sent again.
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    pub fn gone(&self) -> Option<Gone> {
        lock(&self.gone).clone()
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// Sends nothing more to this operation.
    pub fn silence(&self, operation: &str) {
        lock(&self.silent).insert(operation.to_string());
    }

    /// Sends cases with at most `--workers` in flight, within `--rate`, and returns what
    /// came of each in the same order. The window slides: a case goes out as soon as the
    /// oldest in flight is answered, not once a whole batch is. `stopped` is asked before
    /// each case; `seen` gets each answer as it is taken, before the next case goes out.
    pub fn send_all(
        &self,
        cases: &[Case],
        stopped: &dyn Fn() -> bool,
        seen: &dyn Fn(&Case, &Response),
    ) -> Vec<Sent> {
        type Task = Option<tokio::task::JoinHandle<Result<Response, Trouble>>>;
        let mut out = Vec::with_capacity(cases.len());
        let mut in_flight: VecDeque<(Task, &Case)> = VecDeque::new();
        let mut pending = cases.iter();
        loop {
            while in_flight.len() < self.workers {
                let Some(case) = pending.next() else { break };
                in_flight.push_back((self.spawn(case, stopped), case));
            }
            let Some((task, case)) = in_flight.pop_front() else {
                break;
            };
            let Some(task) = task else {
                out.push(Sent::Skipped);
                continue;
            };
            let result = self.rt.block_on(task).unwrap_or_else(|e| {
                Err(Trouble {
                    text: format!("the request task failed: {e}"),
                    connect: false,
                })
            });
            out.push(match result {
                Ok(response) => {
                    seen(case, &response);
                    Sent::Answer(response)
                }
                Err(trouble) => {
                    if trouble.connect {
                        self.check_still_there(&trouble.text);
                    }
                    Sent::NoAnswer(trouble.text)
                }
            });
        }
        out
    }

    /// Starts sending one case, unless the run stops, the server is gone or the operation
    /// stopped answering.
    fn spawn(
        &self,
        case: &Case,
        stopped: &dyn Fn() -> bool,
    ) -> Option<tokio::task::JoinHandle<Result<Response, Trouble>>> {
        if stopped() || lock(&self.gone).is_some() || lock(&self.silent).contains(&case.operation) {
            return None;
        }
        self.pace();
        self.requests.fetch_add(1, Ordering::Relaxed);
        {
            let mut recent = lock(&self.recent);
            if recent.len() == RECENT {
                recent.pop_front();
            }
            recent.push_back(format!(
                "{} {} ({}: {})",
                case.request.method,
                case.request.url(""),
                case.operation,
                case.label
            ));
        }
        let built = self.build(&case.request);
        let http = self.http.clone();
        let max_body = self.max_body;
        let redactor = self.redactor.clone();
        let throttled = self.throttled.clone();
        let last_wait = self.last_wait;
        Some(self.rt.spawn(async move {
            let request = built.map_err(|text| Trouble { text, connect: false })?;
            let started = Instant::now();
            let response = execute(&http, request, &throttled, last_wait).await?;
            read(response, started, max_body, &redactor).await
        }))
    }

    /// After a connection could not be made: a second try a moment later tells a server
    /// that went away from one that dropped one connection. If it is gone, the run ends
    /// with that verdict and the requests sent last before it.
    fn check_still_there(&self, error: &str) {
        if lock(&self.gone).is_some() {
            return;
        }
        let Ok(url) = reqwest::Url::parse(&self.target.base_url) else {
            return;
        };
        let (Some(host), Some(port)) = (url.host_str().map(str::to_string), url.port_or_known_default())
        else {
            return;
        };
        let reachable = self.rt.block_on(async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
            matches!(
                tokio::time::timeout(
                    Duration::from_secs(3),
                    tokio::net::TcpStream::connect((host.as_str(), port))
                )
                .await,
                Ok(Ok(_))
            )
        });
        if !reachable {
            let last = lock(&self.recent).iter().cloned().collect();
            *lock(&self.gone) = Some(Gone {
                error: error.to_string(),
                last,
            });
        }
    }

    /// Waits for the next slot `--rate` allows.
    fn pace(&self) {
        let Some(rate) = self.rate.filter(|r| *r > 0.0) else {
            return;
        };
        let gap = Duration::from_secs_f64(1.0 / rate);
        let mut next = lock(&self.next_slot);
        let now = Instant::now();
        if let Some(at) = *next {
            if at > now {
                std::thread::sleep(at - now);
            }
        }
        *next = Some(Instant::now() + gap);
    }

    /// The request as it goes on the wire, with the credential it is meant to carry.
    pub fn build(&self, request: &Request) -> Result<reqwest::Request, String> {
        let method: reqwest::Method = request
            .method
            .parse()
            .map_err(|_| format!("{} is not an HTTP method", request.method))?;
        // Once three operations have stopped answering, the server is not slow but hung:
        // the rest get a short timeout, so the run still ends in minutes.
        let timeout = if lock(&self.silent).len() >= 3 {
            self.target.timeout.min(Duration::from_secs(3))
        } else {
            self.target.timeout
        };
        let mut builder = self
            .http
            .request(method, request.url(&self.target.base_url))
            .timeout(timeout);
        for (k, v) in &request.headers {
            builder = builder.header(k, v);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let mut built = builder.build().map_err(describe)?;
        let auth = match request.credential {
            Credential::Own => Some(&self.target.auth),
            Credential::Second => self.target.second.as_ref().map(|t| &t.auth),
            Credential::Missing | Credential::Wrong => None,
        };
        if let Some(auth) = auth {
            auth.authorize(&mut built)?;
        }
        match request.credential {
            Credential::Own => {
                for (k, v) in &self.target.headers {
                    let name = reqwest::header::HeaderName::from_bytes(k.as_bytes())
                        .map_err(|_| format!("--header {k:?} is not a header name"))?;
                    let mut value = reqwest::header::HeaderValue::from_str(v.expose_secret())
                        .map_err(|_| format!("the value of --header {k} cannot be sent in a header"))?;
                    value.set_sensitive(true);
                    built.headers_mut().insert(name, value);
                }
            }
            Credential::Wrong => {
                // A signature by a secret no server issued, for AK/SK; a token otherwise.
                if let Auth::AkSk(keys) = &self.target.auth {
                    let mut wrong = Auth::ak_sk(keys.access_key.clone(), "not-the-secret-key");
                    if let Auth::AkSk(w) = &mut wrong {
                        w.project_id = keys.project_id.clone();
                    }
                    wrong.authorize(&mut built)?;
                    return Ok(built);
                }
                let wrong = reqwest::header::HeaderValue::from_static("not-a-token-any-server-issued");
                built.headers_mut().insert("X-Auth-Token", wrong.clone());
                for (k, _) in &self.target.headers {
                    if let Ok(name) = reqwest::header::HeaderName::from_bytes(k.as_bytes()) {
                        built.headers_mut().insert(name, wrong.clone());
                    }
                }
            }
            _ => {}
        }
        Ok(built)
    }
}

/// Sends a request, waiting out 429 answers (`Retry-After` in seconds, else 1 s, 2 s, ...,
/// each wait at most 30 s, none past `last_wait`) before judging one.
async fn execute(
    http: &reqwest::Client,
    request: reqwest::Request,
    throttled: &AtomicU64,
    last_wait: Instant,
) -> Result<reqwest::Response, Trouble> {
    let mut request = request;
    let mut attempt = 0;
    loop {
        let again = request.try_clone();
        let response = http.execute(request).await.map_err(|e| Trouble {
            connect: e.is_connect(),
            text: describe(e),
        })?;
        let retry = (response.status().as_u16() == 429 && attempt < THROTTLE_RETRIES)
            .then_some(again)
            .flatten();
        let Some(next) = retry else {
            return Ok(response);
        };
        let wait = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(Duration::from_secs(1 << attempt), Duration::from_secs)
            .min(THROTTLE_MAX_WAIT);
        if Instant::now() + wait > last_wait {
            return Ok(response);
        }
        throttled.fetch_add(1, Ordering::Relaxed);
        drop(response);
        tokio::time::sleep(wait).await;
        request = next;
        attempt += 1;
    }
}

/// A transport error with its causes, which say what actually happened (a timeout, a
/// refused connection, a reset).
pub fn describe(e: reqwest::Error) -> String {
    let mut text = e.to_string();
    if e.is_timeout() {
        text.push_str(" (timed out)");
    }
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

/// Reads an answer, at most `max_body` bytes of body, with every secret the run holds
/// taken out of its headers and body.
async fn read(
    mut response: reqwest::Response,
    sent_at: Instant,
    max_body: u64,
    redactor: &Redactor,
) -> Result<Response, Trouble> {
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| {
            let value = String::from_utf8_lossy(v.as_bytes());
            (k.as_str().to_string(), redactor.redact(&value).into_owned())
        })
        .collect();
    let content_type = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone());
    let too_big = || Trouble {
        text: format!("the body is larger than {max_body} bytes (--max-body); the rest was not read"),
        connect: false,
    };
    if response.content_length().is_some_and(|n| n > max_body) {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| Trouble {
        connect: false,
        text: describe(e),
    })? {
        if (bytes.len() + chunk.len()) as u64 > max_body {
            return Err(too_big());
        }
        bytes.extend_from_slice(&chunk);
    }
    let lossy = String::from_utf8_lossy(&bytes);
    // The body is parsed as sent, then every string in it redacted: a secret the server
    // escaped in some way of its own (`\u0026`) is caught once decoded.
    let mut body: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
    if let Some(b) = body.as_mut() {
        redactor.redact_value(b);
    }
    let body_text = match redactor.redact(&lossy) {
        Cow::Borrowed(_) => lossy.into_owned(),
        Cow::Owned(redacted) => redacted,
    };
    Ok(Response {
        status,
        headers,
        content_type,
        body_text,
        body,
        sent_at,
        elapsed: sent_at.elapsed(),
    })
}
