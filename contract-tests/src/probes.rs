//! Requests that must be refused, whatever the input: no or a wrong credential
//! (`auth-enforced`), another project or another tenant (`tenant-isolation`), and a
//! method the path does not declare (`method-not-allowed`). Each is the operation's plain
//! call with one thing changed.

use serde_json::Value;
use specwright_oracle::{Operation, Spec};

use crate::checks::{Check, Finding, Intent};
use crate::context::{Context, lock};
use crate::exchange::{Case, Credential};
use crate::fuzz::{Inputs, Plan};
use crate::lists::page::items;
use crate::params::Location;

/// The HTTP methods a path may declare, in the order an undeclared one is tried.
const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// An id for a project that is not the run's.
const OTHER_PROJECT: &str = "0c0ffee0000040008000000000000000";

fn allowed(ctx: &Context, op: &Operation) -> bool {
    ctx.selected(&op.display_name()) && (ctx.settings.allow_mutations || matches!(op.method, "get" | "head"))
}

/// Whether the operation declares a security requirement (its own, or the document's).
pub fn secured(spec: &Spec, op: &Operation) -> bool {
    let requirements = op.value.get("security").or_else(|| spec.raw().get("security"));
    requirements.and_then(Value::as_array).is_some_and(|list| {
        !list.is_empty() && list.iter().all(|r| r.as_object().is_some_and(|m| !m.is_empty()))
    })
}

pub fn auth(ctx: &Context) {
    for spec in &ctx.specs {
        for op in spec.operations() {
            if ctx.stopped() || !allowed(ctx, &op) || !secured(spec, &op) {
                continue;
            }
            let plan = Plan::new(ctx, spec, op.clone());
            // Without a credential the run's write rule holds all the same (a server with
            // broken auth would carry the write out); a delete aims at an id nothing has,
            // so a 404 there says nothing about authentication.
            if plan.unsafe_write().is_some() || op.method == "delete" {
                continue;
            }
            let Some(inputs) = plan.plain() else { continue };
            for (credential, label) in [
                (Credential::Missing, "auth: no credential"),
                (Credential::Wrong, "auth: a wrong credential"),
            ] {
                let mut case = plan.case(label, &inputs);
                case.request.credential = credential;
                if let Some(r) = ctx.exchange(spec, &op, &case, Intent::Refused(Check::AuthEnforced)) {
                    // A server that let it through made something: it is cleaned up too.
                    let _ = crate::resources::observe(ctx, spec, &op, &case.request, &r);
                }
            }
        }
    }
}

/// Another project's id in the path, with the run's own credential; and, with a second
/// tenant, that tenant reaching for this run's resources.
pub fn tenancy(ctx: &Context) {
    let other_project = ctx
        .target
        .second
        .as_ref()
        .map_or(OTHER_PROJECT.to_string(), |t| t.project_id.clone());
    // Only what this run made is this tenant's: what it found may be shared (types).
    let own_ids: Vec<String> = lock(&ctx.ledger.created).iter().map(|c| c.id.clone()).collect();
    for spec in &ctx.specs {
        for op in spec.operations() {
            // What anyone may call belongs to no tenant (a version document under a
            // project's path): there is nothing to isolate.
            if ctx.stopped() || !allowed(ctx, &op) || !secured(spec, &op) {
                continue;
            }
            let plan = Plan::new(ctx, spec, op.clone());
            if plan.unsafe_write().is_some() {
                continue;
            }
            let Some(plain) = plan.plain() else { continue };
            let tenant_params: Vec<usize> = plan
                .params
                .iter()
                .enumerate()
                .filter(|(i, p)| {
                    p.location == Location::Path
                        && plan.fixed.get(i) == Some(&ctx.target.project_id)
                        && !ctx.target.project_id.is_empty()
                })
                .map(|(i, _)| i)
                .collect();
            if tenant_params.is_empty() {
                continue;
            }
            let in_other = |inputs: &Inputs| {
                let mut inputs = inputs.clone();
                for &i in &tenant_params {
                    inputs.values[i] = Some(Value::String(other_project.clone()));
                }
                inputs
            };
            let case = plan.case("tenancy: another project's id in the path", &in_other(&plain));
            if let Some(r) = ctx.exchange(spec, &op, &case, Intent::Refused(Check::TenantIsolation)) {
                let _ = crate::resources::observe(ctx, spec, &op, &case.request, &r);
            }

            if ctx.target.second.is_none() {
                continue;
            }
            let names_own = plan
                .fixed
                .iter()
                .any(|(i, v)| !tenant_params.contains(i) && own_ids.contains(v));
            let mut case = plan.case(
                "tenancy: the second tenant, this run's resource",
                &in_other(&plain),
            );
            case.request.credential = Credential::Second;
            if names_own && plan.known_path {
                if let Some(r) = ctx.exchange(spec, &op, &case, Intent::Refused(Check::TenantIsolation)) {
                    let _ = crate::resources::observe(ctx, spec, &op, &case.request, &r);
                }
            } else if op.method == "get" && plan.known_path && !names_own {
                // A list as the second tenant must show none of this run's resources.
                case.label = "tenancy: the second tenant's list".into();
                let Some(response) = ctx.send(&case) else { continue };
                let Some(list) = response.body.as_ref().and_then(items) else {
                    continue;
                };
                let leaked: Vec<String> = list
                    .iter()
                    .filter_map(|i| i.get("id"))
                    .map(crate::params::text)
                    .filter(|id| own_ids.contains(id))
                    .collect();
                let f = Finding::check(
                    Check::TenantIsolation,
                    leaked.is_empty(),
                    "none of the first tenant's resources",
                    format!("lists {leaked:?}"),
                );
                ctx.record(std::slice::from_ref(&f), &case);
            }
        }
    }
}

/// Per path, the first method it does not declare: 405 with `Allow`.
pub fn methods(ctx: &Context) {
    for spec in &ctx.specs {
        let Some(paths) = spec.raw().get("paths").and_then(Value::as_object) else {
            continue;
        };
        for (template, item) in paths {
            if ctx.stopped() {
                return;
            }
            // Not a method another template declares for the same concrete path
            // (`PUT /volumes/detail` is `PUT /volumes/{volume_id}`).
            let undeclared = METHODS.iter().find(|m| {
                item.get(**m).is_none()
                    && !paths.iter().any(|(other, i)| {
                        other != template
                            && i.get(**m).is_some()
                            && specwright_oas::template::overlaps(template, other)
                    })
            });
            let mut methods: Vec<&str> = undeclared
                .filter(|m| **m == "get" || ctx.settings.allow_mutations)
                .copied()
                .into_iter()
                .collect();
            // TRACE changes nothing, and servers forget it: HTTP servers answer 501.
            if item.get("trace").is_none() {
                methods.push("trace");
            }
            let Some(op) = spec.operations().into_iter().find(|o| o.path == template) else {
                continue;
            };
            if !ctx.selected(&op.display_name()) {
                continue;
            }
            let plan = Plan::new(ctx, spec, op.clone());
            let Some(inputs) = plan.plain() else { continue };
            if !plan.known_path {
                continue;
            }
            // A server may implement what the spec leaves out: an undeclared write goes
            // only to what the run made, never to a collection or the caller's own scope.
            let own = plan.owned_path && plan.resource_params > 0 && !plan.given_path;
            methods.retain(|m| matches!(*m, "get" | "trace") || own);
            for method in methods {
                let mut request = plan.request(&Inputs {
                    body: None,
                    ..inputs.clone()
                });
                request.method = method.to_uppercase();
                request.query.clear();
                let name = format!("{} {template} (not declared)", method.to_uppercase());
                let case = Case::new(name, "undeclared method", request);
                let Some(response) = ctx.exchange(spec, &op, &case, Intent::Refused(Check::MethodNotAllowed))
                else {
                    continue;
                };
                let promised = crate::judge::documents_405(spec, template);
                if let Some(f) = allow_lists(item, method, &response, promised) {
                    ctx.record(std::slice::from_ref(&f), &case);
                }
            }
        }
    }
}

/// A 405's `Allow` names every method the path declares and not the one refused (RFC 9110
/// §10.2.1). Methods beside those (`HEAD`, `OPTIONS`, another template's) may be there too.
fn allow_lists(
    item: &Value,
    refused: &str,
    response: &crate::exchange::Response,
    promised: bool,
) -> Option<Finding> {
    let allow = response.header("allow").filter(|_| response.status == 405)?;
    let listed: Vec<String> = allow
        .split(',')
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty())
        .collect();
    if listed.is_empty() {
        return None; // judged already: 405 without Allow
    }
    let declared: Vec<&str> = METHODS
        .iter()
        .chain(&["head", "options", "trace"])
        .filter(|m| item.get(**m).is_some())
        .copied()
        .collect();
    let missing: Vec<&str> = declared
        .iter()
        .filter(|m| !listed.iter().any(|l| l == *m))
        .copied()
        .collect();
    let wrong = listed.iter().any(|l| l == refused);
    let expected = format!("Allow naming {}", declared.join(", ").to_uppercase());
    Some(
        Finding::check(
            Check::MethodNotAllowed,
            missing.is_empty() && !wrong,
            expected,
            format!("Allow: {allow}"),
        )
        .warning_unless(promised),
    )
}
