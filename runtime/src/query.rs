/// Query parameters in the order the spec lists them; absent optional values are skipped.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(&'static str, String)>,
}

impl Query {
    pub fn new() -> Query {
        Query::default()
    }

    /// Adds `name=value`.
    pub fn push(&mut self, name: &'static str, value: impl std::fmt::Display) -> &mut Query {
        self.pairs.push((name, value.to_string()));
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

    pub fn pairs(&self) -> &[(&'static str, String)] {
        &self.pairs
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// A parameter value described by `content: application/json`, as the JSON text it is sent as.
pub fn json_text<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| format!("parameter {name} cannot be written as JSON: {e}"))
}
