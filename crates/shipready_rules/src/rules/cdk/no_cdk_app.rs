//! ## What it checks
//! That the CDK app has an entry point: a Python file that creates `App()` and calls `.synth()` on it. The file
//! does not need to be called `app.py`; the one `cdk.json` names comes first.
//!
//! ## Why it matters
//! Without an entry point `cdk deploy` has nothing to run: the stacks exist as code but cannot be deployed.
//!
//! ## Example
//! Stack classes under `infra/stacks/` but no file with `app = cdk.App()` ... `app.synth()`.
//!
//! ## Fix
//! Add an entry file that instantiates every stack on an `App()` and ends with `app.synth()`, and name it in
//! `cdk.json` (`"app": "python3 app.py"`).

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-cdk-app",
    category: Category::Cdk,
    severity: Severity::Critical,
    title: "No CDK app entry point",
    impact: "The infrastructure cannot be deployed: `cdk deploy` has no app to run.",
    recommendation:
        "Add an entry file that creates App(), instantiates the stacks and calls app.synth().",
    effort: "30 minutes",
    source: include_str!("no_cdk_app.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let cdk = &ctx.index.cdk();
    if !cdk.present {
        return super::not_applicable("no App() entry point");
    }
    if let Some(file) = cdk.app_files.first() {
        return Outcome::pass(format!("entry point {file}"), vec![file.clone()]);
    }
    let message = "No CDK app entry point: no file creates App() and calls app.synth(), so `cdk deploy` has nothing to run.";
    Outcome::fail(
        "no App() with synth()",
        vec![Finding::anchored(super::cdk_json_anchor(ctx), message)],
    )
}
