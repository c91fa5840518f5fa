//! List semantics, for any list operation: `limit` holds, `sort_key`/`sort_dir` order
//! holds, filters return exactly the matching items, and pages (next links, markers)
//! neither overlap nor skip.
//!
//! A list is a `GET` whose answer is an array of objects, or an object holding one such
//! array (`{"volumes": [...], "volumes_links": [...]}`). Every positive answer is judged
//! for `limit` and order; the probes run once the run has made a few items, so that the
//! filters and pages are tried on real data: a filter value is taken from the items
//! themselves, or is a documented value none of them has.

use serde_json::Value;
use specwright_oracle::{Operation, Spec};

use crate::checks::{Check, Finding, Intent};
use crate::context::Context;
use crate::exchange::{Case, Response};
pub mod page;

use crate::fuzz::{Inputs, Plan};
use crate::generate::resolve;
use crate::params::Location;
use page::{declares, follow, ids, items, next_link};

/// Query parameters that shape a list rather than filter it.
const PAGING: [&str; 9] = [
    "limit",
    "marker",
    "offset",
    "page",
    "sort",
    "sort_key",
    "sort_dir",
    "page_size",
    "per_page",
];

/// Sends a list request with some query parameters set; `Some` on a success.
type Probe<'a> = dyn Fn(&str, &[(&str, String)]) -> Option<(Case, Response)> + 'a;

/// Probes every list operation the run can call, on the items there are.
pub fn probes(ctx: &Context) {
    for spec in &ctx.specs {
        for op in spec.operations() {
            if op.method != "get" || ctx.stopped() || !ctx.selected(&op.display_name()) {
                continue;
            }
            let plan = Plan::new(ctx, spec, op.clone());
            let Some(plain) = plan.plain() else { continue };
            if !plan.existing_path {
                continue;
            }
            let probe =
                |label: &str, query: &[(&str, String)], must_succeed: bool| -> Option<(Case, Response)> {
                    let mut inputs: Inputs = plain.clone();
                    for (name, value) in query {
                        let i = plan
                            .params
                            .iter()
                            .position(|p| p.location == Location::Query && p.name == *name)?;
                        inputs.values[i] = Some(Value::String(value.clone()));
                    }
                    let case = plan.case(label, &inputs);
                    let response = ctx.exchange(spec, &op, &case, Intent::Positive { must_succeed })?;
                    (200..300).contains(&response.status).then_some((case, response))
                };
            // The first read is held to a 2xx only where the run controls what it lists (a
            // documented 403 of a policy, or 404 of an empty queue, is the server's right);
            // once it has listed items, reading them again is.
            let send = |label: &str, query: &[(&str, String)]| probe(label, query, true);
            let Some((_, all)) = probe("list probe: everything", &[], plan.must_accept(&plain)) else {
                continue;
            };
            let Some(everything) = all.body.as_ref().and_then(items).cloned() else {
                continue;
            };
            if everything.len() < 2 {
                continue;
            }
            let complete = next_link(&all).is_none();
            let has = |name: &str| declares(spec, &op, name);
            if has("limit") {
                let first = send("list probe: limit=1", &[("limit", "1".into())]);
                if let (Some((_, page1)), true) = (first, has("marker")) {
                    let page1_ids = page1
                        .body
                        .as_ref()
                        .and_then(items)
                        .map(|l| ids(l))
                        .unwrap_or_default();
                    if let Some(last) = page1_ids.last() {
                        if let Some((case2, page2)) = send(
                            "list probe: next page by marker",
                            &[("limit", "1".into()), ("marker", last.clone())],
                        ) {
                            let page2_ids = page2
                                .body
                                .as_ref()
                                .and_then(items)
                                .map(|l| ids(l))
                                .unwrap_or_default();
                            let overlap: Vec<&String> =
                                page2_ids.iter().filter(|i| page1_ids.contains(i)).collect();
                            let f = Finding::check(
                                Check::Pagination,
                                overlap.is_empty(),
                                "the page after a marker holds none of the page before",
                                format!("both pages hold {overlap:?}"),
                            );
                            ctx.record(std::slice::from_ref(&f), &case2);
                        }
                    }
                }
                walk_next_links(ctx, spec, &op, &plan, &plain, &everything, complete);
            }
            if has("sort_key") && has("sort_dir") {
                let keys = known_values(&plan, "sort_key");
                for key in keys.iter().take(4) {
                    for dir in ["asc", "desc"] {
                        send(
                            &format!("list probe: sort by {key} {dir}"),
                            &[("sort_key", key.clone()), ("sort_dir", dir.into())],
                        );
                    }
                }
            }
            filters(ctx, &plan, &everything, complete, &send);
        }
    }
}

/// The documented values of a query parameter (`enum`, `x-known-values`).
fn known_values(plan: &Plan, name: &str) -> Vec<String> {
    let Some(p) = plan
        .params
        .iter()
        .find(|p| p.location == Location::Query && p.name == name)
    else {
        return Vec::new();
    };
    ["enum", "x-known-values"]
        .iter()
        .filter_map(|k| p.schema.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn filters(ctx: &Context, plan: &Plan, everything: &[Value], complete: bool, send: &Probe) {
    for p in plan
        .params
        .iter()
        .filter(|p| p.location == Location::Query && !PAGING.contains(&p.name.as_str()))
    {
        let type_of = |s: &Value| {
            s.get("type")
                .and_then(Value::as_str)
                .unwrap_or("string")
                .to_string()
        };
        let mut kind = type_of(&p.schema);
        // A list of values filters a field by its singular name: `tags=a` keeps items
        // whose `tag` is `a`.
        let mut field = p.name.as_str();
        if kind == "array" {
            kind = p
                .schema
                .get("items")
                .map(|i| type_of(resolve(plan.spec.raw(), i)))
                .unwrap_or_default();
            if !everything.iter().any(|i| i.get(field).is_some()) {
                field = field.strip_suffix('s').unwrap_or(field);
            }
        }
        if !matches!(kind.as_str(), "string" | "integer" | "boolean") {
            continue;
        }
        let values: Vec<&Value> = everything
            .iter()
            .filter_map(|i| i.get(field))
            .filter(|v| !v.is_null())
            .collect();
        let Some(first) = values.first() else { continue };
        let scalar = |v: &Value| !v.is_object() && !v.is_array();
        if !scalar(first) {
            continue;
        }
        let text = crate::params::text(first);
        let (value, source) = if values.iter().any(|v| crate::params::text(v) != text) {
            (
                text,
                everything
                    .iter()
                    .find(|i| i.get(field) == Some(*first))
                    .and_then(|i| i.get("id"))
                    .map(crate::params::text),
            )
        } else {
            // Every item has the same value: a documented value none has must match none.
            match known_values(plan, &p.name).into_iter().find(|v| *v != text) {
                Some(other) => (other, None),
                None => continue,
            }
        };
        let Some((case, response)) = send(
            &format!("list probe: filter {}={value}", p.name),
            &[(p.name.as_str(), value.clone())],
        ) else {
            continue;
        };
        let got = response
            .body
            .as_ref()
            .and_then(items)
            .cloned()
            .unwrap_or_default();
        let strays: Vec<String> = got
            .iter()
            .filter_map(|i| i.get(field))
            .map(crate::params::text)
            .filter(|v| *v != value && !v.contains(&value))
            .collect();
        let mut f = Finding::check(
            Check::ListFilter,
            strays.is_empty(),
            format!("only items with {field} = {value}"),
            format!("items with {field} = {strays:?}"),
        );
        if f.passed && complete {
            if let Some(id) = source {
                let found = ids(&got).contains(&id);
                f = Finding::check(
                    Check::ListFilter,
                    found,
                    format!("item {id}, which has {field} = {value}"),
                    "left out",
                );
            }
        }
        ctx.record(std::slice::from_ref(&f), &case);
    }
}

/// Follows `next` links from `limit=1`: every item once, none twice, none skipped.
fn walk_next_links(
    ctx: &Context,
    spec: &Spec,
    op: &Operation,
    plan: &Plan,
    plain: &Inputs,
    everything: &[Value],
    complete: bool,
) {
    let Some(i) = plan
        .params
        .iter()
        .position(|p| p.location == Location::Query && p.name == "limit")
    else {
        return;
    };
    let mut inputs = plain.clone();
    inputs.values[i] = Some(Value::String("1".into()));
    let mut case = plan.case("list probe: next links from limit=1", &inputs);
    let mut seen: Vec<String> = Vec::new();
    let mut problem = None;
    for page in 1..=everything.len() + 5 {
        let Some(response) = ctx.exchange_passing(spec, op, &case, Intent::Positive { must_succeed: true })
        else {
            return;
        };
        for id in response
            .body
            .as_ref()
            .and_then(items)
            .map(|l| ids(l))
            .unwrap_or_default()
        {
            if seen.contains(&id) {
                problem = Some(format!("item {id} again on page {page}"));
            }
            seen.push(id);
        }
        let next = next_link(&response);
        if page == 1 && next.is_none() {
            return; // this API does not link its pages
        }
        match next {
            Some(href) if problem.is_none() => {
                case = Case::new(
                    plan.name.clone(),
                    format!("list probe: next link of page {page}"),
                    follow(&href),
                )
            }
            _ => break,
        }
        if page == everything.len() + 5 {
            problem = Some(format!("still a next link after {page} pages of one item"));
        }
    }
    if problem.is_none() && complete {
        let missing: Vec<String> = ids(everything)
            .into_iter()
            .filter(|id| !seen.contains(id))
            .collect();
        if !missing.is_empty() {
            problem = Some(format!("never listed: {missing:?}"));
        }
    }
    let f = Finding::check(
        Check::Pagination,
        problem.is_none(),
        "every item exactly once across the pages",
        problem.clone().unwrap_or_default(),
    );
    ctx.record(std::slice::from_ref(&f), &case);
}
