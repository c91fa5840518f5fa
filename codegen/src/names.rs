//! Wire names → Rust identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// JSON pointer token escaping (RFC 6901).
pub fn pointer_escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The token a JSON pointer segment stands for: the inverse of [`pointer_escape`].
pub fn pointer_unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Splits on anything that is not a letter or digit, so `os-vol-host-attr:host`,
/// `__os_type` and `changes-since` all become clean words.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `os-vol-host-attr:host` → `os_vol_host_attr_host`; `imageRef` → `image_ref`.
pub fn field(raw: &str) -> String {
    let s = words(raw).to_snake_case();
    if s.is_empty() {
        return "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    }
}

/// `volume_type` → `VolumeType`; `in-use` → `InUse`.
pub fn type_name(raw: &str) -> String {
    let s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        return "Value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    }
}

/// A Rust identifier for `name`, raw (`r#type`) for keywords that allow it.
pub fn ident(name: &str) -> proc_macro2::Ident {
    const NOT_RAW: [&str; 5] = ["self", "Self", "super", "crate", "_"];
    if NOT_RAW.contains(&name) {
        return proc_macro2::Ident::new(&format!("{name}_"), proc_macro2::Span::call_site());
    }
    if is_keyword(name) {
        return proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site());
    }
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

fn is_keyword(name: &str) -> bool {
    const KEYWORDS: [&str; 50] = [
        "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if", "impl",
        "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
        "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract",
        "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
        "try", "gen", "union", "static",
    ];
    KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_readable_snake_case() {
        assert_eq!(field("os-vol-host-attr:host"), "os_vol_host_attr_host");
        assert_eq!(field("__os_type"), "os_type");
        assert_eq!(field("changes-since"), "changes_since");
        assert_eq!(field("media-types"), "media_types");
        assert_eq!(field("imageRef"), "image_ref");
        assert_eq!(field("OS-SCH-HNT:scheduler_hints"), "os_sch_hnt_scheduler_hints");
        assert_eq!(field("1st"), "_1st");
        assert_eq!(field("--"), "value");
    }

    #[test]
    fn type_names_are_pascal_case() {
        assert_eq!(type_name("in-use"), "InUse");
        assert_eq!(type_name("error_restoring"), "ErrorRestoring");
        assert_eq!(type_name("2xx"), "V2xx");
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("name").to_string(), "name");
    }
}
