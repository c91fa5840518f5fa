//! `prism-driver --spec F --out DIR [--name NAME]`: writes DIR as a crate whose binary
//! calls every operation of F's generated client against a mock server, once with the
//! required arguments only (`driver URL required`) and once with every parameter and
//! property (`driver URL all`), printing one JSON line per call: the operation, the
//! verdict (`ok`, `rejected`, `decode`, `lost`, `unexpected`, `client`, `transport`,
//! `unbuildable`), the status and what went wrong. `interop/prism/run` builds and runs it.

mod sample;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut spec = None;
    let mut out = None;
    let mut name = String::from("driver");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--spec" => spec = args.next().map(PathBuf::from),
            "--out" => out = args.next().map(PathBuf::from),
            "--name" => name = args.next().unwrap_or(name),
            _ => {
                eprintln!("prism-driver: unknown argument {a:?}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(spec), Some(out)) = (spec, out) else {
        eprintln!("usage: prism-driver --spec FILE --out DIR [--name CRATE]");
        return ExitCode::from(2);
    };
    match write::crate_for(&spec, &out, &name) {
        Ok(ops) => {
            eprintln!("prism-driver: {} operations → {}", ops, out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("prism-driver: {e}");
            ExitCode::FAILURE
        }
    }
}
