//! The run context every part of a run shares: the specs, the target and its credentials,
//! the HTTP client, the report, the resources the run made, and the clock.
//!
//! Everything here is safe to share between the worker threads: cases of one operation
//! are sent concurrently, and their findings are recorded under locks.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use evs_ims_oracle::{Operation, Spec};
use evs_ims_runtime::Auth;
use secrecy::{ExposeSecret, SecretString};

use crate::checks::{Check, Finding, Intent, judge};
use crate::exchange::{Case, Credential, Request, Response};
use crate::report::{Failure, Report};

/// The implementation under test.
#[derive(Clone, Debug)]
pub struct Target {
    pub base_url: String,
    /// The project the credential is scoped to; fills every `project_id` path parameter.
    pub project_id: String,
    pub auth: Auth,
    /// Headers sent with every request (`--header`), such as an API key: treated as
    /// secrets, never printed.
    pub headers: Vec<(String, SecretString)>,
    /// A second tenant, for the tenant-isolation check.
    pub second: Option<Tenant>,
    pub timeout: Duration,
}

/// Another tenant's credential and project.
#[derive(Clone, Debug)]
pub struct Tenant {
    pub auth: Auth,
    pub project_id: String,
}

impl Target {
    pub fn new(base_url: impl Into<String>, project_id: impl Into<String>, auth: Auth) -> Target {
        Target {
            base_url: base_url.into(),
            project_id: project_id.into(),
            auth,
            headers: Vec::new(),
            second: None,
            timeout: Duration::from_secs(10),
        }
    }
}

/// What to run, and how carefully.
#[derive(Clone, Debug)]
pub struct Settings {
    pub seed: u64,
    /// Generated cases per operation and kind (positive, negative).
    pub max_cases: u32,
    /// Only these operations (by operationId); empty means all.
    pub operations: Vec<String>,
    pub checks: BTreeSet<Check>,
    /// Send operations that change state (create, update, delete, actions).
    pub allow_mutations: bool,
    /// Requests per second at most.
    pub rate: Option<f64>,
    /// How long a resource may stay in a documented transitional status.
    pub settle: Duration,
    /// Cases sent at the same time.
    pub workers: usize,
    /// The whole run ends by then, with a verdict, whatever the server does.
    pub max_time: Duration,
    /// Values for path (or other) parameters by name (`--param NAME=VALUE`).
    pub params: BTreeMap<String, String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            seed: 0x5EED,
            max_cases: 32,
            operations: Vec::new(),
            checks: Check::ALL.into_iter().collect(),
            allow_mutations: false,
            rate: None,
            settle: Duration::from_secs(120),
            workers: std::thread::available_parallelism().map_or(2, usize::from),
            max_time: Duration::from_secs(900),
            params: BTreeMap::new(),
        }
    }
}

/// Values for path parameters: by the path prefix that ends in the parameter
/// (`/v2/{project_id}/volumes/{volume_id}`), and by the parameter's name.
#[derive(Clone, Debug, Default)]
pub struct Pool {
    pub by_prefix: BTreeMap<String, String>,
    pub by_name: BTreeMap<String, String>,
}

impl Pool {
    pub fn insert(&mut self, prefix: &str, name: &str, value: &str) {
        self.by_prefix.insert(prefix.to_string(), value.to_string());
        self.by_name
            .entry(name.to_string())
            .or_insert_with(|| value.to_string());
    }
}

/// A resource this run created, and how to delete it.
#[derive(Clone, Debug, PartialEq)]
pub struct Created {
    /// The item path template (`/v2/{project_id}/volumes/{volume_id}`).
    pub template: String,
    /// The filled item path.
    pub path: String,
    pub id: String,
}

pub struct Context {
    pub specs: Vec<Spec>,
    pub target: Target,
    pub settings: Settings,
    http: reqwest::Client,
    rt: tokio::runtime::Runtime,
    report: Mutex<Report>,
    pub pool: Mutex<Pool>,
    pub created: Mutex<Vec<Created>>,
    /// Statuses the run's own requests hold resources in, by collection and id
    /// ([`crate::holds`]).
    pub holds: Mutex<BTreeMap<String, crate::holds::Hold>>,
    interrupted: Arc<AtomicBool>,
    started: Instant,
    /// Operations that stopped answering: nothing more is sent to them.
    silent: Mutex<BTreeSet<String>>,
    next_slot: Mutex<Option<Instant>>,
    requests: AtomicU64,
    /// Resource kinds (path templates) one of which used up the settle time.
    never_settle: Mutex<BTreeSet<String>>,
    /// Cleaning up: requests go on after `--max-time` or Ctrl-C, within their own budget.
    cleaning: AtomicBool,
}

/// Locks, recovering from a poisoned lock (a panicking worker must not lose the report).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Context {
    pub fn new(specs: Vec<Spec>, target: Target, settings: Settings) -> Result<Context, String> {
        let http = reqwest::Client::builder()
            .timeout(target.timeout)
            .connect_timeout(target.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| e.to_string())?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(settings.workers.clamp(1, 64))
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let report = Report::new(settings.seed, &target.base_url);
        Ok(Context {
            specs,
            target,
            settings,
            http,
            rt,
            report: Mutex::new(report),
            pool: Mutex::new(Pool::default()),
            created: Mutex::new(Vec::new()),
            holds: Mutex::new(BTreeMap::new()),
            interrupted: Arc::new(AtomicBool::new(false)),
            started: Instant::now(),
            silent: Mutex::new(BTreeSet::new()),
            next_slot: Mutex::new(None),
            requests: AtomicU64::new(0),
            never_settle: Mutex::new(BTreeSet::new()),
            cleaning: AtomicBool::new(false),
        })
    }

    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.interrupted.clone()
    }

    pub fn interrupted(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
    }

    /// The run must stop: interrupted, or `--max-time` spent (cleanup goes on).
    pub fn stopped(&self) -> bool {
        !self.cleaning.load(Ordering::Relaxed) && self.out_of_time()
    }

    /// Interrupted, or `--max-time` spent.
    pub fn out_of_time(&self) -> bool {
        self.interrupted() || self.started.elapsed() >= self.settings.max_time
    }

    /// Time left before `--max-time`; cleaning up, a minute of grace.
    pub fn remaining(&self) -> Duration {
        if self.cleaning.load(Ordering::Relaxed) {
            return self
                .settings
                .max_time
                .saturating_sub(self.started.elapsed())
                .max(Duration::from_secs(60));
        }
        self.settings.max_time.saturating_sub(self.started.elapsed())
    }

    /// From now on the run only deletes what it made.
    pub fn start_cleanup(&self) {
        self.cleaning.store(true, Ordering::Relaxed);
    }

    pub fn never_settles(&self, kind: &str) -> bool {
        lock(&self.never_settle).contains(kind)
    }

    pub fn mark_never_settles(&self, kind: &str) {
        lock(&self.never_settle).insert(kind.to_string());
    }

    /// Whether an operation is among those `--operations` selects.
    pub fn selected(&self, operation: &str) -> bool {
        self.settings.operations.is_empty() || self.settings.operations.iter().any(|o| o == operation)
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    pub fn report(&self) -> MutexGuard<'_, Report> {
        lock(&self.report)
    }

    pub fn into_report(self) -> Report {
        let mut report = self.report.into_inner().unwrap_or_else(|p| p.into_inner());
        report.requests = self.requests.load(Ordering::Relaxed);
        report.elapsed = self.started.elapsed();
        report
    }

    /// The spec an operation's path template belongs to, and the operation.
    pub fn find(&self, method: &str, template: &str) -> Option<(&Spec, Operation<'_>)> {
        self.specs.iter().find_map(|spec| {
            spec.operations()
                .into_iter()
                .find(|o| o.method == method && o.path == template)
                .map(|o| (spec, o))
        })
    }

    /// Whether `check` is one this run reports.
    pub fn enabled(&self, check: Check) -> bool {
        self.settings.checks.contains(&check)
    }

    /// Records findings; returns the first enabled failure, if any.
    pub fn tally(&self, operation: &str, findings: &[Finding]) -> Option<Finding> {
        let mut report = self.report();
        let mut first = None;
        for f in findings.iter().filter(|f| self.enabled(f.check)) {
            report.record(operation, f);
            if !f.passed && first.is_none() {
                first = Some(f.clone());
            }
        }
        first
    }

    /// Adds a failure with what reproduces it.
    pub fn fail(&self, finding: Finding, case: Case) {
        let secret_headers: Vec<String> = self.target.headers.iter().map(|(k, _)| k.clone()).collect();
        let curl = case.curl(
            &self.target.base_url,
            &secret_headers,
            !matches!(self.target.auth, Auth::None),
        );
        self.report().failures.push(Failure {
            check: finding.check,
            expected: finding.expected,
            actual: finding.actual,
            case,
            curl,
            seed: self.settings.seed,
        });
    }

    /// Tallies the findings and keeps the first failure with its case.
    pub fn record(&self, findings: &[Finding], case: &Case) -> Option<Finding> {
        let failed = self.tally(&case.operation, findings)?;
        self.fail(failed.clone(), case.clone());
        Some(failed)
    }

    /// Sends one case and judges it; the first failure is recorded with the case.
    pub fn exchange(&self, spec: &Spec, op: &Operation, case: &Case, intent: Intent) -> Option<Response> {
        let response = self.send(case)?;
        let findings = judge(spec, op, &case.request, &response, intent);
        self.record(&findings, case);
        Some(response)
    }

    /// Sends one case; `None` when nothing came back (recorded under `no-server-error`).
    pub fn send(&self, case: &Case) -> Option<Response> {
        self.send_all(std::slice::from_ref(case)).pop().flatten()
    }

    /// Sends cases concurrently (at most `--workers` at a time, within `--rate`), and
    /// returns their responses in the same order. A case whose operation stopped
    /// answering, or that comes after `--max-time`, is not sent. The window slides: a case
    /// goes out as soon as the oldest in flight is answered, not once a whole batch is.
    pub fn send_all(&self, cases: &[Case]) -> Vec<Option<Response>> {
        type Task = Option<tokio::task::JoinHandle<Result<Response, String>>>;
        let workers = self.settings.workers.max(1);
        let mut out = Vec::with_capacity(cases.len());
        let mut in_flight: std::collections::VecDeque<(Task, &Case)> = std::collections::VecDeque::new();
        let mut pending = cases.iter();
        loop {
            while in_flight.len() < workers {
                let Some(case) = pending.next() else { break };
                in_flight.push_back((self.spawn(case), case));
            }
            let Some((task, case)) = in_flight.pop_front() else {
                break;
            };
            let Some(task) = task else {
                out.push(None);
                continue;
            };
            let result = self
                .rt
                .block_on(task)
                .unwrap_or_else(|e| Err(format!("the request task failed: {e}")));
            out.push(match result {
                Ok(response) => Some(response),
                Err(e) => {
                    self.no_answer(case, &e);
                    None
                }
            });
        }
        out
    }

    /// Starts sending one case, unless its operation stopped answering or the run must stop.
    fn spawn(&self, case: &Case) -> Option<tokio::task::JoinHandle<Result<Response, String>>> {
        if self.stopped() || lock(&self.silent).contains(&case.operation) {
            return None;
        }
        self.pace();
        self.requests.fetch_add(1, Ordering::Relaxed);
        let built = self.build(&case.request);
        let http = self.http.clone();
        Some(self.rt.spawn(async move {
            let request = built?;
            let started = Instant::now();
            let response = http.execute(request).await.map_err(describe)?;
            read(response, started).await
        }))
    }

    /// A transport failure: a failure of `no-server-error` (once per operation), and the
    /// operation is not sent to again if it timed out, so a hanging server costs one
    /// timeout per operation, not one per case.
    fn no_answer(&self, case: &Case, error: &str) {
        let f = Finding::fail(Check::NoServerError, "a response", format!("no answer: {error}"));
        let first = {
            let report = self.report();
            !report
                .failures
                .iter()
                .any(|x| x.case.operation == case.operation && x.check == Check::NoServerError)
        };
        if self.tally(&case.operation, std::slice::from_ref(&f)).is_some() && first {
            self.fail(f, case.clone());
        }
        if error.contains("timed out") || error.contains("timeout") {
            lock(&self.silent).insert(case.operation.clone());
            self.report().skip(
                &case.operation,
                &format!(
                    "stopped answering (no answer within {:?}); not sent to again",
                    self.target.timeout
                ),
            );
        }
    }

    /// Waits for the next slot `--rate` allows.
    fn pace(&self) {
        let Some(rate) = self.settings.rate.filter(|r| *r > 0.0) else {
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

    fn build(&self, request: &Request) -> Result<reqwest::Request, String> {
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

/// A transport error with its causes, which say what actually happened (a timeout, a
/// refused connection, a reset).
fn describe(e: reqwest::Error) -> String {
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

async fn read(response: reqwest::Response, started: Instant) -> Result<Response, String> {
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let bytes = response.bytes().await.map_err(describe)?;
    let body_text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).ok();
    Ok(Response {
        status,
        headers,
        content_type,
        body_text,
        body,
        sent_at: started,
        elapsed: started.elapsed(),
    })
}
