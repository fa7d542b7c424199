//! ## What it checks
//! That the CDK app can synthesize, decided statically and without running anything: `cdk.json` names an entry
//! file that exists and parses without syntax errors, the entry calls `synth()`, every `Stack` class is
//! instantiated (or is the base of another stack), and every local import of the entry resolves to a file.
//! Instantiation counts in any call form: the scope and id positional or by keyword
//! (`ApiStack(scope=app, construct_id="Api")`), and nested stacks created on `self` from the project's own modules
//! (`from .nested import CacheLayer` then `CacheLayer(self, "Cache")`). shipready never runs `cdk synth` or any
//! code from the workspace.
//!
//! ## Why it matters
//! An app that does not synthesize cannot deploy, and cannot roll back either: the pipeline fails at the worst
//! moment.
//!
//! ## Example
//! `cdk.json` says `python3 app.py` but the entry is `infra/main.py`; or `MonitoringStack` is defined but never
//! instantiated.
//!
//! ## Fix
//! Point `cdk.json` at the real entry file, fix its syntax errors and imports, and instantiate every stack.

use shipready_syntax::FileFacts;

use crate::index::modules;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "cannot-synthesize",
    category: Category::Cdk,
    severity: Severity::Critical,
    title: "The CDK app cannot synthesize",
    impact: "Deployments and infrastructure rollbacks fail before they start.",
    recommendation:
        "Make cdk.json name an entry file that parses, calls synth() and instantiates every stack.",
    effort: "1 hour",
    source: include_str!("cannot_synthesize.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let cdk = &ctx.index.cdk();
    if !cdk.present {
        return super::not_applicable("cannot synthesize");
    }
    let mut findings = Vec::new();
    let entry_path = cdk.entry.clone().or_else(|| cdk.app_files.first().cloned());
    let entry = entry_path.as_deref().and_then(|p| ctx.workspace.file(p));
    match (&entry_path, entry) {
        (None, _) => findings.push(Finding::anchored(
            super::cdk_json_anchor(ctx),
            "No CDK entry file: cdk.json names no Python file and no file creates App() with synth().",
        )),
        (Some(path), None) => findings.push(Finding::anchored(
            super::cdk_json_anchor(ctx),
            format!("cdk.json runs `{path}`, which does not exist: the app cannot synthesize."),
        )),
        (Some(_), Some(file)) => {
            if let Some(err) = file.facts.errors().first() {
                findings.push(Finding::at(
                    &file.path,
                    err.range,
                    format!("The CDK entry file has a syntax error ({}): the app cannot synthesize.", err.message),
                ));
            }
            match &file.facts {
                FileFacts::Python(py) => {
                    if py.cdk.synth_calls.is_empty() {
                        let range = py.cdk.apps.first().map(|a| a.range).unwrap_or_else(|| super::super::first_line(&file.text));
                        findings.push(Finding::at(&file.path, range, "The CDK entry file never calls app.synth(): nothing is synthesized."));
                    }
                    for import in &py.imports {
                        let top = import.module.split('.').next().unwrap_or("");
                        let looks_local = import.level > 0 || modules::exists_locally(ctx.workspace, &file.path, top, 0);
                        let target = match &import.name {
                            Some(name) if import.module.is_empty() => name.clone(),
                            _ => import.module.clone(),
                        };
                        if looks_local && !modules::exists_locally(ctx.workspace, &file.path, &target, import.level) {
                            findings.push(Finding::at(
                                &file.path,
                                import.range,
                                format!("`{}` does not resolve to a file in the workspace: the app cannot synthesize.", target),
                            ));
                        }
                    }
                }
                _ => findings.push(Finding::anchored(
                    super::cdk_json_anchor(ctx),
                    format!("The CDK entry `{}` is not a Python file shipready can check.", file.path),
                )),
            }
        }
    }
    for (file, class) in &cdk.stack_classes {
        let name = &class.name.value;
        let used = cdk
            .instances
            .iter()
            .any(|(_, i)| i.class == *name || i.class.ends_with(&format!(".{name}")))
            || cdk
                .stack_classes
                .iter()
                .any(|(_, c)| c.base == *name || c.base.ends_with(&format!(".{name}")));
        if !used {
            findings.push(Finding::at(
                file,
                class.name.range,
                format!("Stack class `{name}` is never instantiated: it is not part of the synthesized app."),
            ));
        }
    }
    if findings.is_empty() {
        return Outcome::pass("can synthesize", entry_path.into_iter().collect());
    }
    let needed = findings.len();
    Outcome::fail("cannot synthesize", findings).needing(needed)
}
