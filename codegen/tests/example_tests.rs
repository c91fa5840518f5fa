//! The second emitter: round-trip tests for the examples a spec carries.

use specwright_codegen::Builder;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
              examples:
                one: {value: {id: a}}
        '400': {$ref: '#/components/responses/Bad'}
  /b:
    get:
      operationId: getB
      responses:
        '200': {description: ok}
        '400': {$ref: '#/components/responses/Bad'}
components:
  schemas:
    Fault:
      type: object
      properties: {message: {type: string}}
  responses:
    Bad:
      description: bad
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Fault'}
          examples:
            generic: {value: {message: XXXX}}
"#;

#[test]
fn an_example_of_a_shared_response_is_tested_once_not_per_operation() {
    let path = std::env::temp_dir().join(format!("codegen-example-tests-{}.yaml", std::process::id()));
    std::fs::write(&path, SPEC).unwrap_or_else(|e| panic!("{e}"));
    let source = Builder::new(&path).example_tests_source("crate::api", "specwright_runtime");
    let _ = std::fs::remove_file(&path);
    let source = source.unwrap_or_else(|e| panic!("{e}"));
    let tests: Vec<&str> = source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("fn "))
        .filter_map(|l| l.split('(').next())
        .filter(|name| *name != "roundtrip" && !name.starts_with("roundtrip<") && *name != "same")
        .collect();
    assert_eq!(
        tests,
        ["get_a_response_200_one", "bad_response_generic"],
        "{source}"
    );
}
