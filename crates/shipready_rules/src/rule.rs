//! The shape of a rule: its metadata, its check function, and the outcome a check returns.

use shipready_text::TextRange;

use crate::{Category, Finding, Index, Profile, Severity, Workspace};

/// A readiness rule. Its code is assigned in the registry; its documentation is the `//!` comment of the file
/// that defines it.
pub struct Rule {
    /// Kebab-case name that says the problem (`no-health-route`).
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One-line summary of the gap.
    pub title: &'static str,
    /// What the gap costs in production.
    pub impact: &'static str,
    /// How to close it.
    pub recommendation: &'static str,
    /// Rough effort to close it, as in the seed's `estimated_effort`.
    pub effort: &'static str,
    /// The rule file's own source (`include_str!`), from which [`Rule::doc`] takes the `//!` comment.
    pub source: &'static str,
    pub check: fn(&Context) -> Outcome,
}

impl Rule {
    /// The rule's documentation: the `//!` comment at the top of its file, as Markdown.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out.trim().to_owned()
    }

    /// The first paragraph of the documentation.
    pub fn summary(&self) -> String {
        let doc = self.doc();
        let body = doc
            .lines()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty());
        body.take_while(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a rule's check sees: the workspace, its cross-file index and the scoring profile.
pub struct Context<'a> {
    pub workspace: &'a Workspace,
    pub index: &'a Index,
    pub profile: Profile,
}

/// Whether a check passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    /// The workspace shows no sign of the technology the check is about. The `seed` profile counts this as a
    /// failure; the `standard` profile leaves the check out of its category.
    NotApplicable,
}

/// The result of one check: pass or fail, a details line for the report, evidence files, and the findings.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub status: Status,
    pub details: String,
    pub evidence: Vec<String>,
    pub findings: Vec<Finding>,
    /// How many of `findings` must be fixed for the check to pass (at least 1 when it fails).
    pub needed: usize,
    /// The constructs that make the check pass (a health route's decorator, a HEALTHCHECK, a guide heading),
    /// as `(file, range)`, so editors can say what each earns.
    pub satisfied_by: Vec<(String, TextRange)>,
}

impl Outcome {
    pub fn pass(details: impl Into<String>, evidence: Vec<String>) -> Self {
        Outcome {
            status: Status::Pass,
            details: details.into(),
            evidence,
            findings: Vec::new(),
            needed: 0,
            satisfied_by: Vec::new(),
        }
    }

    pub fn fail(details: impl Into<String>, findings: Vec<Finding>) -> Self {
        Outcome {
            status: Status::Fail,
            details: details.into(),
            evidence: Vec::new(),
            findings,
            needed: 1,
            satisfied_by: Vec::new(),
        }
    }

    /// Not applicable, with the finding to report when the profile counts this as a failure.
    /// Not applicable because of `why`, which is both the details and the report-only finding's message.
    pub fn not_applicable_because(why: &str) -> Self {
        Outcome::not_applicable(why.to_owned(), Finding::report_only(why.to_owned()))
    }

    pub fn not_applicable(details: impl Into<String>, finding: Finding) -> Self {
        Outcome {
            status: Status::NotApplicable,
            details: details.into(),
            evidence: Vec::new(),
            findings: vec![finding],
            needed: 1,
            satisfied_by: Vec::new(),
        }
    }

    pub fn with_evidence(mut self, evidence: Vec<String>) -> Self {
        self.evidence = evidence;
        self
    }

    pub fn satisfied_by(mut self, places: Vec<(String, TextRange)>) -> Self {
        self.satisfied_by = places;
        self
    }

    pub fn needing(mut self, needed: usize) -> Self {
        self.needed = needed.max(1);
        self
    }
}
