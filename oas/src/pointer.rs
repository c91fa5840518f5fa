//! JSON pointers (RFC 6901), the way every message here says *where*, and local `$ref`s.

use serde_json::Value;

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The token an escaped one stands for: the inverse of [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Joins a parent pointer and one unescaped token. Generators join a pointer for nearly
/// everything they read, so the usual token, with nothing to escape, costs one allocation.
pub fn join(parent: &str, token: &str) -> String {
    let mut out = String::with_capacity(parent.len() + 1 + token.len());
    out.push_str(parent);
    out.push('/');
    if token.contains(['~', '/']) {
        out.push_str(&escape(token));
    } else {
        out.push_str(token);
    }
    out
}

/// The JSON pointer a local `$ref` names: its URI fragment, percent-decoded
/// (`#/paths/~1a~1%7Bid%7D` → `/paths/~1a~1{id}`); `None` for a reference to another
/// document. A `%` not followed by two hex digits, or escapes that do not decode to UTF-8,
/// are kept as written.
pub fn fragment(reference: &str) -> Option<std::borrow::Cow<'_, str>> {
    let pointer = reference.strip_prefix('#')?;
    if !pointer.contains('%') {
        return Some(std::borrow::Cow::Borrowed(pointer));
    }
    let bytes = pointer.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(match String::from_utf8(out) {
        Ok(decoded) => std::borrow::Cow::Owned(decoded),
        Err(_) => std::borrow::Cow::Borrowed(pointer),
    })
}

/// Resolves a local `$ref` such as `#/components/schemas/Volume` in `root`.
pub fn resolve_ref<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    root.pointer(&fragment(reference)?)
}

/// Follows local `$ref`s from `value` to the object they end at (at most 32 links; a
/// reference that resolves to nothing is returned as it is), with its pointer when a
/// reference was followed.
pub fn follow<'a>(root: &'a Value, mut value: &'a Value) -> (&'a Value, Option<String>) {
    let mut at = None;
    for _ in 0..32 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match resolve_ref(root, reference) {
            Some(next) => {
                value = next;
                at = fragment(reference).map(|f| f.into_owned());
            }
            None => break,
        }
    }
    (value, at)
}

/// [`follow`], without the pointer.
pub fn follow_refs<'a>(root: &'a Value, value: &'a Value) -> &'a Value {
    follow(root, value).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_escape_and_unescape_both_ways() {
        assert_eq!(escape("/v2/{id}~x"), "~1v2~1{id}~0x");
        assert_eq!(unescape("~1v2~1{id}~0x"), "/v2/{id}~x");
        assert_eq!(unescape("~01"), "~1", "`~0` is unescaped last");
        assert_eq!(join("/paths", "/a"), "/paths/~1a");
    }

    #[test]
    fn a_fragment_is_percent_decoded() {
        assert_eq!(
            fragment("#/paths/~1a~1%7Bid%7D").as_deref(),
            Some("/paths/~1a~1{id}")
        );
        assert_eq!(fragment("#/a%2"), Some("/a%2".into()));
        assert_eq!(fragment("#/%C3%A9"), Some("/é".into()));
        assert_eq!(fragment("#/%FF"), Some("/%FF".into()), "not UTF-8: as written");
        assert_eq!(fragment("other.yaml#/a"), None);
        let doc = json!({"paths": {"/a/{id}": {"x": 1}}});
        assert_eq!(resolve_ref(&doc, "#/paths/~1a~1%7Bid%7D/x"), Some(&json!(1)));
    }

    #[test]
    fn references_are_followed_to_their_end_and_cycles_stop() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"},
                         "loop": {"$ref": "#/loop"}});
        let (end, at) = follow(&doc, &doc["a"]);
        assert_eq!((end, at.as_deref()), (&json!({"type": "string"}), Some("/c")));
        assert_eq!(follow_refs(&doc, &doc["loop"]), &json!({"$ref": "#/loop"}));
        assert_eq!(
            follow_refs(&doc, &json!({"$ref": "#/nowhere"})),
            &json!({"$ref": "#/nowhere"})
        );
    }
}
