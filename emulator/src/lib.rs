//! A stateful, in-memory EVS + IMS that follows `spec/`.
//!
//! Routing is driven by the spec itself: a request is matched against the spec's path
//! templates, its body is checked against the operation's request schema (the same
//! `oracle` the contract suite uses), and only then does the handler for that
//! `operationId` run against the in-memory state. Bad input gets the documented error body
//! and a 4xx, never a 5xx, a hang or a changed state.
//!
//! Start it in-process on an ephemeral port:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = evs_ims_emulator::Emulator::start(evs_ims_emulator::Config::default()).await?;
//! println!("EVS and IMS at {}", emulator.base_url());
//! # Ok(()) }
//! ```

mod app;
mod auth;
mod call;
mod chaos;
mod dispatch;
mod error;
mod evs;
pub mod faults;
mod identity;
mod ims;
mod microversion;
mod routes;
mod serve;
mod state;
mod validate;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use chaos::Chaos;
pub use error::{ApiError, Service};
pub use faults::Fault;
pub use serve::Connections;
pub use state::Quota;

/// A tenant: the token that authenticates it and the project it owns. `Debug` never shows
/// the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Tenant {
    pub token: String,
    pub project_id: String,
}

impl Tenant {
    /// A project reached without a token: by an AK/SK signature, or, where authentication
    /// is not asked for, by anyone.
    pub fn without_token(project_id: impl Into<String>) -> Tenant {
        Tenant {
            token: String::new(),
            project_id: project_id.into(),
        }
    }
}

impl std::fmt::Debug for Tenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tenant")
            .field("token", &"[REDACTED]")
            .field("project_id", &self.project_id)
            .finish()
    }
}

/// An AK/SK pair and the project it signs for; `Debug` never shows the secret key.
#[derive(Clone, Debug)]
pub struct AccessKey {
    pub access_key: String,
    pub secret_key: secrecy::SecretString,
    pub project_id: String,
}

impl AccessKey {
    pub fn new(access_key: &str, secret_key: &str, project_id: &str) -> AccessKey {
        AccessKey {
            access_key: access_key.into(),
            secret_key: secret_key.to_string().into(),
            project_id: project_id.into(),
        }
    }
}

/// A user who may get a token by password from the identity endpoint (`/identity/v3`),
/// scoped to its one project; `Debug` never shows the password.
#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    pub password: secrecy::SecretString,
    pub project_id: String,
}

impl User {
    pub fn new(name: &str, password: &str, project_id: &str) -> User {
        User {
            name: name.into(),
            password: password.to_string().into(),
            project_id: project_id.into(),
        }
    }

    /// The user's id: its name, made an id the way Keystone's look (stable across runs).
    pub fn id(&self) -> String {
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, self.name.as_bytes())
            .simple()
            .to_string()
    }
}

/// How the emulator behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// Who may call it. The first tenant is the one tools use by default.
    pub tenants: Vec<Tenant>,
    /// AK/SK pairs that may sign requests (`SDK-HMAC-SHA256`), each for one project.
    pub access_keys: Vec<AccessKey>,
    /// Users who may get a token from the identity endpoint by password.
    pub users: Vec<User>,
    /// Documented promises to break on purpose (see [`Fault`]).
    pub faults: BTreeSet<Fault>,
    /// Transport faults: latency, throttling, unavailability, dropped connections.
    pub chaos: Chaos,
    /// How long a transitional status (`creating`, `attaching`, an IMS job `RUNNING`...)
    /// lasts before the resource reaches its next status.
    pub transition: Duration,
    /// Largest request body accepted; larger ones get a 400.
    pub max_body_bytes: usize,
    /// Every tenant's quota.
    pub quota: Quota,
    /// Limits on connections: slow or idle clients cannot exhaust the emulator.
    pub connections: Connections,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            tenants: vec![
                Tenant {
                    token: "emulator-token".into(),
                    project_id: "emulator-project".into(),
                },
                Tenant {
                    token: "other-token".into(),
                    project_id: "other-project".into(),
                },
            ],
            access_keys: vec![
                AccessKey::new("EMULATORACCESSKEY001", "emulator-secret-key", "emulator-project"),
                AccessKey::new("EMULATORACCESSKEY002", "other-secret-key", "other-project"),
            ],
            users: vec![
                User::new("emulator-user", "emulator-password", "emulator-project"),
                User::new("other-user", "other-password", "other-project"),
            ],
            faults: BTreeSet::new(),
            chaos: Chaos::default(),
            transition: Duration::from_millis(50),
            max_body_bytes: 1 << 20,
            quota: Quota::default(),
            connections: Connections::default(),
        }
    }
}

/// A running emulator; stops when dropped or when [`Emulator::stop`] is awaited.
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Emulator {
    /// Binds `127.0.0.1` on an ephemeral port and serves in the background.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        Emulator::start_on(listener, config).await
    }

    /// Serves in the background on an already bound listener.
    pub async fn start_on(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<Emulator> {
        let addr = listener.local_addr()?;
        let limits = config.connections;
        let app = router(config).map_err(std::io::Error::other)?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve::serve(listener, app, limits, rx));
        Ok(Emulator {
            addr,
            base_url: format!("http://{addr}"),
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:<port>`; EVS paths (`/v2/...`) and IMS paths (`/v2/cloudimages/...`,
    /// `/v1/...`) are both served here.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving and waits until the server has shut down.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The emulator as an axum router, for embedding in another server.
pub fn router(config: Config) -> Result<axum::Router, String> {
    let app = Arc::new(dispatch::Server::new(config)?);
    Ok(axum::Router::new().fallback(dispatch::handle).with_state(app))
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_shows_neither_a_token_nor_a_secret_key() {
        let shown = format!("{:?}", super::Config::default());
        assert!(shown.contains("emulator-project"), "{shown}");
        for secret in [
            "emulator-token",
            "other-token",
            "emulator-secret-key",
            "other-secret-key",
            "emulator-password",
            "other-password",
        ] {
            assert!(!shown.contains(secret), "{secret} shown in {shown}");
        }
    }
}
