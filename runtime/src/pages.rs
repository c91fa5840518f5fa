//! Every item of a paged list as one `Stream`, page after page. The generator recognises
//! the paging pattern of a list operation (see `codegen`'s `paging` rule) and emits a
//! `<operation>_stream` method that calls this with the rule it found.
//!
//! Each item comes once: the stream ends on an empty page, on a page without a `next` link
//! where the body has links, or when the server hands back a marker or token it was given
//! before (pages that cycle, `a → b → a`, end rather than yield forever). An error ends the
//! stream after it is yielded.

use std::collections::{HashSet, VecDeque};
use std::future::Future;

use futures_util::Stream;
use serde::Serialize;
use serde_json::Value;

use crate::{Error, Response};

/// How the next page is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The last item's `id` field is the next `marker`; where the body has a `links` field,
    /// only while it holds a link with `rel: next`.
    Marker {
        id: &'static str,
        links: Option<&'static str>,
    },
    /// The offset advances by the items seen.
    Offset,
    /// The body's `next` field is the next page token.
    Token { next: &'static str },
}

/// What the next request carries.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Next {
    Marker(String),
    /// Items seen so far; the request's offset is its first offset plus this.
    Offset(u64),
    Token(String),
}

struct State<F, P, T> {
    fetch: F,
    items: fn(P) -> Vec<T>,
    rule: Rule,
    /// `None` once no page is left; `Some(None)` for the first page.
    next: Option<Option<Next>>,
    buffer: VecDeque<T>,
    seen: u64,
    /// Every page asked for so far: one named again is one the stream has yielded.
    asked: HashSet<Next>,
}

/// The items of every page: `fetch` gets the page that `Next` names (`None`: the first),
/// `items` takes a page's items out of its body.
pub fn stream<P, T, E, F, Fut>(
    rule: Rule,
    fetch: F,
    items: fn(P) -> Vec<T>,
) -> impl Stream<Item = Result<T, Error<E>>>
where
    P: Serialize,
    T: Serialize,
    F: FnMut(Option<Next>) -> Fut,
    Fut: Future<Output = Result<Response<P>, Error<E>>>,
{
    let state = State {
        fetch,
        items,
        rule,
        next: Some(None),
        buffer: VecDeque::new(),
        seen: 0,
        asked: HashSet::new(),
    };
    futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.buffer.pop_front() {
                return Some((Ok(item), st));
            }
            let asked = st.next.take()?;
            if let Some(page) = &asked {
                if !st.asked.insert(page.clone()) {
                    return None;
                }
            }
            let page = match (st.fetch)(asked.clone()).await {
                Ok(page) => page.into_inner(),
                Err(e) => return Some((Err(e), st)),
            };
            let body = serde_json::to_value(&page).unwrap_or(Value::Null);
            let items = (st.items)(page);
            st.seen = st.seen.saturating_add(items.len() as u64);
            st.next = next(st.rule, &asked, &body, items.last(), st.seen);
            if items.is_empty() {
                st.next = None;
            }
            st.buffer.extend(items);
        }
    })
}

fn next<T: Serialize>(
    rule: Rule,
    asked: &Option<Next>,
    body: &Value,
    last: Option<&T>,
    seen: u64,
) -> Option<Option<Next>> {
    let next = match rule {
        Rule::Marker { id, links } => {
            if let Some(links) = links {
                let has_next = body.get(links).and_then(Value::as_array).is_some_and(|l| {
                    l.iter()
                        .any(|link| link.get("rel").and_then(Value::as_str) == Some("next"))
                });
                if !has_next {
                    return None;
                }
            }
            let last = serde_json::to_value(last?).ok()?;
            let marker = match last.get(id)? {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Next::Marker(marker)
        }
        Rule::Offset => Next::Offset(seen),
        Rule::Token { next } => match body.get(next) {
            Some(Value::String(t)) if !t.is_empty() => Next::Token(t.clone()),
            _ => return None,
        },
    };
    // The same request again would give the same page again.
    (asked.as_ref() != Some(&next)).then_some(Some(next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use serde_json::json;

    fn response(body: Value) -> Result<Response<Value>, Error<()>> {
        Ok(Response {
            status: reqwest::StatusCode::OK,
            headers: reqwest::header::HeaderMap::new(),
            body,
            masked: Default::default(),
        })
    }

    fn items(page: Value) -> Vec<Value> {
        page.get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }

    /// 23 items served by marker, 7 a page, with a next link on every full page.
    fn marker_server(next: Option<Next>) -> std::future::Ready<Result<Response<Value>, Error<()>>> {
        let start = match next {
            Some(Next::Marker(m)) => m.parse::<usize>().unwrap_or(0) + 1,
            _ => 0,
        };
        let page: Vec<Value> = (start..23)
            .take(7)
            .map(|i| json!({"id": i.to_string()}))
            .collect();
        let links = if start + 7 < 23 {
            json!([{"rel": "next", "href": "x"}])
        } else {
            json!([])
        };
        std::future::ready(response(json!({"items": page, "items_links": links})))
    }

    #[tokio::test]
    async fn a_marker_list_yields_every_item_once() {
        let rule = Rule::Marker {
            id: "id",
            links: Some("items_links"),
        };
        let got: Vec<Value> = stream(rule, marker_server, items)
            .map(|r| r.unwrap_or_default())
            .collect()
            .await;
        let ids: Vec<String> = got
            .iter()
            .filter_map(|v| v["id"].as_str().map(str::to_string))
            .collect();
        assert_eq!(ids, (0..23).map(|i| i.to_string()).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn an_offset_list_ends_on_an_empty_page() {
        let fetch = |next: Option<Next>| {
            let start = match next {
                Some(Next::Offset(n)) => n as usize,
                _ => 0,
            };
            let page: Vec<Value> = (start..10).take(4).map(|i| json!({"id": i})).collect();
            std::future::ready(response(json!({ "items": page })))
        };
        let got: Vec<_> = stream(Rule::Offset, fetch, items).collect().await;
        assert_eq!(got.len(), 10);
    }

    #[tokio::test]
    async fn pages_that_cycle_end_the_stream() {
        // a → b → a → b ...: each page once, then the stream ends.
        let fetch = |next: Option<Next>| {
            let (item, token) = match next {
                Some(Next::Token(t)) if t == "a" => ("2", "b"),
                Some(Next::Token(t)) if t == "b" => ("3", "a"),
                _ => ("1", "a"),
            };
            std::future::ready(response(json!({"items": [{"id": item}], "next": token})))
        };
        let all: Vec<Value> = stream(Rule::Token { next: "next" }, fetch, items)
            .filter_map(|r| async move { r.ok() })
            .collect()
            .await;
        assert_eq!(
            all,
            vec![json!({"id": "1"}), json!({"id": "2"}), json!({"id": "3"})]
        );
    }

    #[tokio::test]
    async fn a_server_repeating_its_page_or_failing_ends_the_stream() {
        let same = |_| std::future::ready(response(json!({"items": [{"id": "a"}], "next": "t"})));
        let got: Vec<_> = stream(Rule::Token { next: "next" }, same, items).collect().await;
        assert_eq!(
            got.len(),
            2,
            "the first page, and the one its token names, then no more"
        );
        let failing = |_| {
            std::future::ready(Err::<Response<Value>, Error<()>>(Error::InvalidRequest(
                "down".into(),
            )))
        };
        let got: Vec<_> = stream(Rule::Offset, failing, items).collect().await;
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
    }
}
