//! ## What it checks
//! That the rollback section of the deployment guide (the section RB001 finds: "Rollback", "Reverting",
//! "Undo a deployment", else "Disaster recovery") documents at least 3 procedures. A procedure is a top-level
//! list item, a sub-heading or a code block inside the rollback section.
//!
//! ## Why it matters
//! Failures differ: a bad image, a bad feature, a bad migration each need their own way back. One generic
//! "redeploy" line does not cover a corrupted database.
//!
//! ## Example
//! ```markdown
//! ## Rollback
//! Run `cdk deploy` with the previous commit.
//! ```
//!
//! ## Fix
//! Document at least: rolling back to the previous version, disabling the change (feature flag or traffic
//! shift), and restoring data or downgrading migrations.

use crate::index::guide::RequiredSection;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

const MIN_PROCEDURES: usize = 3;

pub(crate) static RULE: Rule = Rule {
    name: "few-rollback-procedures",
    category: Category::Rollback,
    severity: Severity::Medium,
    title: "Fewer than 3 rollback procedures documented",
    impact: "Only some failure modes have a documented way back.",
    recommendation:
        "Document rollback to the previous version, emergency disable, and data restore.",
    effort: "1 hour",
    source: include_str!("few_rollback_procedures.rs"),
    check,
};

/// Procedures in a section: top-level list items, sub-headings and code blocks in its body.
pub(crate) fn count_procedures(
    md: &shipready_syntax::markdown::MarkdownFacts,
    section: usize,
) -> usize {
    let Some(sec) = md.sections.get(section) else {
        return 0;
    };
    let body = sec.body;
    let inside = |r: shipready_text::TextRange| r.start >= body.start && r.end <= body.end;
    let items: usize = md
        .lists
        .iter()
        .filter(|l| {
            inside(l.range)
                && !md.lists.iter().any(|o| {
                    o.range != l.range
                        && o.items
                            .iter()
                            .any(|i| i.start <= l.range.start && l.range.end <= i.end)
                })
        })
        .map(|l| l.items.len())
        .sum();
    let subheadings = md.headings.iter().filter(|h| inside(h.range)).count();
    let blocks = md.code_blocks.iter().filter(|b| inside(b.range)).count();
    items.max(subheadings).max(blocks)
}

fn check(ctx: &Context) -> Outcome {
    let found = ctx.index.guide().as_ref().and_then(|g| {
        let heading = g.heading_of(RequiredSection::Rollback)?;
        let file = ctx.workspace.file(&g.path)?;
        Some((file, crate::index::guide::markdown(file)?, heading))
    });
    let Some((file, md, heading)) = found else {
        let message = "No rollback section, so no rollback procedures are documented.";
        // The section RB001's fix adds documents the three procedures: one fix closes both.
        return Outcome::fail(
            "0 procedures documented",
            vec![Finding::anchored(super::super::docs_anchor(ctx), message)
                .with_fix(crate::fixes::rollback_section::fix_missing(ctx))],
        );
    };
    let count = count_procedures(md, heading);
    let details = format!(
        "{} documented",
        super::super::plural(count, "procedure", "procedures")
    );
    let range = md
        .headings
        .get(heading)
        .map(|h| h.range)
        .unwrap_or_default();
    if count >= MIN_PROCEDURES {
        return Outcome::pass(details, vec![file.path.clone()])
            .satisfied_by(vec![(file.path.clone(), range)]);
    }
    let message = format!(
        "The rollback section documents {count} of at least {MIN_PROCEDURES} procedures: cover the previous version, disabling the change, and restoring data."
    );
    let fix = crate::fixes::rollback_section::fix_few(ctx);
    Outcome::fail(
        details,
        vec![Finding::at(&file.path, range, message).with_fix(fix)],
    )
    .with_evidence(vec![file.path.clone()])
}
