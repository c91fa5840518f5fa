//! Typed string formats (`format: uuid`, `date-time`, `date`, `byte`) that never make a
//! response undecodable and never change what they re-encode.
//!
//! Servers send formats loosely: OpenStack Cinder writes `2026-12-06T01:02:03.000000` (no
//! offset), Huawei `2026-12-06T01:02:03.000Z` or `+08:00`, uuids come in upper case. A
//! strict type (`uuid::Uuid`, `time::OffsetDateTime`) would refuse a whole body for one odd
//! value, and re-encode an accepted one differently (`…03.000Z` → `…03Z`). So a field of
//! such a format is a [`Formatted<T>`]: the text exactly as it came, which is what it
//! encodes to, and its value where the text parses.
//!
//! ```
//! use specwright_runtime::{formats::DateTime, serde_json};
//! let at: DateTime = serde_json::from_str(r#""2026-12-06T01:02:03.000000""#).unwrap();
//! assert_eq!(at.value().map(|t| t.hour()), Some(1)); // no offset: read as UTC
//! assert_eq!(serde_json::to_string(&at).unwrap(), r#""2026-12-06T01:02:03.000000""#);
//! let odd: DateTime = serde_json::from_str(r#""yesterday""#).unwrap();
//! assert!(odd.value().is_none() && odd.as_str() == "yesterday");
//! ```

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value of an OpenAPI string format: how its text is read and written.
pub trait Format: Sized {
    /// The format's name in a spec (`date-time`).
    const NAME: &'static str;
    /// The value the text stands for, if it is one this reader understands.
    fn parse(text: &str) -> Option<Self>;
    /// The text a value built in Rust is sent as.
    fn write(&self) -> String;
}

/// A string of format `T`: the text as given (what it encodes to) and its value where the
/// text parses. Equality and hashing are the text's.
#[derive(Clone)]
pub struct Formatted<T> {
    text: String,
    value: Option<T>,
}

/// `format: date-time`. A text without an offset is read as UTC.
pub type DateTime = Formatted<time::OffsetDateTime>;
/// `format: date`.
pub type Date = Formatted<time::Date>;
/// `format: uuid`.
#[cfg(feature = "uuid")]
pub type Uuid = Formatted<uuid::Uuid>;
/// `format: byte`: base64 text and the bytes it encodes.
pub type Base64 = Formatted<bytes::Bytes>;

/// A value whose text is not of its format, from [`Formatted::get`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a {format}")]
pub struct FormatError {
    pub text: String,
    pub format: &'static str,
}

impl<T: Format> Formatted<T> {
    /// The value, written as its format writes it.
    pub fn new(value: T) -> Self {
        Formatted {
            text: value.write(),
            value: Some(value),
        }
    }

    /// Any text: its value is read where it parses; the text is kept either way.
    pub fn parse(text: impl Into<String>) -> Self {
        let text = text.into();
        let value = T::parse(&text);
        Formatted { text, value }
    }

    /// The value, or an error naming the text and the format.
    pub fn get(&self) -> Result<&T, FormatError> {
        self.value.as_ref().ok_or_else(|| FormatError {
            text: self.text.clone(),
            format: T::NAME,
        })
    }
}

impl<T> Formatted<T> {
    /// The text as received or as written: what is sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value, where the text is one of the format.
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

impl<T: Format> From<T> for Formatted<T> {
    fn from(value: T) -> Self {
        Formatted::new(value)
    }
}

impl<T: Format> From<&str> for Formatted<T> {
    fn from(text: &str) -> Self {
        Formatted::parse(text)
    }
}

impl<T: Format> From<String> for Formatted<T> {
    fn from(text: String) -> Self {
        Formatted::parse(text)
    }
}

impl<T: Format> std::str::FromStr for Formatted<T> {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Formatted::parse(text))
    }
}

impl<T> fmt::Display for Formatted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<T: fmt::Debug> fmt::Debug for Formatted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(value) => write!(f, "{:?} ({value:?})", self.text),
            None => write!(f, "{:?} (unparsed)", self.text),
        }
    }
}

impl<T> PartialEq for Formatted<T> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<T> Eq for Formatted<T> {}

impl<T> Hash for Formatted<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl<T> Serialize for Formatted<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// Any string decodes; anything else is refused as a plain `String` field would refuse it.
impl<'de, T: Format> Deserialize<'de> for Formatted<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Formatted::parse)
    }
}

mod date_time {
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    use time::{OffsetDateTime, PrimitiveDateTime};

    /// RFC 3339; without an offset (Cinder), read as UTC; with a space for the `T`, or an
    /// offset without its colon (`+0800`).
    pub(super) fn parse(text: &str) -> Option<OffsetDateTime> {
        let text = text.trim();
        if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
            return Some(t);
        }
        let normal: String = text
            .char_indices()
            .map(|(i, c)| if i == 10 && (c == ' ' || c == 't') { 'T' } else { c })
            .collect();
        let offset = format_description!(
            version = 2,
            "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]][first [Z][z][[offset_hour sign:mandatory][optional [:]][offset_minute]]]"
        );
        if let Ok(t) = OffsetDateTime::parse(&normal, offset) {
            return Some(t);
        }
        let bare = format_description!(
            version = 2,
            "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        PrimitiveDateTime::parse(&normal, bare)
            .ok()
            .map(PrimitiveDateTime::assume_utc)
    }

    pub(super) fn write(value: &OffsetDateTime) -> String {
        // Every OffsetDateTime of years 0–9999 formats; outside them, a debug text stands.
        value.format(&Rfc3339).unwrap_or_else(|_| value.to_string())
    }
}

impl Format for time::OffsetDateTime {
    const NAME: &'static str = "date-time";
    fn parse(text: &str) -> Option<Self> {
        date_time::parse(text)
    }
    fn write(&self) -> String {
        date_time::write(self)
    }
}

impl Format for time::Date {
    const NAME: &'static str = "date";
    fn parse(text: &str) -> Option<Self> {
        let date = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(text.trim(), date).ok()
    }
    fn write(&self) -> String {
        let date = time::macros::format_description!("[year]-[month]-[day]");
        self.format(date).unwrap_or_else(|_| self.to_string())
    }
}

#[cfg(feature = "uuid")]
impl Format for uuid::Uuid {
    const NAME: &'static str = "uuid";
    /// Hyphenated, simple, braced or `urn:uuid:`, in either case.
    fn parse(text: &str) -> Option<Self> {
        uuid::Uuid::try_parse(text.trim()).ok()
    }
    fn write(&self) -> String {
        self.hyphenated().to_string()
    }
}

impl Format for bytes::Bytes {
    const NAME: &'static str = "byte";
    /// Standard or URL-safe alphabet, padded or not, and MIME's line breaks.
    fn parse(text: &str) -> Option<Self> {
        use base64::Engine;
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let unpadded = compact.trim_end_matches('=');
        STANDARD_NO_PAD
            .decode(unpadded)
            .or_else(|_| URL_SAFE_NO_PAD.decode(unpadded))
            .ok()
            .map(bytes::Bytes::from)
    }
    fn write(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Format>(json: &str) -> Formatted<T> {
        let value: Formatted<T> = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        let again = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, json, "re-encoded differently");
        value
    }

    #[test]
    fn date_times_of_every_shape_servers_send_parse_and_encode_unchanged() {
        let utc = |t: &DateTime| t.value().map(|v| v.unix_timestamp());
        let expected = Some(1_796_518_923); // 2026-12-06T01:02:03Z
        for json in [
            r#""2026-12-06T01:02:03Z""#,
            r#""2026-12-06T01:02:03.000Z""#,
            r#""2026-12-06T01:02:03.000000""#, // Cinder: no offset, read as UTC
            r#""2026-12-06T01:02:03""#,
            r#""2026-12-06 01:02:03""#,
            r#""2026-12-06T09:02:03+08:00""#, // Huawei
            r#""2026-12-06T09:02:03+0800""#,
            r#""2026-12-06t01:02:03z""#,
        ] {
            let t = round_trip::<time::OffsetDateTime>(json);
            assert_eq!(utc(&t), expected, "{json}");
        }
    }

    #[test]
    fn a_text_of_no_known_shape_decodes_and_keeps_its_text() {
        for json in [r#""""#, r#""yesterday""#, r#""2026-13-45T99:99:99""#, r#""0""#] {
            let t = round_trip::<time::OffsetDateTime>(json);
            assert!(t.value().is_none(), "{json}");
            assert!(t.get().is_err());
        }
        assert!(
            serde_json::from_str::<DateTime>("17").is_err(),
            "a number is no string"
        );
    }

    #[test]
    fn a_value_built_in_rust_is_written_in_its_format() {
        let at = time::macros::datetime!(2026-12-06 01:02:03 UTC);
        assert_eq!(DateTime::new(at).as_str(), "2026-12-06T01:02:03Z");
        assert_eq!(
            Date::new(time::macros::date!(2026 - 12 - 06)).as_str(),
            "2026-12-06"
        );
        let d = round_trip::<time::Date>(r#""2026-12-06""#);
        assert!(d.value().is_some());
        assert!(round_trip::<time::Date>(r#""06.12.2026""#).value().is_none());
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn uuids_in_any_spelling_parse_and_invalid_ones_decode() {
        let id = "95D9EF50-507D-11E5-B970-0800200C9A66";
        let upper = round_trip::<uuid::Uuid>(&format!("\"{id}\""));
        let lower = round_trip::<uuid::Uuid>(&format!("\"{}\"", id.to_lowercase()));
        assert_eq!(upper.value(), lower.value());
        assert_ne!(upper, lower, "equality is the text's: what is sent differs");
        assert!(round_trip::<uuid::Uuid>(r#""not-a-uuid""#).value().is_none());
        let new = Uuid::new(uuid::Uuid::nil());
        assert_eq!(new.as_str(), "00000000-0000-0000-0000-000000000000");
    }

    #[test]
    fn base64_in_either_alphabet_decodes_and_encodes_unchanged() {
        for (json, bytes) in [
            (r#""aGk/Pz4+""#, &b"hi??>>"[..]),
            (r#""aGk_Pz4-""#, b"hi??>>"),
            (r#""aGk""#, b"hi"),
            (r#""aGk=""#, b"hi"),
            (r#""""#, b""),
        ] {
            let b = round_trip::<bytes::Bytes>(json);
            assert_eq!(b.value().map(|b| &b[..]), Some(bytes), "{json}");
        }
        assert!(round_trip::<bytes::Bytes>(r#""*not base64*""#).value().is_none());
        assert_eq!(Base64::new(bytes::Bytes::from_static(b"hi")).as_str(), "aGk=");
    }
}
