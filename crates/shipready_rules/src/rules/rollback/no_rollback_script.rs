//! ## What it checks
//! That a rollback can be run, not only read: a script whose name mentions rollback (`scripts/rollback.sh`),
//! or a Makefile/justfile target or `package.json` script named for rollback.
//!
//! ## Why it matters
//! A rollback typed by hand during an incident is a second chance to make a mistake. A script is tested,
//! reviewed and fast.
//!
//! ## Example
//! A guide that lists rollback steps as prose commands, and no script.
//!
//! ## Fix
//! Add `scripts/rollback.sh` (or a `rollback` make target) that redeploys the previous version.

use shipready_syntax::{FileFacts, FileKind};

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-rollback-script",
    category: Category::Rollback,
    severity: Severity::Medium,
    title: "No rollback script",
    impact: "Rollbacks are typed by hand during incidents: slow and error-prone.",
    recommendation: "Add scripts/rollback.sh or a rollback make target.",
    effort: "1-2 hours",
    source: include_str!("no_rollback_script.rs"),
    check,
};

fn is_rollback_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("rollback") || n.contains("roll-back") || n.contains("roll_back")
}

fn check(ctx: &Context) -> Outcome {
    let mut evidence = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Script) {
        let FileFacts::Script(s) = &file.facts else {
            continue;
        };
        if is_rollback_name(file.name()) || s.targets.iter().any(|t| is_rollback_name(&t.value)) {
            evidence.push(file.path.clone());
        }
    }
    // Rollback helpers written in Python count too (`scripts/rollback.py`).
    evidence.extend(
        ctx.workspace
            .of_kind(FileKind::Python)
            .filter(|f| is_rollback_name(f.name()))
            .map(|f| f.path.clone()),
    );
    if !evidence.is_empty() {
        let details = super::super::plural(evidence.len(), "rollback script", "rollback scripts");
        return Outcome::pass(details, evidence);
    }
    let message = "No rollback script: add scripts/rollback.sh (or a rollback make target) so the way back is one tested command.";
    let anchor = ctx
        .index
        .guide()
        .as_ref()
        .and_then(|g| {
            let heading = g.heading_of(crate::index::guide::RequiredSection::Rollback)?;
            let file = ctx.workspace.file(&g.path)?;
            Some((
                file.path.as_str(),
                crate::index::guide::markdown(file)?
                    .headings
                    .get(heading)?
                    .range,
            ))
        })
        .or_else(|| super::super::docs_anchor(ctx));
    Outcome::fail(
        "0 rollback scripts",
        vec![Finding::anchored(anchor, message).with_fix(crate::fixes::rollback_script::fix(ctx))],
    )
}
