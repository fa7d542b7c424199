//! ## What it checks
//! That a CI workflow (`.github/workflows/*.yml`, `.gitlab-ci.yml`) runs the unit's tests: `pytest`, `tox`,
//! `nox`, `python -m unittest`, `manage.py test`, `npm test`, `go test`, `cargo test`, `cabal test`, a
//! `make` target that runs them (followed into the Makefile), or a test script (`scripts/test.sh`). When the
//! repository has no CI workflow at all, this is the one finding that says so (the other pipelines checks are
//! then not applicable); a CDK app that defines its own pipeline (CDK Pipelines' `CodePipeline`) has one.
//! Samples of a collection that the repository's CI does not name, and units with nothing of their own to
//! deploy (no Dockerfile, CDK app, Procfile or deployment guide), are not judged.
//!
//! ## Why it matters
//! Without CI running the tests, whatever is merged is whatever is deployed: a regression reaches production
//! as soon as someone builds from the main branch, and nobody learns of it before users do.
//!
//! ## Example
//! ```yaml
//! # .github/workflows/ci.yml
//! on: [push]
//! jobs:
//!   lint:
//!     runs-on: ubuntu-latest
//!     steps:
//!       - uses: actions/checkout@v4
//!       - run: ruff check .
//! ```
//!
//! ## Fix
//! ```yaml
//! jobs:
//!   test:
//!     runs-on: ubuntu-latest
//!     steps:
//!       - uses: actions/checkout@v4
//!       - uses: actions/setup-python@v5
//!         with:
//!           python-version: "3.12"
//!       - run: pip install -r requirements.txt
//!       - run: pytest
//! ```

use super::steps::Activity;
use super::Ci;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-test-workflow",
    category: Category::Pipelines,
    severity: Severity::High,
    title: "No CI workflow runs the tests",
    impact: "Regressions are merged and deployed without anyone running the tests.",
    recommendation:
        "Add a CI workflow that installs the dependencies and runs the test suite on every push.",
    effort: "1 hour",
    source: include_str!("no_test_workflow.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if let Some(outcome) = super::unit_gate(ctx) {
        return outcome;
    }
    let ci = Ci::of(ctx);
    if ci.workflows.is_empty() {
        if let Some((file, range)) = super::cdk_pipeline(ctx) {
            return Outcome::pass(
                format!("the CDK app defines its own pipeline ({file})"),
                vec![file.to_owned()],
            )
            .satisfied_by(vec![(file.to_owned(), range)]);
        }
        let finding = Finding::anchored(
            crate::rules::unit_anchor(ctx),
            "No CI workflow at all (.github/workflows/ or .gitlab-ci.yml): nothing tests, builds or deploys this unit automatically.",
        );
        return Outcome::fail("no CI workflow", vec![finding]);
    }
    if let Some(hit) = ci.first(&[Activity::Test]) {
        let details = format!("{} runs the tests ({})", hit.file, hit.found.what);
        return Outcome::pass(details, super::evidence(&ci))
            .satisfied_by(vec![(hit.file.to_owned(), hit.found.range)]);
    }
    let n = ci.workflows.len();
    let finding = Finding::anchored(
        ci.main_job(),
        format!(
            "None of the {} runs the tests: add a job that runs the test suite on every push.",
            crate::rules::plural(n, "CI workflow", "CI workflows")
        ),
    );
    Outcome::fail(
        format!(
            "{} found, none runs the tests",
            crate::rules::plural(n, "workflow", "workflows")
        ),
        vec![finding],
    )
    .with_evidence(super::evidence(&ci))
}
