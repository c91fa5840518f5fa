//! Open string enums: the one definition every generated `enum` of strings expands from.
//!
//! A generated client declares each enum of the spec with a variant per value and an
//! `Other(String)` for values it does not know; this macro writes the rest once for all of
//! them (`as_str`, `From<&str>`, `From<String>`, `Display`, and serde as a plain string).
//! Generated files stay short, and every enum behaves the same way.

/// Implements an open string enum's behaviour for an enum of unit variants and an
/// `Other(String)`.
///
/// ```
/// /// What a volume is doing.
/// #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// pub enum Status {
///     /// `available`
///     Available,
///     /// `in-use`
///     InUse,
///     /// A value this client does not know.
///     Other(String),
/// }
/// specwright_runtime::impl_string_enum!(Status { Available = "available", InUse = "in-use" });
///
/// assert_eq!(Status::from("in-use"), Status::InUse);
/// assert_eq!(Status::from("resizing"), Status::Other("resizing".into()));
/// assert_eq!(Status::Other("resizing".into()).as_str(), "resizing");
/// assert_eq!(Status::Available.to_string(), "available");
/// assert_eq!(serde_json::to_string(&Status::Available).unwrap(), "\"available\"");
/// let read: Status = serde_json::from_str("\"deleting\"").unwrap();
/// assert_eq!(read, Status::Other("deleting".into()));
/// ```
#[macro_export]
macro_rules! impl_string_enum {
    ($name:ident { $( $variant:ident = $wire:literal ),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Other(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Other(::std::string::ToString::to_string(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as $crate::serde::Deserialize<'de>>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}
