//! REVIEW.md stays true to `codegen review`: every finding on the project's own spec is
//! explained in its last section, "Review findings, explained", and every explanation
//! there still matches a finding.

use evs_ims_codegen::review::{Finding, review, rule};

const SECTION: &str = "## Review findings, explained";

/// One bullet: ``- `rule` `pointer`: reason``; a pointer ending in `*` is a prefix.
#[derive(Debug)]
struct Explanation {
    line: usize,
    rule: String,
    pointer: String,
}

impl Explanation {
    fn covers(&self, f: &Finding) -> bool {
        self.rule == f.rule
            && match self.pointer.strip_suffix('*') {
                Some(prefix) => f.pointer.starts_with(prefix),
                None => self.pointer == f.pointer,
            }
    }
}

fn repo(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The bullets of the section, which runs to the next `## ` heading or the end.
fn explanations(review_md: &str) -> Vec<Explanation> {
    let mut out = Vec::new();
    let mut inside = false;
    for (i, line) in review_md.lines().enumerate() {
        if line.starts_with("## ") || line.starts_with("# ") {
            inside = line.trim() == SECTION;
            continue;
        }
        let Some(rest) = line.strip_prefix("- `").filter(|_| inside) else {
            continue;
        };
        let mut parts = rest.splitn(2, "` `");
        let rule_name = parts.next().unwrap_or_default().to_string();
        let pointer = parts
            .next()
            .and_then(|p| p.split_once("`:"))
            .map(|(p, _)| p.to_string())
            .unwrap_or_else(|| panic!("REVIEW.md line {}: not ``- `rule` `pointer`: reason``", i + 1));
        assert!(
            rule(&rule_name).is_some(),
            "REVIEW.md line {}: no rule `{rule_name}`",
            i + 1
        );
        out.push(Explanation {
            line: i + 1,
            rule: rule_name,
            pointer,
        });
    }
    out
}

#[test]
fn every_finding_on_our_spec_is_fixed_or_explained_in_review_md() {
    let explained = explanations(&repo("spec/REVIEW.md"));
    assert!(!explained.is_empty(), "REVIEW.md has no `{SECTION}` bullets");
    let mut findings = Vec::new();
    for file in ["spec/evs.yaml", "spec/ims.yaml"] {
        let found = review(&repo(file), file).unwrap_or_else(|e| panic!("{e}"));
        findings.extend(found.into_iter().map(|f| (file, f)));
    }
    let unexplained: Vec<String> = findings
        .iter()
        .filter(|(_, f)| !explained.iter().any(|e| e.covers(f)))
        .map(|(file, f)| format!("- `{}` `{}`: ({file}) {}", f.rule, f.pointer, f.message))
        .collect();
    let stale: Vec<String> = explained
        .iter()
        .filter(|e| !findings.iter().any(|(_, f)| e.covers(f)))
        .map(|e| format!("REVIEW.md line {}: `{}` `{}`", e.line, e.rule, e.pointer))
        .collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "findings neither fixed nor explained under `{SECTION}` in spec/REVIEW.md:\n{}\n\
         explanations that match no finding any more (remove them):\n{}",
        unexplained.join("\n"),
        stale.join("\n")
    );
}
