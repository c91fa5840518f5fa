//! JSON pointers (RFC 6901), the way every message of this crate says *where*.

// Escaping, joining and following `$ref`s are facts the generator reads the same way.
pub use specwright_oas::pointer::{escape, follow_refs, join, resolve_ref, unescape};

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
