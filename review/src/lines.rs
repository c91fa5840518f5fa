//! The line and column a JSON pointer lies at in a spec's text, for `file:line:col` in text
//! output and SARIF's `region`.
//!
//! JSON text is read whole: each member's place is its key's (its opening quote), each
//! item's where its value starts. Columns count characters from 1. YAML goes through a small scanner of block style: it finds each key at the
//! indentation of its mapping's first key, and each sequence item by its `- `. Where it
//! cannot be sure (flow collections, aliases, merge keys, explicit keys) it answers `None`,
//! and the finding goes without a line: no line is better than a wrong one.

use std::collections::HashMap;

use specwright_oas::schema::DOCUMENT_DEPTH;

/// One piece of a line: a `-` of a sequence item, or what follows it (or the line's text).
#[derive(Debug)]
struct Entry<'a> {
    /// 1-based line number.
    line: usize,
    indent: usize,
    /// `-` for a sequence item; else the text from `indent` on.
    body: &'a str,
}

fn entries(text: &str) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    // Lines inside a block scalar (`|`, `>`) deeper than the key that opened it.
    let mut scalar_above: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start_matches(' ');
        let mut indent = raw.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(above) = scalar_above {
            if indent > above {
                continue;
            }
            scalar_above = None;
        }
        if trimmed.starts_with("---") || trimmed.starts_with("...") {
            continue;
        }
        let mut body = trimmed.trim_end();
        while body == "-" || body.starts_with("- ") {
            out.push(Entry {
                line: i + 1,
                indent,
                body: "-",
            });
            let rest = body[1..].trim_start_matches(' ');
            indent += body.len() - rest.len();
            body = rest;
        }
        if body.is_empty() {
            continue;
        }
        let opens_scalar = ["|", ">", "|-", ">-", "|+", ">+"].iter().any(|m| {
            body.strip_suffix(m)
                .is_some_and(|head| head.ends_with(": ") || head.ends_with(':') || head.is_empty())
        });
        if opens_scalar {
            scalar_above = Some(indent);
        }
        out.push(Entry {
            line: i + 1,
            indent,
            body,
        });
    }
    out
}

/// `key: rest` → (key, rest); quoted keys unquoted. `None` for what is not a plain
/// `key:` entry (explicit keys, flow collections).
fn split_key(body: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(inner) = body.strip_prefix('\'') {
        let mut key = String::new();
        let mut chars = inner.char_indices();
        let mut end = None;
        while let Some((at, c)) = chars.next() {
            if c == '\'' {
                if inner[at + 1..].starts_with('\'') {
                    key.push('\'');
                    chars.next();
                    continue;
                }
                end = Some(at + 1);
                break;
            }
            key.push(c);
        }
        (key, inner[end?..].strip_prefix(':')?)
    } else if let Some(inner) = body.strip_prefix('"') {
        // An escaped quote ends the search early; the key then does not parse: `None`.
        let close = inner.find('"')? + 1;
        let key: String = serde_json::from_str(&body[..=close]).ok()?;
        (key, body[close + 1..].strip_prefix(':')?)
    } else {
        if body.starts_with(['?', '{', '[', '&', '*', '!', '|', '>']) {
            return None;
        }
        let at = body
            .match_indices(':')
            .map(|(i, _)| i)
            .find(|&i| body[i + 1..].is_empty() || body[i + 1..].starts_with(' '))?;
        (body[..at].trim_end().to_string(), &body[at + 1..])
    };
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest.trim()))
}

/// Whether what follows `key:` leaves the value to the lines below (nothing, a comment,
/// an anchor).
fn value_below(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with('#') || (rest.starts_with('&') && !rest.contains(' '))
}

/// The 1-based line of the value `pointer` names in a spec's `text`; `None` where the
/// scanner is not sure. For many pointers into one text, [`Lines`] scans it once.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    Lines::new(text).line_of(pointer)
}

/// The 1-based line and column of the value `pointer` names: where its key (or its
/// sequence item's `-`) starts.
pub fn position_of(text: &str, pointer: &str) -> Option<(usize, usize)> {
    Lines::new(text).position_of(pointer)
}

/// A spec's text scanned once, to find the lines of many pointers.
#[derive(Debug)]
pub struct Lines {
    /// Every located pointer's line and column; `None` for text that looked like JSON and
    /// is not.
    lines: Option<HashMap<String, (usize, usize)>>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let lines = if text.trim_start().starts_with(['{', '[']) {
            json_lines(text)
        } else {
            Some(yaml_lines(&entries(text)))
        };
        Lines { lines }
    }

    /// See [`line_of`].
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        self.position_of(pointer).map(|(line, _)| line)
    }

    /// See [`position_of`].
    pub fn position_of(&self, pointer: &str) -> Option<(usize, usize)> {
        self.lines.as_ref()?.get(pointer).copied()
    }

    /// The place of `pointer`, or where the scanner is not sure of it (inside flow style,
    /// say), of the nearest node enclosing it that it is sure of: the value the finding
    /// lies in starts there. The root does not count: a place on line 1 says nothing.
    pub fn nearest_position(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut at = pointer;
        while !at.is_empty() {
            if let Some(found) = self.position_of(at) {
                return Some(found);
            }
            at = at.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
        None
    }
}

/// The line of every pointer in a JSON text, the root's included; `None` where the text
/// is not JSON.
fn json_lines(text: &str) -> Option<HashMap<String, (usize, usize)>> {
    let mut scan = JsonScan {
        text,
        at: 0,
        line: 1,
        mark: 0,
        mark_column: 0,
        lines: HashMap::new(),
    };
    scan.space();
    let root = scan.position();
    scan.lines.insert(String::new(), root);
    scan.value("", 0)?;
    scan.space();
    (scan.at == text.len()).then_some(scan.lines)
}

struct JsonScan<'t> {
    text: &'t str,
    /// Byte offset.
    at: usize,
    line: usize,
    /// A byte offset on the current line whose column is known (`mark_column`, 0-based,
    /// in characters): columns are counted on from the last one asked for, so a text on
    /// one line (minified JSON) is counted once, not once per value.
    mark: usize,
    mark_column: usize,
    lines: HashMap<String, (usize, usize)>,
}

impl JsonScan<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// The line and column (in characters) of the byte at `at`.
    fn position(&mut self) -> (usize, usize) {
        if let Some(s) = self.text.get(self.mark..self.at) {
            self.mark_column += s.chars().count();
            self.mark = self.at;
        }
        (self.line, self.mark_column + 1)
    }

    /// Whitespace; a JSON string holds no raw line break, so lines end only here.
    fn space(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => {
                    self.line += 1;
                    self.mark = self.at + 1;
                    self.mark_column = 0;
                }
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.at += 1;
        }
    }

    /// A string, decoded.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => self.at += 2,
                b'\n' => return None,
                _ => self.at += 1,
            }
        }
        self.at += 1;
        serde_json::from_str(self.text.get(start..self.at)?).ok()
    }

    /// The value at `pointer`, which starts here (after any space).
    fn value(&mut self, pointer: &str, depth: usize) -> Option<()> {
        // Deeper than this, a JSON text gets no lines (a document that loaded never is).
        if depth > DOCUMENT_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => {
                self.at += 1;
                self.space();
                if self.eat(b'}').is_some() {
                    return Some(());
                }
                loop {
                    self.space();
                    let line = self.position();
                    let key = self.string()?;
                    self.space();
                    self.eat(b':')?;
                    self.space();
                    let member = specwright_oas::pointer::join(pointer, &key);
                    self.value(&member, depth + 1)?;
                    self.lines.insert(member, line);
                    self.space();
                    if self.eat(b',').is_none() {
                        return self.eat(b'}');
                    }
                }
            }
            b'[' => {
                self.at += 1;
                self.space();
                if self.eat(b']').is_some() {
                    return Some(());
                }
                for index in 0.. {
                    self.space();
                    let item = format!("{pointer}/{index}");
                    let position = self.position();
                    self.lines.insert(item.clone(), position);
                    self.value(&item, depth + 1)?;
                    self.space();
                    if self.eat(b',').is_none() {
                        break;
                    }
                }
                self.eat(b']')
            }
            b'"' => self.string().map(drop),
            _ => {
                // A number, true, false or null: up to what ends it.
                let rest = &self.text.as_bytes()[self.at..];
                let len = rest
                    .iter()
                    .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n'))
                    .unwrap_or(rest.len());
                (len > 0).then(|| self.at += len)
            }
        }
    }
}

/// The line of every pointer the block-style YAML scanner is sure of, in one pass: a key
/// at its mapping's indentation, an item at its `-`. A value written on its key's line
/// (a scalar, a flow collection, an alias) has no children here.
fn yaml_lines(es: &[Entry]) -> HashMap<String, (usize, usize)> {
    /// An open mapping or sequence: the indentation of its entries, its pointer, and, for a
    /// sequence, the index of its next item.
    struct Open {
        indent: usize,
        pointer: String,
        next_item: Option<usize>,
    }
    let mut lines = HashMap::from([(String::new(), (1, 1))]);
    let mut open: Vec<Open> = Vec::new();
    // A value below the entry just read: its pointer, that entry's indentation (`None`
    // for the document), and whether it was a key, whose sequence may sit at its own indent.
    let mut below: Option<(String, Option<usize>, bool)> = Some((String::new(), None, false));
    for e in es {
        let item = e.body == "-";
        if let Some((pointer, parent, after_key)) = below.take() {
            let deeper = parent.is_none_or(|p| e.indent > p);
            if deeper || (after_key && item && parent == Some(e.indent)) {
                let next_item = item.then_some(0);
                open.push(Open {
                    indent: e.indent,
                    pointer,
                    next_item,
                });
            }
        }
        while open
            .last()
            .is_some_and(|o| e.indent < o.indent || (e.indent == o.indent && o.next_item.is_some() != item))
        {
            open.pop();
        }
        let Some(top) = open.last_mut().filter(|o| o.indent == e.indent) else {
            continue;
        };
        match &mut top.next_item {
            Some(index) => {
                let pointer = format!("{}/{index}", top.pointer);
                *index += 1;
                lines.entry(pointer.clone()).or_insert((e.line, e.indent + 1));
                below = Some((pointer, Some(e.indent), false));
            }
            None => {
                let Some((key, rest)) = split_key(e.body) else {
                    continue;
                };
                let pointer = specwright_oas::pointer::join(&top.pointer, &key);
                lines.entry(pointer.clone()).or_insert((e.line, e.indent + 1));
                if value_below(rest) {
                    below = Some((pointer, Some(e.indent), true));
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{line_of, position_of};

    const DOC: &str = "\
openapi: 3.0.3
# a comment
paths:
  /a/{id}:
    get:
      description: |
        text with a key: inside
        parameters:
      parameters:
      - name: id
        in: path
      - $ref: '#/components/parameters/X'
      responses:
        '200': {description: ok}
components:
  schemas:
    \"A b\":
      type: object
      tags:
        - x
        - y
";

    #[test]
    fn keys_items_and_quoted_keys_are_found() {
        assert_eq!(line_of(DOC, "/paths/~1a~1{id}/get"), Some(5));
        assert_eq!(line_of(DOC, "/paths/~1a~1{id}/get/parameters"), Some(9));
        assert_eq!(line_of(DOC, "/paths/~1a~1{id}/get/parameters/0/in"), Some(11));
        assert_eq!(line_of(DOC, "/paths/~1a~1{id}/get/parameters/1"), Some(12));
        assert_eq!(line_of(DOC, "/paths/~1a~1{id}/get/responses/200"), Some(14));
        assert_eq!(line_of(DOC, "/components/schemas/A b/tags/1"), Some(21));
    }

    #[test]
    fn columns_are_where_the_key_or_the_dash_starts() {
        assert_eq!(position_of(DOC, "/paths/~1a~1{id}/get"), Some((5, 5)));
        assert_eq!(
            position_of(DOC, "/paths/~1a~1{id}/get/parameters/0"),
            Some((10, 7))
        );
        assert_eq!(
            position_of(DOC, "/paths/~1a~1{id}/get/parameters/0/name"),
            Some((10, 9))
        );
        assert_eq!(
            position_of(DOC, "/paths/~1a~1{id}/get/parameters/0/in"),
            Some((11, 9))
        );
        assert_eq!(position_of(DOC, "/components/schemas/A b/tags/1"), Some((21, 9)));
        assert_eq!(position_of(JSON, "/paths/~1a~1{id}/get"), Some((4, 17)));
        assert_eq!(
            position_of(JSON, "/paths/~1a~1{id}/get/parameters/1"),
            Some((8, 9))
        );
        assert_eq!(position_of(JSON, "/components/schemas/A b/enum/3"), Some((14, 5)));
        assert_eq!(position_of("{\"é\": {\"b\": 1}}", "/é/b"), Some((1, 8)));
    }

    #[test]
    fn inside_flow_style_the_nearest_enclosing_node_is_the_place() {
        let lines = super::Lines::new(DOC);
        let at = "/paths/~1a~1{id}/get/responses/200/description";
        assert_eq!(lines.position_of(at), None);
        assert_eq!(lines.nearest_position(at), Some((14, 9)));
        assert_eq!(lines.nearest_position("/nowhere/at/all"), None);
    }

    #[test]
    fn what_the_scanner_cannot_be_sure_of_has_no_line() {
        assert_eq!(
            line_of(DOC, "/paths/~1a~1{id}/get/responses/200/description"),
            None
        );
        assert_eq!(line_of(DOC, "/paths/~1a~1{id}/get/missing"), None);
    }

    #[test]
    fn what_an_alias_or_a_merge_key_brings_has_no_line() {
        let doc = "a: &x\n  b: 1\nc: *x\nd:\n  <<: *x\n  e: 2\n";
        assert_eq!(line_of(doc, "/a/b"), Some(2));
        assert_eq!(line_of(doc, "/c"), Some(3));
        assert_eq!(line_of(doc, "/c/b"), None);
        assert_eq!(line_of(doc, "/d/b"), None);
        assert_eq!(line_of(doc, "/d/e"), Some(6));
    }

    #[test]
    fn a_sequence_at_its_keys_indentation_ends_at_the_next_key() {
        let doc = "tags:\n- x\n- y\nnext: 1\n";
        assert_eq!(line_of(doc, "/tags/1"), Some(3));
        assert_eq!(line_of(doc, "/next"), Some(4));
        assert_eq!(line_of(doc, "/tags/2"), None);
    }

    const JSON: &str = r##"{
  "openapi": "3.0.3",
  "paths": {
    "/a/{id}": {"get": {
      "description": "a \"quoted\" } ] { text",
      "parameters": [
        {"name": "id", "in": "path"},
        {"$ref": "#/components/parameters/X"}
      ],
      "responses": {"200": {"description": "ok"}}
    }}
  },
  "components": {"schemas": {"A b": {"enum": [1, true, null,
    -2.5e3]}}}
}"##;

    #[test]
    fn json_members_are_at_their_keys_and_items_where_they_start() {
        assert_eq!(line_of(JSON, ""), Some(1));
        assert_eq!(line_of(JSON, "/openapi"), Some(2));
        assert_eq!(line_of(JSON, "/paths/~1a~1{id}/get"), Some(4));
        assert_eq!(line_of(JSON, "/paths/~1a~1{id}/get/parameters"), Some(6));
        assert_eq!(line_of(JSON, "/paths/~1a~1{id}/get/parameters/1/$ref"), Some(8));
        assert_eq!(
            line_of(JSON, "/paths/~1a~1{id}/get/responses/200/description"),
            Some(10)
        );
        assert_eq!(line_of(JSON, "/components/schemas/A b/enum/3"), Some(14));
        assert_eq!(line_of(JSON, "/paths/~1a~1{id}/get/missing"), None);
    }

    #[test]
    fn text_that_is_not_json_after_all_has_no_lines() {
        for broken in ["{\"a\": 1", "{\"a\": 1} x", "[1,, 2]", "{\"a\n\": 1}", "{1: 2}"] {
            assert_eq!(line_of(broken, "/a"), None, "{broken}");
        }
        let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
        assert_eq!(line_of(&deep, "/0"), None);
    }
}
