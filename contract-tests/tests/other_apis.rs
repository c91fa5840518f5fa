//! `contract-tests --spec` on public specs of other APIs, run as a user runs it: the
//! binary against a server for each spec (in `tests/apis/`), once correct, then once per
//! violation that server can plant. The correct server adds undocumented fields and labels
//! its JSON `application/json; charset=UTF-8`, neither of which may be flagged; every
//! planted violation must be named by the check that owns it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod support;

fn apis() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/apis")
}

fn plants(api: &str) -> Vec<String> {
    let out = Command::new("python3")
        .arg(apis().join(api).join("server.py"))
        .arg("--list-plants")
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed for this test: {e}"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Runs the suite on `api`'s server with `plant` (if any); the JSON report.
fn run(api: &str, plant: Option<&str>) -> Value {
    let args: Vec<&str> = plant.map(|p| vec!["--plant", p]).unwrap_or_default();
    let server = support::PythonServer::start(&apis().join(api).join("server.py"), &args);
    let json =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{api}-{}.json", plant.unwrap_or("correct")));
    let out = Command::new(env!("CARGO_BIN_EXE_contract-tests"))
        .arg("--spec")
        .arg(apis().join(api).join("openapi.yaml"))
        .args(["--base-url", &server.base_url])
        .args(["--allow-mutations", "--seed", "1", "--max-time", "120", "--json"])
        .arg(&json)
        .output()
        .unwrap_or_else(|e| panic!("contract-tests: {e}"));
    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| {
        panic!(
            "no report ({e}); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.success(),
        report["passed"] == Value::Bool(true),
        "the exit status must agree with the report"
    );
    report
}

fn found(report: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report["failures"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["operation"].as_str().unwrap_or("").to_string(),
                f["check"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.dedup();
    out
}

/// The correct server passes; each plant is caught by the check named for it.
fn every_plant_is_caught(api: &str, expected: &[(&str, &str, &str)]) {
    let clean = run(api, None);
    assert_eq!(found(&clean), [], "false alarm on the correct {api} server");
    assert!(clean["incomplete"].is_null(), "{}", clean["incomplete"]);
    let all = plants(api);
    let named: Vec<&str> = expected.iter().map(|(p, _, _)| *p).collect();
    assert_eq!(
        all, named,
        "every plant of the {api} server has an expectation here"
    );
    let mut missed = Vec::new();
    for (plant, operation, check) in expected {
        let report = run(api, Some(plant));
        let failures = found(&report);
        if !failures.iter().any(|(o, c)| o == operation && c == check) {
            missed.push(format!("{plant}: wanted {operation} / {check}, got {failures:?}"));
        }
    }
    assert!(missed.is_empty(), "{api}: missed\n{}", missed.join("\n"));
}

#[test]
fn swagger_petstore() {
    every_plant_is_caught(
        "petstore",
        &[
            ("missing-name", "listPets", "response-schema"),
            ("wrong-type", "showPetById", "response-schema"),
            ("limit-ignored", "listPets", "list-limit"),
            ("server-error", "listPets", "no-server-error"),
            ("text-plain", "listPets", "content-type"),
            ("bad-limit-accepted", "listPets", "negative-rejected"),
            ("error-body", "listPets", "response-schema"),
            (
                "no-allow",
                "PUT /pets/{petId} (not declared)",
                "method-not-allowed",
            ),
        ],
    );
}

#[test]
fn petstore_expanded() {
    every_plant_is_caught(
        "petstore-expanded",
        &[
            ("unstated-rule", "addPet", "positive-accepted"),
            ("tag-lost", "find pet by id", "lost-data"),
            ("deleted-still-found", "find pet by id", "use-after-delete"),
            ("tags-ignored", "findPets", "list-filter"),
            ("bad-id-crash", "find pet by id", "no-server-error"),
            ("missing-body-accepted", "addPet", "negative-rejected"),
            ("name-not-required", "addPet", "negative-rejected"),
            ("null-tag-accepted", "addPet", "negative-rejected"),
            ("delete-answers-pet", "deletePet", "response-schema"),
            ("no-allow", "PUT /pets/{id} (not declared)", "method-not-allowed"),
        ],
    );
}
