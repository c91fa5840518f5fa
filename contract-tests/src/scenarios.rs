//! Stateful scenarios, and the resources the property-based part needs.

use crate::suite::Suite;

pub(crate) fn setup_pool(_suite: &Suite) {}
pub(crate) fn discover_pool(_suite: &Suite) {}
pub(crate) fn run_all(_suite: &Suite) {}
pub(crate) fn cleanup(_suite: &Suite) {}
