//! Generator speed, in this process: each run loads, lowers, emits and formats a client
//! from every spec given, and the time of the whole run is one sample. With `--progenitor`,
//! progenitor does the same (parse, generate tokens, format with prettyplease) on the same
//! specs; a spec it refuses, or panics on, is reported as such and leaves its time out
//! (with `--why`, with the operations it cannot handle).

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};

/// `progenitor`: `Some(why)` times progenitor too, and with `why` says which operations
/// of a spec it refuses it cannot handle.
pub fn run(
    specs: &[PathBuf],
    runs: usize,
    progenitor: Option<bool>,
    write: Option<&Path>,
) -> Result<Value, String> {
    // What a build.rs runs: the Builder, holding project_id as this repository does.
    let source = |spec: &PathBuf| {
        specwright_codegen::Builder::new(spec)
            .client_params(["project_id"])
            .render()
            .map(|r| r.source)
            .map_err(|e| format!("{}: {e}", spec.display()))
    };
    let mut ours = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        for spec in specs {
            std::hint::black_box(source(spec)?);
        }
        ours.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    if let Some(dir) = write {
        for spec in specs {
            let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
            let path = dir.join(format!("{stem}.rs"));
            std::fs::write(&path, source(spec)?).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let mut out = json!({ "ours_ms": crate::spread(&mut ours), "phases_ms": phases(specs, runs)? });
    if let Some(why) = progenitor {
        out["progenitor"] = peer(specs, runs, why)?;
    }
    Ok(out)
}

/// Where our time goes: the medians of load (read and parse), lower (to the IR) and emit
/// (tokens, syn, prettyplease), each summed over the specs.
fn phases(specs: &[PathBuf], runs: usize) -> Result<Value, String> {
    let settings = specwright_codegen::Settings {
        client_params: vec!["project_id".into()],
        ..specwright_codegen::Settings::default()
    };
    let (mut load, mut lower, mut emit) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let mut sums = [0.0; 3];
        for spec in specs {
            let fail = |e: specwright_codegen::Error| format!("{}: {e}", spec.display());
            let t = Instant::now();
            let loaded = specwright_codegen::load_file(spec).map_err(fail)?;
            sums[0] += t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            let service = specwright_codegen::lower(&loaded, &settings).map_err(fail)?;
            sums[1] += t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            std::hint::black_box(specwright_codegen::emit::file(&service, &settings).map_err(fail)?);
            sums[2] += t.elapsed().as_secs_f64() * 1000.0;
        }
        load.push(sums[0]);
        lower.push(sums[1]);
        emit.push(sums[2]);
    }
    Ok(json!({
        "load": crate::spread(&mut load),
        "lower": crate::spread(&mut lower),
        "emit": crate::spread(&mut emit),
    }))
}

#[cfg(feature = "progenitor")]
fn peer(specs: &[PathBuf], runs: usize, why: bool) -> Result<Value, String> {
    let mut outcomes = serde_json::Map::new();
    let mut accepted = Vec::new();
    for spec in specs {
        let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        let outcome = match once(&text) {
            Ok(_) => {
                accepted.push(text);
                json!("generated")
            }
            Err(e) if why => json!({ "whole_spec": e, "operations_it_cannot_handle": per_operation(&text)? }),
            Err(e) => json!({ "whole_spec": e }),
        };
        outcomes.insert(spec.display().to_string(), outcome);
    }
    let mut times = Vec::new();
    if accepted.len() == specs.len() {
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            for text in &accepted {
                std::hint::black_box(once(text)?);
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(json!({
        "outcomes": outcomes,
        "ms": if times.is_empty() { Value::Null } else { crate::spread(&mut times) },
    }))
}

/// Which operations progenitor refuses or panics on: each tried alone, with the spec's
/// components, so that one bad operation does not hide the others.
#[cfg(feature = "progenitor")]
fn per_operation(text: &str) -> Result<Value, String> {
    let spec: Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let mut failing = serde_json::Map::new();
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (path, item) in &paths {
        let Some(item) = item.as_object() else { continue };
        for (method, op) in item {
            if method == "parameters" || !op.is_object() {
                continue;
            }
            let mut alone_item = serde_json::Map::new();
            alone_item.insert(method.clone(), op.clone());
            if let Some(shared) = item.get("parameters") {
                alone_item.insert("parameters".into(), shared.clone());
            }
            let mut alone = spec.clone();
            alone["paths"] = json!({ path.clone(): alone_item });
            if let Err(why) = once(&alone.to_string()) {
                let id = op.get("operationId").and_then(Value::as_str).unwrap_or(path);
                failing.insert(id.to_string(), json!(why));
            }
        }
    }
    Ok(Value::Object(failing))
}

/// progenitor on one spec, as its CLI does it: parse, generate, format.
#[cfg(feature = "progenitor")]
fn once(text: &str) -> Result<String, String> {
    // The first line of an error says what; progenitor's go on with the whole schema.
    let first = |e: String| e.lines().next().unwrap_or_default().to_string();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| -> Result<String, String> {
        let spec: openapiv3::OpenAPI = serde_yaml::from_str(text).map_err(|e| format!("refused: {e}"))?;
        let mut generator = progenitor::Generator::default();
        let tokens = generator
            .generate_tokens(&spec)
            .map_err(|e| first(format!("refused: {e}")))?;
        let file: syn::File = syn::parse2(tokens).map_err(|e| format!("unparsable output: {e}"))?;
        Ok(prettyplease::unparse(&file))
    });
    std::panic::set_hook(quiet);
    match result {
        Ok(r) => r,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default();
            Err(format!("panicked: {why}"))
        }
    }
}

#[cfg(not(feature = "progenitor"))]
fn peer(_: &[PathBuf], _: usize, _: bool) -> Result<Value, String> {
    Err("built without the `progenitor` feature (bench/run builds it with it)".into())
}
