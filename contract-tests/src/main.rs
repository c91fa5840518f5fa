//! `contract-tests`: check an implementation against its OpenAPI spec.
//!
//! With no arguments it starts the embedded emulator and runs the whole suite against it
//! with the embedded EVS + IMS spec. With `--base-url` it runs against any
//! implementation, read-only unless `--allow-mutations` is given; `--spec` tests another
//! API.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use evs_ims_contract::{Check, Settings, Suite, Target, Tenant};
use secrecy::SecretString;
use specwright_oracle::Spec;
use specwright_runtime::Auth;

#[derive(Parser)]
#[command(
    name = "contract-tests",
    version,
    about = "Property-based conformance tests of an implementation against its OpenAPI 3.0 spec (default: EVS + IMS against the embedded emulator)",
    after_help = "Exit codes:\n  0    every check passed (warnings too, under --strict)\n  1    findings: a check failed, a resource was left behind, or the run ended early (--max-time, the server went away)\n  2    usage: a flag or a spec is wrong\n  3    the target is unusable: the base URL, no server, or the credentials refused by a documented read\n  130  interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM): what the run made was deleted and the reports written first"
)]
struct Cli {
    /// OpenAPI 3.0 spec to test against (repeatable); default: the embedded EVS + IMS spec.
    #[arg(long = "spec", value_name = "FILE")]
    specs: Vec<std::path::PathBuf>,
    /// Implementation to test; default: start the embedded emulator.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Project the credential is scoped to; fills `project_id` path parameters.
    #[arg(long, env = "OS_PROJECT_ID")]
    project_id: Option<String>,
    /// IAM token, sent as X-Auth-Token (prefer the environment variable: command lines are
    /// visible to others).
    #[arg(long, env = "OS_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Access key for AK/SK signing.
    #[arg(long, env = "OS_ACCESS_KEY", hide_env_values = true)]
    access_key: Option<String>,
    /// Secret key for AK/SK signing.
    #[arg(long, env = "OS_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// A header sent with every request, such as an API key (`NAME: VALUE`, repeatable);
    /// its value is treated as a secret.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// A second tenant's token, for the tenant-isolation check.
    #[arg(long, env = "OS_TOKEN_2", hide_env_values = true)]
    second_token: Option<String>,
    /// The second tenant's project.
    #[arg(long, env = "OS_PROJECT_ID_2")]
    second_project_id: Option<String>,
    /// A value for a parameter, by name (`NAME=VALUE`, repeatable): a resource id the run
    /// cannot create or find itself.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Send operations that create, change or delete resources (always on for the emulator).
    #[arg(long)]
    allow_mutations: bool,
    /// Seed of the run; the same seed sends the same requests.
    #[arg(long)]
    seed: Option<u64>,
    /// Generated cases per operation and kind (positive, negative).
    #[arg(long, default_value_t = 32)]
    max_cases: u32,
    /// Only these operations (operationIds, comma separated).
    #[arg(long, value_delimiter = ',')]
    operations: Vec<String>,
    /// Only these checks (comma separated); see --list-checks.
    #[arg(long, value_delimiter = ',')]
    checks: Vec<Check>,
    /// Skip these checks (comma separated).
    #[arg(long, value_delimiter = ',')]
    skip_checks: Vec<Check>,
    /// Requests per second at most.
    #[arg(long)]
    rate: Option<f64>,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 10.0)]
    timeout: f64,
    /// Seconds a resource may stay in a documented transitional status (creating,
    /// deleting, ...) before the run says it is stuck.
    #[arg(long, default_value_t = 120.0)]
    settle: f64,
    /// Cases sent at the same time (default: the machine's cores); with mutations allowed,
    /// the list items and the volume lifecycle send one more request of their own beside them.
    #[arg(long)]
    workers: Option<usize>,
    /// Seconds the whole run may take; it then cleans up and reports what it found.
    #[arg(long, default_value_t = 900.0)]
    max_time: f64,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<std::path::PathBuf>,
    /// Write a JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<std::path::PathBuf>,
    /// Write the report as one self-contained HTML page here.
    #[arg(long, value_name = "FILE")]
    html: Option<std::path::PathBuf>,
    /// Print the table of every operation and check, not only the totals per check.
    #[arg(long)]
    table: bool,
    /// Fail on warnings too: recommendations broken (an undeclared method answered 404
    /// instead of 405) and undocumented fields.
    #[arg(long)]
    strict: bool,
    /// The most of one response body that is read, in MiB; a larger answer fails its case.
    #[arg(long, default_value_t = 64)]
    max_body: u64,
    /// With the embedded emulator: switch on one of its faults (repeatable).
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<evs_ims_emulator::Fault>,
    /// Print the checks and exit.
    #[arg(long)]
    list_checks: bool,
}

fn seconds(s: f64, flag: &str) -> Result<Duration, String> {
    Duration::try_from_secs_f64(s).map_err(|_| format!("--{flag} must be a number of seconds, not {s}"))
}

fn settings(cli: &Cli) -> Result<Settings, String> {
    let mut checks: BTreeSet<Check> = if cli.checks.is_empty() {
        Check::ALL.into_iter().collect()
    } else {
        cli.checks.iter().copied().collect()
    };
    for c in &cli.skip_checks {
        checks.remove(c);
    }
    let mut params = BTreeMap::new();
    for p in &cli.params {
        let (k, v) = p
            .split_once('=')
            .ok_or_else(|| format!("--param {p:?}: expected NAME=VALUE"))?;
        params.insert(k.trim().to_string(), v.to_string());
    }
    let seed = cli.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(1)
    });
    let defaults = Settings::default();
    Ok(Settings {
        seed,
        max_cases: cli.max_cases,
        operations: cli.operations.clone(),
        checks,
        allow_mutations: cli.allow_mutations,
        rate: cli.rate,
        settle: seconds(cli.settle, "settle")?,
        workers: cli.workers.unwrap_or(defaults.workers).max(1),
        max_time: seconds(cli.max_time, "max-time")?,
        params,
        max_body: cli.max_body.saturating_mul(1 << 20),
        strict: cli.strict,
    })
}

fn auth(token: &Option<String>, cli: &Cli, project: Option<&str>) -> Auth {
    match (token, &cli.access_key, &cli.secret_key) {
        (Some(token), _, _) => Auth::token(token.clone()),
        (None, Some(ak), Some(sk)) => {
            let mut auth = Auth::ak_sk(ak.clone(), sk.clone());
            if let (Auth::AkSk(keys), Some(p)) = (&mut auth, project) {
                keys.project_id = Some(p.to_string());
            }
            auth
        }
        _ => Auth::None,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.list_checks {
        for c in Check::ALL {
            println!("{:<20} {}", c.name(), c.describe());
        }
        return ExitCode::SUCCESS;
    }
    match run(cli) {
        Ok(code) => code,
        Err(Stop::Usage(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(Stop::Unusable(e)) => {
            // The server's own words may be in it: shown, not obeyed by the terminal.
            eprintln!(
                "error: the target is unusable: {}",
                evs_ims_contract::secrets::visible(&e, false)
            );
            ExitCode::from(3)
        }
    }
}

/// Why a run did not happen.
enum Stop {
    /// Exit 2: flags, specs.
    Usage(String),
    /// Exit 3: the target.
    Unusable(String),
}

impl From<String> for Stop {
    fn from(e: String) -> Stop {
        Stop::Usage(e)
    }
}

/// The signal that stopped the run, if any: 2 (SIGINT) or 15 (SIGTERM). A second signal
/// ends the process at once.
fn on_signals(
    flag: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::sync::Arc<std::sync::atomic::AtomicU8> {
    use std::sync::atomic::{AtomicU8, Ordering};
    let which = std::sync::Arc::new(AtomicU8::new(0));
    let seen = which.clone();
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
            return;
        };
        rt.block_on(async {
            #[cfg(unix)]
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            loop {
                #[cfg(unix)]
                let signal = tokio::select! {
                    r = tokio::signal::ctrl_c() => r.ok().map(|_| 2u8),
                    s = async { match term.as_mut() { Some(t) => t.recv().await, None => std::future::pending().await } } => s.map(|_| 15u8),
                };
                #[cfg(not(unix))]
                let signal = tokio::signal::ctrl_c().await.ok().map(|_| 2u8);
                let Some(signal) = signal else { return };
                if seen.swap(signal, Ordering::Relaxed) != 0 {
                    eprintln!("\nstopped again: exiting without cleaning up");
                    std::process::exit(128 + i32::from(signal));
                }
                eprintln!("\nstopping: deleting what the run created and writing the reports (again to exit at once)…");
                flag.store(true, Ordering::Relaxed);
            }
        });
    });
    which
}

/// A spec given with `--spec`, reviewed as `specwright review` reviews it: one that means
/// something other than it says (see `specwright_review::UNUSABLE`) is refused, so the
/// suite never judges a server by it; the review's other errors are printed as notes.
fn reviewed(path: &std::path::Path) -> Result<(), Stop> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Stop::Usage(format!("cannot read {file}: {e}")))?;
    // A spec the reviewer cannot read is for the loader to refuse, with its own message.
    let Ok(findings) = specwright_review::review(&text, &file) else {
        return Ok(());
    };
    let at = |f: &specwright_review::Finding| {
        let pointer = if f.pointer.is_empty() {
            "/"
        } else {
            f.pointer.as_str()
        };
        format!("{file} {pointer}: [{}] {}", f.rule, f.message)
    };
    let unusable: Vec<String> = findings.iter().filter(|f| f.is_unusable()).map(at).collect();
    if !unusable.is_empty() {
        return Err(Stop::Usage(format!(
            "the spec cannot be tested against as it stands (`specwright review {file}` says the same):\n  {}",
            unusable.join("\n  ")
        )));
    }
    for f in findings
        .iter()
        .filter(|f| f.severity == specwright_review::Severity::Error)
    {
        eprintln!("note: {}", at(f));
    }
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode, Stop> {
    let mut settings = settings(&cli)?;
    let specs = if cli.specs.is_empty() {
        evs_ims_contract::embedded_specs()?
    } else {
        cli.specs
            .iter()
            .map(|p| {
                reviewed(p)?;
                Spec::load(p).map_err(|e| Stop::Usage(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let timeout = seconds(cli.timeout, "timeout")?;
    let mut headers = Vec::new();
    for h in &cli.headers {
        let (k, v) = h
            .split_once(':')
            .ok_or_else(|| "--header: expected `NAME: VALUE`".to_string())?;
        headers.push((k.trim().to_string(), SecretString::from(v.trim().to_string())));
    }

    // The embedded emulator runs on its own threads, apart from the suite's.
    let mut _emulator = None;
    let target = match &cli.base_url {
        Some(url) => {
            if cli.specs.is_empty() && cli.project_id.is_none() {
                return Err(Stop::Usage(
                    "--project-id (or OS_PROJECT_ID) is required with --base-url and the EVS + IMS spec"
                        .into(),
                ));
            }
            let project = cli.project_id.clone().unwrap_or_default();
            let second = match (&cli.second_token, &cli.second_project_id) {
                (Some(t), Some(p)) => Some(Tenant {
                    auth: Auth::token(t.clone()),
                    project_id: p.clone(),
                }),
                (None, None) => None,
                _ => {
                    return Err(Stop::Usage(
                        "--second-token and --second-project-id go together".into(),
                    ));
                }
            };
            Target {
                auth: auth(&cli.token, &cli, Some(&project)),
                project_id: project,
                headers,
                second,
                timeout,
                base_url: url.clone(),
            }
        }
        None => {
            let mut config = evs_ims_emulator::Config::default();
            config.faults.extend(cli.faults.iter().copied());
            let tenant = config.tenants[0].clone();
            let other = config.tenants.get(1).cloned();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            let emulator = runtime
                .block_on(evs_ims_emulator::Emulator::start(config))
                .map_err(|e| Stop::Unusable(format!("cannot start the embedded emulator: {e}")))?;
            eprintln!("embedded emulator at {}", emulator.base_url());
            let target = Target {
                base_url: emulator.base_url().to_string(),
                project_id: tenant.project_id,
                auth: Auth::token(tenant.token),
                headers,
                second: other.map(|t| Tenant {
                    auth: Auth::token(t.token),
                    project_id: t.project_id,
                }),
                timeout,
            };
            _emulator = Some((runtime, emulator));
            settings.allow_mutations = true;
            // The emulator's quotas are the run's own to change.
            settings
                .params
                .entry("target_project_id".into())
                .or_insert_with(|| target.project_id.clone());
            target
        }
    };
    let suite = Suite::with_specs(specs, target, settings)?;
    suite.preflight().map_err(Stop::Unusable)?;
    let signal = on_signals(suite.interrupt_flag());
    // Progress is for a person watching: on a terminal only, never into a log.
    let terminal = std::io::stderr().is_terminal();
    let report = suite.run(&|op, done, total| {
        if !terminal {
            return;
        }
        let width = 30;
        let filled = (done * width).checked_div(total).unwrap_or(width).min(width);
        eprint!(
            "\r[{}{}] {done}/{total} {:<40.40}",
            "#".repeat(filled),
            "-".repeat(width - filled),
            evs_ims_contract::secrets::visible(op, false)
        );
        let _ = std::io::stderr().flush();
    });
    if terminal {
        eprintln!();
    }
    if cli.table {
        println!("{}", report.table());
    }
    println!("{}", report.summary());
    if let Some(path) = &cli.junit {
        std::fs::write(path, report.to_junit())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    if let Some(path) = &cli.html {
        std::fs::write(path, report.to_html())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    if let Some(path) = &cli.json {
        let text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    match signal.load(std::sync::atomic::Ordering::Relaxed) {
        0 => {}
        s => return Ok(ExitCode::from(128 + s)),
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
