//! A bad target is one clear verdict, not thousands of failures: a base URL without a
//! scheme, a closed port and refused credentials end the run before its first case with
//! exit code 3; a server that dies mid-run ends it with that verdict and the requests sent
//! last; SIGTERM cleans up and writes the reports, as Ctrl-C does.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use evs_ims_contract::{Settings, Suite, Target};
use specwright_runtime::Auth;

mod support;

fn contract_tests(args: &[&str], token: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_contract-tests"))
        .args(args)
        .env("OS_TOKEN", token)
        .env_remove("OS_ACCESS_KEY")
        .env_remove("OS_PROJECT_ID")
        .output()
        .unwrap_or_else(|e| panic!("contract-tests: {e}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_unusable_target_is_one_message_and_exit_3() {
    let out = contract_tests(&["--base-url", "127.0.0.1:8099", "--project-id", "p"], "t");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("did you mean http://127.0.0.1:8099"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "no report for a run that never started");

    // Port 9 (discard) is closed here.
    let out = contract_tests(&["--base-url", "http://127.0.0.1:9", "--project-id", "p"], "t");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no answer from GET http://127.0.0.1:9/"),
        "{}",
        stderr(&out)
    );

    // The emulator with a token it never issued.
    let rt = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    let emulator = rt
        .block_on(evs_ims_emulator::Emulator::start(
            evs_ims_emulator::Config::default(),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let base = emulator.base_url().to_string();
    let out = contract_tests(
        &["--base-url", &base, "--project-id", "emulator-project"],
        "wrong-token",
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the credentials were refused"),
        "{}",
        stderr(&out)
    );
    rt.block_on(emulator.stop());
}

/// The suite, read-only, on three operations of `hostile_server.py` started with `args`.
fn on_hostile_server(args: &[&str], seed: u64) -> evs_ims_contract::Report {
    let script = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile_server.py"));
    let server = support::PythonServer::start(script, args);
    let mut target = Target::new(server.base_url.clone(), "p1", Auth::token("a-token-value"));
    target.timeout = Duration::from_secs(5);
    let settings = Settings {
        seed,
        max_cases: 200,
        operations: vec![
            "listVolumesDetail".into(),
            "showVolume".into(),
            "listSnapshots".into(),
        ],
        ..Settings::default()
    };
    Suite::new(target, settings)
        .unwrap_or_else(|e| panic!("{e}"))
        .run(&|_, _, _| {})
}

#[test]
fn a_server_that_dies_mid_run_ends_it_with_that_verdict() {
    let started = std::time::Instant::now();
    let report = on_hostile_server(&["--die-after", "40"], 5);
    let why = report.incomplete.clone().unwrap_or_default();
    assert!(
        why.contains("the server stopped answering"),
        "{}",
        report.summary()
    );
    assert!(why.contains("GET /v2/p1/"), "the last requests are named: {why}");
    assert!(!report.passed());
    assert!(
        report.requests < 60,
        "nothing more is sent once it is gone: {} requests",
        report.requests
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn credentials_that_stop_working_end_the_run_with_that_verdict() {
    let report = on_hostile_server(&["--revoke-after", "30"], 6);
    let why = report.incomplete.clone().unwrap_or_default();
    assert!(
        why.contains("the credentials stopped working"),
        "{}",
        report.summary()
    );
    assert!(
        report.requests < 120,
        "it stopped sending: {} requests",
        report.requests
    );
}

#[cfg(unix)]
#[test]
fn sigterm_cleans_up_and_reports_like_ctrl_c() {
    let json = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sigterm.json");
    let _ = std::fs::remove_file(&json);
    let mut child = Command::new(env!("CARGO_BIN_EXE_contract-tests"))
        .args(["--max-cases", "3000", "--seed", "9", "--json"])
        .arg(&json)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_secs(2));
    // The shell's own `kill`: no package needed.
    let killed = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(killed.success());
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.code(), Some(143));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_else(|e| panic!("no report: {e}")))
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report["incomplete"]
            .as_str()
            .is_some_and(|w| w.contains("interrupted")),
        "{}",
        report["incomplete"]
    );
    assert_eq!(
        report["leftovers"],
        serde_json::json!([]),
        "everything it made is deleted"
    );
}

/// A spec that means something other than it says is refused before any request, with
/// exit 2 and what `specwright review` calls unusable (the same rules, one list).
#[test]
fn a_spec_review_calls_unusable_is_refused_before_any_request() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("unusable-spec");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let spec = dir.join("bad.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: Bad, version: '1'}\npaths:\n  /books/{book_id}:\n    get:\n      operationId: getBook\n      parameters:\n        - {name: bookId, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: OK, content: {application/json: {schema: {type: strin}}}}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Port 9 (discard) is closed: a run that got as far as the target would end with 3.
    let spec = spec.display().to_string();
    let out = contract_tests(&["--spec", &spec, "--base-url", "http://127.0.0.1:9"], "t");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("[path-parameter-mismatch]") && err.contains("[unknown-type]"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no report for a run that never started");
}
