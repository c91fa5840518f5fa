//! What the run made, found and holds, shared by its threads: values for path
//! parameters, the resources it created (to delete them again), the statuses its own
//! requests hold resources in, what it saw of their timestamps, and the kinds of resource
//! that never settled.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use crate::context::lock;

/// Values for path parameters: by the path prefix that ends in the parameter
/// (`/v2/{project_id}/volumes/{volume_id}`), and by the parameter's name.
#[derive(Clone, Debug, Default)]
pub struct Pool {
    pub by_prefix: BTreeMap<String, String>,
    pub by_name: BTreeMap<String, String>,
}

impl Pool {
    pub fn insert(&mut self, prefix: &str, name: &str, value: &str) {
        self.by_prefix.insert(prefix.to_string(), value.to_string());
        self.by_name
            .entry(name.to_string())
            .or_insert_with(|| value.to_string());
    }
}

/// A resource this run created, and how to delete it.
#[derive(Clone, Debug, PartialEq)]
pub struct Created {
    /// The item path template (`/v2/{project_id}/volumes/{volume_id}`).
    pub template: String,
    /// The filled item path.
    pub path: String,
    pub id: String,
}

/// A resource's collection and id, the last two segments of its path (`/v2/p/volumes/v1`
/// → `volumes/v1`): one resource served under two roots (`/v2`, `/v3`) is one resource.
pub fn resource_key(path: &str) -> String {
    let mut segments = path.rsplitn(3, '/');
    let id = segments.next().unwrap_or_default();
    let collection = segments.next().unwrap_or_default();
    format!("{collection}/{id}")
}

/// The ledger; each part under its own lock.
#[derive(Debug, Default)]
pub struct Ledger {
    pub pool: Mutex<Pool>,
    pub created: Mutex<Vec<Created>>,
    /// Statuses the run's own requests hold resources in, by collection and id
    /// ([`crate::holds`]).
    pub holds: Mutex<BTreeMap<String, crate::holds::Hold>>,
    /// What was seen of the created resources' timestamps, by path ([`crate::timestamps`]).
    pub timestamps: Mutex<BTreeMap<String, crate::timestamps::Seen>>,
    /// The keys the run wrote into a map of a resource (`path#field`), so that a replace
    /// is judged on the run's own keys only ([`crate::readback`]).
    pub written: Mutex<BTreeMap<String, BTreeSet<String>>>,
    /// Resource kinds (path templates) one of which used up the settle time.
    never_settle: Mutex<BTreeSet<String>>,
}

impl Ledger {
    pub fn never_settles(&self, kind: &str) -> bool {
        lock(&self.never_settle).contains(kind)
    }

    pub fn mark_never_settles(&self, kind: &str) {
        lock(&self.never_settle).insert(kind.to_string());
    }
}
