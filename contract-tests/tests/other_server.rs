//! Against a server that is not the emulator and breaks the spec in ways the suite was
//! never shown, the suite names each violation and prints a working reproduction.

use std::time::Duration;

use evs_ims_contract::{Check, Settings, Suite, Target};
use specwright_runtime::Auth;

mod support;

#[test]
fn violations_of_an_unknown_server_are_reported_with_reproductions() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/broken_server.py");
    let server = support::PythonServer::start(std::path::Path::new(script), &[]);
    let base_url = server.base_url.clone();
    let mut target = Target::new(base_url.clone(), "p1", Auth::token("secret-token-value"));
    target.timeout = Duration::from_secs(5);
    let settings = Settings {
        seed: 7,
        max_cases: 4,
        operations: vec![
            "listVolumes".into(),
            "listVolumeTypes".into(),
            "listVolumesDetail".into(),
            "createVolume".into(),
        ],
        allow_mutations: true,
        settle: Duration::from_millis(200),
        ..Settings::default()
    };
    let report = Suite::new(target, settings)
        .unwrap_or_else(|e| panic!("{e}"))
        .run(&|_, _, _| {});
    let found = |op: &str, check: Check| {
        report
            .failures
            .iter()
            .find(|f| f.case.operation == op && f.check == check)
    };
    let summary = report.summary();
    for (op, check) in [
        ("listVolumes", Check::ResponseSchema),
        ("listVolumeTypes", Check::ContentType),
        ("listVolumesDetail", Check::NoServerError),
        ("createVolume", Check::StatusDocumented),
    ] {
        let failure =
            found(op, check).unwrap_or_else(|| panic!("{op} / {} not reported:\n{summary}", check.name()));
        assert!(
            failure
                .curl
                .starts_with(&format!("curl -i -X {} '{base_url}", failure.case.request.method)),
            "{}",
            failure.curl
        );
    }
    assert!(!report.passed());
    assert!(
        !summary.contains("secret-token-value"),
        "the token leaked into the report"
    );
    // The reproduction really reproduces: replaying the 500 gets a 500.
    let detail = found("listVolumesDetail", Check::NoServerError)
        .map(|f| f.case.request.url(&base_url))
        .unwrap_or_default();
    let (status, _) = support::get(&detail);
    assert_eq!(status, 500);
}
