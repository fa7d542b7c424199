//! ## What it checks
//! That the deployment guide has at least 70% of the required sections: Prerequisites, Local Setup, AWS Setup,
//! Production Deployment, Monitoring, Troubleshooting and Rollback. Headings of any level match by meaning,
//! with synonyms: "Getting started" is Local Setup; "AWS account setup", "CDK bootstrap" (and, in a unit that
//! deploys to AWS, "Bootstrapping" or a setup section that runs `cdk bootstrap`) is AWS Setup, while "Local AWS
//! credentials for tests" or "Configuration" is not; "Going to Production", "Deploying to production" or
//! "Release" is Production Deployment; "Observability", "Logging", "Metrics" or "Alerts" is Monitoring; "FAQ",
//! "Common issues" or "Known issues" is Troubleshooting; "Reverting", "Undo a deployment" or "Disaster
//! recovery" is Rollback. One finding is reported per missing section.
//!
//! AWS Setup is required only of a unit that deploys to AWS: one with a CDK app (`cdk.json`, `aws-cdk-lib`),
//! an AWS deployment command (`cdk deploy`, `sam deploy`, `aws ecs ...`, `aws cloudformation ...`, `copilot`)
//! in a script or the guide, a guide heading about deploying to AWS ("Deploy the application on AWS"), or a
//! GitHub workflow using `aws-actions`. Elsewhere six sections are required (using an AWS SDK such as `boto3`
//! is not deploying to AWS). The `seed` profile always requires all seven.
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

use crate::index::guide::required_sections;
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
    let Some(guide) = &ctx.index.guide() else {
        return Outcome::fail("no deployment guide", Vec::new());
    };
    let wanted = required_sections(ctx.profile, ctx.index.aws().is_some());
    let sections: Vec<_> = guide
        .sections
        .iter()
        .filter(|(s, _)| wanted.contains(s))
        .collect();
    let total = wanted.len();
    let present = sections.iter().filter(|(_, h)| h.is_some()).count();
    let mut details = format!("{present}/{total} required sections");
    if total < RequiredSection::ALL.len() {
        details.push_str(" (AWS setup not required: the unit does not deploy to AWS)");
    }
    // 70% of 7 is 4.9: five sections are needed (and five of six too: 4.2).
    let required = (total * 70).div_ceil(100);
    if present >= required {
        let places = sections
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
    let findings = sections
        .iter()
        .filter(|(_, h)| h.is_none())
        .map(|(section, _)| {
            let mut message = format!(
                "The deployment guide has no {} section ({present}/{total} present, {required} needed).",
                section.title()
            );
            // Say why an AWS section is asked of this unit, so a surprising requirement can be checked.
            if let (RequiredSection::AwsSetup, Some(aws)) = (section, &ctx.index.aws()) {
                message.push_str(&format!(
                    " The unit deploys to AWS: {} in {}.",
                    aws.why, aws.file
                ));
            }
            Finding::at(&file.path, anchor, message)
            .with_fix(crate::fixes::guide_section::fix(ctx, *section))
        })
        .collect();
    Outcome::fail(details, findings)
        .needing(required - present)
        .with_evidence(vec![file.path.clone()])
}
