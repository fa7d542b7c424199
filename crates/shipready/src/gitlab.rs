//! `--format gitlab`: the gaps as a GitLab code quality report (the Code Climate issue subset GitLab reads:
//! description, check name, fingerprint, severity, location with path and lines), for the merge request
//! widget and the changes view.

use std::io::{self, Write};

use serde_json::{json, Value};
use shipready_analysis::{Report, ReportFinding};

use crate::fingerprint::fingerprints;

pub fn render(out: &mut impl Write, r: &Report) -> io::Result<()> {
    let prints = fingerprints(&r.findings);
    // A suppressed gap is accepted: GitLab has no suppressed state, so it is left out.
    let issues: Vec<Value> = r
        .findings
        .iter()
        .zip(&prints)
        .filter(|(f, _)| f.suppressed.is_none())
        .map(|(f, print)| issue(f, print, r))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::from)?;
    writeln!(out)
}

fn issue(f: &ReportFinding, fingerprint: &str, r: &Report) -> Value {
    // GitLab needs a path for every issue: one with no place of its own sits on the workspace's root.
    let path = f.file.clone().unwrap_or_else(|| ".".to_owned());
    let location = match &f.range {
        Some(range) => json!({
            "path": path,
            "positions": {
                "begin": { "line": range.start.line, "column": range.start.column },
                "end": { "line": range.end.line, "column": range.end.column },
            },
        }),
        None => json!({ "path": path, "lines": { "begin": 1 } }),
    };
    let mut description = format!("{}: {}", f.code, f.message);
    if r.units.len() > 1 {
        description.push_str(&format!(" (unit {})", f.unit));
    }
    json!({
        "type": "issue",
        "engine_name": "shipready",
        "check_name": format!("{} {}", f.code, f.name),
        "description": description,
        "content": { "body": format!("{}\n\n{}", f.impact, f.recommendation) },
        "categories": ["Bug Risk"],
        "fingerprint": fingerprint,
        "severity": severity(f.severity),
        "location": location,
        "remediation_points": (f.points * 10_000.0).round() as u64,
    })
}

/// GitLab's severities: `info`, `minor`, `major`, `critical`, `blocker`.
fn severity(s: &str) -> &'static str {
    match s {
        "CRITICAL" => "blocker",
        "HIGH" => "critical",
        "MEDIUM" => "major",
        _ => "minor",
    }
}
