//! `--format github`: one GitHub Actions workflow command per gap (`::error file=…,line=…,col=…,endLine=…,
//! endColumn=…,title=…::message`), which the runner shows as annotations on the pull request, and a Markdown
//! summary for the job page (appended to the file `$GITHUB_STEP_SUMMARY` names, when it is set).

use std::io::{self, Write};

use shipready_analysis::{Report, ReportFinding};

pub fn render(out: &mut impl Write, r: &Report) -> io::Result<()> {
    let several = r.units.len() > 1;
    // A suppressed gap is accepted: no annotation, only a count in the closing notice.
    let open: Vec<&ReportFinding> = r
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    for f in &open {
        writeln!(out, "{}", annotation(f, several))?;
    }
    let suppressed = r.findings.len() - open.len();
    writeln!(
        out,
        "::notice title=shipready::{}",
        data(&format!(
            "Deployment readiness {:.2}/100 ({}), {} {}{}",
            r.overall,
            r.band,
            open.len(),
            if open.len() == 1 { "gap" } else { "gaps" },
            match suppressed {
                0 => String::new(),
                n => format!(", {n} suppressed"),
            }
        ))
    )
}

/// One gap as a workflow command. The title names the rule, and the deployable unit when there are several.
fn annotation(f: &ReportFinding, several_units: bool) -> String {
    let command = match f.severity {
        "CRITICAL" | "HIGH" => "error",
        "MEDIUM" => "warning",
        _ => "notice",
    };
    let mut props: Vec<String> = Vec::new();
    if let Some(file) = &f.file {
        props.push(format!("file={}", property(file)));
        if let Some(range) = &f.range {
            props.push(format!("line={}", range.start.line));
            props.push(format!("col={}", range.start.column));
            props.push(format!("endLine={}", range.end.line));
            props.push(format!("endColumn={}", range.end.column));
        }
    }
    let mut title = format!("{} {} ({})", f.code, f.name, f.severity);
    if several_units {
        title.push_str(&format!(" in unit {}", f.unit));
    }
    props.push(format!("title={}", property(&title)));
    format!(
        "::{command} {}::{}",
        props.join(","),
        data(&format!("{} [{:.2} points]", f.message, f.points))
    )
}

/// The message of a workflow command: `%`, CR and LF escaped, as the runner's command parser expects.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command: as [`data`], plus `:` and `,`, which end a property.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The job summary: the Markdown report.
pub fn summary(r: &Report) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    crate::markdown::render(&mut out, r)?;
    Ok(out)
}
