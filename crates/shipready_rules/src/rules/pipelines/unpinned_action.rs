//! ## What it checks
//! That every action and reusable workflow a CI workflow runs is pinned to a version: `uses: owner/action@v4`
//! (a tag) or `@<commit sha>`. An action with no `@ref`, or on a branch (`@main`, `@master`, `@latest`,
//! `@dev`...), is not. Local actions (`./.github/actions/x`) and `docker://image:tag` are fine; a
//! `docker://` image with no tag or `:latest` is not pinned either. The range is the `uses:` value.
//!
//! ## Why it matters
//! A workflow that runs `owner/action@main` runs whatever that branch holds today, with the workflow's
//! secrets and write token: one push to someone else's repository changes, or compromises, your release
//! pipeline without a commit of yours.
//!
//! ## Example
//! ```yaml
//!     steps:
//!       - uses: appleboy/ssh-action@master
//! ```
//!
//! ## Fix
//! ```yaml
//!     steps:
//!       - uses: appleboy/ssh-action@v1.2.0
//! ```

use shipready_syntax::Spanned;

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "unpinned-action",
    category: Category::Pipelines,
    severity: Severity::Medium,
    title: "A CI action is not pinned to a version",
    impact:
        "The pipeline runs whatever another repository's branch holds today, with your secrets.",
    recommendation: "Pin every action to a release tag or, better, a commit SHA.",
    effort: "15 minutes",
    source: include_str!("unpinned_action.rs"),
    check,
};

/// Refs that are branches, not versions.
const BRANCHES: &[&str] = &[
    "main",
    "master",
    "latest",
    "head",
    "dev",
    "develop",
    "development",
    "trunk",
    "next",
    "nightly",
    "edge",
    "stable",
];

fn check(ctx: &Context) -> Outcome {
    let ci = match super::judged(ctx) {
        Ok(ci) => ci,
        Err(outcome) => return outcome,
    };
    let mut used = 0;
    let mut findings = Vec::new();
    for (file, w) in &ci.workflows {
        let uses = w.jobs.iter().flat_map(|j| {
            j.uses
                .iter()
                .chain(j.steps.iter().filter_map(|s| s.uses.as_ref()))
        });
        for u in uses {
            used += 1;
            if let Some(why) = unpinned(u) {
                findings.push(Finding::at(
                    &file.path,
                    u.range,
                    format!(
                        "`{}` {why}: pin it to a release tag or a commit SHA.",
                        u.value
                    ),
                ));
            }
        }
    }
    if used == 0 {
        return super::not_applicable("the workflows use no action");
    }
    if findings.is_empty() {
        return Outcome::pass(
            format!("{} pinned", crate::rules::plural(used, "action", "actions")),
            super::evidence(&ci),
        );
    }
    let needed = findings.len();
    Outcome::fail(
        format!(
            "{needed} of {} not pinned",
            crate::rules::plural(used, "action", "actions")
        ),
        findings,
    )
    .needing(needed)
    .with_evidence(super::evidence(&ci))
}

/// Why an action reference is not pinned, if it is not.
pub(crate) fn unpinned(uses: &Spanned<String>) -> Option<&'static str> {
    let value = uses.value.trim();
    if value.starts_with("./") || value.starts_with("../") || value.contains("${{") {
        return None;
    }
    if let Some(image) = value.strip_prefix("docker://") {
        if image.contains('@') {
            return None;
        }
        let last = image.rsplit('/').next().unwrap_or(image);
        return match last.split_once(':') {
            None => Some("runs an image with no tag"),
            Some((_, "latest")) => Some("runs the `latest` image"),
            Some(_) => None,
        };
    }
    match value.rsplit_once('@') {
        None => Some("has no version (`@ref`)"),
        Some((_, "")) => Some("has no version (`@ref`)"),
        Some((_, r)) if BRANCHES.contains(&r.to_ascii_lowercase().as_str()) => {
            Some("follows a branch")
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::unpinned;
    use shipready_syntax::Spanned;
    use shipready_text::TextRange;

    fn u(s: &str) -> Option<&'static str> {
        unpinned(&Spanned::new(s.to_owned(), TextRange::new(0, 0)))
    }

    #[test]
    fn tags_and_shas_are_pinned_branches_are_not() {
        assert_eq!(u("actions/checkout@v4"), None);
        assert_eq!(
            u("actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab"),
            None
        );
        assert_eq!(u("pypa/gh-action-pypi-publish@release/v1"), None);
        assert_eq!(u("./.github/actions/setup"), None);
        assert_eq!(u("docker://alpine:3.20"), None);
        assert!(u("appleboy/ssh-action@master").is_some());
        assert!(u("org/repo/.github/workflows/build.yml@main").is_some());
        assert!(u("actions/checkout").is_some());
        assert!(u("docker://alpine").is_some());
        assert!(u("docker://registry:5000/alpine:latest").is_some());
    }
}
