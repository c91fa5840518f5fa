//! Scenarios: what a spec family needs beyond what the engine derives from any spec (the
//! generic producers, read-backs, deletes and waits of [`crate::resources`] and
//! [`crate::steps`]). The suite calls them only through [`Scenario`]; the engine names no
//! path or operation of theirs.

mod evs;
mod lifecycle;

use crate::context::Context;

/// A stateful scenario for one family of specs.
pub trait Scenario: Sync {
    /// How the report names it.
    fn name(&self) -> &str;
    /// Before the generic producers: resources the operations under test need.
    fn prepare(&self, ctx: &Context);
    /// After the generic producers (read-only runs): values found on what exists.
    fn discover(&self, ctx: &Context);
    /// Beside the per-operation cases, on a thread of its own: steps that mostly wait.
    fn alongside(&self, ctx: &Context);
}

/// The scenarios that apply to this run's specs and selected operations.
pub fn applicable(ctx: &Context) -> Vec<Box<dyn Scenario>> {
    let mut out: Vec<Box<dyn Scenario>> = Vec::new();
    if let Some(evs) = evs::Evs::find(ctx) {
        out.push(Box::new(evs));
    }
    out
}
