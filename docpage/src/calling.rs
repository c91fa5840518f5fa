//! What a caller needs beside the shapes: the servers, the security schemes, what each
//! operation requires, and a `curl` line that makes the call.
//!
//! The curl line never holds a secret: credentials are shell variables (`$TOKEN`,
//! `$API_KEY`, ...) the reader sets. Everything taken from the spec is quoted for a POSIX
//! shell, so no name, value or sample in a spec can end a quote or expand there.

use std::collections::BTreeSet;

use serde_json::Value;
use specwright_oas::pointer;

/// An operation's security: the alternatives, each the schemes it needs together with
/// their scopes. No alternatives (`security: []`) means none is needed; an empty
/// alternative (`{}`) means calling without credentials is one of the choices.
pub(crate) type Requirement<'a> = Vec<Vec<(&'a str, Vec<&'a str>)>>;

/// The operation's own `security`, else the document's; `None` when neither says.
pub(crate) fn requirement<'a>(root: &'a Value, op: &'a Value) -> Option<Requirement<'a>> {
    let list = op.get("security").or_else(|| root.get("security"))?.as_array()?;
    Some(
        list.iter()
            .filter_map(Value::as_object)
            .map(|alternative| {
                alternative
                    .iter()
                    .map(|(name, scopes)| {
                        let scopes = scopes
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .collect();
                        (name.as_str(), scopes)
                    })
                    .collect()
            })
            .collect(),
    )
}

/// The document's servers: `(url, description, variables)`, each variable with its
/// default, enum and description.
pub(crate) struct Server<'a> {
    pub url: &'a str,
    pub description: Option<&'a str>,
    pub variables: Vec<Variable<'a>>,
}

pub(crate) struct Variable<'a> {
    pub name: &'a str,
    pub default: Option<String>,
    pub values: Vec<String>,
    pub description: Option<&'a str>,
}

pub(crate) fn servers(root: &Value) -> Vec<Server<'_>> {
    let list = root.get("servers").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(|s| {
            Some(Server {
                url: s.get("url")?.as_str()?,
                description: s.get("description").and_then(Value::as_str),
                variables: s
                    .get("variables")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(name, v)| Variable {
                        name,
                        default: v.get("default").map(scalar),
                        values: v
                            .get("enum")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .map(scalar)
                            .collect(),
                        description: v.get("description").and_then(Value::as_str),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// A value as text: a string as it is, anything else as JSON.
pub(crate) fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// The first server's URL with its variables at their defaults, or `None` without servers.
fn base_url(root: &Value) -> Option<String> {
    let server = servers(root).into_iter().next()?;
    let mut url = server.url.to_string();
    for v in &server.variables {
        if let Some(default) = &v.default {
            url = url.replace(&format!("{{{}}}", v.name), default);
        }
    }
    Some(url)
}

/// A part of one shell word: text as it is, or a shell variable the reader sets.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    Text(String),
    Var(String),
}

/// One POSIX shell word of `parts`: bare where nothing needs quoting, in double quotes
/// where a variable is meant to expand and no text could expand too, else single-quoted
/// text (a `'` inside written `'\''`) beside double-quoted variables.
pub(crate) fn word(parts: &[Part]) -> String {
    let texts = || {
        parts.iter().filter_map(|p| match p {
            Part::Text(t) => Some(t.as_str()),
            Part::Var(_) => None,
        })
    };
    let has_var = parts.iter().any(|p| matches!(p, Part::Var(_)));
    if !has_var {
        let text: String = texts().collect();
        let bare = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c));
        return if bare { text } else { single_quoted(&text) };
    }
    let plain = texts().all(|t| t.chars().all(|c| !"\"$`\\!".contains(c) && !c.is_control()));
    let mut out = String::new();
    if plain {
        out.push('"');
        for (i, part) in parts.iter().enumerate() {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Var(v) => out.push_str(&variable(v, parts.get(i + 1))),
            }
        }
        out.push('"');
    } else {
        for part in parts {
            match part {
                Part::Text(t) if t.is_empty() => {}
                Part::Text(t) => out.push_str(&single_quoted(t)),
                Part::Var(v) => out.push_str(&format!("\"${{{v}}}\"")),
            }
        }
    }
    out
}

/// `$NAME`, or `${NAME}` where the text after it would read as more of the name.
fn variable(name: &str, next: Option<&Part>) -> String {
    let joins =
        matches!(next, Some(Part::Text(t)) if t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
    if joins {
        format!("${{{name}}}")
    } else {
        format!("${name}")
    }
}

fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// What the request carries, for [`curl`].
pub(crate) struct Call<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub parameters: &'a [&'a Value],
    pub requirement: Option<&'a Requirement<'a>>,
    /// The body's media type and sample.
    pub body: Option<(&'a str, &'a Value)>,
}

/// The `curl` command of a call, options one per line (joined with `\` line ends).
pub(crate) fn curl(root: &Value, call: &Call<'_>) -> String {
    let mut vars = Vars::default();
    let mut url: Vec<Part> = match base_url(root) {
        Some(base) if base.contains("://") => vec![Part::Text(base.trim_end_matches('/').to_string())],
        Some(base) => vec![
            Part::Var(vars.claim("BASE_URL")),
            Part::Text(base.trim_end_matches('/').to_string()),
        ],
        None => vec![Part::Var(vars.claim("BASE_URL"))],
    };
    let param_value = |p: &Value| {
        p.get("example")
            .or_else(|| {
                p.get("schema")
                    .map(|s| pointer::follow_refs(root, s))
                    .and_then(|s| {
                        s.get("example")
                            .or_else(|| s.get("default"))
                            .or_else(|| s.get("enum").and_then(Value::as_array).and_then(|e| e.first()))
                    })
            })
            .map(scalar)
    };
    let of_kind = |kind: &'static str| {
        call.parameters.iter().copied().filter(move |p| {
            p.get("in").and_then(Value::as_str) == Some(kind)
                && (kind == "path" || p.get("required").and_then(Value::as_bool) == Some(true))
        })
    };
    let path = specwright_oas::template::fill(call.path, |name| {
        let p = of_kind("path").find(|p| p.get("name").and_then(Value::as_str) == Some(name))?;
        param_value(p).map(|v| percent_encode(&v))
    });
    url.push(Part::Text(path));
    let mut query: Vec<Vec<Part>> = Vec::new();
    for p in of_kind("query") {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let value = param_value(p)
            .map(|v| percent_encode(&v))
            .unwrap_or_else(|| format!("{{{name}}}"));
        query.push(vec![Part::Text(format!("{}={value}", percent_encode(name)))]);
    }
    let mut options: Vec<String> = Vec::new();
    let mut headers: Vec<Vec<Part>> = Vec::new();
    let mut cookies: Vec<Vec<Part>> = Vec::new();
    for p in of_kind("header") {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        // OpenAPI says these three are not parameters: the body and security set them.
        if ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let value = param_value(p).unwrap_or_else(|| format!("{{{name}}}"));
        headers.push(vec![Part::Text(format!("{name}: {value}"))]);
    }
    for p in of_kind("cookie") {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let value = param_value(p).unwrap_or_else(|| format!("{{{name}}}"));
        cookies.push(vec![Part::Text(format!("{name}={value}"))]);
    }
    // The credentials of the first alternative the operation accepts.
    let schemes = root.pointer("/components/securitySchemes");
    let first = call.requirement.and_then(|r| r.first());
    for (name, _) in first.into_iter().flatten() {
        let Some(scheme) = schemes
            .and_then(|s| s.get(*name))
            .map(|s| pointer::follow_refs(root, s))
        else {
            continue;
        };
        let text = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or("");
        match text("type") {
            "apiKey" => {
                let key = text("name");
                let var = vars.claim(if key.to_ascii_lowercase().contains("token") {
                    "TOKEN"
                } else {
                    "API_KEY"
                });
                match text("in") {
                    "query" => query.push(vec![
                        Part::Text(format!("{}=", percent_encode(key))),
                        Part::Var(var),
                    ]),
                    "cookie" => cookies.push(vec![Part::Text(format!("{key}=")), Part::Var(var)]),
                    _ => headers.push(vec![Part::Text(format!("{key}: ")), Part::Var(var)]),
                }
            }
            "http" if text("scheme").eq_ignore_ascii_case("basic") => {
                let user = vars.claim("USERNAME");
                let password = vars.claim("PASSWORD");
                options.push(format!(
                    "-u {}",
                    word(&[Part::Var(user), Part::Text(":".into()), Part::Var(password)])
                ));
            }
            "http" => {
                let scheme_word = match text("scheme") {
                    s if s.eq_ignore_ascii_case("bearer") || s.is_empty() => "Bearer",
                    s => s,
                };
                let var = vars.claim("TOKEN");
                headers.push(vec![
                    Part::Text(format!("Authorization: {scheme_word} ")),
                    Part::Var(var),
                ]);
            }
            "oauth2" | "openIdConnect" => {
                let var = vars.claim("ACCESS_TOKEN");
                headers.push(vec![Part::Text("Authorization: Bearer ".into()), Part::Var(var)]);
            }
            "mutualTLS" => {
                let var = vars.claim("CLIENT_CERT");
                options.push(format!("--cert {}", word(&[Part::Var(var)])));
            }
            _ => {}
        }
    }
    let mut body_options = Vec::new();
    if let Some((media_type, sample)) = call.body {
        let essence = specwright_oas::media::essence(media_type);
        if essence == "multipart/form-data" {
            // curl writes the Content-Type with its boundary itself.
            for (k, v) in sample.as_object().into_iter().flatten() {
                let value = match v {
                    Value::String(s) if s == "<binary>" => "@file".to_string(),
                    other => scalar(other),
                };
                body_options.push(format!("-F {}", word(&[Part::Text(format!("{k}={value}"))])));
            }
        } else {
            headers.push(vec![Part::Text(format!("Content-Type: {media_type}"))]);
            if essence == "application/x-www-form-urlencoded" {
                let form: Vec<String> = sample
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(&scalar(v))))
                    .collect();
                body_options.push(format!("--data {}", word(&[Part::Text(form.join("&"))])));
            } else if specwright_oas::media::is_json(media_type) {
                let json = serde_json::to_string(sample).unwrap_or_default();
                body_options.push(format!("--data {}", word(&[Part::Text(json)])));
            } else {
                match sample {
                    Value::String(s) if s != "<binary>" => {
                        body_options.push(format!("--data {}", word(&[Part::Text(s.clone())])))
                    }
                    _ => body_options.push("--data-binary @file".to_string()),
                }
            }
        }
    }
    for (i, q) in query.into_iter().enumerate() {
        url.push(Part::Text(if i == 0 { "?".into() } else { "&".into() }));
        url.extend(q);
    }
    let url = merge_texts(url);
    // `{name}` and `[...]` are curl's URL globbing unless it is turned off.
    let globs = url
        .iter()
        .any(|p| matches!(p, Part::Text(t) if t.contains(['{', '}', '[', ']'])));
    let method = call.method.to_ascii_uppercase();
    let mut first_line = if method == "HEAD" {
        "curl --head".to_string()
    } else {
        format!("curl -X {method}")
    };
    if globs {
        first_line.push_str(" -g");
    }
    first_line.push(' ');
    first_line.push_str(&word(&url));
    let mut lines = vec![first_line];
    lines.extend(headers.iter().map(|h| format!("-H {}", word(h))));
    lines.extend(cookies.iter().map(|c| format!("-b {}", word(c))));
    lines.extend(options);
    lines.extend(body_options);
    lines.join(" \\\n  ")
}

/// Adjacent texts joined, so a word is quoted as one piece.
fn merge_texts(parts: Vec<Part>) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    for part in parts {
        match (out.last_mut(), part) {
            (Some(Part::Text(last)), Part::Text(t)) => last.push_str(&t),
            (_, part) => out.push(part),
        }
    }
    out
}

/// Shell variables, each named once.
#[derive(Default)]
struct Vars(BTreeSet<String>);

impl Vars {
    fn claim(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        let mut n = 2;
        while !self.0.insert(name.clone()) {
            name = format!("{wanted}_{n}");
            n += 1;
        }
        name
    }
}

/// A URL component with everything but unreserved characters percent-encoded; `{name}`
/// placeholders of the page's own are written by the caller, not passed here.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shell_words_quote_what_the_spec_says() {
        let t = |s: &str| Part::Text(s.to_string());
        let v = |s: &str| Part::Var(s.to_string());
        assert_eq!(word(&[t("https://a.example/v1")]), "https://a.example/v1");
        assert_eq!(word(&[t("X-Name: it's")]), r"'X-Name: it'\''s'");
        assert_eq!(word(&[t(r#"{"a":"b'c"}"#)]), r#"'{"a":"b'\''c"}'"#);
        assert_eq!(word(&[t("$(rm -rf ~)`x`")]), "'$(rm -rf ~)`x`'");
        assert_eq!(word(&[t("")]), "''");
        assert_eq!(
            word(&[t("X-Auth-Token: "), v("TOKEN")]),
            r#""X-Auth-Token: $TOKEN""#
        );
        assert_eq!(word(&[v("BASE_URL"), t("/v1")]), r#""$BASE_URL/v1""#);
        assert_eq!(word(&[v("A"), t("b")]), r#""${A}b""#);
        // Text that would expand inside double quotes is single-quoted beside the variable.
        assert_eq!(word(&[t("X-$a'b: "), v("TOKEN")]), r#"'X-$a'\''b: '"${TOKEN}""#);
    }

    /// Runs `sh -c 'printf "%s\n" WORDS'` to read the words back as a shell parses them.
    fn shell_reads(words: &str) -> Option<String> {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("TOKEN=t0k; printf '%s\\n' {words}"))
            .output()
            .ok()?;
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    #[test]
    fn a_shell_reads_each_word_back_as_the_text_it_was() {
        let hostile = "a'b\"c$d`e\\f!g\nh $(x) ;|&";
        let quoted = word(&[Part::Text(hostile.to_string())]);
        let with_var = word(&[Part::Text(hostile.to_string()), Part::Var("TOKEN".into())]);
        let Some(read) = shell_reads(&format!("{quoted} {with_var}")) else {
            return; // no shell here: the string tests above still hold
        };
        assert_eq!(read, format!("{hostile}\n{hostile}t0k\n"));
    }

    #[test]
    fn the_curl_line_has_the_server_path_auth_and_body() {
        let root = json!({
            "servers": [{"url": "https://api.{region}.example/", "variables": {"region": {"default": "eu"}}}],
            "components": {"securitySchemes": {
                "tok": {"type": "apiKey", "in": "header", "name": "X-Auth-Token"},
                "key": {"type": "apiKey", "in": "query", "name": "api_key"},
                "bearer": {"type": "http", "scheme": "bearer"}}}
        });
        let params = [
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}),
            json!({"name": "limit", "in": "query", "required": true, "schema": {"type": "integer", "default": 10}}),
            json!({"name": "page", "in": "query", "schema": {"type": "integer"}}),
            json!({"name": "X-Trace", "in": "header", "required": true, "example": "it's"}),
        ];
        let params: Vec<&Value> = params.iter().collect();
        let requirement: Requirement = vec![vec![("tok", vec![]), ("key", vec![])], vec![("bearer", vec![])]];
        let body = json!({"name": "O'Brien"});
        let line = curl(
            &root,
            &Call {
                method: "post",
                path: "/v1/items/{id}",
                parameters: &params,
                requirement: Some(&requirement),
                body: Some(("application/json", &body)),
            },
        );
        assert_eq!(
            line,
            "curl -X POST -g \"https://api.eu.example/v1/items/{id}?limit=10&api_key=$API_KEY\" \\\n  \
             -H 'X-Trace: it'\\''s' \\\n  \
             -H \"X-Auth-Token: $TOKEN\" \\\n  \
             -H 'Content-Type: application/json' \\\n  \
             --data '{\"name\":\"O'\\''Brien\"}'"
        );
        let bearer: Requirement = vec![vec![("bearer", vec![])]];
        let line = curl(
            &json!({"components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}}),
            &Call {
                method: "get",
                path: "/a",
                parameters: &[],
                requirement: Some(&bearer),
                body: None,
            },
        );
        assert_eq!(
            line,
            "curl -X GET \"$BASE_URL/a\" \\\n  -H \"Authorization: Bearer $TOKEN\""
        );
    }

    #[test]
    fn security_is_the_operations_own_or_the_documents() {
        let root = json!({"security": [{"a": []}, {"b": ["read"], "c": []}]});
        let none = json!({});
        let inherited = requirement(&root, &none).unwrap_or_default();
        assert_eq!(
            inherited,
            vec![vec![("a", vec![])], vec![("b", vec!["read"]), ("c", vec![])]]
        );
        let empty = json!({"security": []});
        assert_eq!(requirement(&root, &empty), Some(vec![]));
        assert_eq!(requirement(&none, &none), None);
    }
}
