//! `shipready check`: audit a folder (after applying its fixes with `--fix`, or printing them with `--diff`),
//! print the report in the chosen format, gate on `--min-score` and `--fail-on`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};
use shipready_analysis::{fix_all, Analysis, FixMode, RealFs, Report};
use shipready_rules::Severity;

use crate::cli::{CheckArgs, CheckFormat};

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let root = &args.path;
    if !root.is_dir() {
        bail!(
            "`{}` is not a folder: give the workspace folder to audit",
            root.display()
        );
    }
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot resolve `{}`", root.display()))?;
    let profile = args.profile.map(|p| p.profile());
    let (mut analysis, config_error) = Analysis::load_configured(&root, profile, &RealFs);
    if let Some(e) = config_error {
        // A configuration the team wrote wrongly is a usage error: say where, audit nothing.
        eprintln!("shipready: invalid configuration: {e}");
        return Ok(ExitCode::from(2));
    }
    let mode = if args.unsafe_fixes {
        FixMode::All
    } else {
        FixMode::Safe
    };
    if args.diff {
        let plan = fix_all(&mut analysis, mode, &RealFs);
        let mut out = anstream::stdout().lock();
        crate::fix::diff(&mut out, &plan)?;
        out.flush()?;
        return Ok(if plan.changes.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    if args.fix {
        let plan = fix_all(&mut analysis, mode, &RealFs);
        crate::fix::write(&root, &plan)?;
        let files = plan.changes.len();
        eprintln!(
            "shipready: applied {} {} to {files} {}{}",
            plan.applied.len(),
            if plan.applied.len() == 1 {
                "fix"
            } else {
                "fixes"
            },
            if files == 1 { "file" } else { "files" },
            match plan.unsafe_left {
                0 => String::new(),
                n => format!(" ({n} more with --unsafe-fixes)"),
            }
        );
        // The report describes the files as they are now on disk.
        analysis = Analysis::load_configured(&root, profile, &RealFs).0;
    }
    // Audited once from here: nothing is kept for a next audit.
    analysis.audited_once();
    let report = analysis.report();
    // As io::Errors, a closed pipe is recognised by `main` and ends the program quietly.
    let mut out: Box<dyn Write> = match args.format {
        // The one coloured format: anstream strips the colours when the output is not a terminal.
        CheckFormat::Text => Box::new(anstream::stdout().lock()),
        // Machine-readable formats hold no colours: written straight to a buffer, not line by line through the
        // colour filter (a 10,000-file workspace's JSON report is 12 MB).
        _ => Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout().lock(),
        )),
    };
    match args.format {
        CheckFormat::Text => crate::render::report(&mut out, &report)?,
        CheckFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        CheckFormat::Sarif => crate::sarif::render(&mut out, &report, &analysis)?,
        CheckFormat::Github => {
            crate::github::render(&mut out, &report)?;
            step_summary(&report)?;
        }
        CheckFormat::Junit => crate::junit::render(&mut out, &report)?,
        CheckFormat::Gitlab => crate::gitlab::render(&mut out, &report)?,
        CheckFormat::Markdown => crate::markdown::render(&mut out, &report)?,
    }
    out.flush()?;
    Ok(gate(&args, &report))
}

/// Exit status 1 when the score is below `--min-score` or a gap no suppression accepts is at least as serious
/// as `--fail-on`.
fn gate(args: &CheckArgs, report: &Report) -> ExitCode {
    let mut failed = false;
    if let Some(min) = args.min_score {
        if report.overall < min {
            eprintln!(
                "shipready: overall score {:.2} is below --min-score {min:.2}",
                report.overall
            );
            failed = true;
        }
    }
    if let Some(fail_on) = args.fail_on {
        let threshold = fail_on.severity();
        let over = report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .filter(|f| Severity::parse(f.severity).is_some_and(|s| s <= threshold))
            .count();
        if over > 0 {
            eprintln!(
                "shipready: {over} {} {} or more serious (--fail-on {})",
                if over == 1 { "gap is" } else { "gaps are" },
                threshold.as_str(),
                threshold.as_str().to_ascii_lowercase()
            );
            failed = true;
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// With `--format github` in a workflow: append the Markdown summary to the job's summary file.
fn step_summary(report: &Report) -> anyhow::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let summary = crate::github::summary(report)?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| {
            format!(
                "cannot open $GITHUB_STEP_SUMMARY `{}`",
                path.to_string_lossy()
            )
        })?;
    file.write_all(&summary)
        .context("cannot write $GITHUB_STEP_SUMMARY")?;
    Ok(())
}
