//! Media types.

/// The media type without parameters, lowercased: `Application/JSON; charset=utf-8` →
/// `application/json`.
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// `application/json` or a `+json` type, parameters (`; charset=...`) aside.
pub fn is_json(content_type: &str) -> bool {
    let essence = essence(content_type);
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_is_application_json_or_a_json_suffix() {
        assert!(super::is_json("application/json; charset=utf-8"));
        assert!(super::is_json("Application/Problem+JSON"));
        assert!(!super::is_json("application/xml"));
        assert!(!super::is_json("text/json-ish"));
    }
}
