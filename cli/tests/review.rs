//! `specwright review` on the command line: exit codes, rule selection, formats.

/// `specwright review ARGS` run in `review/tests/<dir>`: its exit code and standard output.
fn review_in(dir: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_specwright"))
        .arg("review")
        .args(args)
        .current_dir(format!("{}/../review/tests/{dir}", env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The command line: exit codes, rule selection, formats.
#[test]
fn the_command_exits_1_on_errors_2_on_unreadable_specs_and_0_otherwise() {
    let run = |args: &[&str]| review_in("cases", args);
    let (code, text) = run(&["duplicate-parameter.yaml"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("error[duplicate-parameter] duplicate-parameter.yaml:11:7 /paths/"),
        "{text}"
    );
    let (code, text) = run(&["duplicate-parameter.yaml", "--skip-rules", "duplicate-parameter"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("duplicate-parameter]"), "{text}");
    let (code, text) = run(&[
        "no-example.yaml",
        "--rules",
        "no-example,no-error-response",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(json[0]["findings"][0]["rule"], "no-example");
    let (code, _) = run(&["missing.yaml"]);
    assert_eq!(code, Some(2));
    let (code, _) = run(&["--rules", "no-such-rule", "no-example.yaml"]);
    assert_eq!(code, Some(2));
    let (code, text) = run(&["--list-rules"]);
    assert_eq!(code, Some(0));
    assert_eq!(text.lines().count(), specwright_review::RULES.len());
    // --fail-severity: warnings and notes fail only when asked to.
    let (code, text) = run(&["ref-siblings.yaml", "--rules", "ref-siblings"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, _) = run(&[
        "ref-siblings.yaml",
        "--rules",
        "ref-siblings",
        "--fail-severity",
        "warning",
    ]);
    assert_eq!(code, Some(1));
    let (code, _) = run(&[
        "no-example.yaml",
        "--rules",
        "no-example",
        "--fail-severity",
        "warning",
    ]);
    assert_eq!(code, Some(0));
    let (code, _) = run(&[
        "no-example.yaml",
        "--rules",
        "no-example",
        "--fail-severity",
        "note",
    ]);
    assert_eq!(code, Some(1));
    let (code, _) = run(&["no-example.yaml", "--fail-severity", "fatal"]);
    assert_eq!(code, Some(2), "clap refuses an unknown severity");
    let (code, text) = run(&["example-schema.yaml", "--format", "sarif"]);
    assert_eq!(code, Some(1));
    let sarif: serde_json::Value = serde_json::from_str(&text).expect("sarif");
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "error");
}

/// A project's own rules from a ruleset file: reported, listed, selected, accepted in place,
/// and described in SARIF; JSON carries line and column.
#[test]
fn a_ruleset_adds_rules_of_the_project_s_own() {
    let dir = format!("{}/../review/tests", env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_specwright"))
            .arg("review")
            .args(["--ruleset", "rulesets/house-style.yaml"])
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = run(&[
        "cases/house-style.yaml",
        "--rules",
        "operation-summary-capitalised,operation-id-camel",
    ]);
    assert_eq!(code, Some(1), "operation-id-camel is an error:\n{text}");
    assert!(
        text.contains("error[operation-id-camel] cases/house-style.yaml:6:7 /paths/~1books/get/operationId"),
        "{text}"
    );
    assert!(
        text.contains(
            "warning[operation-summary-capitalised] cases/house-style.yaml:7:7 /paths/~1books/get/summary"
        ),
        "{text}"
    );
    // `x-review-accept` on the post accepts its summary.
    assert!(!text.contains("/paths/~1books/post/summary"), "{text}");
    let (_, json) = run(&[
        "cases/house-style.yaml",
        "--rules",
        "operation-id-camel",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let finding = &json[0]["findings"][0];
    assert_eq!(
        (
            finding["rule"].as_str(),
            finding["line"].as_u64(),
            finding["column"].as_u64()
        ),
        (Some("operation-id-camel"), Some(6), Some(7))
    );
    let (_, sarif) = run(&[
        "cases/house-style.yaml",
        "--rules",
        "operation-id-camel",
        "--format",
        "sarif",
    ]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("sarif");
    let index = sarif["runs"][0]["results"][0]["ruleIndex"]
        .as_u64()
        .expect("a rule index") as usize;
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][index]["id"],
        "operation-id-camel"
    );
    let (code, list) = run(&["--list-rules"]);
    assert_eq!(code, Some(0));
    assert!(
        list.contains("operation-summary-capitalised") && list.contains("oas-schema"),
        "{list}"
    );
}

#[test]
fn a_broken_ruleset_is_refused_with_its_pointer() {
    let dir = std::env::temp_dir().join(format!("ruleset-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    std::fs::write(
        dir.join("bad.yaml"),
        "rules:\n  r: {given: '$', then: {function: lint-all-the-things}}\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args(["review", "--ruleset", "bad.yaml", "x.yaml"])
        .current_dir(&dir)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("/rules/r/then/function") && stderr.contains("lint-all-the-things"),
        "{stderr}"
    );
}
