//! Judging one response against the spec: status, schema, media type, response
//! headers, error codes, and the list semantics of [`crate::lists::page`].

use serde_json::Value;
use specwright_oracle::{Operation, Spec, pointer};

use crate::checks::{Check, Finding, Intent};
use crate::exchange::{Request, Response};
use specwright_oas::schema::flattened;

/// Judges one response of `op` to `request` against the spec.
pub fn judge(
    spec: &Spec,
    op: &Operation,
    request: &Request,
    response: &Response,
    intent: Intent,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let status = response.status;
    findings.push(Finding::check(
        Check::NoServerError,
        status < 500,
        "a status below 500",
        format!("{status}: {}", excerpt(&response.body_text)),
    ));
    if let Intent::Refused(check) = intent {
        let promised = check != Check::MethodNotAllowed || documents_405(spec, op.path);
        findings.push(refusal(check, response, promised));
        return findings;
    }
    let responses = op.responses(spec).unwrap_or_default();
    let documented = responses
        .iter()
        .find(|r| r.status == status.to_string())
        .or_else(|| {
            responses.iter().find(|r| {
                r.status.len() == 3
                    && r.status.ends_with("XX")
                    && r.status.starts_with(&(status / 100).to_string())
            })
        })
        .or_else(|| responses.iter().find(|r| r.status == "default"));
    let Some(documented) = documented else {
        let listed: Vec<&str> = responses.iter().map(|r| r.status).collect();
        findings.push(Finding::fail(
            Check::StatusDocumented,
            format!("one of {}", listed.join(", ")),
            format!("{status}: {}", excerpt(&response.body_text)),
        ));
        return findings;
    };
    findings.push(Finding::pass(Check::StatusDocumented));

    match intent {
        Intent::Negative(check) => findings.push(Finding::check(
            check,
            (400..500).contains(&status),
            "a documented 4xx refusing the input",
            format!("{status}: {}", excerpt(&response.body_text)),
        )),
        Intent::Positive { must_succeed: true } => findings.push(Finding::check(
            Check::PositiveAccepted,
            (200..400).contains(&status),
            "a documented 2xx",
            format!("{status}: {}", excerpt(&response.body_text)),
        )),
        Intent::Positive { must_succeed: false } | Intent::Refused(_) => {}
    }

    findings.extend(error_code(spec, response));
    findings.extend(headers(spec, documented, response));
    // No body is a body only where the spec says it may be left out: a media type for the
    // empty body beside the real one (then no Content-Type is needed to say there is none).
    let may_be_empty = documented.empty_alternative(spec).is_some()
        || matches!(status, 204 | 304)
        || request.method == "HEAD";
    if !(may_be_empty && response.body_text.is_empty()) {
        findings.extend(body(spec, &documented.content, response));
    }
    if matches!(intent, Intent::Positive { .. }) && (200..300).contains(&status) {
        findings.extend(crate::lists::page::judge(spec, op, request, response));
    }
    findings
}

/// Whether some operation of the path documents a 405: only then is an undeclared method's
/// 405 the spec's promise, and not RFC 9110's recommendation.
pub fn documents_405(spec: &Spec, path: &str) -> bool {
    spec.operations().iter().filter(|o| o.path == path).any(|o| {
        o.responses(spec)
            .unwrap_or_default()
            .iter()
            .any(|r| r.status == "405")
    })
}

/// A refusal; `promised` is false where only an RFC recommends it (a warning, then).
/// An error's `code` against the codes the spec documents in `components.x-error-codes`
/// (a map of modules to maps of codes; `*` in a code stands for any digit).
fn error_code(spec: &Spec, response: &Response) -> Option<Finding> {
    if response.status < 400 {
        return None;
    }
    let modules = spec
        .raw()
        .pointer("/components/x-error-codes/codes")?
        .as_object()?;
    let body = response.body.as_ref()?;
    let code = body.get("code").or_else(|| {
        let objects: Vec<&Value> = body.as_object()?.values().filter(|v| v.is_object()).collect();
        match objects.as_slice() {
            [one] => one.get("code"),
            _ => None,
        }
    })?;
    let code = match code {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let fits = |documented: &str| {
        documented.len() == code.len()
            && documented
                .chars()
                .zip(code.chars())
                .all(|(d, c)| d == c || (d == '*' && c.is_ascii_digit()))
    };
    let documented = modules
        .values()
        .filter_map(Value::as_object)
        .flat_map(|codes| codes.keys())
        .any(|d| fits(d));
    Some(Finding::check(
        Check::ErrorCode,
        documented,
        "a code listed in components.x-error-codes",
        format!("{}: code {code}", response.status),
    ))
}

fn refusal(check: Check, response: &Response, promised: bool) -> Finding {
    let status = response.status;
    let got = format!("{status}: {}", excerpt(&response.body_text));
    match check {
        Check::AuthEnforced => Finding::check(check, matches!(status, 401 | 403), "401 or 403", got),
        Check::MethodNotAllowed => {
            let allow = response.header("allow").unwrap_or("").trim();
            Finding::check(
                check,
                status == 405 && !allow.is_empty(),
                "405 with an Allow header",
                if status == 405 {
                    "405 without Allow".into()
                } else {
                    got
                },
            )
            .warning_unless(promised)
        }
        _ => Finding::check(check, (400..500).contains(&status), "a 4xx refusal", got),
    }
}

/// Response headers: those marked `required` are present, and every documented one that
/// is present matches its schema, formats included (a `Location` declared `format: uri`
/// must be one).
fn headers(spec: &Spec, documented: &specwright_oracle::Response, response: &Response) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(declared) = documented.value.get("headers").and_then(Value::as_object) else {
        return findings;
    };
    for (name, header) in declared {
        if name.eq_ignore_ascii_case("content-type") {
            continue; // RFC-defined; OpenAPI says it is ignored here.
        }
        let at = pointer::join(&pointer::join(&documented.pointer, "headers"), name);
        let Ok((at, header)) = spec.deref(&at, header) else {
            continue;
        };
        let required = header.get("required").and_then(Value::as_bool) == Some(true);
        match response.header(name) {
            None if required => findings.push(Finding::fail(
                Check::ResponseHeaders,
                format!("header {name}"),
                "absent",
            )),
            None => {}
            Some(value) => {
                let schema = header.get("schema").map(|_| pointer::join(&at, "schema"));
                let broken = schema.and_then(|schema| header_violation(spec, &schema, value));
                findings.push(Finding::check(
                    Check::ResponseHeaders,
                    broken.is_none(),
                    format!("header {name} matching its schema"),
                    format!("{name}: {value} ({})", broken.unwrap_or_default()),
                ));
            }
        }
    }
    findings
}

/// What is wrong with a header's value under its schema, if anything: the text is read as
/// the type the schema names (a number, a Boolean), else as a string.
fn header_violation(spec: &Spec, schema_pointer: &str, value: &str) -> Option<String> {
    let schema = flattened(spec.raw(), spec.raw().pointer(schema_pointer)?);
    let text = value.trim();
    let read = match schema.get("type").and_then(Value::as_str) {
        Some("integer" | "number") => match serde_json::from_str::<Value>(text) {
            Ok(n @ Value::Number(_)) => n,
            _ => return Some("not a number".into()),
        },
        Some("boolean") => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Some("not true or false".into()),
        },
        _ => Value::String(value.to_string()),
    };
    match spec.validate(schema_pointer, &read) {
        Ok(v) => v.first().map(ToString::to_string),
        Err(_) => None,
    }
}

fn body(spec: &Spec, content: &[specwright_oracle::MediaType], response: &Response) -> Vec<Finding> {
    let mut findings = Vec::new();
    if content.is_empty() {
        findings.extend(labelled_json(response));
        return findings;
    }
    let ct = response.content_type.clone().unwrap_or_default();
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let media = content
        .iter()
        .find(|m| m.content_type.eq_ignore_ascii_case(&essence))
        .or_else(|| {
            content
                .iter()
                .find(|m| media_range_matches(m.content_type, &essence))
        });
    let Some(media) = media else {
        let listed: Vec<&str> = content.iter().map(|m| m.content_type).collect();
        findings.push(Finding::fail(
            Check::ContentType,
            listed.join(" or "),
            if ct.is_empty() { "(none)".into() } else { ct },
        ));
        return findings;
    };
    findings.push(Finding::pass(Check::ContentType));
    let Some(schema) = media.schema_pointer.as_deref() else {
        return findings;
    };
    if !specwright_oracle::is_json(&essence) {
        // A text body is judged as the string it is (`maxLength: 0` for an empty one).
        if essence.starts_with("text/") {
            findings.push(
                match spec.validate(schema, &Value::String(response.body_text.clone())) {
                    Ok(v) if v.is_empty() => Finding::pass(Check::ResponseSchema),
                    Ok(v) => Finding::fail(
                        Check::ResponseSchema,
                        format!("a text body matching {schema}"),
                        v.first().map(ToString::to_string).unwrap_or_default(),
                    ),
                    Err(e) => Finding::fail(Check::ResponseSchema, "a compilable schema", e.to_string()),
                },
            );
        }
        return findings;
    }
    match &response.body {
        None => findings.push(Finding::fail(
            Check::ResponseSchema,
            "a JSON body",
            format!("not JSON: {}", excerpt(&response.body_text)),
        )),
        Some(body) => match spec.validate(schema, body) {
            Ok(v) if v.is_empty() => {
                findings.push(Finding::pass(Check::ResponseSchema));
                if let Some(schema_value) = spec.raw().pointer(schema) {
                    for extra in undocumented_fields(spec.raw(), schema_value, body, "") {
                        findings.push(Finding::warn(
                            Check::ResponseSchema,
                            "only documented fields",
                            format!("undocumented field {extra}"),
                        ));
                    }
                }
            }
            Ok(violations) => {
                let first: Vec<String> = violations.iter().take(3).map(ToString::to_string).collect();
                findings.push(Finding::fail(
                    Check::ResponseSchema,
                    format!("a body matching {schema}"),
                    first.join("; "),
                ));
            }
            Err(e) => findings.push(Finding::fail(
                Check::ResponseSchema,
                "a compilable schema",
                e.to_string(),
            )),
        },
    }
    findings
}

/// A body the spec leaves undescribed but labels JSON must still be JSON (RFC 8259): an
/// empty one labelled `application/json` breaks every client that parses what it is told
/// is JSON. A warning, since the spec promised no body at all.
fn labelled_json(response: &Response) -> Option<Finding> {
    let ct = response.content_type.as_deref()?;
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !specwright_oracle::is_json(&essence) || response.body.is_some() {
        return None;
    }
    let actual = if response.body_text.is_empty() {
        format!("{}: an empty body labelled {ct}", response.status)
    } else {
        format!(
            "{}: not JSON, labelled {ct}: {}",
            response.status,
            excerpt(&response.body_text)
        )
    };
    Some(Finding::fail(Check::ContentType, "a body labelled JSON that is JSON", actual).warning_unless(false))
}

/// `application/*` and `*/*` in a spec's content map cover any type of that range.
fn media_range_matches(range: &str, essence: &str) -> bool {
    let range = range.to_ascii_lowercase();
    match range.split_once('/') {
        Some(("*", "*")) => true,
        Some((kind, "*")) => essence.split('/').next() == Some(kind),
        _ => false,
    }
}

pub(crate) fn excerpt(text: &str) -> String {
    let mut end = text.len().min(200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// Fields present in `value` that the schema's `properties` do not list (where the schema
/// does not allow arbitrary extra fields). The walk follows the value (finite, as parsed),
/// reading the schema once per level of it.
pub fn undocumented_fields(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let schema = flattened(doc, schema);
    if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let open = schema
                .get("additionalProperties")
                .is_some_and(|a| a != &Value::Bool(false));
            for (k, v) in map {
                match props.and_then(|p| p.get(k)) {
                    Some(prop) => out.extend(undocumented_fields(doc, prop, v, &pointer::join(at, k))),
                    None if !open && props.is_some() => out.push(pointer::join(at, k)),
                    None => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate().take(3) {
                    out.extend(undocumented_fields(doc, item_schema, item, &format!("{at}/{i}")));
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(headers: &[(&str, &str)]) -> Response {
        Response {
            status: 201,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            content_type: None,
            body_text: String::new(),
            body: None,
            sent_at: std::time::Instant::now(),
            elapsed: std::time::Duration::ZERO,
        }
    }

    /// Header values are held to their whole schema, formats included.
    #[test]
    fn response_headers_match_their_schema() {
        let spec = Spec::parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    post:
      responses:
        "201":
          description: made
          headers:
            Location:
              required: true
              schema: {type: string, format: uri}
            X-Count:
              $ref: '#/components/headers/Count'
components:
  headers:
    Count:
      schema: {type: integer, minimum: 0}
"##,
            "t.yaml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let op = spec
            .operations()
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no op"));
        let request = Request::new("post", "/things".to_string());
        let judged = |headers: &[(&str, &str)]| -> Vec<Finding> {
            judge(
                &spec,
                &op,
                &request,
                &answer(headers),
                Intent::Positive { must_succeed: true },
            )
            .into_iter()
            .filter(|f| f.check == Check::ResponseHeaders && !f.passed)
            .collect()
        };
        assert!(judged(&[("location", "http://x.test/things/1"), ("x-count", "3")]).is_empty());
        assert_eq!(
            judged(&[("location", "not a uri")]).len(),
            1,
            "a Location that is no URI"
        );
        assert_eq!(judged(&[]).len(), 1, "a required header left out");
        assert_eq!(
            judged(&[("location", "http://x.test/1"), ("x-count", "-1")]).len(),
            1,
            "a referenced header's minimum"
        );
    }

    #[test]
    fn media_ranges() {
        assert!(media_range_matches("application/*", "application/json"));
        assert!(media_range_matches("*/*", "text/plain"));
        assert!(!media_range_matches("application/json", "text/plain"));
    }
}
