//! Findings a project has looked at and accepted, with its reasons: the bullets of a
//! REVIEW.md section "Review findings, explained", one ``- `rule` `pointer`: reason`` each
//! (a pointer ending in `*` covers every finding of the rule under that prefix). The docs
//! page shows the reason beside the finding; this repository's test holds its spec to them.

use super::{Finding, rule};

/// The heading of the section the explanations are read from.
pub const SECTION: &str = "## Review findings, explained";

/// One explained finding, or one prefix of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The line of REVIEW.md the bullet starts on (from 1).
    pub line: usize,
    pub rule: String,
    pub pointer: String,
    pub reason: String,
}

impl Explanation {
    /// Whether this explanation accounts for `finding`.
    pub fn covers(&self, finding: &Finding) -> bool {
        self.rule == finding.rule
            && match self.pointer.strip_suffix('*') {
                Some(prefix) => finding.pointer.starts_with(prefix),
                None => self.pointer == finding.pointer,
            }
    }
}

/// The explanations of a REVIEW.md; the section runs to the next heading of level 1 or 2.
/// A bullet that is not of the form above, or names no rule, is an error naming its line.
pub fn parse(review_md: &str) -> Result<Vec<Explanation>, String> {
    let mut out: Vec<Explanation> = Vec::new();
    let mut inside = false;
    for (i, line) in review_md.lines().enumerate() {
        if line.starts_with("## ") || line.starts_with("# ") {
            inside = line.trim() == SECTION;
            continue;
        }
        if !inside {
            continue;
        }
        let Some(rest) = line.strip_prefix("- `") else {
            // A bullet's reason may go on over indented lines.
            if let (Some(last), true) = (out.last_mut(), line.starts_with("  ")) {
                last.reason.push(' ');
                last.reason.push_str(line.trim());
            }
            continue;
        };
        let parsed = rest.split_once("` `").and_then(|(rule_name, rest)| {
            let (pointer, reason) = rest.split_once("`:")?;
            Some((rule_name, pointer, reason))
        });
        let Some((rule_name, pointer, reason)) = parsed else {
            return Err(format!(
                "REVIEW.md line {}: not ``- `rule` `pointer`: reason``",
                i + 1
            ));
        };
        if rule(rule_name).is_none() {
            return Err(format!("REVIEW.md line {}: no rule `{rule_name}`", i + 1));
        }
        out.push(Explanation {
            line: i + 1,
            rule: rule_name.to_string(),
            pointer: pointer.to_string(),
            reason: reason.trim().to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_of_the_section_only_with_their_reasons() {
        let md = "# A\n- `no-example` `/x`: not here\n## Review findings, explained\n\n\
                  - `no-example` `/paths/~1a/get`: the documents print none,\n  \
                  so none is made up.\n- `status-without-schema` `/paths/*`: deletes.\n## Next\n\
                  - `no-example` `/y`: not here either\n";
        let got = parse(md).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].line, 5);
        assert_eq!(got[0].reason, "the documents print none, so none is made up.");
        assert_eq!(got[1].pointer, "/paths/*");
        assert!(parse("## Review findings, explained\n- `no-such-rule` `/a`: x\n").is_err());
        assert!(parse("## Review findings, explained\n- `no-example` /a: x\n").is_err());
    }
}
