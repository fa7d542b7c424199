//! ## What it checks
//! That the CDK app has a `cdk.json`, whose `app` command tells the CDK CLI how to run the entry file.
//!
//! ## Why it matters
//! Without `cdk.json`, `cdk synth` and `cdk deploy` do not know how to start the app, and context values and
//! feature flags are not recorded.
//!
//! ## Example
//! `app.py` with `App()` and `synth()` but no `cdk.json` next to it.
//!
//! ## Fix
//! Add `cdk.json` next to the entry file: `{"app": "python3 app.py"}`.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "missing-cdk-json",
    category: Category::Cdk,
    severity: Severity::High,
    title: "No cdk.json",
    impact: "The CDK CLI cannot run the app; context and feature flags are not recorded.",
    recommendation: "Add a cdk.json whose app command runs the entry file.",
    effort: "10 minutes",
    source: include_str!("missing_cdk_json.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let cdk = &ctx.index.cdk();
    if !cdk.present {
        return super::not_applicable("no cdk.json");
    }
    if !cdk.cdk_json.is_empty() {
        return Outcome::pass(format!("{} present", cdk.cdk_json[0]), cdk.cdk_json.clone());
    }
    let message = "No cdk.json: the CDK CLI does not know how to run this app. Add one with `\"app\": \"python3 <entry file>\"`.";
    Outcome::fail(
        "no cdk.json",
        vec![Finding::anchored(super::app_anchor(ctx), message)],
    )
}
