//! `specwright docs` as a reader meets it: our two specs rendered by the CLI, opened from disk
//! in headless Chromium (Debian's `chromium`), and checked on the DOM the browser built:
//! every operation is there, every example it documents is shown, the search box filters.
//! Screenshots are kept in `target/docs-test/` for a person to look at. Without Chromium
//! the browser tests fail and say how to install it. The hostile-spec tests need no browser.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;
use specwright_docs::{self as docs, Annotation};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ sits in the workspace")
        .to_path_buf()
}

/// `target/docs-test/`: CARGO_TARGET_TMPDIR is `target/tmp`.
fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("docs-test")
}

/// Renders both specs once, through the CLI as a user runs it (REVIEW.md found beside them).
fn rendered() -> &'static Path {
    static DONE: OnceLock<PathBuf> = OnceLock::new();
    DONE.get_or_init(|| {
        let out = out_dir();
        let status = Command::new(env!("CARGO_BIN_EXE_specwright"))
            .current_dir(workspace())
            .args(["docs", "spec/evs.yaml", "spec/ims.yaml", "--out"])
            .arg(&out)
            .status()
            .expect("run specwright docs");
        assert!(status.success(), "specwright docs failed");
        for page in ["evs.html", "ims.html", "index.html"] {
            assert!(out.join(page).is_file(), "{page} not written");
        }
        out
    })
}

fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "headless Chromium is needed to check the docs page as a browser shows it, and neither \
         `chromium` nor `chromium-browser` is on PATH; install it with `apt-get install chromium` \
         (Debian) and run the test again"
    );
}

/// Runs headless Chromium on a page with `args`; its standard output. Gives up after two
/// minutes, so a hung browser fails the test instead of hanging it.
fn browse(args: &[String]) -> String {
    // A profile of its own: two browsers cannot share one, and the tests run in parallel.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = out_dir().join(format!("profile-{}-{run}", std::process::id()));
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", dir.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = std::fs::remove_dir_all(&dir);
    reader.join().expect("reader thread").expect("chromium output")
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The DOM Chromium built from `page` (with an optional query), serialized, and with the
/// escapes of text nodes undone: what a reader reads.
fn dom(page: &str, query: &str) -> String {
    let url = format!("{}{query}", file_url(&rendered().join(page)));
    let html = browse(&["--dump-dom".to_string(), url]);
    assert!(html.contains("</html>"), "chromium printed no DOM for {page}");
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// What the spec documents: each operation's id (or method and path) and the text of every
/// example of its bodies, as the page prints it.
fn operations(spec: &str) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(workspace().join("spec").join(spec)).expect("read spec");
    let root: Value = serde_yaml::from_str(&text).expect("spec is YAML");
    let follow = |v: &Value| -> Value {
        let mut v = v.clone();
        for _ in 0..8 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) => v = root.pointer(&r[1..]).cloned().unwrap_or(Value::Null),
                None => break,
            }
        }
        v
    };
    let shown = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).expect("JSON"),
    };
    let mut out = Vec::new();
    for (_, item) in root["paths"].as_object().expect("paths") {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(op) = item.get(method) else { continue };
            let id = op["operationId"].as_str().expect("our operations have ids");
            let mut bodies = vec![follow(&op["requestBody"])];
            if let Some(responses) = op["responses"].as_object() {
                bodies.extend(responses.values().map(&follow));
            }
            let mut examples = Vec::new();
            for body in bodies {
                let Some(content) = body.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for media in content.values() {
                    if let Some(e) = media.get("example") {
                        examples.push(shown(e));
                    }
                    let named = media.get("examples").and_then(Value::as_object);
                    for e in named.into_iter().flat_map(|m| m.values()) {
                        if let Some(v) = follow(e).get("value") {
                            examples.push(shown(v));
                        }
                    }
                }
            }
            out.push((id.to_string(), examples));
        }
    }
    out
}

/// The part of the DOM that is the operation's card.
fn card<'a>(dom: &'a str, id: &str) -> &'a str {
    let marker = format!("data-operation-id=\"{id}\"");
    let start = dom
        .find(&marker)
        .unwrap_or_else(|| panic!("no card for operation {id} in the page"));
    let end = dom[start..]
        .find("</article>")
        .map(|e| start + e)
        .unwrap_or(dom.len());
    &dom[start..end]
}

/// The part of a card that stands beside what the operation takes and answers: its
/// security, curl line and samples.
fn call_panel(card: &str) -> &str {
    let start = card
        .find("<aside class=\"op-call\">")
        .expect("the card has a call panel");
    let end = card[start..].find("</aside>").map_or(card.len(), |e| start + e);
    &card[start..end]
}

fn every_operation_and_example_is_shown(spec: &str, page: &str) {
    let dom = dom(page, "");
    let ops = operations(spec);
    assert!(!ops.is_empty());
    let mut with_examples = 0;
    for (id, examples) in &ops {
        let card = card(&dom, id);
        assert!(
            card.contains(&format!("<code class=\"opid\">{id}</code>")),
            "{id}: the card does not show its operationId"
        );
        // Beside the fields, as an API reference's right-hand column shows them.
        let panel = call_panel(card);
        for example in examples {
            assert!(
                panel.contains(example.as_str()),
                "{page}: operation {id} does not show its example beside it:\n{example}"
            );
        }
        with_examples += usize::from(!examples.is_empty());
        let in_toc = format!("href=\"#op-{id}\"");
        assert!(dom.contains(&in_toc), "{id} is missing from the sidebar");
    }
    assert!(
        with_examples > 0,
        "{spec}: no operation with an example was checked"
    );
    assert!(dom.contains("id=\"search\""), "{page} has no search box");
}

#[test]
fn every_evs_operation_and_its_examples_are_shown_in_a_browser() {
    every_operation_and_example_is_shown("evs.yaml", "evs.html");
}

#[test]
fn every_ims_operation_and_its_examples_are_shown_in_a_browser() {
    every_operation_and_example_is_shown("ims.yaml", "ims.html");
}

/// Whether the operation card `id` is shown (not `hidden`) in a page's DOM.
fn card_visible(dom: &str, id: &str) -> bool {
    let at = dom
        .find(&format!("data-operation-id=\"{id}\""))
        .unwrap_or_else(|| panic!("{id} missing"));
    let tag_start = dom[..at].rfind("<article").expect("card start");
    let tag_end = at + dom[at..].find('>').expect("card tag end");
    !dom[tag_start..tag_end].contains(" hidden")
}

#[test]
fn the_search_box_filters_operations_in_a_browser() {
    // `?q=` fills the box as typing would; the script hides what does not match.
    let dom = dom("evs.html", "?q=showVolume");
    let visible = |id: &str| card_visible(&dom, id);
    assert!(visible("showVolume") && visible("showVolumeV3"));
    assert!(!visible("createVolume") && !visible("listSnapshots"));
    let cards: Vec<&str> = dom
        .match_indices("data-operation-id=\"")
        .map(|(at, m)| {
            &dom[at + m.len()..at + m.len() + dom[at + m.len()..].find('"').expect("closing quote")]
        })
        .collect();
    let shown = cards.iter().filter(|id| visible(id)).count();
    let count = format!(
        "<span id=\"search-count\" aria-live=\"polite\">{shown} of {}</span>",
        cards.len()
    );
    assert!(shown >= 2 && dom.contains(&count), "no match count {count}");
}

#[test]
fn the_search_box_finds_an_operation_by_the_words_of_its_description_and_fields() {
    let visible = card_visible;
    // `os-set_bootable` is named only in the description and body of the volume actions.
    let page = dom("evs.html", "?q=os-set_bootable");
    assert!(visible(&page, "volumeAction") && visible(&page, "volumeActionV3"));
    assert!(!visible(&page, "createVolume") && !visible(&page, "listSnapshots"));
    // A field of a request body.
    let page = dom("evs.html", "?q=new_size");
    assert!(visible(&page, "volumeAction") && !visible(&page, "showVolume"));
}

/// Each operation of a spec: (operationId, method, path, whether it says it needs no
/// credentials with `security: []`).
fn calls(spec: &str) -> Vec<(String, String, String, bool)> {
    let text = std::fs::read_to_string(workspace().join("spec").join(spec)).expect("read spec");
    let root: Value = serde_yaml::from_str(&text).expect("spec is YAML");
    let mut out = Vec::new();
    for (path, item) in root["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch"] {
            let Some(op) = item.get(method) else { continue };
            let id = op["operationId"].as_str().expect("our operations have ids");
            let open = op.get("security") == Some(&Value::Array(Vec::new()));
            out.push((id.to_string(), method.to_uppercase(), path.clone(), open));
        }
    }
    out
}

#[test]
fn the_evs_page_shows_servers_security_and_a_curl_line_per_operation() {
    let dom = dom("evs.html", "");
    let access = &dom[dom
        .find("id=\"access\"")
        .expect("the servers and authentication section")..];
    for expected in [
        "https://evs.{region}.myhuaweicloud.com",
        "<code>{region}</code> default <code>cn-north-4</code>",
        "id=\"security-XAuthToken\"",
        "<code>X-Auth-Token</code>",
        "id=\"security-AkSk\"",
    ] {
        assert!(access.contains(expected), "the access section lacks {expected}");
    }
    let ops = calls("evs.yaml");
    assert!(ops.len() > 40);
    assert!(
        ops.iter().any(|op| op.3),
        "EVS has operations open to anyone (versions)"
    );
    for (id, method, path, open) in &ops {
        let card = card(&dom, id);
        let at = card
            .find("class=\"curl-line\"")
            .unwrap_or_else(|| panic!("{id}: no curl line"));
        let line = &card[at..at + card[at..].find("</pre>").expect("end of the curl line")];
        assert!(line.contains(&format!("curl -X {method} ")), "{id}: {line}");
        let url = format!("https://evs.cn-north-4.myhuaweicloud.com{path}");
        assert!(line.contains(&url), "{id}: {line} lacks {url}");
        if *open {
            assert!(!line.contains("$TOKEN"), "{id} needs no token: {line}");
            assert!(card.contains("<b>no authentication</b>"), "{id}");
            continue;
        }
        assert!(line.contains("X-Auth-Token: $TOKEN"), "{id}: {line}");
        // What the operation requires, the document's default: a token, or AK/SK signing.
        assert!(
            card.contains("href=\"#security-XAuthToken\">XAuthToken</a>, or <a class=\"scheme-link\" href=\"#security-AkSk\">AkSk</a>"),
            "{id}: its security requirement is not shown"
        );
    }
    // The extend action sends its example body.
    let action = card(&dom, "volumeAction");
    assert!(action.contains("--data '{\"os-extend\":"), "{action}");
}

#[test]
fn bodies_without_an_example_get_a_sample_marked_as_generated() {
    let dom = dom("evs.html", "");
    let generated: Vec<&str> = dom.split("<div class=\"example generated\">").skip(1).collect();
    assert!(!generated.is_empty(), "no generated sample on the EVS page");
    for sample in &generated {
        let head = &sample[..sample.find("</pre>").expect("the sample's text")];
        assert!(head.contains("generated from the schema"), "{head}");
        let text = &head[head.find("<code>").expect("code") + 6..head.find("</code>").expect("code end")];
        serde_json::from_str::<Value>(text)
            .unwrap_or_else(|e| panic!("a generated sample is not JSON ({e}): {text}"));
    }
}

#[test]
fn every_answer_with_a_body_has_a_sample_beside_the_operation_the_success_open() {
    let text = std::fs::read_to_string(workspace().join("spec/evs.yaml")).expect("read spec");
    let root: Value = serde_yaml::from_str(&text).expect("spec is YAML");
    let dom = dom("evs.html", "");
    let mut checked = 0;
    for item in root["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("path item").values() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let card = card(&dom, id);
            let panel = call_panel(card);
            let main = &card[..card.find("<aside").expect("the call panel")];
            assert!(
                !main.contains("class=\"example"),
                "{id}: a sample left in the main column"
            );
            let mut first_success = true;
            for (status, response) in op["responses"].as_object().expect("responses") {
                let response = match response.get("$ref").and_then(Value::as_str) {
                    Some(r) => root.pointer(&r[1..]).expect("our references resolve"),
                    None => response,
                };
                if response.get("content").is_none() {
                    continue;
                }
                let fold = format!("\">{status}</span></summary>");
                let at = panel
                    .find(&fold)
                    .unwrap_or_else(|| panic!("{id}: no response sample for {status}"));
                let head = &panel[..at];
                let opening = &head[head.rfind("<details").expect("the fold")..];
                let open = opening.contains("open");
                assert_eq!(
                    open,
                    status.starts_with('2') && first_success,
                    "{id} {status}: {opening}"
                );
                first_success &= !status.starts_with('2');
                let body = &panel[at..];
                assert!(
                    body.find("<pre class=\"example-body\">") < body.find("</details>"),
                    "{id} {status}: the fold holds no sample"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} answers checked");
}

#[test]
fn the_search_box_finds_an_operation_by_error_code_action_and_field() {
    let visible = card_visible;
    // EVS.1024 (a bad `marker`) is listVolumes's code; the detailed listing shares them.
    let page = dom("evs.html", "?q=EVS.1024");
    assert!(visible(&page, "listVolumes") && visible(&page, "listVolumesDetail"));
    assert!(!visible(&page, "createVolume") && !visible(&page, "volumeAction"));
    // EVS.1011 is filed under the os-extend action: the action operations.
    let page = dom("evs.html", "?q=EVS.1011");
    assert!(visible(&page, "volumeAction") && !visible(&page, "listVolumes"));
    for (query, hidden) in [("extend", "showVolumeMetadata"), ("attach", "listVolumeTypes")] {
        let page = dom("evs.html", &format!("?q={query}"));
        assert!(
            visible(&page, "volumeAction") && visible(&page, "volumeActionV3"),
            "{query}"
        );
        assert!(!visible(&page, hidden), "{query} shows {hidden}");
    }
    // A field of a request body's action, found only there.
    let page = dom("evs.html", "?q=instance_uuid");
    assert!(visible(&page, "volumeAction") && !visible(&page, "createVolume"));
}

#[test]
fn a_link_into_folded_decisions_opens_them() {
    let page = std::fs::read_to_string(rendered().join("evs.html")).expect("evs.html");
    let id = page
        .split("<details class=\"decision\" id=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a decision inside an operation")
        .to_string();
    let dom = dom("evs.html", &format!("#{id}"));
    let at = dom.find(&format!("id=\"{id}\"")).expect("the decision");
    let outer = dom[..at]
        .rfind("<details class=\"box decisions-box\"")
        .expect("its folded box");
    let tag_end = outer + dom[outer..].find('>').expect("tag end");
    assert!(dom[outer..tag_end].contains("open"), "{}", &dom[outer..tag_end]);
}

#[test]
fn screenshots_of_the_page_are_kept() {
    let out = rendered();
    let shots = [
        ("evs.png", file_url(&out.join("evs.html"))),
        // Headless Chromium paints nothing when a fragment scrolls the page; a search brings
        // the operation's card to the top instead.
        (
            "evs-operation.png",
            format!("{}?q=createVolume", file_url(&out.join("evs.html"))),
        ),
        ("ims.png", file_url(&out.join("ims.html"))),
    ];
    for (name, url) in shots {
        // Wide enough for an operation's two columns (the curl line beside the fields).
        let png = out.join(name);
        let _ = std::fs::remove_file(&png);
        browse(&[
            format!("--screenshot={}", png.display()),
            "--window-size=1600,2400".to_string(),
            url,
        ]);
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot {name}: {e}"));
        assert!(bytes.starts_with(b"\x89PNG"), "{name} is not a PNG");
        assert!(
            bytes.len() > 50_000,
            "{name} is nearly empty ({} bytes)",
            bytes.len()
        );
    }
}

#[test]
fn review_decisions_sit_beside_the_operations_they_name() {
    let out = rendered();
    let ims = std::fs::read_to_string(out.join("ims.html")).expect("ims.html");
    let create = card(&ims, "createImage");
    assert!(create.contains("table, two real shapes"));
    assert!(!card(&ims, "showJob").contains("two real shapes"));
    let evs = std::fs::read_to_string(out.join("evs.html")).expect("evs.html");
    // "`sort_key` is an open list (004 §3.4, §3.5)": the two volume lists, not the v3 copies
    // (their source is upstream Cinder) nor the snapshot lists.
    for (id, expected) in [
        ("listVolumes", true),
        ("listVolumesDetail", true),
        ("listSnapshots", false),
        ("createVolume", false),
    ] {
        assert_eq!(
            card(&evs, id).contains("is an open list (004 §3.4, §3.5)"),
            expected,
            "{id}"
        );
    }
    // The EVS page does not carry the IMS part of REVIEW.md, and keeps what attaches nowhere.
    assert!(!evs.contains("two real shapes"));
    assert!(evs.contains("id=\"decisions\"") && evs.contains("Decisions not tied to one operation"));
}

// --- no browser needed ---

const HOSTILE: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "<script>alert('title')</script>", "version": "1\"><b>",
           "description": "<script>alert('info')</script>\n\n[x](javascript:alert(1)) ![i](https://example.invalid/x.png)"},
  "tags": [{"name": "<i>tag</i>", "description": "<img src=x onerror=alert(2)>"}],
  "servers": [{"url": "https://x.invalid/<script>alert('server')</script>'$(id)",
               "variables": {"v": {"default": "<script>alert('variable')</script>"}}}],
  "security": [{"<script>alert('scheme')</script>": []}],
  "components": {"securitySchemes": {"<script>alert('scheme')</script>": {
    "type": "apiKey", "in": "header", "name": "<script>alert('key-name')</script>",
    "description": "<script>alert('scheme-description')</script>"}}},
  "paths": {
    "/items/{id}": {
      "post": {
        "operationId": "x\"><script>alert('id')</script>",
        "tags": ["<i>tag</i>"],
        "summary": "<script>alert('summary')</script>",
        "description": "Text <script>alert('description')</script>\n\n<div onclick=alert(3)>block</div>",
        "x-source": {"document": "<script>alert('source')</script>", "url": "javascript:alert(4)"},
        "parameters": [{"name": "id", "in": "path", "required": true,
                        "schema": {"type": "string", "enum": ["</code><script>alert('enum')</script>"]}}],
        "requestBody": {"content": {"application/json": {
          "schema": {"type": "object", "properties": {"<script>alert('key')</script>": {"type": "string"}}},
          "examples": {"<script>": {"summary": "<script>alert('ex-summary')</script>",
                                    "value": {"k": "</pre><script>alert('example')</script>"}}}}}},
        "responses": {"200": {"description": "<script>alert('response')</script>"}}
      }
    }
  }
}"##;

#[test]
fn everything_a_hostile_spec_says_comes_out_escaped() {
    let findings = [Annotation {
        pointer: "/paths/~1items~1{id}/post/summary".into(),
        severity: "<script>".into(),
        rule: "<script>alert('rule')</script>".into(),
        message: "<script>alert('finding')</script>".into(),
    }];
    let review = "- **<script>alert('review')</script> `x\"><script>alert('id')</script>`** text";
    let html = docs::render(HOSTILE, "hostile.json", Some(review), &findings).expect("renders");
    assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
    for what in [
        "title",
        "summary",
        "description",
        "example",
        "key",
        "id",
        "info",
        "source",
        "enum",
        "response",
        "ex-summary",
        "finding",
        "review",
        "server",
        "variable",
        "scheme",
        "key-name",
        "scheme-description",
    ] {
        assert!(
            html.contains(&format!("&lt;script&gt;alert('{what}')")),
            "{what} is not shown as escaped text"
        );
    }
    for forbidden in [
        "<img",
        "<div onclick",
        "<i>tag",
        "href=\"javascript:",
        "onerror=alert(2)>",
    ] {
        assert!(!html.contains(forbidden), "{forbidden} came through");
    }
    assert!(
        html.contains("href=\"https://example.invalid/x.png\""),
        "an image in a description becomes a link (the page loads nothing)"
    );
    assert!(!html.contains("src=\"https://"), "the page requests nothing");
    // The curl line quotes the server's text for the shell: `$(id)` stays text.
    assert!(html.contains("'\\''$(id)"), "the server URL is not shell-quoted");
}

#[test]
fn a_spec_without_tags_sources_or_review_renders() {
    let yaml = "openapi: 3.0.0\ninfo: {title: Pets, version: '1'}\npaths:\n  \
        /v1/pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          \
        content:\n            application/json:\n              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}\n              \
        example: [{name: Rex, owner: {name: Ann}}]\n  \
        /stores/{id}:\n    parameters: [{name: id, in: path, required: true, schema: {type: integer, minimum: 1}}]\n    \
        delete:\n      responses: {'204': {description: gone}}\n\
        components:\n  schemas:\n    Pet:\n      type: object\n      required: [name]\n      properties:\n        \
        name: {type: string, maxLength: 20}\n        owner: {$ref: '#/components/schemas/Owner'}\n        \
        friends: {type: array, items: {$ref: '#/components/schemas/Pet'}}\n    \
        Owner: {type: object, properties: {name: {type: string}, pet: {$ref: '#/components/schemas/Pet'}}}\n";
    let html = docs::render(yaml, "pets.yaml", None, &[]).expect("renders");
    for expected in [
        "id=\"tag-pets\"",
        "id=\"tag-stores\"",
        "id=\"op-get--v1-pets\"",
        "id=\"op-delete--stores--id-\"",
        "href=\"#schema-Pet\"",
        "id=\"schema-Owner\"",
        "&quot;name&quot;: &quot;Rex&quot;",
        "id=\"search\"",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(!html.contains("Decisions"), "no REVIEW.md, no decisions section");

    let a = specwright_codegen::load_str(yaml, "a/pets.yaml").expect("loads");
    let b = specwright_codegen::load_str(HOSTILE, "b/pets.json").expect("loads");
    let pages = docs::pages(&[
        docs::Input {
            loaded: &a,
            review_md: None,
            annotations: &[],
        },
        docs::Input {
            loaded: &b,
            review_md: None,
            annotations: &[],
        },
    ]);
    let names: Vec<&str> = pages.iter().map(|p| p.file_name.as_str()).collect();
    assert_eq!(names, ["pets.html", "pets-2.html", "index.html"]);
    assert!(pages[2].html.contains("href=\"pets-2.html\""));
}

#[test]
fn a_spec_that_does_not_load_is_an_error_naming_it() {
    let err = docs::render("openapi: 2.0\n", "old.yaml", None, &[]).expect_err("refused");
    assert!(err.to_string().contains("old.yaml"), "{err}");
    let err = docs::render(": : :", "broken.yaml", None, &[]).expect_err("refused");
    assert!(err.to_string().contains("broken.yaml"), "{err}");
}

#[test]
fn findings_stand_beside_the_operation_or_schema_their_pointer_falls_in() {
    let yaml = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      \
        operationId: getA\n      responses:\n        '200':\n          description: ok\n          \
        content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}\n  /b:\n    get:\n      \
        operationId: getB\n      responses: {'204': {description: none}}\n\
        components:\n  schemas:\n    A: {type: object, properties: {x: {type: string}}}\n";
    let finding = |pointer: &str, message: &str| Annotation {
        pointer: pointer.into(),
        severity: "warning".into(),
        rule: "some-rule".into(),
        message: message.into(),
    };
    let findings = [
        finding("/paths/~1a/get/responses/200", "on getA itself"),
        finding("/components/schemas/A/properties/x", "on schema A"),
        finding("/info", "on the document"),
    ];
    let html = docs::render(yaml, "t.yaml", None, &findings).expect("renders");
    let get_a = card(&html, "getA");
    let get_b = card(&html, "getB");
    assert!(get_a.contains("on getA itself") && !get_b.contains("on getA itself"));
    assert!(
        get_a.contains("on schema A"),
        "shown on the operation that uses the schema"
    );
    assert!(get_a.contains("through"), "and says through which component");
    assert!(!get_b.contains("on schema A"));
    let schema = &html[html.find("id=\"schema-A\"").expect("schema section")..];
    assert!(schema.contains("on schema A"));
    let loose = &html[html.find("id=\"findings\"").expect("findings section")..];
    assert!(loose.contains("on the document") && !loose.contains("on getA itself"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever text a spec holds, wherever, the page renders and none of it becomes markup.
    #[test]
    fn any_text_in_a_spec_renders_as_text(text in "\\PC{0,40}", n in 0usize..6) {
        let evil = format!("<x-evil>{text}<script>");
        let mut spec = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/p": {"post": {
                "operationId": "op",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"k": {"type": "string"}}},
                    "example": {"k": "v"}}}}}}}}
        });
        let op = &mut spec["paths"]["/p"]["post"];
        match n {
            0 => op["summary"] = evil.clone().into(),
            1 => op["description"] = evil.clone().into(),
            2 => op["tags"] = serde_json::json!([evil.clone()]),
            3 => op["operationId"] = evil.clone().into(),
            4 => op["responses"]["200"]["content"]["application/json"]["example"] =
                serde_json::json!({evil.clone(): evil.clone()}),
            _ => op["responses"]["200"]["content"]["application/json"]["schema"]["properties"] =
                serde_json::json!({evil.clone(): {"type": "string", "description": evil.clone()}}),
        }
        let review = format!("- **{evil}** `{evil}` text");
        let html = docs::render(&spec.to_string(), "p.json", Some(&review), &[])
            .expect("renders");
        proptest::prop_assert_eq!(html.matches("<script").count(), 1);
        proptest::prop_assert!(!html.contains("<x-evil"));
    }
}
