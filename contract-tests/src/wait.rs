//! The one way the suite waits for a resource: only while it is in a documented
//! transitional status, and never past `--settle` or `--max-time`.
//!
//! A resource that rests in a status the wait does not want (`error`, a status the spec
//! does not list, a deleted resource that still reads `available`) ends the wait at once
//! with that status, so the caller can fail the check that names it.

use std::time::{Duration, Instant};

use serde_json::Value;
use specwright_oracle::Spec;

use crate::context::Context;
use crate::exchange::Response;
use crate::generate::resolve;

/// What one poll saw.
#[derive(Clone, Debug, PartialEq)]
pub enum Seen {
    Status(String),
    /// 404: the resource is not there.
    Gone,
    /// Something else: another status code, no answer, no status field.
    Unreadable(String),
}

/// What a wait is for.
#[derive(Clone, Copy, Debug)]
pub enum Want<'a> {
    /// One of these statuses.
    Status(&'a [&'a str]),
    /// Gone (404).
    Gone,
    /// Any status that is not transitional (before a delete, say).
    Settled,
}

/// How a wait ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Reached(String),
    Gone,
    /// Resting in a status that is not wanted and not transitional.
    Stuck(String),
    Unreadable(String),
    /// Still transitional when the time ran out.
    TimedOut(String),
}

impl Outcome {
    pub fn describe(&self) -> String {
        match self {
            Outcome::Reached(s) => format!("status {s}"),
            Outcome::Gone => "404".into(),
            Outcome::Stuck(s) => format!("resting in status {s}, which is not transitional"),
            Outcome::Unreadable(s) => s.clone(),
            Outcome::TimedOut(s) => format!("still {s} after the settle time"),
        }
    }
}

/// Transitional statuses: `x-transitional` on the status schema where the spec has it;
/// otherwise the usual words for a status in progress. Less the status one resource is
/// held in by the run's own requests ([`crate::holds`]).
#[derive(Clone, Debug, Default)]
pub struct Transitional {
    listed: Option<Vec<String>>,
    held: Option<String>,
    /// `x-leave-status`: for a status a resource rests in until asked to leave it, the
    /// request body that asks.
    pub leave: serde_json::Map<String, Value>,
}

impl Transitional {
    fn listed(list: Option<Vec<String>>) -> Transitional {
        Transitional {
            listed: list,
            ..Transitional::default()
        }
    }

    /// For the resource at `path`: a status a request of the run holds it in is where it
    /// rests, not one it leaves by itself.
    pub fn held(self, ctx: &Context, path: &str) -> Transitional {
        Transitional {
            held: crate::holds::held(ctx, path),
            ..self
        }
    }

    pub fn contains(&self, status: &str) -> bool {
        if self.held.as_deref() == Some(status) {
            return false;
        }
        match &self.listed {
            Some(list) => list.iter().any(|s| s == status),
            None => {
                let s = status.to_ascii_lowercase();
                s.ends_with("ing")
                    || matches!(s.as_str(), "init" | "pending" | "queued" | "in_progress" | "new")
            }
        }
    }

    /// From the schema of a resource's read response (`{volume: {status}}` or `{status}`).
    pub fn of_response(spec: &Spec, schema: &Value) -> Transitional {
        let doc = spec.raw();
        let schema = resolve(doc, schema);
        let mut candidates = vec![schema];
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            candidates.extend(props.values().map(|p| resolve(doc, p)));
        }
        for c in candidates {
            if let Some(status) = c.get("properties").and_then(|p| p.get("status")) {
                let status = resolve(doc, status);
                if let Some(list) = status.get("x-transitional").and_then(Value::as_array) {
                    let mut t = Transitional::listed(Some(
                        list.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect(),
                    ));
                    if let Some(leave) = status.get("x-leave-status").and_then(Value::as_object) {
                        t.leave = leave.clone();
                    }
                    return t;
                }
            }
        }
        Transitional::listed(None)
    }

    /// For the item read at `template` (GET, its 200 schema).
    pub fn of(ctx: &Context, template: &str) -> Transitional {
        let Some((spec, op)) = ctx.find("get", template) else {
            return Transitional::listed(None);
        };
        let schema = op.responses(spec).unwrap_or_default().into_iter().find_map(|r| {
            if !r.status.starts_with('2') {
                return None;
            }
            r.content
                .iter()
                .find_map(|m| m.schema_pointer.clone())
                .and_then(|p| spec.raw().pointer(&p).cloned())
        });
        schema.map_or(Transitional::listed(None), |s| {
            Transitional::of_response(spec, &s)
        })
    }
}

/// The `status` of a resource in a response body: at the top, or in its one wrapper
/// object (`{"volume": {"status": ...}}`).
pub fn status_of(response: &Response) -> Seen {
    if response.status == 404 {
        return Seen::Gone;
    }
    if !(200..300).contains(&response.status) {
        return Seen::Unreadable(format!(
            "{}: {}",
            response.status,
            crate::judge::excerpt(&response.body_text)
        ));
    }
    let body = response.body.as_ref();
    let top = body.and_then(|b| b.get("status")).and_then(Value::as_str);
    let inner = body
        .and_then(Value::as_object)
        .and_then(|m| m.values().find_map(|v| v.get("status").and_then(Value::as_str)));
    match top.or(inner) {
        Some(s) => Seen::Status(s.to_string()),
        None => Seen::Unreadable("no status in the body".into()),
    }
}

/// Polls until the resource is as wanted, leaves its transitional statuses, or the time
/// (`--settle`, and what is left of `--max-time`) runs out. `kind` names the resource
/// kind (its path template): once one resource of a kind has used up the settle time,
/// the others get a second each, so a server that never settles costs one settle time.
pub fn until(
    ctx: &Context,
    kind: &str,
    transitional: &Transitional,
    want: Want,
    poll: impl FnMut() -> Seen,
) -> Outcome {
    until_from(ctx, kind, transitional, want, Instant::now(), poll)
}

/// [`until`], with the time counted from `since` (when the request that set the resource
/// moving was answered): resources set moving together are waited for together. One poll
/// is made whatever the time left.
pub fn until_from(
    ctx: &Context,
    kind: &str,
    transitional: &Transitional,
    want: Want,
    since: Instant,
    mut poll: impl FnMut() -> Seen,
) -> Outcome {
    let settle = if ctx.ledger.never_settles(kind) {
        Duration::from_secs(1)
    } else {
        ctx.settings.settle
    };
    let budget = settle.min(ctx.remaining().max(Duration::from_secs(1)));
    let deadline = since + budget.min(Duration::from_secs(365 * 86_400));
    let mut pause = Duration::from_millis(20);
    loop {
        let seen = poll();
        let outcome = match (&seen, want) {
            (Seen::Gone, Want::Gone) => return Outcome::Gone,
            (Seen::Gone, _) => return Outcome::Gone,
            (Seen::Status(s), Want::Status(wanted)) if wanted.contains(&s.as_str()) => {
                return Outcome::Reached(s.clone());
            }
            (Seen::Status(s), Want::Settled) if !transitional.contains(s) => {
                return Outcome::Reached(s.clone());
            }
            (Seen::Status(s), _) if !transitional.contains(s) => return Outcome::Stuck(s.clone()),
            (Seen::Status(s), _) => Outcome::TimedOut(s.clone()),
            (Seen::Unreadable(e), _) => return Outcome::Unreadable(e.clone()),
        };
        if Instant::now() >= deadline || ctx.stopped() {
            if matches!(outcome, Outcome::TimedOut(_)) {
                ctx.ledger.mark_never_settles(kind);
            }
            return outcome;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_secs(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_list_words_in_progress_are_transitional() {
        let t = Transitional::default();
        assert!(t.contains("creating") && t.contains("RUNNING") && t.contains("INIT"));
        assert!(!t.contains("available") && !t.contains("ready") && !t.contains("SUCCESS"));
        let listed = Transitional::listed(Some(vec!["creating".into(), "attaching".into()]));
        assert!(listed.contains("creating") && !listed.contains("restoring"));
        let held = Transitional {
            held: Some("attaching".into()),
            ..listed
        };
        assert!(held.contains("creating") && !held.contains("attaching"));
    }
}
