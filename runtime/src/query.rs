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
/// Nested values are spelled as `deepObject` spells them, the spelling form-reading servers
/// (Rack, PHP, Stripe) take: an object's fields as `a[b]=1`, an array's scalars as `a=1&a=2`,
/// an array's objects as `a[0][b]=1`; a `null` or absent field is left out.
pub fn form_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let value = serde_json::to_value(value).map_err(|e| format!("the body cannot be form-encoded: {e}"))?;
    let serde_json::Value::Object(map) = value else {
        return Err(format!(
            "the body cannot be form-encoded: {value} is not an object"
        ));
    };
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &map {
        form_pairs(&mut out, k, v);
    }
    Ok(out.finish())
}

fn form_pairs(out: &mut url::form_urlencoded::Serializer<'_, String>, name: &str, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                form_pairs(out, &format!("{name}[{k}]"), v);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Object(_) | Value::Array(_) => form_pairs(out, &format!("{name}[{i}]"), item),
                    scalar => form_pairs(out, name, scalar),
                }
            }
        }
        scalar => {
            out.append_pair(name, &scalar_text(scalar));
        }
    }
}

/// A parameter value described by `content: application/json`, as the JSON text it is sent as.
pub fn json_text<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| format!("parameter {name} cannot be written as JSON: {e}"))
}

#[cfg(test)]
mod form_tests {
    use super::form_body;

    #[test]
    fn a_form_body_spells_nested_values_as_deep_objects() {
        let body = serde_json::json!({
            "name": "a b&c",
            "size": 1.5,
            "absent": null,
            "metadata": {"k": "v", "n": {"deep": true}},
            "tags": ["x", "y"],
            "items": [{"price": "p1", "quantity": 2}],
        });
        assert_eq!(
            form_body(&body).unwrap_or_else(|e| panic!("{e}")),
            "name=a+b%26c&size=1.5&metadata%5Bk%5D=v&metadata%5Bn%5D%5Bdeep%5D=true&tags=x&tags=y\
             &items%5B0%5D%5Bprice%5D=p1&items%5B0%5D%5Bquantity%5D=2"
        );
        assert!(form_body(&1).is_err());
    }
}
