//! What a run found: counts per operation and check, failures with their reproduction,
//! and the summary table, JSON and JUnit renderings.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{Value, json};

use crate::checks::{Check, Finding};
use crate::exchange::Case;

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
    /// Why the run stopped before checking everything (`--max-time`, Ctrl-C).
    pub incomplete: Option<String>,
    pub requests: u64,
    pub elapsed: Duration,
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
            incomplete: None,
            requests: 0,
            elapsed: Duration::ZERO,
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
            let line = format!("{operation}: {}", finding.actual);
            if !self.warnings.contains(&line) {
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

    /// No check failed, nothing was left behind, and the run checked everything.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
            && self.incomplete.is_none()
            && self.tallies.values().all(|c| c.values().all(|t| t.failed == 0))
            && self.leftovers.is_empty()
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

    /// The table printed at the end of a run, then each failure with its reproduction.
    pub fn summary(&self) -> String {
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
        if !self.warnings.is_empty() {
            let _ = writeln!(out, "\nwarnings ({}):", self.warnings.len());
            for w in self.warnings.iter().take(20) {
                let _ = writeln!(out, "  - {w}");
            }
        }
        for (i, f) in self.failures.iter().enumerate() {
            let _ = writeln!(
                out,
                "\nFAILURE {}: {} / {} ({})",
                i + 1,
                f.case.operation,
                f.check.name(),
                f.case.label
            );
            let _ = writeln!(out, "  expected: {}", f.expected);
            let _ = writeln!(out, "  actual:   {}", f.actual);
            let _ = writeln!(out, "  reproduce: {}", f.curl);
            let _ = writeln!(out, "  replay the run: --seed {}", f.seed);
        }
        if !self.leftovers.is_empty() {
            let _ = writeln!(out, "\nNOT CLEANED UP: {}", self.leftovers.join(", "));
        }
        if let Some(why) = &self.incomplete {
            let _ = writeln!(out, "\nINCOMPLETE: {why}");
        }
        let (passed, failed) = self.totals();
        let _ = writeln!(
            out,
            "\n{} requests in {:.1}s against {} (seed {})\n{passed} passed, {failed} failed",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.base_url,
            self.seed
        );
        out
    }

    fn totals(&self) -> (u32, u32) {
        let mut passed = 0;
        let mut failed = 0;
        for t in self.tallies.values().flat_map(|c| c.values()) {
            passed += t.passed;
            failed += t.failed;
        }
        (passed, failed.max(self.failures.len() as u32))
    }

    pub fn to_json(&self) -> Value {
        json!({
            "seed": self.seed,
            "base_url": self.base_url,
            "passed": self.passed(),
            "requests": self.requests,
            "elapsed_seconds": self.elapsed.as_secs_f64(),
            "results": self.tallies.iter().map(|(op, checks)| {
                let per_check: serde_json::Map<String, Value> = checks
                    .iter()
                    .map(|(c, t)| (c.name().to_string(), json!({"passed": t.passed, "failed": t.failed, "warnings": t.warnings})))
                    .collect();
                (op.clone(), Value::Object(per_check))
            }).collect::<serde_json::Map<String, Value>>(),
            "failures": self.failures.iter().map(|f| json!({
                "operation": f.case.operation, "check": f.check.name(), "case": f.case.label,
                "expected": f.expected, "actual": f.actual, "curl": f.curl, "seed": f.seed,
                "request": {"method": f.case.request.method, "path": f.case.request.path, "query": f.case.request.query, "body": f.case.request.body},
            })).collect::<Vec<_>>(),
            "incomplete": self.incomplete,
            "warnings": self.warnings,
            "skipped": self.skipped.iter().map(|(o, w)| json!({"operation": o, "why": w})).collect::<Vec<_>>(),
            "leftovers": self.leftovers,
        })
    }

    /// JUnit XML: one test suite per operation, one test case per check.
    pub fn to_junit(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let (_, failed) = self.totals();
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
                if t.failed == 0 {
                    let _ = writeln!(out, "/>");
                    continue;
                }
                let _ = writeln!(out, ">");
                for f in self
                    .failures
                    .iter()
                    .filter(|f| &f.case.operation == op && f.check == *check)
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

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
