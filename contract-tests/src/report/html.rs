//! The report as one self-contained HTML page: no script, no file or font loaded, every
//! text escaped, control characters shown, secrets taken out. A failure group opens to its
//! reproduction; the table of every operation and check is folded at the end.

use std::fmt::Write as _;

use super::Report;
use crate::secrets::visible;

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}table{border-collapse:collapse;margin:.5em 0}\
td,th{border-bottom:1px solid #ddd;padding:.2em .7em;text-align:left}td:first-child{white-space:nowrap}td.n{text-align:right}\
.fail{color:#b00020;font-weight:600}.pass{color:#1b7a1b;font-weight:600}.warn{color:#9a6200}\
details{border:1px solid #ddd;border-radius:4px;margin:.4em 0;padding:.3em .6em}summary{cursor:pointer}\
pre{background:#f5f5f5;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}\
code{background:#f5f5f5;padding:0 .2em}";

/// Text as HTML: escaped, control characters visible.
fn esc(text: &str) -> String {
    visible(text, true)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Report {
    /// One self-contained HTML file (`--html`).
    pub fn to_html(&self) -> String {
        self.redactor.redact(&self.html_unredacted()).into_owned()
    }

    fn html_unredacted(&self) -> String {
        let mut out = String::new();
        let passed = self.passed();
        let (ok, failed) = self.totals();
        let _ = write!(
            out,
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width\"><title>contract-tests: {}</title>\
             <style>{STYLE}</style></head><body>",
            esc(&self.base_url)
        );
        let _ = write!(
            out,
            "<h1>contract-tests <span class=\"{}\">{}</span></h1><p>{} requests in {:.1} s against \
             <code>{}</code>, seed <code>{}</code>: {ok} passed, {failed} failed.</p>",
            if passed { "pass" } else { "fail" },
            if passed { "passed" } else { "failed" },
            self.requests,
            self.elapsed.as_secs_f64(),
            esc(&self.base_url),
            self.seed
        );
        if let Some(why) = &self.incomplete {
            let _ = write!(out, "<p class=\"fail\">Incomplete: {}</p>", esc(why));
        }
        if !self.leftovers.is_empty() {
            let _ = write!(out, "<p class=\"fail\">Not cleaned up:</p><ul>");
            for l in &self.leftovers {
                let _ = write!(out, "<li><code>{}</code></li>", esc(l));
            }
            out.push_str("</ul>");
        }
        if !self.unfound.is_empty() {
            out.push_str("<p class=\"fail\">Left behind, id unknown:</p><ul>");
            for u in &self.unfound {
                let _ = write!(out, "<li>{}</li>", esc(u));
            }
            out.push_str("</ul>");
        }
        out.push_str("<h2>Checks</h2><table><tr><th>check</th><th>pass</th><th>fail</th><th>warn</th><th>promise</th></tr>");
        for (check, t) in self.per_check() {
            let class = if t.failed > 0 { " class=\"fail\"" } else { "" };
            let _ = write!(
                out,
                "<tr><td{class}>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                check.name(),
                t.passed,
                t.failed,
                t.warnings,
                esc(check.describe())
            );
        }
        out.push_str("</table>");
        let groups = self.groups();
        if !groups.is_empty() {
            let _ = write!(out, "<h2>Findings ({})</h2>", groups.len());
        }
        for (f, count) in groups {
            let kind = if f.warning { "warn" } else { "fail" };
            let _ = write!(
                out,
                "<details><summary><span class=\"{kind}\">{}</span> {} · <code>{}</code> · {}{}</summary>\
                 <p>expected: {}</p><p>actual: {}</p><pre>{}</pre><p>replay the run: <code>--seed {}</code></p></details>",
                f.severity(),
                esc(&f.case.operation),
                f.check.name(),
                esc(&f.case.label),
                if count > 1 {
                    format!(" ({count} like it)")
                } else {
                    String::new()
                },
                esc(&f.expected),
                esc(&f.actual),
                esc(&f.curl),
                f.seed
            );
        }
        if !self.warnings.is_empty() {
            let _ = write!(out, "<h2>Warnings ({})</h2><ul>", self.warnings.len());
            for w in &self.warnings {
                let _ = write!(out, "<li>{}</li>", esc(w));
            }
            out.push_str("</ul>");
        }
        if !self.skipped.is_empty() {
            out.push_str("<h2>Skipped</h2><ul>");
            for (op, why) in &self.skipped {
                let _ = write!(out, "<li>{}: {}</li>", esc(op), esc(why));
            }
            out.push_str("</ul>");
        }
        out.push_str("<details><summary>Every operation and check</summary><table><tr><th>operation</th><th>check</th><th>pass</th><th>fail</th><th>warn</th></tr>");
        for (op, checks) in &self.tallies {
            for (check, t) in checks {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    esc(op),
                    check.name(),
                    t.passed,
                    t.failed,
                    t.warnings
                );
            }
        }
        out.push_str("</table></details></body></html>\n");
        out
    }
}
