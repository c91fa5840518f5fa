//! Property and parameter names across the whole spec: `property-conflict` (one name,
//! typed or constrained differently) and `near-duplicate-name` (`extra_spec` beside
//! `extra_specs`).

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::Finding;
use super::context::{Context, resolve, type_of};

/// Keywords compared between properties of one name: where two schemas both state one,
/// they should state the same value (a `default` too: a client cannot tell which holds).
const COMPARED: [&str; 12] = [
    "default",
    "format",
    "maxLength",
    "minLength",
    "x-max-bytes",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "pattern",
    "maxItems",
    "minItems",
];

/// Names shorter than this are not compared letter by letter (`id`/`ids` is a plural,
/// `ip`/`id` is no typo).
const MIN_TYPO_LENGTH: usize = 6;

struct Occurrence<'a> {
    pointer: &'a str,
    parameter: bool,
    /// The `enum` by its content ([`fingerprint`]): defaults are compared between fields
    /// of one list of values.
    values: Option<u64>,
    kind: Option<&'a str>,
    keywords: BTreeMap<&'static str, &'a Value>,
}

pub(super) fn run(cx: &Context, out: &mut Vec<Finding>) {
    // Name → its occurrences, in document order.
    let mut by_name: Vec<(&str, Vec<Occurrence>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    // A list reached through one `$ref` from many properties is read once.
    let mut fingerprints: HashMap<*const Value, u64> = HashMap::new();
    for site in &cx.schemas {
        let Some(name) = site.property else { continue };
        let target = resolve(cx.raw, site.value);
        let mut keywords = BTreeMap::new();
        for k in COMPARED {
            if let Some(v) = site.value.get(k).or_else(|| target.get(k)) {
                keywords.insert(k, v);
            }
        }
        let occurrence = Occurrence {
            pointer: &site.pointer,
            parameter: site.parameter,
            values: site.value.get("enum").or_else(|| target.get("enum")).map(|list| {
                *fingerprints
                    .entry(std::ptr::from_ref(list))
                    .or_insert_with(|| fingerprint(list))
            }),
            kind: type_of(cx.raw, site.value),
            keywords,
        };
        let i = *index.entry(name).or_insert_with(|| {
            by_name.push((name, Vec::new()));
            by_name.len() - 1
        });
        by_name[i].1.push(occurrence);
    }
    for (name, occurrences) in &by_name {
        conflicts(name, occurrences, out);
    }
    near_duplicates(&by_name, out);
}

/// A hash of a JSON value's content, so that lists of values are compared without being
/// written out as text (an enum of a million values, referenced by thousands of
/// properties, is hashed once).
fn fingerprint(value: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    fn feed(value: &Value, h: &mut impl Hasher) {
        match value {
            Value::Null => 0u8.hash(h),
            Value::Bool(b) => (1u8, b).hash(h),
            Value::Number(n) => (2u8, n).hash(h),
            Value::String(s) => (3u8, s).hash(h),
            Value::Array(items) => {
                (4u8, items.len()).hash(h);
                items.iter().for_each(|v| feed(v, h));
            }
            Value::Object(map) => {
                (5u8, map.len()).hash(h);
                for (k, v) in map {
                    k.hash(h);
                    feed(v, h);
                }
            }
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    feed(value, &mut h);
    h.finish()
}

/// Where one name is typed (or constrained) two ways, each occurrence outside the most
/// common way is a finding.
fn conflicts(name: &str, occurrences: &[Occurrence], out: &mut Vec<Finding>) {
    if occurrences.len() < 2 {
        return;
    }
    let kinds: Vec<(&str, Option<String>)> = occurrences
        .iter()
        .map(|o| (o.pointer, o.kind.map(str::to_string)))
        .collect();
    report(name, "typed", &kinds, out);
    // Constraints are compared between occurrences of the same type only.
    for keyword in COMPARED {
        type Key<'k> = (Option<&'k str>, Option<u64>);
        let mut by_kind: BTreeMap<Key, Vec<(&str, Option<String>)>> = BTreeMap::new();
        for o in occurrences {
            // A parameter's default is its operation's choice (`sort` by `created` here, by
            // `name` there); a property's is what the value means when it is left out, and
            // is compared only between properties of one list of values.
            let values = match keyword {
                "default" if o.parameter => continue,
                "default" => o.values,
                _ => None,
            };
            by_kind.entry((o.kind, values)).or_default().push((
                o.pointer,
                o.keywords.get(keyword).map(|v| format!("{keyword} {v}")),
            ));
        }
        for values in by_kind.values() {
            report(name, "constrained", values, out);
        }
    }
}

/// `values`: (pointer, what it states, if anything). Those stating something other than
/// the most common statement are reported.
fn report(name: &str, how: &str, values: &[(&str, Option<String>)], out: &mut Vec<Finding>) {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for (pointer, value) in values {
        let Some(value) = value else { continue };
        let i = *group_of.entry(value).or_insert_with(|| {
            groups.push((value, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(pointer);
    }
    if groups.len() < 2 {
        return;
    }
    // The most common statement, the first of equals in document order.
    let mut major = 0;
    for (i, (_, pointers)) in groups.iter().enumerate() {
        if pointers.len() > groups[major].1.len() {
            major = i;
        }
    }
    let (major_value, major_pointers) = &groups[major];
    let elsewhere = match major_pointers.len() {
        1 => major_pointers[0].to_string(),
        n => format!("{} and {} other place(s)", major_pointers[0], n - 1),
    };
    for (i, (value, pointers)) in groups.iter().enumerate() {
        if i == major {
            continue;
        }
        for pointer in pointers {
            out.push(Finding::new(
                "property-conflict",
                *pointer,
                format!("`{name}` is {how} `{value}` here, but `{major_value}` at {elsewhere}"),
            ));
        }
    }
}

/// Lower case, letters and digits only: `imageRef`, `image_ref` and `image-ref` are one.
fn folded(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn near_duplicates(by_name: &[(&str, Vec<Occurrence>)], out: &mut Vec<Finding>) {
    struct Name<'a> {
        name: &'a str,
        folded: String,
        kind: Option<&'a str>,
        count: usize,
        first: &'a str,
    }
    let names: Vec<Name> = by_name
        .iter()
        .filter_map(|(name, occurrences)| {
            let first = occurrences.first()?;
            Some(Name {
                name,
                folded: folded(name),
                kind: first.kind,
                count: occurrences.len(),
                first: first.pointer,
            })
        })
        .filter(|n| !n.folded.is_empty())
        .collect();
    // Folded name, and each folded name less one letter → the names it comes from.
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, n) in names.iter().enumerate() {
        buckets.entry(n.folded.clone()).or_default().push(i);
        if n.folded.chars().count() + 1 >= MIN_TYPO_LENGTH {
            for (at, c) in n.folded.char_indices() {
                let mut less = n.folded.clone();
                less.replace_range(at..at + c.len_utf8(), "");
                buckets.entry(less).or_default().push(i);
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for members in buckets.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if a != b {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (a, b) in pairs {
        let (a, b) = (&names[a], &names[b]);
        let why = if a.folded == b.folded {
            "differ only in case or separators"
        } else {
            let (short, long) = if a.folded.len() < b.folded.len() {
                (a, b)
            } else {
                (b, a)
            };
            // A letter more that makes a thing of another type (an `id` and the list of
            // `ids`, a `comment` and the count of `comments`) is no typo.
            if short.folded.len() + 1 != long.folded.len() || short.kind != long.kind {
                continue;
            }
            // The letter that is more, and whether it is the last.
            let extra = long
                .folded
                .chars()
                .zip(short.folded.chars().map(Some).chain(std::iter::once(None)))
                .find(|(x, y)| Some(*x) != *y)
                .map(|(x, y)| (x, y.is_none()));
            match extra {
                Some(('s', true)) => "differ by a plural `s`",
                // An `s` inside a compound (`team_url`, `teams_url`) names another thing;
                // a digit numbers one.
                Some(('s', false)) => continue,
                Some((c, _)) if c.is_ascii_digit() => continue,
                _ if short.folded.chars().count() + 1 < MIN_TYPO_LENGTH => continue,
                _ => "differ by one letter",
            }
        };
        // Reported where the rarer name is (the later of equals).
        let (rare, common) = if (a.count, b.name) < (b.count, a.name) {
            (a, b)
        } else {
            (b, a)
        };
        out.push(Finding::new(
            "near-duplicate-name",
            rare.first,
            format!(
                "`{}` ({} place(s)) and `{}` ({} place(s), first at {}) {why}: one name misspelt, or two things named too alike",
                rare.name, rare.count, common.name, common.count, common.first
            ),
        ));
    }
}
