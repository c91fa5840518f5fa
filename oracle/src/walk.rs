//! Walking a spec's operations, parameters, bodies, responses and examples, with `$ref`s
//! followed and every item carrying the JSON pointer it lives at.

use serde_json::Value;

use crate::error::LoadError;
use crate::pointer;
use crate::spec::Spec;

/// One operation: a method on a path.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    pub method: &'static str,
    pub path: &'a str,
    pub operation_id: Option<&'a str>,
    /// Pointer to the Operation Object, e.g. `/paths/~1v2~1{project_id}~1volumes/post`.
    pub pointer: String,
    pub value: &'a Value,
    path_item: &'a Value,
    path_item_pointer: String,
}

/// A parameter after `$ref` resolution.
#[derive(Debug, Clone)]
pub struct Parameter<'a> {
    pub name: &'a str,
    /// `path`, `query`, `header` or `cookie`.
    pub location: &'a str,
    pub required: bool,
    pub pointer: String,
    /// Pointer to the parameter's schema, if it has one: its `schema`, or the schema of
    /// its `content: application/json`.
    pub schema_pointer: Option<String>,
    /// Described by `content: application/json`: the value travels as JSON text.
    pub json: bool,
    pub value: &'a Value,
}

/// A Media Type Object: one content type of a body.
#[derive(Debug, Clone)]
pub struct MediaType<'a> {
    pub content_type: &'a str,
    pub pointer: String,
    pub schema_pointer: Option<String>,
    pub value: &'a Value,
}

impl MediaType<'_> {
    /// The spec's way to say a documented body may be absent: beside the real media type,
    /// one (such as `text/plain`) whose schema is a string of at most 0 characters.
    pub fn is_empty_alternative(&self, spec: &Spec) -> bool {
        let Some(schema) = self
            .schema_pointer
            .as_deref()
            .and_then(|at| spec.raw().pointer(at))
        else {
            return false;
        };
        let Ok((_, schema)) = spec.deref(&self.pointer, schema) else {
            return false;
        };
        !is_json(self.content_type)
            && schema.get("type").and_then(Value::as_str) == Some("string")
            && schema.get("maxLength").and_then(Value::as_u64) == Some(0)
    }
}

/// A documented response of an operation.
#[derive(Debug, Clone)]
pub struct Response<'a> {
    /// `200`, `4XX`, `default`, ...
    pub status: &'a str,
    pub pointer: String,
    pub content: Vec<MediaType<'a>>,
    pub value: &'a Value,
}

impl Response<'_> {
    /// The media type an empty body of this response is sent as, where the spec allows
    /// one (see [`MediaType::is_empty_alternative`]).
    pub fn empty_alternative(&self, spec: &Spec) -> Option<&str> {
        self.content
            .iter()
            .find(|m| m.is_empty_alternative(spec))
            .map(|m| m.content_type)
    }
}

/// One example value and where it sits.
#[derive(Debug, Clone)]
pub struct Example<'a> {
    pub name: String,
    pub pointer: String,
    pub value: &'a Value,
}

/// Where an example belongs: the operation, and the schema it must satisfy.
#[derive(Debug, Clone)]
pub struct ExampleSite {
    pub operation: String,
    /// `request`, `response 202`, `parameter limit`, ...
    pub role: String,
    pub content_type: Option<String>,
    pub schema_pointer: Option<String>,
}

impl Spec {
    /// Every operation, in document order.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut out = Vec::new();
        let Some(paths) = self.raw().get("paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            let item_pointer = pointer::join("/paths", path);
            for method in crate::METHODS {
                if let Some(op) = item.get(method) {
                    out.push(Operation {
                        method,
                        path,
                        operation_id: op.get("operationId").and_then(Value::as_str),
                        pointer: pointer::join(&item_pointer, method),
                        value: op,
                        path_item: item,
                        path_item_pointer: item_pointer.clone(),
                    });
                }
            }
        }
        out
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, operation_id: &str) -> Option<Operation<'_>> {
        self.operations()
            .into_iter()
            .find(|op| op.operation_id == Some(operation_id))
    }

    /// Every example in the document (request bodies, responses, parameters) with the
    /// schema it must satisfy.
    pub fn examples(&self) -> Result<Vec<(ExampleSite, Example<'_>)>, LoadError> {
        let mut out = Vec::new();
        for op in self.operations() {
            let name = op.display_name();
            for p in op.parameters(self)? {
                for ex in examples_of(self, &p.pointer, p.value)? {
                    let site = ExampleSite {
                        operation: name.clone(),
                        role: format!("parameter {}", p.name),
                        content_type: None,
                        schema_pointer: p.schema_pointer.clone(),
                    };
                    out.push((site, ex));
                }
            }
            if let Some((_, bodies)) = op.request_body(self)? {
                for media in bodies {
                    for ex in examples_of(self, &media.pointer, media.value)? {
                        let site = ExampleSite {
                            operation: name.clone(),
                            role: "request".into(),
                            content_type: Some(media.content_type.to_string()),
                            schema_pointer: media.schema_pointer.clone(),
                        };
                        out.push((site, ex));
                    }
                }
            }
            for response in op.responses(self)? {
                for media in &response.content {
                    for ex in examples_of(self, &media.pointer, media.value)? {
                        let site = ExampleSite {
                            operation: name.clone(),
                            role: format!("response {}", response.status),
                            content_type: Some(media.content_type.to_string()),
                            schema_pointer: media.schema_pointer.clone(),
                        };
                        out.push((site, ex));
                    }
                }
            }
        }
        Ok(out)
    }
}

impl<'a> Operation<'a> {
    /// `operationId`, or `METHOD /path` when there is none.
    pub fn display_name(&self) -> String {
        match self.operation_id {
            Some(id) => id.to_string(),
            None => format!("{} {}", self.method.to_uppercase(), self.path),
        }
    }

    /// The operation's parameters, its path item's overridden by its own
    /// ([`specwright_oas::parameters::effective`]).
    pub fn parameters(&self, spec: &'a Spec) -> Result<Vec<Parameter<'a>>, LoadError> {
        let read = |list: Option<&'a Value>, list_pointer: String| -> Result<Vec<Parameter<'a>>, LoadError> {
            let list = list
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            list.iter()
                .enumerate()
                .map(|(i, p)| {
                    spec.deref(&format!("{list_pointer}/{i}"), p)
                        .map(|(at, p)| parameter(at, p))
                })
                .collect()
        };
        let shared = read(
            self.path_item.get("parameters"),
            pointer::join(&self.path_item_pointer, "parameters"),
        )?;
        let own = read(
            self.value.get("parameters"),
            pointer::join(&self.pointer, "parameters"),
        )?;
        Ok(specwright_oas::parameters::effective(shared, own, |p| {
            (p.name, p.location)
        }))
    }

    /// The request body's `required` flag and its media types, if it has a body.
    pub fn request_body(&self, spec: &'a Spec) -> Result<Option<(bool, Vec<MediaType<'a>>)>, LoadError> {
        let Some(body) = self.value.get("requestBody") else {
            return Ok(None);
        };
        let (at, body) = spec.deref(&pointer::join(&self.pointer, "requestBody"), body)?;
        let required = body.get("required").and_then(Value::as_bool).unwrap_or(false);
        Ok(Some((required, media_types(&at, body))))
    }

    /// The documented responses, in document order.
    pub fn responses(&self, spec: &'a Spec) -> Result<Vec<Response<'a>>, LoadError> {
        let mut out = Vec::new();
        let Some(responses) = self.value.get("responses").and_then(Value::as_object) else {
            return Ok(out);
        };
        let base = pointer::join(&self.pointer, "responses");
        for (status, r) in responses {
            let (at, r) = spec.deref(&pointer::join(&base, status), r)?;
            out.push(Response {
                status,
                content: media_types(&at, r),
                pointer: at,
                value: r,
            });
        }
        Ok(out)
    }
}

fn media_types<'a>(at: &str, holder: &'a Value) -> Vec<MediaType<'a>> {
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return Vec::new();
    };
    let content_pointer = pointer::join(at, "content");
    content
        .iter()
        .map(|(ct, media)| {
            let pointer = pointer::join(&content_pointer, ct);
            MediaType {
                content_type: ct,
                schema_pointer: media.get("schema").map(|_| pointer::join(&pointer, "schema")),
                pointer,
                value: media,
            }
        })
        .collect()
}

/// The `example` and each of the `examples` of a parameter or media type.
fn examples_of<'a>(spec: &'a Spec, at: &str, holder: &'a Value) -> Result<Vec<Example<'a>>, LoadError> {
    let mut out = Vec::new();
    if let Some(value) = holder.get("example") {
        out.push(Example {
            name: "example".into(),
            pointer: pointer::join(at, "example"),
            value,
        });
    }
    if let Some(map) = holder.get("examples").and_then(Value::as_object) {
        let base = pointer::join(at, "examples");
        for (name, ex) in map {
            let (ex_at, ex) = spec.deref(&pointer::join(&base, name), ex)?;
            // An Example Object may point at an external value instead; nothing to judge.
            if let Some(value) = ex.get("value") {
                out.push(Example {
                    name: name.clone(),
                    pointer: pointer::join(&ex_at, "value"),
                    value,
                });
            }
        }
    }
    Ok(out)
}

pub use specwright_oas::media::is_json;

/// One parameter object (its `$ref` followed to `at`) as the walk sees it.
fn parameter(at: String, p: &Value) -> Parameter<'_> {
    let json_content = p.get("content").and_then(Value::as_object).and_then(|content| {
        content
            .iter()
            .find(|(ct, _)| is_json(ct))
            .map(|(ct, media)| (ct.as_str(), media.get("schema").is_some()))
    });
    let schema_pointer = match (p.get("schema"), json_content) {
        (Some(_), _) => Some(pointer::join(&at, "schema")),
        (None, Some((ct, true))) => Some(pointer::join(
            &pointer::join(&pointer::join(&at, "content"), ct),
            "schema",
        )),
        _ => None,
    };
    Parameter {
        name: p.get("name").and_then(Value::as_str).unwrap_or_default(),
        location: p.get("in").and_then(Value::as_str).unwrap_or_default(),
        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
        schema_pointer,
        json: p.get("schema").is_none() && json_content.is_some(),
        pointer: at,
        value: p,
    }
}
