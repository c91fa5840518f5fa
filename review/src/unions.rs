//! `oneof-overlap`: a `oneOf` refuses a value that fits two of its variants, so variants
//! must not share values. Two variants overlap here when the smallest value of one (its
//! required fields) also fits the other: a client sending a plain instance of one is then
//! refused. JSON types, enumerations, formats and patterns, `additionalProperties: false`
//! and the types of shared required fields tell variants apart.

use serde_json::Value;

use super::Finding;
use super::context::Context;
use specwright_oas::schema::View;

/// How deep shared fields are compared: a budget of the finding (two variants alike four
/// levels down overlap for any reader), not a bound against cycles (the views are the
/// schema reader's).
const DEPTH: usize = 4;

pub(super) fn run(cx: &Context, out: &mut Vec<Finding>) {
    for site in &cx.schemas {
        let Some(variants) = site.value.get("oneOf").and_then(Value::as_array) else {
            continue;
        };
        let views: Vec<View> = variants.iter().map(|v| View::of(cx.raw, v)).collect();
        for j in 1..views.len() {
            for i in 0..j {
                if let Some(why) = overlap(cx.raw, &views[i], &views[j], 0) {
                    out.push(Finding::new(
                        "oneof-overlap",
                        format!("{}/oneOf/{j}", site.pointer),
                        format!(
                            "variant {j} overlaps variant {i} ({why}): a value fitting both is refused by the `oneOf`"
                        ),
                    ));
                    break;
                }
            }
        }
    }
}

/// The kind of value a view admits, for telling variants apart.
fn kinds<'a>(view: &View<'a>) -> Vec<&'a str> {
    if !view.types.is_empty() {
        return view.types.clone();
    }
    if !view.properties.is_empty() || !view.required.is_empty() {
        return vec!["object"];
    }
    if view.items.is_some() {
        return vec!["array"];
    }
    Vec::new()
}

fn shares_type(a: &[&str], b: &[&str]) -> bool {
    fn widen(t: &str) -> &str {
        if t == "integer" { "number" } else { t }
    }
    a.is_empty() || b.is_empty() || a.iter().any(|x| b.iter().any(|y| widen(x) == widen(y)))
}

/// Why a value of `a` can fit `b`, or `None` when they are told apart.
fn overlap<'a>(raw: &'a Value, a: &View<'a>, b: &View<'a>, depth: usize) -> Option<String> {
    let (ka, kb) = (kinds(a), kinds(b));
    if !shares_type(&ka, &kb) {
        return None;
    }
    if let (Some(ea), Some(eb)) = (a.enumeration, b.enumeration) {
        if !ea.iter().any(|v| eb.contains(v)) {
            return None;
        }
    }
    if a.format.is_some() && b.format.is_some() && a.format != b.format {
        return None;
    }
    if a.pattern.is_some() && b.pattern.is_some() && a.pattern != b.pattern {
        return None;
    }
    let objects = ka.contains(&"object") || kb.contains(&"object");
    if !objects {
        let what = match (ka.first(), kb.first()) {
            (Some(x), Some(y)) if x == y => format!("both are `{x}`"),
            (Some(x), Some(y)) => format!("`{x}` and `{y}` share values"),
            _ => "one of them admits any value".into(),
        };
        return Some(what);
    }
    // The smallest value of one must fit the other: its required fields are all the
    // other's, and the other allows them.
    let fits = |small: &View, big: &View| -> bool {
        big.required.iter().all(|r| small.required.contains(r))
            && (!big.closed() || small.required.iter().all(|r| big.property(r).is_some()))
            && small
                .required
                .iter()
                .all(|r| match (small.property(r), big.property(r)) {
                    (Some(x), Some(y)) if depth < DEPTH => {
                        overlap(raw, &View::of(raw, x), &View::of(raw, y), depth + 1).is_some()
                    }
                    _ => true,
                })
    };
    let names = |v: &View| {
        if v.required.is_empty() {
            "none".to_string()
        } else {
            v.required
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    if fits(a, b) || fits(b, a) {
        return Some(format!("required fields {} and {}", names(a), names(b)));
    }
    None
}
