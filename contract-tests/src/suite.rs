//! Running the property-based part: per operation, positive and negative cases.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use evs_ims_oracle::{Operation, Spec};
use evs_ims_runtime::Auth;
use proptest::prelude::*;
use proptest::test_runner::{Config as PropConfig, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::Value;

use crate::checks::{Check, Finding, Intent, judge};
use crate::exchange::{Request, Response, encode};
use crate::generate::{broken, valid};
use crate::report::{Failure, Report};

/// A generated case: optional query parameters (name, value), and a body.
type Case = (Vec<Option<(String, Value)>>, Value);

/// The implementation under test.
#[derive(Clone, Debug)]
pub struct Target {
    pub base_url: String,
    pub project_id: String,
    pub auth: Auth,
    pub timeout: Duration,
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
    /// How long scenarios wait for a resource to settle (become available, disappear).
    pub settle: Duration,
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
        }
    }
}

/// A conformance run against one target.
pub struct Suite {
    pub(crate) evs: Spec,
    pub(crate) ims: Spec,
    pub(crate) target: Target,
    pub(crate) settings: Settings,
    pub(crate) http: reqwest::Client,
    pub(crate) rt: tokio::runtime::Runtime,
    last_request: RefCell<Option<Instant>>,
    pub(crate) report: RefCell<Report>,
    /// Resources this run created and must delete: (kind, id).
    pub(crate) created: RefCell<Vec<(&'static str, String)>>,
    pub(crate) interrupted: Arc<AtomicBool>,
    /// Ids the operations' path parameters take: `volume_id` → a volume of this run.
    pub(crate) pool: RefCell<BTreeMap<String, String>>,
}

const EVS_SPEC: &str = include_str!("../../spec/evs.yaml");
const IMS_SPEC: &str = include_str!("../../spec/ims.yaml");

impl Suite {
    pub fn new(target: Target, settings: Settings) -> Result<Suite, String> {
        let evs = Spec::parse(EVS_SPEC, "spec/evs.yaml").map_err(|e| e.to_string())?;
        let ims = Spec::parse(IMS_SPEC, "spec/ims.yaml").map_err(|e| e.to_string())?;
        let http = reqwest::Client::builder()
            .timeout(target.timeout)
            .build()
            .map_err(|e| e.to_string())?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let report = Report::new(settings.seed, &target.base_url);
        Ok(Suite {
            evs,
            ims,
            target,
            settings,
            http,
            rt,
            last_request: RefCell::new(None),
            report: RefCell::new(report),
            created: RefCell::new(Vec::new()),
            interrupted: Arc::new(AtomicBool::new(false)),
            pool: RefCell::new(BTreeMap::new()),
        })
    }

    /// Set this to stop the run early (Ctrl-C); created resources are still deleted.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.interrupted.clone()
    }

    pub(crate) fn stopped(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
    }

    /// Runs everything and returns the report.
    pub fn run(self, progress: &dyn Fn(&str, usize, usize)) -> Report {
        let started = Instant::now();
        let mut ops: Vec<(bool, String)> = Vec::new();
        for (is_ims, spec) in [(false, &self.evs), (true, &self.ims)] {
            for op in spec.operations() {
                let name = op.display_name();
                if self.settings.operations.is_empty() || self.settings.operations.contains(&name) {
                    ops.push((is_ims, name));
                }
            }
        }
        if self.settings.allow_mutations {
            crate::scenarios::setup_pool(&self);
        } else {
            crate::scenarios::discover_pool(&self);
        }
        let total = ops.len() + 1;
        for (i, (is_ims, name)) in ops.iter().enumerate() {
            if self.stopped() {
                break;
            }
            progress(name, i, total);
            let spec = if *is_ims { &self.ims } else { &self.evs };
            if let Some(op) = spec.operation(name) {
                self.fuzz_operation(spec, &op);
            }
        }
        if self.settings.allow_mutations && !self.stopped() {
            progress("stateful scenarios", ops.len(), total);
            crate::scenarios::run_all(&self);
        }
        crate::scenarios::cleanup(&self);
        progress("done", total, total);
        let mut report = self.report.into_inner();
        report.elapsed = started.elapsed();
        report
    }

    fn mutating(op: &Operation) -> bool {
        !matches!(op.method, "get" | "head" | "options")
    }

    /// Fills path parameters from the pool; `None` if one has no value to use.
    pub(crate) fn path_for(
        &self,
        op: &Operation,
        spec: &Spec,
        overrides: &BTreeMap<String, String>,
    ) -> Option<String> {
        let params = op.parameters(spec).ok()?;
        let mut path = op.path.to_string();
        for p in params.iter().filter(|p| p.location == "path") {
            let value = if p.name == "project_id" {
                self.target.project_id.clone()
            } else if let Some(v) = overrides.get(p.name) {
                v.clone()
            } else {
                self.pool.borrow().get(p.name)?.clone()
            };
            path = path.replace(&format!("{{{}}}", p.name), &encode(&value));
        }
        Some(path)
    }

    fn fuzz_operation(&self, spec: &Spec, op: &Operation) {
        let name = op.display_name();
        if Self::mutating(op) && !self.settings.allow_mutations {
            self.report
                .borrow_mut()
                .skip(&name, "changes state; run with --allow-mutations");
            return;
        }
        // Deleting the pool's resources would leave nothing to test the other operations
        // on: deletes are exercised on ids that do not exist here, and for real in the
        // scenarios.
        let deleting = op.method == "delete";
        let mut overrides = BTreeMap::new();
        if deleting {
            for p in op
                .parameters(spec)
                .unwrap_or_default()
                .iter()
                .filter(|p| p.location == "path" && p.name != "project_id")
            {
                overrides.insert(
                    p.name.to_string(),
                    "00000000-0000-4000-8000-00000000dead".to_string(),
                );
            }
        }
        let Some(path) = self.path_for(op, spec, &overrides) else {
            self.report.borrow_mut().skip(
                &name,
                "no resource to fill its path parameters (nothing to list, and mutations are off)",
            );
            return;
        };
        let body = op.request_body(spec).ok().flatten();
        let body_schema = body
            .as_ref()
            .and_then(|(_, media)| media.iter().find(|m| m.content_type.contains("json")))
            .and_then(|m| m.schema_pointer.clone());
        let query_params: Vec<(String, String)> = op
            .parameters(spec)
            .unwrap_or_default()
            .iter()
            .filter(|p| p.location == "query")
            .filter_map(|p| Some((p.name.to_string(), p.schema_pointer.clone()?)))
            .collect();

        // Positive cases: valid query parameters and bodies.
        let doc = spec.raw();
        let query_strategy = query_params
            .iter()
            .map(|(n, s)| {
                let schema = doc.pointer(s).cloned().unwrap_or(Value::Null);
                let n = n.clone();
                proptest::option::of(valid(doc, &schema))
                    .prop_map(move |v| v.map(|v| (n.clone(), v)))
                    .boxed()
            })
            .collect::<Vec<_>>();
        let body_strategy = match &body_schema {
            Some(s) => valid(doc, doc.pointer(s).unwrap_or(&Value::Null)),
            None => Just(Value::Null).boxed(),
        };
        let cases = if body_schema.is_none() && query_params.is_empty() {
            1
        } else {
            self.settings.max_cases
        };
        self.run_cases(
            spec,
            op,
            &path,
            "positive",
            cases,
            (query_strategy, body_strategy).boxed(),
            &body_schema,
            Intent::Positive { must_succeed: false },
        );

        // Negative cases: one constraint of the body broken at a time. The breakage is
        // chosen by an index, so shrinking simplifies the value and the choice separately
        // and the minimal case still breaks exactly one constraint.
        if let Some(s) = &body_schema {
            let schema = doc.pointer(s).cloned().unwrap_or(Value::Null);
            let none: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
            let negative = (none, valid(doc, &schema)).boxed();
            self.run_cases(
                spec,
                op,
                &path,
                "negative",
                self.settings.max_cases,
                negative,
                &body_schema,
                Intent::Negative,
            );
            self.malformed(spec, op, &path);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn run_cases(
        &self,
        spec: &Spec,
        op: &Operation,
        path: &str,
        kind: &str,
        cases: u32,
        strategy: BoxedStrategy<Case>,
        body_schema: &Option<String>,
        intent: Intent,
    ) {
        let doc = spec.raw();
        let schema_value = body_schema
            .as_ref()
            .and_then(|p| doc.pointer(p))
            .cloned()
            .unwrap_or(Value::Null);
        let strategy = (strategy, any::<proptest::sample::Index>());
        let name = op.display_name();
        let seed = self.case_seed(&name, kind);
        let config = PropConfig {
            cases,
            failure_persistence: None,
            max_shrink_iters: 64,
            ..PropConfig::default()
        };
        let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        let last_failure: RefCell<Option<(Finding, Request, String)>> = RefCell::new(None);
        let result = runner.run(&strategy, |((query, body), pick)| {
            if self.stopped() {
                return Ok(());
            }
            let mut case = kind.to_string();
            let body = if intent == Intent::Negative {
                let options = broken(doc, &schema_value, &body);
                if options.is_empty() {
                    return Err(TestCaseError::reject("no constraint to break"));
                }
                let (breakage, value) = options[pick.index(options.len())].clone();
                // Only values the oracle itself rejects count as negative.
                if let Some(schema) = body_schema {
                    if spec
                        .validate(schema, &value)
                        .map(|v| v.is_empty())
                        .unwrap_or(true)
                    {
                        return Err(TestCaseError::reject("not actually invalid"));
                    }
                }
                case = format!(
                    "negative: {} at {}",
                    breakage.kind,
                    if breakage.at.is_empty() { "/" } else { &breakage.at }
                );
                value
            } else {
                body
            };
            let mut request = Request::new(op.method, path.to_string());
            request.query = query
                .into_iter()
                .flatten()
                .map(|(k, v)| {
                    (
                        k,
                        match v {
                            Value::String(s) => s,
                            other => other.to_string(),
                        },
                    )
                })
                .collect();
            if body_schema.is_some() {
                request = request.json(&body);
            }
            let Some(response) = self.send(&request) else {
                return Ok(());
            };
            self.note_created(&response);
            let findings = judge(spec, op, &response, intent);
            let failed = self.tally(&name, &findings);
            match failed {
                Some(f) => {
                    *last_failure.borrow_mut() = Some((f.clone(), request, case));
                    Err(TestCaseError::fail(format!(
                        "{}: expected {}, got {}",
                        f.check.name(),
                        f.expected,
                        f.actual
                    )))
                }
                None => Ok(()),
            }
        });
        if result.is_err() {
            // After shrinking, the last failing case seen is the minimal one.
            if let Some((finding, request, case)) = last_failure.into_inner() {
                self.fail(&name, &case, finding, request);
            }
        }
    }

    fn malformed(&self, spec: &Spec, op: &Operation, path: &str) {
        let mut request = Request::new(op.method, path.to_string());
        request.body = Some("{\"truncated\": ".into());
        request
            .headers
            .push(("Content-Type".into(), "application/json".into()));
        if let Some(response) = self.send(&request) {
            let findings = judge(spec, op, &response, Intent::Negative);
            if let Some(f) = self.tally(&op.display_name(), &findings) {
                self.fail(&op.display_name(), "malformed JSON", f, request);
            }
        }
    }

    fn case_seed(&self, operation: &str, kind: &str) -> [u8; 32] {
        // Stable per (seed, operation, kind): the same seed replays the same requests.
        let mut h: u64 = self.settings.seed ^ 0x9E37_79B9_7F4A_7C15;
        for b in operation.bytes().chain(kind.bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
        let mut seed = [0u8; 32];
        for (i, chunk) in seed.chunks_mut(8).enumerate() {
            chunk.copy_from_slice(&(h.rotate_left(i as u32 * 13) ^ i as u64).to_le_bytes());
        }
        seed
    }

    /// Records findings; returns the first enabled failure, if any.
    pub(crate) fn tally(&self, operation: &str, findings: &[Finding]) -> Option<Finding> {
        let mut report = self.report.borrow_mut();
        let mut first = None;
        for f in findings
            .iter()
            .filter(|f| self.settings.checks.contains(&f.check))
        {
            report.record(operation, f);
            if !f.passed && first.is_none() {
                first = Some(f.clone());
            }
        }
        first
    }

    pub(crate) fn fail(&self, operation: &str, case: &str, finding: Finding, request: Request) {
        let curl = request.curl(&self.target.base_url, !matches!(self.target.auth, Auth::None));
        self.report.borrow_mut().failures.push(Failure {
            operation: operation.to_string(),
            check: finding.check,
            case: case.to_string(),
            expected: finding.expected,
            actual: finding.actual,
            request,
            curl,
            seed: self.settings.seed,
        });
    }

    /// Sends a request (rate-limited, authenticated); `None` on a transport failure, which
    /// is recorded against `no-server-error`.
    pub(crate) fn send(&self, request: &Request) -> Option<Response> {
        if let Some(rate) = self.settings.rate.filter(|r| *r > 0.0) {
            let gap = Duration::from_secs_f64(1.0 / rate);
            if let Some(last) = *self.last_request.borrow() {
                let wait = gap.saturating_sub(last.elapsed());
                if !wait.is_zero() {
                    std::thread::sleep(wait);
                }
            }
        }
        *self.last_request.borrow_mut() = Some(Instant::now());
        self.report.borrow_mut().requests += 1;
        let method: reqwest::Method = request.method.parse().ok()?;
        let mut builder = self.http.request(method, request.url(&self.target.base_url));
        for (k, v) in &request.headers {
            builder = builder.header(k, v);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let started = Instant::now();
        let outcome = self.rt.block_on(async {
            let mut built = builder.build().map_err(|e| e.to_string())?;
            self.target.auth.authorize(&mut built)?;
            let response = self.http.execute(built).await.map_err(|e| e.to_string())?;
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let text = response.text().await.map_err(|e| e.to_string())?;
            Ok::<_, String>((status, content_type, text))
        });
        match outcome {
            Ok((status, content_type, body_text)) => {
                let body = serde_json::from_str(&body_text).ok();
                Some(Response {
                    status,
                    content_type,
                    body_text,
                    body,
                    elapsed: started.elapsed(),
                })
            }
            Err(e) => {
                let name = format!("{} {}", request.method, request.path);
                let f = Finding::fail(
                    Check::NoServerError,
                    "a response",
                    format!("transport error: {e}"),
                );
                self.tally(&name, std::slice::from_ref(&f));
                self.fail(&name, "transport", f, request.clone());
                None
            }
        }
    }

    /// Remembers resources a create answered with, so cleanup can delete them.
    pub(crate) fn note_created(&self, response: &Response) {
        if !(200..300).contains(&response.status) {
            return;
        }
        let Some(body) = &response.body else { return };
        for kind in ["volume", "snapshot"] {
            if let Some(id) = body.get(kind).and_then(|v| v.get("id")).and_then(Value::as_str) {
                let mut created = self.created.borrow_mut();
                if !created.iter().any(|(_, c)| c == id) {
                    created.push((kind, id.to_string()));
                }
            }
        }
    }
}
