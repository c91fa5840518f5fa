//! A bad spec gets every problem reported, each with a JSON pointer, and never a panic;
//! what the generator settles on its own (a colliding name, say) is a note, not a refusal.

use proptest::prelude::*;
use specwright_codegen::{Diagnostic, Error, Settings, Severity, emit, load_str, lower};

/// Every diagnostic of a run: the errors of a refusal, or the notes of a success.
fn diagnose(yaml: &str) -> Vec<Diagnostic> {
    let result = load_str(yaml, "test").and_then(|loaded| lower(&loaded, &Settings::default()));
    match result {
        Ok(service) => service.notes,
        Err(Error::Spec { diagnostics, .. }) => diagnostics,
        Err(other) => panic!("expected diagnostics, got {other}"),
    }
}

/// The whole pipeline, as `specwright generate` runs it: load, lower, emit, format.
fn pipeline(yaml: &str) -> Result<String, Error> {
    let settings = Settings::default();
    let loaded = load_str(yaml, "test")?;
    let service = lower(&loaded, &settings)?;
    emit::file(&service, &settings)
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let d = diagnose("openapi: 3.0.3\ninfo: [unclosed\n");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("line"), "{}", d[0]);
}

#[test]
fn a_version_it_does_not_read_is_refused_with_a_hint() {
    // Swagger 2.0 and OpenAPI 3.1 are converted on load (tests/inputs.rs); 1.2 is not.
    let d = diagnose("swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(d[0].pointer, "/swagger");
    assert!(d[0].is_error() && d[0].hint.is_some());
    let d = diagnose("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(d[0].pointer, "/openapi");
    assert!(d[0].is_error() && d[0].hint.is_some());
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
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: 'other.yaml#/components/schemas/B'}}
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
    assert!(has("#/components/schemas/Missing"), "{text:#?}");
    assert!(has("external reference `other.yaml"), "{text:#?}");
    // Settled on the way, and reported beside the errors as notes.
    assert!(has("/components/schemas/Clash/properties/os_host"), "{text:#?}");
    assert!(has("`{id}`"), "{text:#?}");
    assert!(d.iter().any(|d| d.severity == Severity::Note), "{text:#?}");
}

/// What `specwright review` calls certainly wrong, and a client would get wrong silently, is
/// refused: a path template and its parameters that disagree, an operationId used twice,
/// a `type` OpenAPI does not have (it made the value any JSON).
#[test]
fn template_parameter_mismatch_duplicate_operation_ids_and_unknown_types_are_refused() {
    let yaml = format!(
        "{HEAD}paths:
  /books/{{book_id}}:
    get:
      operationId: getBook
      parameters:
      - {{name: bookId, in: path, required: true, schema: {{type: string}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Book'}}
  /books:
    get:
      operationId: getBook
      responses:
        '200': {{description: ok}}
components:
  schemas:
    Book:
      type: object
      properties:
        title: {{type: strin}}
"
    );
    let d = diagnose(&yaml);
    let errors: Vec<(&str, &str)> = d
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    let at = |pointer: &str, needle: &str| errors.iter().any(|(p, m)| *p == pointer && m.contains(needle));
    assert!(
        at(
            "/components/schemas/Book/properties/title/type",
            "unknown type `strin`"
        ),
        "{errors:#?}"
    );
    assert!(
        at("/paths/~1books~1{book_id}/get", "no path parameter `book_id`"),
        "{errors:#?}"
    );
    assert!(
        at("/paths/~1books~1{book_id}/get", "`bookId` does not appear"),
        "{errors:#?}"
    );
    assert!(
        at(
            "/paths/~1books/get/operationId",
            "also the id of GET /books/{book_id}"
        ),
        "{errors:#?}"
    );
    assert_eq!(errors.len(), 4, "{errors:#?}");
    let fixed = yaml
        .replace("name: bookId", "name: book_id")
        .replace(
            "      operationId: getBook\n      responses",
            "      operationId: listBooks\n      responses",
        )
        .replace("type: strin}", "type: string}");
    assert!(
        diagnose(&fixed).iter().all(|d| !d.is_error()),
        "{:#?}",
        diagnose(&fixed)
    );
}

#[test]
fn a_type_name_collision_is_settled_with_a_suffix_and_a_note() {
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
    assert_eq!(d[0].severity, Severity::Note);
    assert_eq!(d[0].pointer, "/components/schemas/VolumeType");
    assert!(d[0].message.contains("`VolumeType2`"), "{}", d[0]);
    assert!(d[0].hint.as_deref().unwrap_or_default().contains("x-rust-name"));
    let source = pipeline(&clash).unwrap_or_else(|e| panic!("{e}"));
    assert!(source.contains("pub struct VolumeType {") && source.contains("pub struct VolumeType2 {"));
    let settled = clash.replace(
        "volume-type: {type: object,",
        "volume-type: {type: object, x-rust-name: LegacyVolumeType,",
    );
    assert!(diagnose(&settled).is_empty());
}

#[test]
fn untagged_variants_that_cannot_be_told_apart_are_tried_in_the_spec_order() {
    let yaml = format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Either:
      oneOf:
        - {{type: object, title: A, required: [name], properties: {{name: {{type: string}}, a: {{type: string}}}}}}
        - {{type: object, title: B, required: [name], properties: {{name: {{type: string}}, b: {{type: string}}}}}}
"
    );
    let d = diagnose(&yaml);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Note);
    assert!(d[0].message.contains("in the spec's order"), "{}", d[0]);
    assert_eq!(d[0].pointer, "/components/schemas/Either/oneOf/1");
    let source = pipeline(&yaml).unwrap_or_else(|e| panic!("{e}"));
    let a = source.find("A(EitherA)").unwrap_or_else(|| panic!("{source}"));
    let b = source.find("B(EitherB)").unwrap_or_else(|| panic!("{source}"));
    assert!(a < b, "variants out of the spec's order:\n{source}");
}

#[test]
fn a_naming_extension_that_is_not_an_identifier_is_an_error_not_a_panic() {
    for bad in ["'has space'", "'1st'", "'-'", "''", "7", "'ünï'"] {
        let yaml = format!(
            "{HEAD}paths:
  /a:
    get:
      operationId: getA
      x-rust-method: {bad}
      responses:
        '204': {{description: ok}}
components:
  schemas:
    S: {{type: object, x-rust-name: {bad}, properties: {{p: {{type: string, x-rust-name: {bad}}}}}}}
"
        );
        let d = diagnose(&yaml);
        let errors: Vec<&Diagnostic> = d.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 3, "{bad}: {d:#?}");
        assert!(
            errors.iter().any(|d| d.pointer == "/paths/~1a/get/x-rust-method"),
            "{d:#?}"
        );
        assert!(
            errors
                .iter()
                .any(|d| d.pointer == "/components/schemas/S/x-rust-name"),
            "{d:#?}"
        );
    }
}

#[test]
fn keyword_fields_keep_their_wire_name() {
    let yaml = format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Links: {{type: object, properties: {{self: {{type: string}}, type: {{type: string}}, crate: {{type: string}}}}}}
"
    );
    let source = pipeline(&yaml).unwrap_or_else(|e| panic!("{e}"));
    assert!(source.contains("pub self_:"), "{source}");
    assert!(source.contains("pub r#type:"), "{source}");
    // The runtime's `impl_object!` names each field's wire name where it is not the field's.
    let flat = source.split_whitespace().collect::<Vec<_>>().join(" ");
    for entry in [
        r#"self_(0, optional, "self")"#,
        r#"r#type(1, optional, "type")"#,
        r#"crate_(2, optional, "crate")"#,
    ] {
        assert!(flat.contains(entry), "{entry}: {source}");
    }
}

fn base_spec() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/specs/petstore.yaml"
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The OpenAPI 3.1 and Swagger 2.0 inputs, which go through a conversion first.
fn converted_spec(which: bool) -> String {
    let name = if which { "things_31.yaml" } else { "shop_20.yaml" };
    let path = format!("{}/tests/inputs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// The same for a 3.1 or 2.0 document: the conversion on load never panics either.
    #[test]
    fn mutated_3_1_and_2_0_specs_never_panic(which: bool, cut in 0usize..4000, len in 0usize..40, insert in "[ {}\\[\\]:'\"a-z0-9$#/\n-]{0,12}") {
        let mut text = converted_spec(which);
        let start = cut.min(text.len());
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let mut start = start.min(end);
        while !text.is_char_boundary(start) { start -= 1; }
        text.replace_range(start..end, &insert);
        let _ = pipeline(&text);
    }

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
        let _ = pipeline(&text);
    }

    /// Structurally plausible but semantically hostile values in schema positions.
    #[test]
    fn hostile_schemas_never_panic(
        ty in prop::sample::select(vec!["string", "integer", "number", "boolean", "array", "object", "null", "x"]),
        key in prop::sample::select(vec!["oneOf", "anyOf", "allOf", "not", "items", "additionalProperties", "properties", "$ref", "enum", "required"]),
        value in prop::sample::select(vec!["[]", "{}", "[{}]", "'#/components/schemas/S'", "'#/x/y'", "true", "[{$ref: '#/components/schemas/S'}]", "{a: {$ref: '#/components/schemas/S'}}", "[a, a]", "7"]),
    ) {
        let yaml = format!("{HEAD}paths:\n  /s:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/S'}}\ncomponents:\n  schemas:\n    S:\n      type: {ty}\n      {key}: {value}\n");
        let _ = pipeline(&yaml);
    }

    /// Names from anywhere a spec can put one: property keys, enum values, operation ids,
    /// parameter names and the naming extensions, all through to formatted source.
    #[test]
    fn hostile_names_never_panic(
        name in prop::sample::select(vec!["self", "Self", "super", "crate", "_", "type", "r#type", "1", "a-b", "A B", "ü", "", "new", "Other", "query", "body", "Option", "None", "r#", "::x", "a::b"]),
        other in "[a-zA-Z0-9_ #:-]{0,6}",
    ) {
        let yaml = format!("{HEAD}paths:
  /a/{{{name}}}:
    get:
      operationId: '{name}'
      x-rust-method: '{other}'
      parameters:
        - {{name: '{name}', in: path, required: true, schema: {{type: string}}}}
        - {{name: '{name}', in: query, schema: {{type: string, enum: ['{name}', '{other}', Other]}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/S'}}
components:
  schemas:
    S:
      type: object
      x-rust-name: '{other}'
      required: ['{name}', missing]
      properties:
        '{name}': {{type: string, x-rust-name: '{other}'}}
        '{other}': {{type: string, enum: ['{name}', '{other}']}}
");
        let _ = pipeline(&yaml);
    }
}

#[test]
fn a_key_given_twice_is_refused_where_it_is_not_read_silently() {
    // Two `get`s under one path: a reader keeps the last, and the first operation is gone.
    let yaml = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: first\n      responses: {{'200': {{description: x}}}}\n    get:\n      operationId: second\n      responses: {{'200': {{description: y}}}}\n"
    );
    let d = diagnose(&yaml);
    let twice: Vec<&Diagnostic> = d.iter().filter(|d| d.message.contains("twice")).collect();
    assert_eq!(twice.len(), 1, "{d:#?}");
    assert_eq!(twice[0].pointer, "/paths/~1a/get");
    assert_eq!(twice[0].severity, Severity::Error);
    assert!(pipeline(&yaml).is_err());
    // JSON alike, a key given three times is one place to mend, and a key that is merely
    // equal in another mapping is no repeat.
    let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a", "operationId": "b", "operationId": "z",
                                 "responses": {"200": {"description": "x"}}}},
                  "/b": {"get": {"operationId": "c", "responses": {"200": {"description": "x"}}}}}}"#;
    let d = diagnose(json);
    let twice: Vec<&str> = d
        .iter()
        .filter(|d| d.message.contains("twice"))
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(twice, ["/paths/~1a/get/operationId"], "{d:#?}");
}

#[test]
fn parameters_state_their_constraints_and_default_in_the_docs() {
    let yaml = format!(
        "{HEAD}paths:
  /items/{{item_id}}:
    get:
      operationId: listParts
      parameters:
        - {{name: item_id, in: path, required: true, description: The item., schema: {{type: string, maxLength: 36}}}}
        - {{name: limit, in: query, schema: {{type: integer, minimum: 1, maximum: 500, default: 50}}}}
      responses:
        '204': {{description: Done.}}
"
    );
    let source = pipeline(&yaml).unwrap_or_else(|e| panic!("{e}"));
    assert!(source.contains("/// # Arguments"), "{source}");
    assert!(
        source.contains("/// - `item_id`: The item. Constraints: `length ≤ 36`."),
        "{source}"
    );
    let limit = &source[source.find("pub limit:").expect("the options field") - 200..];
    assert!(
        limit.contains("Constraints: `1 ≤ value ≤ 500`. Default: `50`."),
        "{limit}"
    );
}
