//! What an `allOf` means, as the generator types it and the oracle and suite read it.
//!
//! Real specs use `allOf` two ways: to merge objects (`allOf: [$ref: Base, {properties:
//! …}]`), and to annotate one schema (`allOf: [$ref: TagKey], description: …`, or
//! `allOf: [$ref: TagKey, {description: …}]`, as in every AWS spec). The second is that
//! schema, not an object.

use serde_json::Value;

use crate::pointer;

/// Keywords that only annotate a schema: a member holding only these adds no constraint
/// of its own.
const ANNOTATIONS: [&str; 9] = [
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "nullable",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

/// How an `allOf` is read.
#[derive(Debug, Clone, PartialEq)]
pub enum AllOf<'a> {
    /// One member says what the value is; any others only annotate it. Its index, and the
    /// schema it is (references followed).
    One(usize, &'a Value),
    /// Its object members merged.
    Merged(Merged<'a>),
}

/// The object members of an `allOf`, merged: a property both declare is the later
/// member's; `required` and the `oneOf`/`anyOf` members carry are kept together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged<'a> {
    /// Name, schema, and the pointer it is declared at.
    pub properties: Vec<(String, &'a Value, String)>,
    pub required: Vec<String>,
    /// The last `additionalProperties` a member states.
    pub additional: Option<&'a Value>,
    /// `("oneOf" | "anyOf", its variants)`, from any member.
    pub choices: Vec<(&'static str, &'a Value)>,
    /// Where each of `choices` is declared (the pointer of its `oneOf`/`anyOf` array).
    pub choices_at: Vec<String>,
    /// Properties a later member declares again: the pointer of the declaration that lost.
    pub overridden: Vec<String>,
    /// The schemas merged, by pointer: each once, however often members reach it
    /// (`E: allOf [E, E, E]` would otherwise merge 3^16 times).
    pub merged_from: Vec<String>,
    /// Members that are neither objects nor annotations, beside objects: left out of the
    /// merge. Their pointers.
    pub left_out: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Member {
    Annotation,
    Object,
    Value,
}

fn member_kind(schema: &Value) -> Member {
    let Some(map) = schema.as_object() else {
        return Member::Annotation;
    };
    if map
        .keys()
        .all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"))
    {
        return Member::Annotation;
    }
    // A `oneOf`/`anyOf` member is merged too: its choice is kept beside the properties.
    let object = map.get("type").and_then(Value::as_str) == Some("object")
        || [
            "properties",
            "allOf",
            "required",
            "additionalProperties",
            "oneOf",
            "anyOf",
        ]
        .iter()
        .any(|k| map.contains_key(*k));
    if object { Member::Object } else { Member::Value }
}

/// Reads the `allOf` whose members are `members`, declared at `at` (the pointer of the
/// `allOf` array itself), in the document `doc`.
pub fn read<'a>(doc: &'a Value, members: &'a [Value], at: &str) -> AllOf<'a> {
    let resolved: Vec<(&Value, String)> = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (schema, target) = pointer::follow(doc, m);
            (schema, target.unwrap_or_else(|| format!("{at}/{i}")))
        })
        .collect();
    let kinds: Vec<Member> = resolved.iter().map(|(s, _)| member_kind(s)).collect();
    let substantive: Vec<usize> = (0..kinds.len())
        .filter(|i| kinds[*i] != Member::Annotation)
        .collect();
    match substantive.as_slice() {
        [only] => return AllOf::One(*only, resolved[*only].0),
        [] if !resolved.is_empty() => return AllOf::One(0, resolved[0].0),
        _ => {}
    }
    if let (false, Some(&first)) = (kinds.contains(&Member::Object), substantive.first()) {
        // Several values, none an object: the first says what it is.
        return AllOf::One(first, resolved[first].0);
    }
    let mut merged = Merged::default();
    for ((schema, where_), kind) in resolved.iter().zip(&kinds) {
        match kind {
            Member::Object => merge_into(doc, schema, where_, &mut merged, 0),
            Member::Value => merged.left_out.push(where_.clone()),
            Member::Annotation => {}
        }
    }
    AllOf::Merged(merged)
}

/// Reads the schema `schema`, declared at `at`, that holds an `allOf`, with what stands
/// beside its `allOf`: properties, `required`, `additionalProperties`, `oneOf`/`anyOf` there
/// are one more member, merged last (Azure's `CertificateAttributes`: `allOf: [$ref:
/// Attributes]` and its own `recoveryLevel`). Without such siblings it is [`read`] of the
/// members.
pub fn read_schema<'a>(doc: &'a Value, schema: &'a Value, at: &str) -> AllOf<'a> {
    let members = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let siblings = ["properties", "required", "additionalProperties", "oneOf", "anyOf"]
        .iter()
        .any(|k| schema.get(*k).is_some());
    if !siblings {
        return read(doc, members, &pointer::join(at, "allOf"));
    }
    let mut merged = Merged::default();
    merge_into(doc, schema, at, &mut merged, 0);
    AllOf::Merged(merged)
}

fn merge_into<'a>(doc: &'a Value, schema: &'a Value, at: &str, merged: &mut Merged<'a>, depth: usize) {
    if depth > 16 || merged.merged_from.iter().any(|m| m == at) {
        return;
    }
    merged.merged_from.push(at.to_string());
    if let Some(inner) = schema.get("allOf").and_then(Value::as_array) {
        for (i, m) in inner.iter().enumerate() {
            let (m, target) = pointer::follow(doc, m);
            let m_at = target.unwrap_or_else(|| format!("{at}/allOf/{i}"));
            match member_kind(m) {
                Member::Object => merge_into(doc, m, &m_at, merged, depth + 1),
                Member::Value => merged.left_out.push(m_at),
                Member::Annotation => {}
            }
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            if let Some(i) = merged
                .properties
                .iter()
                .position(|(existing, _, _)| existing == name)
            {
                let (_, before, before_at) = merged.properties.remove(i);
                if before != prop {
                    merged.overridden.push(before_at);
                }
            }
            let prop_at = pointer::join(&format!("{at}/properties"), name);
            merged.properties.push((name.clone(), prop, prop_at));
        }
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for r in required.iter().filter_map(Value::as_str) {
            if !merged.required.iter().any(|x| x == r) {
                merged.required.push(r.to_string());
            }
        }
    }
    if let Some(additional) = schema.get("additionalProperties") {
        merged.additional = Some(additional);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(v) = schema.get(key) {
            merged.choices.push((key, v));
            merged.choices_at.push(pointer::join(at, key));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "TagKey": {"type": "string", "maxLength": 128},
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
        }}})
    }

    #[test]
    fn an_annotated_reference_is_what_it_references() {
        let doc = doc();
        let members = vec![
            json!({"$ref": "#/components/schemas/TagKey"}),
            json!({"description": "The key."}),
        ];
        assert_eq!(
            read(&doc, &members, "/x/allOf"),
            AllOf::One(0, &doc["components"]["schemas"]["TagKey"])
        );
        let one = vec![json!({"$ref": "#/components/schemas/Base"})];
        assert!(matches!(read(&doc, &one, "/x/allOf"), AllOf::One(0, _)));
    }

    #[test]
    fn an_empty_all_of_merges_nothing() {
        assert_eq!(read(&doc(), &[], "/x/allOf"), AllOf::Merged(Merged::default()));
    }

    #[test]
    fn objects_are_merged_later_members_winning_and_required_kept() {
        let doc = doc();
        let members = vec![
            json!({"$ref": "#/components/schemas/Base"}),
            json!({"properties": {"name": {"type": "integer"}, "size": {"type": "integer"}}, "required": ["size"]}),
            json!({"type": "string"}),
        ];
        let AllOf::Merged(m) = read(&doc, &members, "/x/allOf") else {
            panic!("not merged")
        };
        let names: Vec<(&str, &str)> = m
            .properties
            .iter()
            .map(|(n, _, at)| (n.as_str(), at.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("id", "/components/schemas/Base/properties/id"),
                ("name", "/x/allOf/1/properties/name"),
                ("size", "/x/allOf/1/properties/size"),
            ]
        );
        assert_eq!(m.properties[1].1, &json!({"type": "integer"}));
        assert_eq!(m.required, ["id", "size"]);
        assert_eq!(m.left_out, ["/x/allOf/2"]);
        assert_eq!(m.overridden, ["/components/schemas/Base/properties/name"]);
    }

    #[test]
    fn a_schema_reached_many_times_is_merged_once() {
        let doc = json!({"components": {"schemas": {"E": {
            "allOf": [{"$ref": "#/components/schemas/E"}, {"$ref": "#/components/schemas/E"}, {"$ref": "#/components/schemas/E"}],
            "oneOf": [{"type": "string"}],
            "properties": {"x": {"type": "integer"}},
        }}}});
        let AllOf::Merged(m) = read_schema(&doc, &doc["components"]["schemas"]["E"], "/components/schemas/E")
        else {
            panic!("not merged")
        };
        assert_eq!(m.choices.len(), 1);
        assert_eq!(m.properties.len(), 1);
        assert_eq!(m.merged_from, ["/components/schemas/E"]);
    }

    #[test]
    fn properties_beside_the_all_of_are_one_more_member() {
        let doc = doc();
        let schema = json!({
            "allOf": [{"$ref": "#/components/schemas/Base"}],
            "description": "d",
            "required": ["deleted"],
            "properties": {"deleted": {"type": "integer"}},
        });
        let AllOf::Merged(m) = read_schema(&doc, &schema, "/x") else {
            panic!("not merged")
        };
        let names: Vec<&str> = m.properties.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(names, ["id", "name", "deleted"]);
        assert_eq!(m.required, ["id", "deleted"]);
        let annotated = json!({"allOf": [{"$ref": "#/components/schemas/TagKey"}], "description": "d"});
        assert!(matches!(read_schema(&doc, &annotated, "/y"), AllOf::One(0, _)));
    }

    #[test]
    fn a_one_of_member_is_kept_as_a_choice() {
        let doc = doc();
        let members = vec![
            json!({"oneOf": [{"type": "object"}, {"type": "string"}]}),
            json!({"$ref": "#/components/schemas/Base"}),
        ];
        let AllOf::Merged(m) = read(&doc, &members, "/x/allOf") else {
            panic!("not merged")
        };
        assert_eq!(m.choices.len(), 1);
        assert_eq!(m.choices_at, ["/x/allOf/0/oneOf"]);
        assert!(m.left_out.is_empty());
        assert_eq!(m.properties.len(), 2);
    }
}
