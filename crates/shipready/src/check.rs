//! `shipready check`: audit a folder, print the report, gate on `--min-score`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};
use shipready_analysis::{Analysis, RealFs};

use crate::cli::{CheckArgs, Format};

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
    let (mut analysis, config_error) =
        Analysis::load_configured(&root, args.profile.map(|p| p.profile()), &RealFs);
    if let Some(e) = config_error {
        // A configuration the team wrote wrongly is a usage error: say where, audit nothing.
        eprintln!("shipready: invalid configuration: {e}");
        return Ok(ExitCode::from(2));
    }
    let report = analysis.report();
    let mut out = anstream::stdout().lock();
    match args.format {
        Format::Json => {
            // As an io::Error, a closed pipe is recognised by `main` and ends the program quietly.
            serde_json::to_writer_pretty(&mut out, &report).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Text => crate::render::report(&mut out, &report)?,
    }
    out.flush()?;
    if let Some(min) = args.min_score {
        if report.overall < min {
            eprintln!(
                "shipready: overall score {:.2} is below --min-score {min:.2}",
                report.overall
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}
