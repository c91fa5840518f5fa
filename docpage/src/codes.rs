//! Error codes a spec documents in an `x-error-codes` extension, placed beside the
//! operations that answer them, so a reader finds an operation by its code.
//!
//! Two places are read. An operation's own `x-error-codes` is its. The document's
//! `components.x-error-codes` (EVS's shape: `codes: {group: {code: meaning}}`, or the groups
//! directly) names its groups: a group is an operation's when it is its operationId, when
//! the operation's description names it (`components.x-error-codes.listVolumes`), or when
//! it is a field of the operation's request body (`os-extend`, one action of a body that
//! holds several); a group no operation claims (`common`) concerns every operation.

use serde_json::Value;

/// How many codes are read from one place, so an odd extension stays small.
const MAX_CODES: usize = 2000;

/// A code and what it means.
pub(crate) type Code<'a> = (&'a str, &'a str);

/// The codes of `value`, in any of the shapes an extension writes them: `{code: meaning}`,
/// `[code, ...]`, or `[{code, message | description}, ...]`.
pub(crate) fn codes_in(value: &Value) -> Vec<Code<'_>> {
    let mut out = Vec::new();
    match value {
        Value::Object(map) => {
            for (code, meaning) in map {
                if let Some(m) = meaning.as_str() {
                    out.push((code.as_str(), m));
                }
            }
        }
        Value::Array(list) => {
            for item in list {
                match item {
                    Value::String(code) => out.push((code.as_str(), "")),
                    Value::Object(o) => {
                        if let Some(code) = o.get("code").and_then(Value::as_str) {
                            let meaning = ["message", "description", "meaning"]
                                .iter()
                                .find_map(|k| o.get(*k).and_then(Value::as_str))
                                .unwrap_or("");
                            out.push((code, meaning));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out.truncate(MAX_CODES);
    out
}

/// The document's groups of codes: `(group, codes)`.
pub(crate) fn groups(root: &Value) -> Vec<(&str, Vec<Code<'_>>)> {
    let Some(ext) = root.pointer("/components/x-error-codes") else {
        return Vec::new();
    };
    let holder = ext.get("codes").unwrap_or(ext);
    holder
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| v.is_object() || v.is_array())
        .map(|(name, v)| (name.as_str(), codes_in(v)))
        .filter(|(_, codes)| !codes.is_empty())
        .collect()
}

/// Whether an operation claims the group `name`: its id, named in its description after
/// `x-error-codes.`, or a field of its request body.
pub(crate) fn claims(name: &str, id: Option<&str>, description: &str, request_fields: &[String]) -> bool {
    if id == Some(name) || request_fields.iter().any(|f| f == name) {
        return true;
    }
    let marker = format!("x-error-codes.{name}");
    description.match_indices(&marker).any(|(at, m)| {
        !description[at + m.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_are_read_in_each_shape() {
        let root = json!({"components": {"x-error-codes": {"description": "d", "codes": {
            "common": {"E.1": "one"}, "listThings": {"E.2": "two"}}}}});
        let groups = groups(&root);
        assert_eq!(
            groups,
            vec![
                ("common", vec![("E.1", "one")]),
                ("listThings", vec![("E.2", "two")])
            ]
        );
        assert_eq!(codes_in(&json!(["A.1"])), vec![("A.1", "")]);
        assert_eq!(
            codes_in(&json!([{"code": "A.2", "message": "m"}])),
            vec![("A.2", "m")]
        );
    }

    #[test]
    fn a_group_is_claimed_by_id_description_or_request_field() {
        assert!(claims("listVolumes", Some("listVolumes"), "", &[]));
        let d = "codes in `components.x-error-codes.listVolumes` apply";
        assert!(claims("listVolumes", Some("listVolumesDetail"), d, &[]));
        assert!(!claims("list", Some("other"), d, &[]));
        assert!(claims(
            "os-extend",
            Some("volumeAction"),
            "",
            &["os-extend".to_string()]
        ));
        assert!(!claims("common", Some("x"), "", &[]));
    }
}
