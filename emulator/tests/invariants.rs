//! No request sequence corrupts state: random sequences of creates, extensions (to any size,
//! 2^63−1 included), actions, metadata, updates, snapshots and deletes, some sent as
//! concurrent pairs on the same volume, never get a 5xx or a dropped connection (a panic, in
//! the debug build `cargo test` uses), and after each step settles the quota ledger equals
//! what the project holds: as many volumes and gigabytes as its volumes not being deleted,
//! never more than the quota, never negative.

use std::time::Duration;

use evs_ims_emulator::{Config, Emulator, Quota};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunConfig, TestCaseError, TestRunner};
use serde_json::{Value, json};

/// One request, aimed at the `n`-th volume the case made (modulo how many there are).
#[derive(Clone, Debug)]
enum Step {
    Create(i64),
    Extend(usize, i64),
    Delete(usize),
    Action(usize, &'static str),
    Metadata(usize),
    Update(usize),
    Snapshot(usize),
    DeleteSnapshots,
    /// Two steps sent at once.
    Pair(Box<Step>, Box<Step>),
}

fn single() -> impl Strategy<Value = Step> {
    // Few volumes, so that steps meet on the same one.
    let volume = 0usize..3;
    prop_oneof![
        3 => prop_oneof![Just(1i64), 1i64..40, Just(32768), Just(32769)].prop_map(Step::Create),
        3 => (volume.clone(), prop_oneof![1i64..60, Just(32768), Just(i64::MAX), Just(-1)])
            .prop_map(|(v, n)| Step::Extend(v, n)),
        2 => volume.clone().prop_map(Step::Delete),
        2 => (
            volume.clone(),
            proptest::sample::select(vec![
                "os-reserve",
                "os-unreserve",
                "os-attach",
                "os-detach",
                "os-begin_detaching",
                "os-roll_detaching",
                "os-set_bootable",
                "os-update_readonly_flag",
                "os-volume_upload_image",
            ])
        )
            .prop_map(|(v, a)| Step::Action(v, a)),
        1 => volume.clone().prop_map(Step::Metadata),
        1 => volume.clone().prop_map(Step::Update),
        1 => volume.prop_map(Step::Snapshot),
        1 => Just(Step::DeleteSnapshots),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => single(),
        1 => (single(), single()).prop_map(|(a, b)| Step::Pair(Box::new(a), Box::new(b))),
    ]
}

struct Client {
    http: reqwest::Client,
    root: String,
}

impl Client {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value), String> {
        let url = format!("{}{path}", self.root);
        let mut request = self
            .http
            .request(method.clone(), &url)
            .header("X-Auth-Token", "emulator-token");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("{method} {url}: no answer: {e}"))?;
        let status = response.status().as_u16();
        let text = response
            .text()
            .await
            .map_err(|e| format!("{method} {url}: {e}"))?;
        if status >= 500 {
            return Err(format!("{method} {url}: {status} {text}"));
        }
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    async fn volumes(&self) -> Result<Vec<Value>, String> {
        let (_, body) = self.send(reqwest::Method::GET, "/volumes/detail", None).await?;
        Ok(body["volumes"].as_array().cloned().unwrap_or_default())
    }

    /// The status one (non-pair) step gets.
    async fn status_of(&self, step: &Step, ids: &[String]) -> Result<u16, String> {
        let (method, path, body) = self.request(step, ids);
        Ok(self.send(method, &path, body).await?.0)
    }

    fn request(&self, step: &Step, ids: &[String]) -> (reqwest::Method, String, Option<Value>) {
        use reqwest::Method;
        let id = |n: &usize| {
            ids.get(n % ids.len().max(1))
                .cloned()
                .unwrap_or_else(|| "none".into())
        };
        let action =
            |n: &usize, body: Value| (Method::POST, format!("/volumes/{}/action", id(n)), Some(body));
        match step {
            Step::Create(size) => (
                Method::POST,
                "/volumes".to_string(),
                Some(json!({"volume": {"size": size, "availability_zone": "az1.dc1"}})),
            ),
            Step::Extend(n, size) => action(n, json!({"os-extend": {"new_size": size}})),
            Step::Delete(n) => (Method::DELETE, format!("/volumes/{}", id(n)), None),
            Step::Action(n, name) => {
                let args = match *name {
                    "os-attach" => {
                        json!({"instance_uuid": "5b1e5a5e-7c4e-4e55-9c8f-2f5e4b3c1a10", "mountpoint": "/dev/vdb"})
                    }
                    "os-set_bootable" => json!({"bootable": true}),
                    "os-update_readonly_flag" => json!({"readonly": true}),
                    "os-volume_upload_image" => json!({"image_name": "inv", "force": true}),
                    _ => json!({}),
                };
                action(n, json!({ *name: args }))
            }
            Step::Metadata(n) => (
                Method::POST,
                format!("/volumes/{}/metadata", id(n)),
                Some(json!({"metadata": {"k": "v"}})),
            ),
            Step::Update(n) => (
                Method::PUT,
                format!("/volumes/{}", id(n)),
                Some(json!({"volume": {"name": "renamed"}})),
            ),
            Step::Snapshot(n) => (
                Method::POST,
                "/snapshots".to_string(),
                Some(json!({"snapshot": {"volume_id": id(n), "force": true}})),
            ),
            Step::DeleteSnapshots | Step::Pair(..) => (Method::GET, "/volumes".to_string(), None),
        }
    }

    async fn run(&self, step: &Step, ids: &[String]) -> Result<Option<String>, String> {
        use reqwest::Method;
        match step {
            Step::DeleteSnapshots => {
                let (_, body) = self.send(Method::GET, "/snapshots", None).await?;
                for s in body["snapshots"].as_array().cloned().unwrap_or_default() {
                    let sid = s["id"].as_str().unwrap_or_default();
                    self.send(Method::DELETE, &format!("/snapshots/{sid}"), None)
                        .await?;
                }
                return Ok(None);
            }
            Step::Pair(a, b) => {
                let (x, y) = tokio::join!(Box::pin(self.run(a, ids)), Box::pin(self.run(b, ids)));
                return Ok(x?.or(y?));
            }
            _ => {}
        }
        let (method, path, body) = self.request(step, ids);
        let (status, body) = self.send(method, &path, body).await?;
        Ok((status == 202 && matches!(step, Step::Create(_)))
            .then(|| body["volume"]["id"].as_str().map(str::to_string))
            .flatten())
    }

    /// The ledger against the volumes, once nothing is moving.
    async fn check(&self, quota: &Quota) -> Result<(), String> {
        let (_, body) = self
            .send(
                reqwest::Method::GET,
                "/os-quota-sets/emulator-project?usage=True",
                None,
            )
            .await?;
        let set = &body["quota_set"];
        let (count, gigabytes) = (
            set["volumes"]["in_use"].as_i64().unwrap_or(-1),
            set["gigabytes"]["in_use"].as_i64().unwrap_or(-1),
        );
        let held: Vec<Value> = self
            .volumes()
            .await?
            .into_iter()
            .filter(|v| v["status"] != "deleting")
            .collect();
        let size: i64 = held.iter().map(|v| v["size"].as_i64().unwrap_or(0)).sum();
        let ledger = (count, gigabytes);
        if ledger != (held.len() as i64, size) {
            return Err(format!(
                "quota in use {ledger:?}, but the project holds {} volumes of {size} GB: {held:?}",
                held.len()
            ));
        }
        if count < 0 || gigabytes < 0 || count > quota.volumes || gigabytes > quota.gigabytes {
            return Err(format!("quota in use {ledger:?} outside 0..={quota:?}"));
        }
        Ok(())
    }
}

#[test]
fn no_request_sequence_corrupts_the_quota_ledger() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let transition = Duration::from_millis(15);
    let quota = Quota {
        volumes: 5,
        gigabytes: 120,
        ..Quota::default()
    };
    let mut runner = TestRunner::new(RunConfig {
        cases: 40,
        failure_persistence: None,
        ..RunConfig::default()
    });
    // Each step either waits for every transition to end and checks the ledger, or is
    // followed at once by the next (which then meets `deleting`, `extending`...).
    let result = runner.run(
        &proptest::collection::vec((step(), proptest::bool::weighted(0.3)), 1..16),
        |steps| {
            // A fresh emulator per case, so the shrunk sequence alone reproduces a failure.
            let config = Config {
                transition,
                quota,
                ..Config::default()
            };
            let emulator = runtime
                .block_on(Emulator::start(config))
                .unwrap_or_else(|e| panic!("{e}"));
            let client = Client {
                http: reqwest::Client::new(),
                root: format!("{}/v2/emulator-project", emulator.base_url()),
            };
            let outcome = runtime.block_on(async {
                let mut ids = Vec::new();
                for (i, (step, settle)) in steps.iter().enumerate() {
                    ids.extend(client.run(step, &ids).await?);
                    if *settle || i + 1 == steps.len() {
                        // Every transition over: what was asked has happened, or was refused.
                        tokio::time::sleep(transition * 3).await;
                        client
                            .check(&quota)
                            .await
                            .map_err(|e| format!("after {step:?}: {e}"))?;
                    }
                }
                Ok::<(), String>(())
            });
            runtime.block_on(emulator.stop());
            outcome.map_err(TestCaseError::fail)
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Each change sent to a volume whose deletion has begun is refused with a 400, and the
/// ledger does not count the volume again.
#[test]
fn a_deleting_volume_takes_no_change() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let transition = Duration::from_millis(300);
    let quota = Quota::default();
    let emulator = runtime
        .block_on(Emulator::start(Config {
            transition,
            ..Config::default()
        }))
        .unwrap_or_else(|e| panic!("{e}"));
    let client = Client {
        http: reqwest::Client::new(),
        root: format!("{}/v2/emulator-project", emulator.base_url()),
    };
    let outcome = runtime.block_on(async {
        let id = client.run(&Step::Create(2), &[]).await?.ok_or("no volume made")?;
        let ids = [id.clone()];
        tokio::time::sleep(transition * 2).await;
        let (status, _) = client
            .send(reqwest::Method::DELETE, &format!("/volumes/{id}"), None)
            .await?;
        assert_eq!(status, 202);
        let changes = [
            Step::Extend(0, 10),
            Step::Action(0, "os-reserve"),
            Step::Action(0, "os-attach"),
            Step::Action(0, "os-set_bootable"),
            Step::Action(0, "os-update_readonly_flag"),
            Step::Action(0, "os-volume_upload_image"),
            Step::Metadata(0),
            Step::Update(0),
            Step::Snapshot(0),
        ];
        for change in &changes {
            let status = client.status_of(change, &ids).await?;
            assert_eq!(status, 400, "{change:?} on a deleting volume");
        }
        tokio::time::sleep(transition * 2).await;
        client.check(&quota).await
    });
    runtime.block_on(emulator.stop());
    outcome.unwrap_or_else(|e| panic!("{e}"));
}
