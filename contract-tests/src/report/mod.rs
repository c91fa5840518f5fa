//! What a run found: counts per operation and check, failures with their reproduction,
//! and the summary table, JSON and JUnit renderings.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{Value, json};

use crate::checks::{Check, Finding};
use crate::exchange::Case;
use crate::secrets::{Redactor, visible};

mod html;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: u32,
    pub failed: u32,
    pub warnings: u32,
}

/// One failed check, minimal after shrinking, with what reproduces it.
#[derive(Clone, Debug)]
pub struct Failure {
    pub check: Check,
    pub expected: String,
    pub actual: String,
    /// The request that failed, its operation and what kind of case it was.
    pub case: Case,
    /// A `curl` command replaying the request; credentials come from `$OS_TOKEN`.
    pub curl: String,
    pub seed: u64,
    /// A recommendation broken, not a promise: fails the run only under `--strict`.
    pub warning: bool,
}

impl Failure {
    pub fn severity(&self) -> &'static str {
        if self.warning { "warning" } else { "error" }
    }
}

#[derive(Clone, Debug)]
pub struct Report {
    pub seed: u64,
    pub base_url: String,
    pub tallies: BTreeMap<String, BTreeMap<Check, Tally>>,
    pub failures: Vec<Failure>,
    pub warnings: Vec<String>,
    pub skipped: Vec<(String, String)>,
    /// Resources the run created but could not delete.
    pub leftovers: Vec<String>,
    /// Creates that were accepted but whose answers named no id: left behind, unknown;
    /// one line per request target, with how many were made there.
    pub unfound: Vec<String>,
    /// How many creates each line of `unfound` stands for.
    unfound_counts: BTreeMap<String, usize>,
    /// Why the run stopped before checking everything (`--max-time`, Ctrl-C, the server
    /// went away).
    pub incomplete: Option<String>,
    pub requests: u64,
    /// 429 answers waited out and sent again.
    pub throttled: u64,
    pub elapsed: Duration,
    /// Warnings fail the run too (`--strict`).
    pub strict: bool,
    /// Every secret of the run, taken out of everything the report renders.
    pub redactor: Redactor,
}

impl Report {
    pub fn new(seed: u64, base_url: &str) -> Report {
        Report {
            seed,
            base_url: base_url.to_string(),
            tallies: BTreeMap::new(),
            failures: Vec::new(),
            warnings: Vec::new(),
            skipped: Vec::new(),
            leftovers: Vec::new(),
            unfound: Vec::new(),
            unfound_counts: BTreeMap::new(),
            incomplete: None,
            requests: 0,
            throttled: 0,
            elapsed: Duration::ZERO,
            strict: false,
            redactor: Redactor::default(),
        }
    }

    pub fn record(&mut self, operation: &str, finding: &Finding) {
        let tally = self
            .tallies
            .entry(operation.to_string())
            .or_default()
            .entry(finding.check)
            .or_default();
        if finding.warning {
            tally.warnings += 1;
            // A failed recommendation is listed with its reproduction, among the failures.
            let line = format!("{operation}: {}", finding.actual);
            if finding.passed && !self.warnings.contains(&line) {
                self.warnings.push(line);
            }
        } else if finding.passed {
            tally.passed += 1;
        } else {
            tally.failed += 1;
        }
    }

    pub fn skip(&mut self, operation: &str, why: &str) {
        self.skipped.push((operation.to_string(), why.to_string()));
    }

    /// No check failed, nothing was left behind, and the run checked everything; under
    /// `--strict`, no warning either.
    pub fn passed(&self) -> bool {
        self.failures.iter().all(|f| f.warning)
            && self.incomplete.is_none()
            && self.tallies.values().all(|c| c.values().all(|t| t.failed == 0))
            && self.leftovers.is_empty()
            && self.unfound.is_empty()
            && !(self.strict && self.tallies.values().any(|c| c.values().any(|t| t.warnings > 0)))
    }

    /// Counts one more accepted create at `target` (`POST /pools`) whose answer named no id.
    pub fn left_unfound(&mut self, target: &str) {
        let count = self.unfound_counts.entry(target.to_string()).or_default();
        *count += 1;
        let line = format!(
            "{target}: {count} created, and {} no id to delete {} by (a link, an id field or Location)",
            if *count == 1 {
                "its answer names"
            } else {
                "their answers name"
            },
            if *count == 1 { "it" } else { "them" },
        );
        let prefix = format!("{target}: ");
        match self.unfound.iter().position(|u| u.starts_with(&prefix)) {
            Some(i) => self.unfound[i] = line,
            None => self.unfound.push(line),
        }
    }

    /// The checks that failed at least once.
    pub fn failed_checks(&self) -> Vec<Check> {
        let mut out: Vec<Check> = self.failures.iter().map(|f| f.check).collect();
        for checks in self.tallies.values() {
            out.extend(checks.iter().filter(|(_, t)| t.failed > 0).map(|(c, _)| *c));
        }
        out.sort();
        out.dedup();
        out
    }

    /// Per operation and check, what passed, failed and warned: the long table
    /// (`--table`).
    pub fn table(&self) -> String {
        let mut out = String::new();
        let width = self.tallies.keys().map(String::len).max().unwrap_or(9).max(9);
        let _ = writeln!(
            out,
            "{:<width$}  {:<18} {:>6} {:>6} {:>6}",
            "operation", "check", "pass", "fail", "warn"
        );
        for (op, checks) in &self.tallies {
            for (check, t) in checks {
                let mark = if t.failed > 0 { "✗" } else { " " };
                let _ = writeln!(
                    out,
                    "{op:<width$}  {:<18} {:>6} {:>6} {:>6} {mark}",
                    check.name(),
                    t.passed,
                    t.failed,
                    t.warnings
                );
            }
        }
        for (op, why) in &self.skipped {
            let _ = writeln!(out, "{op:<width$}  skipped: {why}");
        }
        self.clean(&out, true)
    }

    /// Per check, the cases over all operations.
    fn per_check(&self) -> BTreeMap<Check, Tally> {
        let mut per_check: BTreeMap<Check, Tally> = BTreeMap::new();
        for checks in self.tallies.values() {
            for (check, t) in checks {
                let sum = per_check.entry(*check).or_default();
                sum.passed += t.passed;
                sum.failed += t.failed;
                sum.warnings += t.warnings;
            }
        }
        per_check
    }

    /// Failures grouped by operation, check and what was expected: each group once, with
    /// how many cases it holds and its first (shrunk) reproduction.
    pub fn groups(&self) -> Vec<(&Failure, usize)> {
        let mut groups: Vec<(&Failure, usize)> = Vec::new();
        for f in &self.failures {
            let same = |g: &&mut (&Failure, usize)| {
                g.0.case.operation == f.case.operation && g.0.check == f.check && g.0.expected == f.expected
            };
            match groups.iter_mut().find(same) {
                Some(group) => group.1 += 1,
                None => groups.push((f, 1)),
            }
        }
        groups
    }

    /// The groups of [`Report::groups`] that share one cause (the same check, expectation
    /// and answer) across operations, merged: the first group's failure, how many failures
    /// all of them hold, and the other operations. One server-wide habit (errors labelled
    /// `application/problem+json`) is one entry, not one per operation.
    pub fn causes(&self) -> Vec<(&Failure, usize, Vec<&str>)> {
        let mut causes: Vec<(&Failure, usize, Vec<&str>)> = Vec::new();
        for (f, count) in self.groups() {
            let same = |c: &&mut (&Failure, usize, Vec<&str>)| {
                c.0.check == f.check
                    && c.0.warning == f.warning
                    && c.0.expected == f.expected
                    && c.0.actual == f.actual
            };
            match causes.iter_mut().find(same) {
                Some(cause) => {
                    cause.1 += count;
                    if cause.0.case.operation != f.case.operation
                        && !cause.2.contains(&f.case.operation.as_str())
                    {
                        cause.2.push(&f.case.operation);
                    }
                }
                None => causes.push((f, count, Vec::new())),
            }
        }
        causes
    }

    /// What a run prints at its end: per check, how many cases passed and failed over all
    /// operations; each group of failures with one reproduction; what was skipped, left
    /// behind or not reached. Server text is shown with its control characters made
    /// visible, and without any secret of the run.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let per_check = self.per_check();
        let _ = writeln!(
            out,
            "{:<20} {:>7} {:>7} {:>7}   ({} operations; --table for each)",
            "check",
            "pass",
            "fail",
            "warn",
            self.tallies.len()
        );
        for (check, t) in &per_check {
            let mark = if t.failed > 0 { "✗" } else { " " };
            let _ = writeln!(
                out,
                "{:<20} {:>7} {:>7} {:>7} {mark}",
                check.name(),
                t.passed,
                t.failed,
                t.warnings
            );
        }
        if !self.skipped.is_empty() {
            let mut reasons: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (op, why) in &self.skipped {
                reasons.entry(why.as_str()).or_default().push(op.as_str());
            }
            let _ = writeln!(out, "\nskipped:");
            for (why, ops) in reasons {
                let shown: Vec<&str> = ops.iter().take(6).copied().collect();
                let more = if ops.len() > 6 {
                    format!(" and {} more", ops.len() - 6)
                } else {
                    String::new()
                };
                let _ = writeln!(out, "  - {why}: {}{more}", shown.join(", "));
            }
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(out, "\nwarnings ({}):", self.warnings.len());
            for w in self.warnings.iter().take(20) {
                let _ = writeln!(out, "  - {}", visible(w, false));
            }
        }
        let mut counted = std::collections::BTreeSet::new();
        for (i, (f, count, others)) in self.causes().into_iter().enumerate() {
            // How many cases of the operation failed the check, said once, at its first group.
            let cases = self
                .tallies
                .get(&f.case.operation)
                .and_then(|c| c.get(&f.check))
                .map_or(0, |t| if f.warning { t.warnings } else { t.failed });
            let first = counted.insert((f.case.operation.clone(), f.check));
            let line = |s: &str| visible(s, false).into_owned();
            let _ = writeln!(
                out,
                "\n{} {}: {} / {} ({})",
                if f.warning { "WARNING" } else { "FAILURE" },
                i + 1,
                line(&f.case.operation),
                f.check.name(),
                line(&f.case.label)
            );
            if count > 1 {
                let _ = writeln!(out, "  this group: {count} failures like this one");
            }
            if !others.is_empty() {
                let shown: Vec<String> = others.iter().take(8).map(|o| line(o)).collect();
                let more = others.len().saturating_sub(shown.len());
                let _ = writeln!(
                    out,
                    "  the same in {} other operation(s): {}{}",
                    others.len(),
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
            if first && others.is_empty() && cases as usize > count {
                let _ = writeln!(
                    out,
                    "  in all:   {cases} cases of {} failed {}",
                    line(&f.case.operation),
                    f.check.name()
                );
            }
            let _ = writeln!(out, "  expected: {}", line(&f.expected));
            let _ = writeln!(out, "  actual:   {}", line(&f.actual));
            let _ = writeln!(out, "  reproduce: {}", line(&f.curl));
            let _ = writeln!(out, "  replay the run: --seed {}", f.seed);
        }
        if !self.leftovers.is_empty() {
            let _ = writeln!(out, "\nNOT CLEANED UP: {}", self.leftovers.join(", "));
        }
        if !self.unfound.is_empty() {
            let total: usize = self.unfound_counts.values().sum();
            let _ = writeln!(out, "\nLEFT BEHIND, ID UNKNOWN ({total}):");
            for u in self.unfound.iter().take(10) {
                let _ = writeln!(out, "  - {u}");
            }
        }
        if let Some(why) = &self.incomplete {
            let _ = writeln!(out, "\nINCOMPLETE: {why}");
        }
        let (passed, failed) = self.totals();
        let throttled = if self.throttled > 0 {
            format!(", {} answers of 429 waited out", self.throttled)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "\n{} requests in {:.1}s against {} (seed {}){throttled}\n{passed} passed, {failed} failed",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.base_url,
            self.seed
        );
        self.clean(&out, true)
    }

    /// Text of the run as it may be shown: secrets out, control characters visible.
    fn clean(&self, text: &str, lines: bool) -> String {
        visible(&self.redactor.redact(text), lines).into_owned()
    }

    fn totals(&self) -> (u32, u32) {
        let mut passed = 0;
        let mut failed = 0;
        for t in self.tallies.values().flat_map(|c| c.values()) {
            passed += t.passed;
            failed += t.failed;
        }
        let errors = self.failures.iter().filter(|f| !f.warning).count() as u32;
        (passed, failed.max(errors))
    }

    pub fn to_json(&self) -> Value {
        let mut value = self.json_unredacted();
        self.redactor.redact_value(&mut value);
        value
    }

    fn json_unredacted(&self) -> Value {
        json!({
            "seed": self.seed,
            "base_url": self.base_url,
            "passed": self.passed(),
            "requests": self.requests,
            "throttled": self.throttled,
            "strict": self.strict,
            "elapsed_seconds": self.elapsed.as_secs_f64(),
            "results": self.tallies.iter().map(|(op, checks)| {
                let per_check: serde_json::Map<String, Value> = checks
                    .iter()
                    .map(|(c, t)| (c.name().to_string(), json!({"passed": t.passed, "failed": t.failed, "warnings": t.warnings})))
                    .collect();
                (op.clone(), Value::Object(per_check))
            }).collect::<serde_json::Map<String, Value>>(),
            "failures": self.failures.iter().map(|f| json!({
                "operation": f.case.operation, "check": f.check.name(), "severity": f.severity(), "case": f.case.label,
                "expected": f.expected, "actual": f.actual, "curl": f.curl, "seed": f.seed,
                "request": {"method": f.case.request.method, "path": f.case.request.path, "query": f.case.request.query, "body": f.case.request.body},
            })).collect::<Vec<_>>(),
            "incomplete": self.incomplete,
            "warnings": self.warnings,
            "skipped": self.skipped.iter().map(|(o, w)| json!({"operation": o, "why": w})).collect::<Vec<_>>(),
            "leftovers": self.leftovers,
            "unfound": self.unfound,
        })
    }

    /// JUnit XML: one test suite per operation, one test case per check; well-formed
    /// whatever the server sent (control characters are shown as `\u{..}`).
    pub fn to_junit(&self) -> String {
        self.redactor.redact(&self.junit_unredacted()).into_owned()
    }

    fn junit_unredacted(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        // Counted in test cases (an operation's check), as JUnit readers count them.
        let failed: usize = self
            .tallies
            .values()
            .map(|checks| checks.values().filter(|t| t.failed > 0).count())
            .sum();
        let total: usize = self.tallies.values().map(BTreeMap::len).sum();
        let _ = writeln!(
            out,
            "<testsuites name=\"contract-tests\" tests=\"{total}\" failures=\"{failed}\" time=\"{:.3}\">",
            self.elapsed.as_secs_f64()
        );
        for (op, checks) in &self.tallies {
            let failures = checks.values().filter(|t| t.failed > 0).count();
            let _ = writeln!(
                out,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">",
                xml(op),
                checks.len()
            );
            for (check, t) in checks {
                let _ = write!(
                    out,
                    "    <testcase classname=\"{}\" name=\"{}\"",
                    xml(op),
                    check.name()
                );
                let failed = self
                    .failures
                    .iter()
                    .any(|f| &f.case.operation == op && f.check == *check && !f.warning);
                if t.failed == 0 && !failed && !(self.strict && t.warnings > 0) {
                    let _ = writeln!(out, "/>");
                    continue;
                }
                let _ = writeln!(out, ">");
                for f in self
                    .failures
                    .iter()
                    .filter(|f| &f.case.operation == op && f.check == *check && (self.strict || !f.warning))
                {
                    let _ = writeln!(
                        out,
                        "      <failure message=\"expected {}, got {}\">{}</failure>",
                        xml(&f.expected),
                        xml(&f.actual),
                        xml(&format!("{}\n--seed {}", f.curl, f.seed))
                    );
                }
                if !self
                    .failures
                    .iter()
                    .any(|f| &f.case.operation == op && f.check == *check)
                {
                    let _ = writeln!(out, "      <failure message=\"{} case(s) failed\"/>", t.failed);
                }
                let _ = writeln!(out, "    </testcase>");
            }
            let _ = writeln!(out, "  </testsuite>");
        }
        out.push_str("</testsuites>\n");
        out
    }
}

/// Text as XML character data or an attribute value: escaped, and with the characters XML
/// 1.0 cannot hold at all (control characters) shown as `\u{..}`.
fn xml(s: &str) -> String {
    visible(s, true)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
