//! ## What it checks
//! That the deployment guide (the document chosen by what it says, as for GD001) has a rollback section: a
//! heading of any level about rolling back, reverting or undoing a deployment ("Rollback", "Reverting", "Undo
//! a deployment"), or failing those about recovery ("Recovery", "Disaster recovery").
//!
//! ## Why it matters
//! A bad deploy is an incident; how long it lasts depends on whether the way back is written down.
//!
//! ## Example
//! A guide with Deploy and Monitoring sections but nothing on undoing a release.
//!
//! ## Fix
//! Add a "Rollback" section with the procedures: redeploy the previous version, disable the change, restore
//! data.

use crate::index::guide::RequiredSection;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-rollback-section",
    category: Category::Rollback,
    severity: Severity::High,
    title: "No rollback section in the deployment guide",
    impact: "A failed deployment turns into a long incident while the way back is improvised.",
    recommendation: "Add a Rollback section to the deployment guide.",
    effort: "1 hour",
    source: include_str!("no_rollback_section.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if let Some(guide) = &ctx.index.guide() {
        if let Some(heading) = guide.heading_of(RequiredSection::Rollback) {
            let range = ctx
                .workspace
                .file(&guide.path)
                .and_then(crate::index::guide::markdown)
                .and_then(|m| m.headings.get(heading))
                .map(|h| h.range)
                .unwrap_or_default();
            return Outcome::pass("has rollback section", vec![guide.path.clone()])
                .satisfied_by(vec![(guide.path.clone(), range)]);
        }
    }
    let message =
        "The deployment guide has no rollback section: write down how to undo a bad deployment.";
    Outcome::fail(
        "no rollback section",
        vec![Finding::anchored(super::super::docs_anchor(ctx), message)
            .with_fix(crate::fixes::rollback_section::fix_missing(ctx))],
    )
}
