//! A schema read as one piece: `$ref`s followed and `allOf` members merged, so that rules
//! ask "which properties, which types" without walking references themselves.

use serde_json::Value;

use super::context::MAX_DEPTH;

/// What a schema (with its `allOf` members) says about a value.
#[derive(Debug, Default)]
pub(super) struct View<'a> {
    /// Declared `type`s (one per member that states one).
    pub types: Vec<&'a str>,
    /// Declared properties, own and from `allOf` members; a later one wins.
    pub properties: Vec<(&'a str, &'a Value)>,
    pub required: Vec<&'a str>,
    /// The last `additionalProperties` stated.
    pub additional: Option<&'a Value>,
    /// `oneOf` / `anyOf` variants, own and from members.
    pub choices: Vec<&'a Value>,
    pub items: Option<&'a Value>,
    pub enumeration: Option<&'a Vec<Value>>,
    pub format: Option<&'a str>,
    pub pattern: Option<&'a str>,
    pub min_length: Option<u64>,
    pub min_items: Option<u64>,
    pub min_properties: Option<u64>,
    /// Schemas already merged in, by address: a schema merged twice adds nothing, and an
    /// `allOf` that names its own schema (twice, say) must not be walked again and again.
    seen: Vec<*const Value>,
}

impl<'a> View<'a> {
    pub fn of(raw: &'a Value, schema: &'a Value) -> View<'a> {
        let mut view = View::default();
        view.add(raw, schema, 0);
        view
    }

    fn add(&mut self, raw: &'a Value, schema: &'a Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = specwright_oas::pointer::follow_refs(raw, schema);
        let Some(map) = schema.as_object() else { return };
        let address: *const Value = schema;
        if self.seen.contains(&address) {
            return;
        }
        self.seen.push(address);
        if let Some(t) = map.get("type").and_then(Value::as_str) {
            if !self.types.contains(&t) {
                self.types.push(t);
            }
        }
        if let Some(members) = map.get("allOf").and_then(Value::as_array) {
            for m in members {
                self.add(raw, m, depth + 1);
            }
        }
        if let Some(props) = map.get("properties").and_then(Value::as_object) {
            for (name, p) in props {
                self.properties.retain(|(n, _)| *n != name.as_str());
                self.properties.push((name, p));
            }
        }
        if let Some(required) = map.get("required").and_then(Value::as_array) {
            for r in required.iter().filter_map(Value::as_str) {
                if !self.required.contains(&r) {
                    self.required.push(r);
                }
            }
        }
        if let Some(a) = map.get("additionalProperties") {
            self.additional = Some(a);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(list) = map.get(key).and_then(Value::as_array) {
                self.choices.extend(list.iter());
            }
        }
        if let Some(items) = map.get("items") {
            self.items = Some(items);
        }
        if let Some(e) = map.get("enum").and_then(Value::as_array) {
            self.enumeration = Some(e);
        }
        if let Some(f) = map.get("format").and_then(Value::as_str) {
            self.format = Some(f);
        }
        if let Some(p) = map.get("pattern").and_then(Value::as_str) {
            self.pattern = Some(p);
        }
        let num = |k: &str| map.get(k).and_then(Value::as_u64);
        self.min_length = num("minLength").or(self.min_length);
        self.min_items = num("minItems").or(self.min_items);
        self.min_properties = num("minProperties").or(self.min_properties);
    }

    /// `additionalProperties: false`.
    pub fn closed(&self) -> bool {
        self.additional == Some(&Value::Bool(false))
    }

    /// Whether a property of this name is declared, here or in any variant.
    pub fn declares(&self, raw: &'a Value, name: &str, depth: usize) -> bool {
        if self.properties.iter().any(|(n, _)| *n == name) {
            return true;
        }
        depth < 8
            && self
                .choices
                .iter()
                .any(|c| View::of(raw, c).declares(raw, name, depth + 1))
    }

    pub fn property(&self, name: &str) -> Option<&'a Value> {
        self.properties.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }
}
