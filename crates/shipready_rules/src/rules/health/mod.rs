//! Health check rules (5 checks of 20 points). In the `standard` profile they apply when the workspace has a
//! web application, a Dockerfile or a compose file: something that runs and can be probed.

mod cdk_probes;
mod compose_services;
pub mod few_services_with_health_checks;
pub mod main_app_without_health;
pub mod no_dependency_health;
pub mod no_health_route;
pub mod probe_reaches_no_route;
pub(crate) mod probe_routes;
mod probe_sources;
#[cfg(test)]
mod probe_tests;
mod probe_urls;
pub mod target_group_default_probe;
pub mod undocumented_health_endpoints;

use crate::{Context, Finding, Outcome};

/// Whether the workspace runs a network service that could be probed: a CLI or job image, or an app that runs
/// as a Lambda function, has no health endpoint to offer.
pub(crate) fn applies(ctx: &Context) -> bool {
    ctx.index.workload().serves
}

pub(crate) fn not_applicable(ctx: &Context) -> Outcome {
    let reason = &ctx.index.workload().reason;
    Outcome::not_applicable(
        format!("no network service: {reason}"),
        Finding::report_only(format!("No network service to health-check ({reason}): the seed profile scores this as a gap; `--profile standard` leaves it out.")),
    )
}

/// The gate of checks that read a Python web app's routes (HC001, HC003, HC004): not applicable where nothing
/// serves and, under `standard`, where the service is not a Python web app shipready reads (a Go or Java
/// backend, nginx, a stack of published images): saying it has no health route would be a guess.
pub(crate) fn app_gate(ctx: &Context) -> Option<Outcome> {
    if !applies(ctx) {
        return Some(not_applicable(ctx));
    }
    if ctx.profile == crate::Profile::Standard && ctx.index.web().apps.is_empty() {
        return Some(Outcome::not_applicable(
            "no Python web app to read",
            Finding::report_only("The service is not a FastAPI, Flask or Starlette app, so its routes cannot be read."),
        ));
    }
    None
}
