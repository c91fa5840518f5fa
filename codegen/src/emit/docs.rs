//! Spec descriptions → doc comments that `cargo doc` accepts without warnings.
//!
//! Descriptions are Markdown written for a web page, not for rustdoc: indented lines would
//! become doctests, `[x]` an unresolved intra-doc link, `<key>` an unclosed HTML tag, and a
//! bare URL a lint. Each is neutralised here, keeping the text readable.

use proc_macro2::TokenStream;
use quote::quote;

/// What a schema allows and its default, as one paragraph of a field's or a parameter's
/// doc: `Constraints: 1 ≤ length ≤ 255. Default: `10`.`
pub fn facts(constraints: Option<&str>, default: Option<&serde_json::Value>) -> Option<String> {
    let default = default.map(|d| format!("Default: `{d}`."));
    let facts: Vec<&str> = [constraints, default.as_deref()].into_iter().flatten().collect();
    (!facts.is_empty()).then(|| facts.join(" "))
}

/// `#[doc = "..."]` attributes for the given paragraphs (empty ones skipped).
pub fn attrs(paragraphs: &[Option<&str>]) -> TokenStream {
    let text: Vec<String> = paragraphs
        .iter()
        .flatten()
        .map(|p| clean(p))
        .filter(|p| !p.is_empty())
        .collect();
    if text.is_empty() {
        return quote!();
    }
    let joined = text.join("\n\n");
    let lines = joined.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!( #( #[doc = #lines] )* )
}

/// Every `#[doc = "..."]` in `file`, made text rustc takes in a `///` or `/** */`
/// comment, whatever a spec put there: a carriage return not followed by a line feed is
/// refused in a doc comment ("bare CR"), so line ends are made `\n` and any other control
/// character (NUL, a lone CR, the bidirectional overrides rustc lints) a space. Run on the
/// parsed file, so only the attributes are visited and only a doc that needs it is
/// rewritten.
pub fn sanitize(file: &mut syn::File) {
    struct Docs;
    impl syn::visit_mut::VisitMut for Docs {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            let syn::Meta::NameValue(nv) = &mut attr.meta else {
                return;
            };
            if !nv.path.is_ident("doc") {
                return;
            }
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) = &mut nv.value
            {
                let text = lit.value();
                if text.chars().any(refused) {
                    *lit = syn::LitStr::new(&plain(&text), lit.span());
                }
            }
        }
    }
    syn::visit_mut::VisitMut::visit_file_mut(&mut Docs, file);
}

/// A character a doc comment cannot hold as it is (see [`plain`]).
fn refused(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Doc text without the characters a doc comment cannot hold (see [`sanitize`]).
fn plain(text: &str) -> String {
    // A tab is four spaces (clippy's `tabs_in_doc_comments`).
    text.replace("\r\n", "\n")
        .replace('\t', "    ")
        .chars()
        .map(|c| match c {
            '\n' => c,
            c if c.is_control() => ' ',
            // Bidirectional overrides and isolates: rustc's `text_direction_codepoint_in_comment`.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => ' ',
            c => c,
        })
        .collect()
}

/// `#[doc]` attributes for text this generator wrote itself (already rustdoc Markdown).
pub fn raw(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!( #( #[doc = #lines] )* )
}

pub fn clean(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Column where the text of the current list item starts; continuation lines are
    // indented to it so that they belong to the item (clippy's `doc_lazy_continuation`).
    let mut item_column: Option<usize> = None;
    let dedented = dedent(text.trim_end());
    let lines: Vec<&str> = dedented.lines().collect();
    let literal = unmatched_backticks(&lines);
    // Inside a code span, which may run over lines of one paragraph.
    let mut in_code = false;
    for (n, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            out.push(if in_fence {
                "```".to_string()
            } else {
                "```text".to_string()
            });
            in_fence = !in_fence;
            in_code = false;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        if trimmed.is_empty() {
            item_column = None;
            in_code = false;
            out.push(String::new());
            continue;
        }
        if list_marker(trimmed).is_some() {
            in_code = false;
        }
        // Indentation of 4+ would make an indented code block (a doctest): cap it at 3.
        let indent = (line.len() - trimmed.len()).min(3);
        let text = escape_line(trimmed.trim_end(), &mut in_code, literal[n]);
        if let Some(marker) = list_marker(trimmed) {
            item_column = Some(indent + marker);
            out.push(format!("{}{text}", " ".repeat(indent)));
        } else if let Some(column) = item_column {
            out.push(format!("{}{text}", " ".repeat(column.max(indent))));
        } else {
            out.push(format!("{}{text}", " ".repeat(indent)));
        }
    }
    if in_fence {
        out.push("```".into());
    }
    out.join("\n").trim().to_string()
}

/// Width of a list marker and its space (`- `, `* `, `12. `), if the line starts an item.
fn list_marker(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Some(digits + 2);
    }
    ["- ", "* ", "+ "]
        .iter()
        .any(|m| line.starts_with(m))
        .then_some(2)
}

/// Removes the indentation all non-blank lines share.
fn dedent(text: &str) -> String {
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| {
            if l.len() >= common {
                &l[common..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes outside `code spans`: brackets, angle brackets; wraps bare URLs.
fn escape_line(line: &str, in_code: &mut bool, literal: Option<usize>) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            if literal == Some(i - 1) {
                out.push_str("\\`");
            } else {
                out.push('`');
                *in_code = !*in_code;
            }
        }
        if *in_code {
            out.push_str(part);
            continue;
        }
        let escaped = part
            .replace('\\', "\\\\")
            .replace('[', "\\[")
            .replace(']', "\\]")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        out.push_str(&wrap_urls(&escaped));
    }
    out
}

/// Per line, which of its backticks (counting from 0) Markdown reads as a literal: the
/// last of a paragraph (or list item) whose backticks are odd in number, having no partner
/// to close a code span with. Fences are no paragraphs.
fn unmatched_backticks(lines: &[&str]) -> Vec<Option<usize>> {
    let mut out = vec![None; lines.len()];
    let mut in_fence = false;
    let mut start = 0;
    let close = |out: &mut Vec<Option<usize>>, from: usize, to: usize| {
        let count: usize = lines[from..to].iter().map(|l| l.matches('`').count()).sum();
        if count % 2 == 1 {
            if let Some(n) = (from..to).rev().find(|&n| lines[n].contains('`')) {
                out[n] = Some(lines[n].matches('`').count() - 1);
            }
        }
    };
    for (n, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let boundary =
            trimmed.starts_with("```") || in_fence || trimmed.is_empty() || list_marker(trimmed).is_some();
        if boundary {
            close(&mut out, start, n);
            start = if list_marker(trimmed).is_some() && !in_fence {
                n
            } else {
                n + 1
            };
        }
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
        }
    }
    close(&mut out, start, lines.len());
    out
}

fn wrap_urls(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            let end = word.trim_end_matches(['.', ',', ';', ':', ')']);
            out.push('<');
            out.push_str(end);
            out.push('>');
            out.push_str(&word[end.len()..]);
        } else {
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_attributes_hold_no_character_a_doc_comment_refuses() {
        let tokens = quote! {
            #[doc = "a\rb\r\nc \u{0} \u{202e} */ /* `"]
            struct S { #[doc = "\r"] f: u8 }
            #[derive(Debug)]
            struct T;
        };
        let mut file: syn::File = syn::parse2(tokens).unwrap_or_else(|e| panic!("{e}"));
        sanitize(&mut file);
        let text = prettyplease::unparse(&file);
        assert!(
            !text.contains('\r') && !text.contains('\u{0}') && !text.contains('\u{202e}'),
            "{text:?}"
        );
        assert!(text.contains("a b"), "{text:?}");
        assert!(text.contains("#[derive(Debug)]"), "{text:?}");
    }

    #[test]
    fn markdown_hazards_are_neutralised() {
        assert_eq!(clean("see [A.2] and <key>"), "see \\[A.2\\] and &lt;key&gt;");
        assert_eq!(clean("`{\"<k>\": [1]}` stays"), "`{\"<k>\": [1]}` stays");
        // A backtick with no partner is text to Markdown: what follows it is escaped too.
        assert_eq!(clean("wrap with ` e.g. <id>"), "wrap with \\` e.g. &lt;id&gt;");
        assert_eq!(clean("`a` then ` <b>"), "`a` then \\` &lt;b&gt;");
        // A code span may run over two lines of a paragraph, not over a blank line.
        assert_eq!(clean("a `<b\nc>` d <e>"), "a `<b\nc>` d &lt;e&gt;");
        assert_eq!(clean("a `<b\n\nc>` d"), "a \\`&lt;b\n\nc&gt;\\` d");
        assert_eq!(clean("at https://x.y/z."), "at <https://x.y/z>.");
        assert_eq!(
            clean("    indented\n```\ncode\n```"),
            "indented\n```text\ncode\n```"
        );
    }
}
