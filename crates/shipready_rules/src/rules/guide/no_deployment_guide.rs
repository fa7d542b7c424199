//! ## What it checks
//! That the workspace has a deployment guide: a Markdown file named for deployment (`DEPLOYMENT.md`,
//! `docs/deploy.md`, ...), or a README or other document with a deployment heading and at least two of the
//! required sections.
//!
//! ## Why it matters
//! Deployments done from memory are deployments that go wrong when the one person who remembers is away.
//!
//! ## Example
//! A README that says how to run the app locally and nothing about production.
//!
//! ## Fix
//! Add `DEPLOYMENT.md` with Prerequisites, Local Setup, AWS Setup, Production Deployment, Monitoring,
//! Troubleshooting and Rollback sections.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-deployment-guide",
    category: Category::Guide,
    severity: Severity::High,
    title: "No deployment guide",
    impact: "Deployments depend on memory; on-call engineers have nothing to follow.",
    recommendation:
        "Write DEPLOYMENT.md covering setup, deployment, monitoring, troubleshooting and rollback.",
    effort: "2-4 hours",
    source: include_str!("no_deployment_guide.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    match &ctx.index.guide {
        Some(guide) => Outcome::pass(
            format!("{} is the deployment guide", guide.path),
            vec![guide.path.clone()],
        ),
        None => {
            let message =
                "No deployment guide: add DEPLOYMENT.md so deployments do not depend on memory.";
            Outcome::fail(
                "no deployment guide",
                vec![Finding::anchored(super::super::readme_anchor(ctx), message)
                    .with_fix(crate::fixes::create_guide::fix(ctx))],
            )
        }
    }
}
