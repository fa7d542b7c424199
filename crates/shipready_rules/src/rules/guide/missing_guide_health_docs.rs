//! ## What it checks
//! That the deployment guide documents health checks: a heading about health, or text that mentions a health
//! check, a health endpoint or a health path such as `/health`.
//!
//! Under the `standard` profile it applies only to a unit that runs a network service: a Lambda function or a
//! job has no health endpoint to document.
//!
//! ## Why it matters
//! After a deploy, the first question is "is it healthy?". A guide that does not say how to check leaves the
//! answer to guesswork.
//!
//! ## Example
//! A guide that ends with `cdk deploy` and never says how to verify the deployment.
//!
//! ## Fix
//! Add a "Health checks" part to the deployment or monitoring section: the endpoint, a `curl` command and the
//! expected answer.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "missing-guide-health-docs",
    category: Category::Guide,
    severity: Severity::Low,
    title: "Deployment guide does not document health checks",
    impact: "Nobody knows how to verify a deployment or what healthy looks like.",
    recommendation: "Document the health endpoints with a curl command and the expected response.",
    effort: "15 minutes",
    source: include_str!("missing_guide_health_docs.rs"),
    check,
};

/// Whether Markdown text (lower-case) talks about health checks.
pub(crate) fn documents_health(text: &str, headings: &[String]) -> bool {
    headings.iter().any(|h| h.to_lowercase().contains("health"))
        || [
            "health check",
            "healthcheck",
            "health-check",
            "health endpoint",
            "/health",
            "readiness",
            "liveness",
        ]
        .iter()
        .any(|w| text.contains(w))
}

fn check(ctx: &Context) -> Outcome {
    if ctx.profile == crate::Profile::Standard && !ctx.index.workload().serves {
        // A Lambda function or a job has no health endpoint for the guide to document.
        let reason = &ctx.index.workload().reason;
        return Outcome::not_applicable(
            format!("no network service: {reason}"),
            Finding::report_only(format!(
                "No network service whose health checks the guide could document ({reason})."
            )),
        );
    }
    let (file, md) = match super::guide(ctx) {
        Ok(g) => g,
        Err(outcome) => return outcome,
    };
    let headings: Vec<String> = md.headings.iter().map(|h| h.text.clone()).collect();
    if documents_health(&md.plain_text_lower, &headings) {
        return Outcome::pass("has health check docs", vec![file.path.clone()]);
    }
    let anchor = md
        .title()
        .map(|h| h.range)
        .unwrap_or_else(|| super::super::first_line(&file.text));
    let message = "The deployment guide does not document health checks: say which endpoint to probe and what healthy looks like.";
    Outcome::fail(
        "no health check docs",
        vec![Finding::at(&file.path, anchor, message)],
    )
}
