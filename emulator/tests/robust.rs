//! Arbitrary requests — any method, paths of the spec with any values in them and random
//! ones, any query string, any body — never get a 5xx or bring the emulator down, in the
//! debug build `cargo test` uses (so an overflow would panic).

use evs_ims_emulator::{Config, Emulator};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunConfig, TestCaseError, TestRunner};

/// Path templates of both specs, `{x}` where a value goes.
fn templates() -> Vec<String> {
    let mut out = Vec::new();
    for spec in [
        include_str!("../../spec/evs.yaml"),
        include_str!("../../spec/ims.yaml"),
    ] {
        let doc: serde_json::Value = serde_yaml::from_str(spec).unwrap_or_else(|e| panic!("{e}"));
        if let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) {
            out.extend(paths.keys().cloned());
        }
    }
    out
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        Just(String::new()),
        Just("18446744073709551616".to_string()),
        Just("-9223372036854775809".to_string()),
        Just("emulator-project".to_string()),
        "[0-9]{1,25}",
        "[a-z_]{1,12}",
    ]
}

#[test]
fn arbitrary_requests_get_no_server_error() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let emulator = runtime
        .block_on(Emulator::start(Config::default()))
        .unwrap_or_else(|e| panic!("{e}"));
    let base = emulator.base_url().to_string();
    let http = reqwest::Client::new();
    let templates = templates();
    let names = [
        "limit", "offset", "marker", "sort_key", "sort_dir", "metadata", "usage", "name", "status",
    ];
    let strategy = (
        proptest::sample::select(templates),
        proptest::collection::vec(text(), 3),
        proptest::collection::vec(
            (
                prop_oneof![
                    proptest::sample::select(names.to_vec()).prop_map(String::from),
                    text()
                ],
                text(),
            ),
            0..4,
        ),
        proptest::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
        prop_oneof![
            Just(Vec::new()),
            any::<Vec<u8>>(),
            Just(b"{\"volume\": {\"size\": 18446744073709551616}}".to_vec())
        ],
    );
    let mut runner = TestRunner::new(RunConfig {
        cases: 400,
        failure_persistence: None,
        ..RunConfig::default()
    });
    let result = runner.run(&strategy, |(template, values, query, method, body)| {
        let mut path = String::new();
        let mut values = values.iter().cycle();
        for segment in template.split('/').filter(|s| !s.is_empty()) {
            path.push('/');
            if segment.starts_with('{') {
                let v = values.next().map(String::as_str).unwrap_or("x");
                path.push_str(&utf8_percent_encode(v, NON_ALPHANUMERIC).to_string());
            } else {
                path.push_str(segment);
            }
        }
        let query: Vec<String> = query
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(k, NON_ALPHANUMERIC),
                    utf8_percent_encode(v, NON_ALPHANUMERIC)
                )
            })
            .collect();
        let url = format!("{base}{path}?{}", query.join("&"));
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let request = http
            .request(method, &url)
            .header("X-Auth-Token", "emulator-token")
            .header("Content-Type", "application/json")
            .body(body.clone());
        let status = runtime
            .block_on(request.send())
            .map_err(|e| TestCaseError::fail(format!("{url}: no answer: {e}")))?
            .status();
        prop_assert!(status.as_u16() < 500, "{url}: {status}");
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
