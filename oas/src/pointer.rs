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

/// Resolves a local `$ref` such as `#/components/schemas/Volume` in `root`.
pub fn resolve_ref<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
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
                at = reference.strip_prefix('#').map(str::to_string);
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
