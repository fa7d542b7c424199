//! The human-readable report, in the seed auditor's shape. Colours are ANSI; anstream strips them when the
//! output is not a terminal.

use std::io::{self, Write};

use shipready_analysis::{Report, ReportCategory, ReportFinding};
use shipready_rules::{Band, Status};

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

pub fn report(out: &mut impl Write, r: &Report) -> io::Result<()> {
    writeln!(
        out,
        "{BOLD}Deployment Readiness{RESET} of {} (profile: {})",
        r.root, r.profile
    )?;
    if r.units.len() > 1 {
        writeln!(
            out,
            "Score: {:.2}/100 (the mean of {} deployable units)",
            r.overall,
            r.units.len()
        )?;
        writeln!(out)?;
        writeln!(out, "Units ({}):", r.units.len())?;
        for u in &r.units {
            let (mark, colour) = band_mark(u.band_id);
            writeln!(
                out,
                "  {colour}{mark}{RESET} {BOLD}{}{RESET} ({}): {:.2}/100 {}, {} {}",
                u.name,
                u.kinds.join(", "),
                u.overall,
                u.band,
                open_gaps(&u.findings),
                if open_gaps(&u.findings) == 1 {
                    "gap"
                } else {
                    "gaps"
                }
            )?;
        }
        for u in &r.units {
            writeln!(out)?;
            writeln!(
                out,
                "{BOLD}== Unit {} ({}): {:.2}/100, {} =={RESET}",
                u.name,
                u.kinds.join(", "),
                u.overall,
                u.band
            )?;
            body(out, &u.categories, &u.findings, &u.recommendations)?;
        }
    } else {
        writeln!(out, "Score: {:.2}/100", r.overall)?;
        writeln!(out)?;
        body(out, &r.categories, &r.findings, &r.recommendations)?;
    }
    if !r.set_aside.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Set aside, not production ({} {}):",
            r.set_aside.len(),
            if r.set_aside.len() == 1 {
                "file"
            } else {
                "files"
            }
        )?;
        for s in &r.set_aside {
            writeln!(out, "  - {}: {}", s.path, s.reason)?;
        }
    }
    if !r.unused_suppressions.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Unused suppressions ({}): they accept no gap and can go:",
            r.unused_suppressions.len()
        )?;
        for u in &r.unused_suppressions {
            let line = u.range.map(|r| r.start.line).unwrap_or(0);
            writeln!(out, "  - {}:{line}: ignore[{}]", u.file, u.codes.join(", "))?;
        }
    }
    if !r.skipped.is_empty() {
        writeln!(out)?;
        writeln!(out, "Skipped files ({}):", r.skipped.len())?;
        for s in &r.skipped {
            writeln!(out, "  - {}: {}", s.path, s.reason)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{BOLD}Overall Assessment: {:.2}/100{RESET}", r.overall)?;
    let (mark, colour) = band_mark(r.band_id);
    writeln!(
        out,
        "Status: {colour}{mark} {}{RESET}",
        r.band.to_uppercase()
    )?;
    Ok(())
}

/// A unit's checks, gaps and recommendations.
fn body(
    out: &mut impl Write,
    categories: &[ReportCategory],
    findings: &[ReportFinding],
    recommendations: &[String],
) -> io::Result<()> {
    writeln!(out, "Checks ({}):", categories.len())?;
    for c in categories {
        let (mark, colour, word) = match c.score {
            None => ("-", DIM, "N/A"),
            Some(_) if c.passed => ("✓", GREEN, "PASS"),
            Some(_) => ("✗", RED, "FAIL"),
        };
        let score = c
            .score
            .map(|s| format!("{s:.2}/100"))
            .unwrap_or_else(|| "not applicable".to_owned());
        writeln!(
            out,
            "  {colour}{mark} {word}{RESET} {BOLD}{}{RESET}: {score}",
            c.title
        )?;
        writeln!(out, "      {}", c.details)?;
        let files = if c.evidence.len() == 1 {
            "file"
        } else {
            "files"
        };
        writeln!(
            out,
            "      Evidence: {} {files}{}",
            c.evidence.len(),
            listed(&c.evidence)
        )?;
        for k in &c.checks {
            let (mark, colour) = match k.status {
                Status::Pass => ("✓", GREEN),
                Status::Fail => ("✗", RED),
                Status::NotApplicable => ("-", DIM),
            };
            // A failing check names the files where its gaps are.
            let mut failing: Vec<String> = findings
                .iter()
                .filter(|f| f.code == k.code)
                .filter_map(|f| f.file.clone())
                .collect();
            failing.dedup();
            let at = if k.status == Status::Fail && !failing.is_empty() {
                let names = listed(&failing);
                let names = names
                    .trim_start()
                    .trim_start_matches('(')
                    .trim_end_matches(')');
                format!("  → {names}")
            } else {
                String::new()
            };
            writeln!(
                out,
                "      {colour}{mark}{RESET} {} {:<32} {DIM}{}{at}{RESET}",
                k.code, k.name, k.details
            )?;
        }
        writeln!(out)?;
    }
    let open: Vec<&ReportFinding> = findings.iter().filter(|f| f.suppressed.is_none()).collect();
    writeln!(out, "Gaps ({}):", open.len())?;
    for severity in ["CRITICAL", "HIGH", "MEDIUM", "LOW"] {
        let of: Vec<&ReportFinding> = open
            .iter()
            .copied()
            .filter(|f| f.severity == severity)
            .collect();
        if of.is_empty() {
            continue;
        }
        let colour = match severity {
            "CRITICAL" | "HIGH" => RED,
            "MEDIUM" => YELLOW,
            _ => DIM,
        };
        writeln!(out, "  {colour}{severity}{RESET} ({})", of.len())?;
        for f in of {
            let place = place_of(f);
            writeln!(
                out,
                "    {BOLD}{}{RESET} {place}  {DIM}[{:.2} points]{RESET}",
                f.code, f.points
            )?;
            writeln!(out, "      {}", f.message)?;
        }
    }
    let accepted: Vec<&ReportFinding> =
        findings.iter().filter(|f| f.suppressed.is_some()).collect();
    if !accepted.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Suppressed ({}, still counted in the score):",
            accepted.len()
        )?;
        for f in accepted {
            let reason = f.suppressed.as_deref().unwrap_or_default();
            let reason = if reason.is_empty() {
                "no reason given"
            } else {
                reason
            };
            writeln!(
                out,
                "  {DIM}{} {}  [{:.2} points]{RESET} {reason}",
                f.code,
                place_of(f),
                f.points
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Recommendations ({}):", recommendations.len())?;
    for rec in recommendations {
        writeln!(out, "  - {rec}")?;
    }
    Ok(())
}

/// Findings no inline suppression accepts.
fn open_gaps(findings: &[ReportFinding]) -> usize {
    findings.iter().filter(|f| f.suppressed.is_none()).count()
}

/// `file:line:col` of a finding, or `(workspace)`.
fn place_of(f: &ReportFinding) -> String {
    match (&f.file, &f.range) {
        (Some(file), Some(range)) => format!("{file}:{}:{}", range.start.line, range.start.column),
        (Some(file), None) => file.clone(),
        (None, _) => "(workspace)".to_owned(),
    }
}

fn band_mark(band: Band) -> (&'static str, &'static str) {
    match band {
        Band::ProductionReady => ("✓", GREEN),
        Band::AlmostReady => ("⚠", YELLOW),
        Band::SignificantWorkRequired => ("✗", RED),
    }
}

/// The first evidence files, for the report line (all of them are in the JSON report).
fn listed(files: &[String]) -> String {
    const SHOWN: usize = 4;
    if files.is_empty() {
        return String::new();
    }
    let mut out = format!(
        " ({}",
        files
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if files.len() > SHOWN {
        out.push_str(&format!(", +{} more", files.len() - SHOWN));
    }
    out.push(')');
    out
}
