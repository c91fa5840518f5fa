//! JSON pointers (RFC 6901), the way every message of this crate says *where*.

use serde_json::Value;

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins a parent pointer and one unescaped token.
pub fn join(parent: &str, token: &str) -> String {
    format!("{parent}/{}", escape(token))
}

/// Resolves a local `$ref` such as `#/components/schemas/Volume` in `root`.
pub fn resolve_ref<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

/// Follows local `$ref`s from `value` to the object they end at (at most 32 links; a
/// reference that resolves to nothing is returned as it is).
pub fn follow_refs<'a>(root: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| resolve_ref(root, r))
        {
            Some(next) => value = next,
            None => break,
        }
    }
    value
}

/// A JSON pointer as a URI fragment (RFC 6901 §6): characters a fragment may not hold,
/// such as the `{` `}` of path templates, are percent-encoded.
pub fn to_uri_fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=:@".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
