//! ## What it checks
//! That the deployment guide has at least 70% of the required sections: Prerequisites, Local Setup, AWS Setup,
//! Production Deployment, Monitoring, Troubleshooting and Rollback. Headings match with sensible synonyms
//! ("Getting started" is Local Setup, "CDK bootstrap" is AWS Setup, "FAQ" is Troubleshooting). One finding is
//! reported per missing section.
//!
//! ## Why it matters
//! Each missing section is a question someone will have to answer under pressure: what to install, how to
//! deploy, where the logs are, how to undo.
//!
//! ## Example
//! A guide with only "Installation" and "Deploy" headings.
//!
//! ## Fix
//! Add the missing sections, in the canonical order.

use crate::index::guide::RequiredSection;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "missing-guide-sections",
    category: Category::Guide,
    severity: Severity::Medium,
    title: "Deployment guide misses required sections",
    impact: "Operators lack instructions for setup, deployment, monitoring, troubleshooting or rollback.",
    recommendation: "Add the missing sections to the deployment guide.",
    effort: "1-2 hours",
    source: include_str!("missing_sections.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let (file, md) = match super::guide(ctx) {
        Ok(g) => g,
        Err(outcome) => return outcome,
    };
    let Some(guide) = &ctx.index.guide else {
        return Outcome::fail("no deployment guide", Vec::new());
    };
    let total = RequiredSection::ALL.len();
    let present = guide.present();
    let details = format!("{present}/{total} required sections");
    // 70% of 7 is 4.9: five sections are needed.
    let required = (total * 70).div_ceil(100);
    if present >= required {
        let places = guide
            .sections
            .iter()
            .filter_map(|(_, h)| md.headings.get((*h)?))
            .map(|h| (file.path.clone(), h.range))
            .collect();
        return Outcome::pass(details, vec![file.path.clone()]).satisfied_by(places);
    }
    let anchor = md
        .title()
        .map(|h| h.range)
        .unwrap_or_else(|| super::super::first_line(&file.text));
    let findings = guide
        .sections
        .iter()
        .filter(|(_, h)| h.is_none())
        .map(|(section, _)| {
            Finding::at(
                &file.path,
                anchor,
                format!("The deployment guide has no {} section ({present}/{total} present, {required} needed).", section.title()),
            )
            .with_fix(crate::fixes::guide_section::fix(ctx, *section))
        })
        .collect();
    Outcome::fail(details, findings)
        .needing(required - present)
        .with_evidence(vec![file.path.clone()])
}
