//! The property-based part, for any operation of any spec: the plain call, the spec's own
//! examples, generated valid inputs, and inputs breaking exactly one constraint in the
//! body, the path, the query or a header (a required parameter left out included).
//!
//! Cases of one operation are generated first from the run's seed, sent concurrently,
//! and judged in the order they were generated, so the same seed sends the same requests
//! and reports the same findings. Each failing check is then shrunk, one request at a
//! time, to a minimal case.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as PropConfig, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use specwright_oracle::{Operation, Spec};

use crate::checks::{Check, Finding, Intent};
use crate::context::Context;
use crate::exchange::{Case, Request, Response, encode};
use crate::generate::{TOO_MANY_BYTES, broken, minimal, resolve, valid};
use crate::judge::judge;
use crate::params::{Location, Param, header_safe, params_of, query_pairs};
use crate::refusals::Seen;
use crate::resources::Source;

/// The values of one request: one per parameter (`None`: left out), and the body.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub values: Vec<Option<Value>>,
    pub body: Option<Value>,
}

/// A JSON request body.
struct Body {
    schema_pointer: String,
    schema: Value,
    required: bool,
    examples: Vec<(String, Value)>,
}

/// How to build requests for one operation.
pub struct Plan<'a> {
    pub spec: &'a Spec,
    pub op: Operation<'a>,
    pub name: String,
    pub params: Vec<Param>,
    /// Parameters whose value the run knows (`--param`, the project, a created resource).
    pub fixed: BTreeMap<usize, String>,
    body: Option<Body>,
    /// Every path parameter has a value the run knows.
    pub known_path: bool,
    /// ... and each names a resource known to exist: a plain read must succeed.
    pub existing_path: bool,
    /// ... and each is the run's own: given by the user, the credential's project, or the
    /// id of a resource the run created. Only then may the run change what it names.
    pub owned_path: bool,
    /// How many path parameters name something other than the credential's project.
    pub resource_params: usize,
    /// Some path parameter is the user's (`--param`): theirs, not the run's to probe.
    pub given_path: bool,
    /// The run controls what the path reads: a resource it made, a collection it makes
    /// into, or a view of one (`/volumes/detail` beside `POST /volumes`).
    controlled: bool,
}

/// An id no server has: deletes in the property-based part aim at it, so that the
/// resources the other operations need stay (deletes are exercised for real on resources
/// the run makes for them).
pub const ABSENT_ID: &str = "00000000-0000-4000-8000-00000000dead";

impl<'a> Plan<'a> {
    pub fn new(ctx: &Context, spec: &'a Spec, op: Operation<'a>) -> Plan<'a> {
        let params = params_of(spec, &op);
        let deleting = op.method == "delete";
        let mut fixed = BTreeMap::new();
        let mut known_path = true;
        let mut existing_path = true;
        let mut owned_path = true;
        let mut resource_params = 0;
        let mut given_path = false;
        // The run's own: a resource of this very collection with this id (one volume under
        // `/v2` and `/v3` alike); an id alone may name another kind's (pet 1 is not user 1).
        let collection = |template: &str| {
            let mut segments = template.rsplit('/');
            segments.next();
            segments.next().unwrap_or_default().to_string()
        };
        let created: BTreeSet<(String, String)> = crate::context::lock(&ctx.ledger.created)
            .iter()
            .map(|c| (collection(&c.template), c.id.clone()))
            .collect();
        let made = |p: &Param, value: &str| {
            crate::resources::prefix(op.path, &p.name)
                .is_some_and(|pre| created.contains(&(collection(pre), value.to_string())))
        };
        // Whatever lies below a resource the run created is the run's too (a metadata key
        // of its own volume): where in the path the first created id stands.
        let owned_from = params
            .iter()
            .filter(|p| p.location == Location::Path)
            .filter_map(|p| {
                let (value, _) = crate::resources::known_value(ctx, op.path, p)?;
                let at = op.path.find(&format!("{{{}}}", p.name))?;
                made(p, &value).then_some(at)
            })
            .min();
        for (i, p) in params.iter().enumerate() {
            let known = crate::resources::known_value(ctx, op.path, p);
            if p.location == Location::Path && !matches!(known, Some((_, Source::Tenant))) {
                resource_params += 1;
            }
            let below_own = owned_from.is_some_and(|from| {
                op.path
                    .find(&format!("{{{}}}", p.name))
                    .is_some_and(|at| at > from)
            });
            match (p.location, known) {
                (Location::Path, Some((value, source))) => {
                    existing_path &= source != Source::SameName;
                    given_path |= source == Source::User;
                    owned_path &=
                        matches!(source, Source::User | Source::Tenant) || made(p, &value) || below_own;
                    let value = if deleting && source != Source::Tenant {
                        absent(&p.schema)
                    } else {
                        value
                    };
                    fixed.insert(i, value);
                }
                // A delete aims at an id nothing has, known or not: never a generated one,
                // which might name something real (`DELETE /__user_data__/{principal}`).
                (Location::Path, None) if deleting => {
                    fixed.insert(i, absent(&p.schema));
                    existing_path = false;
                }
                (Location::Path, None) => {
                    known_path = false;
                    existing_path = false;
                    owned_path = false;
                }
                (_, Some((value, _))) => {
                    fixed.insert(i, value);
                }
                _ => {}
            }
        }
        let body = op
            .request_body(spec)
            .ok()
            .flatten()
            .and_then(|(required, media)| {
                let json = media.iter().find(|m| {
                    let ct = m.content_type.to_ascii_lowercase();
                    ct == "application/json" || ct.ends_with("+json") || ct == "*/*"
                })?;
                let schema_pointer = json.schema_pointer.clone()?;
                let schema = spec
                    .raw()
                    .pointer(&schema_pointer)
                    .cloned()
                    .unwrap_or(Value::Null);
                let mut examples: Vec<(String, Value)> = Vec::new();
                if let Some(v) = json.value.get("example") {
                    examples.push(("example".into(), v.clone()));
                }
                if let Some(map) = json.value.get("examples").and_then(Value::as_object) {
                    for (name, e) in map {
                        if let Some(v) = resolve(spec.raw(), e).get("value") {
                            examples.push((name.clone(), v.clone()));
                        }
                    }
                }
                Some(Body {
                    schema_pointer,
                    schema,
                    required,
                    examples,
                })
            });
        let creates_into = |path: &str| {
            spec.operations()
                .iter()
                .any(|o| o.method == "post" && o.path == path)
        };
        let view_of = || {
            op.path
                .rsplit_once('/')
                .filter(|(_, last)| !last.starts_with('{'))
                .is_some_and(|(parent, _)| creates_into(parent))
        };
        let controlled = owned_path && (resource_params > 0 || creates_into(op.path) || view_of());
        Plan {
            spec,
            controlled,
            name: op.display_name(),
            op,
            params,
            fixed,
            body,
            known_path,
            existing_path,
            owned_path,
            resource_params,
            given_path,
        }
    }

    /// Why the run must not send this operation, if it must not: it changes only what it
    /// created. A write is sent only where every path parameter is the run's own; a `PUT`
    /// or `PATCH` only to a resource, not to a collection or the caller's own scope; a
    /// `DELETE` only where an id can be aimed at nothing ([`ABSENT_ID`]).
    pub fn unsafe_write(&self) -> Option<&'static str> {
        match self.op.method {
            "get" | "head" | "options" | "trace" => None,
            "delete" if self.resource_params == 0 => {
                Some("a DELETE of a whole collection or of the caller's own scope; never sent")
            }
            "delete" => None,
            _ if !self.owned_path => Some(
                "changes a resource this run did not create (pass --param to name one of yours); never sent",
            ),
            "put" | "patch" if self.resource_params == 0 => {
                Some("replaces a whole collection or the caller's own scope; never sent")
            }
            _ => None,
        }
    }

    /// Whether a valid request with these inputs must succeed: a read of resources that
    /// exist, where no generated value names state the server may not have (a `marker`,
    /// an id). A write may be refused for the state it finds, so it is never held to this.
    pub fn must_accept(&self, inputs: &Inputs) -> bool {
        matches!(self.op.method, "get" | "head" | "options")
            && self.existing_path
            && self.controlled
            && self
                .params
                .iter()
                .zip(&inputs.values)
                .enumerate()
                .all(|(i, (p, v))| v.is_none() || self.fixed.contains_key(&i) || !p.names_state())
    }

    pub fn has_body(&self) -> bool {
        self.body.is_some()
    }

    /// The request the inputs describe.
    pub fn request(&self, inputs: &Inputs) -> Request {
        let mut segments: Vec<(&str, String)> = Vec::new();
        let mut query = Vec::new();
        let mut headers = Vec::new();
        for (p, value) in self.params.iter().zip(&inputs.values) {
            let Some(value) = value else { continue };
            match p.location {
                Location::Path => segments.push((p.name.as_str(), encode(&p.wire(value)))),
                Location::Query => query.extend(query_pairs(p, value)),
                Location::Header => headers.push((p.name.clone(), p.wire(value))),
            }
        }
        let path = specwright_oas::template::fill(self.op.path, |name| {
            segments.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
        });
        let mut request = Request::new(self.op.method, path);
        request.query = query;
        request.headers = headers;
        if let Some(body) = &inputs.body {
            request = request.json(body);
        }
        request
    }

    pub fn case(&self, label: impl Into<String>, inputs: &Inputs) -> Case {
        Case::new(self.name.clone(), label, self.request(inputs))
    }

    fn known(&self, i: usize) -> Option<Value> {
        self.fixed.get(&i).map(|v| Value::String(v.clone()))
    }

    /// The plain call: required parameters only (known values, else their example, else
    /// the plainest valid value) and the plainest valid body.
    pub fn plain(&self) -> Option<Inputs> {
        let doc = self.spec.raw();
        let mut values = Vec::new();
        for (i, p) in self.params.iter().enumerate() {
            values.push(if let Some(v) = self.known(i) {
                Some(v)
            } else if p.required {
                Some(p.examples.first().cloned().or_else(|| minimal(doc, &p.schema))?)
            } else {
                None
            });
        }
        let body = match &self.body {
            Some(b) => Some(minimal(doc, &b.schema)?),
            None => None,
        };
        Some(Inputs { values, body })
    }

    /// The spec's own examples: each body example, and each parameter example, on top
    /// of the plain call.
    pub fn examples(&self) -> Vec<(String, Inputs)> {
        let Some(plain) = self.plain() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some(b) = &self.body {
            for (name, v) in &b.examples {
                out.push((
                    format!("example {name}"),
                    Inputs {
                        body: Some(v.clone()),
                        ..plain.clone()
                    },
                ));
            }
        }
        for (i, p) in self.params.iter().enumerate() {
            if self.fixed.contains_key(&i) || p.location == Location::Path {
                continue;
            }
            for v in &p.examples {
                let mut inputs = plain.clone();
                inputs.values[i] = Some(v.clone());
                out.push((format!("example of {} {}", p.location.name(), p.name), inputs));
            }
        }
        out
    }

    /// Valid inputs: known values fixed, optional parameters present or not.
    pub fn strategy(&self) -> BoxedStrategy<Inputs> {
        let doc = self.spec.raw();
        let values: Vec<BoxedStrategy<Option<Value>>> = self
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if let Some(v) = self.known(i) {
                    return Just(Some(v)).boxed();
                }
                let mut s = valid(doc, &p.schema);
                if p.location == Location::Header {
                    let p = p.clone();
                    s = s
                        .prop_filter("headers are visible ASCII", move |v| header_safe(&p.wire(v)))
                        .boxed();
                }
                if p.location == Location::Path {
                    let p = p.clone();
                    s = s
                        .prop_filter("a path segment", move |v| is_segment(&p.wire(v)))
                        .boxed();
                }
                if p.required {
                    s.prop_map(Some).boxed()
                } else {
                    proptest::option::of(s).boxed()
                }
            })
            .collect();
        let body = match &self.body {
            Some(b) => valid(doc, &b.schema).prop_map(Some).boxed(),
            None => Just(None).boxed(),
        };
        (values, body)
            .prop_map(|(values, body)| Inputs { values, body })
            .boxed()
    }

    /// Every way to break exactly one constraint of `inputs`, each judged by the oracle
    /// as the server will read it: a breakage the schema still accepts is not offered.
    pub fn breakages(&self, inputs: &Inputs) -> Vec<(String, Inputs, Check)> {
        let doc = self.spec.raw();
        let mut out = Vec::new();
        if let (Some(b), Some(body)) = (&self.body, &inputs.body) {
            for (breakage, value) in broken(doc, &b.schema, body) {
                let invalid = breakage.kind == TOO_MANY_BYTES || self.rejects(&b.schema_pointer, &value);
                if invalid {
                    let at = if breakage.at.is_empty() { "/" } else { &breakage.at };
                    let mut new = inputs.clone();
                    new.body = Some(value);
                    out.push((
                        format!("negative: body {} at {at}", breakage.kind),
                        new,
                        Check::NegativeRejected,
                    ));
                }
            }
        }
        if self.body.as_ref().is_some_and(|b| b.required) && inputs.body.is_some() {
            let mut new = inputs.clone();
            new.body = None;
            out.push((
                "negative: required body left out".into(),
                new,
                Check::NegativeRejected,
            ));
        }
        for (i, p) in self.params.iter().enumerate() {
            if p.location != Location::Path && p.required {
                let mut new = inputs.clone();
                new.values[i] = None;
                out.push((
                    format!("missing required {} parameter {}", p.location.name(), p.name),
                    new,
                    Check::MissingParameter,
                ));
            }
            let (Some(pointer), Some(value)) = (
                &p.schema_pointer,
                inputs.values[i].clone().or_else(|| minimal(doc, &p.schema)),
            ) else {
                continue;
            };
            // Known values are text; break them as the server reads them (`"7"` as 7).
            let value = p.read(doc, &value);
            for (breakage, bad) in broken(doc, &p.schema, &value) {
                let wire = p.wire(&bad);
                if p.location == Location::Path && (!is_segment(&wire) || wire.contains('/')) {
                    continue; // another route, not a bad value
                }
                // An empty header is, to most servers, no header: not one bad value.
                if p.location == Location::Header && (!header_safe(&wire) || wire.trim().is_empty()) {
                    continue;
                }
                if !p.json && breakage.at.is_empty() && (bad.is_object() || bad.is_array() || bad.is_null()) {
                    continue; // serialized as keys or repeats of their own, not as one bad value
                }
                let invalid = breakage.kind == TOO_MANY_BYTES || self.rejects(pointer, &p.read(doc, &bad));
                if invalid {
                    let mut new = inputs.clone();
                    new.values[i] = Some(bad);
                    out.push((
                        format!(
                            "negative: {} parameter {} {}",
                            p.location.name(),
                            p.name,
                            breakage.kind
                        ),
                        new,
                        Check::NegativeRejected,
                    ));
                }
            }
        }
        out
    }

    /// Whether generated inputs are valid as the oracle reads the spec: the body and every
    /// value the run did not fix. A generator's miss (a pattern it could not follow) is
    /// then never sent as valid input.
    pub fn valid(&self, inputs: &Inputs) -> Result<(), String> {
        let doc = self.spec.raw();
        let first = |pointer: &str, value: &Value, what: &str| match self.spec.validate(pointer, value) {
            Ok(v) if !v.is_empty() => Err(format!("{what}: {}", v[0])),
            _ => Ok(()),
        };
        if let (Some(b), Some(body)) = (&self.body, &inputs.body) {
            first(&b.schema_pointer, body, "body")?;
        }
        for (i, (p, v)) in self.params.iter().zip(&inputs.values).enumerate() {
            if let (Some(v), Some(pointer)) = (v, &p.schema_pointer) {
                if !self.fixed.contains_key(&i) {
                    first(
                        pointer,
                        &p.read(doc, v),
                        &format!("{} parameter {}", p.location.name(), p.name),
                    )?;
                }
            }
        }
        Ok(())
    }

    fn rejects(&self, schema_pointer: &str, value: &Value) -> bool {
        self.spec
            .validate(schema_pointer, value)
            .map(|v| !v.is_empty())
            .unwrap_or(false)
    }
}

/// Whether a value stays one path segment on the wire: URL parsers remove `.` and `..`
/// (RFC 3986 §5.2.4), so those reach another route, not the operation.
fn is_segment(wire: &str) -> bool {
    !matches!(wire, "" | "." | "..")
}

/// A value of the schema's type that no resource has.
fn absent(schema: &Value) -> String {
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") | Some("number") => schema
            .get("maximum")
            .and_then(Value::as_i64)
            .unwrap_or(987_654_321)
            .to_string(),
        _ => ABSENT_ID.to_string(),
    }
}

/// Runs the property-based part of one operation.
pub fn operation(ctx: &Context, spec: &Spec, op: Operation<'_>) {
    let plan = Plan::new(ctx, spec, op);
    let safe = matches!(plan.op.method, "get" | "head" | "options");
    if !safe && !ctx.settings.allow_mutations {
        ctx.report()
            .skip(&plan.name, "changes state; run with --allow-mutations");
        return;
    }
    if let Some(why) = plan.unsafe_write() {
        ctx.report().skip(&plan.name, why);
        return;
    }
    // The plain call and the examples, judged like any other case.
    let mut fixed_cases = Vec::new();
    if let Some(inputs) = plan.plain() {
        let must_succeed = plan.must_accept(&inputs);
        let case = plan.case("plain call", &inputs);
        fixed_cases.push((inputs, case, Intent::Positive { must_succeed }));
    }
    for (label, inputs) in plan.examples() {
        let case = plan.case(label, &inputs);
        fixed_cases.push((inputs, case, Intent::Positive { must_succeed: false }));
    }
    let mut seen = Vec::new();
    let mut settle = |inputs: &Inputs, case: &Case, intent: Intent, response: Option<Response>| {
        if let Some(response) = response {
            let findings = judge(spec, &plan.op, &case.request, &response, intent);
            ctx.record(&findings, case);
            let created = crate::resources::observe(ctx, spec, &plan.op, &case.request, &response);
            crate::readback::check(ctx, spec, &plan.op, case, &response, created);
            seen.push(Seen {
                inputs: inputs.clone(),
                case: case.clone(),
                status: response.status,
            });
        }
    };
    if replaces(&plan) {
        // Each replace is read back before the next one overwrites it.
        for (inputs, case, intent) in &fixed_cases {
            settle(inputs, case, *intent, ctx.send(case));
        }
    } else {
        let cases: Vec<Case> = fixed_cases.iter().map(|(_, c, _)| c.clone()).collect();
        for ((inputs, case, intent), response) in fixed_cases.iter().zip(ctx.send_all(&cases)) {
            settle(inputs, case, *intent, response);
        }
    }

    let varied = plan.has_body()
        || plan
            .params
            .iter()
            .enumerate()
            .any(|(i, _)| !plan.fixed.contains_key(&i));
    if varied {
        seen.extend(property(ctx, &plan, Kind::Positive));
    }
    crate::refusals::check(ctx, &plan, &seen);
    // Known values are broken too: an id from the run, or one a user gave.
    if varied || !plan.params.is_empty() {
        property(ctx, &plan, Kind::Negative);
    }
    if plan.has_body() {
        malformed(ctx, &plan);
    }
}

/// A replace is read back before the next one is sent: concurrent replaces of one
/// resource would race their read-backs.
fn replaces(plan: &Plan) -> bool {
    matches!(plan.op.method, "put" | "patch")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Positive,
    Negative,
}

type Tree = Box<dyn ValueTree<Value = (Inputs, proptest::sample::Index)>>;

/// Generates, sends and judges the cases of one kind; returns the valid requests sent, with
/// the status each got.
fn property(ctx: &Context, plan: &Plan, kind: Kind) -> Vec<Seen> {
    let label = if kind == Kind::Positive {
        "positive"
    } else {
        "negative"
    };
    let strategy = (plan.strategy(), any::<proptest::sample::Index>());
    let config = PropConfig {
        cases: ctx.settings.max_cases,
        failure_persistence: None,
        ..PropConfig::default()
    };
    let seed = case_seed(ctx.settings.seed, &plan.name, label);
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let mut trees: Vec<Tree> = Vec::new();
    for _ in 0..ctx.settings.max_cases {
        if ctx.stopped() {
            break;
        }
        match strategy.new_tree(&mut runner) {
            Ok(tree) => trees.push(Box::new(tree)),
            Err(_) => break,
        }
    }
    // Each way to break the input is tried once before any is tried twice.
    let mut tried = BTreeSet::new();
    let built: Vec<Option<(Case, Intent)>> = trees
        .iter()
        .map(|t| to_case(plan, kind, &t.current(), Choice::Untried(&mut tried)))
        .collect();
    let cases: Vec<Case> = built.iter().flatten().map(|(c, _)| c.clone()).collect();
    let invalid: Vec<String> = trees
        .iter()
        .filter(|_| kind == Kind::Positive)
        .filter_map(|t| plan.valid(&t.current().0).err())
        .collect();
    if let Some(example) = invalid.first() {
        ctx.report().skip(
            &plan.name,
            &format!(
                "{} generated input(s) broke the spec's own schema and were not sent as valid (such as {})",
                invalid.len(),
                crate::judge::excerpt(example)
            ),
        );
    }
    let replacing = kind == Kind::Positive && replaces(plan);
    let mut responses: Box<dyn Iterator<Item = Option<crate::exchange::Response>>> = if replacing {
        Box::new(cases.iter().map(|c| ctx.send(c)))
    } else {
        Box::new(ctx.send_all(&cases).into_iter())
    };
    // The first failing case of each check is shrunk.
    let mut to_shrink: BTreeMap<Check, (usize, Finding)> = BTreeMap::new();
    let mut seen = Vec::new();
    for (i, slot) in built.iter().enumerate() {
        let Some((case, intent)) = slot else { continue };
        let Some(response) = responses.next().flatten() else {
            continue;
        };
        if kind == Kind::Positive {
            seen.push(Seen {
                inputs: trees[i].current().0,
                case: case.clone(),
                status: response.status,
            });
        }
        let findings = judge(plan.spec, &plan.op, &case.request, &response, *intent);
        if let Some(failed) = ctx.tally(&plan.name, &findings) {
            to_shrink.entry(failed.check).or_insert((i, failed));
        }
        let created = crate::resources::observe(ctx, plan.spec, &plan.op, &case.request, &response);
        if kind == Kind::Positive {
            crate::readback::check(ctx, plan.spec, &plan.op, case, &response, created);
        }
    }
    drop(responses);
    for (check, (i, first)) in to_shrink {
        let Some((case, _)) = &built[i] else { continue };
        // A failure that does not come back when sent again is reported as it was seen.
        let (finding, case) = shrink(ctx, plan, kind, trees[i].as_mut(), check, &case.label)
            .unwrap_or_else(|| (first, case.clone()));
        ctx.fail(finding, case);
    }
    seen
}

/// Which breakage a negative case takes, of those its inputs offer.
enum Choice<'a> {
    /// The first, from the one the generated index points at, not tried yet in this run.
    Untried(&'a mut BTreeSet<String>),
    /// The one with this label (shrinking keeps breaking the same constraint), else the
    /// one the index points at.
    Label(&'a str),
}

/// A case from generated inputs; `None` when a negative case has nothing to break, or a
/// positive one is not valid after all.
fn to_case(
    plan: &Plan,
    kind: Kind,
    (inputs, pick): &(Inputs, proptest::sample::Index),
    choice: Choice,
) -> Option<(Case, Intent)> {
    match kind {
        Kind::Positive if plan.valid(inputs).is_err() => None,
        Kind::Positive => Some((
            plan.case("positive", inputs),
            Intent::Positive {
                must_succeed: plan.must_accept(inputs),
            },
        )),
        Kind::Negative => {
            let mut options = plan.breakages(inputs);
            if options.is_empty() {
                return None;
            }
            let start = pick.index(options.len());
            let chosen = match choice {
                Choice::Untried(tried) => {
                    let n = options.len();
                    let i = (0..n)
                        .map(|k| (start + k) % n)
                        .find(|&i| !tried.contains(&options[i].0))
                        .unwrap_or(start);
                    tried.insert(options[i].0.clone());
                    i
                }
                Choice::Label(label) => options.iter().position(|o| o.0 == label).unwrap_or(start),
            };
            let (label, broken, check) = options.swap_remove(chosen);
            Some((plan.case(label, &broken), Intent::Negative(check)))
        }
    }
}

/// Shrinks a failing case as proptest would, one request at a time: simplify while it
/// still fails under `check`, step back when it passes. Returns the minimal failure.
fn shrink(
    ctx: &Context,
    plan: &Plan,
    kind: Kind,
    tree: &mut dyn ValueTree<Value = (Inputs, proptest::sample::Index)>,
    check: Check,
    label: &str,
) -> Option<(Finding, Case)> {
    let attempt = |value: &(Inputs, proptest::sample::Index)| -> Option<(Finding, Case)> {
        let (case, intent) = to_case(plan, kind, value, Choice::Label(label))?;
        let response = ctx.send(&case)?;
        let _ = crate::resources::observe(ctx, plan.spec, &plan.op, &case.request, &response);
        let findings = judge(plan.spec, &plan.op, &case.request, &response, intent);
        let failed = findings
            .into_iter()
            .find(|f| !f.passed && f.check == check && ctx.enabled(f.check))?;
        Some((failed, case))
    };
    let mut last = attempt(&tree.current())?;
    let mut steps = 0;
    if !tree.simplify() {
        return Some(last);
    }
    while steps < 64 && !ctx.stopped() {
        steps += 1;
        match attempt(&tree.current()) {
            Some(failure) => {
                last = failure;
                if !tree.simplify() {
                    break;
                }
            }
            None => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    Some(last)
}

fn malformed(ctx: &Context, plan: &Plan) {
    let Some(inputs) = plan.plain() else { return };
    let mut request = plan.request(&Inputs { body: None, ..inputs });
    request.body = Some("{\"truncated\": ".into());
    request
        .headers
        .push(("Content-Type".into(), "application/json".into()));
    let case = Case::new(plan.name.clone(), "negative: malformed JSON body", request);
    ctx.exchange(
        plan.spec,
        &plan.op,
        &case,
        Intent::Negative(Check::NegativeRejected),
    );
}

/// Stable per (seed, operation, kind): the same seed replays the same requests.
fn case_seed(seed: u64, operation: &str, kind: &str) -> [u8; 32] {
    let mut h: u64 = seed ^ 0x9E37_79B9_7F4A_7C15;
    for b in operation.bytes().chain(kind.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
    }
    let mut out = [0u8; 32];
    for (i, chunk) in out.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&(h.rotate_left(i as u32 * 13) ^ i as u64).to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use specwright_runtime::Auth;

    use crate::context::{Context, Settings, Target, lock};
    use crate::ledger::Created;

    /// A write goes only to what the run made: a volume it found in a list is read, never
    /// changed; once it is the run's own, it may be.
    #[test]
    fn writes_go_only_to_what_the_run_created() {
        let specs = crate::embedded_specs().unwrap_or_else(|e| panic!("{e}"));
        let target = Target::new("http://127.0.0.1:9", "p", Auth::None);
        let settings = Settings {
            allow_mutations: true,
            ..Settings::default()
        };
        let ctx = Context::new(specs, target, settings).unwrap_or_else(|e| panic!("{e}"));
        let item = "/v2/{project_id}/volumes/{volume_id}";
        lock(&ctx.ledger.pool).insert(item, "volume_id", "found-1");
        let spec = &ctx.specs[0];
        let plan = |method: &str, path: &str| {
            let op = spec
                .operations()
                .into_iter()
                .find(|o| o.method == method && o.path == path)
                .unwrap_or_else(|| panic!("{method} {path}"));
            super::Plan::new(&ctx, spec, op).unsafe_write()
        };
        assert!(
            plan("put", item).is_some(),
            "a found volume is not the run's to change"
        );
        assert!(plan("post", "/v2/{project_id}/volumes/{volume_id}/action").is_some());
        assert_eq!(plan("get", item), None);
        assert_eq!(plan("delete", item), None, "deletes aim at an id no server has");
        assert_eq!(plan("post", "/v2/{project_id}/volumes"), None, "creating is fine");
        lock(&ctx.ledger.created).push(Created {
            template: item.into(),
            path: "/v2/p/volumes/found-1".into(),
            id: "found-1".into(),
        });
        assert_eq!(plan("put", item), None, "the run's own volume may change");
    }
}
