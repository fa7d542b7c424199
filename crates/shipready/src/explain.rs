//! `shipready explain CODE`: print a rule's page.

use std::process::ExitCode;

use anyhow::bail;
use shipready_rules::{rule_by_code, Registered};

pub fn run(code: &str) -> anyhow::Result<ExitCode> {
    let Some(entry) = rule_by_code(code) else {
        bail!("unknown rule `{code}`: `shipready rules` lists every code");
    };
    print!("{}", page(entry));
    Ok(ExitCode::SUCCESS)
}

/// A rule's page in Markdown: the same text `explain` prints, the rule docs in `docs/rules/` hold and
/// diagnostics link to.
pub fn page(entry: &Registered) -> String {
    let r = entry.rule;
    let scored = if entry.scored {
        ""
    } else {
        " (not scored: the guide's checks cover it)"
    };
    format!(
        "# {code} {name}: {title}\n\nCategory: {category}{scored}. Severity: {severity}. Effort: {effort}.\n\n{doc}\n\n## Impact\n{impact}\n\n## Recommendation\n{rec}\n",
        code = entry.code,
        name = r.name,
        title = r.title,
        category = r.category.title(),
        severity = r.severity.as_str(),
        effort = r.effort,
        doc = r.doc(),
        impact = r.impact,
        rec = r.recommendation,
    )
}
