//! Against a server that attacks its client (a redirect to another origin, a body larger
//! than `--max-body`, the credential echoed back with control characters), the suite
//! follows no redirect, reads no body past its bound, and prints and writes no secret and
//! no raw control character.

use std::time::Duration;

use evs_ims_contract::{Check, Settings, Suite, Target};
use evs_ims_runtime::Auth;

mod support;

const TOKEN: &str = "hostile-test-token-1f3a";

fn get(url: &str) -> serde_json::Value {
    let url = url.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        rt.block_on(async {
            reqwest::get(url)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .json()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        })
    })
    .join()
    .unwrap_or_else(|_| panic!("the request thread panicked"))
}

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
        ],
        max_body: 1 << 20,
        ..Settings::default()
    };
    let report = Suite::new(target, settings)
        .unwrap_or_else(|e| panic!("{e}"))
        .run(&|_, _, _| {});
    let summary = report.summary();

    let elsewhere = get(&format!("{}/__elsewhere", server.base_url));
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
    assert!(!report.passed());
}
