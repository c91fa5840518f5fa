//! REVIEW.md stays true to `specwright review`: every finding on the project's own spec is
//! explained in its last section, "Review findings, explained", and every explanation
//! there still matches a finding.

use specwright_review::explained::{self, SECTION};
use specwright_review::review;

fn repo(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

#[test]
fn every_finding_on_our_spec_is_fixed_or_explained_in_review_md() {
    let explained = explained::parse(&repo("spec/REVIEW.md")).unwrap_or_else(|e| panic!("{e}"));
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
