//! Health check rules (5 checks of 20 points). In the `standard` profile they apply when the workspace has a
//! web application, a Dockerfile or a compose file: something that runs and can be probed.

pub mod few_services_with_health_checks;
pub mod main_app_without_health;
pub mod no_dependency_health;
pub mod no_health_route;
pub mod undocumented_health_endpoints;

use crate::{Context, Finding, Outcome};

/// Whether the workspace runs anything that could be probed.
pub(crate) fn applies(ctx: &Context) -> bool {
    !ctx.index.web.apps.is_empty()
        || !ctx.index.docker.dockerfiles.is_empty()
        || !ctx.index.docker.compose_files.is_empty()
}

pub(crate) fn not_applicable() -> Outcome {
    Outcome::not_applicable(
        "no web application or container",
        Finding::report_only("No web application, Dockerfile or compose service, so nothing can be health-checked: add the service with a /health route (the seed profile scores this as a gap; `--profile standard` leaves it out)."),
    )
}
