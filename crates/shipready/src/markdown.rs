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
    let gaps = r.findings.len();
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
                u.findings.len()
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

/// The gaps, most serious first, as a table; a line saying there are none otherwise.
fn gap_table(out: &mut impl Write, findings: &[ReportFinding]) -> io::Result<()> {
    if findings.is_empty() {
        writeln!(out, "No gaps. ✅")?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "| Severity | Rule | Where | Gap | Points |")?;
    writeln!(out, "|---|---|---|---|---:|")?;
    for severity in ["CRITICAL", "HIGH", "MEDIUM", "LOW"] {
        for f in findings.iter().filter(|f| f.severity == severity) {
            let rule = match rule_by_code(f.code) {
                Some(r) => format!("[{}]({}) {}", f.code, r.help_uri(), r.rule.name),
                None => f.code.to_owned(),
            };
            let place = match (&f.file, &f.range) {
                (Some(file), Some(range)) => format!("`{}:{}`", cell(file), range.start.line),
                (Some(file), None) => format!("`{}`", cell(file)),
                (None, _) => "(workspace)".to_owned(),
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
    Ok(())
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
