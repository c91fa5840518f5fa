//! YAML or JSON text → a JSON value, noting every key given twice in one mapping.
//!
//! Parsers keep one of two equal keys without a word (serde_json the last, and so does
//! serde_yaml into a JSON value), so what the author wrote and what a tool reads differ:
//! two `get` operations under one path, two `required` lists. `specwright review` calls it
//! an error and the contract suite refuses such a spec; generation must not read one of
//! the two silently either. The value is built as serde_json builds it (the last value
//! kept, in the place of the first); each repeat is reported with its JSON pointer.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The value of `deserializer`, and the pointer of each key it holds twice (in the order
/// met).
pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(Value, Vec<String>), D::Error> {
    let state = RefCell::new(State::default());
    let value = Reader(&state).deserialize(deserializer)?;
    Ok((value, state.into_inner().twice))
}

#[derive(Default)]
struct State {
    /// The keys and indices from the root to the value being read.
    path: Vec<Step>,
    twice: Vec<String>,
}

enum Step {
    Key(String),
    Index(usize),
}

#[derive(Clone, Copy)]
struct Reader<'a>(&'a RefCell<State>);

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        // Past 64 bits, a number is read as JSON reads it: a float.
        Ok(i64::try_from(v).map_or_else(|_| Value::from(v as f64), Value::from))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| Value::from(v as f64), Value::from))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // A non-finite float (YAML's `.inf`) has no JSON form: null, as serde_json makes it.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            self.0.borrow_mut().path.push(Step::Index(items.len()));
            let item = seq.next_element_seed(self);
            self.0.borrow_mut().path.pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            self.0.borrow_mut().path.push(Step::Key(key));
            let value = map.next_value_seed(self);
            let mut state = self.0.borrow_mut();
            // Every push is popped before its error is returned, so this is the key above.
            let Some(Step::Key(key)) = state.path.pop() else {
                return Err(de::Error::custom("the reader lost its place in the document"));
            };
            let value = value?;
            if object.contains_key(&key) {
                let mut pointer = String::new();
                for step in state.path.iter().chain([&Step::Key(key.clone())]) {
                    pointer.push('/');
                    match step {
                        Step::Key(k) => pointer.push_str(&specwright_oas::pointer::escape(k)),
                        Step::Index(i) => pointer.push_str(&i.to_string()),
                    }
                }
                // A key given three times is one place to mend.
                if !state.twice.contains(&pointer) {
                    state.twice.push(pointer);
                }
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A mapping's key as text: YAML allows keys of other scalar types (`200:`, `true:`),
/// which a JSON document holds as their text (the visits past `str` are for a reader that
/// gives the typed scalar anyway).
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        // As text: YAML's `200:` and `1.0:` are the keys "200" and "1.0", as written.
        deserializer.deserialize_string(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
}
