//! What the generated client costs over the call a user would write by hand: the same
//! `GET /v2/{project}/volumes/{id}` against the same server, once through
//! `evs_ims::evs::Client::show_volume` (typed body, retries and tracing on) and once with
//! reqwest and `serde_json::Value` (and, for reference, reqwest decoding the same typed
//! body), alternating call by call so that all see the same machine. The ratio is of the
//! medians, generated over hand-written `Value`.

use std::time::Instant;

use evs_ims::evs;
use serde_json::{Value, json};
use specwright_runtime::{Auth, Transport};

const PROJECT: &str = "bench-project";
const VOLUME: &str = "9f5e0a3c-6c1b-4d8e-9a57-7d2a0f4b6e11";
const TOKEN: &str = "bench-token";

pub async fn run(url: &str, calls: usize) -> Result<Value, String> {
    let transport = Transport::builder(url)
        .auth(Auth::token(TOKEN))
        .build()
        .map_err(|e| e.to_string())?;
    let generated = evs::Client::new(transport, PROJECT);
    // The hand-written call's client is configured as the generated client's is by default
    // (a whole-request and a connect timeout): the ratio is of what the generated client adds
    // over reqwest, not of reqwest's timer (about 20 µs a call on this machine).
    let http = reqwest::Client::builder()
        .timeout(specwright_runtime::DEFAULT_TIMEOUT)
        .connect_timeout(specwright_runtime::DEFAULT_CONNECT_TIMEOUT)
        .build()
        .map_err(|e| e.to_string())?;
    let by_hand_url = format!("{}/v2/{PROJECT}/volumes/{VOLUME}", url.trim_end_matches('/'));

    let mut ours = Vec::with_capacity(calls);
    let mut theirs = Vec::with_capacity(calls);
    let mut typed_by_hand = Vec::with_capacity(calls);
    // The first calls open connections and warm caches; they are not counted.
    for i in 0..calls + 50 {
        let t = Instant::now();
        let volume = generated.show_volume(VOLUME).await.map_err(|e| e.to_string())?;
        let a = t.elapsed().as_secs_f64();
        std::hint::black_box(&volume.body);

        let b = by_hand::<Value>(&http, &by_hand_url).await?;
        let c = by_hand::<evs::types::VolumeBody>(&http, &by_hand_url).await?;
        if i >= 50 {
            ours.push(a * 1e6);
            theirs.push(b * 1e6);
            typed_by_hand.push(c * 1e6);
        }
    }
    let ours = crate::spread(&mut ours);
    let theirs = crate::spread(&mut theirs);
    let typed_by_hand = crate::spread(&mut typed_by_hand);
    let ratio = ours["median"].as_f64().unwrap_or(f64::NAN) / theirs["median"].as_f64().unwrap_or(f64::NAN);
    Ok(json!({
        "calls": calls,
        "generated_us": ours,
        "hand_written_us": theirs,
        "hand_written_typed_us": typed_by_hand,
        "ratio": ratio,
    }))
}

/// One hand-written call, its body decoded as `T`; its time in seconds.
async fn by_hand<T: specwright_runtime::serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
) -> Result<f64, String> {
    let t = Instant::now();
    let body: T = http
        .get(url)
        .header("X-Auth-Token", TOKEN)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let elapsed = t.elapsed().as_secs_f64();
    std::hint::black_box(&body);
    Ok(elapsed)
}
