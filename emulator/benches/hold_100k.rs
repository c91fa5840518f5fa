//! How much memory the emulator needs to hold 100 000 volumes, and how fast it creates them.
//!
//! `cargo bench -p emulator --bench hold_100k` (set `VOLUMES` for another count). Creates the
//! volumes over HTTP from 16 concurrent clients in this process, then reads the process's
//! peak resident set (VmHWM) from `/proc/self/status`. The design's target is < 500 MiB
//! peak RSS for 100k volumes; there is no peer to measure against, so the number stands
//! alone, next to the RSS of the same process with the emulator idle.

use std::time::Instant;

use evs_ims_emulator::{Config, Emulator, Quota};
use serde_json::json;

const CLIENTS: usize = 16;

fn rss_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a (no /proc)".into(), |k| {
        format!("{:.1} MiB", k as f64 / 1024.0)
    })
}

fn main() {
    let volumes: usize = std::env::var("VOLUMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("no tokio runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run(volumes)) {
        eprintln!("hold_100k: {e}");
        std::process::exit(1);
    }
}

async fn run(volumes: usize) -> Result<(), String> {
    let config = Config {
        quota: Quota {
            volumes: volumes as i64 + 1,
            gigabytes: volumes as i64 * 10,
            ..Quota::default()
        },
        ..Config::default()
    };
    let tenant = config.tenants[0].clone();
    let emulator = Emulator::start(config).await.map_err(|e| e.to_string())?;
    let url = format!("{}/v2/{}/volumes", emulator.base_url(), tenant.project_id);
    let http = reqwest::Client::new();
    // Warm the client and the server's spec validation before the baseline.
    create(&http, &url, &tenant.token, 0).await?;
    let idle = rss_kib("VmRSS:");

    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..CLIENTS {
        let (http, url, token) = (http.clone(), url.clone(), tenant.token.clone());
        workers.spawn(async move {
            for i in (w..volumes.saturating_sub(1)).step_by(CLIENTS) {
                create(&http, &url, &token, i + 1).await?;
            }
            Ok::<(), String>(())
        });
    }
    while let Some(done) = workers.join_next().await {
        done.map_err(|e| e.to_string())??;
    }
    let elapsed = started.elapsed();
    let peak = rss_kib("VmHWM:");

    println!("emulator holding {volumes} volumes (created over HTTP by {CLIENTS} clients in this process)");
    println!(
        "  created in {:.2} s: {:.0} creates/s",
        elapsed.as_secs_f64(),
        volumes as f64 / elapsed.as_secs_f64()
    );
    println!("  RSS with the emulator idle: {}", mib(idle));
    println!("  peak RSS holding them:      {} (target < 500 MiB)", mib(peak));
    if let (Some(idle), Some(peak)) = (idle, peak) {
        println!(
            "  per volume: {:.2} KiB above idle",
            (peak.saturating_sub(idle)) as f64 / volumes as f64
        );
    }
    Ok(())
}

async fn create(http: &reqwest::Client, url: &str, token: &str, i: usize) -> Result<(), String> {
    let body = json!({"volume": {"size": 1, "name": format!("bench-{i}"), "metadata": {"n": i.to_string()}}});
    let response = http
        .post(url)
        .header("X-Auth-Token", token)
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status().as_u16() != 202 {
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        return Err(format!("volume {i}: {status}: {text}"));
    }
    Ok(())
}
