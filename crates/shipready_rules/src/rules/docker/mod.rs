//! Docker containerization rules (4 checks of 25 points).

pub mod missing_compose;
pub mod no_dockerfile;
pub mod single_stage_build;
mod tags;
pub mod unpinned_base_image;

use crate::{Context, Finding, Outcome, Profile};

/// Under `standard`, a unit with no Dockerfile needs none when nothing of its own runs in a container: a
/// compose project of published images only (nothing to build), or a unit with no web app to package (a CDK
/// app whose functions CDK bundles itself, a documentation folder). `None` when the container checks apply.
pub(crate) fn nothing_to_containerize(ctx: &Context) -> Option<Outcome> {
    let docker = &ctx.index.docker();
    if ctx.profile != Profile::Standard || !docker.dockerfiles.is_empty() {
        return None;
    }
    let builds = ctx
        .workspace
        .of_kind(shipready_syntax::FileKind::Compose)
        .filter_map(|f| crate::index::docker::compose(&f.facts))
        .flat_map(|c| c.services.iter())
        .any(|s| s.build.is_some());
    let reason = if !docker.compose_files.is_empty() && !builds {
        "every compose service runs a published image"
    } else if docker.compose_files.is_empty() && ctx.index.workload().lambda_wrapped {
        "the web app runs as an AWS Lambda function (Mangum), packaged by its deploy tool"
    } else if docker.compose_files.is_empty() && ctx.index.web().apps.is_empty() {
        "no web application to package"
    } else {
        return None;
    };
    Some(Outcome::not_applicable(
        format!("no image to build: {reason}"),
        Finding::report_only(format!(
            "No Dockerfile ({reason}; the seed profile asks for one anyway)."
        )),
    ))
}
