//! ## What it checks
//! That no Dockerfile installs or compiles dependencies in a single stage. A Dockerfile with one stage whose
//! `RUN` steps install packages (`pip install`, `npm ci`, `apt-get install`, ...) or build code fails; a
//! multi-stage build, or a single stage that only copies prebuilt artifacts, passes.
//!
//! ## Why it matters
//! Build tools, caches and compilers end up in the runtime image: it is larger, slower to pull and exposes
//! more to attackers.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12
//! RUN pip install -r requirements.txt
//! ```
//!
//! ## Fix
//! Install or build in a `builder` stage and copy only the result into a slim final stage
//! (`COPY --from=builder /venv /venv`).

use crate::index::docker::dockerfile;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "single-stage-build",
    category: Category::Docker,
    severity: Severity::Medium,
    title: "Dependencies installed in a single-stage build",
    impact: "Build tools and caches ship in the runtime image: larger images, slower deploys, more attack surface.",
    recommendation: "Use a multi-stage build: install dependencies in a builder stage, copy the result into a slim runtime stage.",
    effort: "1-2 hours",
    source: include_str!("single_stage_build.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let mut findings = Vec::new();
    let mut multi = 0;
    for path in &ctx.index.docker.dockerfiles {
        let Some(file) = ctx.workspace.file(path) else {
            continue;
        };
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        if d.stages.len() > 1 {
            multi += 1;
            continue;
        }
        let Some(stage) = d.stages.first() else {
            continue;
        };
        let Some(step) = stage.runs.iter().find(|r| r.installs || r.compiles) else {
            continue;
        };
        let what = if step.compiles {
            "compiles code"
        } else {
            "installs dependencies"
        };
        findings.push(
            Finding::at(
                &file.path,
                stage.from_range,
                format!("This single-stage build {what}: build tools and caches ship in the runtime image. Split it into a builder stage and a slim final stage."),
            )
            .with_related(&file.path, step.range, "dependencies are installed here"),
        );
    }
    let details = format!("{multi} with multi-stage builds");
    if ctx.index.docker.dockerfiles.is_empty() {
        let finding = Finding::report_only("No Dockerfile, so there is no multi-stage build: add a Dockerfile that installs dependencies in a builder stage and copies the result into a slim final stage.");
        return Outcome::not_applicable(details, finding);
    }
    if findings.is_empty() {
        return Outcome::pass(details, ctx.index.docker.dockerfiles.clone());
    }
    let needed = findings.len();
    Outcome::fail(details, findings).needing(needed)
}
