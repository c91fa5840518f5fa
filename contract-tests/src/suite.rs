//! A whole run, phase by phase: resources, the property-based part, the refusal probes,
//! list semantics, the scenarios, and cleanup. Every phase checks the clock, so a run
//! against any server ends by `--max-time` with a verdict.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use specwright_oracle::Spec;

use crate::checks::Check;
use crate::context::{Context, Settings, Target};
use crate::report::Report;

const EVS_SPEC: &str = include_str!("../../spec/evs.yaml");
const IMS_SPEC: &str = include_str!("../../spec/ims.yaml");

/// The EVS and IMS specs this crate was built with: the default.
pub fn embedded_specs() -> Result<Vec<Spec>, String> {
    Ok(vec![
        Spec::parse(EVS_SPEC, "spec/evs.yaml").map_err(|e| e.to_string())?,
        Spec::parse(IMS_SPEC, "spec/ims.yaml").map_err(|e| e.to_string())?,
    ])
}

/// A conformance run against one target.
pub struct Suite {
    ctx: Context,
}

impl Suite {
    /// A run of the embedded EVS + IMS specs.
    pub fn new(target: Target, settings: Settings) -> Result<Suite, String> {
        Suite::with_specs(embedded_specs()?, target, settings)
    }

    /// A run of any OpenAPI 3.0 specs.
    pub fn with_specs(specs: Vec<Spec>, target: Target, settings: Settings) -> Result<Suite, String> {
        if specs.is_empty() {
            return Err("no spec to test against".into());
        }
        Ok(Suite {
            ctx: Context::new(specs, target, settings)?,
        })
    }

    /// Set this to stop the run early (Ctrl-C); created resources are still deleted.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.ctx.interrupt_flag()
    }

    /// Before the run: the base URL is a URL, a server answers there, and one documented
    /// read succeeds with the credentials given (a selected `GET` that needs no resource,
    /// secured ones first). Each failure is one message saying what to fix: the target is
    /// unusable, and reporting every case against it would only hide that.
    pub fn preflight(&self) -> Result<(), String> {
        let ctx = &self.ctx;
        let base = &ctx.target.base_url;
        let url = reqwest::Url::parse(base).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => {
                format!("--base-url {base:?} has no scheme: did you mean http://{base} or https://{base}?")
            }
            e => format!("--base-url {base:?} is not a URL: {e}"),
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "--base-url {base:?} must be an http:// or https:// URL with a host"
            ));
        }
        let mut reads = Vec::new();
        for spec in &ctx.specs {
            for op in spec.operations() {
                if op.method != "get" || !ctx.selected(&op.display_name()) {
                    continue;
                }
                let plan = crate::fuzz::Plan::new(ctx, spec, op.clone());
                let Some(inputs) = plan.plain().filter(|_| plan.known_path) else {
                    continue;
                };
                let secured = crate::probes::secured(spec, &op);
                let rank = (!secured, plan.params.len(), plan.op.path.len());
                reads.push((rank, spec, op.clone(), plan.case("preflight", &inputs)));
            }
        }
        reads.sort_by_key(|r| r.0);
        if reads.is_empty() {
            return self.reachable(&url);
        }
        // A 403 may be one operation's policy (a configuration the server does not expose),
        // so a few reads are tried; a 401 refuses the credential at once.
        let mut refusals = Vec::new();
        let mut first_other = None;
        for (_, _, op, case) in reads.into_iter().take(PREFLIGHT_READS) {
            let what = format!(
                "{} {} ({})",
                case.request.method,
                case.request.url(base),
                op.display_name()
            );
            match ctx
                .sender
                .send_all(std::slice::from_ref(&case), &|| false, &|_, _| {})
                .pop()
            {
                Some(crate::sender::Sent::Answer(r)) if (200..300).contains(&r.status) => {
                    *crate::context::lock(&ctx.confirm) = Some(case.clone());
                    return Ok(());
                }
                Some(crate::sender::Sent::Answer(r)) if r.status == 401 => {
                    return Err(refused(&what, &r));
                }
                Some(crate::sender::Sent::Answer(r)) if r.status == 403 => refusals.push(refused(&what, &r)),
                Some(crate::sender::Sent::Answer(r)) => {
                    first_other.get_or_insert((what, r));
                }
                Some(crate::sender::Sent::NoAnswer(e)) => return Err(format!("no answer from {what}: {e}")),
                _ => return Err(format!("{what} could not be sent")),
            }
        }
        if let Some((what, r)) = first_other {
            return Err(format!(
                "{what}, a documented read that needs no resource, answered {}: is --base-url the root the spec's paths start from{}? {}",
                r.status,
                if ctx.target.project_id.is_empty() {
                    ""
                } else {
                    ", and --project-id right"
                },
                crate::judge::excerpt(&r.body_text)
            ));
        }
        Err(refusals.join("; "))
    }

    /// Where no read fits the preflight: at least a connection.
    fn reachable(&self, url: &reqwest::Url) -> Result<(), String> {
        let host = url
            .host_str()
            .unwrap_or_default()
            .trim_start_matches('[')
            .trim_end_matches(']');
        let port = url.port_or_known_default().unwrap_or(80);
        let timeout = self.ctx.target.timeout;
        self.ctx.block_on(async {
            match tokio::time::timeout(timeout, tokio::net::TcpStream::connect((host, port))).await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err(format!("no server answers at {url}: {e}")),
                Err(_) => Err(format!("no server answers at {url} within {timeout:?}")),
            }
        })
    }

    /// Runs everything and returns the report. `progress` gets the phase or operation,
    /// and how far the run is.
    pub fn run(self, progress: &dyn Fn(&str, usize, usize)) -> Report {
        let ctx = &self.ctx;
        let ops: Vec<(usize, String)> = ctx
            .specs
            .iter()
            .enumerate()
            .flat_map(|(i, spec)| {
                spec.operations()
                    .into_iter()
                    .map(move |op| (i, op.display_name()))
            })
            .filter(|(_, name)| ctx.selected(name))
            .collect();
        let total = ops.len() + 5;
        let mut stopped_in = None;
        let mut phase = |name: &str, step: usize, run: &dyn Fn()| {
            if stopped_in.is_some() {
                return;
            }
            if ctx.stopped() {
                stopped_in = Some(name.to_string());
                return;
            }
            progress(name, step, total);
            run();
        };
        let n = ops.len();
        let scenarios = crate::scenarios::applicable(ctx);
        std::thread::scope(|scope| {
            phase("resources", 0, &|| {
                for s in &scenarios {
                    s.prepare(ctx);
                }
                crate::resources::fill(ctx);
                for s in &scenarios {
                    s.discover(ctx);
                }
            });
            // The scenarios' own steps send one request at a time and mostly wait for
            // transitions, on resources of their own: they run beside the per-operation
            // cases, and are over before the list probes read the lists.
            // So do the action effects: each on a resource made for it, which no case touches.
            let beside = (!ctx.stopped() && ctx.settings.allow_mutations).then(|| {
                scope.spawn(|| {
                    for s in &scenarios {
                        s.alongside(ctx);
                    }
                    crate::effects::check(ctx);
                })
            });
            for (i, (spec_index, name)) in ops.iter().enumerate() {
                phase(name, i + 1, &|| {
                    let spec = &ctx.specs[*spec_index];
                    if let Some(op) = spec.operations().into_iter().find(|o| o.display_name() == *name) {
                        crate::fuzz::operation(ctx, spec, op);
                    }
                });
            }
            if let Some(beside) = beside {
                let mut names: Vec<&str> = scenarios.iter().map(|s| s.name()).collect();
                names.push("action effects");
                let names = names.join(", ");
                progress(&names, n + 1, total);
                if beside.join().is_err() {
                    ctx.report()
                        .skip(&names, "it stopped on a panic (see the output above)");
                }
            }
            phase("views", n + 2, &|| crate::views::check(ctx));
            phase("authentication", n + 2, &|| crate::probes::auth(ctx));
            phase("tenancy and methods", n + 3, &|| {
                crate::probes::tenancy(ctx);
                crate::probes::methods(ctx);
            });
            phase("list semantics", n + 4, &|| crate::lists::probes(ctx));
        });
        let stopped_in = stopped_in.or_else(|| {
            (ctx.out_of_time() || ctx.sender.gone().is_some() || ctx.lost_credential().is_some())
                .then(|| "the last phase".to_string())
        });
        let lost_credential = ctx.lost_credential();
        ctx.start_cleanup();
        progress("cleanup", total - 1, total);
        crate::resources::cleanup(ctx);
        progress("done", total, total);
        let interrupted = ctx.interrupted();
        let gone = ctx.sender.gone();
        let max_time = ctx.settings.max_time;
        // Checks a user chose (`--checks`) that found nothing to check are said so, not
        // left out of the table as if they had passed.
        let chosen: Vec<Check> = ctx.settings.checks.iter().copied().collect();
        let narrowed = chosen.len() < Check::ALL.len();
        let mut report = self.ctx.into_report();
        if narrowed {
            for check in chosen {
                if !report.tallies.values().any(|c| c.contains_key(&check)) {
                    report.skip(
                        check.name(),
                        "checked nothing: no selected operation gives it anything to check (for auth-enforced: the spec secures no operation, or every secured one is skipped)",
                    );
                }
            }
        }
        if let Some(at) = stopped_in {
            report.incomplete = Some(match gone {
                Some(gone) => format!(
                    "the server stopped answering during {at} ({}); the requests sent last before it went, oldest first (one of them may have brought it down):\n    {}",
                    gone.error,
                    gone.last.join("\n    ")
                ),
                None if lost_credential.is_some() => format!(
                    "{} (before {at}); nothing more was sent but the cleanup",
                    lost_credential.unwrap_or_default()
                ),
                None if interrupted => format!("interrupted before {at}"),
                None => format!("--max-time ({}s) ran out before {at}", max_time.as_secs()),
            });
        }
        report.failures.sort_by(|a, b| {
            (&a.case.operation, a.check, &a.case.label).cmp(&(&b.case.operation, b.check, &b.case.label))
        });
        report
    }
}

/// How many documented reads the preflight tries before it calls the target unusable.
const PREFLIGHT_READS: usize = 4;

fn refused(what: &str, r: &crate::exchange::Response) -> String {
    format!(
        "the credentials were refused: {what} answered {}: {}",
        r.status,
        crate::judge::excerpt(&r.body_text)
    )
}
