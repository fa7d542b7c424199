//! ## What it checks
//! That the workspace has a compose file (`compose.yaml`, `docker-compose.yml` or an override file) describing
//! how its containers run together. Under the `standard` profile it applies only to a unit that runs a network
//! service: a CLI, job or Lambda function image runs alone and has nothing for a compose file to wire it to, and
//! a unit whose CDK app runs its images (ECS services, Lambda functions from image assets) describes them there.
//!
//! ## Why it matters
//! A compose file records ports, dependencies, health checks and restart policies in one place; without it the
//! local stack and the deployment drift apart.
//!
//! ## Example
//! A `Dockerfile` for the API but no `compose.yaml` that starts it with its database.
//!
//! ## Fix
//! Add a `compose.yaml` with a service per Dockerfile, its ports, `depends_on` with `condition:
//! service_healthy`, a `healthcheck` and a `restart` policy.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "missing-compose-file",
    category: Category::Docker,
    severity: Severity::Medium,
    title: "No compose file",
    impact: "Services, ports and dependencies are not described together; local and deployed stacks drift.",
    recommendation: "Add a compose.yaml that runs every service with its dependencies.",
    effort: "1 hour",
    source: include_str!("missing_compose.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if let Some(outcome) = super::nothing_to_containerize(ctx) {
        return outcome;
    }
    let files = &ctx.index.docker().compose_files;
    let dockerfiles = &ctx.index.docker().dockerfiles;
    if ctx.profile == crate::Profile::Standard
        && files.is_empty()
        && !ctx.index.cdk().cdk_json.is_empty()
    {
        // The CDK app is what runs the unit's images (ECS task definitions, Lambda functions from assets).
        return Outcome::not_applicable(
            "the CDK app runs the images",
            Finding::report_only(
                "No compose file: the unit's CDK app defines how its images run (the seed profile asks for one anyway).",
            ),
        );
    }
    if files.is_empty() && !dockerfiles.is_empty() && !ctx.index.workload().serves {
        // A CLI, job or function image runs alone, started by a person, a scheduler or a platform: a compose
        // file has nothing to wire it to.
        let reason = &ctx.index.workload().reason;
        return Outcome::not_applicable(
            format!("no service to compose: {reason}"),
            Finding::anchored(
                super::super::main_dockerfile_anchor(ctx),
                format!("No compose file (the seed profile asks for one even for an image that runs no service: {reason})."),
            ),
        );
    }
    if files.is_empty() {
        let message = "No compose file: add a compose.yaml that runs this image with its ports, dependencies and health check.";
        return Outcome::fail(
            "0 docker-compose files",
            vec![Finding::anchored(
                super::super::main_dockerfile_anchor(ctx),
                message,
            )],
        );
    }
    Outcome::pass(
        format!(
            "{} found",
            super::super::plural(files.len(), "compose file", "compose files")
        ),
        files.clone(),
    )
}
