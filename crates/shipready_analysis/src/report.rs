//! [`Report`]: the audit in the seed's shape with line/column positions, serialised as the versioned JSON
//! schema documented in `docs/json-schema.md`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use shipready_rules::units::SetAside;
use shipready_rules::{
    rule_by_code, Audit, Category, Finding, Fix, SourceFile, Status, WorkspaceAudit,
};
use shipready_text::{LineIndex, PositionEncoding, TextRange};

/// The version of the JSON report's shape. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub root: String,
    pub profile: &'static str,
    pub overall: f64,
    pub band: &'static str,
    pub band_id: shipready_rules::Band,
    pub categories: Vec<ReportCategory>,
    pub findings: Vec<ReportFinding>,
    pub recommendations: Vec<String>,
    pub files_analyzed: usize,
    pub skipped: Vec<crate::Skipped>,
    /// Each deployable unit with its own score and findings (one entry for a single-app repository).
    pub units: Vec<ReportUnit>,
    /// Files left out of every unit (development, test, CI, example, archived), with the reason.
    pub set_aside: Vec<SetAside>,
    /// Inline suppressions (`# shipready: ignore[CODE] reason`) that suppress nothing.
    pub unused_suppressions: Vec<ReportSuppression>,
}

/// An inline suppression comment.
#[derive(Clone, Debug, Serialize)]
pub struct ReportSuppression {
    pub file: String,
    pub range: Option<ReportRange>,
    pub codes: Vec<String>,
    pub reason: String,
}

/// One deployable unit's part of the report.
#[derive(Clone, Debug, Serialize)]
pub struct ReportUnit {
    /// `.` for the workspace root, else the unit's folder.
    pub name: String,
    pub root: String,
    pub kinds: Vec<&'static str>,
    pub overall: f64,
    pub band: &'static str,
    pub band_id: shipready_rules::Band,
    pub categories: Vec<ReportCategory>,
    pub findings: Vec<ReportFinding>,
    pub recommendations: Vec<String>,
    pub files_analyzed: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportCategory {
    pub id: &'static str,
    pub title: &'static str,
    /// 0-100, or null when no check of the category applies.
    pub score: Option<f64>,
    pub passed: bool,
    pub details: String,
    pub evidence: Vec<String>,
    pub checks: Vec<ReportCheck>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportCheck {
    pub code: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub status: Status,
    pub scored: bool,
    pub points: f64,
    pub details: String,
    pub evidence: Vec<String>,
}

/// A 1-based line and a 1-based column counted in UTF-16 code units (SARIF's default).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ReportPosition {
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct ReportRange {
    pub start: ReportPosition,
    pub end: ReportPosition,
    pub start_byte: usize,
    pub end_byte: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportFinding {
    pub code: &'static str,
    /// The deployable unit whose audit found it (its name).
    pub unit: String,
    pub name: &'static str,
    pub category: Category,
    pub severity: &'static str,
    pub file: Option<String>,
    pub range: Option<ReportRange>,
    pub message: String,
    /// Overall points gained by fixing this finding alone.
    pub points: f64,
    pub impact: &'static str,
    pub recommendation: &'static str,
    pub effort: &'static str,
    pub related: Vec<ReportRelated>,
    pub fix: Option<Fix>,
    /// The reason of the inline suppression that accepts this gap; `null` when none does. A suppressed gap
    /// still costs its points.
    pub suppressed: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportRelated {
    pub file: String,
    pub range: Option<ReportRange>,
    pub message: String,
}

fn category_prefix(c: Category) -> &'static str {
    match c {
        Category::Docker => "Containerization",
        Category::Cdk => "AWS CDK",
        Category::Guide => "Deployment guide",
        Category::Rollback => "Rollback procedures",
        Category::Health => "Health endpoints",
        Category::Security => "Security",
        Category::Runtime => "Runtime",
        Category::Pipelines => "CI/CD pipelines",
        Category::Observability => "Observability",
        Category::DataSafety => "Data safety",
    }
}

impl Report {
    pub fn new(
        root: &Path,
        audit: &WorkspaceAudit,
        files: &BTreeMap<String, Arc<SourceFile>>,
        skipped: &[crate::Skipped],
    ) -> Report {
        let mut indexes: BTreeMap<&str, LineIndex> = BTreeMap::new();
        let mut range_of = |file: &str, range: TextRange| -> Option<ReportRange> {
            let source = files.get(file)?;
            let index = indexes
                .entry(source.path.as_str())
                .or_insert_with(|| LineIndex::new(&source.text));
            let pos = |offset| {
                let lc = index.position(&source.text, offset, PositionEncoding::Utf16);
                ReportPosition {
                    line: lc.line + 1,
                    column: lc.col + 1,
                }
            };
            Some(ReportRange {
                start: pos(range.start),
                end: pos(range.end),
                start_byte: range.start,
                end_byte: range.end,
            })
        };
        let unit_name = |i: usize| audit.unit(i).map(|u| u.name.clone()).unwrap_or_default();
        let units: Vec<ReportUnit> = audit
            .units
            .iter()
            .map(|u| ReportUnit {
                name: u.name.clone(),
                root: u.root.clone(),
                kinds: u.kinds.clone(),
                overall: u.audit.score.overall,
                band: u.audit.score.band.title(),
                band_id: u.audit.score.band,
                categories: categories_of(&u.audit),
                findings: u
                    .audit
                    .findings
                    .iter()
                    .map(|f| finding(f, u.name.clone(), &mut range_of))
                    .collect(),
                recommendations: recommendations_of(&u.audit.findings),
                files_analyzed: u.files.len(),
            })
            .collect();
        let categories = match audit.units.as_slice() {
            [only] => categories_of(&only.audit),
            _ => mean_categories(audit),
        };
        let findings: Vec<ReportFinding> = audit
            .findings()
            .iter()
            .map(|f| finding(f, unit_name(f.unit), &mut range_of))
            .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "shipready",
                version: env!("CARGO_PKG_VERSION"),
            },
            root: root.display().to_string(),
            profile: audit.profile.id(),
            overall: audit.score.overall,
            band: audit.score.band.title(),
            band_id: audit.score.band,
            categories,
            recommendations: recommendations_of(audit.findings()),
            findings,
            // The seed profile counts the files the seed auditor read (not the CI files only pipelines reads).
            files_analyzed: files
                .values()
                .filter(|f| {
                    audit.profile != shipready_rules::Profile::Seed
                        || shipready_rules::seed_reads(&f.path, f.kind)
                })
                .count(),
            skipped: skipped.to_vec(),
            unused_suppressions: audit
                .unused_suppressions
                .iter()
                .map(|u| ReportSuppression {
                    file: u.file.clone(),
                    range: range_of(&u.file, u.range),
                    codes: u.codes.clone(),
                    reason: u.reason.clone(),
                })
                .collect(),
            units,
            set_aside: audit.set_aside.to_vec(),
        }
    }
}

/// One unit's categories, each with its checks, in the seed's shape.
fn categories_of(audit: &Audit) -> Vec<ReportCategory> {
    audit
        .score
        .categories
        .iter()
        .map(|cs| cs.category)
        .map(|c| {
            let checks: Vec<ReportCheck> = audit
                .checks_of(c)
                .map(|k| ReportCheck {
                    code: k.code,
                    name: k.name,
                    title: k.title,
                    status: k.status,
                    scored: k.scored,
                    points: k.points,
                    details: k.details.clone(),
                    evidence: k.evidence.clone(),
                })
                .collect();
            let score = audit.score.category(c).and_then(|s| s.score);
            // Checks that fail for one reason say it once ("no CDK app", not seven times).
            let mut parts: Vec<&str> = Vec::new();
            for k in checks.iter().filter(|k| k.scored) {
                if !parts.contains(&k.details.as_str()) {
                    parts.push(k.details.as_str());
                }
            }
            ReportCategory {
                id: c.id(),
                title: c.title(),
                score,
                passed: score.is_none_or(|s| s >= 50.0),
                details: format!("{}: {}", category_prefix(c), parts.join(", ")),
                evidence: audit.evidence_of(c),
                checks,
            }
        })
        .collect()
}

/// The workspace's categories when it has several units: each the mean of the units' scores; the checks are
/// in each unit's part of the report.
fn mean_categories(audit: &WorkspaceAudit) -> Vec<ReportCategory> {
    audit
        .score
        .categories
        .iter()
        .map(|cs| cs.category)
        .map(|c| {
            let score = audit.score.category(c).and_then(|s| s.score);
            let scored = audit
                .units
                .iter()
                .filter(|u| u.audit.score.category(c).and_then(|s| s.score).is_some())
                .count();
            let mut evidence: Vec<String> = audit
                .units
                .iter()
                .flat_map(|u| u.audit.evidence_of(c))
                .collect();
            evidence.sort();
            evidence.dedup();
            ReportCategory {
                id: c.id(),
                title: c.title(),
                score,
                passed: score.is_none_or(|s| s >= 50.0),
                details: format!(
                    "{}: mean of {} of {} units",
                    category_prefix(c),
                    scored,
                    audit.units.len()
                ),
                evidence,
                checks: Vec::new(),
            }
        })
        .collect()
}

/// One recommendation per failing rule, in registry (report) order.
fn recommendations_of(findings: &[Finding]) -> Vec<String> {
    let mut recommendations: Vec<String> = shipready_rules::RULES
        .iter()
        .filter(|r| findings.iter().any(|f| f.code == r.code))
        .map(|r| format!("{}: {}", r.code, r.rule.recommendation))
        .collect();
    if recommendations.is_empty() {
        recommendations.push("Deployment infrastructure is production-ready".to_owned());
    }
    recommendations
}

fn finding(
    f: &Finding,
    unit: String,
    range_of: &mut impl FnMut(&str, TextRange) -> Option<ReportRange>,
) -> ReportFinding {
    let rule = rule_by_code(f.code);
    let range = match (&f.file, f.range) {
        (Some(file), Some(r)) => range_of(file, r),
        _ => None,
    };
    ReportFinding {
        code: f.code,
        unit,
        name: rule.map(|r| r.rule.name).unwrap_or(""),
        category: rule.map(|r| r.rule.category).unwrap_or(Category::Docker),
        severity: f.severity.as_str(),
        file: f.file.clone(),
        range,
        message: f.message.clone(),
        points: (f.points * 100.0).round() / 100.0,
        impact: rule.map(|r| r.rule.impact).unwrap_or(""),
        recommendation: rule.map(|r| r.rule.recommendation).unwrap_or(""),
        effort: rule.map(|r| r.rule.effort).unwrap_or(""),
        related: f
            .related
            .iter()
            .map(|r| ReportRelated {
                file: r.file.clone(),
                range: range_of(&r.file, r.range),
                message: r.message.clone(),
            })
            .collect(),
        fix: f.fix.clone(),
        suppressed: f.suppressed.clone(),
    }
}
