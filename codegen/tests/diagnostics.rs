//! A bad spec gets every problem reported, each with a JSON pointer, and never a panic.

use evs_ims_codegen::{Diagnostic, Error, Options, load_str, lower};
use proptest::prelude::*;

fn diagnose(yaml: &str) -> Vec<Diagnostic> {
    let result = load_str(yaml, "test").and_then(|loaded| lower(&loaded, &Options::default()));
    match result {
        Ok(_) => Vec::new(),
        Err(Error::Spec { diagnostics, .. }) => diagnostics,
        Err(other) => panic!("expected diagnostics, got {other}"),
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let d = diagnose("openapi: 3.0.3\ninfo: [unclosed\n");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("line"), "{}", d[0]);
}

#[test]
fn swagger_2_is_refused_with_a_hint() {
    let d = diagnose("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(d[0].pointer, "/openapi");
    assert!(d[0].hint.is_some());
}

#[test]
fn structural_error_points_into_the_document() {
    let d = diagnose(&format!("{HEAD}paths:\n  /a:\n    get:\n      responses: 12\n"));
    assert_eq!(d.len(), 1);
    assert!(d[0].pointer.starts_with("/paths/~1a/get"), "{}", d[0]);
}

#[test]
fn all_problems_of_a_run_are_reported_together() {
    let yaml = format!(
        "{HEAD}paths:
  /a/{{id}}:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Missing'}}
  /b:
    get:
      operationId: getB
      responses:
        '404': {{description: only an error}}
components:
  schemas:
    Clash:
      type: object
      properties:
        os-host: {{type: string}}
        os_host: {{type: string}}
"
    );
    let d = diagnose(&yaml);
    let text: Vec<String> = d.iter().map(ToString::to_string).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(has("/components/schemas/Clash/properties/os_host"), "{text:#?}");
    assert!(has("`{id}` but no path parameter"), "{text:#?}");
    assert!(has("#/components/schemas/Missing"), "{text:#?}");
}

#[test]
fn type_name_collision_is_an_error_until_x_rust_name_settles_it() {
    let clash = format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    volume-type: {{type: object, properties: {{a: {{type: string}}}}}}
    VolumeType: {{type: object, properties: {{b: {{type: string}}}}}}
"
    );
    let d = diagnose(&clash);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].message.contains("VolumeType"));
    assert!(d[0].hint.as_deref().unwrap_or_default().contains("x-rust-name"));
    let settled = clash.replace(
        "volume-type: {type: object,",
        "volume-type: {type: object, x-rust-name: LegacyVolumeType,",
    );
    assert!(diagnose(&settled).is_empty());
}

#[test]
fn untagged_variants_that_cannot_be_told_apart_are_refused() {
    let yaml = format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Either:
      oneOf:
        - {{type: object, required: [name], properties: {{name: {{type: string}}, a: {{type: string}}}}}}
        - {{type: object, required: [name], properties: {{name: {{type: string}}, b: {{type: string}}}}}}
"
    );
    let d = diagnose(&yaml);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].message.contains("cannot be told apart"));
    assert_eq!(d[0].pointer, "/components/schemas/Either/oneOf/1");
}

fn base_spec() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/specs/petstore.yaml"
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Whatever bytes are cut, duplicated or swapped, the generator answers with a
    /// result, never a panic.
    #[test]
    fn mutated_specs_never_panic(cut in 0usize..4000, len in 0usize..40, insert in "[ {}\\[\\]:'\"a-z0-9$#/\n-]{0,12}") {
        let mut text = base_spec();
        let start = cut.min(text.len());
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let mut start = start.min(end);
        while !text.is_char_boundary(start) { start -= 1; }
        text.replace_range(start..end, &insert);
        let _ = load_str(&text, "mutated").and_then(|l| lower(&l, &Options::default()));
    }

    /// Structurally plausible but semantically hostile values in schema positions.
    #[test]
    fn hostile_schemas_never_panic(
        ty in prop::sample::select(vec!["string", "integer", "number", "boolean", "array", "object", "null", "x"]),
        key in prop::sample::select(vec!["oneOf", "anyOf", "allOf", "not", "items", "additionalProperties", "properties", "$ref", "enum", "required"]),
        value in prop::sample::select(vec!["[]", "{}", "[{}]", "'#/components/schemas/S'", "'#/x/y'", "true", "[{$ref: '#/components/schemas/S'}]", "{a: {$ref: '#/components/schemas/S'}}", "[a, a]", "7"]),
    ) {
        let yaml = format!("{HEAD}paths:\n  /s:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/S'}}\ncomponents:\n  schemas:\n    S:\n      type: {ty}\n      {key}: {value}\n");
        let _ = load_str(&yaml, "hostile").and_then(|l| lower(&l, &Options::default()));
    }
}
