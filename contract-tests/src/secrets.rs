//! The secrets a run holds (tokens, keys, `--header` values) and their removal from
//! everything the run prints or writes, also where a server echoes one back in an answer.

use std::borrow::Cow;

use serde_json::Value;

/// What stands where a secret was.
pub const REDACTED: &str = "[REDACTED]";

/// Replaces every secret the run holds, in the forms it can take in a text: as given,
/// escaped inside a JSON string, and percent-encoded.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Longest first, so that a secret containing another is replaced whole.
    forms: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} forms)", self.forms.len())
    }
}

impl Redactor {
    /// Secrets shorter than four characters are not looked for: they would blank out
    /// ordinary text, and no real credential is that short.
    pub fn new<I, S>(secrets: I) -> Redactor
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut forms = Vec::new();
        for secret in secrets {
            let secret = secret.as_ref();
            if secret.chars().count() < 4 {
                continue;
            }
            forms.push(secret.to_string());
            let json = Value::String(secret.to_string()).to_string();
            let json = json[1..json.len() - 1].to_string();
            forms.push(json.replace('/', "\\/"));
            forms.push(json);
            forms.push(crate::exchange::encode(secret));
            // As the reports escape it for XML and HTML.
            forms.push(
                secret
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;"),
            );
        }
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Redactor { forms }
    }

    /// The text with every secret replaced by [`REDACTED`].
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = Cow::Owned(out.replace(form.as_str(), REDACTED));
            }
        }
        out
    }

    /// Every string in the value, keys included, redacted.
    pub fn redact_value(&self, value: &mut Value) {
        if self.forms.is_empty() {
            return;
        }
        match value {
            Value::String(s) => {
                if let Cow::Owned(r) = self.redact(s) {
                    *s = r;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.redact_value(v)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (k, mut v) in entries {
                    self.redact_value(&mut v);
                    map.insert(self.redact(&k).into_owned(), v);
                }
            }
            _ => {}
        }
    }
}

/// Control characters made visible (`\u{1b}`), so that a server's bytes cannot move the
/// cursor, recolour the terminal or break a line of a report. Tabs stay; a line break is
/// kept only where `lines` says the text may span lines.
pub fn visible(text: &str, lines: bool) -> Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t' && !(lines && c == '\n'))
            || matches!(c, '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}')
    };
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_form_of_a_secret_is_replaced() {
        let r = Redactor::new(["tok\"en/1", "abc", "longer-secret"]);
        assert_eq!(r.redact("x tok\"en/1 y"), "x [REDACTED] y");
        assert_eq!(r.redact(r#"{"echo":"tok\"en/1"}"#), r#"{"echo":"[REDACTED]"}"#);
        assert_eq!(r.redact("/echo/tok%22en%2F1"), "/echo/[REDACTED]");
        assert_eq!(
            r.redact("abc is too short to look for"),
            "abc is too short to look for"
        );
        let mut v = json!({"longer-secret": ["a longer-secret b"]});
        r.redact_value(&mut v);
        assert_eq!(v, json!({"[REDACTED]": ["a [REDACTED] b"]}));
        assert_eq!(r.redact(r#"{"echo":"tok\"en\/1"}"#), r#"{"echo":"[REDACTED]"}"#);
        assert_eq!(r.redact("tok&quot;en/1 in HTML"), "[REDACTED] in HTML");
        assert_eq!(format!("{r:?}"), "Redactor(6 forms)");
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(visible("a\u{1b}[31mred\u{7}", false), "a\\u{1b}[31mred\\u{7}");
        assert_eq!(visible("two\nlines\r", true), "two\nlines\\u{d}");
        assert_eq!(visible("two\nlines", false), "two\\u{a}lines");
        assert!(matches!(visible("plain 名前", false), Cow::Borrowed(_)));
    }
}
