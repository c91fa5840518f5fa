//! The emulator's state: configuration, the two specs, the world of resources behind a
//! reader-writer lock, the limits and the tokens the identity endpoint issued.

use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use specwright_oracle::Spec;

use crate::Config;
use crate::error::Service;
use crate::state::{Limits, World};

const EVS_SPEC: &str = include_str!("../../spec/evs.yaml");
const IMS_SPEC: &str = include_str!("../../spec/ims.yaml");

/// The emulator's state and settings: the configuration, the specs, the world of
/// resources, the limits, the tokens issued. Handlers read and change it through [`Call`](crate::call::Call).
pub(crate) struct App {
    pub config: Config,
    evs: Spec,
    ims: Spec,
    world: RwLock<World>,
    pub limits: Limits,
    pub(crate) requests: crate::chaos::Counter,
    /// Tokens the identity endpoint issued.
    pub tokens: crate::identity::Tokens,
}

impl App {
    pub fn new(config: Config) -> Result<App, String> {
        let evs = Spec::parse(EVS_SPEC, "spec/evs.yaml").map_err(|e| e.to_string())?;
        let ims = Spec::parse(IMS_SPEC, "spec/ims.yaml").map_err(|e| e.to_string())?;
        let max_volume_size = max_size(&evs).unwrap_or(32768);
        let limits = Limits {
            zones: vec!["az1.dc1", "az2.dc2"],
            max_volume_size,
            quota: config.quota,
        };
        Ok(App {
            config,
            evs,
            ims,
            world: RwLock::new(World::default()),
            limits,
            requests: crate::chaos::Counter::default(),
            tokens: crate::identity::Tokens::default(),
        })
    }

    /// The world to read: reads run side by side.
    pub(crate) fn world(&self) -> RwLockReadGuard<'_, World> {
        // Poisoning is ignored: a handler that panicked fails its request, not the emulator.
        self.world.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The world to change: one request at a time, so none loses another's update.
    pub(crate) fn world_mut(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn spec(&self, service: Service) -> &Spec {
        match service {
            Service::Evs => &self.evs,
            Service::Ims => &self.ims,
        }
    }
}

/// The largest volume size the spec allows at creation, for the boundary fault.
fn max_size(evs: &Spec) -> Option<i64> {
    let op = evs.operation("createVolume")?;
    let (_, media) = op.request_body(evs).ok()??;
    let mut schema = evs.raw().pointer(media.first()?.schema_pointer.as_ref()?)?;
    for key in ["volume", "size"] {
        let (_, resolved) = evs.deref("", schema).ok()?;
        schema = resolved.get("properties")?.get(key)?;
    }
    let (_, size) = evs.deref("", schema).ok()?;
    size.get("maximum")?.as_i64()
}
