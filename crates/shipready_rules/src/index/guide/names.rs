//! What a document's path says about it: a name that often holds deployment instructions, or a document that
//! is never the deployment guide whatever it mentions.

use super::words::Words;

/// The file name without its extension, lower-cased.
pub(super) fn stem(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    lower
        .rsplit_once('.')
        .map(|(stem, _)| stem.to_owned())
        .unwrap_or(lower)
}

/// Names that often hold deployment instructions without saying "deploy".
pub(super) fn guide_name(stem: &str) -> bool {
    let w = Words::of(stem);
    w.any(&[
        "install*",
        "self host*",
        "selfhost*",
        "hosting",
        "production",
        "operations",
        "runbook*",
        "release",
        "releasing",
        "going live",
        "go live",
    ])
}

/// Documents that are never the deployment guide, whatever they mention: project administration (a changelog
/// lists past deployments; a contribution guide says how to run the tests), issue and pull-request templates,
/// instructions for coding assistants, and anything in a vendored or generated folder.
pub(super) fn never_a_guide(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    const VENDORED: &[&str] = &[
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "vendors",
        "third_party",
        "third-party",
        "site-packages",
        ".venv",
        "venv",
        ".tox",
        ".git",
        "target",
        "cdk.out",
        ".terraform",
        ".changeset",
        "issue_template",
        "pull_request_template",
        "issue_templates",
        "merge_request_templates",
    ];
    if parts.iter().any(|d| VENDORED.contains(d)) {
        return true;
    }
    const ADMIN: &[&str] = &[
        "changelog",
        "changes",
        "history",
        "news",
        "release-notes",
        "release_notes",
        "releasenotes",
        "contributing",
        "contributors",
        "code_of_conduct",
        "code-of-conduct",
        "conduct",
        "license",
        "licence",
        "copying",
        "notice",
        "security",
        "authors",
        "maintainers",
        "governance",
        "support",
        "pull_request_template",
        "issue_template",
        "claude",
        "agents",
        "gemini",
        "copilot-instructions",
    ];
    let stem = stem(name);
    ADMIN.contains(&stem.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administration_documents_and_vendored_folders_are_never_guides() {
        for path in [
            "CHANGELOG.md",
            "docs/CONTRIBUTING.md",
            "CODE_OF_CONDUCT.md",
            "LICENSE.md",
            "SECURITY.md",
            ".github/ISSUE_TEMPLATE/bug.md",
            ".github/pull_request_template.md",
            "web/node_modules/some-lib/README.md",
            "CLAUDE.md",
        ] {
            assert!(never_a_guide(path), "{path}");
        }
        for path in ["README.md", "docs/installation.mdx", "DEPLOYMENT.md"] {
            assert!(!never_a_guide(path), "{path}");
        }
    }
}
