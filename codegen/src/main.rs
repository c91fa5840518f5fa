//! `codegen`: generate clients from OpenAPI specs, or check that generated files are fresh.
//!
//! ```text
//! cargo run -p codegen -- generate            # spec/*.yaml → generated/src/*.rs (+ generated/tests/examples/*.rs)
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
    /// Also write `<stem>.rs`, tests round-tripping every spec example through the models,
    /// into this directory. Default (with the default specs): generated/tests/examples.
    #[arg(long, value_name = "DIR")]
    tests: Option<PathBuf>,
    /// How the example tests name the generated module; `{stem}` is replaced.
    #[arg(long, value_name = "PATH", default_value = "evs_ims::{stem}")]
    tests_module: String,
    /// How the example tests name the runtime crate.
    #[arg(long, value_name = "PATH", default_value = "evs_ims::runtime")]
    tests_runtime: String,
}

#[derive(Subcommand)]
enum Command {
    /// Write generated code for each spec.
    Generate(Files),
    /// Compare generated code with what is on disk; exit 1 if any file differs.
    Check(Files),
}

/// One file to produce: where it goes, and how to make its content.
struct Target {
    path: PathBuf,
    /// The spec it comes from: a spec that fails is reported once, not once per target.
    spec: PathBuf,
    builder: Builder,
    /// For an example-test file: the module path the test uses.
    tests_module: Option<String>,
}

impl Target {
    fn source(&self, runtime: &str) -> Result<String, evs_ims_codegen::Error> {
        match &self.tests_module {
            Some(module) => self.builder.example_tests_source(module, runtime),
            None => self.builder.source().map(|(s, _)| s),
        }
    }
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

fn plan(files: &Files) -> Vec<Target> {
    let root = root();
    let defaults = files.specs.is_empty();
    let specs = if defaults {
        vec![root.join("spec/evs.yaml"), root.join("spec/ims.yaml")]
    } else {
        files.specs.clone()
    };
    let out = files.out.clone().unwrap_or_else(|| root.join("generated/src"));
    let tests = files
        .tests
        .clone()
        .or_else(|| defaults.then(|| root.join("generated/tests/examples")));
    let mut targets = Vec::new();
    for spec in specs {
        let stem = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("api")
            .to_string();
        let builder = Builder::new(&spec)
            .client_params(files.client_params.clone())
            .runtime_crate(files.runtime_crate.clone())
            .cargo_directives(false);
        targets.push(Target {
            path: out.join(format!("{stem}.rs")),
            spec: spec.clone(),
            builder: builder.clone(),
            tests_module: None,
        });
        if let Some(dir) = &tests {
            let module = files.tests_module.replace("{stem}", &stem);
            targets.push(Target {
                path: dir.join(format!("{stem}.rs")),
                spec: spec.clone(),
                builder,
                tests_module: Some(module),
            });
        }
    }
    targets
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut failed = false;
    let (files, write) = match &cli.command {
        Command::Generate(files) => (files, true),
        Command::Check(files) => (files, false),
    };
    let mut refused: Vec<PathBuf> = Vec::new();
    for target in plan(files) {
        if refused.contains(&target.spec) {
            continue;
        }
        let path = target.path.display();
        let source = match target.source(&files.tests_runtime) {
            Ok(source) => source,
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                refused.push(target.spec.clone());
                continue;
            }
        };
        if write {
            match evs_ims_codegen::write_if_changed(&target.path, &source) {
                Ok(()) => eprintln!("wrote {path}"),
                Err(e) => {
                    eprintln!("error: {e}");
                    failed = true;
                }
            }
            continue;
        }
        match std::fs::read_to_string(&target.path) {
            Ok(on_disk) if on_disk == source => eprintln!("fresh {path}"),
            Ok(_) => {
                eprintln!(
                    "stale {path}: differs from what the spec generates; run `cargo run -p codegen -- generate`"
                );
                failed = true;
            }
            Err(e) => {
                eprintln!("missing {path}: {e}; run `cargo run -p codegen -- generate`");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
