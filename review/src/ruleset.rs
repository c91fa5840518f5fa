//! Rules a project adds without forking: a YAML or JSON file shaped like a Spectral
//! ruleset's `rules`, the part of it that needs no JavaScript.
//!
//! ```yaml
//! rules:
//!   operation-summary-capitalised:
//!     description: Summaries start with a capital letter
//!     message: "{{property}} should start with a capital letter: {{value}}"
//!     severity: warn                      # error, warn, info, hint, off (or 0-3)
//!     given: "$.paths[*]['get','put','post']"   # RFC 9535 JSONPath (or a list)
//!     then:                               # or a list
//!       field: summary                    # a member, `@key`, or a JSONPath from the node
//!       function: pattern
//!       functionOptions: {match: "^[A-Z]"}
//! ```
//!
//! Functions: `truthy`, `falsy`, `defined`, `undefined`, `pattern` (`match`, `notMatch`),
//! `enumeration` (`values`), `length` (`min`, `max`), `casing` (`type`: flat, camel,
//! pascal, kebab, cobol, snake, macro; `disallowDigits`), `schema` (`schema`: a JSON
//! Schema). Rules read the document as written, `$ref`s not followed (Spectral's
//! `resolved: false`), in its OpenAPI 3.0 form (a 3.1 or 2.0 document converted).
//! `extends` is not followed: the built-in rules stand for `spectral:oas`.

use std::borrow::Cow;

use regex::Regex;
use serde_json::Value;
use serde_json_path::JsonPath;
use specwright_codegen::{Diagnostic, Error};
use specwright_oas::pointer;

use crate::{Finding, Severity};

/// The rules of one or more ruleset files.
#[derive(Debug, Default)]
pub struct Ruleset {
    rules: Vec<CustomRule>,
}

/// A rule from a ruleset file.
#[derive(Debug)]
pub struct CustomRule {
    pub name: String,
    pub description: String,
    pub severity: Severity,
    message: Option<String>,
    given: Vec<JsonPath>,
    then: Vec<Then>,
}

#[derive(Debug)]
struct Then {
    field: Field,
    function: Function,
}

#[derive(Debug)]
enum Field {
    /// The given node itself.
    Node,
    /// The node's own key (its last pointer segment).
    Key,
    /// A member of the node.
    Member(String),
    /// A JSONPath evaluated from the node.
    Path(JsonPath),
}

#[derive(Debug)]
enum Function {
    Truthy,
    Falsy,
    Defined,
    Undefined,
    Pattern {
        matches: Option<Regex>,
        not_matches: Option<Regex>,
    },
    Enumeration(Vec<Value>),
    Length {
        min: Option<f64>,
        max: Option<f64>,
    },
    Casing {
        case: Casing,
        digits: bool,
    },
    Schema(Box<jsonschema::Validator>),
}

#[derive(Debug, Clone, Copy)]
enum Casing {
    Flat,
    Camel,
    Pascal,
    Kebab,
    Cobol,
    Snake,
    Macro,
}

/// What a check looks at: the value (absent where the field is not there), where it is,
/// and its name for the message.
struct Target<'a> {
    value: Option<Cow<'a, Value>>,
    pointer: String,
    property: String,
}

impl Ruleset {
    /// Reads a ruleset from YAML or JSON text; `origin` names it in errors, each of which
    /// carries the JSON pointer of the place in the ruleset.
    pub fn from_str(text: &str, origin: &str) -> Result<Ruleset, Error> {
        let fail = |pointer: &str, message: String| Error::Spec {
            origin: origin.to_string(),
            diagnostics: vec![Diagnostic::new(pointer, message)],
        };
        let doc: Value =
            serde_yaml::from_str(text).map_err(|e| fail("", format!("not YAML or JSON: {e}")))?;
        let Some(rules) = doc.get("rules").and_then(Value::as_object) else {
            return Err(fail(
                "/rules",
                "a ruleset holds a `rules` mapping of rule name to rule".into(),
            ));
        };
        let mut problems = Vec::new();
        let mut out = Vec::new();
        for (name, rule) in rules {
            let at = pointer::join("/rules", name);
            match CustomRule::read(name, rule, &at) {
                Ok(Some(rule)) => out.push(rule),
                Ok(None) => {}
                Err(mut d) => problems.append(&mut d),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Spec {
                origin: origin.to_string(),
                diagnostics: problems,
            });
        }
        Ok(Ruleset { rules: out })
    }

    /// Reads a ruleset file.
    pub fn from_file(path: &std::path::Path) -> Result<Ruleset, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Ruleset::from_str(&text, &path.display().to_string())
    }

    /// Adds the rules of `other`.
    pub fn extend(&mut self, other: Ruleset) {
        self.rules.extend(other.rules);
    }

    pub fn rules(&self) -> &[CustomRule] {
        &self.rules
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The findings of every rule on a document (its OpenAPI 3.0 form, as JSON).
    pub fn run(&self, doc: &Value) -> Vec<Finding> {
        let mut out = Vec::new();
        for rule in &self.rules {
            rule.run(doc, &mut out);
        }
        out
    }
}

impl CustomRule {
    /// The rule at `at` in a ruleset; `None` when its severity is `off`.
    fn read(name: &str, rule: &Value, at: &str) -> Result<Option<CustomRule>, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut problem = |pointer: String, message: String| problems.push(Diagnostic::new(pointer, message));
        if crate::rule(name).is_some() {
            problem(
                at.to_string(),
                format!("`{name}` is a built-in rule's name; give this one another"),
            );
        }
        let severity = match rule.get("severity") {
            None => Some(Severity::Warning),
            Some(v) => match severity(v) {
                Ok(s) => s,
                Err(m) => {
                    problem(format!("{at}/severity"), m);
                    None
                }
            },
        };
        let given: Vec<JsonPath> = strings(rule.get("given"))
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                JsonPath::parse(g)
                    .map_err(|e| {
                        problem(
                            format!("{at}/given/{i}"),
                            format!("`{g}` is not a JSONPath (RFC 9535): {e}"),
                        )
                    })
                    .ok()
            })
            .collect();
        if rule.get("given").is_none() {
            problem(
                format!("{at}/given"),
                "a rule needs `given`: the JSONPath of what it checks".into(),
            );
        }
        let thens: Vec<&Value> = match rule.get("then") {
            Some(Value::Array(list)) => list.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => {
                problem(
                    format!("{at}/then"),
                    "a rule needs `then`: a field and a function (or a list of them)".into(),
                );
                Vec::new()
            }
        };
        let mut then = Vec::new();
        for (i, t) in thens.iter().enumerate() {
            let here = if matches!(rule.get("then"), Some(Value::Array(_))) {
                format!("{at}/then/{i}")
            } else {
                format!("{at}/then")
            };
            match Then::read(t, &here) {
                Ok(t) => then.push(t),
                Err(d) => problem(d.pointer, d.message),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(severity.map(|severity| CustomRule {
            name: name.to_string(),
            description: rule
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or(name)
                .to_string(),
            severity,
            message: rule.get("message").and_then(Value::as_str).map(str::to_string),
            given,
            then,
        }))
    }

    fn run(&self, doc: &Value, out: &mut Vec<Finding>) {
        for given in &self.given {
            for node in given.query_located(doc).iter() {
                let at = node.location().to_json_pointer();
                for then in &self.then {
                    for target in then.field.targets(node.node(), &at) {
                        if let Some(error) = then.function.check(target.value.as_deref()) {
                            out.push(self.finding(&target, &error));
                        }
                    }
                }
            }
        }
    }

    fn finding(&self, target: &Target<'_>, error: &str) -> Finding {
        let value = target.value.as_deref().map(short).unwrap_or_default();
        let message = match &self.message {
            Some(template) => template
                .replace("{{error}}", error)
                .replace("{{description}}", &self.description)
                .replace("{{path}}", &target.pointer)
                .replace("{{property}}", &target.property)
                .replace("{{value}}", &value),
            None => format!("{}: {error}", self.description),
        };
        Finding {
            severity: self.severity,
            rule: Cow::Owned(self.name.clone()),
            pointer: target.pointer.clone(),
            source: None,
            message,
        }
    }
}

/// A severity as Spectral spells it; `None` for `off`.
fn severity(v: &Value) -> Result<Option<Severity>, String> {
    match v {
        Value::String(s) => match s.as_str() {
            "error" => Ok(Some(Severity::Error)),
            "warn" | "warning" => Ok(Some(Severity::Warning)),
            "info" | "hint" | "note" => Ok(Some(Severity::Note)),
            "off" => Ok(None),
            other => Err(format!("severity `{other}`: use error, warn, info, hint or off")),
        },
        Value::Number(n) => match n.as_u64() {
            Some(0) => Ok(Some(Severity::Error)),
            Some(1) => Ok(Some(Severity::Warning)),
            Some(2 | 3) => Ok(Some(Severity::Note)),
            _ => Err(format!("severity {n}: use 0 (error) to 3 (hint)")),
        },
        Value::Bool(false) => Ok(None),
        other => Err(format!("severity {other}: use error, warn, info, hint or off")),
    }
}

/// One string or a list of them.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// A value as a message shows it: JSON, cut at 80 characters.
fn short(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

impl Then {
    fn read(t: &Value, at: &str) -> Result<Then, Diagnostic> {
        let field = match t.get("field") {
            None => Field::Node,
            Some(Value::String(f)) if f == "@key" => Field::Key,
            Some(Value::String(f)) if f.starts_with('$') => Field::Path(JsonPath::parse(f).map_err(|e| {
                Diagnostic::new(
                    format!("{at}/field"),
                    format!("`{f}` is not a JSONPath (RFC 9535): {e}"),
                )
            })?),
            Some(Value::String(f)) => Field::Member(f.clone()),
            Some(other) => {
                return Err(Diagnostic::new(
                    format!("{at}/field"),
                    format!("field {other}: a member name, `@key` or a JSONPath"),
                ));
            }
        };
        let options = t.get("functionOptions").cloned().unwrap_or(Value::Null);
        let function = Function::read(t.get("function"), &options, at)?;
        Ok(Then { field, function })
    }
}

impl Field {
    fn targets<'a>(&self, node: &'a Value, at: &str) -> Vec<Target<'a>> {
        let key = at.rsplit('/').next().map(pointer::unescape).unwrap_or_default();
        match self {
            Field::Node => vec![Target {
                value: Some(Cow::Borrowed(node)),
                pointer: at.to_string(),
                property: key,
            }],
            Field::Key => vec![Target {
                value: Some(Cow::Owned(Value::String(key.clone()))),
                pointer: at.to_string(),
                property: key,
            }],
            Field::Member(name) => vec![Target {
                value: node.get(name).map(Cow::Borrowed),
                pointer: pointer::join(at, name),
                property: name.clone(),
            }],
            Field::Path(path) => path
                .query_located(node)
                .iter()
                .map(|n| {
                    let inner = n.location().to_json_pointer();
                    Target {
                        value: Some(Cow::Borrowed(n.node())),
                        property: inner
                            .rsplit('/')
                            .next()
                            .map(pointer::unescape)
                            .unwrap_or_default(),
                        pointer: format!("{at}{inner}"),
                    }
                })
                .collect(),
        }
    }
}

impl Function {
    fn read(name: Option<&Value>, options: &Value, at: &str) -> Result<Function, Diagnostic> {
        let problem = |m: String| Diagnostic::new(format!("{at}/functionOptions"), m);
        let regex = |key: &str| -> Result<Option<Regex>, Diagnostic> {
            options
                .get(key)
                .and_then(Value::as_str)
                .map(|p| regex_of(p).map_err(|e| problem(format!("{key} `{p}`: {e}"))))
                .transpose()
        };
        let number = |key: &str| options.get(key).and_then(Value::as_f64);
        let function = match name.and_then(Value::as_str) {
            Some("truthy") => Function::Truthy,
            Some("falsy") => Function::Falsy,
            Some("defined") => Function::Defined,
            Some("undefined") => Function::Undefined,
            Some("pattern") => {
                let (matches, not_matches) = (regex("match")?, regex("notMatch")?);
                if matches.is_none() && not_matches.is_none() {
                    return Err(problem("pattern needs `match` or `notMatch`".into()));
                }
                Function::Pattern { matches, not_matches }
            }
            Some("enumeration") => match options.get("values") {
                Some(Value::Array(values)) => Function::Enumeration(values.clone()),
                _ => return Err(problem("enumeration needs `values`, a list".into())),
            },
            Some("length") => {
                let (min, max) = (number("min"), number("max"));
                if min.is_none() && max.is_none() {
                    return Err(problem("length needs `min` or `max`".into()));
                }
                Function::Length { min, max }
            }
            Some("casing") => {
                let case = match options.get("type").and_then(Value::as_str) {
                    Some("flat") => Casing::Flat,
                    Some("camel") => Casing::Camel,
                    Some("pascal") => Casing::Pascal,
                    Some("kebab") => Casing::Kebab,
                    Some("cobol") => Casing::Cobol,
                    Some("snake") => Casing::Snake,
                    Some("macro") => Casing::Macro,
                    other => {
                        return Err(problem(format!(
                            "casing `type` {other:?}: one of flat, camel, pascal, kebab, cobol, snake, macro"
                        )));
                    }
                };
                let digits = !options
                    .get("disallowDigits")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                Function::Casing { case, digits }
            }
            Some("schema") => {
                let Some(schema) = options.get("schema") else {
                    return Err(problem("schema needs `schema`, a JSON Schema".into()));
                };
                let validator =
                    jsonschema::validator_for(schema).map_err(|e| problem(format!("schema: {e}")))?;
                Function::Schema(Box::new(validator))
            }
            Some(other) => {
                return Err(Diagnostic::new(
                    format!("{at}/function"),
                    format!(
                        "function `{other}` is not one this reads: truthy, falsy, defined, undefined, pattern, enumeration, length, casing, schema"
                    ),
                ));
            }
            None => {
                return Err(Diagnostic::new(
                    format!("{at}/function"),
                    "`then` needs a `function`",
                ));
            }
        };
        Ok(function)
    }

    /// What is wrong with the value (`None`: absent), or nothing.
    fn check(&self, value: Option<&Value>) -> Option<String> {
        match self {
            Function::Truthy => (!truthy(value)).then(|| "is missing or empty".to_string()),
            Function::Falsy => truthy(value).then(|| "should be missing or empty".to_string()),
            Function::Defined => value.is_none().then(|| "is missing".to_string()),
            Function::Undefined => value.is_some().then(|| "should not be there".to_string()),
            Function::Pattern { matches, not_matches } => {
                let text = value?.as_str()?;
                if let Some(re) = matches.as_ref().filter(|re| !re.is_match(text)) {
                    return Some(format!("must match the pattern `{re}`"));
                }
                not_matches
                    .as_ref()
                    .filter(|re| re.is_match(text))
                    .map(|re| format!("must not match the pattern `{re}`"))
            }
            Function::Enumeration(values) => {
                let v = value?;
                (!v.is_object() && !v.is_array() && !values.contains(v)).then(|| {
                    let listed: Vec<String> = values.iter().map(short).collect();
                    format!("must be one of {}", listed.join(", "))
                })
            }
            Function::Length { min, max } => {
                let n = match value? {
                    Value::String(s) => s.chars().count() as f64,
                    Value::Array(a) => a.len() as f64,
                    Value::Object(o) => o.len() as f64,
                    Value::Number(n) => n.as_f64()?,
                    _ => return None,
                };
                if min.is_some_and(|m| n < m) {
                    Some(format!("is shorter than {}", min.unwrap_or_default()))
                } else if max.is_some_and(|m| n > m) {
                    Some(format!("is longer than {}", max.unwrap_or_default()))
                } else {
                    None
                }
            }
            Function::Casing { case, digits } => {
                let text = value?.as_str()?;
                (!case.holds(text, *digits)).then(|| format!("must be {} case", case.name()))
            }
            Function::Schema(validator) => {
                let v = value?;
                validator.iter_errors(v).next().map(|e| e.to_string())
            }
        }
    }
}

/// JavaScript's truthiness, which Spectral's `truthy` is.
fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(_) => true,
    }
}

/// A pattern as Spectral takes it: a regular expression, or `/expression/flags`.
fn regex_of(pattern: &str) -> Result<Regex, regex::Error> {
    if let Some(body) = pattern.strip_prefix('/')
        && let Some(end) = body.rfind('/')
    {
        let (expression, flags) = (&body[..end], &body[end + 1..]);
        if flags.chars().all(|c| "gimsuy".contains(c)) {
            let inline: String = flags.chars().filter(|c| "ims".contains(*c)).collect();
            let prefix = if inline.is_empty() {
                String::new()
            } else {
                format!("(?{inline})")
            };
            return Regex::new(&format!("{prefix}{expression}"));
        }
    }
    Regex::new(pattern)
}

impl Casing {
    fn name(self) -> &'static str {
        match self {
            Casing::Flat => "flat",
            Casing::Camel => "camel",
            Casing::Pascal => "pascal",
            Casing::Kebab => "kebab",
            Casing::Cobol => "cobol",
            Casing::Snake => "snake",
            Casing::Macro => "macro",
        }
    }

    fn holds(self, text: &str, digits: bool) -> bool {
        let word_char = |c: char, upper: bool| {
            (if upper {
                c.is_ascii_uppercase()
            } else {
                c.is_ascii_lowercase()
            }) || (digits && c.is_ascii_digit())
        };
        let words = |sep: char, upper: bool| {
            !text.is_empty()
                && text
                    .split(sep)
                    .all(|w| !w.is_empty() && w.chars().all(|c| word_char(c, upper)))
        };
        let first_lower = text.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let first_upper = text.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        let alnum = text
            .chars()
            .all(|c| c.is_ascii_alphabetic() || (digits && c.is_ascii_digit()));
        match self {
            Casing::Flat => words('\u{0}', false),
            Casing::Camel => first_lower && alnum,
            Casing::Pascal => first_upper && alnum,
            Casing::Kebab => words('-', false),
            Casing::Cobol => words('-', true),
            Casing::Snake => words('_', false),
            Casing::Macro => words('_', true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(ruleset: &str, doc: Value) -> Vec<Finding> {
        Ruleset::from_str(ruleset, "rules.yaml")
            .unwrap_or_else(|e| panic!("{e}"))
            .run(&doc)
    }

    #[test]
    fn a_pattern_on_a_member_of_each_given_node() {
        let rules = r#"
rules:
  summary-capital:
    description: Summaries start with a capital letter
    message: "{{property}} at {{path}}: {{error}} ({{value}})"
    severity: error
    given: "$.paths[*][*]"
    then: {field: summary, function: pattern, functionOptions: {match: "^[A-Z]"}}
"#;
        let doc = json!({"paths": {"/a": {"get": {"summary": "list a"}, "post": {"summary": "Make an a"}}}});
        let found = run(rules, doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pointer, "/paths/~1a/get/summary");
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[0].rule, "summary-capital");
        assert_eq!(
            found[0].message,
            "summary at /paths/~1a/get/summary: must match the pattern `^[A-Z]` (list a)"
        );
    }

    #[test]
    fn truthy_defined_and_their_opposites() {
        let rules = r#"
rules:
  has-description: {given: "$.info", then: {field: description, function: truthy}}
  no-x-internal: {given: "$.paths[*][*]", then: {field: x-internal, function: undefined}}
"#;
        let found = run(
            rules,
            json!({"info": {"description": ""}, "paths": {"/a": {"get": {"x-internal": true}}}}),
        );
        let rules: Vec<&str> = found.iter().map(|f| f.rule.as_ref()).collect();
        assert_eq!(rules, ["has-description", "no-x-internal"]);
        assert!(run(rules_ok(), json!({"info": {"description": "d"}})).is_empty());
    }

    fn rules_ok() -> &'static str {
        "rules:\n  has-description: {given: \"$.info\", then: {field: description, function: truthy}}\n"
    }

    #[test]
    fn keys_casing_enumeration_length_and_schema() {
        let rules = r#"
rules:
  schema-names-pascal:
    given: "$.components.schemas[*]"
    then: {field: "@key", function: casing, functionOptions: {type: pascal}}
  known-tags:
    given: "$.paths[*][*].tags[*]"
    then: {function: enumeration, functionOptions: {values: [Books]}}
  short-summary:
    given: "$.paths[*][*]"
    then: {field: summary, function: length, functionOptions: {max: 10}}
  ids-are-strings:
    given: "$.components.schemas[*].properties.id"
    then: {function: schema, functionOptions: {schema: {properties: {type: {const: string}}}}}
"#;
        let doc = json!({
            "paths": {"/a": {"get": {"tags": ["Books", "Pens"], "summary": "a long summary"}}},
            "components": {"schemas": {"book_item": {"properties": {"id": {"type": "integer"}}}, "Pen": {}}}
        });
        let found = run(rules, doc);
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (f.rule.as_ref(), f.pointer.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("schema-names-pascal", "/components/schemas/book_item"),
                ("known-tags", "/paths/~1a/get/tags/1"),
                ("short-summary", "/paths/~1a/get/summary"),
                ("ids-are-strings", "/components/schemas/book_item/properties/id"),
            ]
        );
    }

    #[test]
    fn a_field_may_be_a_jsonpath_from_the_node() {
        let rules = r#"
rules:
  param-descriptions:
    given: "$.paths[*][*]"
    then: {field: "$.parameters[*].description", function: pattern, functionOptions: {match: "/^[a-z]/i"}}
"#;
        let doc = json!({"paths": {"/a": {"get": {"parameters": [{"description": "Fine"}, {"description": "- no"}]}}}});
        let found = run(rules, doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/paths/~1a/get/parameters/1/description");
    }

    #[test]
    fn a_bad_ruleset_is_refused_with_every_problem_and_its_pointer() {
        let rules = r#"
rules:
  one: {given: "$.[", then: {function: nope}}
  oas-schema: {given: "$", then: {function: truthy}}
  two: {given: "$", severity: loud, then: {function: pattern, functionOptions: {match: "("}}}
"#;
        let e = Ruleset::from_str(rules, "r.yaml").expect_err("refused");
        let pointers: Vec<String> = e.diagnostics().iter().map(|d| d.pointer.clone()).collect();
        assert_eq!(
            pointers,
            [
                "/rules/one/given/0",
                "/rules/one/then/function",
                "/rules/oas-schema",
                "/rules/two/severity",
                "/rules/two/then/functionOptions",
            ],
            "{e}"
        );
        assert!(Ruleset::from_str("rules: 3", "r.yaml").is_err());
        assert!(Ruleset::from_str("[", "r.yaml").is_err());
    }

    #[test]
    fn off_rules_are_left_out() {
        let rules = "rules:\n  quiet: {given: \"$\", severity: off, then: {function: falsy}}\n";
        assert!(
            Ruleset::from_str(rules, "r")
                .map(|r| r.is_empty())
                .unwrap_or(false)
        );
    }

    #[test]
    fn casings() {
        let cases = [
            (Casing::Camel, "getBooks", true),
            (Casing::Camel, "GetBooks", false),
            (Casing::Pascal, "Book2", true),
            (Casing::Kebab, "book-items", true),
            (Casing::Kebab, "book--items", false),
            (Casing::Snake, "book_items", true),
            (Casing::Macro, "BOOK_ITEMS", true),
            (Casing::Cobol, "BOOK-ITEMS", true),
            (Casing::Flat, "bookitems", true),
            (Casing::Flat, "", false),
        ];
        for (case, text, holds) in cases {
            assert_eq!(case.holds(text, true), holds, "{} {text}", case.name());
        }
        assert!(!Casing::Pascal.holds("Book2", false));
    }
}
