//! The named checks, and judging one response against the spec.

use evs_ims_oracle::{Operation, Spec};
use serde_json::Value;

use crate::exchange::Response;
use crate::generate::{merge_all_of, resolve};

/// A promise of the spec, checked by name; users select or skip them with `--checks`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// The status is one the operation documents.
    StatusDocumented,
    /// The body matches the schema documented for that status.
    ResponseSchema,
    /// A documented JSON body is labelled `application/json`.
    ContentType,
    /// No 5xx, whatever was sent.
    NoServerError,
    /// Input breaking one constraint is refused with a documented 4xx and error body.
    NegativeRejected,
    /// Valid input is accepted with a documented success status.
    PositiveAccepted,
    /// What was written reads back (create, update, metadata).
    LostData,
    /// A deleted resource reads as 404 afterwards.
    UseAfterDelete,
    /// Following `next` links visits every item once, with no duplicates or gaps.
    Pagination,
    /// An asynchronous job ends with its result (the image it produced).
    JobResult,
}

impl Check {
    pub const ALL: [Check; 10] = [
        Check::StatusDocumented,
        Check::ResponseSchema,
        Check::ContentType,
        Check::NoServerError,
        Check::NegativeRejected,
        Check::PositiveAccepted,
        Check::LostData,
        Check::UseAfterDelete,
        Check::Pagination,
        Check::JobResult,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Check::StatusDocumented => "status-documented",
            Check::ResponseSchema => "response-schema",
            Check::ContentType => "content-type",
            Check::NoServerError => "no-server-error",
            Check::NegativeRejected => "negative-rejected",
            Check::PositiveAccepted => "positive-accepted",
            Check::LostData => "lost-data",
            Check::UseAfterDelete => "use-after-delete",
            Check::Pagination => "pagination",
            Check::JobResult => "job-result",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Check::StatusDocumented => "the status is one the operation documents",
            Check::ResponseSchema => "the body matches the schema of its status",
            Check::ContentType => "documented JSON bodies are labelled application/json",
            Check::NoServerError => "no 5xx, whatever was sent",
            Check::NegativeRejected => "input breaking one constraint gets a documented 4xx",
            Check::PositiveAccepted => "valid input gets a documented success status",
            Check::LostData => "what was written reads back",
            Check::UseAfterDelete => "a deleted resource reads as 404",
            Check::Pagination => "next links walk every item once",
            Check::JobResult => "an async job ends with its result",
        }
    }
}

impl std::str::FromStr for Check {
    type Err = String;
    fn from_str(s: &str) -> Result<Check, String> {
        Check::ALL.iter().copied().find(|c| c.name() == s).ok_or_else(|| {
            format!(
                "unknown check {s:?}; known: {}",
                Check::ALL.map(Check::name).join(", ")
            )
        })
    }
}

/// What one check concluded about one exchange.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub check: Check,
    pub passed: bool,
    /// Undocumented extra fields and the like: reported, never failing the run.
    pub warning: bool,
    pub expected: String,
    pub actual: String,
}

impl Finding {
    pub fn pass(check: Check) -> Finding {
        Finding {
            check,
            passed: true,
            warning: false,
            expected: String::new(),
            actual: String::new(),
        }
    }

    pub fn fail(check: Check, expected: impl Into<String>, actual: impl Into<String>) -> Finding {
        Finding {
            check,
            passed: false,
            warning: false,
            expected: expected.into(),
            actual: actual.into(),
        }
    }

    pub fn warn(check: Check, expected: impl Into<String>, actual: impl Into<String>) -> Finding {
        Finding {
            check,
            passed: true,
            warning: true,
            expected: expected.into(),
            actual: actual.into(),
        }
    }
}

/// What the request was meant to provoke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Valid input: success expected (or a documented 4xx the input could not avoid).
    Positive { must_succeed: bool },
    /// One constraint broken: a documented 4xx expected.
    Negative,
}

/// Judges one response of `op` against the spec.
pub fn judge(spec: &Spec, op: &Operation, response: &Response, intent: Intent) -> Vec<Finding> {
    let mut findings = Vec::new();
    let status = response.status;
    let responses = op.responses(spec).unwrap_or_default();
    let documented = responses
        .iter()
        .find(|r| r.status == status.to_string())
        .or_else(|| {
            responses.iter().find(|r| {
                r.status.len() == 3
                    && r.status.ends_with("XX")
                    && r.status.starts_with(&(status / 100).to_string())
            })
        });
    let documented = documented.or_else(|| responses.iter().find(|r| r.status == "default"));

    findings.push(if status >= 500 {
        Finding::fail(
            Check::NoServerError,
            "a status below 500",
            format!("{status}: {}", excerpt(&response.body_text)),
        )
    } else {
        Finding::pass(Check::NoServerError)
    });
    let Some(documented) = documented else {
        let listed: Vec<&str> = responses.iter().map(|r| r.status).collect();
        findings.push(Finding::fail(
            Check::StatusDocumented,
            format!("one of {}", listed.join(", ")),
            status.to_string(),
        ));
        return findings;
    };
    findings.push(Finding::pass(Check::StatusDocumented));

    match intent {
        Intent::Negative => findings.push(if (400..500).contains(&status) {
            Finding::pass(Check::NegativeRejected)
        } else {
            Finding::fail(
                Check::NegativeRejected,
                "a documented 4xx refusing the input",
                status.to_string(),
            )
        }),
        Intent::Positive { must_succeed: true } => findings.push(if (200..400).contains(&status) {
            Finding::pass(Check::PositiveAccepted)
        } else {
            Finding::fail(
                Check::PositiveAccepted,
                "a documented 2xx",
                format!("{status}: {}", excerpt(&response.body_text)),
            )
        }),
        Intent::Positive { must_succeed: false } => {}
    }

    let json_media = documented
        .content
        .iter()
        .find(|m| m.content_type.contains("json"));
    // `x-body-optional`: the spec says this status may come without a body.
    let may_be_empty = documented.value.get("x-body-optional").and_then(Value::as_bool) == Some(true);
    let json_media = json_media.filter(|_| !(may_be_empty && response.body_text.trim().is_empty()));
    if let Some(media) = json_media {
        let ct = response.content_type.clone().unwrap_or_default();
        findings.push(if ct.to_ascii_lowercase().contains("json") {
            Finding::pass(Check::ContentType)
        } else {
            Finding::fail(
                Check::ContentType,
                media.content_type.to_string(),
                if ct.is_empty() { "(none)".into() } else { ct },
            )
        });
        if let Some(schema) = &media.schema_pointer {
            match &response.body {
                None => findings.push(Finding::fail(
                    Check::ResponseSchema,
                    "a JSON body",
                    format!("not JSON: {}", excerpt(&response.body_text)),
                )),
                Some(body) => match spec.validate(schema, body) {
                    Ok(v) if v.is_empty() => {
                        findings.push(Finding::pass(Check::ResponseSchema));
                        if let Some(schema_value) = spec.raw().pointer(schema) {
                            for extra in undocumented_fields(spec.raw(), schema_value, body, "", 0) {
                                findings.push(Finding::warn(
                                    Check::ResponseSchema,
                                    "only documented fields",
                                    format!("undocumented field {extra}"),
                                ));
                            }
                        }
                    }
                    Ok(violations) => {
                        let first: Vec<String> = violations.iter().take(3).map(ToString::to_string).collect();
                        findings.push(Finding::fail(
                            Check::ResponseSchema,
                            format!("a body matching {schema}"),
                            first.join("; "),
                        ));
                    }
                    Err(e) => findings.push(Finding::fail(
                        Check::ResponseSchema,
                        "a compilable schema",
                        e.to_string(),
                    )),
                },
            }
        }
    }
    findings
}

fn excerpt(text: &str) -> String {
    let mut end = text.len().min(200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// Fields present in `value` that the schema's `properties` do not list (where the schema
/// does not allow arbitrary extra fields).
pub fn undocumented_fields(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    depth: usize,
) -> Vec<String> {
    if depth > 8 {
        return Vec::new();
    }
    let schema = resolve(doc, schema);
    let schema = match schema.get("allOf").and_then(Value::as_array) {
        Some(members) => merge_all_of(doc, members),
        None => schema.clone(),
    };
    if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let open = schema
                .get("additionalProperties")
                .is_some_and(|a| a != &Value::Bool(false));
            for (k, v) in map {
                match props.and_then(|p| p.get(k)) {
                    Some(prop) => {
                        out.extend(undocumented_fields(doc, prop, v, &format!("{at}/{k}"), depth + 1))
                    }
                    None if !open && props.is_some() => out.push(format!("{at}/{k}")),
                    None => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate().take(3) {
                    out.extend(undocumented_fields(
                        doc,
                        item_schema,
                        item,
                        &format!("{at}/{i}"),
                        depth + 1,
                    ));
                }
            }
        }
        _ => {}
    }
    out
}
