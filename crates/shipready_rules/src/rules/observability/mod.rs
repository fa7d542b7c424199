//! Observability rules (`standard` profile only): whether a running service can be watched (metrics), whether
//! its logs are configured, and whether error tracking is wired without a key in the code. Each applies to the
//! unit's production files.

pub mod literal_error_tracking_dsn;
pub mod no_configured_logging;
pub mod no_metrics;

use crate::Outcome;

/// Not applicable, with the reason.
pub(crate) fn not_applicable(why: &str) -> Outcome {
    Outcome::not_applicable_because(why)
}
