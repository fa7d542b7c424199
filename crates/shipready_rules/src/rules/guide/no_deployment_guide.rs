//! ## What it checks
//! That the workspace has a deployment guide, found by what it says: a Markdown document (`.md`, `.mdx`,
//! `.markdown`) with deployment headings (Deployment, Going to Production, Self-hosting, ...) or deployment
//! commands in its code blocks (`docker compose up -d`, `cdk deploy`, `kubectl apply`, `helm install`,
//! `fly deploy`, `terraform apply`). A command in a section about running the project locally (a "Quick
//! start", or one that sends the reader to `localhost`) starts a demo, not a deployment; installation and
//! release headings add to a document's weight but do not make it a guide on their own. Of several
//! documents, the one that says most wins: deployment headings and commands weigh most, then the required
//! sections it has; a file named for deployment (`DEPLOYMENT.md`, `docs/deploy.md`) is the guide unless
//! another document says far more. Changelogs, contribution guides, codes of conduct, licences, security
//! policies, issue templates and vendored folders are never the guide.
//!
//! ## Why it matters
//! Deployments done from memory are deployments that go wrong when the one person who remembers is away.
//!
//! ## Example
//! A README that says how to run the app locally and nothing about production. (An `installation.mdx` with a
//! "Going to Production" section is a guide.)
//!
//! ## Fix
//! Add `DEPLOYMENT.md` with Prerequisites, Local Setup, AWS Setup, Production Deployment, Monitoring,
//! Troubleshooting and Rollback sections.

use crate::index::guide::FoundBy;
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
    match &ctx.index.guide() {
        Some(guide) => {
            // A guide found by its content says why, so a surprising choice can be understood.
            let why = match &guide.found_by {
                FoundBy::Name => String::new(),
                FoundBy::Heading(h) => format!(" (its \"{h}\" section)"),
                FoundBy::Command(c) => format!(" (it runs `{c}`)"),
                FoundBy::Configured => " (set by the configuration)".to_owned(),
            };
            Outcome::pass(
                format!("{} is the deployment guide{why}", guide.path),
                vec![guide.path.clone()],
            )
        }
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
