//! What a resource's timestamps promise, over the reads of one resource the run created:
//! `created_at` never changes; `updated_at` is set once the resource was changed (a
//! successful `PUT` or `PATCH` of it answered before the read was sent), never goes back
//! between reads that did not overlap, and is not before `created_at`.
//!
//! Timestamps are compared as instants, whatever their form (`…Z`, `+00:00`, none, any
//! number of fraction digits); one that does not parse is the schema's business, not
//! this check's. Fields are found by their usual names (`created_at`/`createdAt`,
//! `updated_at`/`updatedAt`) at the top of the body or in the one object wrapping it.

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::Value;
use specwright_oracle::Operation;

use crate::checks::{Check, Finding};
use crate::context::{Context, lock};
use crate::exchange::{Case, Request, Response};

/// What the run has seen of one resource's timestamps.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    created: Option<String>,
    /// The latest `updated_at` read, and when that read's answer was in.
    updated: Option<(Instant, String)>,
    /// When the last successful change of the resource was answered.
    changed: Option<Instant>,
}

const CREATED: [&str; 2] = ["created_at", "createdAt"];
const UPDATED: [&str; 2] = ["updated_at", "updatedAt"];

/// Notes a change, or judges a read, of a resource the run created.
pub fn observe(ctx: &Context, op: &Operation, request: &Request, response: &Response) {
    if !(200..300).contains(&response.status) || !ctx.enabled(Check::Timestamps) {
        return;
    }
    let created = lock(&ctx.ledger.created).iter().any(|c| c.path == request.path);
    if !created {
        return;
    }
    match op.method {
        "put" | "patch" if sets_something(request) => {
            let mut seen = lock(&ctx.ledger.timestamps);
            let entry = seen.entry(request.path.clone()).or_default();
            entry.changed = Some(
                entry
                    .changed
                    .map_or(response.received_at(), |c| c.max(response.received_at())),
            );
        }
        "get" => {
            let Some(body) = response.body.as_ref().and_then(resource) else {
                return;
            };
            let problems = judge(&mut lock(&ctx.ledger.timestamps), &request.path, body, response);
            let f = Finding::check(
                Check::Timestamps,
                problems.is_empty(),
                "created_at fixed, updated_at set after a change and never going back",
                problems.join("; "),
            );
            let case = Case::new(op.display_name(), "timestamps across reads", request.clone());
            ctx.record(std::slice::from_ref(&f), &case);
        }
        _ => {}
    }
}

/// Whether a write's body sets some field (`{"volume": {}}` changes nothing, and a
/// server may rightly leave `updated_at` alone).
fn sets_something(request: &Request) -> bool {
    fn any_leaf(v: &Value) -> bool {
        match v {
            Value::Object(m) => m.values().any(any_leaf),
            _ => true,
        }
    }
    request
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
        .is_some_and(|v| any_leaf(&v))
}

/// The resource object of a body: the body, or the one object wrapping it.
fn resource(body: &Value) -> Option<&Value> {
    let map = body.as_object()?;
    if CREATED.iter().chain(&UPDATED).any(|k| map.contains_key(*k)) {
        return Some(body);
    }
    let objects: Vec<&Value> = map.values().filter(|v| v.is_object()).collect();
    match objects.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

fn field<'a>(v: &'a Value, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|n| v.get(*n))
}

/// Updates what was seen of `path` with this read; what it breaks.
fn judge(
    seen: &mut BTreeMap<String, Seen>,
    path: &str,
    resource: &Value,
    response: &Response,
) -> Vec<String> {
    let mut problems = Vec::new();
    let entry = seen.entry(path.to_string()).or_default();
    let created = field(resource, &CREATED).and_then(Value::as_str);
    if let Some(created) = created {
        match &entry.created {
            None => entry.created = Some(created.to_string()),
            Some(first) if !same_instant(first, created) => {
                problems.push(format!("created_at was {first}, now {created}"));
            }
            Some(_) => {}
        }
    }
    let updated = field(resource, &UPDATED);
    let changed_before = entry.changed.is_some_and(|c| c < response.sent_at);
    match updated.and_then(Value::as_str) {
        None if changed_before && updated.is_some() => {
            problems.push("updated_at is still null after the resource was changed".into());
        }
        None => {}
        Some(now) => {
            // By whole seconds: the two may come at different precisions from one moment.
            if let (Some(c), Some(u)) = (created.and_then(instant), instant(now)) {
                if u.0 < c.0 {
                    problems.push(format!("updated_at {now} is before created_at"));
                }
            }
            if let Some((answered, before)) = &entry.updated {
                let later_read = *answered < response.sent_at;
                if let (true, Some(b), Some(n)) = (later_read, instant(before), instant(now)) {
                    if n < b {
                        problems.push(format!("updated_at went back from {before} to {now}"));
                    }
                }
            }
            entry.updated = Some((response.received_at(), now.to_string()));
        }
    }
    problems
}

fn same_instant(a: &str, b: &str) -> bool {
    match (instant(a), instant(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// An RFC 3339-like timestamp as (seconds since the epoch, nanoseconds): a date, `T` or a
/// space, a time with any fraction, and `Z`, an offset or nothing (read as UTC).
pub fn instant(text: &str) -> Option<(i64, u32)> {
    let text = text.trim();
    let (date, rest) = text.split_at_checked(10)?;
    let mut d = date.split('-');
    let (year, month, day): (i64, u32, u32) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (clock, zone) = match rest.find(['Z', 'z', '+', '-']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut t = hms.split(':');
    let (h, m, s): (i64, i64, i64) = (
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
    );
    if !fraction.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 9 {
        return None;
    }
    let nanos: u32 = format!("{fraction:0<9}").parse().ok()?;
    let offset = match zone {
        "" | "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (oh, om) = z[1..].split_once(':')?;
            if oh.len() > 2 || om.len() > 2 {
                return None;
            }
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60)
        }
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Days from the civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + m * 60 + s - offset, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    #[test]
    fn instants_compare_whatever_their_form() {
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert!(same_instant("2026-12-06T16:52:16.000000", "2026-12-06T16:52:16Z"));
        assert!(same_instant(
            "2026-12-06T17:52:16.5+01:00",
            "2026-12-06T16:52:16.500Z"
        ));
        assert!(instant("2026-12-06T16:52:16.1") < instant("2026-12-06T16:52:16.2"));
        assert_eq!(instant("not a time"), None);
        assert_eq!(instant("2026-13-06T16:52:16"), None);
        assert_eq!(instant("2026-01-01T00:00:00+99999999999999999:00"), None);
    }

    #[test]
    fn created_at_stays_and_updated_at_follows_changes() {
        let mut seen = BTreeMap::new();
        let t0 = Instant::now();
        let read = |at: u64| Response {
            status: 200,
            headers: Vec::new(),
            content_type: None,
            body_text: String::new(),
            body: None,
            sent_at: t0 + Duration::from_millis(at),
            elapsed: Duration::from_millis(1),
        };
        let v = json!({"created_at": "2026-12-06T10:00:00", "updated_at": null});
        assert!(judge(&mut seen, "/v", &v, &read(0)).is_empty());
        if let Some(s) = seen.get_mut("/v") {
            s.changed = Some(t0 + Duration::from_millis(5));
        }
        assert_eq!(
            judge(&mut seen, "/v", &v, &read(10)),
            ["updated_at is still null after the resource was changed"]
        );
        let moved = json!({"created_at": "2026-12-06T09:00:00", "updated_at": "2026-12-06T10:00:05"});
        assert_eq!(
            judge(&mut seen, "/v", &moved, &read(20)),
            ["created_at was 2026-12-06T10:00:00, now 2026-12-06T09:00:00"]
        );
        let back = json!({"created_at": "2026-12-06T10:00:00", "updated_at": "2026-12-06T10:00:01"});
        assert_eq!(
            judge(&mut seen, "/v", &back, &read(30)),
            ["updated_at went back from 2026-12-06T10:00:05 to 2026-12-06T10:00:01"]
        );
    }
}
