//! ## What it checks
//! That a requirements file (`requirements*.txt`, `pyproject.toml`, `setup.cfg`, `Pipfile`) in the CDK app's
//! folder or above declares `aws-cdk-lib` (or `aws-cdk.core` for CDK v1). The `install_requires` of a `setup.py`
//! there counts too: a `requirements.txt` holding `-e .` installs it.
//!
//! ## Why it matters
//! Without a declared, pinned CDK library a fresh machine or CI runner cannot synthesize the app, or
//! synthesizes it with a different CDK version than the one that was tested.
//!
//! ## Example
//! `app.py` imports `aws_cdk` but `requirements.txt` lists only `boto3`.
//!
//! ## Fix
//! Add `aws-cdk-lib==<version>` and `constructs>=10` to the CDK app's `requirements.txt`.

use shipready_syntax::{FileFacts, FileKind};

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "missing-cdk-requirements",
    category: Category::Cdk,
    severity: Severity::High,
    title: "No requirements file declaring aws-cdk-lib",
    impact: "CI and new machines cannot install the CDK library the app was written against.",
    recommendation:
        "Declare aws-cdk-lib (pinned) and constructs in the CDK app's requirements file.",
    effort: "10 minutes",
    source: include_str!("missing_cdk_requirements.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let cdk = &ctx.index.cdk();
    if !cdk.present {
        return super::not_applicable("no requirements file");
    }
    let root = cdk.root().unwrap_or("");
    let in_scope = |dir: &str| {
        dir.is_empty()
            || root == dir
            || root.starts_with(&format!("{dir}/"))
            || dir.starts_with(root)
    };
    let mut candidates = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Requirements) {
        let FileFacts::Requirements(r) = &file.facts else {
            continue;
        };
        if !in_scope(file.dir()) {
            continue;
        }
        if r.declares("aws-cdk-lib") || r.declares("aws-cdk-core") {
            return Outcome::pass(
                format!("{} declares aws-cdk-lib", file.path),
                vec![file.path.clone()],
            );
        }
        candidates.push(file);
    }
    let setup_py = ctx
        .workspace
        .of_kind(FileKind::Python)
        .filter(|f| f.name() == "setup.py" && in_scope(f.dir()))
        .find(|f| {
            let declared = shipready_syntax::requirements::setup_py(&f.text);
            declared.declares("aws-cdk-lib") || declared.declares("aws-cdk-core")
        });
    if let Some(file) = setup_py {
        return Outcome::pass(
            format!("{} declares aws-cdk-lib", file.path),
            vec![file.path.clone()],
        );
    }
    let message = "No requirements file declares aws-cdk-lib: CI and new machines cannot install the CDK library. Add `aws-cdk-lib` and `constructs`.";
    // The line belongs in the CDK app's own requirements file: the one next to the entry file, else next to
    // cdk.json, else the shallowest (a web app's root requirements.txt is only the last resort).
    let entry_dir = cdk
        .entry
        .as_deref()
        .or(cdk.app_files.first().map(String::as_str))
        .map(|e| e.rsplit_once('/').map(|(d, _)| d).unwrap_or(""));
    let anchor = candidates
        .iter()
        .min_by_key(|f| {
            (
                Some(f.dir()) != entry_dir,
                f.dir() != root,
                f.path.matches('/').count(),
            )
        })
        .map(|f| (f.path.as_str(), super::super::first_line(&f.text)))
        .or_else(|| super::cdk_json_anchor(ctx));
    Outcome::fail(
        "no requirements file with aws-cdk-lib",
        vec![Finding::anchored(anchor, message)],
    )
}
