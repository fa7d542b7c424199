//! ## What it checks
//! That the CDK app's constructs cover at least 60% of the infrastructure areas a production deployment needs:
//! network (ec2 VPC), compute (ecs, lambda, ec2 instances), API/load balancing (apigateway, elbv2), database
//! (rds, dynamodb), storage (s3, efs, ecr), monitoring (cloudwatch, logs, sns), secrets/security
//! (secretsmanager, ssm, kms, iam, waf) and CDN/DNS (cloudfront, route53, certificates).
//!
//! ## Why it matters
//! Infrastructure created by hand in the console is not reviewed, not reproducible and not rolled back with
//! the rest.
//!
//! ## Example
//! An app that defines a Lambda function and an API, while the database, alarms and secrets were created by
//! hand.
//!
//! ## Fix
//! Model the missing areas as constructs in their own stacks.

use crate::index::cdk::Area;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "low-infrastructure-coverage",
    category: Category::Cdk,
    severity: Severity::Medium,
    title: "CDK stacks cover less than 60% of the expected infrastructure",
    impact: "Infrastructure outside the CDK app is created by hand: not reviewed, not reproducible, not rolled back.",
    recommendation: "Model the missing infrastructure areas as CDK constructs.",
    effort: "1-2 days",
    source: include_str!("low_infrastructure_coverage.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let cdk = &ctx.index.cdk();
    if !cdk.present {
        return super::not_applicable("no infrastructure coverage");
    }
    let areas = cdk.areas();
    let pct = areas.len() * 100 / Area::ALL.len();
    let details = format!("{pct}% coverage of expected stacks");
    let mut evidence: Vec<String> = cdk.constructs.iter().map(|(f, _)| f.clone()).collect();
    evidence.sort();
    evidence.dedup();
    // 60% of 8 areas is 4.8: five areas are needed.
    let needed_areas = (Area::ALL.len() * 60).div_ceil(100);
    if areas.len() >= needed_areas {
        return Outcome::pass(details, evidence);
    }
    let missing: Vec<&str> = Area::ALL
        .iter()
        .filter(|a| !areas.contains(a))
        .map(|a| a.title())
        .collect();
    let message = format!(
        "The CDK app covers {pct}% of the expected infrastructure areas (needs 60%); missing: {}.",
        missing.join(", ")
    );
    Outcome::fail(
        details,
        vec![Finding::anchored(super::app_anchor(ctx), message)],
    )
    .with_evidence(evidence)
}
