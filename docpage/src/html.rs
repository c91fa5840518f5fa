//! The page model → HTML. `maud` escapes every value it interpolates; Markdown from the
//! spec and REVIEW.md goes through [`markdown`], which escapes raw HTML instead of passing
//! it on and keeps only link targets that cannot run script.

use std::collections::BTreeSet;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use specwright_oas::all_of::{self, AllOf};
use specwright_oas::pointer;
use specwright_oas::schema::{Trail, View};

use super::calling::{self, Requirement};
use super::sample::Direction;
use super::{Annotation, Group, Model, Operation, Schema};

const CSS: &str = include_str!("assets/page.css");
const JS: &str = include_str!("assets/search.js");

/// How deep a body's nested objects are listed in its field table: a choice of what a
/// reader sees at once, not a bound against cycles (that is `specwright_oas::schema`'s).
const MAX_DEPTH: usize = 4;

/// How many rows a field table shows: past that, a large spec's objects are reached through
/// their links instead of copied into every operation, so the page stays a size a browser
/// opens at once. (Our specs' largest body has 59 rows.)
const MAX_ROWS: usize = 80;

/// A line of the index page.
pub(super) struct IndexLink {
    pub file_name: String,
    pub title: String,
    pub version: String,
    pub operations: usize,
}

pub(super) fn page(model: &Model<'_>) -> String {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = page_to(model, &mut text);
    text
}

/// Where [`parts`] cuts the page. Every text the spec or REVIEW.md gives is escaped (raw
/// HTML in descriptions is shown as text), so `<!--` is found only where it was put.
const SLOT: &str = "<!--specwright:slot-->";

/// `markup` cut at each [`SLOT`].
fn parts(markup: Markup) -> Vec<String> {
    markup.into_string().split(SLOT).map(str::to_string).collect()
}

/// The page, written to `out` as it is rendered: the frame with slots, then each group's
/// table of contents, operations and the schemas one at a time, so that a page of 100k
/// operations is never one string.
pub(super) fn page_to(model: &Model<'_>, out: &mut impl std::fmt::Write) -> std::fmt::Result {
    let decisions = &model.decisions;
    let findings = model.finding_count;
    let slot = PreEscaped(SLOT);
    let frame = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (model.title) @if !model.version.is_empty() { " " (model.version) } }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.top {
                    div.brand {
                        h1 { (model.title) }
                        @if !model.version.is_empty() { span.version { "version " (model.version) } }
                    }
                    div.search {
                        input #search type="search" autocomplete="off"
                            placeholder="Search operations: id, path, summary, tag  ( / )"
                            aria-label="Search operations by operationId, path, summary or tag";
                        span #search-count aria-live="polite" {}
                    }
                }
                div.layout {
                    nav.toc aria-label="Operations" {
                        (slot)
                        div.toc-extra {
                            a href="#access" { "Servers and authentication" }
                            @if !model.schemas.is_empty() {
                                a href="#schemas" { "Schemas " span.count { (model.schemas.len()) } }
                            }
                            @if !decisions.unattached.is_empty() {
                                a href="#decisions" { "Decisions not tied to one operation " span.count { (decisions.unattached.len()) } }
                            }
                            @if !model.loose_findings.is_empty() {
                                a href="#findings" { "Findings not tied to one operation " span.count { (model.loose_findings.len()) } }
                            }
                        }
                    }
                    main {
                        section.intro {
                            p.origin { "Rendered from " code { (model.origin) } }
                            @if let Some(d) = model.description { div.md { (markdown(d)) } }
                            ul.stats {
                                li { b { (model.operations.len()) } " operations in " b { (model.groups.len()) } " groups" }
                                li { b { (model.schemas.len()) } " component schemas" }
                                @if !decisions.entries.is_empty() {
                                    li { b { (decisions.entries.len()) } " REVIEW.md decisions, " b { (decisions.on_operations()) } " shown beside their operations" }
                                }
                                @if findings > 0 { li { b { (findings) } " review findings" } }
                            }
                        }
                        (access(model))
                        (slot)
                        (unattached(model))
                        @if !model.loose_findings.is_empty() {
                            section #findings {
                                h2.group-title { "Findings not tied to one operation" }
                                (finding_list(model.loose_findings.iter().map(|f| (*f, None))))
                            }
                        }
                        p #no-match hidden { "No operation matches the search." }
                    }
                }
                script { (PreEscaped(JS)) }
            }
        }
    };
    let frame = parts(frame);
    let [top, middle, bottom] = frame.as_slice() else {
        return Err(std::fmt::Error);
    };
    out.write_str(top)?;
    for group in &model.groups {
        out.write_str(&toc_group(model, group).into_string())?;
    }
    out.write_str(middle)?;
    for group in &model.groups {
        let section = parts(html! {
            section.group id=(group.anchor) data-group=(group.anchor) {
                h2.group-title { (group.name) }
                @if let Some(d) = group.description { div.md.group-description { (markdown(d)) } }
                (slot)
            }
        });
        let [open, close] = section.as_slice() else {
            return Err(std::fmt::Error);
        };
        out.write_str(open)?;
        for &i in &group.operations {
            out.write_str(&operation(model, i).into_string())?;
        }
        out.write_str(close)?;
    }
    schemas_to(model, out)?;
    out.write_str(bottom)
}

/// One group's entry in the table of contents.
fn toc_group(model: &Model<'_>, group: &Group<'_>) -> Markup {
    html! {
        div.toc-group data-group=(group.anchor) {
            a.toc-tag href={ "#" (group.anchor) } {
                (group.name) span.count { (group.operations.len()) }
            }
            ul {
                @for &i in &group.operations {
                    @let op = &model.operations[i];
                    li data-search-of=(op.anchor) {
                        a href={ "#" (op.anchor) } {
                            (method_badge(op.method))
                            span.toc-text {
                                span.toc-path { (op.path) }
                                @if let Some(s) = str_at(op.value, "summary") {
                                    span.toc-summary { (s) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn index(links: &[IndexLink]) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "API reference" }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.top { div.brand { h1 { "API reference" } } }
                main.index {
                    ul.index-list {
                        @for link in links {
                            li {
                                a href=(link.file_name) { (link.title) }
                                span.muted {
                                    @if !link.version.is_empty() { " · version " (link.version) }
                                    " · " (link.operations) " operations · " (link.file_name)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}

/// What the search box finds an operation by: its id, method, path, summary and tag; its
/// parameter names, the field names of its bodies and the error codes documented for it;
/// then the other words of its description, parameters, bodies and responses (enum values,
/// codes in the texts), through `$ref`s, up to [`SEARCH_BUDGET`] bytes, names first.
fn search_text(model: &Model<'_>, op: &Operation<'_>) -> String {
    let mut text = String::new();
    for part in [
        op.id.unwrap_or(""),
        op.method,
        op.path,
        str_at(op.value, "summary").unwrap_or(""),
        &op.tag,
    ] {
        text.push_str(&part.to_lowercase());
        text.push(' ');
    }
    let names = op
        .parameters
        .iter()
        .filter_map(|p| str_at(p, "name"))
        .chain(op.request_fields.iter().map(String::as_str))
        .chain(op.response_fields.iter().map(String::as_str))
        .chain(op.codes.iter().map(|(code, _)| *code))
        .chain(model.common_codes.iter().map(|(code, _)| *code));
    let mut seen = BTreeSet::new();
    let mut words = BTreeSet::new();
    for p in &op.parameters {
        search_words(model.root, p, &mut seen, &mut words, 0);
    }
    search_words(model.root, op.value, &mut seen, &mut words, 0);
    let mut added = BTreeSet::new();
    for w in names.map(str::to_lowercase).chain(words) {
        if text.len() + w.len() > SEARCH_BUDGET {
            break;
        }
        if added.insert(w.clone()) {
            text.push_str(&w);
            text.push(' ');
        }
    }
    text
}

/// How much of an operation's own words its search text holds, so that a page of many
/// operations stays a page.
const SEARCH_BUDGET: usize = 4096;

/// How deep, and how many distinct words, the search text gathers from an operation's
/// part of the document: budgets of what is indexed, not bounds against cycles (each
/// `$ref` is followed once).
const SEARCH_DEPTH: usize = 12;
const SEARCH_WORDS: usize = 2000;

fn search_words(
    root: &Value,
    value: &Value,
    seen: &mut BTreeSet<String>,
    words: &mut BTreeSet<String>,
    depth: usize,
) {
    if depth > SEARCH_DEPTH || words.len() > SEARCH_WORDS {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                if seen.insert(r.to_string()) {
                    let target = pointer::follow_refs(root, value);
                    search_words(root, target, seen, words, depth + 1);
                }
                return;
            }
            for (k, v) in map {
                if k == "x-source" {
                    continue;
                }
                if !k.starts_with("x-") && !k.starts_with('/') {
                    words.insert(k.to_lowercase());
                }
                search_words(root, v, seen, words, depth + 1);
            }
        }
        Value::Array(items) => {
            for v in items {
                search_words(root, v, seen, words, depth + 1);
            }
        }
        Value::String(s) => {
            for w in s.split(|c: char| !(c.is_alphanumeric() || "._-:".contains(c))) {
                let w = w.trim_matches(|c: char| ".:-".contains(c));
                if w.len() > 1 && w.len() <= 40 {
                    words.insert(w.to_lowercase());
                }
            }
        }
        _ => {}
    }
}

fn method_badge(method: &str) -> Markup {
    html! { span class={ "m m-" (method) } { (method.to_uppercase()) } }
}

fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn operation(model: &Model<'_>, index: usize) -> Markup {
    let op = &model.operations[index];
    let value = op.value;
    let decisions = model
        .decisions
        .by_operation
        .get(index)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let deprecated = value.get("deprecated").and_then(Value::as_bool) == Some(true);
    html! {
        article.op id=(op.anchor) data-search=(search_text(model, op)) data-operation-id=[op.id] {
            header.op-head {
                (method_badge(op.method))
                code.path { (op.path) }
                @if deprecated { span.tag-deprecated { "deprecated" } }
                a.permalink href={ "#" (op.anchor) } title="Link to this operation" { "#" }
            }
            @if let Some(s) = str_at(value, "summary") { h3.summary { (s) } }
            div.op-meta {
                @if let Some(id) = op.id { span { "operationId " code.opid { (id) } } }
                span { "tag " b { (op.tag) } }
            }
            @if let Some(d) = str_at(value, "description") { div.md { (markdown(d)) } }
            @if let Some(source) = value.get("x-source") { (x_source(source)) }
            @if !op.findings.is_empty() {
                div.box.findings-box {
                    h4 { "Review findings (" (op.findings.len()) ")" }
                    (finding_list(op.findings.iter().map(|(f, via)| (*f, via.as_deref()))))
                }
            }
            div.op-body {
                div.op-main {
                    (parameters(model, &op.parameters))
                    @if let Some(body) = value.get("requestBody") { (request_body(model, body)) }
                    @if let Some(responses) = value.get("responses").and_then(Value::as_object) {
                        h4.part { "Responses" }
                        @for (status, response) in responses { (response_block(model, status, response)) }
                    }
                    (error_codes(model, op))
                }
                (call_panel(model, op))
            }
            // After what a caller sends and gets, and folded: the reasons are for reviewers.
            @if !decisions.is_empty() {
                details.box.decisions-box {
                    summary { h4 { "Decisions in REVIEW.md (" (decisions.len()) ")" } }
                    @for &d in decisions { (decision(model, d, false)) }
                }
            }
        }
    }
}

fn x_source(source: &Value) -> Markup {
    let entries: Vec<&Value> = match source {
        Value::Array(list) => list.iter().collect(),
        other => vec![other],
    };
    html! {
        div.box.source-box {
            h4 { "Source " span.muted { "x-source" } }
            @for entry in entries {
                @match entry {
                    Value::Object(map) => {
                        dl.source {
                            @for (key, v) in map {
                                dt { (key) }
                                dd {
                                    @match v.as_str() {
                                        Some(s) if is_web_link(s) => a href=(s) rel="noreferrer" { (s) },
                                        Some(s) if s.contains('\n') => div.md { (markdown(s)) },
                                        Some(s) => (s),
                                        None => code { (compact(v)) },
                                    }
                                }
                            }
                        }
                    }
                    Value::String(s) if is_web_link(s) => p { a href=(s) rel="noreferrer" { (s) } },
                    Value::String(s) => p { (s) },
                    other => p { code { (compact(other)) } },
                }
            }
        }
    }
}

fn is_web_link(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// An example as the reader sees it: text as it is, anything else as pretty JSON.
pub(super) fn example_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

fn decision(model: &Model<'_>, index: usize, open: bool) -> Markup {
    let Some(entry) = model.decisions.entries.get(index) else {
        return html! {};
    };
    html! {
        details.decision id={ "decision-" (index) } open[open] {
            summary {
                span.decision-title { (inline_markdown(&entry.title)) }
                @if let Some(h) = entry.headings.last() { span.decision-where { (h) } }
            }
            div.md { (markdown(&entry.markdown)) }
        }
    }
}

fn finding_list<'a>(findings: impl Iterator<Item = (&'a Annotation, Option<&'a str>)>) -> Markup {
    html! {
        ul.findings {
            @for (f, via) in findings {
                @let severity: String = f.severity.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_lowercase();
                li class={ "finding sev-" (severity) } {
                    span.sev { (f.severity) }
                    " " code.rule { (f.rule) } " "
                    span.message { (f.message) }
                    " " code.ptr { (f.pointer) }
                    @if let Some(via) = via { " " span.muted { "(through " code { (via) } ")" } }
                }
            }
        }
    }
}

fn parameters(model: &Model<'_>, params: &[&Value]) -> Markup {
    if params.is_empty() {
        return html! {};
    }
    html! {
        h4.part { "Parameters" }
        div.table-wrap {
            table.fields {
                thead { tr { th { "name" } th { "in" } th { "type" } th { "constraints" } th { "description" } } }
                tbody {
                    @for p in params {
                        @let schema = p.get("schema").or_else(|| {
                            p.get("content").and_then(Value::as_object)
                                .and_then(|c| c.values().next()).and_then(|m| m.get("schema"))
                        });
                        @let required = p.get("required").and_then(Value::as_bool) == Some(true);
                        tr {
                            td.name {
                                code { (str_at(p, "name").unwrap_or("?")) }
                                @if required { " " span.req title="required" { "required" } }
                            }
                            td { (str_at(p, "in").unwrap_or("")) }
                            td.type {
                                @match schema { Some(s) => (type_of(model, s, 0)), None => "" }
                                @if let Some(mt) = p.get("content").and_then(Value::as_object).and_then(|c| c.keys().next()) {
                                    br; span.muted { "as " (mt) }
                                }
                            }
                            td.constraints { @if let Some(s) = schema { (constraints(model, s)) } }
                            td.md {
                                @if let Some(d) = str_at(p, "description") { (markdown(d)) }
                                @if p.get("deprecated").and_then(Value::as_bool) == Some(true) { p.muted { "Deprecated." } }
                                @if let Some(e) = p.get("example") { p { "Example: " code { (compact(e)) } } }
                                @if let Some(map) = p.get("examples").and_then(Value::as_object) {
                                    @for (name, e) in map {
                                        @let e = pointer::follow_refs(model.root, e);
                                        p { "Example " (name) ": " code { (compact(e.get("value").unwrap_or(&Value::Null))) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn request_body(model: &Model<'_>, body: &Value) -> Markup {
    let (body, at) = pointer::follow(model.root, body);
    let required = body.get("required").and_then(Value::as_bool) == Some(true);
    html! {
        h4.part {
            "Request body"
            @if required { " " span.req { "required" } }
            @if let Some(at) = at { " " span.muted { (ref_name(&at)) } }
        }
        @if let Some(d) = str_at(body, "description") { div.md { (markdown(d)) } }
        @if let Some(content) = body.get("content").and_then(Value::as_object) {
            @for (media_type, media) in content { (media_block(model, media_type, media, Fields::Open)) }
        }
    }
}

fn response_block(model: &Model<'_>, status: &str, response: &Value) -> Markup {
    let (response, at) = pointer::follow(model.root, response);
    // An error body is usually one shared schema: its link is enough, and its fields are
    // listed once, in its schema's section.
    let fields = if status.starts_with(['4', '5']) || status == "default" {
        Fields::None
    } else {
        Fields::Closed
    };
    let class = status_class(status);
    html! {
        div.response {
            div.response-head {
                span class=(class) { (status) }
                @if let Some(d) = str_at(response, "description") { div.md.response-description { (markdown(d)) } }
                @if let Some(at) = at { span.muted.ref-name { (ref_name(&at)) } }
            }
            @if let Some(headers) = response.get("headers").and_then(Value::as_object) {
                div.table-wrap {
                    table.fields {
                        thead { tr { th { "header" } th { "type" } th { "constraints" } th { "description" } } }
                        tbody {
                            @for (name, header) in headers {
                                @let header = pointer::follow_refs(model.root, header);
                                tr {
                                    td.name {
                                        code { (name) }
                                        @if header.get("required").and_then(Value::as_bool) == Some(true) { " " span.req { "required" } }
                                    }
                                    td.type { @if let Some(s) = header.get("schema") { (type_of(model, s, 0)) } }
                                    td.constraints { @if let Some(s) = header.get("schema") { (constraints(model, s)) } }
                                    td.md { @if let Some(d) = str_at(header, "description") { (markdown(d)) } }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(content) = response.get("content").and_then(Value::as_object) {
                @for (media_type, media) in content { (media_block(model, media_type, media, fields)) }
            }
        }
    }
}

/// Whether a body's field table is shown, and open.
#[derive(Clone, Copy, PartialEq)]
enum Fields {
    Open,
    Closed,
    None,
}

/// One media type of a body: its schema (a field table, open for requests). Its samples
/// stand beside it, in the call panel.
fn media_block(model: &Model<'_>, media_type: &str, media: &Value, fields: Fields) -> Markup {
    let schema = media.get("schema").filter(|_| fields != Fields::None);
    let open = fields == Fields::Open;
    let rows = schema
        .map(|s| field_rows(model, s, None, Place::Operation))
        .unwrap_or_default();
    let schema = media.get("schema");
    html! {
        div.media {
            div.media-head {
                span.media-type { (media_type) }
                @if let Some(s) = schema { " " span.schema-type { (type_of(model, s, 0)) } }
            }
            @if !rows.is_empty() {
                details.fields-details open[open] {
                    summary { "Fields (" (row_count(&rows)) ")" }
                    (field_table(model, &rows))
                }
            }
        }
    }
}

/// The samples of one media type: each example the spec gives, or, where it gives none and
/// the body is JSON, one built from the schema and said to be built.
fn media_samples(model: &Model<'_>, media_type: &str, media: &Value, direction: Direction) -> Markup {
    let examples = examples(model, media);
    let generated = match media.get("schema") {
        Some(s) if examples.is_empty() && specwright_oas::media::is_json(media_type) => Some(example_text(
            &model.samples.borrow_mut().body(model.root, s, direction),
        )),
        _ => None,
    };
    html! {
        @for (label, summary, description, text) in &examples {
            div.example {
                div.example-head {
                    span.example-label { (label) }
                    " " span.media-type { (media_type) }
                    @if let Some(s) = summary { " " span.example-summary { (s) } }
                }
                @if let Some(d) = description { div.md { (markdown(d)) } }
                pre.example-body { code { (text) } }
            }
        }
        @if let Some(text) = generated {
            div.example.generated {
                div.example-head {
                    span.example-label { "Sample" }
                    " " span.media-type { (media_type) }
                    " " span.generated-mark title="The spec gives no example: this one is built from the schema" { "generated from the schema" }
                }
                pre.example-body { code { (text) } }
            }
        }
    }
}

/// Request and response samples, as an API reference's right-hand column shows them: the
/// request body's, then one fold per documented status with a body (the first success open).
fn samples_panel<'a>(model: &Model<'a>, op: &Operation<'a>) -> Markup {
    let root = model.root;
    let content = |v: &'a Value| -> Vec<(&'a str, &'a Value)> {
        pointer::follow_refs(root, v)
            .get("content")
            .and_then(Value::as_object)
            .map(|c| c.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    };
    let request = op.value.get("requestBody").map(content).unwrap_or_default();
    let responses: Vec<(&str, Vec<(&str, &Value)>)> = op
        .value
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(status, v)| (status.as_str(), content(v)))
        .filter(|(_, media)| !media.is_empty())
        .collect();
    let open = responses.iter().position(|(status, _)| status.starts_with('2'));
    html! {
        @if !request.is_empty() {
            div.samples.request-samples {
                div.call-label { "Request sample" }
                @for (media_type, media) in &request { (media_samples(model, media_type, media, Direction::Request)) }
            }
        }
        @if !responses.is_empty() {
            div.samples.response-samples {
                div.call-label { "Response samples" }
                @for (i, (status, media)) in responses.iter().enumerate() {
                    details.response-sample open[Some(i) == open] {
                        summary { span class=(status_class(status)) { (status) } }
                        @for (media_type, media) in media { (media_samples(model, media_type, media, Direction::Response)) }
                    }
                }
            }
        }
    }
}

/// The CSS class of a status badge: by its first digit.
fn status_class(status: &str) -> String {
    match status.chars().next() {
        Some(c @ '1'..='5') => format!("status s{c}"),
        _ => "status sd".to_string(),
    }
}

/// `(label, summary, description, text)` of each example of a media type; the schema's
/// own `example` when the media type has none.
fn examples<'a>(
    model: &Model<'a>,
    media: &'a Value,
) -> Vec<(String, Option<&'a str>, Option<&'a str>, String)> {
    let root = model.root;
    let mut out = Vec::new();
    if let Some(e) = media.get("example") {
        out.push(("Example".to_string(), None, None, example_text(e)));
    }
    if let Some(map) = media.get("examples").and_then(Value::as_object) {
        for (name, e) in map {
            let e = pointer::follow_refs(root, e);
            let text = match (e.get("value"), str_at(e, "externalValue")) {
                (Some(v), _) => example_text(v),
                (None, Some(url)) => format!("(external: {url})"),
                (None, None) => continue,
            };
            out.push((name.clone(), str_at(e, "summary"), str_at(e, "description"), text));
        }
    }
    if out.is_empty() {
        if let Some(e) = media
            .get("schema")
            .map(|s| pointer::follow_refs(root, s))
            .and_then(|s| s.get("example"))
        {
            out.push(("Schema example".to_string(), None, None, example_text(e)));
        }
    }
    out
}

/// The servers and the security schemes: where to send a call, and how it proves who sends
/// it. The anchors `security-<name>` are what an operation's requirement links to.
fn access(model: &Model<'_>) -> Markup {
    let root = model.root;
    let servers = calling::servers(root);
    let schemes = root
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let default = root
        .get("security")
        .map(|_| calling::requirement(root, &Value::Null));
    html! {
        section #access {
            h2.group-title { "Servers and authentication" }
            h3 { "Servers" }
            @if servers.is_empty() {
                p.muted { "The spec names no server: calls go to the host that serves it (" code { "$BASE_URL" } " in the curl lines)." }
            }
            @for server in &servers {
                div.server {
                    code.server-url { (server.url) }
                    @if let Some(d) = server.description { " " span.muted { (d) } }
                    @if !server.variables.is_empty() {
                        ul.server-vars {
                            @for v in &server.variables {
                                li {
                                    code { "{" (v.name) "}" }
                                    @if let Some(d) = &v.default { " default " code { (d) } }
                                    @if !v.values.is_empty() {
                                        " one of"
                                        @for value in v.values.iter().take(40) { " " code { (value) } }
                                    }
                                    @if let Some(d) = v.description { " — " span.md-inline { (inline_markdown(d)) } }
                                }
                            }
                        }
                    }
                }
            }
            h3 { "Security schemes" }
            @if let Some(Some(r)) = &default {
                p { "Unless an operation says otherwise, calls need " (requirement_markup(model, Some(r))) "." }
            }
            @match schemes {
                None => p.muted { "The spec declares no security scheme." },
                Some(map) => {
                    @for (name, scheme) in map {
                        @let scheme = pointer::follow_refs(root, scheme);
                        div.scheme id={ "security-" (anchor_safe(name)) } {
                            h4 { code { (name) } " " span.scheme-type { (str_at(scheme, "type").unwrap_or("?")) } }
                            (scheme_details(scheme))
                            @if let Some(d) = str_at(scheme, "description") { div.md { (markdown(d)) } }
                        }
                    }
                }
            }
            @if !model.common_codes.is_empty() {
                details #common-codes {
                    summary { h3 { "Error codes common to every operation (" (model.common_codes.len()) ")" } }
                    ul.codes { @for (code, meaning) in &model.common_codes { li { code { (code) } " " (meaning) } } }
                }
            }
        }
    }
}

/// A scheme's name made safe for an anchor, as `access` writes it.
fn anchor_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Where a scheme's credential goes: header, query or cookie name; the HTTP scheme and
/// bearer format; OAuth2 flows with their URLs and scopes; the OpenID Connect URL.
fn scheme_details(scheme: &Value) -> Markup {
    let text = |k: &str| str_at(scheme, k);
    html! {
        dl.scheme-details {
            @match text("type") {
                Some("apiKey") => {
                    dt { "sent in" } dd { (text("in").unwrap_or("?")) " " code { (text("name").unwrap_or("?")) } }
                }
                Some("http") => {
                    dt { "HTTP scheme" } dd { code { (text("scheme").unwrap_or("?")) } }
                    @if let Some(f) = text("bearerFormat") { dt { "bearer format" } dd { (f) } }
                }
                Some("openIdConnect") => {
                    dt { "OpenID Connect URL" } dd { (link_or_text(text("openIdConnectUrl").unwrap_or("?"))) }
                }
                Some("oauth2") => {
                    @for (flow, value) in scheme.get("flows").and_then(Value::as_object).into_iter().flatten() {
                        dt { "flow " code { (flow) } }
                        dd {
                            @for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                                @if let Some(url) = str_at(value, key) { div { span.muted { (key) } " " (link_or_text(url)) } }
                            }
                            @if let Some(scopes) = value.get("scopes").and_then(Value::as_object) {
                                @if scopes.is_empty() { div.muted { "no scopes" } }
                                ul.scopes {
                                    @for (scope, d) in scopes.iter().take(200) {
                                        li { code { (scope) } @if let Some(d) = d.as_str() { " " span.muted { (d) } } }
                                    }
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn link_or_text(s: &str) -> Markup {
    if is_web_link(s) {
        html! { a href=(s) rel="noreferrer" { (s) } }
    } else {
        html! { code { (s) } }
    }
}

/// An operation's requirement as a reader says it: `A, or B and C`; none needed, or not
/// stated.
fn requirement_markup(model: &Model<'_>, requirement: Option<&Requirement<'_>>) -> Markup {
    let declared = model.root.pointer("/components/securitySchemes");
    html! {
        @match requirement {
            None => span.muted { "no security stated" },
            Some(r) if r.is_empty() => b { "no authentication" },
            Some(r) => {
                @for (i, alternative) in r.iter().enumerate() {
                    @if i > 0 { ", or " }
                    @if alternative.is_empty() { b { "no authentication" } }
                    @for (j, (name, scopes)) in alternative.iter().enumerate() {
                        @if j > 0 { " and " }
                        @if declared.and_then(|d| d.get(*name)).is_some() {
                            a.scheme-link href={ "#security-" (anchor_safe(name)) } { (name) }
                        } @else {
                            code { (name) } " " span.muted { "(not declared)" }
                        }
                        @if !scopes.is_empty() {
                            " (" @for (k, s) in scopes.iter().enumerate() { @if k > 0 { ", " } code { (s) } } ")"
                        }
                    }
                }
            }
        }
    }
}

/// The body a curl line sends: the first JSON media type's (else the first's) example, or
/// one built from its schema.
fn request_sample<'a>(model: &Model<'a>, op: &Operation<'a>) -> Option<(&'a str, Value)> {
    let root = model.root;
    let body = pointer::follow_refs(root, op.value.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    let (media_type, media) = content
        .iter()
        .find(|(k, _)| specwright_oas::media::is_json(k))
        .or_else(|| content.iter().next())?;
    let given = media
        .get("example")
        .or_else(|| {
            let first = media.get("examples")?.as_object()?.values().next()?;
            pointer::follow_refs(root, first).get("value")
        })
        .or_else(|| pointer::follow_refs(root, media.get("schema")?).get("example"));
    let value = match given {
        Some(v) => v.clone(),
        None => model
            .samples
            .borrow_mut()
            .body(root, media.get("schema")?, Direction::Request),
    };
    Some((media_type.as_str(), value))
}

/// Beside the operation: what it requires, a curl line that calls it, and the samples of
/// what it sends and answers.
fn call_panel(model: &Model<'_>, op: &Operation<'_>) -> Markup {
    let body = request_sample(model, op);
    let line = calling::curl(
        model.root,
        &calling::Call {
            method: op.method,
            path: op.path,
            parameters: &op.parameters,
            requirement: op.requirement.as_ref(),
            body: body.as_ref().map(|(mt, v)| (*mt, v)),
        },
    );
    html! {
        aside.op-call {
            div.auth {
                span.call-label { "Authorization" }
                " " (requirement_markup(model, op.requirement.as_ref()))
            }
            div.curl {
                div.call-label { "curl" }
                pre.curl-line { code { (line) } }
            }
            (samples_panel(model, op))
        }
    }
}

/// The error codes documented for the operation, folded; the count of the common ones.
fn error_codes(model: &Model<'_>, op: &Operation<'_>) -> Markup {
    if op.codes.is_empty() && model.common_codes.is_empty() {
        return html! {};
    }
    html! {
        details.box.codes-box {
            summary {
                h4 {
                    "Error codes (" (op.codes.len()) ")"
                    @if !model.common_codes.is_empty() { " " a.muted href="#common-codes" { "and " (model.common_codes.len()) " common to every operation" } }
                }
            }
            ul.codes {
                @for (code, meaning) in &op.codes { li { code { (code) } " " (meaning) } }
            }
        }
    }
}

fn ref_name(at: &str) -> String {
    at.rsplit('/').next().map(pointer::unescape).unwrap_or_default()
}

/// How many inline schemas deep a type's words go before `…`: a display budget (a
/// component is a link, never followed, so the text is finite without it).
const TYPE_DEPTH: usize = 6;

/// A schema's type as a reader wants it: a link to the component it names, `array of X`,
/// `string (date-time)`, `one of A | B`.
fn type_of(model: &Model<'_>, schema: &Value, depth: usize) -> Markup {
    if depth > TYPE_DEPTH {
        return html! { "…" };
    }
    if let Some(reference) = str_at(schema, "$ref") {
        let target = reference.strip_prefix('#').unwrap_or(reference);
        return match model.schema_anchors.get(target) {
            Some(anchor) => html! { a.schema-link href={ "#" (anchor) } { (ref_name(target)) } },
            None => html! { code { (reference) } },
        };
    }
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    let choice = ["oneOf", "anyOf"]
        .into_iter()
        .find_map(|k| schema.get(k).and_then(Value::as_array).map(|v| (k, v)));
    let base = if let Some((kind, variants)) = choice {
        html! {
            (if kind == "oneOf" { "one of " } else { "any of " })
            @for (i, v) in variants.iter().enumerate() {
                @if i > 0 { " | " }
                (type_of(model, v, depth + 1))
            }
        }
    } else if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        match specwright_oas::all_of::read(model.root, members, "") {
            specwright_oas::all_of::AllOf::One(i, _) => match members.get(i) {
                Some(m) => type_of(model, m, depth + 1),
                None => html! { "object" },
            },
            specwright_oas::all_of::AllOf::Merged(_) => html! {
                "all of "
                @for (i, m) in members.iter().enumerate() {
                    @if i > 0 { " & " }
                    (type_of(model, m, depth + 1))
                }
            },
        }
    } else {
        let ty = str_at(schema, "type");
        match ty {
            Some("array") => html! {
                "array of "
                @match schema.get("items") { Some(items) => (type_of(model, items, depth + 1)), None => "anything" }
            },
            Some("object") | None
                if schema.get("properties").is_none()
                    && schema.get("additionalProperties").is_some_and(Value::is_object) =>
            {
                html! {
                    "map of "
                    @if let Some(v) = schema.get("additionalProperties") { (type_of(model, v, depth + 1)) }
                }
            }
            Some(t) => html! {
                (t)
                @if let Some(f) = str_at(schema, "format") { " (" (f) ")" }
            },
            None if schema.get("properties").is_some() => html! { "object" },
            None if schema.get("enum").is_some() => html! { "enum" },
            None => html! { "any" },
        }
    };
    html! { (base) @if nullable { " | null" } }
}

/// The constraints of a schema (a reference's target), one per line.
fn constraints(model: &Model<'_>, schema: &Value) -> Markup {
    let schema = pointer::follow_refs(model.root, schema);
    let mut lines: Vec<(String, String)> = Vec::new();
    let number = |k: &str| schema.get(k).filter(|v| v.is_number()).map(compact);
    let mut lists: Vec<(&str, &Vec<Value>)> = Vec::new();
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        lists.push(("one of", values));
    }
    if let Some(values) = schema.get("x-known-values").and_then(Value::as_array) {
        lists.push(("known values", values));
    }
    if let Some(d) = schema.get("default") {
        lines.push(("default".into(), compact(d)));
    }
    let exclusive = |k: &str| schema.get(k).and_then(Value::as_bool) == Some(true);
    if let Some(n) = number("minimum") {
        let op = if exclusive("exclusiveMinimum") { ">" } else { "≥" };
        lines.push((op.into(), n));
    }
    if let Some(n) = number("maximum") {
        let op = if exclusive("exclusiveMaximum") { "<" } else { "≤" };
        lines.push((op.into(), n));
    }
    for (key, label) in [
        ("multipleOf", "multiple of"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("x-max-bytes", "max bytes"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
        ("minProperties", "min properties"),
        ("maxProperties", "max properties"),
    ] {
        if let Some(n) = number(key) {
            lines.push((label.into(), n));
        }
    }
    if let Some(p) = str_at(schema, "pattern") {
        lines.push(("pattern".into(), p.to_string()));
    }
    for (key, label) in [
        ("uniqueItems", "unique items"),
        ("readOnly", "read-only"),
        ("writeOnly", "write-only"),
        ("deprecated", "deprecated"),
    ] {
        if schema.get(key).and_then(Value::as_bool) == Some(true) {
            lines.push((label.into(), String::new()));
        }
    }
    html! {
        @for (label, values) in &lists {
            div.constraint.values {
                span.muted { (label) }
                @for v in values.iter().take(40) { " " code { (compact(v)) } }
                @if values.len() > 40 { " " span.muted { "… (" (values.len() - 40) " more)" } }
            }
        }
        @for (label, value) in &lines {
            div.constraint {
                span.muted { (label) }
                @if !value.is_empty() { " " code { (value) } }
            }
        }
    }
}

/// One line of a field table.
struct Row<'a> {
    /// Where it sits: `volume.` for a member of `volume`.
    parent: String,
    name: String,
    depth: usize,
    schema: &'a Value,
    required: bool,
    description: Option<&'a str>,
}

/// Where a field table is shown: in an operation, a member that is another component is
/// listed in place (a reader sees the whole body); in a component's own section it is a
/// link, since that component has its section too.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Operation,
    Component,
}

/// The field table of `schema`, declared at `at` when that is a component (so a member
/// that leads back to it is not expanded); an array of objects lists its items' fields.
fn field_rows<'a>(model: &Model<'a>, schema: &'a Value, at: Option<String>, place: Place) -> Vec<Row<'a>> {
    // Nested members are listed only while the whole table fits: a reader wants every
    // top-level field before the fourth level of one of them.
    let mut rows = Vec::new();
    for max_depth in (1..=MAX_DEPTH).rev() {
        let mut walk = Walk {
            model,
            place,
            max_depth,
            rows: Vec::new(),
        };
        let trail = at.clone().map(Trail::inside).unwrap_or_default();
        let (target, _) = pointer::follow(model.root, schema);
        match target.get("items") {
            Some(items) if str_at(target, "type") == Some("array") => {
                if is_object_like(model, pointer::follow_refs(model.root, items)) {
                    walk.expand(items, "[].", 0, &trail);
                }
            }
            _ => walk.expand(schema, "", 0, &trail),
        }
        rows = walk.rows;
        if rows.len() <= MAX_ROWS {
            break;
        }
    }
    rows
}

/// A walk through a schema's members, collecting rows.
struct Walk<'m, 'a> {
    model: &'m Model<'a>,
    place: Place,
    /// How deep nested members are listed, at most [`MAX_DEPTH`].
    max_depth: usize,
    rows: Vec<Row<'a>>,
}

impl<'a> Walk<'_, 'a> {
    /// The members of `schema` (an object, an `allOf` of objects, or choices of them) as
    /// rows, nested objects and arrays of them expanded to `max_depth`; `trail` (the
    /// schema reader's) keeps a component from being expanded inside itself.
    fn expand(&mut self, schema: &'a Value, parent: &str, depth: usize, trail: &Trail) {
        if depth >= self.max_depth || self.rows.len() > MAX_ROWS {
            return;
        }
        let root = self.model.root;
        let Some(trail) = trail.step(root, schema) else {
            return;
        };
        let trail = &trail;
        let schema = pointer::follow_refs(root, schema);
        let one = schema.get("allOf").and_then(Value::as_array).and_then(|members| {
            match all_of::read(root, members, "") {
                AllOf::One(i, one) => Some(members.get(i).unwrap_or(one)),
                AllOf::Merged(_) => None,
            }
        });
        let view = match one {
            // The member as written (a `$ref` stays one), so the trail sees a cycle
            // through `allOf` (A: allOf [B], B: allOf [A]); beside it, only its own members.
            Some(member) => {
                self.expand(member, parent, depth, trail);
                View::default()
            }
            None => View::of(root, schema),
        };
        let own = schema.get("properties").and_then(Value::as_object);
        let properties: Vec<(&'a str, &'a Value)> = match one {
            Some(_) => own.into_iter().flatten().map(|(n, p)| (n.as_str(), p)).collect(),
            None => view.properties.iter().map(|p| (p.name, p.schema)).collect(),
        };
        let mut required = view.required;
        if one.is_some() {
            if let Some(list) = schema.get("required").and_then(Value::as_array) {
                required.extend(list.iter().filter_map(Value::as_str));
            }
        }
        for (name, prop) in properties {
            self.member(prop, parent, name, required.contains(&name), depth, trail);
        }
        if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            self.member(extra, parent, "{any key}", false, depth, trail);
        }
        for kind in ["oneOf", "anyOf"] {
            if let Some(variants) = schema.get(kind).and_then(Value::as_array) {
                let word = if kind == "oneOf" { "one of" } else { "any of" };
                for (i, variant) in variants.iter().enumerate() {
                    self.rows.push(Row {
                        parent: parent.to_string(),
                        name: format!("({word} {})", i + 1),
                        depth,
                        schema: variant,
                        required: false,
                        description: str_at(pointer::follow_refs(root, variant), "description"),
                    });
                    if self.expands(variant) {
                        self.expand(variant, parent, depth + 1, trail);
                    }
                }
            }
        }
    }

    /// A member's row, then its own members (or its items') where they are shown here.
    fn member(
        &mut self,
        prop: &'a Value,
        parent: &str,
        name: &str,
        required: bool,
        depth: usize,
        trail: &Trail,
    ) {
        let root = self.model.root;
        let target = pointer::follow_refs(root, prop);
        self.rows.push(Row {
            parent: parent.to_string(),
            name: name.to_string(),
            depth,
            schema: prop,
            required,
            description: str_at(prop, "description").or_else(|| str_at(target, "description")),
        });
        if !self.expands(prop) {
            return;
        }
        if is_object_like(self.model, target) {
            self.expand(prop, &format!("{parent}{name}."), depth + 1, trail);
        } else if let Some(items) = target
            .get("items")
            .filter(|_| str_at(target, "type") == Some("array"))
        {
            if self.expands(items) && is_object_like(self.model, pointer::follow_refs(root, items)) {
                self.expand(items, &format!("{parent}{name}[]."), depth + 1, trail);
            }
        }
    }

    /// Whether a member schema is listed in place: always in an operation; in a component's
    /// section unless it is a reference (that has its own section).
    fn expands(&self, schema: &Value) -> bool {
        self.place == Place::Operation || schema.get("$ref").is_none()
    }
}

fn is_object_like(model: &Model<'_>, schema: &Value) -> bool {
    ["properties", "allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| schema.get(*k).is_some())
        || schema
            .get("additionalProperties")
            .filter(|a| a.is_object())
            .is_some_and(|a| {
                let a = pointer::follow_refs(model.root, a);
                ["properties", "allOf"].iter().any(|k| a.get(*k).is_some())
            })
}

fn field_table(model: &Model<'_>, rows: &[Row<'_>]) -> Markup {
    html! {
        div.table-wrap {
            table.fields {
                thead { tr { th { "field" } th { "type" } th { "constraints" } th { "description" } } }
                tbody {
                    @for row in rows.iter().take(MAX_ROWS) {
                        tr {
                            td.name style={ "padding-left:" (0.6 + row.depth as f32 * 1.1) "em" } {
                                @if !row.parent.is_empty() { span.parent { (row.parent) } }
                                code { (row.name) }
                                @if row.required { " " span.req title="required" { "required" } }
                            }
                            td.type { (type_of(model, row.schema, 0)) }
                            td.constraints { (constraints(model, row.schema)) }
                            td.md { @if let Some(d) = row.description { (markdown(d)) } }
                        }
                    }
                    @if rows.len() > MAX_ROWS {
                        tr { td.muted colspan="4" { "… more fields than " (MAX_ROWS) ": follow the schema links above." } }
                    }
                }
            }
        }
    }
}

/// The number of rows, as a table's summary gives it.
fn row_count(rows: &[Row<'_>]) -> String {
    if rows.len() > MAX_ROWS {
        format!("{MAX_ROWS}+")
    } else {
        rows.len().to_string()
    }
}

/// The component schemas' section, a schema at a time.
fn schemas_to(model: &Model<'_>, out: &mut impl std::fmt::Write) -> std::fmt::Result {
    if model.schemas.is_empty() {
        return Ok(());
    }
    let section = parts(html! {
        section #schemas {
            h2.group-title { "Schemas" }
            (PreEscaped(SLOT))
        }
    });
    let [open, close] = section.as_slice() else {
        return Err(std::fmt::Error);
    };
    out.write_str(open)?;
    for schema in &model.schemas {
        out.write_str(&schema_section(model, schema).into_string())?;
    }
    out.write_str(close)
}

/// One component schema's section.
fn schema_section(model: &Model<'_>, schema: &Schema<'_>) -> Markup {
    html! {
        @let decisions = model.decisions.by_schema.get(schema.name).map(Vec::as_slice).unwrap_or(&[]);
        @let rows = field_rows(model, schema.value, Some(pointer::join("/components/schemas", schema.name)), Place::Component);
        section.schema id=(schema.anchor) {
            h3 { (schema.name) " " span.schema-type { (type_of(model, schema.value, 0)) } }
            @if let Some(d) = str_at(schema.value, "description") { div.md { (markdown(d)) } }
            (constraints(model, schema.value))
            @if !schema.findings.is_empty() {
                div.box.findings-box {
                    h4 { "Review findings (" (schema.findings.len()) ")" }
                    (finding_list(schema.findings.iter().map(|f| (*f, None))))
                }
            }
            @if !decisions.is_empty() {
                div.box.decisions-box {
                    h4 { "Decisions in REVIEW.md naming it (" (decisions.len()) ")" }
                    @for &d in decisions { (decision(model, d, false)) }
                }
            }
            @if !rows.is_empty() { (field_table(model, &rows)) }
            @if let Some(e) = schema.value.get("example") {
                div.example {
                    div.example-head { span.example-label { "Example" } }
                    pre.example-body { code { (example_text(e)) } }
                }
            }
        }
    }
}

fn unattached(model: &Model<'_>) -> Markup {
    let list = &model.decisions.unattached;
    if list.is_empty() {
        return html! {};
    }
    let mut by_heading: Vec<(String, Vec<usize>)> = Vec::new();
    for &i in list {
        let Some(entry) = model.decisions.entries.get(i) else {
            continue;
        };
        let heading = entry.headings.join(" › ");
        match by_heading.last_mut() {
            Some((h, items)) if *h == heading => items.push(i),
            _ => by_heading.push((heading, vec![i])),
        }
    }
    html! {
        section #decisions {
            h2.group-title { "Decisions not tied to one operation" }
            p.muted { "REVIEW.md entries that name no single operation, path, source section or schema of this spec: they concern the document as a whole." }
            @for (heading, items) in &by_heading {
                h3.decision-heading { (heading) }
                @for &i in items { (decision(model, i, true)) }
            }
        }
    }
}

/// Markdown from the spec or REVIEW.md → HTML: raw HTML is shown as text, images become
/// links (the page loads nothing), and links keep only targets that cannot run script.
pub(super) fn markdown(text: &str) -> Markup {
    let parser =
        Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(
            |event| match event {
                Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
                Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
                | Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: safe_url(dest_url),
                    title,
                    id,
                }),
                Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
                other => other,
            },
        );
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, parser);
    PreEscaped(out)
}

/// Markdown of one line (a title) without the paragraph around it.
fn inline_markdown(text: &str) -> Markup {
    let block = markdown(text).into_string();
    let inner = block.trim_end();
    let inner = inner
        .strip_prefix("<p>")
        .and_then(|i| i.strip_suffix("</p>"))
        .unwrap_or(inner);
    PreEscaped(inner.to_string())
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(|c: char| [':', '/', '?', '#'].contains(&c));
    let has_scheme = scheme_end.is_some_and(|i| lower[i..].starts_with(':'));
    let allowed = !has_scheme
        || ["http:", "https:", "mailto:"]
            .iter()
            .any(|s| lower.starts_with(s));
    if allowed { url } else { CowStr::Borrowed("#") }
}
