//! [`Report`]: the audit in the seed's shape with line/column positions, serialised as the versioned JSON
//! schema documented in `docs/json-schema.md`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use shipready_rules::{rule_by_code, Audit, Category, Finding, Fix, SourceFile, Status};
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
    }
}

impl Report {
    pub fn new(
        root: &Path,
        audit: &Audit,
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
        let categories = Category::ALL
            .iter()
            .map(|&c| {
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
                let parts: Vec<&str> = checks
                    .iter()
                    .filter(|k| k.scored)
                    .map(|k| k.details.as_str())
                    .collect();
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
            .collect();
        let findings: Vec<ReportFinding> = audit
            .findings
            .iter()
            .map(|f| finding(f, &mut range_of))
            .collect();
        // One recommendation per failing rule, in registry (report) order.
        let mut recommendations: Vec<String> = shipready_rules::RULES
            .iter()
            .filter(|r| audit.findings.iter().any(|f| f.code == r.code))
            .map(|r| format!("{}: {}", r.code, r.rule.recommendation))
            .collect();
        if recommendations.is_empty() {
            recommendations.push("Deployment infrastructure is production-ready".to_owned());
        }
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
            findings,
            recommendations,
            files_analyzed: files.len(),
            skipped: skipped.to_vec(),
        }
    }
}

fn finding(
    f: &Finding,
    range_of: &mut impl FnMut(&str, TextRange) -> Option<ReportRange>,
) -> ReportFinding {
    let rule = rule_by_code(f.code);
    let range = match (&f.file, f.range) {
        (Some(file), Some(r)) => range_of(file, r),
        _ => None,
    };
    ReportFinding {
        code: f.code,
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
    }
}
