//! One page of a list, judged alone, for any list operation: its items, `limit` and the
//! order `sort_key`/`sort_dir` ask for, and where its `next` link points. Pure functions
//! of a request and its answer; [`super`] sends the probes.

use std::cmp::Ordering;

use serde_json::Value;
use specwright_oracle::{Operation, Spec};

use crate::checks::{Check, Finding};
use crate::exchange::{Request, Response};

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

pub fn declares(spec: &Spec, op: &Operation, name: &str) -> bool {
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

pub fn ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .filter_map(|i| i.get("id"))
        .map(crate::params::text)
        .collect()
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
