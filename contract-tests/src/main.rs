//! `contract-tests`: check an EVS/IMS implementation against the spec.
//!
//! With no arguments it starts the embedded emulator and runs the whole suite against it.
//! With `--base-url` it runs against any implementation, read-only unless
//! `--allow-mutations` is given.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use evs_ims_contract::{Check, Settings, Suite, Target};
use evs_ims_runtime::Auth;

#[derive(Parser)]
#[command(
    name = "contract-tests",
    version,
    about = "Property-based conformance tests against spec/ (EVS + IMS)"
)]
struct Cli {
    /// Implementation to test; default: start the embedded emulator.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Project the requests are made for.
    #[arg(long, env = "OS_PROJECT_ID")]
    project_id: Option<String>,
    /// IAM token (prefer the environment variable: command lines are visible to others).
    #[arg(long, env = "OS_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Access key for AK/SK signing.
    #[arg(long, env = "OS_ACCESS_KEY", hide_env_values = true)]
    access_key: Option<String>,
    /// Secret key for AK/SK signing.
    #[arg(long, env = "OS_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// Send operations that create, change or delete resources (always on for the emulator).
    #[arg(long)]
    allow_mutations: bool,
    /// Seed of the run; the same seed sends the same requests.
    #[arg(long)]
    seed: Option<u64>,
    /// Generated cases per operation and kind.
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
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Seconds scenarios wait for a resource to settle (available, deleted).
    #[arg(long, default_value_t = 120.0)]
    settle: f64,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<std::path::PathBuf>,
    /// Write a JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<std::path::PathBuf>,
    /// With the embedded emulator: switch on one of its faults (repeatable).
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<evs_ims_emulator::Fault>,
    /// Print the checks and exit.
    #[arg(long)]
    list_checks: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.list_checks {
        for c in Check::ALL {
            println!("{:<20} {}", c.name(), c.describe());
        }
        return ExitCode::SUCCESS;
    }
    let mut checks: BTreeSet<Check> = if cli.checks.is_empty() {
        Check::ALL.into_iter().collect()
    } else {
        cli.checks.iter().copied().collect()
    };
    for c in &cli.skip_checks {
        checks.remove(c);
    }
    let seed = cli.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(1)
    });

    // The embedded emulator runs on its own threads, apart from the suite's.
    let mut _emulator = None;
    let (target, allow_mutations) = match &cli.base_url {
        Some(url) => {
            let auth = match (&cli.token, &cli.access_key, &cli.secret_key) {
                (Some(token), _, _) => Auth::token(token.clone()),
                (None, Some(ak), Some(sk)) => {
                    let mut auth = Auth::ak_sk(ak.clone(), sk.clone());
                    if let (Auth::AkSk(keys), Some(p)) = (&mut auth, &cli.project_id) {
                        keys.project_id = Some(p.clone());
                    }
                    auth
                }
                _ => Auth::None,
            };
            let Some(project_id) = cli.project_id.clone() else {
                eprintln!("error: --project-id (or OS_PROJECT_ID) is required with --base-url");
                return ExitCode::from(2);
            };
            let target = Target {
                base_url: url.clone(),
                project_id,
                auth,
                timeout: Duration::from_secs_f64(cli.timeout),
            };
            (target, cli.allow_mutations)
        }
        None => {
            let mut config = evs_ims_emulator::Config::default();
            config.faults.extend(cli.faults.iter().copied());
            let tenant = config.tenants[0].clone();
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let emulator = match runtime.block_on(evs_ims_emulator::Emulator::start(config)) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("error: cannot start the embedded emulator: {e}");
                    return ExitCode::FAILURE;
                }
            };
            eprintln!("embedded emulator at {}", emulator.base_url());
            let target = Target {
                base_url: emulator.base_url().to_string(),
                project_id: tenant.project_id,
                auth: Auth::token(tenant.token),
                timeout: Duration::from_secs_f64(cli.timeout),
            };
            _emulator = Some((runtime, emulator));
            (target, true)
        }
    };
    let settings = Settings {
        seed,
        max_cases: cli.max_cases,
        operations: cli.operations.clone(),
        checks,
        allow_mutations,
        rate: cli.rate,
        settle: Duration::from_secs_f64(cli.settle),
    };
    let suite = match Suite::new(target, settings) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let flag = suite.interrupt_flag();
    let stop = flag.clone();
    std::thread::spawn(move || {
        if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
            rt.block_on(async {
                if tokio::signal::ctrl_c().await.is_ok() {
                    eprintln!("\ninterrupted: cleaning up what the run created…");
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    let report = suite.run(&|op, done, total| {
        let width = 30;
        let filled = (done * width).checked_div(total).unwrap_or(width).min(width);
        eprint!(
            "\r[{}{}] {done}/{total} {op:<40}",
            "#".repeat(filled),
            "-".repeat(width - filled)
        );
        let _ = std::io::stderr().flush();
    });
    eprintln!();
    println!("{}", report.summary());
    if let Some(path) = &cli.junit {
        if let Err(e) = std::fs::write(path, report.to_junit()) {
            eprintln!("error: cannot write {}: {e}", path.display());
        }
    }
    if let Some(path) = &cli.json {
        let text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
        }
    }
    if flag.load(std::sync::atomic::Ordering::Relaxed) {
        return ExitCode::from(130);
    }
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
