//! `bench`: the in-process parts of `bench/run`. Each subcommand measures one thing and
//! prints one JSON object on stdout; `bench/run` runs them, and the peers, several times
//! and prints the table of ratios.
//!
//! ```text
//! bench load --url http://127.0.0.1:8776 --path /v2/p/volumes/ID --header X-Auth-Token:t
//! bench bare --listen 127.0.0.1:0 --body-file volume.json
//! bench client-overhead --url http://127.0.0.1:PORT
//! bench codegen --spec spec/evs.yaml --spec spec/ims.yaml [--progenitor]
//! ```

mod bare;
mod generate;
mod load;
mod overhead;

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "bench", about = "The measurements behind bench/run")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Keep-alive HTTP/1.1 load on one request for a fixed time: requests/s, p50, p99.
    Load {
        #[arg(long)]
        url: String,
        #[arg(long, default_value = "GET")]
        method: String,
        #[arg(long)]
        path: String,
        /// A request body (sent as application/json).
        #[arg(long)]
        body: Option<String>,
        /// NAME:VALUE (repeatable).
        #[arg(long = "header")]
        headers: Vec<String>,
        #[arg(long, default_value_t = 32)]
        connections: usize,
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
    /// A bare hyper server answering every request with one fixed body: the machine's ceiling.
    Bare {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
        /// The body to answer with (default `{}`).
        #[arg(long)]
        body_file: Option<std::path::PathBuf>,
    },
    /// A generated-client call against a hand-written reqwest + serde_json call of the
    /// same request, alternating, on the same server.
    ClientOverhead {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 4000)]
        calls: usize,
    },
    /// Time to load, lower, emit and format clients from specs, in this process.
    Codegen {
        #[arg(long = "spec", required = true)]
        specs: Vec<std::path::PathBuf>,
        #[arg(long, default_value_t = 20)]
        runs: usize,
        /// Time progenitor on the same specs (needs the `progenitor` feature).
        #[arg(long)]
        progenitor: bool,
        /// Where progenitor refuses a spec, try each operation alone to say which it
        /// cannot handle (slow on a big spec: one generation per operation).
        #[arg(long, requires = "progenitor")]
        why: bool,
        /// Also write each client to DIR/<spec stem>.rs.
        #[arg(long, value_name = "DIR")]
        write: Option<std::path::PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bench: no runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Load {
            url,
            method,
            path,
            body,
            headers,
            connections,
            seconds,
        } => runtime.block_on(load::run(load::Load {
            url,
            method,
            path,
            body,
            headers,
            connections,
            duration: Duration::from_secs_f64(seconds),
        })),
        Command::Bare { listen, body_file } => runtime.block_on(bare::serve(&listen, body_file)),
        Command::ClientOverhead { url, calls } => runtime.block_on(overhead::run(&url, calls)),
        Command::Codegen {
            specs,
            runs,
            progenitor,
            why,
            write,
        } => generate::run(&specs, runs, progenitor.then_some(why), write.as_deref()),
    };
    match result {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Median, min and max of some samples (seconds, or any unit), as JSON.
pub(crate) fn spread(samples: &mut [f64]) -> serde_json::Value {
    samples.sort_by(f64::total_cmp);
    let median = match samples.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => samples[n / 2],
        n => (samples[n / 2 - 1] + samples[n / 2]) / 2.0,
    };
    serde_json::json!({
        "median": median,
        "min": samples.first().copied().unwrap_or(f64::NAN),
        "max": samples.last().copied().unwrap_or(f64::NAN),
        "runs": samples.len(),
    })
}
