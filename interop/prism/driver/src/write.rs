//! The driver crate for one spec: the generated client, and a `main` calling each of its
//! operations with arguments decoded from sample JSON.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};
use specwright_codegen::ir::{BodyEncoding, Operation, Param, SchemeKind, Service, TypeRef};
use specwright_codegen::{Options, emit, load_file, lower};

use crate::sample::{resolve, sample, shape};

const SUPPORT: &str = include_str!("../template/support.rs");

/// Writes the crate; returns the number of operations it calls.
pub fn crate_for(spec: &Path, out: &Path, name: &str) -> Result<usize, String> {
    let loaded = load_file(spec).map_err(|e| e.to_string())?;
    let options = Options::default();
    let service = lower(&loaded, &options).map_err(|e| e.to_string())?;
    let client = emit::file(&service, &options).map_err(|e| e.to_string())?;
    let main = driver(&service, &loaded.raw);
    let src = out.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let files = [
        (out.join("Cargo.toml"), cargo_toml(name)),
        (src.join("client.rs"), client),
        (src.join("support.rs"), SUPPORT.to_string()),
        (src.join("main.rs"), main),
    ];
    for (path, text) in files {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(service.operations.len())
}

fn cargo_toml(name: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nspecwright-runtime = {{ workspace = true }}\ntokio = {{ workspace = true }}\n"
    )
}

/// A Rust string literal of `text`.
fn lit(text: &str) -> String {
    format!("{text:?}")
}

/// The operation's object in the raw document.
fn raw_op<'a>(raw: &'a Value, op: &Operation) -> (&'a Value, &'a Value) {
    let item = raw
        .get("paths")
        .and_then(|p| p.get(&op.path))
        .unwrap_or(&Value::Null);
    let item = resolve(raw, item);
    let this = item.get(op.method.to_ascii_lowercase()).unwrap_or(&Value::Null);
    (item, this)
}

/// The schema of parameter `p` (the operation's, else the path item's).
fn param_schema<'a>(raw: &'a Value, item: &'a Value, this: &'a Value, p: &Param) -> &'a Value {
    let lists = [this.get("parameters"), item.get("parameters")];
    for list in lists.into_iter().flatten() {
        for q in list.as_array().into_iter().flatten() {
            let q = resolve(raw, q);
            if q.get("name").and_then(Value::as_str) == Some(&p.wire)
                && q.get("in").and_then(Value::as_str) == Some(p.location.label())
            {
                if let Some(s) = q.get("schema") {
                    return s;
                }
                if let Some(s) = q
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.values().next())
                    .and_then(|m| m.get("schema"))
                {
                    return s;
                }
            }
        }
    }
    &Value::Null
}

/// The sample as the IR's type wants it: text where the type is a string.
fn coerce(v: Value, ty: &TypeRef) -> Value {
    match (ty, v) {
        (TypeRef::String, Value::String(s)) => Value::String(s),
        (TypeRef::String, Value::Null) => json!("x"),
        (TypeRef::String, other) => Value::String(other.to_string()),
        (TypeRef::Vec(inner), Value::Array(items)) => {
            Value::Array(items.into_iter().map(|i| coerce(i, inner)).collect())
        }
        (TypeRef::Vec(inner), other) => Value::Array(vec![coerce(other, inner)]),
        (_, other) => other,
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn driver(service: &Service, raw: &Value) -> String {
    let mut out = String::new();
    out.push_str(
        "// Written by interop/prism/driver: calls each operation of the generated client.\n\
         #![allow(deprecated, unused_mut, unused_variables, unreachable_patterns, dead_code, clippy::all)]\n\n\
         #[allow(clippy::all, warnings)]\nmod api {\n    include!(\"client.rs\");\n}\nmod support;\n\n\
         use specwright_runtime::serde_json;\nuse support::{Ctx, Record, judge, value};\n\n",
    );
    let mut calls = String::new();
    for (i, op) in service.operations.iter().enumerate() {
        let _ = writeln!(
            calls,
            "    support::run(&ctx, {}, {}, {}, op_{i}(&client, &ctx, all)).await;",
            lit(&op.id),
            lit(&op.method),
            lit(&op.path)
        );
        out.push_str(&operation(i, op, raw));
    }
    let mut credentials = String::new();
    for s in &service.security_schemes {
        let setter = match (&s.kind, &s.setter, &s.token_setter) {
            (SchemeKind::ApiKey { .. } | SchemeKind::Bearer { .. }, Some(set), _) => {
                format!(".{set}(\"sample-key\")")
            }
            (SchemeKind::Basic, Some(set), _) => format!(".{set}(\"user\", \"password\")"),
            (_, _, Some(set)) => format!(".{set}(\"sample-token\")"),
            _ => continue,
        };
        credentials.push_str(&setter);
    }
    let _ = write!(
        out,
        "#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n    \
         let args: Vec<String> = std::env::args().collect();\n    \
         let base = args.get(1).expect(\"usage: driver URL required|all\");\n    \
         let all = args.get(2).map(String::as_str) == Some(\"all\");\n    \
         let (transport, ctx) = support::setup(base);\n    \
         let client = api::Client::new(transport){credentials};\n{calls}}}\n"
    );
    out
}

fn operation(i: usize, op: &Operation, raw: &Value) -> String {
    let (item, this) = raw_op(raw, op);
    let mut f = String::new();
    let _ = writeln!(
        f,
        "async fn op_{i}(c: &api::Client, ctx: &Ctx, all: bool) -> Record {{"
    );
    let mut args = Vec::new();
    let bail = "Err(e) => return Record::unbuildable(e)";
    for (n, p) in op.path_params.iter().chain(&op.required_params).enumerate() {
        let schema = param_schema(raw, item, this, p);
        let (r, a) = (sample(raw, schema, false), sample(raw, schema, true));
        let (r, a) = (coerce(r, &p.ty), coerce(a, &p.ty));
        let v = format!("p{n}");
        match &p.ty {
            TypeRef::String => {
                let _ = writeln!(
                    f,
                    "    let {v}: &str = if all {{ {} }} else {{ {} }};",
                    lit(&text(&a)),
                    lit(&text(&r))
                );
                args.push(v);
            }
            ty => {
                let annot = if matches!(ty, TypeRef::Vec(_)) {
                    ": Vec<_>"
                } else {
                    ""
                };
                let _ = writeln!(
                    f,
                    "    let {v}{annot} = match value(if all {{ {} }} else {{ {} }}) {{ Ok(v) => v, {bail} }};",
                    lit(&a.to_string()),
                    lit(&r.to_string())
                );
                let by_value = matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool);
                args.push(if by_value { v } else { format!("&{v}") });
            }
        }
    }
    if let Some(body) = &op.body {
        let request_body = resolve(raw, this.get("requestBody").unwrap_or(&Value::Null));
        let schema = request_body
            .get("content")
            .and_then(|c| c.get(&body.content_type))
            .and_then(|m| m.get("schema"))
            .unwrap_or(&Value::Null);
        let (r, a) = (sample(raw, schema, false), sample(raw, schema, true));
        match body.encoding {
            BodyEncoding::Json | BodyEncoding::Form => {
                let _ = writeln!(
                    f,
                    "    let body = match value(if all {{ {} }} else {{ {} }}) {{ Ok(v) => v, {bail} }};",
                    lit(&a.to_string()),
                    lit(&r.to_string())
                );
                args.push(if body.required {
                    "&body".into()
                } else {
                    "Some(&body)".into()
                });
            }
            BodyEncoding::Bytes => {
                let _ = writeln!(
                    f,
                    "    let body = specwright_runtime::bytes::Bytes::from(if all {{ {} }} else {{ {} }});",
                    lit(&text(&a)),
                    lit(&text(&r))
                );
                args.push(if body.required {
                    "&body".into()
                } else {
                    "Some(&body)".into()
                });
            }
            BodyEncoding::Multipart => {
                let form = |v: &Value| {
                    let mut s = String::from("specwright_runtime::reqwest::multipart::Form::new()");
                    for (k, x) in v.as_object().into_iter().flatten() {
                        let _ = write!(s, ".text({}, {})", lit(k), lit(&text(x)));
                    }
                    s
                };
                let _ = writeln!(
                    f,
                    "    let body = if all {{ {} }} else {{ {} }};",
                    form(&a),
                    form(&r)
                );
                args.push(if body.required {
                    "body".into()
                } else {
                    "Some(body)".into()
                });
            }
        }
    }
    if let Some(options) = &op.options_type {
        let _ = writeln!(f, "    let mut options = api::types::{options}::default();");
        let _ = writeln!(f, "    if all {{");
        for p in &op.optional_params {
            let schema = param_schema(raw, item, this, p);
            let a = coerce(sample(raw, schema, true), &p.ty);
            let _ = writeln!(
                f,
                "        options.{} = match value({}) {{ Ok(v) => Some(v), {bail} }};",
                p.name,
                lit(&a.to_string())
            );
        }
        let _ = writeln!(f, "    }}");
        args.push("&options".into());
    }
    let _ = writeln!(f, "    let result = c.{}({}).await;", op.name, args.join(", "));
    let _ = writeln!(
        f,
        "    judge(ctx, result, {}, {}).await\n}}\n",
        encoder(op),
        lit(&shapes(raw, this).to_string())
    );
    f
}

/// A closure from the decoded success value to its JSON, where it has a JSON body.
fn encoder(op: &Operation) -> String {
    let json_body = |ty: &Option<TypeRef>| matches!(ty, Some(t) if *t != TypeRef::Bytes);
    match &op.outcome_type {
        Some(outcome) => {
            let mut arms = String::new();
            for r in op.responses.iter().filter(|r| r.success && json_body(&r.ty)) {
                let _ = write!(
                    arms,
                    "api::types::{outcome}::{}(b) => serde_json::to_value(b).ok(), ",
                    r.variant
                );
            }
            format!("|b| match b {{ {arms}_ => None }}")
        }
        None => match op.responses.iter().find(|r| r.success) {
            Some(r) if json_body(&r.ty) => "|b| serde_json::to_value(b).ok()".into(),
            _ => "|_| None".into(),
        },
    }
}

/// The declared shape of each documented response's JSON body, by status key.
fn shapes(raw: &Value, this: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for (code, r) in this
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let r = resolve(raw, r);
        let media = r.get("content").and_then(Value::as_object).and_then(|c| {
            c.iter()
                .find(|(k, _)| k.contains("json"))
                .or_else(|| c.iter().find(|(k, _)| k.as_str() == "*/*"))
                .map(|(_, m)| m)
        });
        if let Some(schema) = media.and_then(|m| m.get("schema")) {
            out.insert(code.to_ascii_uppercase(), shape(raw, schema));
        }
    }
    Value::Object(out)
}
