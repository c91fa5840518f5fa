//! REVIEW.md: the decisions a spec's curators recorded, read as entries and attached to the
//! operations and schemas they concern.
//!
//! An entry is one top-level bullet (`- **Title (004 §3.6).** text`) under its headings. It
//! is attached to an operation only on evidence a reviewer can check by reading the entry:
//!
//! - a code span naming the operationId (`` `createVolume` ``), in the entry or in one of
//!   its headings (`## 003 制作镜像 (`createImage`)`);
//! - a code span that is the operation's path (`` `/v2/cloudimages/action` ``, optionally
//!   after its method);
//! - a section in the entry's bold title (`§3.6`, `§3.8–§3.13`) that is the operation's
//!   `x-source` section, in the same document (`004` before the `§`, else in a heading);
//! - a code span that is the name of a component schema the operation's request body or
//!   success responses use (`` `Volume` ``, `` `Volume.required` ``), when the title names
//!   no section (a title that does says where the entry belongs; the schema's own section
//!   still lists it);
//! - a code span in the title that is the name of one of its parameters, when a heading
//!   above the entry names a section range of the same document that holds the
//!   operation's section (`## Volumes (004 §3.1–§3.7)`).
//!
//! Section numbers in the running text are not used: they are as often the sections a
//! decision does *not* concern ("every section except §3.19"). An entry under a top-level
//! heading that names another spec file (`` # IMS (`spec/ims.yaml`) ``) belongs to that
//! spec's page, not this one.

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// One decision of REVIEW.md.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Position in the file, from 0: the page's anchor for it.
    pub index: usize,
    /// The headings it sits under, outermost first (plain text).
    pub headings: Vec<String>,
    /// The bold title, or the start of the text where there is none.
    pub title: String,
    /// The bullet's Markdown, as written (the `- ` marker removed).
    pub markdown: String,
    code: Vec<String>,
    heading_code: Vec<String>,
    sections: Vec<(Option<String>, String)>,
    /// The sections its headings name (`## Volumes (004 §3.1–§3.7)`): a chapter's scope.
    heading_sections: Vec<(Option<String>, String)>,
}

/// What an operation offers for matching.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub operation_id: Option<String>,
    pub method: String,
    pub path: String,
    /// `(document number, section number)` of each `x-source` entry with a section number.
    pub sources: Vec<(Option<String>, String)>,
    /// Component schemas its request body and success responses use.
    pub schemas: BTreeSet<String>,
    /// The names of its parameters.
    pub parameters: BTreeSet<String>,
}

/// Where each entry landed.
#[derive(Debug, Default)]
pub struct Attached {
    pub entries: Vec<Entry>,
    /// Per operation (the order of the targets given), the entries attached to it.
    pub by_operation: Vec<Vec<usize>>,
    /// Per component schema name, the entries naming it.
    pub by_schema: std::collections::BTreeMap<String, Vec<usize>>,
    /// Entries attached to no operation and no schema.
    pub unattached: Vec<usize>,
}

impl Attached {
    /// How many entries are attached to at least one operation.
    pub fn on_operations(&self) -> usize {
        let mut seen = BTreeSet::new();
        for list in &self.by_operation {
            seen.extend(list.iter().copied());
        }
        seen.len()
    }
}

#[derive(Default)]
struct Heading {
    level: usize,
    text: String,
    code: Vec<String>,
}

/// Reads the entries of `markdown` that belong to the spec file `spec_file` (its file name,
/// such as `evs.yaml`).
pub fn parse(markdown: &str, spec_file: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut headings: Vec<Heading> = Vec::new();
    let mut heading: Option<Heading> = None;
    let mut list_depth = 0usize;
    let mut item: Option<Item> = None;
    let mut strong: Option<String> = None;
    let mut out_of_scope = false;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(Heading {
                    level: level_number(level),
                    ..Heading::default()
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    headings.retain(|x| x.level < h.level);
                    if h.level == 1 {
                        out_of_scope = names_other_spec(&h.code, spec_file);
                    }
                    headings.push(h);
                }
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) if list_depth == 1 => {
                item = Some((range, Vec::new(), None, String::new()));
            }
            Event::End(TagEnd::Item) if list_depth == 1 => {
                if let Some((range, code, title, plain)) = item.take() {
                    // The explained review findings are the reviewer's (`review::explained`),
                    // not decisions about the spec.
                    let explained = headings.iter().any(|h| {
                        h.level == 2 && format!("## {}", h.text) == specwright_review::explained::SECTION
                    });
                    if out_of_scope || explained {
                        continue;
                    }
                    let title = title.unwrap_or_else(|| first_words(&plain));
                    let doc = headings.iter().rev().find_map(|h| document_number(&h.text));
                    entries.push(Entry {
                        index: entries.len(),
                        headings: headings.iter().map(|h| h.text.clone()).collect(),
                        sections: section_refs(&title, doc),
                        heading_sections: headings
                            .iter()
                            .flat_map(|h| section_refs(&h.text, document_number(&h.text)))
                            .collect(),
                        title,
                        markdown: item_markdown(&markdown[range]),
                        code,
                        heading_code: headings.iter().flat_map(|h| h.code.clone()).collect(),
                    });
                }
            }
            // Only bold that opens the bullet is its title.
            Event::Start(Tag::Strong)
                if item
                    .as_ref()
                    .is_some_and(|i| i.2.is_none() && i.3.trim().is_empty()) =>
            {
                strong = Some(String::new());
            }
            Event::End(TagEnd::Strong) => {
                if let (Some(text), Some(i)) = (strong.take(), item.as_mut()) {
                    let text = text.trim().trim_end_matches(['.', ':']).trim().to_string();
                    i.2 = Some(text);
                }
            }
            Event::Text(text) => on_text(&mut heading, &mut item, &mut strong, &text, false),
            Event::Code(text) => on_text(&mut heading, &mut item, &mut strong, &text, true),
            Event::SoftBreak | Event::HardBreak => {
                if let Some(i) = item.as_mut() {
                    i.3.push(' ');
                }
                if let Some(s) = strong.as_mut() {
                    s.push(' ');
                }
            }
            _ => {}
        }
    }
    entries
}

type Item = (Range<usize>, Vec<String>, Option<String>, String);

/// Text inside a heading or an entry: kept as plain text, code spans also apart, the bold
/// title's text with its code spans in backticks.
fn on_text(
    heading: &mut Option<Heading>,
    item: &mut Option<Item>,
    strong: &mut Option<String>,
    text: &str,
    is_code: bool,
) {
    if let Some(h) = heading.as_mut() {
        h.text.push_str(text);
        if is_code {
            h.code.push(text.to_string());
        }
    } else if let Some(i) = item.as_mut() {
        if is_code {
            i.1.push(text.to_string());
        }
        i.3.push_str(text);
        if let Some(s) = strong.as_mut() {
            if is_code {
                s.push('`');
                s.push_str(text);
                s.push('`');
            } else {
                s.push_str(text);
            }
        }
    }
}

/// Attaches `entries` to `targets` (operations) and to the component `schemas` they name.
pub fn attach(entries: Vec<Entry>, targets: &[Target], schemas: &[String]) -> Attached {
    let mut by_operation = vec![Vec::new(); targets.len()];
    let mut by_schema: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    let mut unattached = Vec::new();
    for entry in &entries {
        // `Volume` or `Volume.required` names the schema `Volume`.
        let named: BTreeSet<&str> = entry
            .code
            .iter()
            .map(|c| c.trim())
            .map(|c| c.split_once('.').map_or(c, |(head, _)| head))
            .filter(|c| schemas.iter().any(|s| s == c))
            .collect();
        for name in &named {
            by_schema.entry(name.to_string()).or_default().push(entry.index);
        }
        let mut placed = !named.is_empty();
        for (i, target) in targets.iter().enumerate() {
            if concerns(entry, target, &named) {
                by_operation[i].push(entry.index);
                placed = true;
            }
        }
        if !placed {
            unattached.push(entry.index);
        }
    }
    Attached {
        entries,
        by_operation,
        by_schema,
        unattached,
    }
}

fn concerns(entry: &Entry, target: &Target, named_schemas: &BTreeSet<&str>) -> bool {
    if let Some(id) = target.operation_id.as_deref() {
        let names_id = |spans: &[String]| spans.iter().any(|c| identifiers(c).any(|w| w == id));
        if names_id(&entry.code) || names_id(&entry.heading_code) {
            return true;
        }
    }
    let names_path = entry.code.iter().any(|c| {
        let c = c.trim();
        if c == target.path {
            return true;
        }
        match c.split_once(' ') {
            Some((method, path)) => method.eq_ignore_ascii_case(&target.method) && path.trim() == target.path,
            None => false,
        }
    });
    if names_path {
        return true;
    }
    let in_section = entry.sections.iter().any(|(doc, section)| {
        target
            .sources
            .iter()
            .any(|(tdoc, tsection)| tsection == section && (doc.is_none() || tdoc.is_none() || doc == tdoc))
    });
    if !entry.sections.is_empty() {
        // A title that names its sections says where it belongs; a shared schema it also
        // names is shown on the schema's section, not on every operation that uses it.
        return in_section;
    }
    if named_schemas.iter().any(|s| target.schemas.contains(*s)) {
        return true;
    }
    // A parameter's name in the title, in a chapter whose heading covers the operation's
    // section: the shared `marker` of the volume lists, not of the snapshot lists. (In the
    // text, the same name is as often a body field's.)
    let names_parameter = title_code(&entry.title).any(|c| target.parameters.contains(c.trim()));
    names_parameter
        && entry.heading_sections.iter().any(|(doc, section)| {
            target
                .sources
                .iter()
                .any(|(tdoc, tsection)| tsection == section && doc.is_some() && doc == tdoc)
        })
}

/// The code spans of a title, which keeps them in backticks.
fn title_code(title: &str) -> impl Iterator<Item = &str> {
    title.split('`').skip(1).step_by(2)
}

/// The identifier-like words of a code span: `x-error-codes.createVolume` → `x`, `error`,
/// `codes`, `createVolume`.
fn identifiers(code: &str) -> impl Iterator<Item = &str> {
    code.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

fn names_other_spec(code: &[String], spec_file: &str) -> bool {
    let files: Vec<&str> = code
        .iter()
        .map(|c| c.rsplit('/').next().unwrap_or(c))
        .filter(|f| [".yaml", ".yml", ".json"].iter().any(|e| f.ends_with(e)))
        .collect();
    !files.is_empty() && !files.contains(&spec_file)
}

fn level_number(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A bullet's source without its list marker, each line's continuation indent removed.
fn item_markdown(source: &str) -> String {
    let source = source.trim_end();
    let body = source
        .strip_prefix("- ")
        .or_else(|| source.strip_prefix("* "))
        .or_else(|| source.strip_prefix("+ "))
        .unwrap_or(source);
    body.lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn first_words(plain: &str) -> String {
    let plain = plain.trim();
    let end = plain.find(". ").map(|i| i + 1).unwrap_or(plain.len());
    let sentence = &plain[..end];
    if sentence.chars().count() <= 90 {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(88).collect();
    format!("{cut}…")
}

/// A document number the way the review names documents: three digits (`004`) standing
/// alone before a space, `§` or `)`.
pub fn document_number(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !is_word(chars[i - 1])) {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let next = chars.get(i).copied();
            let len = i - start;
            if len == 3 && next.is_none_or(|c| c == ' ' || c == '§' || c == ')' || c == ',') {
                return Some(chars[start..i].iter().collect());
            }
            continue;
        }
        i += 1;
    }
    None
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

/// The sections a title names: `004 §3.4, §3.5` → (004, 3.4), (004, 3.5); a range
/// `§3.8–§3.13` is every section between; a `§` with no document before it takes the last
/// one named, else `doc`.
pub fn section_refs(title: &str, doc: Option<String>) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut last_doc = doc;
    let mut rest = title;
    let mut before = String::new();
    while let Some(at) = rest.find('§') {
        before.push_str(&rest[..at]);
        if let Some(d) = trailing_document(&before) {
            last_doc = Some(d);
        }
        let after = &rest[at + '§'.len_utf8()..];
        let (first, tail) = section_number(after);
        rest = tail;
        before.clear();
        if first.is_empty() {
            continue;
        }
        // A range: `–§3.13`, `-§3.13`, `–3.13`.
        let range_tail = tail
            .strip_prefix('–')
            .or_else(|| tail.strip_prefix('-'))
            .or_else(|| tail.strip_prefix('—'))
            .map(|t| t.strip_prefix('§').unwrap_or(t));
        let mut numbers = vec![first.to_string()];
        if let Some(t) = range_tail {
            let (last, t2) = section_number(t);
            if !last.is_empty() {
                numbers = expand_range(first, last);
                rest = t2;
            }
        }
        for n in numbers {
            out.push((last_doc.clone(), n));
        }
    }
    out
}

fn trailing_document(text: &str) -> Option<String> {
    let word = text.trim_end().rsplit([' ', '(', ',']).next()?;
    (word.len() == 3 && word.chars().all(|c| c.is_ascii_digit())).then(|| word.to_string())
}

/// The leading `3.13` of `3.13 ...`, and what follows it; a trailing `.` is not part of it.
fn section_number(text: &str) -> (&str, &str) {
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let number = text[..end].trim_end_matches('.');
    (number, &text[number.len()..])
}

fn expand_range(first: &str, last: &str) -> Vec<String> {
    let split = |s: &str| {
        s.rsplit_once('.')
            .map(|(a, b)| (a.to_string(), b.parse::<u32>().ok()))
    };
    match (split(first), split(last)) {
        (Some((pa, Some(a))), Some((pb, Some(b)))) if pa == pb && a <= b && b - a <= 50 => {
            (a..=b).map(|n| format!("{pa}.{n}")).collect()
        }
        _ => vec![first.to_string(), last.to_string()],
    }
}

/// The number of a section title (`3.1 创建云硬盘` → `3.1`), if it starts with one.
pub fn leading_section(section: &str) -> Option<String> {
    let (number, _) = section_number(section.trim_start());
    (!number.is_empty() && number.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .then(|| number.to_string())
}

/// The number a document file starts with (`004_9f39e1c77a9a9825.txt` → `004`).
pub fn leading_document(document: &str) -> Option<String> {
    let digits: String = document.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_in_a_title_carry_their_document_and_ranges_expand() {
        assert_eq!(
            section_refs("`sort_key` is an open list (004 §3.4, §3.5)", None),
            vec![
                (Some("004".into()), "3.4".into()),
                (Some("004".into()), "3.5".into())
            ]
        );
        let refs = section_refs("Keys (§3.8–§3.10)", Some("004".into()));
        assert_eq!(refs.len(), 3);
        assert_eq!(refs[2], (Some("004".into()), "3.10".into()));
        assert_eq!(section_refs("no section here", None), vec![]);
        assert_eq!(document_number("Volumes (004 §3.1–§3.7)").as_deref(), Some("004"));
        assert_eq!(document_number("003 制作镜像").as_deref(), Some("003"));
        assert_eq!(document_number("v3 and 3.13"), None);
        assert_eq!(leading_section("3.10 查询").as_deref(), Some("3.10"));
        assert_eq!(leading_section("制作镜像"), None);
        assert_eq!(leading_document("004_9f.txt").as_deref(), Some("004"));
    }

    #[test]
    fn the_explained_review_findings_are_not_decisions() {
        let md = "# API (`spec/a.yaml`)\n\n## Things\n\n- **One.** a decision.\n\n\
            ## Review findings, explained\n\n- `no-example` `/paths`: accepted.\n\n\
            ## More\n\n- **Two.** another.\n";
        let titles: Vec<String> = parse(md, "a.yaml").into_iter().map(|e| e.title).collect();
        assert_eq!(titles, ["One", "Two"]);
    }

    #[test]
    fn entries_attach_on_id_path_section_or_schema_and_others_stay_apart() {
        let md = "# API (`spec/a.yaml`)\n\n## Things (004 §3.1–§3.7)\n\n\
            - **Names (§3.2).** about deleting.\n\
            - **Ids.** `showThing` and more.\n\
            - **Paths.** `POST /things` is odd.\n\
            - **Bodies.** `ThingBody` changed.\n\
            - **Else.** nothing specific, though §3.1 is mentioned.\n\n\
            # Other (`spec/b.yaml`)\n\n- **Elsewhere.** `showThing`\n";
        let entries = parse(md, "a.yaml");
        assert_eq!(entries.len(), 5, "the b.yaml entry is not this page's");
        let target = |id: &str, method: &str, path: &str, section: &str, schema: &str| Target {
            operation_id: Some(id.into()),
            method: method.into(),
            path: path.into(),
            sources: vec![(Some("004".into()), section.into())],
            schemas: [schema.to_string()].into_iter().collect(),
            parameters: ["id".to_string()].into_iter().collect(),
        };
        let targets = [
            target("deleteThing", "delete", "/things/{id}", "3.2", "None"),
            target("showThing", "get", "/things/{id}", "3.3", "None"),
            target("createThing", "post", "/things", "3.1", "ThingBody"),
        ];
        let attached = attach(entries, &targets, &["ThingBody".to_string()]);
        assert_eq!(attached.by_operation, vec![vec![0], vec![1], vec![2, 3]]);
        assert_eq!(attached.unattached, vec![4]);
        assert_eq!(attached.by_schema["ThingBody"], vec![3]);
        assert_eq!(attached.entries[0].title, "Names (§3.2)");
        assert_eq!(attached.entries[0].markdown, "**Names (§3.2).** about deleting.");
    }

    #[test]
    fn a_parameter_named_in_a_title_attaches_within_its_chapter_only() {
        let md = "## Lists (004 §3.1–§3.3)\n\n- **`marker` paging.** text\n\
            - **Paging.** the `marker` in the text only\n\
            - **`Thing.size` unit.** text\n";
        let target = |section: &str| Target {
            operation_id: None,
            method: "get".into(),
            path: format!("/{section}"),
            sources: vec![(Some("004".into()), section.into())],
            schemas: ["Thing".to_string()].into_iter().collect(),
            parameters: ["marker".to_string()].into_iter().collect(),
        };
        let targets = [target("3.2"), target("5.4")];
        let attached = attach(parse(md, "a.yaml"), &targets, &["Thing".to_string()]);
        assert_eq!(attached.by_operation, vec![vec![0, 2], vec![2]]);
        assert_eq!(attached.unattached, vec![1]);
    }
}
