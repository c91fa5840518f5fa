//! Serde adapters used by generated models.

/// For a field that may be absent *or* `null` and where the two mean different things:
/// `None` = absent, `Some(None)` = `null`, `Some(Some(v))` = a value. Use with
/// `#[serde(default, skip_serializing_if = "Option::is_none", with = "...::double_option")]`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// For a `oneOf` with a `discriminator`: an object whose property `tag` names its variant.
/// Generated enums call these from their `Serialize`/`Deserialize`, so the tag is written
/// once (by the enum, whatever the variant's own field holds), and a tag value the client
/// does not know decodes into the enum's `Other` with the object whole.
pub mod discriminated {
    use serde::de::DeserializeOwned;
    use serde::ser::{Error as _, SerializeMap};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::{Map, Value};

    /// A JSON object, field by field.
    pub type Object = Map<String, Value>;

    /// An object, and its tag's value where that is a string.
    pub fn read<'de, D: Deserializer<'de>>(
        deserializer: D,
        tag: &str,
    ) -> Result<(Option<String>, Object), D::Error> {
        let object = Object::deserialize(deserializer)?;
        let value = object.get(tag).and_then(Value::as_str).map(str::to_string);
        Ok((value, object))
    }

    /// The variant read from the object, the tag taken out: the enum holds it.
    pub fn variant<T: DeserializeOwned, E: serde::de::Error>(mut object: Object, tag: &str) -> Result<T, E> {
        object.remove(tag);
        T::deserialize(Value::Object(object)).map_err(E::custom)
    }

    /// The variant's fields after the tag `tag: value`; a tag field the variant holds is
    /// not written again.
    pub fn write<S: Serializer, T: Serialize>(
        serializer: S,
        tag: &str,
        value: &str,
        variant: &T,
    ) -> Result<S::Ok, S::Error> {
        let Value::Object(fields) = serde_json::to_value(variant).map_err(S::Error::custom)? else {
            return Err(S::Error::custom(format!(
                "the `{tag}: {value}` variant is not an object"
            )));
        };
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(tag, value)?;
        for (k, v) in fields.iter().filter(|(k, _)| *k != tag) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Cat {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            kind: Option<String>,
            lives: u8,
        }

        #[test]
        fn the_tag_is_written_once_and_read_by_the_enum() {
            let cat = Cat {
                kind: Some("stale".into()),
                lives: 9,
            };
            let mut out = Vec::new();
            write(&mut serde_json::Serializer::new(&mut out), "kind", "cat", &cat)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(String::from_utf8_lossy(&out), r#"{"kind":"cat","lives":9}"#);
            let json = serde_json::json!({"kind": "cat", "lives": 9});
            let (tag, object) = read(&json, "kind").unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(tag.as_deref(), Some("cat"));
            let back: Cat = variant::<_, serde_json::Error>(object, "kind").unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(back, Cat { kind: None, lives: 9 });
        }
    }
}
