//! A whole run, phase by phase: resources, the property-based part, the refusal probes,
//! list semantics, the scenarios, and cleanup. Every phase checks the clock, so a run
//! against any server ends by `--max-time` with a verdict.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use evs_ims_oracle::Spec;

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

    /// Runs everything and returns the report. `progress` gets the phase or operation,
    /// and how far the run is.
    pub fn run(self, progress: &dyn Fn(&str, usize, usize)) -> Report {
        let ctx = &self.ctx;
        let mutations = ctx.settings.allow_mutations;
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
        std::thread::scope(|scope| {
            phase("resources", 0, &|| {
                if mutations {
                    crate::scenarios::setup_pool(ctx);
                }
                crate::resources::fill(ctx);
                if !mutations {
                    crate::scenarios::discover_pool(ctx);
                }
            });
            // The list items and the volume lifecycle send one request at a time and mostly
            // wait for transitions, on volumes of their own: they run beside the
            // per-operation cases, and are over before the list probes read the lists.
            let scenarios = (mutations && !ctx.stopped()).then(|| {
                scope.spawn(|| {
                    crate::scenarios::seed_lists(ctx);
                    crate::lifecycle::volume_lifecycle(ctx);
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
            if let Some(scenarios) = scenarios {
                progress("list items and volume lifecycle", n + 1, total);
                if scenarios.join().is_err() {
                    let why = "it stopped on a panic (see the output above)";
                    ctx.report().skip("list items and volume lifecycle", why);
                }
            }
            phase("authentication", n + 2, &|| crate::probes::auth(ctx));
            phase("tenancy and methods", n + 3, &|| {
                crate::probes::tenancy(ctx);
                crate::probes::methods(ctx);
            });
            phase("list semantics", n + 4, &|| crate::lists::probes(ctx));
        });
        let stopped_in = stopped_in.or_else(|| ctx.out_of_time().then(|| "the last phase".to_string()));
        ctx.start_cleanup();
        progress("cleanup", total - 1, total);
        crate::resources::cleanup(ctx);
        progress("done", total, total);
        let interrupted = ctx.interrupted();
        let max_time = ctx.settings.max_time;
        let mut report = self.ctx.into_report();
        if let Some(at) = stopped_in {
            report.incomplete = Some(if interrupted {
                format!("interrupted before {at}")
            } else {
                format!("--max-time ({}s) ran out before {at}", max_time.as_secs())
            });
        }
        report.failures.sort_by(|a, b| {
            (&a.case.operation, a.check, &a.case.label).cmp(&(&b.case.operation, b.check, &b.case.label))
        });
        report
    }
}
