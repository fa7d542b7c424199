//! `--format sarif`: the report as a SARIF 2.1.0 log for code scanning. Every rule is described (title,
//! documentation, help page); each gap is a result at its exact region with its fix as SARIF replacements, its
//! deployable unit and points in the result's properties; the scores are in the run's properties.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};
use shipready_analysis::{Analysis, Report, ReportFinding, ReportRange};
use shipready_rules::{Edit, Fix, RULES};
use shipready_text::{LineIndex, PositionEncoding, TextRange};

use crate::fingerprint::fingerprints;

/// The schema the log declares (the OASIS SARIF 2.1.0 schema, as code scanning expects).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The base id results' paths are relative to; the run maps it to the workspace folder.
const ROOT: &str = "SRCROOT";

pub fn render(out: &mut impl Write, report: &Report, analysis: &Analysis) -> io::Result<()> {
    let log = log(report, analysis);
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    writeln!(out)
}

fn log(report: &Report, analysis: &Analysis) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.rule.name,
                "shortDescription": { "text": r.rule.title },
                "fullDescription": { "text": r.rule.summary() },
                "help": { "text": r.rule.recommendation, "markdown": r.rule.doc() },
                "helpUri": r.help_uri(),
                "defaultConfiguration": { "level": level(r.rule.severity.as_str()) },
                "properties": {
                    "category": r.rule.category.id(),
                    "severity": r.rule.severity.as_str(),
                    "scored": r.scored,
                    "tags": ["deployment-readiness", r.rule.category.id()],
                },
            })
        })
        .collect();
    let index: HashMap<&str, usize> = RULES.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    let mut texts = Texts {
        analysis,
        indexes: HashMap::new(),
    };
    let prints = fingerprints(&report.findings);
    let results: Vec<Value> = report
        .findings
        .iter()
        .zip(&prints)
        .map(|(f, print)| result(f, print, index.get(f.code).copied(), &mut texts))
        .collect();
    let units: Vec<Value> = report
        .units
        .iter()
        .map(|u| {
            json!({
                "name": u.name, "root": u.root, "kinds": u.kinds,
                "score": u.overall, "band": u.band, "gaps": u.findings.len(),
            })
        })
        .collect();
    let root_uri = file_uri(&report.root);
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "shipready",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "informationUri": "https://github.com/shipready/shipready",
                "rules": rules,
            }},
            "originalUriBaseIds": { ROOT: { "uri": root_uri } },
            "columnKind": "utf16CodeUnits",
            "results": results,
            "properties": {
                "score": report.overall,
                "band": report.band,
                "band_id": report.band_id,
                "profile": report.profile,
                "schema_version": report.schema_version,
                "categories": report.categories.iter().map(|c| json!({
                    "id": c.id, "score": c.score, "passed": c.passed,
                })).collect::<Vec<_>>(),
                "units": units,
                "set_aside": report.set_aside,
            },
        }],
    })
}

fn result(f: &ReportFinding, print: &str, rule_index: Option<usize>, texts: &mut Texts) -> Value {
    let mut r = json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": { "text": f.message },
        "partialFingerprints": { "shipready/v1": print },
        "properties": {
            "unit": f.unit,
            "severity": f.severity,
            "category": f.category.id(),
            "points": f.points,
            "effort": f.effort,
        },
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    // An inline suppression is SARIF's in-source suppression: viewers such as code scanning close the alert.
    if let Some(reason) = &f.suppressed {
        r["suppressions"] =
            json!([{ "kind": "inSource", "status": "accepted", "justification": reason }]);
    }
    if let Some(file) = &f.file {
        r["locations"] = json!([{ "physicalLocation": physical(file, f.range.as_ref()) }]);
    }
    if !f.related.is_empty() {
        r["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                json!({
                    "id": i + 1,
                    "physicalLocation": physical(&rel.file, rel.range.as_ref()),
                    "message": { "text": rel.message },
                })
            })
            .collect();
    }
    if let Some(fix) = &f.fix {
        if let Some(fix) = sarif_fix(fix, texts) {
            r["fixes"] = json!([fix]);
        }
    }
    r
}

fn physical(file: &str, range: Option<&ReportRange>) -> Value {
    let mut p = json!({ "artifactLocation": { "uri": encode(file), "uriBaseId": ROOT } });
    if let Some(r) = range {
        p["region"] = json!({
            "startLine": r.start.line, "startColumn": r.start.column,
            "endLine": r.end.line, "endColumn": r.end.column,
        });
    }
    p
}

/// A fix as SARIF artifact changes: one per file, each edit a replacement of a line/column region (an
/// insertion replaces an empty region). A created file is a change of an empty artifact. `None` when a
/// replaced file's text is unknown.
fn sarif_fix(fix: &Fix, texts: &mut Texts) -> Option<Value> {
    let mut changes: Vec<(String, Vec<Value>)> = Vec::new();
    for edit in &fix.edits {
        let (file, replacement) = match edit {
            Edit::Replace {
                file,
                range,
                new_text,
            } => (
                file,
                json!({ "deletedRegion": texts.region(file, *range)?, "insertedContent": { "text": new_text } }),
            ),
            Edit::Create { file, contents } => (
                file,
                json!({
                    "deletedRegion": { "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1 },
                    "insertedContent": { "text": contents },
                }),
            ),
        };
        match changes.iter_mut().find(|(f, _)| f == file) {
            Some((_, list)) => list.push(replacement),
            None => changes.push((file.clone(), vec![replacement])),
        }
    }
    let changes: Vec<Value> = changes
        .into_iter()
        .map(|(file, replacements)| {
            json!({
                "artifactLocation": { "uri": encode(&file), "uriBaseId": ROOT },
                "replacements": replacements,
            })
        })
        .collect();
    Some(json!({
        "description": { "text": fix.title },
        "artifactChanges": changes,
        "properties": { "applicability": fix.applicability },
    }))
}

/// File texts and their line indexes, for converting fix offsets to SARIF regions.
struct Texts<'a> {
    analysis: &'a Analysis,
    indexes: HashMap<String, LineIndex>,
}

impl Texts<'_> {
    fn region(&mut self, file: &str, range: TextRange) -> Option<Value> {
        let source = self.analysis.file(file)?;
        if range.end > source.text.len() {
            return None;
        }
        let index = self
            .indexes
            .entry(file.to_owned())
            .or_insert_with(|| LineIndex::new(&source.text));
        let start = index.position(&source.text, range.start, PositionEncoding::Utf16);
        let end = index.position(&source.text, range.end, PositionEncoding::Utf16);
        Some(json!({
            "startLine": start.line + 1, "startColumn": start.col + 1,
            "endLine": end.line + 1, "endColumn": end.col + 1,
        }))
    }
}

/// SARIF levels: CRITICAL and HIGH gaps are errors, MEDIUM warnings, LOW notes.
fn level(severity: &str) -> &'static str {
    match severity {
        "CRITICAL" | "HIGH" => "error",
        "MEDIUM" => "warning",
        _ => "note",
    }
}

/// A `file://` URI of an absolute folder path, ending in `/` as SARIF base URIs must.
fn file_uri(path: &str) -> String {
    let path = encode(&path.replace('\\', "/"));
    let slash = if path.starts_with('/') { "" } else { "/" };
    let end = if path.ends_with('/') { "" } else { "/" };
    format!("file://{slash}{path}{end}")
}

/// A path as a URI reference: unreserved characters and `/` as they are, every other byte (`:` too, so a
/// first segment never reads as a scheme) percent-encoded.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
