//! Against a server that attacks its client (a redirect to another origin, a body larger
//! than `--max-body`, the credential echoed back with control characters), the suite
//! follows no redirect, reads no body past its bound, and prints and writes no secret and
//! no raw control character.

use std::time::Duration;

use evs_ims_contract::{Check, Settings, Suite, Target};
use specwright_runtime::Auth;

mod support;

const TOKEN: &str = "hostile-test-token-1f3a";

#[test]
fn a_hostile_server_gets_verdicts_and_no_secret() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile_server.py");
    let server = support::PythonServer::start(std::path::Path::new(script), &[]);
    let mut target = Target::new(server.base_url.clone(), "p1", Auth::token(TOKEN));
    target.timeout = Duration::from_secs(10);
    let settings = Settings {
        seed: 3,
        max_cases: 3,
        operations: vec![
            "listVolumeTypes".into(),
            "listVolumes".into(),
            "listVolumesDetail".into(),
            "listAvailabilityZones".into(),
        ],
        max_body: 1 << 20,
        ..Settings::default()
    };
    let report = Suite::new(target, settings)
        .unwrap_or_else(|e| panic!("{e}"))
        .run(&|_, _, _| {});
    let summary = report.summary();

    let (_, seen) = support::get(&format!("{}/__elsewhere", server.base_url));
    let elsewhere: serde_json::Value = serde_json::from_str(&seen).unwrap_or_default();
    assert_eq!(
        elsewhere["requests"], 0,
        "a request followed the redirect to another origin: {elsewhere}"
    );
    let found = |op: &str, check: Check, text: &str| {
        report
            .failures
            .iter()
            .any(|f| f.case.operation == op && f.check == check && f.actual.contains(text))
    };
    assert!(
        found("listVolumeTypes", Check::StatusDocumented, "302"),
        "the redirect is judged as the answer it is:\n{summary}"
    );
    assert!(
        found("listVolumes", Check::NoServerError, "--max-body"),
        "a body past --max-body fails its case:\n{summary}"
    );
    assert!(
        found("listVolumesDetail", Check::PositiveAccepted, "[REDACTED]"),
        "the echoed token is reported redacted:\n{summary}"
    );

    let junit = report.to_junit();
    let json = serde_json::to_string(&report.to_json()).unwrap_or_default();
    let html = report.to_html();
    assert!(
        !html.contains("<html lang=\"en\"><head><meta charset=\"utf-8\"><script"),
        "no script"
    );
    assert!(
        !html.contains("<h1>Error response"),
        "server text is escaped, not markup"
    );
    assert!(html.contains("&lt;h1&gt;Error response"), "and shown as text");
    for (name, text) in [
        ("summary", &summary),
        ("JUnit", &junit),
        ("JSON", &json),
        ("HTML", &html),
    ] {
        assert!(!text.contains(TOKEN), "the token is in the {name}");
        let raw: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\t'))
            .collect();
        assert!(raw.is_empty(), "raw control characters {raw:?} in the {name}");
    }
    assert!(
        summary.contains("\\u{1b}"),
        "the escape shows as text:\n{summary}"
    );
    assert!(report.throttled > 0, "the 429s were waited out:\n{summary}");
    assert!(
        !report.failures.iter().any(|f| f.actual.starts_with("429")),
        "a 429 waited out is not judged:\n{summary}"
    );
    assert!(!report.passed());
}

/// A create the server accepts without saying what it made (no id, no link, no
/// `Location`) cannot be deleted again: the report says it was left behind, and fails.
#[test]
fn a_create_without_an_id_is_reported_left_behind() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile_server.py");
    let server = support::PythonServer::start(std::path::Path::new(script), &[]);
    let mut target = Target::new(server.base_url.clone(), "p1", Auth::token(TOKEN));
    target.timeout = Duration::from_secs(5);
    let settings = Settings {
        seed: 4,
        max_cases: 2,
        operations: vec!["createVolume".into()],
        allow_mutations: true,
        settle: Duration::from_millis(200),
        ..Settings::default()
    };
    let report = Suite::new(target, settings)
        .unwrap_or_else(|e| panic!("{e}"))
        .run(&|_, _, _| {});
    assert!(
        report
            .unfound
            .iter()
            .any(|u| u.starts_with("POST /v2/p1/volumes")),
        "{}",
        report.summary()
    );
    assert!(report.summary().contains("LEFT BEHIND, ID UNKNOWN"));
    assert!(!report.passed());
}
