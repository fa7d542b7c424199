//! AWS CDK infrastructure rules (7 checks of 100/7 points). In the `standard` profile they apply only when the
//! workspace shows some sign of CDK.

pub mod cannot_synthesize;
pub mod few_stacks;
pub mod low_infrastructure_coverage;
pub mod missing_cdk_json;
pub mod missing_cdk_readme;
pub mod missing_cdk_requirements;
pub mod no_cdk_app;

use shipready_text::TextRange;

use crate::{Context, Finding, Outcome};

/// The `Outcome` for a CDK check when the workspace has no CDK at all.
pub(crate) fn not_applicable(what: &str) -> Outcome {
    Outcome::not_applicable(
        "no CDK app",
        Finding::report_only(format!("No AWS CDK app in the workspace ({what}): add cdk.json and an entry file with App() and synth(), or use `--profile standard`, which leaves CDK out when the workspace does not use it.")),
    )
}

/// The CDK app's `app = cdk.App()` statement, the natural place for app-level CDK gaps.
pub(crate) fn app_anchor<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    let file = ctx.index.cdk().app_files.first()?;
    let source = ctx.workspace.file(file)?;
    let shipready_syntax::FileFacts::Python(py) = &source.facts else {
        return None;
    };
    Some((source.path.as_str(), py.cdk.apps.first()?.range))
}

/// The first `cdk.json`'s `app` value, else its first line.
pub(crate) fn cdk_json_anchor<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    let path = ctx.index.cdk().cdk_json.first()?;
    let file = ctx.workspace.file(path)?;
    let range = crate::index::cdk::cdk_json(&file.facts)
        .and_then(|c| c.app.as_ref().map(|a| a.range))
        .unwrap_or_else(|| super::first_line(&file.text));
    Some((file.path.as_str(), range))
}
