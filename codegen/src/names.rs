//! Wire names → Rust identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Splits on anything that is not a letter or digit, so `os-vol-host-attr:host`,
/// `__os_type` and `changes-since` all become clean words.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `os-vol-host-attr:host` → `os_vol_host_attr_host`; `imageRef` → `image_ref`; `type` →
/// `r#type`: a field, argument or method name, settled (see [`ident`]).
pub fn field(raw: &str) -> String {
    let s = words(raw).to_snake_case();
    if s.is_empty() {
        return "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        settle(s)
    }
}

/// `volume_type` → `VolumeType`; `in-use` → `InUse`: a type or variant name, settled.
pub fn type_name(raw: &str) -> String {
    let s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        return "Value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        settle(s)
    }
}

/// A name the spec gives itself (`x-rust-name`, `x-rust-method`), settled; `Err` says why
/// it cannot be a Rust identifier.
pub fn given(value: &str) -> Result<String, String> {
    if !is_identifier(value) {
        return Err(format!(
            "`{value}` is not a Rust identifier (ASCII letters, digits and `_`, not starting with a digit)"
        ));
    }
    Ok(settle(value.to_string()))
}

/// A keyword as a name: raw where Rust allows it (`r#type`), else with a trailing `_`
/// (`self_`). Every name in the IR has been through here, so emission takes it as it is.
/// Keywords Rust does not allow as raw identifiers.
const NOT_RAW: [&str; 5] = ["self", "Self", "super", "crate", "_"];

/// ASCII letters, digits and `_`, not starting with a digit, and not `_` alone.
fn is_identifier(value: &str) -> bool {
    let mut chars = value.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && value != "_"
}

fn settle(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if is_keyword(&name) {
        format!("r#{name}")
    } else {
        name
    }
}

/// `name`, or when `taken` says it is, the first of `name2`, `name3`, … (`name_2`, … for
/// snake_case names) that is not: a stable, readable way to settle a collision.
///
/// For many names in one scope, [`Scope`] gives the same answers in constant time each.
pub fn unique(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    let base = unraw(name);
    let snake = base.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
    (2..)
        .map(|n| {
            if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            }
        })
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_string())
}

/// The names settled in one scope (an enum's variants, a struct's fields), each new one made
/// unique as [`unique`] makes it, in constant time however many there are or collide: an
/// enum of a million values, or of a thousand spellings of one name, is settled in linear
/// time.
#[derive(Debug, Default)]
pub struct Scope {
    taken: std::collections::HashSet<String>,
    /// Per base name, the suffix to try next: every smaller one is taken.
    next: std::collections::HashMap<String, usize>,
}

impl Scope {
    /// A scope in which `reserved` are taken from the start (`Other`, `additional_properties`).
    pub fn reserving(reserved: &[&str]) -> Scope {
        Scope {
            taken: reserved.iter().map(|n| n.to_string()).collect(),
            next: Default::default(),
        }
    }

    /// `name`, or the first of its numbered forms that is not taken; taken from now on.
    pub fn settle(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_string()) {
            return name.to_string();
        }
        let base = unraw(name);
        let snake = base.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let next = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = if snake {
                format!("{base}_{next}")
            } else {
                format!("{base}{next}")
            };
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The name as the wire would spell it, for comparison: `r#type` → `type`.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The identifier for a settled name (`r#type` is raw).
pub fn ident(name: &str) -> proc_macro2::Ident {
    let span = proc_macro2::Span::call_site();
    match name.strip_prefix("r#") {
        Some(raw) if is_keyword(raw) => proc_macro2::Ident::new_raw(raw, span),
        // Settled names are identifiers by construction; anything else is made one.
        _ if is_identifier(name) && !is_keyword(name) && !NOT_RAW.contains(&name) => {
            proc_macro2::Ident::new(name, span)
        }
        _ => ident(&field(name)),
    }
}

fn is_keyword(name: &str) -> bool {
    const KEYWORDS: [&str; 49] = [
        "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if", "impl",
        "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
        "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract",
        "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
        "try", "gen", "union",
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
    fn keywords_are_settled_as_raw_identifiers_or_with_an_underscore() {
        assert_eq!(field("type"), "r#type");
        assert_eq!(ident(&field("type")).to_string(), "r#type");
        assert_eq!(field("self"), "self_");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(ident("name").to_string(), "name");
        assert_eq!(unraw("r#type"), "type");
    }

    #[test]
    fn collisions_take_the_first_free_numbered_suffix() {
        let taken = ["Pet", "Pet2", "id", "r#type"];
        let is_taken = |n: &str| taken.contains(&n);
        assert_eq!(unique("Pet", is_taken), "Pet3");
        assert_eq!(unique("id", is_taken), "id_2");
        assert_eq!(unique("r#type", is_taken), "type_2");
        assert_eq!(unique("Owner", is_taken), "Owner");
    }

    #[test]
    fn given_names_are_checked_not_trusted() {
        assert_eq!(given("VolumeKind").as_deref(), Ok("VolumeKind"));
        assert_eq!(given("match").as_deref(), Ok("r#match"));
        for bad in ["", "1st", "has space", "dash-ed", "_", "ünï"] {
            assert!(given(bad).is_err(), "{bad:?} was accepted");
            // and emission never panics, whatever reaches it
            let _ = ident(bad);
        }
    }
}
