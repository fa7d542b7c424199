//! Findings (readiness gaps with their place, cost and fix) and fixes as data.

use serde::Serialize;
use shipready_text::TextRange;

/// How serious a gap is, as in the seed's `Gap.severity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "CRITICAL",
            Severity::High => "HIGH",
            Severity::Medium => "MEDIUM",
            Severity::Low => "LOW",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_uppercase().as_str() {
            "CRITICAL" => Some(Severity::Critical),
            "HIGH" => Some(Severity::High),
            "MEDIUM" => Some(Severity::Medium),
            "LOW" => Some(Severity::Low),
            _ => None,
        }
    }
}

/// One readiness gap: what is missing, where a user would fix it, what it costs, and how to fix it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The rule code (`HC003`).
    pub code: &'static str,
    /// Workspace-relative path with `/` separators, or `None` for a report-only gap with no natural place.
    pub file: Option<String>,
    /// The exact construct in `file` where the fix belongs.
    pub range: Option<TextRange>,
    /// What is missing and why it matters, in one sentence or two.
    pub message: String,
    pub severity: Severity,
    /// Overall score points this finding costs: fixing it alone raises the overall score by this much.
    /// Filled in by scoring.
    pub points: f64,
    /// Cross-file evidence.
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    /// The index of the deployable unit whose audit found it (see `WorkspaceAudit::units`); 0 in a unit's own
    /// audit.
    #[serde(skip)]
    pub unit: usize,
    /// The reason given by the inline suppression that accepts this gap (`# shipready: ignore[HC003] reason`),
    /// when one does. A suppressed finding still costs its points.
    pub suppressed: Option<String>,
}

/// What makes two findings the same gap reported twice (by two units judged on one shared file): code, file,
/// range and message.
pub type FindingIdentity<'a> = (&'static str, Option<&'a str>, Option<TextRange>, &'a str);

impl Finding {
    /// See [`FindingIdentity`].
    pub fn identity(&self) -> FindingIdentity<'_> {
        (
            self.code,
            self.file.as_deref(),
            self.range,
            self.message.as_str(),
        )
    }

    /// A finding anchored on `range` in `file`. The code, severity and points are filled in by the audit.
    pub fn at(file: &str, range: TextRange, message: impl Into<String>) -> Self {
        Finding {
            code: "",
            file: Some(file.to_owned()),
            range: Some(range),
            message: message.into(),
            severity: Severity::Medium,
            points: 0.0,
            related: Vec::new(),
            fix: None,
            unit: 0,
            suppressed: None,
        }
    }

    /// A workspace-level finding with no natural place in any file.
    pub fn report_only(message: impl Into<String>) -> Self {
        Finding {
            code: "",
            file: None,
            range: None,
            message: message.into(),
            severity: Severity::Medium,
            points: 0.0,
            related: Vec::new(),
            fix: None,
            unit: 0,
            suppressed: None,
        }
    }

    /// Anchored at `anchor` when there is one, else report-only.
    pub fn anchored(anchor: Option<(&str, TextRange)>, message: impl Into<String>) -> Self {
        match anchor {
            Some((file, range)) => Finding::at(file, range, message),
            None => Finding::report_only(message),
        }
    }

    pub fn with_related(
        mut self,
        file: &str,
        range: TextRange,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            file: file.to_owned(),
            range,
            message: message.into(),
        });
        self
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }
}

/// A place elsewhere in the workspace that explains a finding.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Related {
    pub file: String,
    pub range: TextRange,
    pub message: String,
}

/// How safe a fix is to apply without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps the code working and only adds what was missing.
    Safe,
    /// Adds code or text the user should review (placeholders, guessed commands).
    Unsafe,
}

/// A fix: a title and the edits that apply it, possibly across files.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// One edit of a fix.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Edit {
    /// Replace `range` of an existing file with `new_text` (an empty range inserts).
    Replace {
        file: String,
        range: TextRange,
        new_text: String,
    },
    /// Create a new file with `contents` (never overwrites).
    Create { file: String, contents: String },
}
