//! `emulator`: serve the EVS + IMS emulator.
//!
//! ```text
//! cargo run -p emulator -- --listen 127.0.0.1:8776
//! cargo run -p emulator -- --fault lost-metadata-write --fault wrong-content-type
//! cargo run -p emulator -- --list-faults
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use evs_ims_emulator::{AccessKey, Chaos, Config, Connections, Emulator, Fault, Tenant, User};

#[derive(Parser)]
#[command(
    name = "emulator",
    version,
    about = "A stateful local EVS + IMS that follows spec/"
)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8776")]
    listen: String,
    /// Break one documented promise (repeatable); see --list-faults.
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<Fault>,
    /// Print the faults, one line each, and exit.
    #[arg(long)]
    list_faults: bool,
    /// A tenant as TOKEN=PROJECT_ID (repeatable); default: emulator-token=emulator-project
    /// and other-token=other-project.
    #[arg(long = "tenant", value_name = "TOKEN=PROJECT")]
    tenants: Vec<String>,
    /// An AK/SK pair as ACCESS_KEY:SECRET_KEY:PROJECT_ID (repeatable); default:
    /// EMULATORACCESSKEY001:emulator-secret-key:emulator-project and
    /// EMULATORACCESSKEY002:other-secret-key:other-project.
    #[arg(long = "ak-sk", value_name = "AK:SK:PROJECT")]
    access_keys: Vec<String>,
    /// A user of the identity endpoint (`/identity/v3`, Keystone v3 tokens) as
    /// NAME:PASSWORD:PROJECT_ID (repeatable); default: emulator-user:emulator-password for
    /// emulator-project and other-user:other-password for other-project.
    #[arg(long = "user", value_name = "NAME:PASSWORD:PROJECT")]
    users: Vec<String>,
    /// Transport fault: delay every answer by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Transport fault: answer every Nth request 429 with Retry-After.
    #[arg(long, value_name = "N")]
    throttle_every: Option<u64>,
    /// Transport fault: answer every Nth request 503 with Retry-After.
    #[arg(long, value_name = "N")]
    unavailable_every: Option<u64>,
    /// Transport fault: close the connection of every Nth request before its answer ends.
    #[arg(long, value_name = "N")]
    drop_every: Option<u64>,
    /// The Retry-After, in seconds, of a throttled or unavailable answer.
    #[arg(long, default_value_t = 1)]
    retry_after: u64,
    /// How long each transitional status lasts, in milliseconds.
    #[arg(long, default_value_t = 50)]
    transition_ms: u64,
    /// Each project's volume quota (default: 1000).
    #[arg(long, value_name = "N")]
    quota_volumes: Option<i64>,
    /// Each project's gigabyte quota (default: 1000000).
    #[arg(long, value_name = "N")]
    quota_gigabytes: Option<i64>,
    /// Each project's snapshot quota (default: 1000).
    #[arg(long, value_name = "N")]
    quota_snapshots: Option<i64>,
    /// Each project's backup quota, as quota reads show it (default: 100; backups are not
    /// emulated).
    #[arg(long, value_name = "N")]
    quota_backups: Option<i64>,
    /// Each project's backup gigabyte quota, as quota reads show it (default: 5120).
    #[arg(long, value_name = "N")]
    quota_backup_gigabytes: Option<i64>,
    /// Seconds a request's headers may take, from when the connection is ready for one; a
    /// slow sender and a connection idle between requests are closed after it.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    header_timeout: u64,
    /// Seconds a request's body may take once its headers are in (then 408).
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    body_timeout: u64,
    /// Connections served at once; one more gets a 503 and is closed.
    #[arg(long, value_name = "N", default_value_t = 512)]
    max_connections: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.list_faults {
        for f in Fault::ALL {
            println!("{:<26} {}", f.name(), f.describe());
        }
        return ExitCode::SUCCESS;
    }
    let mut config = Config {
        transition: Duration::from_millis(cli.transition_ms),
        ..Config::default()
    };
    config.faults.extend(cli.faults);
    config.quota.volumes = cli.quota_volumes.unwrap_or(config.quota.volumes);
    config.quota.gigabytes = cli.quota_gigabytes.unwrap_or(config.quota.gigabytes);
    config.quota.snapshots = cli.quota_snapshots.unwrap_or(config.quota.snapshots);
    config.quota.backups = cli.quota_backups.unwrap_or(config.quota.backups);
    config.quota.backup_gigabytes = cli
        .quota_backup_gigabytes
        .unwrap_or(config.quota.backup_gigabytes);
    config.connections = Connections {
        header_timeout: Duration::from_secs(cli.header_timeout.max(1)),
        body_timeout: Duration::from_secs(cli.body_timeout.max(1)),
        max: cli.max_connections.max(1),
    };
    config.chaos = Chaos {
        latency: Duration::from_millis(cli.latency_ms),
        throttle_every: cli.throttle_every,
        retry_after: cli.retry_after,
        unavailable_every: cli.unavailable_every,
        drop_every: cli.drop_every,
    };
    if !cli.tenants.is_empty() {
        let mut tenants = Vec::new();
        for t in &cli.tenants {
            let Some((token, project_id)) = t.split_once('=') else {
                eprintln!("error: --tenant takes TOKEN=PROJECT_ID, got {t:?}");
                return ExitCode::from(2);
            };
            tenants.push(Tenant {
                token: token.into(),
                project_id: project_id.into(),
            });
        }
        config.tenants = tenants;
    }
    if !cli.access_keys.is_empty() {
        let mut keys = Vec::new();
        for k in &cli.access_keys {
            match three("--ak-sk", "ACCESS_KEY:SECRET_KEY:PROJECT_ID", k) {
                Ok([ak, sk, project]) => keys.push(AccessKey::new(ak, sk, project)),
                Err(e) => return usage(&e),
            }
        }
        config.access_keys = keys;
    }
    if !cli.users.is_empty() {
        let mut users = Vec::new();
        for u in &cli.users {
            match three("--user", "NAME:PASSWORD:PROJECT_ID", u) {
                Ok([name, password, project]) => users.push(User::new(name, password, project)),
                Err(e) => return usage(&e),
            }
        }
        config.users = users;
    }
    let listener = match tokio::net::TcpListener::bind(&cli.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", cli.listen);
            return ExitCode::FAILURE;
        }
    };
    let faults: Vec<String> = config.faults.iter().map(|f| f.to_string()).collect();
    let tenants: Vec<String> = config
        .tenants
        .iter()
        .map(|t| format!("project {}", t.project_id))
        .collect();
    let user_names: Vec<String> = config.users.iter().map(|u| u.name.clone()).collect();
    let emulator = match Emulator::start_on(listener, config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "emulator listening on {} ({}); faults: {}",
        emulator.base_url(),
        tenants.join(", "),
        if faults.is_empty() {
            "none".into()
        } else {
            faults.join(", ")
        }
    );
    eprintln!(
        "identity: OS_AUTH_URL={}/identity/v3 (users: {})",
        emulator.base_url(),
        user_names.join(", ")
    );
    let _ = tokio::signal::ctrl_c().await;
    emulator.stop().await;
    ExitCode::SUCCESS
}

/// A `A:B:C` flag value split in three non-empty parts (the last may hold `:`).
fn three<'a>(flag: &str, form: &str, value: &'a str) -> Result<[&'a str; 3], String> {
    let parts: Vec<&str> = value.splitn(3, ':').collect();
    match parts[..] {
        [a, b, c] if !a.is_empty() && !b.is_empty() && !c.is_empty() => Ok([a, b, c]),
        _ => Err(format!("{flag} takes {form}, none of them empty")),
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}
