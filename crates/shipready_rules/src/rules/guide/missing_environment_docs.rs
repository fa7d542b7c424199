//! ## What it checks
//! That the deployment guide documents the environment configuration: a section about environment variables,
//! configuration or settings, an `.env` example, or `export NAME=...` lines in its code blocks.
//!
//! ## Why it matters
//! A deployment that needs `DATABASE_URL` and `SECRET_KEY` but does not say so fails on first start, or starts
//! with insecure defaults.
//!
//! ## Example
//! A guide whose commands run the app without ever saying which variables it reads.
//!
//! ## Fix
//! Add an "Environment Configuration" section listing each variable, what it does and an example value.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "missing-environment-docs",
    category: Category::Guide,
    severity: Severity::Medium,
    title: "Environment configuration is not documented",
    impact: "Deployments fail on first start or run with insecure defaults.",
    recommendation: "Document every environment variable the app reads, with an example .env.",
    effort: "30 minutes",
    source: include_str!("missing_environment_docs.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let (file, md) = match super::guide(ctx) {
        Ok(g) => g,
        Err(outcome) => return outcome,
    };
    let heading = md.headings.iter().any(|h| {
        let t = h.text.to_lowercase();
        [
            "environment",
            "configuration",
            "config",
            "variables",
            "settings",
            ".env",
            "secrets",
        ]
        .iter()
        .any(|w| t.contains(w))
    });
    let code = md.code_blocks.iter().any(|b| {
        b.lang.as_deref() == Some("env")
            || b.lang.as_deref() == Some("dotenv")
            || b.content.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("export ") && l.contains('=')
            })
    });
    let text = &md.plain_text_lower;
    let prose = text.contains("environment variable") || text.contains(".env");
    if heading || code || prose {
        return Outcome::pass("has environment config", vec![file.path.clone()]);
    }
    let anchor = md
        .title()
        .map(|h| h.range)
        .unwrap_or_else(|| super::super::first_line(&file.text));
    let message = "The deployment guide does not document the environment configuration: list the variables the app needs.";
    Outcome::fail(
        "no environment config",
        vec![Finding::at(&file.path, anchor, message)],
    )
}
