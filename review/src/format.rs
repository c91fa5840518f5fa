//! Findings as text for a terminal, Markdown, JSON, and SARIF 2.1.0 for code-review tools.

use serde_json::{Value, json};

use super::ruleset::CustomRule;
use super::{Finding, RULES, Severity};

/// The findings of one spec file.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The spec as given on the command line: the artifact's URI in SARIF.
    pub file: &'a str,
    pub findings: &'a [Finding],
    /// The spec's text, if text and SARIF are to give each finding its line and column (see
    /// [`super::lines`]).
    pub text: Option<&'a str>,
}

/// How many findings of each severity: errors, warnings, notes.
fn counts(reports: &[Report]) -> (usize, usize, usize) {
    let all = || reports.iter().flat_map(|r| r.findings.iter());
    let n = |s: Severity| all().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Note))
}

fn at(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// One finding per line group: `severity[rule] file:line:col pointer (x-source)` (the
/// place where the text is given: the pointer's, or inside flow style the nearest enclosing
/// node's; else `file pointer`), then the message indented; a closing count.
pub fn text(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        let lines = r.text.map(super::lines::Lines::new);
        for f in r.findings {
            let place = match lines.as_ref().and_then(|l| l.nearest_position(&f.pointer)) {
                Some((line, column)) => format!("{}:{line}:{column}", r.file),
                None => r.file.to_string(),
            };
            out.push_str(&format!("{}[{}] {place} {}", f.severity, f.rule, at(&f.pointer)));
            if let Some(source) = &f.source {
                out.push_str(&format!(" ({source})"));
            }
            out.push_str(&format!("\n    {}\n", f.message));
        }
    }
    let (e, w, n) = counts(reports);
    out.push_str(&format!(
        "{} finding(s): {e} error(s), {w} warning(s), {n} note(s) in {} spec(s)\n",
        e + w + n,
        reports.len()
    ));
    out
}

/// A table per spec, for a CI summary or a review comment.
pub fn markdown(reports: &[Report]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    for r in reports {
        out.push_str(&format!("### `{}`: {} finding(s)\n\n", r.file, r.findings.len()));
        if r.findings.is_empty() {
            continue;
        }
        out.push_str("| severity | rule | pointer | source | message |\n|---|---|---|---|---|\n");
        for f in r.findings {
            out.push_str(&format!(
                "| {} | `{}` | `{}` | {} | {} |\n",
                f.severity,
                f.rule,
                cell(at(&f.pointer)),
                cell(f.source.as_deref().unwrap_or("")),
                cell(&f.message)
            ));
        }
        out.push('\n');
    }
    let (e, w, n) = counts(reports);
    out.push_str(&format!("{e} error(s), {w} warning(s), {n} note(s).\n"));
    out
}

/// `[{"file": ..., "findings": [Finding, ...]}, ...]`, each finding with the `line` and
/// `column` of its place where the text is given (as [`text`] finds them).
pub fn json(reports: &[Report]) -> String {
    let value: Vec<Value> = reports
        .iter()
        .map(|r| {
            let lines = r.text.map(super::lines::Lines::new);
            let findings: Vec<Value> = r
                .findings
                .iter()
                .map(|f| {
                    let mut v = serde_json::to_value(f).unwrap_or_default();
                    if let Some((line, column)) = lines.as_ref().and_then(|l| l.nearest_position(&f.pointer))
                    {
                        v["line"] = json!(line);
                        v["column"] = json!(column);
                    }
                    v
                })
                .collect();
            json!({"file": r.file, "findings": findings})
        })
        .collect();
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// SARIF 2.1.0: one run, the rules in `tool.driver.rules`, each finding a result located
/// by the spec's path (and line and column, where the text is given: the pointer's, or
/// inside flow style the nearest enclosing node's) and, as a logical location, its JSON
/// pointer.
pub fn sarif(reports: &[Report]) -> String {
    sarif_with(reports, &[])
}

/// [`sarif`], with a ruleset's rules listed after the built-in ones.
pub fn sarif_with(reports: &[Report], custom: &[CustomRule]) -> String {
    let described = RULES.iter().map(|r| (r.name, r.description, r.severity)).chain(
        custom
            .iter()
            .map(|r| (r.name.as_str(), r.description.as_str(), r.severity)),
    );
    let ids: Vec<&str> = described.clone().map(|(id, _, _)| id).collect();
    let rules: Vec<Value> = described
        .map(|(id, description, severity)| {
            json!({
                "id": id,
                "shortDescription": {"text": description},
                "defaultConfiguration": {"level": severity.as_str()},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        let lines = r.text.map(super::lines::Lines::new);
        for f in r.findings {
            let mut message = f.message.clone();
            if let Some(source) = &f.source {
                message.push_str(&format!(" (x-source: {source})"));
            }
            let mut physical = json!({"artifactLocation": {"uri": r.file}});
            if let Some((line, column)) = lines.as_ref().and_then(|l| l.nearest_position(&f.pointer)) {
                physical["region"] = json!({"startLine": line, "startColumn": column});
            }
            results.push(json!({
                "ruleId": f.rule,
                "ruleIndex": ids.iter().position(|id| *id == f.rule),
                "level": f.severity.as_str(),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{"name": at(&f.pointer), "kind": "member"}],
                }],
            }));
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "specwright review",
                "informationUri": "https://github.com/evs-ims/evs-ims",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}
