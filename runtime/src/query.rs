use std::borrow::Cow;

/// Query parameters in the order the spec lists them; absent optional values are skipped.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(Cow<'static, str>, String)>,
}

/// How an object-valued query parameter is spelled (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStyle {
    /// `style: form, explode: true` (the default): `a=1&b=2`.
    FormExploded,
    /// `style: form, explode: false`: `name=a,1,b,2`.
    Form,
    /// `style: deepObject`: `name[a]=1&name[b]=2`.
    DeepObject,
}

impl Query {
    pub fn new() -> Query {
        Query::default()
    }

    /// Adds `name=value`.
    pub fn push(&mut self, name: &'static str, value: impl std::fmt::Display) -> &mut Query {
        self.pairs.push((Cow::Borrowed(name), value.to_string()));
        self
    }

    /// Adds `name=value` when there is a value.
    pub fn push_opt<T: std::fmt::Display>(&mut self, name: &'static str, value: Option<&T>) -> &mut Query {
        if let Some(value) = value {
            self.push(name, value);
        }
        self
    }

    /// Adds `name=v` once per item (the OpenAPI default `form`, `explode: true`).
    pub fn push_each<T: std::fmt::Display>(&mut self, name: &'static str, values: &[T]) -> &mut Query {
        for v in values {
            self.push(name, v);
        }
        self
    }

    /// Adds `name=<value as JSON text>`: a parameter described by `content: application/json`.
    pub fn push_json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<&mut Query, String> {
        let text = json_text(name, value)?;
        Ok(self.push(name, text))
    }

    /// Adds an object's properties as `style` spells them. A nested object or array inside
    /// is sent as its JSON text, the one spelling every server can read back.
    pub fn push_object<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: ObjectStyle,
    ) -> Result<&mut Query, String> {
        let value = serde_json::to_value(value)
            .map_err(|e| format!("parameter {name} cannot be written as an object: {e}"))?;
        let serde_json::Value::Object(map) = value else {
            let text = scalar_text(&value);
            return Ok(self.push(name, text));
        };
        let present = map.iter().filter(|(_, v)| !v.is_null());
        match style {
            ObjectStyle::FormExploded => {
                for (k, v) in present {
                    self.pairs.push((Cow::Owned(k.clone()), scalar_text(v)));
                }
            }
            ObjectStyle::DeepObject => {
                for (k, v) in present {
                    self.pairs
                        .push((Cow::Owned(format!("{name}[{k}]")), scalar_text(v)));
                }
            }
            ObjectStyle::Form => {
                let joined: Vec<String> = present.flat_map(|(k, v)| [k.clone(), scalar_text(v)]).collect();
                self.push(name, joined.join(","));
            }
        }
        Ok(self)
    }

    pub fn pairs(&self) -> &[(Cow<'static, str>, String)] {
        &self.pairs
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// A JSON value as one query value: strings as they are, anything else as JSON text.
fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An array path or header parameter (the `simple` style): items joined by commas.
pub fn simple_text<T: std::fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A request body `application/x-www-form-urlencoded`: the value's fields as `a=1&b=2`.
pub fn form_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    serde_urlencoded::to_string(value).map_err(|e| format!("the body cannot be form-encoded: {e}"))
}

/// A parameter value described by `content: application/json`, as the JSON text it is sent as.
pub fn json_text<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| format!("parameter {name} cannot be written as JSON: {e}"))
}
