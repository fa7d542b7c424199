//! ## What it checks
//! That the CDK app has a README: in the folder of `cdk.json`, the folder of its entry file, or a parent of
//! either.
//!
//! ## Why it matters
//! The stacks, their order, their context values and the bootstrap step are what an on-call engineer needs at
//! 3 a.m.; without a README they are tribal knowledge.
//!
//! ## Example
//! `infra/cdk.json` and `infra/app.py` with no `README.md` in `infra/` or above.
//!
//! ## Fix
//! Add a `README.md` next to `cdk.json` that lists the stacks and the commands to bootstrap, synth and deploy.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "missing-cdk-readme",
    category: Category::Cdk,
    severity: Severity::Low,
    title: "No README for the CDK app",
    impact: "How to bootstrap, synthesize and deploy the infrastructure is tribal knowledge.",
    recommendation: "Add a README next to cdk.json listing the stacks and the deploy commands.",
    effort: "30 minutes",
    source: include_str!("missing_cdk_readme.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let cdk = &ctx.index.cdk();
    if !cdk.present {
        return super::not_applicable("no README");
    }
    // The app lives where cdk.json is and where its entry file is; a README in either folder or above counts.
    let entry_dir = cdk
        .entry
        .as_deref()
        .or(cdk.app_files.first().map(String::as_str))
        .map(|e| e.rsplit_once('/').map(|(d, _)| d).unwrap_or(""));
    let app_dirs: Vec<&str> = cdk.root().into_iter().chain(entry_dir).collect();
    let covers = |dir: &str| {
        dir.is_empty()
            || app_dirs
                .iter()
                .any(|a| *a == dir || a.starts_with(&format!("{dir}/")))
    };
    let readme = ctx
        .workspace
        .files()
        .iter()
        .find(|f| f.name().to_ascii_lowercase().starts_with("readme") && covers(f.dir()));
    if let Some(readme) = readme {
        return Outcome::pass(
            format!("{} documents the CDK app", readme.path),
            vec![readme.path.clone()],
        );
    }
    let message = "No README for the CDK app: how to bootstrap, synthesize and deploy the stacks is undocumented.";
    let anchor = super::cdk_json_anchor(ctx).or_else(|| super::app_anchor(ctx));
    Outcome::fail("no README", vec![Finding::anchored(anchor, message)])
}
