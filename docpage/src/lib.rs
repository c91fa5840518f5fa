//! `specwright docs`: a spec as one self-contained HTML page, for reading and reviewing it.
//!
//! The page holds every operation, grouped by tag, with its parameters, bodies, examples,
//! statuses and `x-source`; the REVIEW.md decisions and the review findings beside the
//! operations and schemas they concern; the component schemas; and a search box. Its CSS
//! and script are inlined, so it opens from disk with no server and makes no request.
//!
//! This module builds the page's model from the raw spec (any OpenAPI 3.0 document: tags,
//! `x-source` and REVIEW.md are all optional); `html` renders it with `maud`, which escapes
//! everything the spec says; `decisions` reads REVIEW.md.

mod calling;
mod codes;
mod decisions;
mod html;
mod sample;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;
use specwright_oas::pointer;

use specwright_codegen::Error;

/// A review finding about the spec: where (a JSON pointer into it) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub pointer: String,
    pub severity: String,
    pub rule: String,
    pub message: String,
}

impl Annotation {
    /// A `specwright review` finding as the page shows it: with the reason REVIEW.md gives,
    /// where one of `explained` covers it.
    pub fn of_finding(
        finding: specwright_review::Finding,
        explained: &[specwright_review::explained::Explanation],
    ) -> Annotation {
        let message = match explained.iter().find(|e| e.covers(&finding)) {
            Some(e) => format!("{} Explained in REVIEW.md: {}", finding.message, e.reason),
            None => finding.message,
        };
        Annotation {
            pointer: finding.pointer,
            severity: finding.severity.as_str().to_string(),
            rule: finding.rule.to_string(),
            message,
        }
    }
}

/// One file of the rendered reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub file_name: String,
    /// Shared: for a single spec, `index.html` is the same text as its page, not a copy.
    /// (An `Arc<String>`, not an `Arc<str>`: making the latter from the page's `String`
    /// copies it, and a 100k-operation page is 0.78 GB.)
    pub html: std::sync::Arc<String>,
}

/// One spec to render with [`pages`].
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The spec, loaded ([`specwright_codegen::load_file`], [`specwright_codegen::load_str`]). Its origin's file name
    /// scopes REVIEW.md and names the page.
    pub loaded: &'a specwright_codegen::Loaded,
    /// The REVIEW.md that records the spec's decisions, if any.
    pub review_md: Option<&'a str>,
    /// Review findings about the spec.
    pub annotations: &'a [Annotation],
}

/// The HTML page of the spec `text` (YAML or JSON) read from `origin`, with the decisions
/// of `review_md` and the findings `annotations` beside what they concern.
pub fn render(
    text: &str,
    origin: &str,
    review_md: Option<&str>,
    annotations: &[Annotation],
) -> Result<String, Error> {
    let loaded = specwright_codegen::load_str(text, origin)?;
    let model = Model::build(&loaded.raw, origin, review_md, annotations);
    Ok(html::page(&model))
}

/// The pages of several specs: `<stem>.html` for each, and `index.html`, which links them
/// (or, for a single spec, is its page).
pub fn pages(inputs: &[Input<'_>]) -> Vec<Page> {
    let mut out: Vec<Page> = Vec::new();
    let links = each_page(inputs, |file_name, model| {
        out.push(Page {
            file_name: file_name.to_string(),
            html: std::sync::Arc::new(html::page(model)),
        });
        Ok::<(), std::convert::Infallible>(())
    });
    let links = match links {
        Ok(links) => links,
        Err(never) => match never {},
    };
    let index = match out.as_slice() {
        [single] => single.html.clone(),
        _ => std::sync::Arc::new(html::index(&links)),
    };
    out.push(Page {
        file_name: "index.html".to_string(),
        html: index,
    });
    out
}

/// The pages [`pages`] makes, written into the directory `dir` as they are rendered (a
/// page is never held whole: one of 100k operations is 0.78 GB). Each goes to a temporary
/// file beside its place and replaces it only where its content changed, so an unchanged
/// page keeps its mtime and a failed write leaves no half page. Returns the paths.
pub fn write_pages(inputs: &[Input<'_>], dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, Error> {
    let write_error = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(write_error(dir))?;
    let mut written = Vec::new();
    let links = each_page(inputs, |file_name, model| {
        let path = dir.join(file_name);
        let fresh = dir.join(format!(".{file_name}.partial"));
        let file = std::fs::File::create(&fresh).map_err(write_error(&fresh))?;
        let mut sink = FileSink {
            file: std::io::BufWriter::new(file),
            error: None,
        };
        let rendered = html::page_to(model, &mut sink);
        let flushed = match (rendered, sink.error.take()) {
            (_, Some(e)) => Err(e),
            (Err(std::fmt::Error), None) => Err(std::io::Error::other("the page's frame did not render")),
            (Ok(()), None) => std::io::Write::flush(&mut sink.file),
        };
        if let Err(e) = flushed {
            let _ = std::fs::remove_file(&fresh);
            return Err(write_error(&path)(e));
        }
        drop(sink);
        specwright_codegen::replace_if_changed(&fresh, &path)?;
        written.push(path);
        Ok(())
    })?;
    let index = dir.join("index.html");
    match written.as_slice() {
        [single] => {
            let fresh = dir.join(".index.html.partial");
            if let Err(e) = std::fs::copy(single, &fresh) {
                let _ = std::fs::remove_file(&fresh);
                return Err(write_error(&fresh)(e));
            }
            specwright_codegen::replace_if_changed(&fresh, &index)?;
        }
        _ => specwright_codegen::write_if_changed(&index, &html::index(&links))?,
    }
    written.push(index);
    Ok(written)
}

/// `fmt::Write` onto a file, keeping the I/O error that `fmt::Error` cannot carry.
struct FileSink {
    file: std::io::BufWriter<std::fs::File>,
    error: Option<std::io::Error>,
}

impl std::fmt::Write for FileSink {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        std::io::Write::write_all(&mut self.file, s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// Builds each input's model in turn and hands it to `emit` with its file name
/// (`<stem>.html`, numbered where stems repeat, never `index.html`); returns the index's links.
fn each_page<E>(
    inputs: &[Input<'_>],
    mut emit: impl FnMut(&str, &Model<'_>) -> Result<(), E>,
) -> Result<Vec<html::IndexLink>, E> {
    let mut links = Vec::new();
    let mut taken = BTreeSet::new();
    for input in inputs {
        let origin = &input.loaded.origin;
        let model = Model::build(&input.loaded.raw, origin, input.review_md, input.annotations);
        let stem = std::path::Path::new(origin)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("api");
        let mut file_name = format!("{stem}.html");
        let mut n = 2;
        while file_name == "index.html" || !taken.insert(file_name.clone()) {
            file_name = format!("{stem}-{n}.html");
            n += 1;
        }
        emit(&file_name, &model)?;
        links.push(html::IndexLink {
            file_name,
            title: model.title.to_string(),
            version: model.version.to_string(),
            operations: model.operations.len(),
        });
    }
    Ok(links)
}

/// The page's content, read from the spec once.
struct Model<'a> {
    root: &'a Value,
    origin: String,
    title: &'a str,
    version: &'a str,
    description: Option<&'a str>,
    groups: Vec<Group<'a>>,
    operations: Vec<Operation<'a>>,
    schemas: Vec<Schema<'a>>,
    /// `/components/schemas/Name` → the anchor of its section.
    schema_anchors: HashMap<String, String>,
    decisions: decisions::Attached,
    /// Findings on nothing the page has a section for.
    loose_findings: Vec<&'a Annotation>,
    /// All the review's findings, each counted once (a finding on a component also stands
    /// beside every operation using it).
    finding_count: usize,
    /// Error codes of `components.x-error-codes` no operation claims: every operation's.
    common_codes: Vec<codes::Code<'a>>,
    /// Bodies' samples, built while the page is written.
    samples: RefCell<sample::Samples>,
}

struct Group<'a> {
    name: String,
    description: Option<&'a str>,
    anchor: String,
    operations: Vec<usize>,
}

struct Operation<'a> {
    method: &'static str,
    path: &'a str,
    anchor: String,
    id: Option<&'a str>,
    tag: String,
    value: &'a Value,
    /// Path-item and operation parameters, references followed, the operation's winning.
    parameters: Vec<&'a Value>,
    /// Findings on this operation or on a component it references: (finding, the component
    /// pointer it came through).
    findings: Vec<(&'a Annotation, Option<String>)>,
    /// The property names of its request body, and of its responses' bodies.
    request_fields: Vec<String>,
    response_fields: Vec<String>,
    /// The error codes documented for it (besides the common ones).
    codes: Vec<codes::Code<'a>>,
    /// Its own `security` or the document's.
    requirement: Option<calling::Requirement<'a>>,
}

struct Schema<'a> {
    name: &'a str,
    anchor: String,
    value: &'a Value,
    findings: Vec<&'a Annotation>,
}

impl<'a> Model<'a> {
    fn build(
        root: &'a Value,
        origin: &str,
        review_md: Option<&str>,
        annotations: &'a [Annotation],
    ) -> Model<'a> {
        let info = root.get("info");
        let text = |v: Option<&'a Value>, key: &str| v.and_then(|v| v.get(key)).and_then(Value::as_str);
        let mut anchors = Anchors::default();

        let mut schemas = Vec::new();
        let mut schema_anchors = HashMap::new();
        if let Some(map) = root.pointer("/components/schemas").and_then(Value::as_object) {
            for (name, value) in map {
                let anchor = anchors.claim(&format!("schema-{name}"));
                schema_anchors.insert(pointer::join("/components/schemas", name), anchor.clone());
                schemas.push(Schema {
                    name,
                    anchor,
                    value,
                    findings: Vec::new(),
                });
            }
        }

        let error_groups = codes::groups(root);
        let mut claimed = BTreeSet::new();
        let mut operations = Vec::new();
        let mut targets = Vec::new();
        let mut references = Vec::new();
        if let Some(paths) = root.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let item = pointer::follow_refs(root, item);
                for method in specwright_oas::METHODS {
                    let Some(op) = item.get(method).filter(|o| o.is_object()) else {
                        continue;
                    };
                    let id = op.get("operationId").and_then(Value::as_str);
                    let anchor = anchors.claim(&match id {
                        Some(id) => format!("op-{id}"),
                        None => format!("op-{method}-{path}"),
                    });
                    let tag = op
                        .get("tags")
                        .and_then(Value::as_array)
                        .and_then(|t| t.first())
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| default_group(path));
                    let mut main_refs = BTreeSet::new();
                    collect_refs(root, op.get("requestBody"), &mut main_refs, 0);
                    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                        for (status, response) in responses {
                            if status.starts_with('2') {
                                collect_refs(root, Some(response), &mut main_refs, 0);
                            }
                        }
                    }
                    let mut all_refs = BTreeSet::new();
                    collect_refs(root, Some(op), &mut all_refs, 0);
                    collect_refs(root, item.get("parameters"), &mut all_refs, 0);
                    targets.push(decisions::Target {
                        operation_id: id.map(str::to_string),
                        method: method.to_string(),
                        path: path.clone(),
                        sources: sources(op.get("x-source")),
                        parameters: parameters(root, item, op)
                            .iter()
                            .filter_map(|p| p.get("name").and_then(Value::as_str))
                            .map(str::to_string)
                            .collect(),
                        schemas: main_refs
                            .iter()
                            .filter_map(|r| r.strip_prefix("/components/schemas/"))
                            .map(pointer::unescape)
                            .collect(),
                    });
                    references.push((
                        pointer::join(&pointer::join("/paths", path), method),
                        pointer::join("/paths", path),
                        all_refs,
                    ));
                    let mut request_fields = Vec::new();
                    field_names(root, op.get("requestBody"), &mut request_fields);
                    let mut response_fields = Vec::new();
                    field_names(root, op.get("responses"), &mut response_fields);
                    let mut codes = op.get("x-error-codes").map(codes::codes_in).unwrap_or_default();
                    let description = op.get("description").and_then(Value::as_str).unwrap_or("");
                    for (group, list) in &error_groups {
                        if codes::claims(group, id, description, &request_fields) {
                            claimed.insert(*group);
                            codes.extend(list.iter().copied());
                        }
                    }
                    operations.push(Operation {
                        method,
                        path,
                        anchor,
                        id,
                        tag,
                        value: op,
                        parameters: parameters(root, item, op),
                        findings: Vec::new(),
                        request_fields,
                        response_fields,
                        codes,
                        requirement: calling::requirement(root, op),
                    });
                }
            }
        }

        // Findings: on an operation (or its path item), on a component schema (shown there and
        // on the operations that use it), or on the page's own list.
        // Each finding is placed by the prefixes of its pointer, looked up in maps of the
        // operations, path items, references and schemas, so the page's cost grows with the
        // findings and the spec, not with their product.
        let mut by_op: HashMap<&str, usize> = HashMap::new();
        let mut by_item: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_ref: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (op_pointer, item_pointer, refs)) in references.iter().enumerate() {
            by_op.insert(op_pointer.as_str(), i);
            by_item.entry(item_pointer.as_str()).or_default().push(i);
            for r in refs {
                by_ref.entry(r.as_str()).or_default().push(i);
            }
        }
        let schema_pointers: Vec<String> = schemas
            .iter()
            .map(|schema| pointer::join("/components/schemas", schema.name))
            .collect();
        let by_schema: HashMap<&str, usize> = schema_pointers
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let mut loose_findings = Vec::new();
        for finding in annotations {
            // The pointer itself and each ancestor, shortest first.
            let at = finding.pointer.as_str();
            let mut prefixes: Vec<&str> = at
                .match_indices('/')
                .map(|(i, _)| &at[..i])
                .filter(|p| !p.is_empty())
                .collect();
            prefixes.push(at);
            let mut placed = false;
            let mut direct: BTreeSet<usize> = BTreeSet::new();
            for (k, prefix) in prefixes.iter().enumerate() {
                if let Some(&i) = by_op.get(prefix) {
                    direct.insert(i);
                }
                if let Some(ops) = by_item.get(prefix) {
                    // A finding on the path item, not on one of its operations.
                    let below_a_method = prefixes.get(k + 1).is_some_and(|next| {
                        specwright_oas::METHODS
                            .iter()
                            .any(|m| *next == pointer::join(prefix, m))
                    });
                    if !below_a_method {
                        direct.extend(ops.iter().copied());
                    }
                }
            }
            let mut via: BTreeMap<usize, &str> = BTreeMap::new();
            for prefix in &prefixes {
                for &i in by_ref.get(prefix).into_iter().flatten() {
                    if !direct.contains(&i) {
                        via.entry(i).or_insert(prefix);
                    }
                }
            }
            for &i in &direct {
                operations[i].findings.push((finding, None));
                placed = true;
            }
            for (&i, r) in &via {
                operations[i].findings.push((finding, Some((*r).to_string())));
            }
            for prefix in &prefixes {
                if let Some(&i) = by_schema.get(prefix) {
                    schemas[i].findings.push(finding);
                    placed = true;
                }
            }
            if !placed {
                loose_findings.push(finding);
            }
        }

        let spec_file = std::path::Path::new(origin)
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or(origin);
        let entries = review_md
            .map(|md| decisions::parse(md, spec_file))
            .unwrap_or_default();
        let schema_names: Vec<String> = schemas.iter().map(|s| s.name.to_string()).collect();
        let decisions = decisions::attach(entries, &targets, &schema_names);

        let groups = groups(root, &operations, &mut anchors);
        Model {
            root,
            origin: origin.to_string(),
            title: text(info, "title").unwrap_or("API"),
            version: text(info, "version").unwrap_or(""),
            description: text(info, "description"),
            groups,
            operations,
            schemas,
            schema_anchors,
            decisions,
            loose_findings,
            finding_count: annotations.len(),
            common_codes: error_groups
                .iter()
                .filter(|(group, _)| !claimed.contains(group))
                .flat_map(|(_, list)| list.iter().copied())
                .collect(),
            samples: RefCell::new(sample::Samples::default()),
        }
    }
}

/// Anchors unique on the page, made of characters any URL fragment keeps.
#[derive(Default)]
struct Anchors(BTreeSet<String>);

impl Anchors {
    fn claim(&mut self, wanted: &str) -> String {
        let base: String = wanted
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let mut anchor = base.clone();
        let mut n = 2;
        while !self.0.insert(anchor.clone()) {
            anchor = format!("{base}-{n}");
            n += 1;
        }
        anchor
    }
}

/// Where an untagged operation is listed: its first path segment that is neither a
/// parameter nor a version (`/v2/{id}/volumes` → `volumes`), else `default`.
fn default_group(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty() && specwright_oas::template::segment_param(s).is_none())
        .find(|s| {
            !(s.len() > 1 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit() || c == '.'))
        })
        .unwrap_or("default")
        .to_string()
}

/// Groups in the order of the spec's `tags`, then of first use.
fn groups<'a>(root: &'a Value, operations: &[Operation<'a>], anchors: &mut Anchors) -> Vec<Group<'a>> {
    let mut order: Vec<(String, Option<&'a str>)> = Vec::new();
    if let Some(tags) = root.get("tags").and_then(Value::as_array) {
        for tag in tags {
            if let Some(name) = tag.get("name").and_then(Value::as_str) {
                order.push((name.to_string(), tag.get("description").and_then(Value::as_str)));
            }
        }
    }
    for op in operations {
        if !order.iter().any(|(n, _)| *n == op.tag) {
            order.push((op.tag.clone(), None));
        }
    }
    let mut by_tag: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, op) in operations.iter().enumerate() {
        by_tag.entry(op.tag.as_str()).or_default().push(i);
    }
    order
        .into_iter()
        .filter_map(|(name, description)| {
            let operations = by_tag.get(name.as_str())?.clone();
            Some(Group {
                anchor: anchors.claim(&format!("tag-{name}")),
                name,
                description,
                operations,
            })
        })
        .collect()
}

/// The operation's parameters: the path item's, then its own, one per (name, in), the
/// operation's winning; references followed.
fn parameters<'a>(root: &'a Value, item: &'a Value, op: &'a Value) -> Vec<&'a Value> {
    let list = |holder: &'a Value| {
        let list = holder.get("parameters").and_then(Value::as_array);
        list.into_iter().flatten().map(|p| pointer::follow_refs(root, p))
    };
    specwright_oas::parameters::effective(list(item), list(op), |p| (p.get("name"), p.get("in")))
}

/// How many components deep a finding on a component is shown with the operations that
/// reach it: a budget of relevance (each target is collected once, so cycles end anyway).
const FINDING_REACH: usize = 3;

/// Every local `$ref` target reachable from `value` (as pointers), through at most
/// [`FINDING_REACH`] components, so a finding on a component reaches the operations that
/// use it.
fn collect_refs(root: &Value, value: Option<&Value>, out: &mut BTreeSet<String>, depth: usize) {
    let Some(value) = value else { return };
    match value {
        Value::Object(map) => {
            if let Some(target) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                if out.insert(target.to_string()) && depth < FINDING_REACH {
                    collect_refs(root, root.pointer(target), out, depth + 1);
                }
            }
            for (key, v) in map {
                // Examples are data, not schema.
                if key != "example" && key != "examples" {
                    collect_refs(root, Some(v), out, depth);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                collect_refs(root, Some(v), out, depth);
            }
        }
        _ => {}
    }
}

/// How many field names an operation's bodies are searched by, and how deep: budgets of
/// what is indexed (each component is read once, so cycles end without them).
const MAX_FIELDS: usize = 400;
const MAX_FIELD_DEPTH: usize = 10;

/// The property names `value` (a body, responses, a schema) holds, through `$ref`s, `allOf`,
/// choices, items and nested objects, each once, in the order met; bounded in depth and
/// count, each component read once.
fn field_names(root: &Value, value: Option<&Value>, out: &mut Vec<String>) {
    fn walk(root: &Value, value: &Value, seen: &mut BTreeSet<String>, out: &mut Vec<String>, depth: usize) {
        if depth > MAX_FIELD_DEPTH || out.len() >= MAX_FIELDS {
            return;
        }
        match value {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    if seen.insert(r.to_string()) {
                        if let Some(target) = pointer::resolve_ref(root, r) {
                            walk(root, target, seen, out, depth + 1);
                        }
                    }
                    return;
                }
                if let Some(props) = map.get("properties").and_then(Value::as_object) {
                    for name in props.keys() {
                        if out.len() < MAX_FIELDS && !out.contains(name) {
                            out.push(name.clone());
                        }
                    }
                }
                for (key, v) in map {
                    // Examples are data, not schema; extensions are not the body's.
                    if key != "example" && key != "examples" && !key.starts_with("x-") {
                        walk(root, v, seen, out, depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                for v in items {
                    walk(root, v, seen, out, depth + 1);
                }
            }
            _ => {}
        }
    }
    if let Some(value) = value {
        walk(root, value, &mut BTreeSet::new(), out, 0);
    }
}

/// `(document number, section number)` of each `x-source` entry that has both or a section.
fn sources(x_source: Option<&Value>) -> Vec<(Option<String>, String)> {
    let entries: Vec<&Value> = match x_source {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    };
    entries
        .into_iter()
        .filter_map(|e| {
            let section = decisions::leading_section(e.get("section")?.as_str()?)?;
            let document = e
                .get("document")
                .and_then(Value::as_str)
                .and_then(decisions::leading_document);
            Some((document, section))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_pages_are_the_pages_and_an_unchanged_one_is_left_alone() {
        let specs = [
            ("evs.yaml", include_str!("../../spec/evs.yaml")),
            ("ims.yaml", include_str!("../../spec/ims.yaml")),
        ];
        let loaded: Vec<specwright_codegen::Loaded> = specs
            .iter()
            .map(|(origin, text)| specwright_codegen::load_str(text, origin).expect("our specs load"))
            .collect();
        let dir = std::env::temp_dir().join(format!("specwright-docs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for count in [2, 1] {
            let inputs: Vec<Input<'_>> = loaded[..count]
                .iter()
                .map(|loaded| Input {
                    loaded,
                    review_md: None,
                    annotations: &[],
                })
                .collect();
            let written = write_pages(&inputs, &dir).expect("written");
            assert_eq!(written.len(), count + 1);
            for page in pages(&inputs) {
                let on_disk = std::fs::read_to_string(dir.join(&page.file_name)).expect("read back");
                assert!(
                    on_disk == *page.html,
                    "{} differs from the page in memory",
                    page.file_name
                );
            }
            let modified = |name: &str| {
                std::fs::metadata(dir.join(name))
                    .and_then(|m| m.modified())
                    .expect("mtime")
            };
            let before = modified("evs.html");
            std::thread::sleep(std::time::Duration::from_millis(20));
            write_pages(&inputs, &dir).expect("written again");
            assert_eq!(modified("evs.html"), before, "an unchanged page is not rewritten");
            let leftovers: Vec<_> = std::fs::read_dir(&dir)
                .expect("dir")
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|name| name.ends_with(".partial"))
                .collect();
            assert!(leftovers.is_empty(), "{leftovers:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_finding_explained_in_review_md_carries_its_reason() {
        let md = "## Review findings, explained\n\n\
            - `no-example` `/paths/~1a/get`: the documents give none.\n";
        let explained = specwright_review::explained::parse(md).expect("parses");
        let finding = |pointer: &str| specwright_review::Finding::new("no-example", pointer, "no example.");
        let shown = Annotation::of_finding(finding("/paths/~1a/get"), &explained);
        assert_eq!(
            shown.message,
            "no example. Explained in REVIEW.md: the documents give none."
        );
        assert_eq!(shown.rule, "no-example");
        let other = Annotation::of_finding(finding("/paths/~1b/get"), &explained);
        assert_eq!(other.message, "no example.");
    }

    #[test]
    fn a_page_of_schemas_that_hold_themselves_is_finite() {
        let shapes = [
            "allOf: [{$ref: '#/components/schemas/B'}]\n    B:\n      allOf: [{$ref: '#/components/schemas/A'}]",
            "allOf: [{$ref: '#/components/schemas/A'}, {properties: {x: {type: string}}}]",
            "oneOf: [{$ref: '#/components/schemas/A'}, {type: string}]",
            "anyOf: [{$ref: '#/components/schemas/A'}]",
            "{type: array, items: {$ref: '#/components/schemas/A'}}",
            "{type: object, additionalProperties: {$ref: '#/components/schemas/A'}}",
            "{type: object, required: [a], properties: {a: {$ref: '#/components/schemas/A'}}}",
            "not: {$ref: '#/components/schemas/A'}",
        ];
        for shape in shapes {
            let spec = format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      \
                 requestBody:\n        content:\n          application/json:\n            \
                 schema: {{$ref: '#/components/schemas/A'}}\n      responses:\n        '200':\n          \
                 description: ok\ncomponents:\n  schemas:\n    A:\n      {shape}\n"
            );
            let page = render(&spec, "cycle.yaml", None, &[]).unwrap_or_else(|e| panic!("{shape}: {e}"));
            assert!(page.contains("/a"), "{shape}");
        }
    }

    #[test]
    fn untagged_operations_group_by_their_first_plain_segment() {
        assert_eq!(default_group("/v2/{project_id}/volumes/{id}"), "volumes");
        assert_eq!(default_group("/"), "default");
        assert_eq!(default_group("/{id}"), "default");
        assert_eq!(default_group("/v1.1/pets"), "pets");
    }

    #[test]
    fn anchors_are_unique_and_fragment_safe() {
        let mut anchors = Anchors::default();
        assert_eq!(anchors.claim("op-get-/a/{b}"), "op-get--a--b-");
        assert_eq!(anchors.claim("op-get-/a/{b}"), "op-get--a--b--2");
        assert_eq!(anchors.claim("op-<x>\""), "op--x--");
    }
}
