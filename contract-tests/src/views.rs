//! Two views of one resource agree, for any spec: an item of a list (`/volumes`,
//! `/volumes/detail`) and the read of the same id (`/volumes/{volume_id}`) show the same
//! value for every field both have. Only resources the run made are compared, and only
//! where neither `status` nor `updated_at` differs between the two answers: a resource
//! that moved between them may rightly show two states.

use serde_json::Value;

use crate::checks::{Check, Finding, Intent};
use crate::context::{Context, lock};
use crate::exchange::{Case, Request};
use crate::fuzz::Plan;

/// Fields that say how to reach a resource rather than what it is.
const LINKS: [&str; 2] = ["links", "self"];

pub fn check(ctx: &Context) {
    if !ctx.enabled(Check::CrossView) {
        return;
    }
    let created = lock(&ctx.ledger.created).clone();
    if created.is_empty() {
        return;
    }
    let relaxed = Intent::Positive { must_succeed: false };
    for spec in &ctx.specs {
        for op in spec.operations() {
            if ctx.stopped() {
                return;
            }
            if op.method != "get" || op.path.ends_with('}') || !ctx.selected(&op.display_name()) {
                continue;
            }
            // The read of one item: `{list}/{id}`, or a sibling of a named view
            // (`.../volumes/detail` lists what `.../volumes/{volume_id}` reads).
            let parent = op.path.rsplit_once('/').map_or("", |(p, _)| p);
            let kinds: Vec<&crate::ledger::Created> = created
                .iter()
                .filter(|c| {
                    c.template
                        .rsplit_once('/')
                        .is_some_and(|(p, last)| last.starts_with('{') && (p == op.path || p == parent))
                })
                .collect();
            if kinds.is_empty() {
                continue;
            }
            let plan = Plan::new(ctx, spec, op.clone());
            let Some(inputs) = plan.plain().filter(|_| plan.known_path) else {
                continue;
            };
            let case = plan.case("cross-view: the list", &inputs);
            let Some(listed) = ctx.exchange_passing(spec, &op, &case, relaxed) else {
                continue;
            };
            let Some(items) = listed.body.as_ref().and_then(crate::lists::page::items) else {
                continue;
            };
            for item in items {
                let Some(id) = item.get("id").map(crate::params::text) else {
                    continue;
                };
                let Some(made) = kinds.iter().find(|c| c.id == id) else {
                    continue;
                };
                let Some((read_spec, read_op)) = ctx.find("get", &made.template) else {
                    continue;
                };
                let read = Case::new(
                    read_op.display_name(),
                    format!("cross-view: read of an item {} lists", op.display_name()),
                    Request::new("get", made.path.clone()),
                );
                let Some(shown) = ctx.exchange_passing(read_spec, &read_op, &read, relaxed) else {
                    continue;
                };
                let Some(one) = shown.body.as_ref().and_then(resource) else {
                    continue;
                };
                if let Some(f) = compare(item, one, &op.display_name()) {
                    ctx.record(std::slice::from_ref(&f), &read);
                }
            }
        }
    }
}

/// The resource of a read: the body, or the one object wrapping it.
fn resource(body: &Value) -> Option<&Value> {
    let map = body.as_object()?;
    if map.contains_key("id") {
        return Some(body);
    }
    let objects: Vec<&Value> = map.values().filter(|v| v.is_object()).collect();
    match objects.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// The finding for a listed item and its read; `None` where the resource moved between.
fn compare(item: &Value, read: &Value, list: &str) -> Option<Finding> {
    let (item, read) = (item.as_object()?, read.as_object()?);
    for moving in ["status", "updated_at", "updatedAt"] {
        if item.get(moving) != read.get(moving) {
            return None;
        }
    }
    let differ: Vec<String> = item
        .iter()
        .filter(|(k, _)| !LINKS.contains(&k.as_str()))
        .filter_map(|(k, v)| {
            let r = read.get(k)?;
            (!crate::readback::same(v, r)).then(|| format!("{k}: {list} shows {v}, the read {r}"))
        })
        .collect();
    Some(Finding::check(
        Check::CrossView,
        differ.is_empty(),
        format!("the fields {list} shows, as the resource's own read shows them"),
        differ.join("; "),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn fields_both_views_show_must_agree_unless_the_resource_moved() {
        let item = json!({"id": "v", "name": "a", "size": 1, "status": "available", "links": [1]});
        let read =
            json!({"id": "v", "name": "a", "size": 2, "status": "available", "links": [2], "extra": 1});
        let f = super::compare(&item, &read, "listVolumes").expect("judged");
        assert!(
            !f.passed && f.actual.contains("size") && !f.actual.contains("links"),
            "{f:?}"
        );
        let moved = json!({"id": "v", "name": "a", "size": 2, "status": "extending"});
        assert_eq!(super::compare(&item, &moved, "listVolumes"), None);
        let same = json!({"id": "v", "name": "a", "size": "1", "status": "available"});
        assert!(super::compare(&item, &same, "listVolumes").is_some_and(|f| f.passed));
    }
}
