//! ## What it checks
//! That the workspace has at least one Dockerfile (`Dockerfile`, `*.Dockerfile`, `Dockerfile.*` or
//! `Containerfile`). Under the `standard` profile a unit with nothing of its own to run in a container needs
//! none: a compose project of published images only, or a unit with no web app (a CDK app that bundles its
//! functions itself).
//!
//! ## Why it matters
//! Without an image definition every environment is built by hand, and what runs in production is not what
//! was tested.
//!
//! ## Example
//! A repository with `app/main.py` and a `requirements.txt`, but no Dockerfile.
//!
//! ## Fix
//! Add a `Dockerfile` next to the application that installs its dependencies and starts it, e.g.
//! `FROM python:3.12-slim`, `COPY`, `RUN pip install -r requirements.txt`, `CMD ["uvicorn", "app.main:app"]`.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-dockerfile",
    category: Category::Docker,
    severity: Severity::High,
    title: "No Dockerfile",
    impact: "The application cannot be built into a reproducible container image.",
    recommendation: "Add a Dockerfile for each deployable service.",
    effort: "1-2 hours",
    source: include_str!("no_dockerfile.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if let Some(outcome) = super::nothing_to_containerize(ctx) {
        return outcome;
    }
    let files = &ctx.index.docker().dockerfiles;
    if files.is_empty() {
        let message = "No Dockerfile found: the application cannot be built into a reproducible container image.";
        return Outcome::fail(
            "no Dockerfile found",
            vec![Finding::anchored(
                super::super::main_app_anchor(ctx),
                message,
            )],
        );
    }
    Outcome::pass(
        format!(
            "{} found",
            super::super::plural(files.len(), "Dockerfile", "Dockerfiles")
        ),
        files.clone(),
    )
}
