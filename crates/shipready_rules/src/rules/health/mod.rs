//! Health check rules (5 checks of 20 points). In the `standard` profile they apply when the workspace has a
//! web application, a Dockerfile or a compose file: something that runs and can be probed.

pub mod few_services_with_health_checks;
pub mod main_app_without_health;
pub mod no_dependency_health;
pub mod no_health_route;
pub mod undocumented_health_endpoints;

use crate::{Context, Finding, Outcome};

/// Whether the workspace runs a network service that could be probed: a CLI or job image, or an app that runs
/// as a Lambda function, has no health endpoint to offer.
pub(crate) fn applies(ctx: &Context) -> bool {
    ctx.index.workload.serves
}

pub(crate) fn not_applicable(ctx: &Context) -> Outcome {
    let reason = &ctx.index.workload.reason;
    Outcome::not_applicable(
        format!("no network service: {reason}"),
        Finding::report_only(format!("No network service to health-check ({reason}): the seed profile scores this as a gap; `--profile standard` leaves it out.")),
    )
}
