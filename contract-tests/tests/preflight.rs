//! The preflight's one documented read is not one operation's policy: a 403 from a read the
//! server does not expose (Airflow's `GET /config`) leads to the next read, and only a 401,
//! or a 403 from every read tried, calls the credentials refused.

use std::time::Duration;

use evs_ims_contract::{Settings, Suite, Target};
use specwright_oracle::Spec;
use specwright_runtime::Auth;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: policy, version: "1"}
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
paths:
  /config:
    get:
      responses:
        "200": {description: the configuration}
        "403": {description: not exposed}
  /pools/all:
    get:
      responses:
        "200": {description: the pools}
        "401": {description: no credential}
"#;

/// Answers each GET by its path from `answers`; 404 for anything else.
async fn serve(answers: &'static [(&'static str, &'static str)]) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = stream.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let status = answers
                    .iter()
                    .find(|(p, _)| *p == path)
                    .map_or("404 Not Found", |(_, s)| s);
                let reply = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
                );
                let _ = stream.write_all(reply.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}

fn preflight(base: String) -> Result<(), String> {
    let spec = Spec::parse(SPEC, "policy.yaml").unwrap_or_else(|e| panic!("{e}"));
    let mut target = Target::new(base, "", Auth::None);
    target.headers = vec![("X-Key".into(), "k".into())];
    target.timeout = Duration::from_secs(5);
    let suite = Suite::with_specs(vec![spec], target, Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    suite.preflight()
}

#[test]
fn a_read_refused_by_policy_leads_to_the_next() {
    let rt = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    let base = rt.block_on(serve(&[("/config", "403 Forbidden"), ("/pools/all", "200 OK")]));
    assert_eq!(preflight(base), Ok(()));

    let base = rt.block_on(serve(&[
        ("/config", "403 Forbidden"),
        ("/pools/all", "403 Forbidden"),
    ]));
    let refused = preflight(base).expect_err("every read refused");
    assert!(refused.contains("the credentials were refused"), "{refused}");

    let base = rt.block_on(serve(&[
        ("/config", "401 Unauthorized"),
        ("/pools/all", "200 OK"),
    ]));
    let refused = preflight(base).expect_err("a 401 refuses the credential");
    assert!(refused.contains("answered 401"), "{refused}");
}
