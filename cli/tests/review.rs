//! `specwright review` on the command line: exit codes, rule selection, formats.

/// The command line: exit codes, rule selection, formats.
#[test]
fn the_command_exits_1_on_errors_2_on_unreadable_specs_and_0_otherwise() {
    let dir = format!("{}/../review/tests/cases", env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_specwright"))
            .arg("review")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
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
