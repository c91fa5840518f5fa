// What every driver shares: building arguments from sample JSON, sending, replaying the
// request the client sent to read the answer as it came, and judging the call.

use std::sync::{Arc, Mutex};

use specwright_runtime as rt;
use rt::serde_json::{self, Value};

/// The request the client sent last, as the transport's hook saw it.
pub type Seen = Arc<Mutex<Option<rt::reqwest::Request>>>;

pub struct Ctx {
    pub http: rt::reqwest::Client,
    pub seen: Seen,
}

pub struct Record {
    pub verdict: &'static str,
    pub status: Option<u16>,
    pub detail: String,
}

impl Record {
    pub fn unbuildable(e: String) -> Record {
        Record { verdict: "unbuildable", status: None, detail: e }
    }
}

/// A sample argument: its JSON decoded into the type the method takes.
pub fn value<T: rt::serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text)
        .map_err(|e| format!("the sample {} does not decode into the argument's type: {e}", cut(text)))
}

pub fn cut(text: &str) -> String {
    let mut s: String = text.chars().take(400).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// The request again, as sent: Prism's static mock answers it as it answered the client.
async fn replay(ctx: &Ctx) -> Option<(u16, Option<String>, Vec<u8>)> {
    let request = ctx.seen.lock().ok()?.as_ref()?.try_clone()?;
    let response = ctx.http.execute(request).await.ok()?;
    let status = response.status().as_u16();
    let violations = response
        .headers()
        .get("sl-violations")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let body = response.bytes().await.ok()?;
    Some((status, violations, body.to_vec()))
}

/// Prism's problem document in a line: its title and each validation message.
fn problem(body: &[u8]) -> String {
    let Ok(doc) = serde_json::from_slice::<Value>(body) else {
        return cut(&String::from_utf8_lossy(body));
    };
    let mut out = doc.get("title").and_then(Value::as_str).unwrap_or("").to_string();
    if let Some(detail) = doc.get("detail").and_then(Value::as_str) {
        out.push_str(&format!(": {detail}"));
    }
    for v in doc.get("validation").and_then(Value::as_array).into_iter().flatten().take(6) {
        let at: Vec<String> = v
            .get("location")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| p.as_str().map(str::to_string).unwrap_or_else(|| p.to_string()))
            .collect();
        let message = v.get("message").and_then(Value::as_str).unwrap_or("");
        out.push_str(&format!("; {}: {message}", at.join(".")));
    }
    cut(&out)
}

/// Judges a call: its result, the answer replayed, and (for a decoded JSON body) whether
/// encoding it again keeps every value the schema declares.
pub async fn judge<T, E: std::fmt::Debug>(
    ctx: &Ctx,
    result: Result<rt::Response<T>, rt::Error<E>>,
    encode: impl Fn(&T) -> Option<Value>,
    shapes: &str,
) -> Record {
    let replayed = replay(ctx).await;
    let status = result
        .as_ref()
        .map(|r| Some(r.status.as_u16()))
        .unwrap_or_else(|e| e.status().map(|s| s.as_u16()));
    if let Some(s) = status.filter(|s| *s >= 400) {
        // Prism names what it refused in `sl-violations`; its body may be the spec's own
        // error example.
        let detail = match &replayed {
            Some((_, Some(violations), _)) => cut(violations),
            Some((_, None, body)) => problem(body),
            None => String::new(),
        };
        return Record { verdict: "rejected", status: Some(s), detail };
    }
    if let Some((_, Some(violations), _)) = &replayed {
        return Record { verdict: "rejected", status, detail: cut(violations) };
    }
    let response = match result {
        Ok(response) => response,
        Err(rt::Error::Decode { message, .. }) => {
            return Record { verdict: "decode", status, detail: cut(&message) };
        }
        Err(rt::Error::UnexpectedStatus(raw)) => {
            return Record { verdict: "unexpected", status, detail: raw.excerpt() };
        }
        Err(e @ (rt::Error::InvalidRequest(_) | rt::Error::Credential(_))) => {
            return Record { verdict: "client", status, detail: cut(&e.to_string()) };
        }
        Err(e) => return Record { verdict: "transport", status, detail: cut(&format!("{e}")) },
    };
    let Some(encoded) = encode(&response.body) else {
        return Record { verdict: "ok", status, detail: String::new() };
    };
    let Some((code, _, body)) = replayed else {
        return Record { verdict: "ok", status, detail: "(not replayed)".into() };
    };
    let Ok(raw) = serde_json::from_slice::<Value>(&body) else {
        return Record { verdict: "ok", status, detail: String::new() };
    };
    let shapes: Value = serde_json::from_str(shapes).unwrap_or(Value::Null);
    let code = code.to_string();
    let range = format!("{}XX", &code[..1]);
    let shape = [code.as_str(), range.as_str(), "default"]
        .iter()
        .find_map(|k| shapes.get(*k))
        .cloned()
        .unwrap_or(Value::Null);
    let mut lost = Vec::new();
    walk(&raw, Some(&encoded), &shape, "$", &mut lost);
    if lost.is_empty() {
        Record { verdict: "ok", status, detail: String::new() }
    } else {
        Record { verdict: "lost", status, detail: cut(&lost.join("; ")) }
    }
}

/// Where `encoded` lost or changed a value `raw` holds where `shape` declares it:
/// `{"k":"obj","p":{..},"x":shape}`, `{"k":"arr","i":shape}`, `"leaf"` (compared whole),
/// `null` (not declared: not compared). A `null` in `raw` may be absent in `encoded`.
fn walk(raw: &Value, encoded: Option<&Value>, shape: &Value, at: &str, lost: &mut Vec<String>) {
    if raw.is_null() || shape.is_null() || lost.len() >= 5 {
        return;
    }
    let Some(encoded) = encoded else {
        lost.push(format!("{at}: {} was dropped", cut(&raw.to_string())));
        return;
    };
    match (shape.get("k").and_then(Value::as_str), raw, encoded) {
        (Some("obj"), Value::Object(fields), Value::Object(out)) => {
            for (key, v) in fields {
                let declared = shape.get("p").and_then(|p| p.get(key)).or_else(|| shape.get("x"));
                if let Some(s) = declared {
                    walk(v, out.get(key), s, &format!("{at}.{key}"), lost);
                }
            }
        }
        (Some("arr"), Value::Array(items), Value::Array(out)) if items.len() == out.len() => {
            let s = shape.get("i").unwrap_or(&Value::Null);
            for (i, (a, b)) in items.iter().zip(out).enumerate() {
                walk(a, Some(b), s, &format!("{at}[{i}]"), lost);
            }
        }
        _ => {
            if !same(raw, encoded) {
                lost.push(format!("{at}: {} came back as {}", cut(&raw.to_string()), cut(&encoded.to_string())));
            }
        }
    }
}

/// Equal as JSON values: numbers by value (`5` and `5.0`), `null` fields as absent ones.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.iter().all(|(k, v)| v.is_null() || y.get(k).is_some_and(|w| same(v, w)))
                && y.iter().all(|(k, w)| w.is_null() || x.contains_key(k))
        }
        _ => a == b,
    }
}

/// Runs one operation with a deadline and prints its record as a JSON line.
pub async fn run(ctx: &Ctx, id: &str, method: &str, path: &str, call: impl std::future::Future<Output = Record>) {
    if let Ok(mut seen) = ctx.seen.lock() {
        *seen = None;
    }
    let record = match tokio::time::timeout(std::time::Duration::from_secs(30), call).await {
        Ok(r) => r,
        Err(_) => Record { verdict: "transport", status: None, detail: "no verdict within 30 s".into() },
    };
    let line = serde_json::json!({
        "op": id, "method": method, "path": path,
        "verdict": record.verdict, "status": record.status, "detail": record.detail,
    });
    println!("{line}");
}

pub fn setup(base: &str) -> (rt::Transport, Ctx) {
    let seen: Seen = Arc::new(Mutex::new(None));
    let keep = seen.clone();
    let hook = move |request: &mut rt::reqwest::Request, _: rt::RequestInfo<'_>| -> Result<(), rt::BoxError> {
        if let Ok(mut slot) = keep.lock() {
            *slot = request.try_clone();
        }
        Ok(())
    };
    let transport = rt::Transport::builder(base)
        .timeout(std::time::Duration::from_secs(20))
        .retry(rt::Retry::none())
        .request_hook(hook)
        .build()
        .expect("a transport to the mock server");
    let http = rt::reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("an HTTP client");
    (transport, Ctx { http, seen })
}
