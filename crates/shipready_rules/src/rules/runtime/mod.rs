//! Runtime rules (`standard` profile only): how a service container runs its server once started (a
//! development server or auto-reload, one worker process, ports that disagree). Each reads what the container
//! really runs ([`launch`]) and applies to service images only.

pub mod dev_server;
pub(crate) mod launch;
pub mod port_mismatch;
pub mod single_worker;

use crate::{Finding, Outcome};

/// Not applicable, with the reason.
pub(crate) fn not_applicable(why: &str) -> Outcome {
    Outcome::not_applicable(why.to_owned(), Finding::report_only(why.to_owned()))
}
