//! A generated struct as a JSON object: the one `Serialize` and `Deserialize` every plain
//! generated struct expands from.
//!
//! serde's derives write, for each struct, a field enum with its own `Deserialize`, a
//! visitor for objects and another for arrays, a duplicate check per field, and attributes
//! on every field to say how it is written: about four times the code needed here, and
//! most of what `cargo check` spends on a big client. [`impl_object!`](crate::impl_object)
//! writes one `serialize` and one visitor per struct; what does not depend on the struct
//! (finding a key among the field names, how each kind of field is written and read, the
//! duplicate and missing-field errors) lives here, written once.
//!
//! It reads and writes what the derives would with the attributes the generator gave
//! them: each field by its wire name, `None` left out, unknown keys skipped (or refused,
//! for a `deny_unknown_fields` struct), a repeated field an error, a missing required field
//! an error, a missing optional one `None`.

use serde::de::{self, DeserializeSeed, Deserializer, Error as _, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct};
use std::fmt;
use std::marker::PhantomData;

/// Reads an object's key as the index of the field it names; `usize::MAX` for a key no
/// field has (or an error, when unknown keys are refused).
pub struct Key {
    /// The fields' wire names, in the order of their indices.
    pub names: &'static [&'static str],
    /// Whether a key no field has is an error.
    pub deny: bool,
}

/// The index a key no field has.
pub const UNKNOWN: usize = usize::MAX;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        match self.names.iter().position(|name| *name == key) {
            Some(index) => Ok(index),
            None if self.deny => Err(E::unknown_field(key, self.names)),
            None => Ok(UNKNOWN),
        }
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) if self.deny => Err(E::unknown_field(&String::from_utf8_lossy(key), self.names)),
            Err(_) => Ok(UNKNOWN),
        }
    }
}

/// A struct read from an object, field by field: what
/// [`impl_object!`](crate::impl_object) writes for each struct.
pub trait ReadObject: Sized {
    /// The struct's name, for messages.
    const NAME: &'static str;
    /// The fields' wire names, by index.
    const FIELDS: &'static [&'static str];

    /// Reads the struct from the entries of an object.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a [`ReadObject`] from a deserializer (a JSON object; anything else is refused).
pub fn read<'de, D: Deserializer<'de>, T: ReadObject>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, Object(PhantomData))
}

/// The visitor of a [`ReadObject`].
struct Object<T>(PhantomData<T>);

impl<'de, T: ReadObject> Visitor<'de> for Object<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// Reads the value of field `wire` into its slot; a field given twice is an error.
pub fn put<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    wire: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A required field: always written; missing is an error.
pub mod required {
    use super::*;

    /// How many entries the field writes.
    pub fn count<T>(_: &T) -> usize {
        1
    }

    /// Writes the field.
    pub fn write<S: SerializeStruct, T: Serialize>(
        out: &mut S,
        wire: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        out.serialize_field(wire, value)
    }

    /// The field's value, once the object is read.
    pub fn read<E: de::Error, T>(slot: Option<T>, wire: &'static str) -> Result<T, E> {
        slot.ok_or_else(|| E::missing_field(wire))
    }
}

/// A required field that may be `null`, an `Option`: always written, `None` as `null`;
/// missing and `null` both read as `None` (as serde reads a missing `Option`).
pub mod nullable {
    use super::*;

    /// How many entries the field writes.
    pub fn count<T>(_: &Option<T>) -> usize {
        1
    }

    /// Writes the field, `null` for `None`.
    pub fn write<S: SerializeStruct, T: Serialize>(
        out: &mut S,
        wire: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        out.serialize_field(wire, value)
    }

    /// The field's value, once the object is read.
    pub fn read<E: de::Error, T>(slot: Option<Option<T>>, _wire: &'static str) -> Result<Option<T>, E> {
        Ok(slot.flatten())
    }
}

/// An `Option` field: left out when `None`; missing and `null` both read as `None`.
pub mod optional {
    use super::*;

    /// How many entries the field writes.
    pub fn count<T>(value: &Option<T>) -> usize {
        usize::from(value.is_some())
    }

    /// Writes the field if it holds a value.
    pub fn write<S: SerializeStruct, T: Serialize>(
        out: &mut S,
        wire: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        match value {
            Some(value) => out.serialize_field(wire, value),
            None => out.skip_field(wire),
        }
    }

    /// The field's value, once the object is read.
    pub fn read<E: de::Error, T>(slot: Option<Option<T>>, _wire: &'static str) -> Result<Option<T>, E> {
        Ok(slot.flatten())
    }
}

/// An `Option<Option<_>>` field, where absence and `null` differ: `None` is left out (and
/// read when missing), `Some(None)` is `null`.
pub mod absent_or_null {
    use super::*;

    /// An `Option<Option<_>>` is written as an `Option` field whose value is itself an
    /// `Option`: left out when absent, `null` for `Some(None)`.
    pub use super::optional::{count, write};

    /// The field's value, once the object is read.
    pub fn read<E: de::Error, T>(
        slot: Option<Option<T>>,
        _wire: &'static str,
    ) -> Result<Option<Option<T>>, E> {
        Ok(slot)
    }
}

/// An empty slot for a field's value, while the object is read.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_slot {
    ($field:ident) => {
        ::std::option::Option::None
    };
}

/// The wire name of a field: the one given, or the field's own name.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_wire {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $wire:literal) => {
        $wire
    };
}

/// Implements `Serialize` and `Deserialize` for a struct sent and read as a JSON object,
/// field by field.
///
/// Each field is given as `name(index, how)` or `name(index, how, "wire")` (the wire name
/// where it is not the field's own; always for a raw identifier), indices counting from
/// 0, where `how` is `required` (always written; missing is an error), `nullable` (a
/// required `Option` field: always written, `None` as `null`; missing and `null` read as
/// `None`), `optional` (an `Option` field: `None` left out; missing and `null` read as
/// `None`) or `absent_or_null`
/// (an `Option<Option<_>>` field: `None` left out and read when missing, `Some(None)` is
/// `null`). `deny_unknown_fields` before the braces refuses keys no field has; otherwise
/// they are skipped.
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub struct Volume {
///     pub id: String,
///     pub size: Option<u64>,
///     pub description: Option<Option<String>>,
///     pub volume_type: Option<String>,
///     pub snapshot_id: Option<String>,
/// }
/// specwright_runtime::impl_object!(Volume {
///     id(0, required),
///     size(1, optional),
///     description(2, absent_or_null),
///     volume_type(3, optional, "volumeType"),
///     snapshot_id(4, nullable),
/// });
///
/// let text = r#"{"id": "v1", "description": null, "volumeType": "SSD", "extra": 1}"#;
/// let read: Volume = serde_json::from_str(text).unwrap();
/// let volume = Volume {
///     id: "v1".into(),
///     size: None,
///     description: Some(None),
///     volume_type: Some("SSD".into()),
///     snapshot_id: None,
/// };
/// assert_eq!(read, volume);
/// let written = r#"{"id":"v1","description":null,"volumeType":"SSD","snapshot_id":null}"#;
/// assert_eq!(serde_json::to_string(&read).unwrap(), written);
/// let missing = serde_json::from_str::<Volume>(r#"{"size": 1}"#).unwrap_err();
/// assert_eq!(missing.to_string(), "missing field `id` at line 1 column 11");
/// let twice = serde_json::from_str::<Volume>(r#"{"id": "a", "id": "b"}"#).unwrap_err();
/// assert!(twice.to_string().starts_with("duplicate field `id`"));
/// ```
#[macro_export]
macro_rules! impl_object {
    ($name:ident deny_unknown_fields { $($fields:tt)* }) => {
        $crate::impl_object!(@impl $name true { $($fields)* });
    };
    ($name:ident { $($fields:tt)* }) => {
        $crate::impl_object!(@impl $name false { $($fields)* });
    };
    (@impl $name:ident $deny:literal {
        $( $field:ident($index:tt, $how:ident $(, $wire:literal)?) ),* $(,)?
    }) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let len = 0 $( + $crate::object::$how::count(&self.$field) )*;
                #[allow(unused_mut)]
                let mut out = $crate::serde::Serializer::serialize_struct(serializer, stringify!($name), len)?;
                $( $crate::object::$how::write(&mut out, $crate::__object_wire!($field $($wire)?), &self.$field)?; )*
                $crate::serde::ser::SerializeStruct::end(out)
            }
        }

        impl $crate::object::ReadObject for $name {
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [&'static str] = &[$( $crate::__object_wire!($field $($wire)?) ),*];

            fn read<'de, A: $crate::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                // One slot per field, in a tuple: a field's name (`None`, a unit struct's)
                // need not be a name a local can take.
                #[allow(unused_mut, unused_variables)]
                let mut slots = ($( $crate::__object_slot!($field), )*);
                let names = <Self as $crate::object::ReadObject>::FIELDS;
                let key = || $crate::object::Key { names, deny: $deny };
                while let ::std::option::Option::Some(index) = map.next_key_seed(key())? {
                    match index {
                        $( $index => $crate::object::put(&mut slots.$index, &mut map, names[$index])?, )*
                        _ => {
                            map.next_value::<$crate::serde::de::IgnoredAny>()?;
                        }
                    }
                }
                ::std::result::Result::Ok(Self {
                    $( $field: $crate::object::$how::read::<A::Error, _>(slots.$index, names[$index])?, )*
                })
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::object::read(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    struct Strict {
        r#type: String,
        map: Option<u8>,
    }
    crate::impl_object!(Strict deny_unknown_fields {
        r#type(0, required, "type"),
        map(1, optional),
    });

    #[derive(Debug, PartialEq)]
    struct Empty {}

    /// Named like the runtime's own items, with fields named like the macro's locals.
    #[derive(Debug, PartialEq)]
    struct Object {
        key: Option<u8>,
        index: Option<u8>,
        out: Option<u8>,
        len: Option<u8>,
        deserializer: Option<u8>,
    }
    crate::impl_object!(Object {
        key(0, optional),
        index(1, optional),
        out(2, optional),
        len(3, optional),
        deserializer(4, optional),
    });
    crate::impl_object!(Empty {});

    /// Fields named as no local can be: a prelude variant, a unit struct in scope.
    #[derive(Debug, PartialEq)]
    #[allow(non_snake_case)]
    struct Odd {
        None: Option<u8>,
        Empty: Option<u8>,
    }
    crate::impl_object!(Odd {
        None(0, optional),
        Empty(1, optional),
    });

    #[test]
    fn reads_like_the_derive() {
        let read: Strict =
            serde_json::from_str(r#"{"map": null, "type": "t"}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            read,
            Strict {
                r#type: "t".into(),
                map: None
            }
        );
        let unknown = serde_json::from_str::<Strict>(r#"{"type": "t", "x": 1}"#)
            .map(|_| ())
            .expect_err("refused");
        assert!(
            unknown
                .to_string()
                .starts_with("unknown field `x`, expected `type` or `map`"),
            "{unknown}"
        );
        let array = serde_json::from_str::<Strict>(r#"["t", 1]"#)
            .map(|_| ())
            .expect_err("refused");
        assert!(
            array
                .to_string()
                .starts_with("invalid type: sequence, expected an object (Strict)"),
            "{array}"
        );
        let wrong = serde_json::from_str::<Strict>(r#"{"type": 5}"#)
            .map(|_| ())
            .expect_err("refused");
        assert!(
            wrong
                .to_string()
                .starts_with("invalid type: integer `5`, expected a string"),
            "{wrong}"
        );
        assert_eq!(
            serde_json::from_str::<Empty>(r#"{"a": [1, {"b": 2}]}"#).unwrap_or_else(|e| panic!("{e}")),
            Empty {}
        );
        // From a `Value` (the discriminated helpers read variants so), keys come owned.
        let value = serde_json::json!({"type": "t", "map": 3});
        let read: Strict = serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.map, Some(3));
        assert_eq!(
            serde_json::to_string(&read).unwrap_or_else(|e| panic!("{e}")),
            r#"{"type":"t","map":3}"#
        );
        assert_eq!(
            serde_json::to_string(&Empty {}).unwrap_or_else(|e| panic!("{e}")),
            "{}"
        );
        let text = r#"{"key":1,"index":2,"out":3,"len":4,"deserializer":5}"#;
        let object: Object = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        let all = |n| Some(n);
        assert_eq!(
            object,
            Object {
                key: all(1),
                index: all(2),
                out: all(3),
                len: all(4),
                deserializer: all(5)
            }
        );
        assert_eq!(
            serde_json::to_string(&object).unwrap_or_else(|e| panic!("{e}")),
            text
        );
        let odd: Odd = serde_json::from_str(r#"{"None":1,"Empty":2}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            odd,
            Odd {
                None: Some(1),
                Empty: Some(2)
            }
        );
    }
}
