//! One reader of a schema: a [`View`] of it after its `$ref`s are followed and its `allOf`
//! members merged, and a [`Trail`] for walkers that descend from a view into its
//! properties, items, `additionalProperties` or variants.
//!
//! The rule is kept here once:
//!
//! - **cycles**: a schema is known by its pointer (the `$ref` target it was reached by, or
//!   where it is written). A view merges each schema once; a trail does not enter a schema
//!   it is already inside of.
//! - **depth**: [`MAX_DEPTH`] steps, counted the same way everywhere: each `allOf` member
//!   merged, and each descent through a trail, is one step. (`$ref` links are followed by
//!   [`pointer::follow`], which has its own bound on a chain of bare references.)
//!
//! What an `allOf` *means* (one member's type, or its objects merged) is
//! [`all_of`]'s; [`resolve`] reads the first through it. A view merges every
//! member's keywords: later properties win, `required` and types are collected;
//! [`flattened`] gives the same merge as one schema value, for readers of keywords.
//!
//! Who walks how, across the workspace:
//!
//! - **a walk guided by a value** (the oracle's byte limits, the contract suite's judges
//!   and read-back comparisons, its breakages of a valid value) reads the schema at each
//!   level of the value through a [`View`] or [`flattened`], and needs no depth rule of its
//!   own: the value is finite (a parsed body nests at most as deep as the parser allows);
//! - **a walk guided by the schema alone** (what a property promises, a docs field table)
//!   descends through a [`Trail`];
//! - **a walk of the document as written**, following no `$ref`, ends with the document
//!   ([`DOCUMENT_DEPTH`] guards the stack);
//! - what remains are **budgets**, named where they are kept and documented as such: how
//!   deep generated values nest, how many rows or words a page shows. They choose what is
//!   produced, not whether a walk ends.

use serde_json::Value;

use crate::all_of::{self, AllOf};
use crate::pointer;

/// How many steps (an `allOf` member merged, a descent into a child) a reading takes at
/// most: a bound for hostile nesting, far above what real specs nest.
pub const MAX_DEPTH: usize = 32;

/// How deep a walk of the document as written (no `$ref` followed: review's collectors of
/// references and schema sites, an example beside its schema) goes: the nesting the
/// parsers accept (serde_json and serde_yaml refuse a document nested deeper than 128
/// levels), so in a document that loaded it is never reached. A guard for the stack, not a
/// choice of what is read.
pub const DOCUMENT_DEPTH: usize = 128;

/// One declared property: its name, its schema as written, and the pointer it is declared at.
#[derive(Debug, Clone, PartialEq)]
pub struct Property<'a> {
    pub name: &'a str,
    pub schema: &'a Value,
    pub at: String,
}

/// A child schema (items, `additionalProperties`, a variant) with its pointer.
#[derive(Debug, Clone, PartialEq)]
pub struct Child<'a> {
    pub schema: &'a Value,
    pub at: String,
}

/// What a schema, with its `$ref`s followed and its `allOf` members merged, says about a value.
#[derive(Debug, Clone, Default)]
pub struct View<'a> {
    /// The schema itself, `$ref`s followed (`None` where it is not an object).
    pub schema: Option<&'a Value>,
    /// Where it is: the `$ref` target it was reached by, or where it is written.
    pub at: String,
    /// Declared `type`s, one per member that states a new one.
    pub types: Vec<&'a str>,
    /// Declared properties, own and from `allOf` members; a later one wins.
    pub properties: Vec<Property<'a>>,
    pub required: Vec<&'a str>,
    /// The last `additionalProperties` stated.
    pub additional: Option<Child<'a>>,
    /// The last `items` stated.
    pub items: Option<Child<'a>>,
    /// `oneOf` / `anyOf` variants, own and from members.
    pub choices: Vec<Child<'a>>,
    pub enumeration: Option<&'a Vec<Value>>,
    pub format: Option<&'a str>,
    pub pattern: Option<&'a str>,
    pub min_length: Option<u64>,
    pub min_items: Option<u64>,
    pub min_properties: Option<u64>,
    /// `nullable: true` on the schema or any member.
    pub nullable: bool,
    /// The schemas merged in, by pointer: the seen-set.
    pub merged_from: Vec<String>,
    /// The schemas merged in, with their pointers, each after its own `allOf` members: the
    /// innermost member first, the schema itself last (the order in which a later statement
    /// wins).
    pub merged: Vec<Child<'a>>,
}

impl<'a> View<'a> {
    /// The view of `schema` (in the document `doc`), written somewhere unknown.
    pub fn of(doc: &'a Value, schema: &'a Value) -> View<'a> {
        View::at(doc, schema, "")
    }

    /// The view of `schema`, written at the pointer `at` in `doc`.
    pub fn at(doc: &'a Value, schema: &'a Value, at: &str) -> View<'a> {
        let mut view = View::default();
        let (target, via) = pointer::follow(doc, schema);
        view.at = via.unwrap_or_else(|| at.to_string());
        view.schema = target.is_object().then_some(target);
        let at = view.at.clone();
        view.add(doc, schema, &at, 0);
        view
    }

    fn add(&mut self, doc: &'a Value, schema: &'a Value, at: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let (schema, via) = pointer::follow(doc, schema);
        let at = via.unwrap_or_else(|| at.to_string());
        let Some(map) = schema.as_object() else { return };
        if self.merged_from.contains(&at) {
            return;
        }
        self.merged_from.push(at.clone());
        if let Some(t) = map.get("type").and_then(Value::as_str) {
            if !self.types.contains(&t) {
                self.types.push(t);
            }
        }
        if map.get("nullable").and_then(Value::as_bool) == Some(true) {
            self.nullable = true;
        }
        if let Some(members) = map.get("allOf").and_then(Value::as_array) {
            for (i, m) in members.iter().enumerate() {
                self.add(doc, m, &format!("{at}/allOf/{i}"), depth + 1);
            }
        }
        self.merged.push(Child {
            schema,
            at: at.clone(),
        });
        if let Some(props) = map.get("properties").and_then(Value::as_object) {
            let base = pointer::join(&at, "properties");
            for (name, p) in props {
                self.properties.retain(|q| q.name != name.as_str());
                self.properties.push(Property {
                    name,
                    schema: p,
                    at: pointer::join(&base, name),
                });
            }
        }
        if let Some(required) = map.get("required").and_then(Value::as_array) {
            for r in required.iter().filter_map(Value::as_str) {
                if !self.required.contains(&r) {
                    self.required.push(r);
                }
            }
        }
        let child = |key: &str| {
            map.get(key).map(|schema| Child {
                schema,
                at: pointer::join(&at, key),
            })
        };
        if let Some(a) = child("additionalProperties") {
            self.additional = Some(a);
        }
        if let Some(items) = child("items") {
            self.items = Some(items);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(list) = map.get(key).and_then(Value::as_array) {
                self.choices
                    .extend(list.iter().enumerate().map(|(i, schema)| Child {
                        schema,
                        at: format!("{at}/{key}/{i}"),
                    }));
            }
        }
        if let Some(e) = map.get("enum").and_then(Value::as_array) {
            self.enumeration = Some(e);
        }
        if let Some(f) = map.get("format").and_then(Value::as_str) {
            self.format = Some(f);
        }
        if let Some(p) = map.get("pattern").and_then(Value::as_str) {
            self.pattern = Some(p);
        }
        let num = |k: &str| map.get(k).and_then(Value::as_u64);
        self.min_length = num("minLength").or(self.min_length);
        self.min_items = num("minItems").or(self.min_items);
        self.min_properties = num("minProperties").or(self.min_properties);
    }

    /// `additionalProperties: false`.
    pub fn closed(&self) -> bool {
        self.additional.as_ref().map(|a| a.schema) == Some(&Value::Bool(false))
    }

    /// The schema of the property `name`, as written.
    pub fn property(&self, name: &str) -> Option<&'a Value> {
        self.properties.iter().find(|p| p.name == name).map(|p| p.schema)
    }

    /// The effective type: the first declared one, else `object` for a schema with
    /// properties or `additionalProperties`, `array` for one with `items`.
    pub fn effective_type(&self) -> Option<&'a str> {
        if let Some(t) = self.types.first() {
            return Some(t);
        }
        if !self.properties.is_empty() || !self.required.is_empty() || self.additional.is_some() {
            return Some("object");
        }
        self.items.as_ref().map(|_| "array")
    }

    /// Whether a property of this name is declared, here or in any variant (each variant
    /// entered once, through [`Trail`]).
    pub fn declares(&self, doc: &'a Value, name: &str) -> bool {
        fn find<'a>(doc: &'a Value, view: &View<'a>, trail: &Trail, name: &str) -> bool {
            view.property(name).is_some()
                || view.choices.iter().any(|c| {
                    trail
                        .enter(doc, c.schema, &c.at)
                        .is_some_and(|(v, t)| find(doc, &v, &t, name))
                })
        }
        find(doc, self, &Trail::from(self), name)
    }
}

/// The way a walker came to a schema: the schemas it is inside of (by pointer) and how
/// deep it is. It enters a child only if that child is not one of them and the depth
/// allows: the one rule against cycles through `$ref`, `allOf`, `items`, `oneOf`/`anyOf`
/// and `additionalProperties`.
#[derive(Debug, Clone, Default)]
pub struct Trail {
    inside: Vec<String>,
    depth: usize,
}

impl Trail {
    /// A trail already inside the schema at `at` (a component whose own section is being
    /// walked): a reference back to it is not entered.
    pub fn inside(at: impl Into<String>) -> Trail {
        Trail {
            inside: vec![at.into()],
            depth: 0,
        }
    }

    /// How many descents this trail has taken.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Enters `schema` (written at `at`): its view and the trail inside it, or `None` where
    /// it is a `$ref` to a schema this trail is already inside of, or past [`MAX_DEPTH`].
    /// Entering an `allOf` member (as a walker reading the annotation idiom does) is a step
    /// like any other.
    pub fn enter<'a>(&self, doc: &'a Value, schema: &'a Value, at: &str) -> Option<(View<'a>, Trail)> {
        let inside = self.step(doc, schema)?;
        Some((View::at(doc, schema, at), inside))
    }

    /// [`enter`](Trail::enter) without building the view: the trail inside `schema`, or
    /// `None` where the rule refuses it.
    pub fn step(&self, doc: &Value, schema: &Value) -> Option<Trail> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let (_, via) = pointer::follow(doc, schema);
        let mut inside = self.inside.clone();
        if let Some(target) = via {
            if inside.contains(&target) {
                return None;
            }
            inside.push(target);
        }
        Some(Trail {
            inside,
            depth: self.depth + 1,
        })
    }
}

impl From<&View<'_>> for Trail {
    /// The trail inside a view taken at the top.
    fn from(view: &View<'_>) -> Trail {
        Trail {
            inside: view.merged_from.clone(),
            depth: 1,
        }
    }
}

/// Keywords [`flattened`] takes from the [`View`] rather than from the last schema stating them.
const MERGED_KEYWORDS: [&str; 8] = [
    "allOf",
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "nullable",
];

/// Keywords that speak of one whole value: a member's `example` is of the member (a `Base`
/// without the fields `Pet` adds), so [`flattened`] takes them from the schema itself only.
const OWN_KEYWORDS: [&str; 3] = ["example", "examples", "default"];

/// `schema` as one schema value: its `$ref`s followed and, where it has an `allOf`, its
/// members merged into it by [`View`]'s rule (each schema once, [`MAX_DEPTH`] steps;
/// properties, `items` and `additionalProperties` as the view has them, `required` of all,
/// the first `type`, `nullable` if any says so; `example` and `default` only as the schema
/// itself states them; any other keyword as the last schema stating it has it, the schema's
/// own statements last). For readers that want keywords
/// (bounds, formats, examples) rather than a view's fields: strategies, judges.
pub fn flattened<'a>(doc: &'a Value, schema: &'a Value) -> std::borrow::Cow<'a, Value> {
    let target = pointer::follow_refs(doc, schema);
    if target.get("allOf").is_none() {
        return std::borrow::Cow::Borrowed(target);
    }
    let view = View::of(doc, schema);
    let mut out = serde_json::Map::new();
    for merged in &view.merged {
        let own = std::ptr::eq(merged.schema, target);
        for (key, value) in merged.schema.as_object().into_iter().flatten() {
            let key = key.as_str();
            if !MERGED_KEYWORDS.contains(&key) && (own || !OWN_KEYWORDS.contains(&key)) {
                out.insert(key.to_string(), value.clone());
            }
        }
    }
    if let Some(t) = view.effective_type() {
        out.insert("type".into(), Value::from(t));
    }
    if !view.properties.is_empty() {
        let properties = view
            .properties
            .iter()
            .map(|p| (p.name.to_string(), p.schema.clone()));
        out.insert("properties".into(), Value::Object(properties.collect()));
    }
    if !view.required.is_empty() {
        out.insert("required".into(), Value::from(view.required.clone()));
    }
    for (key, child) in [("additionalProperties", &view.additional), ("items", &view.items)] {
        if let Some(child) = child {
            out.insert(key.into(), child.schema.clone());
        }
    }
    if view.nullable {
        out.insert("nullable".into(), Value::Bool(true));
    }
    std::borrow::Cow::Owned(Value::Object(out))
}

/// A schema after `$ref`s, and after an `allOf` that is one member's type (the annotation
/// idiom, as [`all_of::read`] tells it); else the schema itself.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut s = pointer::follow_refs(doc, schema);
    for _ in 0..MAX_DEPTH {
        let Some(members) = s.get("allOf").and_then(Value::as_array) else {
            return s;
        };
        match all_of::read(doc, members, "") {
            AllOf::One(_, member) if !std::ptr::eq(member, s) => s = member,
            _ => return s,
        }
    }
    s
}

/// A schema's declared `type` (`object` for one with properties), following `$ref`s and a
/// one-member `allOf`.
pub fn type_of<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a str> {
    let mut s = pointer::follow_refs(doc, schema);
    for _ in 0..MAX_DEPTH {
        if let Some(t) = s.get("type").and_then(Value::as_str) {
            return Some(t);
        }
        if s.get("properties").is_some() {
            return Some("object");
        }
        match s.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
            Some([only]) => s = pointer::follow_refs(doc, only),
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "nullable": true,
                     "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
            "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"},
                              {"properties": {"name": {"type": "integer"}, "kind": {"type": "string"}},
                               "required": ["kind"]}]},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}], "properties": {"a": {"type": "string"}}},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "properties": {"b": {"type": "string"}}},
            "Node": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "next": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "string"}]},
                "map": {"additionalProperties": {"$ref": "#/components/schemas/Node"}}}},
        }}})
    }

    fn named(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    #[test]
    fn each_property_has_the_pointer_it_is_declared_at() {
        let doc = doc();
        let pet = named("Pet");
        let view = View::of(&doc, &pet);
        let props: Vec<(&str, &str)> = view.properties.iter().map(|p| (p.name, p.at.as_str())).collect();
        assert_eq!(
            props,
            [
                ("id", "/components/schemas/Base/properties/id"),
                ("name", "/components/schemas/Pet/allOf/1/properties/name"),
                ("kind", "/components/schemas/Pet/allOf/1/properties/kind"),
            ]
        );
        assert_eq!(view.required, ["id", "kind"]);
        assert_eq!(view.types, ["object"]);
        assert!(view.nullable);
        assert_eq!(view.effective_type(), Some("object"));
        assert_eq!(view.at, "/components/schemas/Pet");
    }

    #[test]
    fn cycles_through_ref_and_all_of_end() {
        let doc = doc();
        let l = named("Loop");
        let view = View::of(&doc, &l);
        assert!(view.properties.is_empty());
        let a = named("A");
        let view = View::of(&doc, &a);
        let names: Vec<&str> = view.properties.iter().map(|p| p.name).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(
            view.merged_from,
            ["/components/schemas/A", "/components/schemas/B"]
        );
    }

    #[test]
    fn a_trail_does_not_enter_what_it_is_inside_of() {
        let doc = doc();
        let node = named("Node");
        let (view, trail) = Trail::default().enter(&doc, &node, "").expect("top");
        let children = &view.properties[0];
        let (children, inner) = trail.enter(&doc, children.schema, &children.at).expect("array");
        let items = children.items.expect("items");
        assert_eq!(items.at, "/components/schemas/Node/properties/children/items");
        assert!(
            inner.enter(&doc, items.schema, &items.at).is_none(),
            "items: Node again"
        );
        let (next, inner) = trail
            .enter(&doc, view.property("next").expect("next"), "")
            .expect("next");
        assert!(
            inner.enter(&doc, next.choices[0].schema, "").is_none(),
            "oneOf: Node again"
        );
        assert!(inner.enter(&doc, next.choices[1].schema, "").is_some());
        let (map, inner) = trail
            .enter(&doc, view.property("map").expect("map"), "")
            .expect("map");
        let extra = map.additional.expect("additionalProperties");
        assert!(
            inner.enter(&doc, extra.schema, "").is_none(),
            "additionalProperties: Node again"
        );
        assert!(view.declares(&doc, "children"));
        assert!(!view.declares(&doc, "nothing"));
    }

    #[test]
    fn depth_is_bounded() {
        // A chain of distinct inline schemas deeper than the bound.
        let mut schema = json!({"type": "string"});
        for _ in 0..(MAX_DEPTH * 2) {
            schema = json!({"type": "array", "items": schema});
        }
        let doc = json!({});
        let mut trail = Trail::default();
        let mut at = &schema;
        let mut steps = 0;
        while let Some((view, next)) = trail.enter(&doc, at, "") {
            steps += 1;
            trail = next;
            match view.items {
                Some(items) => at = items.schema,
                None => break,
            }
        }
        assert_eq!(steps, MAX_DEPTH);
        assert_eq!(trail.depth(), MAX_DEPTH);
        // Nested allOf: merged to the bound, no further.
        let mut nested = json!({"properties": {"deep": {}}});
        for _ in 0..(MAX_DEPTH * 2) {
            nested = json!({"allOf": [nested]});
        }
        assert!(View::of(&doc, &nested).properties.is_empty());
    }

    #[test]
    fn flattened_merges_members_keywords_the_schema_own_last() {
        let doc = json!({"components": {"schemas": {
            "Name": {"type": "string", "maxLength": 64, "description": "a name"},
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}},
                     "x-max-bytes": 9, "example": {"id": "1"}},
        }}});
        let annotated = json!({"allOf": [{"$ref": "#/components/schemas/Name"}], "description": "own"});
        assert_eq!(
            flattened(&doc, &annotated).into_owned(),
            json!({"type": "string", "maxLength": 64, "description": "own"})
        );
        let extended = json!({"allOf": [{"$ref": "#/components/schemas/Base"}, {"minProperties": 2}],
                              "properties": {"n": {"type": "integer"}}, "required": ["n"]});
        assert_eq!(
            flattened(&doc, &extended).into_owned(),
            json!({"type": "object", "x-max-bytes": 9, "minProperties": 2,
                   "properties": {"id": {"type": "string"}, "n": {"type": "integer"}},
                   "required": ["id", "n"]})
        );
        let plain = json!({"$ref": "#/components/schemas/Name"});
        assert!(matches!(flattened(&doc, &plain), std::borrow::Cow::Borrowed(_)));
        let cyclic = self::doc();
        let a = json!({"$ref": "#/components/schemas/A"});
        let flat = flattened(&cyclic, &a).into_owned();
        assert_eq!(flat["properties"].as_object().map(|p| p.len()), Some(2));
    }

    #[test]
    fn resolve_and_type_of_read_the_annotation_idiom() {
        let doc = json!({"components": {"schemas": {"K": {"type": "string"}}}});
        let annotated = json!({"allOf": [{"$ref": "#/components/schemas/K"}], "description": "d"});
        assert_eq!(resolve(&doc, &annotated), &json!({"type": "string"}));
        assert_eq!(type_of(&doc, &annotated), Some("string"));
        assert_eq!(type_of(&doc, &json!({"properties": {}})), Some("object"));
    }
}
