//! ## What it checks
//! That the deployment guide contains at least one code example: a fenced or indented code block.
//!
//! ## Why it matters
//! Prose instructions are paraphrased, mistyped and skipped; commands in code blocks are copied exactly.
//!
//! ## Example
//! "Deploy the stacks with the CDK CLI." with no command.
//!
//! ## Fix
//! Add fenced blocks with the exact commands: ```` ```bash ```` `cdk deploy --all`.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-guide-code-examples",
    category: Category::Guide,
    severity: Severity::Low,
    title: "Deployment guide has no code examples",
    impact: "Commands are retyped from prose: mistakes and skipped steps during deployments.",
    recommendation: "Put the exact commands in fenced code blocks.",
    effort: "30 minutes",
    source: include_str!("no_code_examples.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let (file, md) = match super::guide(ctx) {
        Ok(g) => g,
        Err(outcome) => return outcome,
    };
    if !md.code_blocks.is_empty() {
        return Outcome::pass("includes code examples", vec![file.path.clone()]);
    }
    let anchor = md
        .title()
        .map(|h| h.range)
        .unwrap_or_else(|| super::super::first_line(&file.text));
    let message = "The deployment guide has no code examples: put the exact deploy commands in fenced code blocks.";
    Outcome::fail(
        "no code examples",
        vec![Finding::at(&file.path, anchor, message)],
    )
}
