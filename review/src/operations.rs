//! Operations as a whole: `duplicate-parameter`, `status-without-schema`,
//! `no-error-response`, `no-example`.

use serde_json::Value;
use specwright_oas::pointer::join;

use super::Finding;
use super::context::Context;

pub(super) fn run(cx: &Context, out: &mut Vec<Finding>) {
    let mut path_items_seen: Vec<String> = Vec::new();
    for op in cx.operations() {
        let item_pointer = op.pointer.rsplit_once('/').map_or("", |(p, _)| p).to_string();
        if !path_items_seen.contains(&item_pointer) {
            if let Some(list) = cx.raw.pointer(&item_pointer).and_then(|i| i.get("parameters")) {
                duplicates(cx, &join(&item_pointer, "parameters"), list, out);
            }
            path_items_seen.push(item_pointer);
        }
        if let Some(list) = op.value.get("parameters") {
            duplicates(cx, &join(&op.pointer, "parameters"), list, out);
        }
        responses(cx, &op, out);
        if !has_example(cx, &op) {
            out.push(Finding::new(
                "no-example",
                op.pointer.clone(),
                format!(
                    "{} has no example of a parameter, its request or a response",
                    op.display_name()
                ),
            ));
        }
    }
}

/// The same name and location twice in one list (header names without case, as HTTP
/// reads them).
fn duplicates(cx: &Context, at: &str, list: &Value, out: &mut Vec<Finding>) {
    let Some(list) = list.as_array() else { return };
    let mut seen: Vec<(String, String, usize)> = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let p = cx.deref(p);
        let (Some(name), Some(location)) = (
            p.get("name").and_then(Value::as_str),
            p.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        let key = if location == "header" {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        };
        match seen.iter().find(|(k, l, _)| *k == key && l == location) {
            Some((_, _, first)) => out.push(Finding::new(
                "duplicate-parameter",
                format!("{at}/{i}"),
                format!("the {location} parameter `{name}` is declared again: first at {at}/{first}"),
            )),
            None => seen.push((key, location.to_string(), i)),
        }
    }
}

fn responses(cx: &Context, op: &specwright_oracle::Operation, out: &mut Vec<Finding>) {
    let Some(responses) = op.value.get("responses").and_then(Value::as_object) else {
        return;
    };
    let base = join(&op.pointer, "responses");
    let error = responses
        .keys()
        .any(|s| s.starts_with('4') || s.starts_with('5') || s == "default");
    if !error {
        out.push(Finding::new(
            "no-error-response",
            base.clone(),
            format!(
                "{} documents no error response (4xx, 5xx or default): clients cannot read the error body it sends",
                op.display_name()
            ),
        ));
    }
    for (status, response) in responses {
        if !body_expected(op.method, status) {
            continue;
        }
        let at = join(&base, status);
        let response = cx.deref(response);
        match response.get("content").and_then(Value::as_object) {
            None => out.push(Finding::new(
                "status-without-schema",
                at,
                format!(
                    "{} {status} documents no body: a client cannot read what it answers",
                    op.display_name()
                ),
            )),
            Some(content) => {
                for (media, m) in content {
                    if m.get("schema").is_none() {
                        out.push(Finding::new(
                            "status-without-schema",
                            join(&join(&at, "content"), media),
                            format!(
                                "{} {status} documents `{media}` with no schema",
                                op.display_name()
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// Whether a response of this status normally has a body: not to HEAD, not 1xx, 204, 205,
/// 3xx.
fn body_expected(method: &str, status: &str) -> bool {
    method != "head"
        && !status.starts_with('1')
        && !status.starts_with('3')
        && !matches!(status, "204" | "205")
}

fn has_example(cx: &Context, op: &specwright_oracle::Operation) -> bool {
    let holds = |v: &Value| v.get("example").is_some() || v.get("examples").is_some();
    let media = |holder: &Value| {
        cx.deref(holder)
            .get("content")
            .and_then(Value::as_object)
            .is_some_and(|c| c.values().any(holds))
    };
    let params = |list: Option<&Value>| {
        list.and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(|p| holds(cx.deref(p)) || media(p)))
    };
    let item = op.pointer.rsplit_once('/').and_then(|(p, _)| cx.raw.pointer(p));
    params(op.value.get("parameters"))
        || params(item.and_then(|i| i.get("parameters")))
        || op.value.get("requestBody").is_some_and(media)
        || op
            .value
            .get("responses")
            .and_then(Value::as_object)
            .is_some_and(|r| r.values().any(media))
}
