//! ## What it checks
//! That the CDK app defines at least 5 stacks (`Stack` subclasses and direct `Stack(...)` instances).
//!
//! ## Why it matters
//! One or two stacks that hold everything deploy and roll back as a unit: a change to a dashboard redeploys the
//! database. Splitting network, data, compute, API and monitoring keeps blast radius and deploy times small.
//!
//! ## Example
//! A single `AppStack` that creates the VPC, the database, the service and the alarms.
//!
//! ## Fix
//! Split the app into stacks by lifecycle (network, data, compute, edge, monitoring) and pass resources
//! between them as constructor arguments.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

const MIN_STACKS: usize = 5;

pub(crate) static RULE: Rule = Rule {
    name: "few-stacks",
    category: Category::Cdk,
    severity: Severity::Medium,
    title: "Fewer than 5 CDK stacks",
    impact: "Unrelated resources deploy and roll back together: larger blast radius, slower deployments.",
    recommendation: "Split the infrastructure into stacks by lifecycle: network, data, compute, API, monitoring.",
    effort: "2-4 hours",
    source: include_str!("few_stacks.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let cdk = &ctx.index.cdk();
    if !cdk.present {
        return super::not_applicable("no stacks");
    }
    let count = cdk.stack_count();
    let details = format!("{} found", super::super::plural(count, "stack", "stacks"));
    let mut evidence: Vec<String> = cdk.stack_classes.iter().map(|(f, _)| f.clone()).collect();
    evidence.dedup();
    if count >= MIN_STACKS {
        let places = cdk
            .stack_classes
            .iter()
            .map(|(f, c)| (f.clone(), c.name.range))
            .collect();
        return Outcome::pass(details, evidence).satisfied_by(places);
    }
    let message = format!(
        "Only {count} of at least {MIN_STACKS} CDK stacks: unrelated resources deploy and roll back together. Split the infrastructure by lifecycle."
    );
    let anchor = super::app_anchor(ctx).or_else(|| {
        let (file, class) = cdk.stack_classes.first()?;
        Some((file.as_str(), class.name.range))
    });
    Outcome::fail(details, vec![Finding::anchored(anchor, message)]).with_evidence(evidence)
}
