//! Path templates: `/v2/{project_id}/volumes/{volume_id}`.

/// One piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text sent as it is.
    Text(&'a str),
    /// `{name}`: a path parameter's value goes here.
    Param(&'a str),
}

/// A `{` with no `}` after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed {
    /// Byte offset of the `{`.
    pub at: usize,
}

/// The template in pieces, in order; text between parameters is kept whole.
pub fn pieces(path: &str) -> Result<Vec<Piece<'_>>, Unclosed> {
    let mut out = Vec::new();
    let mut rest = path;
    let mut offset = 0;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(Unclosed { at: offset + start });
        };
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(Piece::Param(&rest[start + 1..start + len]));
        offset += start + len + 1;
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// The names of the template's parameters, in order (repeats kept); an unclosed `{` ends
/// the list.
pub fn params(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

/// The path with each `{name}` replaced by `value(name)`; a name it has no value for is
/// left as it is.
pub fn fill(path: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let Ok(pieces) = pieces(path) else {
        return path.to_string();
    };
    let mut out = String::with_capacity(path.len());
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Param(name) => match value(name) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    out
}

/// The template with every parameter's name left out (`/b/{bucket_id}` → `/b/{}`): two
/// templates of one shape are one path, however they name their parameters.
pub fn shape(path: &str) -> String {
    fill(path, |_| Some("{}".to_string()))
}

/// The parameter a whole segment is (`{volume_id}` → `volume_id`), if it is one.
pub fn segment_param(segment: &str) -> Option<&str> {
    segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
}

/// Whether some concrete path matches both templates (a `{param}` segment matches any).
pub fn overlaps(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || segment_param(x).is_some() || segment_param(y).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_text_and_parameters_in_order() {
        assert_eq!(
            pieces("/v2/{project_id}/volumes/{volume_id}.json"),
            Ok(vec![
                Piece::Text("/v2/"),
                Piece::Param("project_id"),
                Piece::Text("/volumes/"),
                Piece::Param("volume_id"),
                Piece::Text(".json"),
            ])
        );
        assert_eq!(pieces("/a/{b"), Err(Unclosed { at: 3 }));
        assert_eq!(params("/{a}/{b}/{a}"), ["a", "b", "a"]);
        assert_eq!(params("/x/{open"), Vec::<&str>::new());
        assert_eq!(shape("/b/{bucket_id}/c/{id}"), shape("/b/{id}/c/{cid}"));
        assert_ne!(shape("/b/{id}"), shape("/b/{id}/c"));
    }

    #[test]
    fn filling_replaces_what_it_knows_and_keeps_the_rest() {
        let filled = fill("/v2/{p}/volumes/{v}", |n| (n == "p").then(|| "P1".to_string()));
        assert_eq!(filled, "/v2/P1/volumes/{v}");
    }

    #[test]
    fn templates_overlap_where_a_parameter_can_be_the_literal() {
        assert!(overlaps("/v2/{p}/volumes/detail", "/v2/{p}/volumes/{id}"));
        assert!(!overlaps("/v2/{p}/volumes", "/v2/{p}/volumes/{id}"));
        assert!(!overlaps("/v2/{p}/snapshots/{id}", "/v2/{p}/volumes/{id}"));
        assert_eq!(segment_param("{id}"), Some("id"));
        assert_eq!(segment_param("id"), None);
    }
}
