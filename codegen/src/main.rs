//! `codegen`: generate clients from OpenAPI specs, or check that generated files are fresh.
//!
//! ```text
//! cargo run -p codegen -- generate            # spec/*.yaml → generated/src/*.rs
//! cargo run -p codegen -- check               # exit 1 and name the stale files
//! cargo run -p codegen -- generate --spec my.yaml --out src/gen
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use evs_ims_codegen::Builder;

#[derive(Parser)]
#[command(
    name = "codegen",
    version,
    about = "OpenAPI 3.0 → Rust models and async reqwest client"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Files {
    /// Spec file(s) to read (YAML or JSON). Default: the project's spec/evs.yaml and spec/ims.yaml.
    #[arg(long = "spec", value_name = "FILE")]
    specs: Vec<PathBuf>,
    /// Directory to write `<spec stem>.rs` files into. Default: the project's generated/src.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Path parameters the client holds once instead of per call (repeatable).
    #[arg(long = "client-param", value_name = "NAME", default_value = "project_id")]
    client_params: Vec<String>,
    /// Path to the runtime crate as generated code names it.
    #[arg(long, value_name = "PATH", default_value = "::evs_ims_runtime")]
    runtime_crate: String,
}

#[derive(Subcommand)]
enum Command {
    /// Write generated code for each spec.
    Generate(Files),
    /// Compare generated code with what is on disk; exit 1 if any file differs.
    Check(Files),
}

/// The project root: the current directory when it holds `spec/`, else the workspace this
/// binary was built in.
fn root() -> PathBuf {
    if Path::new("spec/evs.yaml").exists() {
        PathBuf::from(".")
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }
}

fn plan(files: &Files) -> Vec<(Builder, PathBuf)> {
    let root = root();
    let specs = if files.specs.is_empty() {
        vec![root.join("spec/evs.yaml"), root.join("spec/ims.yaml")]
    } else {
        files.specs.clone()
    };
    let out = files.out.clone().unwrap_or_else(|| root.join("generated/src"));
    specs
        .into_iter()
        .map(|spec| {
            let stem = spec
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("api")
                .to_string();
            let target = out.join(format!("{stem}.rs"));
            let builder = Builder::new(&spec)
                .out_file(&target)
                .client_params(files.client_params.clone())
                .runtime_crate(files.runtime_crate.clone())
                .cargo_directives(false);
            (builder, target)
        })
        .collect()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut failed = false;
    match &cli.command {
        Command::Generate(files) => {
            for (builder, target) in plan(files) {
                match builder.generate() {
                    Ok(_) => eprintln!("wrote {}", target.display()),
                    Err(e) => {
                        eprintln!("error: {e}");
                        failed = true;
                    }
                }
            }
        }
        Command::Check(files) => {
            for (builder, target) in plan(files) {
                match builder.source() {
                    Ok((source, _)) => match std::fs::read_to_string(&target) {
                        Ok(on_disk) if on_disk == source => eprintln!("fresh {}", target.display()),
                        Ok(_) => {
                            eprintln!(
                                "stale {}: differs from what the spec generates; run `cargo run -p codegen -- generate`",
                                target.display()
                            );
                            failed = true;
                        }
                        Err(e) => {
                            eprintln!(
                                "missing {}: {e}; run `cargo run -p codegen -- generate`",
                                target.display()
                            );
                            failed = true;
                        }
                    },
                    Err(e) => {
                        eprintln!("error: {e}");
                        failed = true;
                    }
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
