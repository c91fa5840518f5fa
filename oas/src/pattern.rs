//! A schema's `pattern` (ECMA-262, as OpenAPI says) read by Rust's regex syntax, for
//! building whole values that match it.

/// `pattern` as a generator of whole values must read it to mean the same: `\d` and `\w`
/// are the ASCII classes (`[0-9]`, `[0-9A-Za-z_]`), not Unicode ones whose other digits and
/// letters the spec's pattern refuses; `.` matches no line terminator (`\r`, U+2028 and
/// U+2029 besides `\n`); anchors go, since a whole value is built (an anchor inside an
/// alternation, `^a$|\*`, is where the value starts or ends anyway).
pub fn whole_value_regex(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some('w') if in_class => out.push_str("0-9A-Za-z_"),
                Some('w') => out.push_str("[0-9A-Za-z_]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '.' if !in_class => out.push_str("[^\\n\\r\u{2028}\u{2029}]"),
            '^' | '$' if !in_class => {}
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_word_characters_read_as_ecma_262_does() {
        assert_eq!(
            whole_value_regex(r"\d{3}-[\w.]+\\d"),
            r"[0-9]{3}-[0-9A-Za-z_.]+\\d"
        );
        assert_eq!(whole_value_regex("a.b"), "a[^\\n\\r\u{2028}\u{2029}]b");
        assert_eq!(whole_value_regex(r#"^"([0-9]+?)"$|\*"#), r#""([0-9]+?)"|\*"#);
        assert_eq!(whole_value_regex(r"[$^]\$"), r"[$^]\$");
    }
}
