//! The run context every part of a run shares: the specs, the target and its credentials,
//! the settings, the sender ([`crate::sender`]), the ledger of what the run made
//! ([`crate::ledger`]), the report it writes to, and the clock.
//!
//! Everything here is safe to share between the worker threads: cases of one operation
//! are sent concurrently, and their findings are recorded under locks.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use specwright_oracle::{Operation, Spec};
use specwright_runtime::Auth;

use crate::checks::{Check, Finding, Intent};
use crate::exchange::{Case, Response};
use crate::judge::judge;
use crate::ledger::Ledger;
use crate::report::{Failure, Report};
use crate::sender::{Sender, Sent};

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
    /// Every secret this target's credentials hold: tokens, keys, `--header` values.
    pub fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut of_auth = |auth: &Auth| match auth {
            Auth::Token(t) => out.push(t.expose_secret().to_string()),
            Auth::AkSk(keys) => {
                out.push(keys.access_key.clone());
                out.push(keys.secret_key.expose_secret().to_string());
                if let Some(t) = &keys.security_token {
                    out.push(t.expose_secret().to_string());
                }
            }
            Auth::None => {}
        };
        of_auth(&self.auth);
        if let Some(second) = &self.second {
            of_auth(&second.auth);
        }
        out.extend(self.headers.iter().map(|(_, v)| v.expose_secret().to_string()));
        out
    }

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
    /// The most of a response body that is read; past it the case fails.
    pub max_body: u64,
    /// Warnings (broken recommendations, undocumented fields) fail the run too.
    pub strict: bool,
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
            max_body: 64 << 20,
            strict: false,
        }
    }
}

pub struct Context {
    pub specs: Vec<Spec>,
    pub target: Target,
    pub settings: Settings,
    pub sender: Sender,
    report: Mutex<Report>,
    /// What the run made, found and holds.
    pub ledger: Ledger,
    interrupted: Arc<AtomicBool>,
    started: Instant,
    /// Cleaning up: requests go on after `--max-time` or Ctrl-C, within their own budget.
    cleaning: AtomicBool,
    /// Answers of 401 in a row to requests with the run's own credential.
    refused_in_a_row: std::sync::atomic::AtomicU32,
    /// The credential stopped working: why, and the request that first saw it.
    lost_credential: Mutex<Option<String>>,
    /// The documented read the preflight saw succeed: sent again to tell a credential that
    /// stopped working from a run of refusals the server owed (another project's id).
    pub confirm: Mutex<Option<Case>>,
}

/// After this many 401s in a row to the run's own credential, it stopped working (it
/// expired, or a request of the run revoked it): the run stops and says so.
const REFUSED_IN_A_ROW: u32 = 20;

/// Locks, recovering from a poisoned lock (a panicking worker must not lose the report).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Context {
    pub fn new(specs: Vec<Spec>, target: Target, settings: Settings) -> Result<Context, String> {
        // A --max-time of centuries is no reason to overflow.
        let far = Duration::from_secs(100 * 365 * 86_400);
        let last_wait = Instant::now() + settings.max_time.min(far);
        let sender = Sender::new(
            target.clone(),
            settings.workers,
            settings.rate,
            settings.max_body,
            last_wait,
        )?;
        let mut report = Report::new(settings.seed, &target.base_url);
        report.redactor = sender.redactor().clone();
        Ok(Context {
            specs,
            target,
            settings,
            sender,
            report: Mutex::new(report),
            ledger: Ledger::default(),
            interrupted: Arc::new(AtomicBool::new(false)),
            started: Instant::now(),
            cleaning: AtomicBool::new(false),
            refused_in_a_row: std::sync::atomic::AtomicU32::new(0),
            lost_credential: Mutex::new(None),
            confirm: Mutex::new(None),
        })
    }

    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.interrupted.clone()
    }

    pub fn interrupted(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
    }

    /// The run must stop: interrupted, `--max-time` spent (cleanup goes on), or the
    /// server went away (nothing more can be sent).
    pub fn stopped(&self) -> bool {
        (!self.cleaning.load(Ordering::Relaxed) && (self.out_of_time() || self.lost_credential().is_some()))
            || self.sender.gone().is_some()
    }

    /// Why the run's own credential is taken to have stopped working, if it is.
    pub fn lost_credential(&self) -> Option<String> {
        lock(&self.lost_credential).clone()
    }

    /// Counts 401s in a row to the run's own credential.
    fn watch_credential(&self, case: &Case, response: &Response) {
        if case.request.credential != crate::exchange::Credential::Own {
            return;
        }
        if response.status != 401 {
            self.refused_in_a_row.store(0, Ordering::Relaxed);
            return;
        }
        let n = self.refused_in_a_row.fetch_add(1, Ordering::Relaxed) + 1;
        if n == REFUSED_IN_A_ROW {
            // The read that worked at the start: if it still works, the refusals were owed.
            let confirm = lock(&self.confirm).clone();
            if let Some(read) = confirm {
                let again = self
                    .sender
                    .send_all(std::slice::from_ref(&read), &|| false, &|_, _| {});
                if !matches!(again.first(), Some(Sent::Answer(r)) if r.status == 401) {
                    self.refused_in_a_row.store(0, Ordering::Relaxed);
                    return;
                }
            }
            *lock(&self.lost_credential) = Some(format!(
                "the credentials stopped working: {n} requests in a row were answered 401, the last {} {} ({}: {})",
                case.request.method, case.request.path, case.operation, case.label
            ));
        }
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

    /// Whether an operation is among those `--operations` selects.
    pub fn selected(&self, operation: &str) -> bool {
        self.settings.operations.is_empty() || self.settings.operations.iter().any(|o| o == operation)
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.sender.block_on(f)
    }

    pub fn report(&self) -> MutexGuard<'_, Report> {
        lock(&self.report)
    }

    pub fn into_report(self) -> Report {
        let mut report = self.report.into_inner().unwrap_or_else(|p| p.into_inner());
        report.requests = self.sender.requests();
        report.throttled = self.sender.throttled();
        report.strict = self.settings.strict;
        report.elapsed = self.started.elapsed();
        report
    }

    /// The spec an operation's path template belongs to, and the operation; templates
    /// that differ only in their parameters' names are one path (`/b/{bucket_id}` and
    /// `/b/{id}`), as OpenAPI reads them.
    pub fn find(&self, method: &str, template: &str) -> Option<(&Spec, Operation<'_>)> {
        let exact = self.specs.iter().find_map(|spec| {
            spec.operations()
                .into_iter()
                .find(|o| o.method == method && o.path == template)
                .map(|o| (spec, o))
        });
        exact.or_else(|| {
            let shape = specwright_oas::template::shape(template);
            self.specs.iter().find_map(|spec| {
                spec.operations()
                    .into_iter()
                    .find(|o| o.method == method && specwright_oas::template::shape(o.path) == shape)
                    .map(|o| (spec, o))
            })
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
            warning: finding.warning,
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

    /// Sends one case and judges it; the answer only if every check passed on it.
    pub fn exchange_passing(
        &self,
        spec: &Spec,
        op: &Operation,
        case: &Case,
        intent: Intent,
    ) -> Option<Response> {
        let response = self.send(case)?;
        let findings = judge(spec, op, &case.request, &response, intent);
        self.record(&findings, case).is_none().then_some(response)
    }

    /// Sends one case; `None` when nothing came back (recorded under `no-server-error`).
    pub fn send(&self, case: &Case) -> Option<Response> {
        self.send_all(std::slice::from_ref(case)).pop().flatten()
    }

    /// Sends cases concurrently (at most `--workers` at a time, within `--rate`), and
    /// returns their responses in the same order; `None` for a case not sent (the run is
    /// stopping, or its operation stopped answering) or not answered (recorded under
    /// `no-server-error`).
    pub fn send_all(&self, cases: &[Case]) -> Vec<Option<Response>> {
        let sent = self.sender.send_all(cases, &|| self.stopped(), &|case, r| {
            self.watch_credential(case, r)
        });
        cases
            .iter()
            .zip(sent)
            .map(|(case, sent)| match sent {
                Sent::Answer(response) => Some(response),
                Sent::NoAnswer(error) => {
                    self.no_answer(case, &error);
                    None
                }
                Sent::Skipped => None,
            })
            .collect()
    }

    /// A transport failure: a failure of `no-server-error` (once per operation), and the
    /// operation is not sent to again if it timed out, so a hanging server costs one
    /// timeout per operation, not one per case.
    fn no_answer(&self, case: &Case, error: &str) {
        if self.sender.gone().is_some() {
            return; // the verdict is the server's, not this operation's
        }
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
            self.sender.silence(&case.operation);
            self.report().skip(
                &case.operation,
                &format!(
                    "stopped answering (no answer within {:?}); not sent to again",
                    self.target.timeout
                ),
            );
        }
    }
}
