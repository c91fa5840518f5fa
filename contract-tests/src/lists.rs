//! List semantics, for any list operation: `limit` holds, `sort_key`/`sort_dir` order
//! holds, filters return exactly the matching items, and pages (next links, markers)
//! neither overlap nor skip.
//!
//! A list is a `GET` whose answer is an array of objects, or an object holding one such
//! array (`{"volumes": [...], "volumes_links": [...]}`). Every positive answer is judged
//! for `limit` and order; the probes run once the run has made a few items, so that the
//! filters and pages are tried on real data: a filter value is taken from the items
//! themselves, or is a documented value none of them has.

use std::cmp::Ordering;

use evs_ims_oracle::{Operation, Spec};
use serde_json::Value;

use crate::checks::{Check, Finding, Intent, judge as judge_all};
use crate::context::Context;
use crate::exchange::{Case, Request, Response};
use crate::fuzz::{Inputs, Plan};
use crate::generate::resolve;
use crate::params::Location;

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

/// The items of a list body.
pub fn items(body: &Value) -> Option<&Vec<Value>> {
    if let Some(list) = body.as_array() {
        return Some(list);
    }
    let map = body.as_object()?;
    map.iter()
        .filter(|(k, _)| !k.ends_with("links"))
        .find_map(|(_, v)| v.as_array().filter(|a| a.iter().all(Value::is_object)))
}

fn declares(spec: &Spec, op: &Operation, name: &str) -> bool {
    op.parameters(spec)
        .unwrap_or_default()
        .iter()
        .any(|p| p.location == "query" && p.name == name)
}

/// `limit` and order, on any successful list answer.
pub fn judge(spec: &Spec, op: &Operation, request: &Request, response: &Response) -> Vec<Finding> {
    let mut out = Vec::new();
    if op.method != "get" {
        return out;
    }
    let Some(list) = response.body.as_ref().and_then(items) else {
        return out;
    };
    if declares(spec, op, "limit") {
        if let Some(limit) = request.query_value("limit").and_then(|l| l.parse::<usize>().ok()) {
            out.push(Finding::check(
                Check::ListLimit,
                list.len() <= limit,
                format!("at most {limit} items"),
                format!("{} items", list.len()),
            ));
        }
    }
    if declares(spec, op, "sort_key") {
        if let Some(key) = request
            .query_value("sort_key")
            .filter(|k| !k.contains(',') && !k.contains(':'))
        {
            let dir = request.query_value("sort_dir").unwrap_or("desc");
            out.push(order(list, key, dir));
        }
    }
    out
}

/// Whether `items` are in `dir` order by `key`; string values compare case-blind, and
/// only where both are ASCII (a server's collation decides the rest).
fn order(items: &[Value], key: &str, dir: &str) -> Finding {
    let values: Vec<&Value> = items.iter().filter_map(|i| i.get(key)).collect();
    for pair in values.windows(2) {
        let ord = match (pair[0], pair[1]) {
            (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
            (Value::String(a), Value::String(b)) if a.is_ascii() && b.is_ascii() => {
                Some(a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()))
            }
            _ => None,
        };
        let wrong = matches!(
            (ord, dir),
            (Some(Ordering::Greater), "asc") | (Some(Ordering::Less), "desc")
        );
        if wrong {
            return Finding::fail(
                Check::ListSort,
                format!("items by {key} {dir}"),
                format!("{} before {}", pair[0], pair[1]),
            );
        }
    }
    Finding::pass(Check::ListSort)
}

fn ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .filter_map(|i| i.get("id"))
        .map(crate::params::text)
        .collect()
}

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
            let send = |label: &str, query: &[(&str, String)]| -> Option<(Case, Response)> {
                let mut inputs: Inputs = plain.clone();
                for (name, value) in query {
                    let i = plan
                        .params
                        .iter()
                        .position(|p| p.location == Location::Query && p.name == *name)?;
                    inputs.values[i] = Some(Value::String(value.clone()));
                }
                let case = plan.case(label, &inputs);
                let response = ctx.exchange(spec, &op, &case, Intent::Positive { must_succeed: true })?;
                (200..300).contains(&response.status).then_some((case, response))
            };
            let Some((_, all)) = send("list probe: everything", &[]) else {
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

/// The `next` link of a list answer: in a `*_links` array (`rel: next`), a `links`
/// object, a top-level `next`, or the `Link` header.
pub fn next_link(response: &Response) -> Option<String> {
    let body = response.body.as_ref();
    let from_body = body.and_then(Value::as_object).and_then(|map| {
        map.iter().find_map(|(k, v)| {
            if k.ends_with("links") {
                if let Some(list) = v.as_array() {
                    return list
                        .iter()
                        .find(|l| l.get("rel").and_then(Value::as_str) == Some("next"))
                        .and_then(|l| l.get("href")?.as_str().map(str::to_string));
                }
                return v.get("next").and_then(Value::as_str).map(str::to_string);
            }
            (k == "next").then(|| v.as_str().map(str::to_string)).flatten()
        })
    });
    let from_header = || {
        // A header of its own (`x-next`), as some APIs document.
        response
            .headers
            .iter()
            .find(|(k, v)| k.to_ascii_lowercase().ends_with("next") && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    from_body
        .filter(|s| !s.is_empty())
        .or_else(from_header)
        .or_else(|| {
            let link = response.header("link")?;
            link.split(',')
                .find(|part| part.contains("rel=\"next\"") || part.contains("rel=next"))
                .and_then(|part| {
                    let start = part.find('<')? + 1;
                    let end = part.find('>')?;
                    part.get(start..end).map(str::to_string)
                })
        })
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
        let Some(response) = ctx.send(&case) else { return };
        let findings = judge_all(
            spec,
            op,
            &case.request,
            &response,
            Intent::Positive { must_succeed: true },
        );
        if ctx.record(&findings, &case).is_some() {
            return;
        }
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

/// A `next` link's path and query, sent to the target's base URL (servers often put an
/// internal host name in their links).
pub fn follow(href: &str) -> Request {
    let without_scheme = href.split_once("://").map_or(href, |(_, rest)| rest);
    let path_and_query = if href.contains("://") {
        without_scheme.find('/').map_or("/", |i| &without_scheme[i..])
    } else {
        href
    };
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let mut request = Request::new("get", path.to_string());
    request.query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect();
    request
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn order_is_judged_where_values_compare() {
        let items = vec![json!({"size": 1}), json!({"size": 3})];
        assert!(order(&items, "size", "asc").passed);
        assert!(!order(&items, "size", "desc").passed);
        let names = vec![json!({"name": "B"}), json!({"name": "a"}), json!({"name": "名"})];
        assert!(order(&names, "name", "desc").passed);
    }

    #[test]
    fn links_are_found_in_bodies_and_headers() {
        let r = |body: Value, link: Option<&str>| Response {
            status: 200,
            headers: link
                .map(|l| ("link".to_string(), l.to_string()))
                .into_iter()
                .collect(),
            content_type: None,
            body_text: String::new(),
            body: Some(body),
            sent_at: std::time::Instant::now(),
            elapsed: std::time::Duration::ZERO,
        };
        let cinder = json!({"volumes": [], "volumes_links": [{"rel": "next", "href": "http://h/v2/p/volumes?marker=x&limit=1"}]});
        assert_eq!(
            next_link(&r(cinder, None)).as_deref(),
            Some("http://h/v2/p/volumes?marker=x&limit=1")
        );
        assert_eq!(
            next_link(&r(json!({"next": "/pets?page=2"}), None)).as_deref(),
            Some("/pets?page=2")
        );
        assert_eq!(
            next_link(&r(json!([]), Some("<http://h/pets?page=3>; rel=\"next\""))).as_deref(),
            Some("http://h/pets?page=3")
        );
        let req = follow("http://internal:8776/v2/p/volumes?marker=a%20b&limit=1");
        assert_eq!(req.path, "/v2/p/volumes");
        assert_eq!(
            req.query,
            vec![("marker".into(), "a b".into()), ("limit".into(), "1".into())]
        );
    }
}
