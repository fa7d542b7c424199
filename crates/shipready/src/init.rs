//! `shipready init`: write a commented `shipready.toml` with the deployable units shipready detects, for a team
//! to adjust. Never overwrites an existing configuration.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use shipready_analysis::config::CONFIG_FILES;
use shipready_analysis::{Analysis, Profile, RealFs};

pub fn run(path: &Path) -> anyhow::Result<ExitCode> {
    if !path.is_dir() {
        bail!("`{}` is not a folder", path.display());
    }
    let existing = CONFIG_FILES
        .iter()
        .take(2)
        .map(|name| path.join(name))
        .find(|p| p.exists());
    if let Some(existing) = existing {
        eprintln!(
            "shipready: {} exists already; edit it (see docs/configuration.md)",
            existing.display()
        );
        return Ok(ExitCode::from(2));
    }
    let mut analysis = Analysis::load(path, Profile::Standard, &RealFs);
    let audit = analysis.audit();
    let units: Vec<(String, String)> = audit
        .units
        .iter()
        .map(|u| {
            let folder = if u.root.is_empty() {
                ".".to_owned()
            } else {
                u.root.clone()
            };
            (u.name.clone(), folder)
        })
        .collect();
    let text = template(&units);
    let target = path.join("shipready.toml");
    std::fs::write(&target, text).with_context(|| format!("writing {}", target.display()))?;
    eprintln!(
        "wrote {} with {} deployable {}",
        target.display(),
        units.len(),
        if units.len() == 1 { "unit" } else { "units" }
    );
    Ok(ExitCode::SUCCESS)
}

/// The configuration text: every key with a comment, the detected units active.
fn template(units: &[(String, String)]) -> String {
    let mut out = String::from(
        "# shipready configuration: https://github.com/shipready/shipready/blob/main/docs/configuration.md\n\
         \n\
         # `standard` leaves out checks about technology a unit does not use; `seed` scores every check.\n\
         profile = \"standard\"\n\
         \n\
         # Switch a category off, or weigh it in the overall mean (1 by default).\n\
         # [categories.cdk]\n\
         # enabled = false\n\
         # [categories.health]\n\
         # weight = 2.0\n\
         \n\
         [rules]\n\
         # Run only these rules (codes or prefixes); all when empty.\n\
         select = []\n\
         # Never run these.\n\
         ignore = []\n\
         # Severity per rule: critical, high, medium or low.\n\
         # severity = { HC004 = \"low\" }\n\
         \n\
         # Files shipready sets aside or takes as production, overriding what it detects (globs).\n\
         # [roles]\n\
         # archived = [\"legacy/**\"]\n\
         # production = [\"examples/showcase/**\"]\n\
         \n\
         [files]\n\
         # Globs of files to leave out of the analysis.\n\
         exclude = []\n\
         # max_size = 2097152\n\
         \n\
         # The deployment guide, when shipready should not choose it.\n\
         # [guide]\n\
         # paths = [\"docs/runbook.md\"]\n\
         \n\
         # Routes that are health endpoints whatever their name (globs over full paths).\n\
         # [health]\n\
         # paths = [\"/__alive\"]\n\
         \n\
         # The deployable units shipready detected: rename them, or list several folders in `paths` to make\n\
         # them one unit.\n",
    );
    for (name, folder) in units {
        let _ = write!(
            out,
            "\n[[units]]\nname = {}\npaths = [{}]\n",
            quote(name),
            quote(folder)
        );
    }
    out
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
