//! The inputs the generator takes besides OpenAPI 3.0: 3.1 and Swagger 2.0 are converted
//! on load, so each pair under `tests/inputs` (the same API said in 3.1 or 2.0, and in 3.0)
//! must give the same client, through `generate`'s path (`Builder`) and the library's.

use std::path::{Path, PathBuf};

use specwright_codegen::{Builder, Severity, load_str};

fn input(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/inputs")
        .join(name)
}

fn source_and_notes(name: &str) -> (String, Vec<specwright_codegen::Diagnostic>) {
    let rendered = Builder::new(input(name))
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    (rendered.source, rendered.notes)
}

#[test]
fn openapi_3_1_gives_the_client_3_0_gives() {
    let (from_31, notes) = source_and_notes("things_31.yaml");
    let (from_30, notes_30) = source_and_notes("things_30.yaml");
    assert_eq!(from_31, from_30);
    assert!(notes_30.is_empty(), "{notes_30:?}");
    // What was converted, and what had no 3.0 form, are notes at their pointers.
    assert!(notes.iter().all(|n| n.severity == Severity::Note));
    assert!(
        notes[0].pointer == "/openapi" && notes[0].message.contains("OpenAPI 3.1.0 read as OpenAPI 3.0.3")
    );
    for at in [
        "/webhooks",
        "/components/pathItems",
        "/components/schemas/Thing/$defs/Dims",
    ] {
        assert!(
            notes.iter().any(|n| n.pointer == at),
            "no note at {at}: {notes:#?}"
        );
    }
}

#[test]
fn swagger_2_0_gives_the_client_3_0_gives() {
    let (from_20, notes) = source_and_notes("shop_20.yaml");
    let (from_30, _) = source_and_notes("shop_30.yaml");
    assert_eq!(from_20, from_30);
    assert_eq!(notes[0].pointer, "/swagger");
    assert!(notes[0].message.contains("Swagger 2.0 read as OpenAPI 3.0.3"));
}

#[test]
fn generate_file_reads_3_1_and_2_0() {
    for name in ["things_31.yaml", "shop_20.yaml"] {
        specwright_codegen::generate_file(input(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn versions_it_does_not_read_are_refused_with_a_pointer() {
    for (text, at) in [
        ("swagger: '1.2'\ninfo: {}\n", "/swagger"),
        ("openapi: 4.0.0\ninfo: {}\n", "/openapi"),
        ("info: {title: t}\n", "/openapi"),
    ] {
        let e = load_str(text, "t.yaml").expect_err("refused");
        assert_eq!(e.diagnostics()[0].pointer, at, "{e}");
    }
    // `swagger: 2.0` unquoted is a number in YAML, and still 2.0.
    let loaded = load_str(
        "swagger: 2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "t.yaml",
    )
    .expect("read as 2.0");
    assert_eq!(loaded.raw["openapi"], "3.0.3");
}

#[test]
fn a_converted_document_that_is_still_wrong_is_refused_with_the_conversion_notes() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {get: {responses: {'200': {description: 3}}}}\n";
    let e = load_str(text, "t.yaml").expect_err("refused");
    let d = e.diagnostics();
    assert!(d[0].is_error() && d[0].pointer.starts_with("/paths/~1a"), "{e}");
    assert!(d.iter().any(|n| n.pointer == "/openapi" && !n.is_error()), "{e}");
}
