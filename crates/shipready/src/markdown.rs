//! `--format markdown`: the report as a pull-request comment (GitHub-flavoured Markdown): the score and band,
//! a table of deployable units, then each unit's gaps with links to the rule pages. Also the job summary of
//! `--format github`.

use std::io::{self, Write};

use shipready_analysis::{Report, ReportFinding};
use shipready_rules::{rule_by_code, Band};

pub fn render(out: &mut impl Write, r: &Report) -> io::Result<()> {
    writeln!(
        out,
        "## {} Deployment readiness: {:.2}/100",
        icon(r.band_id),
        r.overall
    )?;
    writeln!(out)?;
    let gaps = open(&r.findings);
    writeln!(
        out,
        "**{}** · profile `{}` · {} {} · {} {} analyzed",
        r.band,
        r.profile,
        gaps,
        plural(gaps, "gap", "gaps"),
        r.files_analyzed,
        plural(r.files_analyzed, "file", "files"),
    )?;
    writeln!(out)?;
    if r.units.len() > 1 {
        writeln!(out, "| Unit | Kind | Score | Status | Gaps |")?;
        writeln!(out, "|---|---|---:|---|---:|")?;
        for u in &r.units {
            writeln!(
                out,
                "| `{}` | {} | {:.2} | {} {} | {} |",
                cell(&u.name),
                u.kinds.join(", "),
                u.overall,
                icon(u.band_id),
                u.band,
                open(&u.findings)
            )?;
        }
        writeln!(out)?;
        for u in &r.units {
            writeln!(
                out,
                "### Unit `{}`: {:.2}/100, {}",
                cell(&u.name),
                u.overall,
                u.band
            )?;
            writeln!(out)?;
            gap_table(out, &u.findings)?;
        }
    } else {
        writeln!(out, "| Category | Score | Status |")?;
        writeln!(out, "|---|---:|---|")?;
        for c in &r.categories {
            let (score, status) = match c.score {
                None => ("n/a".to_owned(), "➖ not applicable"),
                Some(s) => (
                    format!("{s:.2}"),
                    if c.passed { "✅ pass" } else { "❌ fail" },
                ),
            };
            writeln!(out, "| {} | {score} | {status} |", c.title)?;
        }
        writeln!(out)?;
        writeln!(out, "### Gaps")?;
        writeln!(out)?;
        gap_table(out, &r.findings)?;
    }
    if !r.set_aside.is_empty() {
        writeln!(
            out,
            "<details><summary>Set aside, not production ({} {})</summary>",
            r.set_aside.len(),
            plural(r.set_aside.len(), "file", "files")
        )?;
        writeln!(out)?;
        for s in &r.set_aside {
            writeln!(out, "- `{}`: {}", s.path, s.reason)?;
        }
        writeln!(out)?;
        writeln!(out, "</details>")?;
        writeln!(out)?;
    }
    writeln!(
        out,
        "<sub>shipready {} · `shipready explain CODE` prints a rule's page</sub>",
        r.tool.version
    )?;
    Ok(())
}

/// The gaps no suppression accepts, most serious first, as a table (a line saying there are none otherwise),
/// then the suppressed ones with their reasons.
fn gap_table(out: &mut impl Write, all: &[ReportFinding]) -> io::Result<()> {
    let findings: Vec<&ReportFinding> = all.iter().filter(|f| f.suppressed.is_none()).collect();
    if findings.is_empty() {
        writeln!(out, "No gaps. ✅")?;
        writeln!(out)?;
        return suppressed(out, all);
    }
    writeln!(out, "| Severity | Rule | Where | Gap | Points |")?;
    writeln!(out, "|---|---|---|---|---:|")?;
    for severity in ["CRITICAL", "HIGH", "MEDIUM", "LOW"] {
        for f in findings.iter().filter(|f| f.severity == severity) {
            let place = place(f);
            let rule = match rule_by_code(f.code) {
                Some(r) => format!("[{}]({}) {}", f.code, r.help_uri(), r.rule.name),
                None => f.code.to_owned(),
            };
            writeln!(
                out,
                "| {severity} | {rule} | {place} | {} | {:.2} |",
                cell(&f.message),
                f.points
            )?;
        }
    }
    writeln!(out)?;
    suppressed(out, all)
}

/// Suppressed gaps, folded: they still cost their points.
fn suppressed(out: &mut impl Write, findings: &[ReportFinding]) -> io::Result<()> {
    let accepted: Vec<&ReportFinding> =
        findings.iter().filter(|f| f.suppressed.is_some()).collect();
    if accepted.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<details><summary>Suppressed ({}, still counted in the score)</summary>",
        accepted.len()
    )?;
    writeln!(out)?;
    for f in accepted {
        let reason = f
            .suppressed
            .as_deref()
            .filter(|r| !r.is_empty())
            .unwrap_or("no reason given");
        writeln!(
            out,
            "- {} at {}: {} [{:.2} points]",
            f.code,
            place(f),
            cell(reason),
            f.points
        )?;
    }
    writeln!(out)?;
    writeln!(out, "</details>")?;
    writeln!(out)
}

fn open(findings: &[ReportFinding]) -> usize {
    findings.iter().filter(|f| f.suppressed.is_none()).count()
}

/// `` `file:line` `` of a finding, or `(workspace)`.
fn place(f: &ReportFinding) -> String {
    match (&f.file, &f.range) {
        (Some(file), Some(range)) => format!("`{}:{}`", cell(file), range.start.line),
        (Some(file), None) => format!("`{}`", cell(file)),
        (None, _) => "(workspace)".to_owned(),
    }
}

/// Text made safe for one table cell: pipes escaped, line breaks as spaces.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

fn icon(band: Band) -> &'static str {
    match band {
        Band::ProductionReady => "✅",
        Band::AlmostReady => "⚠️",
        Band::SignificantWorkRequired => "❌",
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
