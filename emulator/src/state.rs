//! The emulated world: every resource of every tenant, behind one reader-writer lock.
//!
//! Handlers run synchronously under the lock, so each request is atomic: concurrent
//! writers cannot lose each other's updates, and reads (a show, a list) run side by side. Transitions (`creating → available`, an IMS
//! job `INIT → RUNNING → SUCCESS`) are not driven by timers: each resource records when
//! it entered its transitional state, and its status is computed from the clock when read.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use crate::evs::{Snapshot, Volume};

#[derive(Default)]
pub(crate) struct World {
    pub volumes: BTreeMap<String, Volume>,
    pub snapshots: BTreeMap<String, Snapshot>,
    pub jobs: BTreeMap<String, Job>,
    /// Volumes and gigabytes each project holds, kept as volumes are created, extended and
    /// deleted, so a quota check does not walk every volume of every tenant.
    in_use: HashMap<String, (i64, i64)>,
}

/// Limits of one tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    pub volumes: i64,
    pub gigabytes: i64,
    pub snapshots: i64,
    pub backups: i64,
    pub backup_gigabytes: i64,
}

impl Default for Quota {
    fn default() -> Quota {
        Quota {
            volumes: 1000,
            gigabytes: 1_000_000,
            snapshots: 1000,
            backups: 100,
            backup_gigabytes: 5120,
        }
    }
}

/// Fixed facts of the emulated region.
pub(crate) struct Limits {
    pub zones: Vec<&'static str>,
    pub max_volume_size: i64,
    pub quota: Quota,
}

impl World {
    /// Volumes and gigabytes a project uses now (a volume stops counting when its deletion
    /// starts).
    pub fn usage(&self, project: &str) -> (i64, i64) {
        self.in_use.get(project).copied().unwrap_or_default()
    }

    /// Records that `project` now holds `volumes` more volumes and `gigabytes` more GB (either
    /// may be negative). Every change to a counted volume goes through here.
    pub fn count_usage(&mut self, project: &str, volumes: i64, gigabytes: i64) {
        // Sizes are bounded (1-32768 GB) before they get here; saturating keeps a bug from
        // becoming a panic or a wrap to a negative total.
        let entry = self.in_use.entry(project.to_string()).or_default();
        entry.0 = entry.0.saturating_add(volumes);
        entry.1 = entry.1.saturating_add(gigabytes);
    }

    pub fn quota(&self, _project: &str, limits: &Limits) -> Quota {
        limits.quota
    }
}

/// An IMS asynchronous job.
pub(crate) struct Job {
    pub project_id: String,
    pub job_type: &'static str,
    pub started: Instant,
    pub begin_time: String,
    /// When it ends (once `started` is two transitions old), fixed when it is submitted.
    pub end_time: String,
    /// Why it will fail, decided when it was submitted; `None` if it will succeed.
    pub fail: Option<(&'static str, String)>,
    /// The image it produces on success, with its name.
    pub image: Option<(String, String)>,
    /// Data-disk images produced by sub-jobs.
    pub sub_images: Vec<(String, String)>,
}

/// Phases of anything that moves on by itself: `0` until one transition has passed, and so on.
pub(crate) fn phase(started: Instant, now: Instant, transition: Duration) -> u32 {
    let elapsed = now.saturating_duration_since(started);
    if transition.is_zero() {
        return u32::MAX;
    }
    (elapsed.as_nanos() / transition.as_nanos()).min(u32::MAX as u128) as u32
}

/// Wall-clock time in the vendor's two formats.
pub(crate) fn timestamp_ims() -> String {
    timestamp_ims_after(Duration::ZERO)
}

/// [`timestamp_ims`] of a moment `later` than now.
pub(crate) fn timestamp_ims_after(later: Duration) -> String {
    let now = time::OffsetDateTime::now_utc() + later;
    now.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .unwrap_or_default()
}

/// EVS/Cinder timestamps: microseconds, no time zone.
pub(crate) fn timestamp_evs() -> String {
    timestamp_evs_in(std::time::Duration::ZERO)
}

/// The EVS timestamp `after` from now: when a status change under way will be over.
pub(crate) fn timestamp_evs_in(after: std::time::Duration) -> String {
    let now = time::OffsetDateTime::now_utc() + after;
    now.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]"
    ))
    .unwrap_or_default()
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// IMS job ids are 32 hex digits without dashes.
pub(crate) fn new_job_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
