//! `description-constraint`: a description that states a limit ("at most 255 bytes",
//! "from 1 to 100", "one of `asc`, `desc`") the schema beside it does not state, or states
//! otherwise. Only what the schema can hold is read: lengths on strings, ranges on numbers,
//! item counts on arrays, values on strings. English and Chinese phrasings.

use regex::Regex;
use serde_json::Value;

use super::Finding;
use super::context::{Context, resolve, type_of};

struct Patterns {
    /// Capture 1: the maximum length; capture 2: the unit.
    max_length: Vec<Regex>,
    /// Captures 1 and 2: minimum and maximum length; capture 3: the unit.
    length_range: Vec<Regex>,
    /// Captures 1 and 2: minimum and maximum.
    range: Vec<Regex>,
    /// Capture 1: the minimum.
    min: Vec<Regex>,
    /// Capture 1: the value the number must be greater than.
    above: Vec<Regex>,
    /// Capture 1: the maximum.
    max: Vec<Regex>,
    /// Capture 1: the maximum number of items.
    max_items: Vec<Regex>,
    /// The phrase that opens a list of values.
    values: Regex,
    /// Words that say a list goes on ("etc.", "and others", 等).
    open_list: Regex,
    /// A quoted value in that list.
    quoted: Regex,
}

/// A unit as the message says it.
fn unit_name(unit: &str) -> &str {
    if unit.contains('字') && unit.contains('节') {
        "bytes"
    } else if unit.contains('字') || unit.is_empty() {
        "characters"
    } else {
        unit
    }
}

fn compile(patterns: &[&str]) -> Vec<Regex> {
    // The patterns are constants, tested: one that does not compile is left out.
    patterns.iter().filter_map(|p| Regex::new(p).ok()).collect()
}

impl Patterns {
    fn new() -> Option<Patterns> {
        const UNIT: &str = r"(characters?|chars?|bytes?|letters?|digits?|字节|字符|个字节|个字符)";
        Some(Patterns {
            max_length: compile(&[
                &format!(r"(?i)\b(?:at most|up to|a maximum of|maximum of|max\.?|no more than|not more than|not exceed(?:ing)?|cannot exceed|must not exceed|less than or equal to)\s+(\d+)\s*{UNIT}"),
                &format!(r"(?i)\b(\d+)\s*{UNIT}\s+(?:at most|or less|or fewer|maximum|max)\b"),
                &format!(r"(?i)\bmax(?:imum)?\.? length\s*(?:is|of|:)?\s*(\d+)\s*{UNIT}?"),
                &format!(r"(?:最大|最多|不超过|不能超过|不大于)\s*(?:支持|长度为?|为)?\s*(\d+)\s*{UNIT}"),
                &format!(r"(\d+)\s*{UNIT}以内"),
            ]),
            length_range: compile(&[
                &format!(r"(?i)\b(\d+)\s*(?:to|-|–|~|and)\s*(\d+)\s*{UNIT}"),
                r"长度(?:为|范围为?)?\s*[：:]?\s*(\d+)\s*[~～\-]\s*(\d+)\s*(个?字节|个?字符)?",
            ]),
            range: compile(&[
                r"(?i)\b(?:between|from)\s+(-?\d+(?:\.\d+)?)\s+(?:to|and)\s+(-?\d+(?:\.\d+)?)\b",
                r"(?i)\brange\s*(?:is|:|of)?\s*(?:from\s+)?\[?(-?\d+(?:\.\d+)?)\s*(?:to|-|–|~|,)\s*(-?\d+(?:\.\d+)?)\]?",
                r"取值范围\s*(?:为|是)?\s*[：:]?\s*\[?(-?\d+(?:\.\d+)?)\s*[~～\-,，]\s*(-?\d+(?:\.\d+)?)",
            ]),
            min: compile(&[
                r"(?i)\b(?:at least|minimum(?: value)?(?: is| of)?|no less than|not less than|greater than or equal to)\s+(-?\d+(?:\.\d+)?)\b",
                r"(?:最小值?|不小于)\s*(?:为|是)?\s*(-?\d+(?:\.\d+)?)",
            ]),
            above: compile(&[
                r"(?i)\b(?:greater|larger|more) than\s+(-?\d+(?:\.\d+)?)\b",
                r"大于\s*(-?\d+(?:\.\d+)?)",
            ]),
            max: compile(&[
                r"(?i)\b(?:at most|maximum(?: value)?(?: is| of)?|no more than|not more than|not greater than|less than or equal to|up to|cannot exceed|must not exceed)\s+(-?\d+(?:\.\d+)?)\b",
                r"(?:最大值?|不大于|不超过)\s*(?:为|是)?\s*(-?\d+(?:\.\d+)?)",
            ]),
            max_items: compile(&[
                r"(?i)\b(?:at most|up to|a maximum of|maximum of|no more than|not more than)\s+(\d+)\s+(?:items|elements|entries|values)\b",
            ]),
            values: Regex::new(
                r"(?i)(?:\bone of|\bpossible values|\bvalid values|\ballowed values|\bsupported values|\bavailable values|\bthe value (?:can|must) be|\bvalues? (?:can|must) be|\bvalues? (?:is|are)|\bis either|\bcan be either|取值(?:为|范围为?|可以是)?|可选值(?:为|有)?|枚举值(?:为|有)?)\s*(?:are|is|include|:|：)?\s*",
            )
            .ok()?,
            open_list: Regex::new(r"(?i)\b(?:etc\b\.?|and others\b|and so on\b|among others\b|and more\b)|(?:^|[^相])等(?:[^于待同]|$)").ok()?,
            quoted: Regex::new(r#"^\s*(?:[`'"“‘「]([^`'"”’」\n]{1,64})[`'"”’」])\s*(?:,|，|、|/|;|\bor\b|\band\b|或|和)?\s*"#).ok()?,
        })
    }
}

pub(super) fn run(cx: &Context, out: &mut Vec<Finding>) {
    let Some(patterns) = Patterns::new() else { return };
    for site in &cx.schemas {
        let Some(text) = site.description else { continue };
        let target = resolve(cx.raw, site.value);
        let kind = type_of(cx.raw, site.value);
        // A keyword of the schema, or of what its `$ref` or annotated `allOf` is.
        let keyword = |k: &str| site.value.get(k).or_else(|| target.get(k));
        let number = |k: &str| keyword(k).and_then(Value::as_f64);
        let mut say = |message: String| {
            out.push(Finding::new(
                "description-constraint",
                site.pointer.clone(),
                message,
            ));
        };
        match kind {
            Some("string") => {
                let max_bytes = number("x-max-bytes");
                let max_length = number("maxLength");
                let min_length = number("minLength");
                let mut stated_max: Vec<(f64, String)> = Vec::new();
                let mut stated_min: Vec<(f64, String)> = Vec::new();
                for re in &patterns.max_length {
                    for c in re.captures_iter(text) {
                        if let Some(n) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
                            stated_max.push((n, c.get(2).map_or("", |m| m.as_str()).to_string()));
                        }
                    }
                }
                for re in &patterns.length_range {
                    for c in re.captures_iter(text) {
                        let unit = c.get(3).map_or("", |m| m.as_str()).to_string();
                        if let (Some(lo), Some(hi)) = (
                            c.get(1).and_then(|m| m.as_str().parse::<f64>().ok()),
                            c.get(2).and_then(|m| m.as_str().parse::<f64>().ok()),
                        ) {
                            if lo <= hi {
                                stated_min.push((lo, unit.clone()));
                                stated_max.push((hi, unit));
                            }
                        }
                    }
                }
                // Several different limits in one description are about parts of the
                // value (a key and a value, say), not the whole: nothing to compare.
                let one = |stated: &[(f64, String)]| {
                    stated
                        .iter()
                        .all(|(n, _)| Some(*n) == stated.first().map(|f| f.0))
                };
                if !one(&stated_max) {
                    stated_max.clear();
                }
                // A pattern can bound the length (`{1,36}`); a minimum is not asked of it.
                if !one(&stated_min) || keyword("pattern").is_some() {
                    stated_min.clear();
                }
                if let Some((n, unit)) = stated_max.first() {
                    let bytes = unit.contains("byte") || unit.contains("字节");
                    let holds = max_length == Some(*n) || (bytes && max_bytes == Some(*n));
                    if !holds
                        && !stated_max
                            .iter()
                            .any(|(m, _)| Some(*m) == max_length || Some(*m) == max_bytes)
                    {
                        let unit = unit_name(unit);
                        let has = match (max_length, max_bytes) {
                            (Some(m), _) => format!("its `maxLength` is {m}"),
                            (None, Some(b)) => format!("its `x-max-bytes` is {b}"),
                            (None, None) => "the schema has no `maxLength`".into(),
                        };
                        say(format!("the description states at most {n} {unit}, but {has}"));
                    }
                }
                if let Some((n, unit)) = stated_min.first().filter(|(n, _)| *n > 0.0) {
                    if min_length != Some(*n) {
                        let unit = unit_name(unit);
                        let has = match min_length {
                            Some(m) => format!("its `minLength` is {m}"),
                            None => "the schema has no `minLength`".into(),
                        };
                        say(format!("the description states at least {n} {unit}, but {has}"));
                    }
                }
                values(
                    &patterns,
                    text,
                    keyword("enum"),
                    keyword("x-known-values"),
                    &mut say,
                );
                if let (Some(open), Some(_)) = (patterns.open_list.find(text), keyword("enum")) {
                    say(format!(
                        "the description says the list of values goes on (\"{}\"), but the schema's `enum` is closed: a value it does not list is refused",
                        open.as_str().trim()
                    ));
                }
            }
            Some("integer" | "number") => {
                let (minimum, maximum) = (number("minimum"), number("maximum"));
                let exclusive_min = keyword("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
                let mut lows: Vec<f64> = Vec::new();
                let mut highs: Vec<f64> = Vec::new();
                for re in &patterns.range {
                    for c in re.captures_iter(text) {
                        if let (Some(lo), Some(hi)) = (
                            c.get(1).and_then(|m| m.as_str().parse::<f64>().ok()),
                            c.get(2).and_then(|m| m.as_str().parse::<f64>().ok()),
                        ) {
                            if lo <= hi {
                                lows.push(lo);
                                highs.push(hi);
                            }
                        }
                    }
                }
                let first = |list: &[Regex]| -> Option<f64> {
                    list.iter()
                        .find_map(|re| re.captures(text))
                        .and_then(|c| c.get(1))
                        .and_then(|m| m.as_str().parse().ok())
                };
                if lows.is_empty() {
                    lows.extend(first(&patterns.min));
                }
                if highs.is_empty() {
                    highs.extend(first(&patterns.max));
                }
                if let Some(&lo) = lows.first() {
                    if minimum != Some(lo) && !(exclusive_min && minimum.is_some_and(|m| m + 1.0 == lo)) {
                        let has = minimum.map_or("the schema has no `minimum`".into(), |m| {
                            format!("its `minimum` is {m}")
                        });
                        say(format!("the description states a minimum of {lo}, but {has}"));
                    }
                } else if let Some(above) = first(&patterns.above) {
                    let holds = (exclusive_min && minimum == Some(above))
                        || minimum.is_some_and(|m| m > above && (kind == Some("number") || m <= above + 1.0));
                    if !holds {
                        let has = minimum.map_or("the schema has no `minimum`".into(), |m| {
                            format!("its `minimum` is {m}")
                        });
                        say(format!("the description states greater than {above}, but {has}"));
                    }
                }
                if let Some(&hi) = highs.first() {
                    if maximum != Some(hi) {
                        let has = maximum.map_or("the schema has no `maximum`".into(), |m| {
                            format!("its `maximum` is {m}")
                        });
                        say(format!("the description states a maximum of {hi}, but {has}"));
                    }
                }
            }
            Some("array") => {
                let max_items = number("maxItems");
                for re in &patterns.max_items {
                    if let Some(n) = re
                        .captures(text)
                        .and_then(|c| c.get(1))
                        .and_then(|m| m.as_str().parse::<f64>().ok())
                    {
                        if max_items != Some(n) {
                            let has = max_items.map_or("the schema has no `maxItems`".into(), |m| {
                                format!("its `maxItems` is {m}")
                            });
                            say(format!("the description states at most {n} items, but {has}"));
                        }
                        break;
                    }
                }
            }
            _ => {}
        }
    }
}

/// "One of `a`, `b`, `c`": two or more quoted values after a phrase that opens a list,
/// compared with the schema's `enum` (or `x-known-values`, an open list's known values).
fn values(
    patterns: &Patterns,
    text: &str,
    enumeration: Option<&Value>,
    known: Option<&Value>,
    say: &mut impl FnMut(String),
) {
    let mut listed: Vec<&str> = Vec::new();
    for opening in patterns.values.find_iter(text) {
        let mut rest = &text[opening.end()..];
        let mut here = Vec::new();
        while let Some(c) = patterns.quoted.captures(rest) {
            let (Some(all), Some(value)) = (c.get(0), c.get(1)) else {
                break;
            };
            here.push(value.as_str().trim());
            rest = &rest[all.end()..];
        }
        if here.len() >= 2 {
            listed.extend(here);
        }
    }
    if listed.is_empty() {
        return;
    }
    let texts = |v: Option<&Value>| -> Option<Vec<String>> {
        v.and_then(Value::as_array).map(|a| {
            a.iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect()
        })
    };
    let shown = |l: &[&str]| l.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
    match (texts(enumeration), texts(known)) {
        (None, None) => say(format!(
            "the description lists the values {}, but the schema has no `enum` (nor `x-known-values`, for an open list)",
            shown(&listed)
        )),
        (list, known) => {
            let all: Vec<String> = list.into_iter().chain(known).flatten().collect();
            let missing: Vec<&str> = listed
                .into_iter()
                .filter(|v| !all.iter().any(|a| a == v))
                .collect();
            if !missing.is_empty() {
                say(format!(
                    "the description lists {}, which the schema's `enum` (or `x-known-values`) does not hold",
                    shown(&missing)
                ));
            }
        }
    }
}
