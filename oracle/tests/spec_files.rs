//! The project's spec files: they load with `openapiv3`, every example in them satisfies
//! its schema, and every operation carries what a reader needs to trace it to the documents.

use std::collections::HashSet;
use std::path::PathBuf;

use specwright_oracle::Spec;

fn spec_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(name)
}

/// Every example's violations, as readable lines.
fn invalid_examples(spec: &Spec) -> Vec<String> {
    let mut problems = Vec::new();
    let examples = match spec.examples() {
        Ok(examples) => examples,
        Err(e) => return vec![e.to_string()],
    };
    for (site, example) in examples {
        let Some(schema) = &site.schema_pointer else {
            problems.push(format!(
                "{} {}: example {} has no schema to check it against",
                site.operation, site.role, example.name
            ));
            continue;
        };
        match spec.validate(schema, example.value) {
            Ok(violations) => problems.extend(violations.iter().map(|v| {
                format!(
                    "{} {} example `{}` ({}): {v}",
                    site.operation, site.role, example.name, example.pointer
                )
            })),
            Err(e) => problems.push(e.to_string()),
        }
    }
    problems
}

fn check_file(name: &str) -> usize {
    let spec = Spec::load(spec_path(name)).unwrap_or_else(|e| panic!("{e}"));
    let problems = invalid_examples(&spec);
    assert!(
        problems.is_empty(),
        "{name}: {} invalid examples:\n{}",
        problems.len(),
        problems.join("\n")
    );

    let mut ids = HashSet::new();
    for op in spec.operations() {
        let name = op.display_name();
        let id = op
            .operation_id
            .unwrap_or_else(|| panic!("{name}: no operationId"));
        assert!(ids.insert(id), "operationId {id} is used twice");
        for key in ["summary", "description", "x-source", "responses"] {
            assert!(op.value.get(key).is_some(), "{id}: no {key}");
        }
    }
    spec.examples().map(|e| e.len()).unwrap_or_default()
}

#[test]
fn evs_spec_examples_are_valid() {
    assert!(check_file("evs.yaml") > 0, "evs.yaml has no examples");
}

#[test]
fn ims_spec_examples_are_valid() {
    assert!(check_file("ims.yaml") > 0, "ims.yaml has no examples");
}

/// The check above must be able to fail: an example that breaks its schema is reported
/// with the operation and the place in the example.
#[test]
fn an_invalid_example_is_reported() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v:
    post:
      operationId: make
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            examples:
              good: {value: {size: 10, name: null}}
              bad: {value: {size: "ten", name: "x"}}
      responses:
        "202": {description: ok}
components:
  schemas:
    Thing:
      type: object
      required: [size]
      properties:
        size: {type: integer, minimum: 1}
        name: {type: string, nullable: true, maxLength: 3}
"##;
    let spec = Spec::parse(text, "fixture").unwrap_or_else(|e| panic!("{e}"));
    let problems = invalid_examples(&spec);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("make request example `bad`"),
        "{}",
        problems[0]
    );
    assert!(problems[0].contains("/size"), "{}", problems[0]);
}
