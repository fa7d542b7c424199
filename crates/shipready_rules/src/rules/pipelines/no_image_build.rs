//! ## What it checks
//! That a CI workflow builds what the unit deploys: its container image (`docker build`, `docker buildx
//! build`, `docker compose build`, `docker/build-push-action`, a reusable docker-build workflow) or, for a CDK
//! app, its templates and assets (`cdk synth`, `cdk deploy`). Only units with a Dockerfile or a CDK app are
//! judged; a unit with no CI workflow at all is reported once, by CI001.
//!
//! ## Why it matters
//! An image built by hand on a laptop is built from whatever was checked out there, with whatever was cached:
//! nobody can say which commit is running. A Dockerfile or CDK app that CI never builds also breaks silently,
//! and the breakage is found on deployment day.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   test:
//!     runs-on: ubuntu-latest
//!     steps:
//!       - uses: actions/checkout@v4
//!       - run: pytest
//! ```
//!
//! ## Fix
//! ```yaml
//!   image:
//!     runs-on: ubuntu-latest
//!     steps:
//!       - uses: actions/checkout@v4
//!       - uses: docker/build-push-action@v6
//!         with:
//!           context: .
//!           tags: ghcr.io/acme/api:${{ github.sha }}
//! ```

use super::steps::Activity;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-image-build",
    category: Category::Pipelines,
    severity: Severity::Medium,
    title: "No CI workflow builds the image or CDK app",
    impact: "What is deployed is built by hand, from an unknown commit, and breakage shows on deployment day.",
    recommendation: "Build the image (or synthesize the CDK app) in CI on every push.",
    effort: "1 hour",
    source: include_str!("no_image_build.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let ci = match super::judged(ctx) {
        Ok(ci) => ci,
        Err(outcome) => return outcome,
    };
    let index = ctx.index;
    let images = !index.docker().dockerfiles.is_empty();
    let cdk = !index.cdk().cdk_json.is_empty() || !index.cdk().app_files.is_empty();
    if !images && !cdk {
        return super::not_applicable("no Dockerfile or CDK app to build");
    }
    let wanted: &[Activity] = match (images, cdk) {
        (true, false) => &[Activity::Build],
        (false, true) => &[Activity::Synth],
        _ => &[Activity::Build, Activity::Synth],
    };
    if let Some(hit) = ci.first(wanted) {
        let details = format!("{} builds it ({})", hit.file, hit.found.what);
        return Outcome::pass(details, super::evidence(&ci))
            .satisfied_by(vec![(hit.file.to_owned(), hit.found.range)]);
    }
    let what = match (images, &index.docker().main_dockerfile) {
        (true, Some(d)) => format!("the image of {d}"),
        (true, None) => "the image".to_owned(),
        (false, _) => "the CDK app (`cdk synth`)".to_owned(),
    };
    let finding = Finding::anchored(
        ci.main_job(),
        format!("No CI workflow builds {what}: build it on every push, so what is deployed comes from a known commit."),
    );
    Outcome::fail("no workflow builds it", vec![finding]).with_evidence(super::evidence(&ci))
}
