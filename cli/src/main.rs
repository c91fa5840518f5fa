//! `specwright`: Rust clients from OpenAPI 3.0 specs (3.1 and Swagger 2.0 converted on load), or a
//! check that generated files are fresh.
//!
//! ```text
//! specwright generate --spec api.yaml --out src/gen     # src/gen/api.rs
//! specwright generate                                   # what ./specwright.toml lists
//! specwright check                                      # exit 1 and name the stale files
//! specwright docs spec/evs.yaml --out target/docs       # target/docs/evs.html, index.html
//! specwright review spec/evs.yaml --format sarif          # what a careful reader would question
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use specwright_codegen::{Builder, Severity};

#[derive(Parser)]
#[command(
    name = "specwright",
    version,
    about = "Rust models and an async reqwest client from any OpenAPI 3.0 spec (3.1 and Swagger 2.0 converted on load)",
    long_about = "Rust models and an async reqwest client from any OpenAPI 3.0 spec; OpenAPI 3.1 \
        and Swagger 2.0 documents are converted to 3.0 on load, with a note saying what \
        was converted.\n\n\
        Give a spec and a directory (`--spec api.yaml --out src/gen`), or run where a \
        specwright.toml lists the clients to make. Every problem in a spec is reported with \
        its JSON pointer and what to change; what the generator settles on its own (a \
        colliding name, say) is printed as a note."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Files {
    /// Spec file(s) to read (YAML or JSON); needs --out. Without it, ./specwright.toml says
    /// what to generate.
    #[arg(long = "spec", value_name = "FILE", requires = "out")]
    specs: Vec<PathBuf>,
    /// Directory to write `<spec stem>.rs` into.
    #[arg(long, value_name = "DIR", requires = "specs")]
    out: Option<PathBuf>,
    /// The clients to make, when no --spec is given.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "specwright.toml",
        conflicts_with = "specs"
    )]
    config: PathBuf,
    /// Path parameters the client holds once instead of taking them on every call
    /// (repeatable), such as a tenant or project id.
    #[arg(long = "client-param", value_name = "NAME")]
    client_params: Vec<String>,
    /// How generated code names the runtime crate.
    #[arg(long, value_name = "PATH", default_value = "::specwright_runtime")]
    runtime_crate: String,
    /// Strings of `format: uuid`, `date-time`, `date`, `byte` as `String` rather than the
    /// runtime's `formats` types (for a runtime built without its default features).
    #[arg(long)]
    untyped_formats: bool,
    /// Also write `<stem>.rs` into this directory: tests round-tripping every example of
    /// the spec through the generated models.
    #[arg(long, value_name = "DIR", requires = "specs")]
    tests: Option<PathBuf>,
    /// How the example tests name the generated module; `{stem}` is the spec's file stem.
    #[arg(long, value_name = "PATH", default_value = "crate::{stem}")]
    tests_module: String,
    /// How the example tests name the runtime crate.
    #[arg(long, value_name = "PATH", default_value = "specwright_runtime")]
    tests_runtime: String,
    /// Print no notes, only errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Write a client for each spec.
    Generate(Files),
    /// Compare generated code with what is on disk; exit 1 if any file differs.
    Check(Files),
    /// Write a self-contained HTML reference of each spec: operations by tag, schemas,
    /// examples, x-source, the REVIEW.md decisions beside what they concern, a search box.
    Docs(DocsArgs),
    /// Review specs: findings with severity, rule, place (file:line:col and JSON pointer)
    /// and x-source. Exit 1 when any finding is an error (or as grave as
    /// --fail-severity), 2 when a spec cannot be read.
    Review(ReviewArgs),
}

#[derive(clap::Args)]
struct DocsArgs {
    /// Spec file(s) to read (YAML or JSON). Without any, the specs ./specwright.toml lists.
    #[arg(value_name = "SPEC")]
    specs: Vec<PathBuf>,
    /// Directory to write `<spec stem>.html` and `index.html` into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The REVIEW.md recording the specs' decisions. Default: `REVIEW.md` beside the first
    /// spec, if there is one.
    #[arg(long, value_name = "PATH")]
    review_md: Option<PathBuf>,
    /// Where to find the specs when none is given.
    #[arg(long, value_name = "FILE", default_value = "specwright.toml")]
    config: PathBuf,
}

#[derive(clap::Args)]
struct ReviewArgs {
    /// Spec file(s) to review (YAML or JSON); without any, what ./specwright.toml lists.
    #[arg(value_name = "SPEC")]
    specs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Only these rules (comma-separated or repeated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    rules: Vec<String>,
    /// Leave out these rules (comma-separated or repeated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    skip_rules: Vec<String>,
    /// A project's own rules (repeatable): a YAML or JSON file shaped like a Spectral
    /// ruleset's `rules` (given: JSONPath; then: field + function), see README.
    #[arg(long, value_name = "FILE")]
    ruleset: Vec<PathBuf>,
    /// Print the rules (with those of --ruleset), their severity and what each promises,
    /// and exit.
    #[arg(long)]
    list_rules: bool,
    /// The config that lists the specs, when no SPEC is given.
    #[arg(long, value_name = "FILE", default_value = "specwright.toml")]
    config: PathBuf,
    /// Exit 1 when a finding of this severity or a graver one is reported (of the rules
    /// selected).
    #[arg(long, value_enum, value_name = "SEVERITY", default_value = "error")]
    fail_severity: FailSeverity,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailSeverity {
    Error,
    Warning,
    Note,
}

impl FailSeverity {
    fn severity(self) -> specwright_review::Severity {
        use specwright_review::Severity;
        match self {
            FailSeverity::Error => Severity::Error,
            FailSeverity::Warning => Severity::Warning,
            FailSeverity::Note => Severity::Note,
        }
    }
}

/// The review findings to show beside what they concern in the docs page of a loaded spec
/// (none if the reviewer cannot read it; `specwright review` says why), each with the reason
/// REVIEW.md gives where it explains the finding.
fn review_findings(
    loaded: specwright_codegen::Loaded,
    explained: &[specwright_review::explained::Explanation],
) -> (specwright_codegen::Loaded, Vec<specwright_docs::Annotation>) {
    // Lent, not copied: on a big spec a second copy of the document is gigabytes.
    let (findings, mut loaded) = specwright_review::review_lending(loaded);
    // The page reads the document as written, not the typed model: let it go.
    loaded.api = Default::default();
    let annotations = findings
        .unwrap_or_default()
        .into_iter()
        .map(|f| specwright_docs::Annotation::of_finding(f, explained))
        .collect();
    (loaded, annotations)
}

/// `specwright docs`: every problem is reported with the file it concerns, and nothing is
/// written unless every spec renders.
fn docs(args: &DocsArgs) -> ExitCode {
    let specs = match specs_or_configured(&args.specs, &args.config, "docs") {
        Ok(specs) => specs,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut loaded = Vec::new();
    for spec in &specs {
        match specwright_codegen::load_file(spec) {
            Ok(spec) => loaded.push(spec),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let review_path = args.review_md.clone().or_else(|| {
        let beside = specs.first()?.parent()?.join("REVIEW.md");
        beside.is_file().then_some(beside)
    });
    let review = match &review_path {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    // A malformed explanation is REVIEW.md's problem, for `specwright review`'s test to report;
    // the page then shows the findings without reasons.
    let explained = review
        .as_deref()
        .and_then(|md| specwright_review::explained::parse(md).ok())
        .unwrap_or_default();
    let (loaded, findings): (Vec<_>, Vec<_>) =
        loaded.into_iter().map(|l| review_findings(l, &explained)).unzip();
    let inputs: Vec<specwright_docs::Input<'_>> = loaded
        .iter()
        .zip(&findings)
        .map(|(loaded, annotations)| specwright_docs::Input {
            loaded,
            review_md: review.as_deref(),
            annotations,
        })
        .collect();
    match specwright_docs::write_pages(&inputs, &args.out) {
        Ok(paths) => {
            for path in paths {
                eprintln!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
    Json,
    Sarif,
}

/// specwright.toml: the clients a project makes, with settings shared by all of them.
#[derive(serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Config {
    #[serde(default)]
    client_params: Vec<String>,
    runtime_crate: Option<String>,
    /// `false`: formats are plain strings (`--untyped-formats`).
    typed_formats: Option<bool>,
    client: Vec<ClientConfig>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ClientConfig {
    spec: PathBuf,
    out: PathBuf,
    tests: Option<PathBuf>,
    tests_module: Option<String>,
    tests_runtime: Option<String>,
}

/// One file to produce: where it goes, and how to make its content.
struct Target {
    path: PathBuf,
    /// The spec it comes from: a spec that fails is reported once, not once per target.
    spec: PathBuf,
    builder: Builder,
    /// For an example-test file: the module and runtime paths the test uses.
    tests: Option<(String, String)>,
}

impl Target {
    fn source(&self) -> Result<(String, Vec<specwright_codegen::Diagnostic>), specwright_codegen::Error> {
        match &self.tests {
            Some((module, runtime)) => self
                .builder
                .example_tests_source(module, runtime)
                .map(|s| (s, Vec::new())),
            None => self.builder.render().map(|r| (r.source, r.notes)),
        }
    }
}

fn plan(files: &Files) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    let builder = |spec: &Path, client_params: &[String], runtime: &str, typed: bool| {
        Builder::new(spec)
            .client_params(client_params.to_vec())
            .runtime_crate(runtime)
            .typed_formats(typed)
            .cargo_directives(false)
    };
    if !files.specs.is_empty() {
        let out = files.out.clone().unwrap_or_default();
        for spec in &files.specs {
            let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
            let b = builder(
                spec,
                &files.client_params,
                &files.runtime_crate,
                !files.untyped_formats,
            );
            targets.push(Target {
                path: out.join(format!("{stem}.rs")),
                spec: spec.clone(),
                builder: b.clone(),
                tests: None,
            });
            if let Some(dir) = &files.tests {
                targets.push(Target {
                    path: dir.join(format!("{stem}.rs")),
                    spec: spec.clone(),
                    builder: b,
                    tests: Some((
                        files.tests_module.replace("{stem}", stem),
                        files.tests_runtime.clone(),
                    )),
                });
            }
        }
        return Ok(targets);
    }
    let text = std::fs::read_to_string(&files.config).map_err(|e| {
        format!(
            "no --spec given, and {} cannot be read ({e}); run `specwright generate --spec FILE --out DIR`",
            files.config.display()
        )
    })?;
    let config: Config = toml::from_str(&text).map_err(|e| format!("{}: {e}", files.config.display()))?;
    // Paths in the config are relative to the file.
    let base = files.config.parent().unwrap_or(Path::new(""));
    let client_params = if files.client_params.is_empty() {
        config.client_params
    } else {
        files.client_params.clone()
    };
    let runtime = config
        .runtime_crate
        .unwrap_or_else(|| files.runtime_crate.clone());
    let typed = !files.untyped_formats && config.typed_formats.unwrap_or(true);
    for client in config.client {
        let spec = base.join(&client.spec);
        let b = builder(&spec, &client_params, &runtime, typed);
        targets.push(Target {
            path: base.join(&client.out),
            spec: spec.clone(),
            builder: b.clone(),
            tests: None,
        });
        if let Some(tests) = client.tests {
            let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
            let module = client
                .tests_module
                .unwrap_or_else(|| files.tests_module.clone())
                .replace("{stem}", stem);
            let runtime = client
                .tests_runtime
                .unwrap_or_else(|| files.tests_runtime.clone());
            targets.push(Target {
                path: base.join(tests),
                spec,
                builder: b,
                tests: Some((module, runtime)),
            });
        }
    }
    Ok(targets)
}

/// The specs given to `specwright <command>`, or with none given, those a specwright.toml lists,
/// relative to it.
fn specs_or_configured(given: &[PathBuf], config_path: &Path, command: &str) -> Result<Vec<PathBuf>, String> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let text = std::fs::read_to_string(config_path).map_err(|e| {
        format!(
            "no SPEC given, and {} cannot be read ({e}); run `specwright {command} SPEC...`",
            config_path.display()
        )
    })?;
    let config: Config = toml::from_str(&text).map_err(|e| format!("{}: {e}", config_path.display()))?;
    let base = config_path.parent().unwrap_or(Path::new(""));
    Ok(config.client.iter().map(|c| base.join(&c.spec)).collect())
}

fn review(args: &ReviewArgs) -> ExitCode {
    use specwright_review::{self as review, RULES, format, ruleset::Ruleset};
    let mut custom = Ruleset::default();
    for file in &args.ruleset {
        match Ruleset::from_file(file) {
            Ok(rules) => custom.extend(rules),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if args.list_rules {
        for r in RULES {
            println!("{:<28} {:<8} {}", r.name, r.severity.as_str(), r.description);
        }
        for r in custom.rules() {
            println!("{:<28} {:<8} {}", r.name, r.severity.as_str(), r.description);
        }
        return ExitCode::SUCCESS;
    }
    for name in args.rules.iter().chain(&args.skip_rules) {
        if review::rule(name).is_none() && !custom.rules().iter().any(|r| &r.name == name) {
            eprintln!("error: no rule `{name}`; `specwright review --list-rules` lists them");
            return ExitCode::from(2);
        }
    }
    let specs = match specs_or_configured(&args.specs, &args.config, "review") {
        Ok(specs) => specs,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut results: Vec<(String, Vec<review::Finding>, String)> = Vec::new();
    let mut unreadable = false;
    for spec in &specs {
        let file = spec.display().to_string();
        let findings = std::fs::read_to_string(spec)
            .map_err(|e| format!("cannot read {file}: {e}"))
            .and_then(|text| {
                review::review_with(&text, &file, &custom)
                    .map(|f| (f, text))
                    .map_err(|e| e.to_string())
            });
        match findings {
            Ok((mut findings, text)) => {
                findings.retain(|f| {
                    (args.rules.is_empty() || args.rules.iter().any(|r| *r == f.rule))
                        && !args.skip_rules.iter().any(|r| *r == f.rule)
                });
                results.push((file, findings, text));
            }
            Err(e) => {
                eprintln!("error: {e}");
                unreadable = true;
            }
        }
    }
    let reports: Vec<format::Report> = results
        .iter()
        .map(|(file, findings, text)| format::Report {
            file,
            findings,
            text: Some(text),
        })
        .collect();
    let printed = match args.format {
        Format::Text => format::text(&reports),
        Format::Markdown => format::markdown(&reports),
        Format::Json => format::json(&reports),
        Format::Sarif => format::sarif_with(&reports, custom.rules()),
    };
    print!("{printed}");
    // Severities order from the gravest: `Error` < `Warning` < `Note`.
    let threshold = args.fail_severity.severity();
    let errors = results
        .iter()
        .flat_map(|(_, f, _)| f)
        .any(|f| f.severity <= threshold);
    if unreadable {
        ExitCode::from(2)
    } else if errors {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (files, write) = match &cli.command {
        Command::Generate(files) => (files, true),
        Command::Check(files) => (files, false),
        Command::Docs(args) => return docs(args),
        Command::Review(args) => return review(args),
    };
    let targets = match plan(files) {
        Ok(targets) => targets,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    let mut refused: Vec<PathBuf> = Vec::new();
    for target in targets {
        if refused.contains(&target.spec) {
            continue;
        }
        let path = target.path.display();
        let source = match target.source() {
            Ok((source, notes)) => {
                if !files.quiet && !notes.is_empty() {
                    eprintln!("{}: {} note(s):", target.spec.display(), notes.len());
                    for note in notes.iter().filter(|n| n.severity == Severity::Note) {
                        eprintln!("  {note}");
                    }
                }
                source
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                refused.push(target.spec.clone());
                continue;
            }
        };
        if write {
            match specwright_codegen::write_if_changed(&target.path, &source) {
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
                eprintln!("stale {path}: differs from what the spec generates; run `specwright generate`");
                failed = true;
            }
            Err(e) => {
                eprintln!("missing {path}: {e}; run `specwright generate`");
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
