//! `specwright review`: what a careful reader of a spec would question, as findings.
//!
//! Each rule reads the spec for one kind of doubt (an example its schema refuses, a
//! property typed one way here and another way there, a limit a description states and the
//! schema does not) and says where, by JSON pointer, with the `x-source` of the operation
//! the place belongs to. Severities say how sure a rule is: an **error** is certainly
//! wrong, a **warning** probably, a **note** is about completeness or style.
//!
//! Examples are judged by `specwright-oracle` (the same JSON Schema validator the contract
//! suite and the emulator use); colliding Rust names are the generator's own notes, so the
//! review never names a type differently from `generate`.

mod context;
mod examples;
pub mod explained;
pub mod format;
pub mod lines;
mod names;
mod oas_schema;
mod operations;
mod properties;
pub mod ruleset;
mod structure;
mod texts;
mod unions;

use std::borrow::Cow;

use serde::Serialize;

use context::Context;
use specwright_codegen::{Diagnostic, Error, Loaded};

/// How sure a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Certainly wrong: a client or a server following the spec will be misled.
    Error,
    /// Probably wrong: worth a look, and a reason where it stays.
    Warning,
    /// Completeness or style.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One doubt about a spec: how sure, which rule, where, from which source section, what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A built-in rule's name (one of [`RULES`]), or a ruleset's ([`ruleset`]).
    pub rule: Cow<'static, str>,
    /// JSON pointer into the spec.
    pub pointer: String,
    /// The `x-source` of the operation the place belongs to, where there is one.
    pub source: Option<String>,
    pub message: String,
}

/// A rule: its name (what `--rules` and REVIEW.md use), severity and promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub name: &'static str,
    pub severity: Severity,
    pub description: &'static str,
}

/// Every rule, in the order `--list-rules` prints them.
pub const RULES: &[Rule] = &[
    Rule {
        name: "oas-schema",
        severity: Severity::Error,
        description: "the document breaks the OpenAPI 3.0 JSON Schema (a missing or unknown field, a value of the wrong type)",
    },
    Rule {
        name: "example-schema",
        severity: Severity::Error,
        description: "an example fails the schema it illustrates",
    },
    Rule {
        name: "example-integer-string",
        severity: Severity::Error,
        description: "an example gives a string where the schema says integer or number",
    },
    Rule {
        name: "path-parameter-mismatch",
        severity: Severity::Error,
        description: "a `{name}` in a path template with no path parameter of that name, or a path parameter the template does not name",
    },
    Rule {
        name: "duplicate-key",
        severity: Severity::Error,
        description: "a mapping (or JSON object) holds one key twice; readers silently keep one",
    },
    Rule {
        name: "duplicate-operation-id",
        severity: Severity::Error,
        description: "two operations share one operationId",
    },
    Rule {
        name: "unresolved-ref",
        severity: Severity::Error,
        description: "a `$ref` that points at nothing in the document, or outside it",
    },
    Rule {
        name: "undeclared-security-scheme",
        severity: Severity::Error,
        description: "a security requirement names a scheme components/securitySchemes does not declare",
    },
    Rule {
        name: "unknown-type",
        severity: Severity::Error,
        description: "a schema's `type` is not one of OpenAPI 3.0's (array, boolean, integer, number, object, string)",
    },
    Rule {
        name: "enum-type-mismatch",
        severity: Severity::Error,
        description: "an `enum` value that is not of its schema's `type` (null without `nullable: true`)",
    },
    Rule {
        name: "ref-siblings",
        severity: Severity::Warning,
        description: "keys beside a `$ref`, which OpenAPI 3.0 ignores (a Path Item's excepted)",
    },
    Rule {
        name: "unused-component",
        severity: Severity::Warning,
        description: "a component that no path, operation or security requirement reaches",
    },
    Rule {
        name: "example-undocumented-field",
        severity: Severity::Warning,
        description: "an example holds a field no schema documents (or has no schema at all)",
    },
    Rule {
        name: "empty-value-excluded",
        severity: Severity::Warning,
        description: "an empty example, default or enum value that minLength, minItems or minProperties excludes",
    },
    Rule {
        name: "property-conflict",
        severity: Severity::Warning,
        description: "a property name typed or constrained differently in different schemas",
    },
    Rule {
        name: "near-duplicate-name",
        severity: Severity::Warning,
        description: "two property or parameter names spelled nearly the same (case, separators, a plural, one letter)",
    },
    Rule {
        name: "oneof-overlap",
        severity: Severity::Warning,
        description: "a value that fits one oneOf variant also fits another",
    },
    Rule {
        name: "description-constraint",
        severity: Severity::Warning,
        description: "a description states a length, range or list of values that the schema does not",
    },
    Rule {
        name: "status-without-schema",
        severity: Severity::Warning,
        description: "a documented status that should carry a body has no schema (not 204, 205, 304, 1xx, 3xx or HEAD)",
    },
    Rule {
        name: "duplicate-parameter",
        severity: Severity::Error,
        description: "a parameter declared twice in one parameter list (header names compared without case)",
    },
    Rule {
        name: "no-error-response",
        severity: Severity::Note,
        description: "an operation documents no 4xx, 5xx or default response",
    },
    Rule {
        name: "no-example",
        severity: Severity::Note,
        description: "an operation has no example of any parameter, request or response",
    },
    Rule {
        name: "rust-name-collision",
        severity: Severity::Note,
        description: "names that collide once made Rust, which the generator settles with a suffix",
    },
];

/// The rules whose errors leave a spec meaning something other than it says, so that no
/// client can be generated from it and no server judged against it: a path parameter the
/// template does not name, one operationId for two operations, a `$ref` to nothing, an
/// unknown `type`, a key given twice, a security scheme nobody declares. `generate` refuses
/// the first four; the contract suite refuses a spec with any of them and reports the
/// review's other errors as notes.
pub const UNUSABLE: &[&str] = &[
    "path-parameter-mismatch",
    "duplicate-operation-id",
    "unresolved-ref",
    "unknown-type",
    "duplicate-key",
    "undeclared-security-scheme",
];

impl Finding {
    /// Whether this finding makes the spec unusable (see [`UNUSABLE`]).
    pub fn is_unusable(&self) -> bool {
        self.severity == Severity::Error && UNUSABLE.contains(&self.rule.as_ref())
    }
}

/// The rule of this name.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

impl Finding {
    /// A finding of `rule` (one of [`RULES`]), with that rule's severity.
    pub fn new(rule_name: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            severity: rule(rule_name).map_or(Severity::Warning, |r| r.severity),
            rule: Cow::Borrowed(rule_name),
            pointer: pointer.into(),
            source: None,
            message: message.into(),
        }
    }
}

/// Reviews a spec given as YAML or JSON text; `origin` names it in errors. Findings come
/// sorted by pointer, then rule. A spec that cannot be read is an error, located as
/// `generate` locates it.
///
/// An OpenAPI 3.0 document the typed model refuses (a field of the wrong type, say) is
/// reviewed against the OpenAPI 3.0 JSON Schema alone: every violation rather than the
/// first. Where the JSON Schema finds nothing to say, the loader's error stands.
pub fn review(text: &str, origin: &str) -> Result<Vec<Finding>, Error> {
    review_with(text, origin, &ruleset::Ruleset::default())
}

/// [`review`], with a project's own rules beside the built-in ones.
pub fn review_with(text: &str, origin: &str, custom: &ruleset::Ruleset) -> Result<Vec<Finding>, Error> {
    let refused = match specwright_codegen::load_str(text, origin) {
        Ok(loaded) => {
            let mut out = review_lent(loaded, custom).0?;
            sort(&mut out);
            return Ok(out);
        }
        Err(refused) => refused,
    };
    let Ok(raw) = specwright_codegen::read_raw(text, origin) else {
        return Err(refused);
    };
    let mut out = Vec::new();
    oas_schema::run(&raw.value, &mut out);
    out.extend(given_twice(&raw.twice));
    out.extend(custom.run(&raw.value));
    drop_accepted(&raw.value, &mut out);
    if out.is_empty() {
        return Err(refused);
    }
    sort(&mut out);
    Ok(out)
}

/// A key given twice in one mapping (YAML) or object (JSON): parsers keep one of the two
/// without a word, so what the author wrote and what a tool reads differ. Spectral's parser
/// reports it; the loader notes each (`Loaded::twice`), and generation refuses the spec.
fn given_twice(pointers: &[String]) -> impl Iterator<Item = Finding> + '_ {
    pointers.iter().map(|pointer| {
        Finding::new(
            "duplicate-key",
            pointer,
            "this key is given twice in one mapping: readers keep only one of the two, without a word",
        )
    })
}

fn sort(out: &mut Vec<Finding>) {
    out.sort_by(|a, b| {
        (a.pointer.as_str(), &a.rule, a.message.as_str()).cmp(&(
            b.pointer.as_str(),
            &b.rule,
            b.message.as_str(),
        ))
    });
    out.dedup();
}

/// [`review`] of a spec already loaded.
pub fn review_loaded(loaded: &Loaded) -> Result<Vec<Finding>, Error> {
    review_lent(loaded.clone(), &ruleset::Ruleset::default()).0
}

/// [`review_loaded`] without a copy of the document (on a spec of 100k operations a copy
/// is a gigabyte): it is lent to the oracle and given back with the findings.
pub fn review_lending(loaded: Loaded) -> (Result<Vec<Finding>, Error>, Loaded) {
    review_lent(loaded, &ruleset::Ruleset::default())
}

/// Every rule, built-in and `custom`, on a loaded spec whose document the oracle borrows
/// by move and gives back.
fn review_lent(mut loaded: Loaded, custom: &ruleset::Ruleset) -> (Result<Vec<Finding>, Error>, Loaded) {
    let mut names = Vec::new();
    names::run(&loaded, &mut names);
    names.extend(given_twice(&loaded.twice));
    // The oracle reads 3.0 only and keeps a document it refuses: ask first. (A 3.1 or 2.0
    // document is 3.0 once loaded; this is for one claiming another version.)
    if !loaded.api.openapi.starts_with("3.0") {
        let refused = Error::Spec {
            origin: loaded.origin.clone(),
            diagnostics: vec![Diagnostic::new(
                "/openapi",
                format!("version {} is not 3.0.x", loaded.api.openapi),
            )],
        };
        return (Err(refused), loaded);
    }
    let raw = std::mem::take(&mut loaded.raw);
    let api = std::mem::take(&mut loaded.api);
    let spec = match oracle_spec(raw, api, &loaded.origin) {
        Ok(spec) => spec,
        Err(e) => return (Err(e), loaded),
    };
    let findings = review_spec(&spec, names, custom);
    (loaded.raw, loaded.api) = spec.into_document();
    (Ok(findings), loaded)
}

fn oracle_spec(
    raw: serde_json::Value,
    api: openapiv3::OpenAPI,
    origin: &str,
) -> Result<specwright_oracle::Spec, Error> {
    specwright_oracle::Spec::from_document(raw, api, origin).map_err(|e| Error::Spec {
        origin: origin.to_string(),
        diagnostics: vec![Diagnostic::new("", e.to_string())],
    })
}

/// Every rule on a spec; `names` are the generator's collision findings, made beforehand
/// from the loaded spec.
fn review_spec(
    spec: &specwright_oracle::Spec,
    mut names: Vec<Finding>,
    custom: &ruleset::Ruleset,
) -> Vec<Finding> {
    let raw = spec.raw();
    let cx = Context::new(spec);
    let mut out = Vec::new();
    examples::run(&cx, &mut out);
    properties::run(&cx, &mut out);
    unions::run(&cx, &mut out);
    texts::run(&cx, &mut out);
    operations::run(&cx, &mut out);
    out.append(&mut names);
    structure::run(&cx, &mut out);
    // Where a rule of its own explains a place (an unknown `type`), the JSON Schema's
    // verdict on it says less.
    let mut schema = Vec::new();
    oas_schema::run(raw, &mut schema);
    schema.retain(|f| {
        !out.iter()
            .any(|o| o.severity == Severity::Error && o.pointer == f.pointer)
    });
    out.extend(schema);
    out.extend(custom.run(raw));
    for f in &mut out {
        f.source = cx.source_of(&f.pointer);
    }
    drop_accepted(raw, &mut out);
    sort(&mut out);
    out
}

/// The extension with which a spec accepts findings in place: on any object, a list of
/// rule names (or `"*"`) whose findings at that object or below it are not reported, as
/// a linter's inline disable comment does.
pub const ACCEPT: &str = "x-review-accept";

/// Leaves out the findings the document accepts where they are (see [`ACCEPT`]).
fn drop_accepted(raw: &serde_json::Value, out: &mut Vec<Finding>) {
    out.retain(|f| {
        let at = f.pointer.as_str();
        let mut places: Vec<&str> = at.match_indices('/').map(|(i, _)| &at[..i]).collect();
        places.push(at);
        !places.iter().any(|place| {
            raw.pointer(place)
                .and_then(|node| node.get(ACCEPT))
                .and_then(serde_json::Value::as_array)
                .is_some_and(|rules| {
                    rules
                        .iter()
                        .filter_map(serde_json::Value::as_str)
                        .any(|r| r == "*" || r == f.rule.as_ref())
                })
        })
    });
}
