//! `shipready check --fix` and `--diff`: the analysis plans the changes (plain data); this writes them, each
//! file atomically (a temporary file in the same folder, then a rename), or prints them as a unified diff.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{bail, Context};
use shipready_analysis::{FileChange, FixPlan};
use similar::TextDiff;

/// Write every change of `plan` under `root`. A file whose text on disk is no longer the text audited is
/// refused (something else changed it meanwhile); a byte-order mark the file had is kept.
pub fn write(root: &Path, plan: &FixPlan) -> anyhow::Result<()> {
    for change in &plan.changes {
        let path = root.join(&change.path);
        let mut bytes: Vec<u8> = Vec::new();
        match &change.before {
            Some(before) => {
                let disk = std::fs::read(&path)
                    .with_context(|| format!("cannot read `{}`", change.path))?;
                let (bom, body) = match disk.strip_prefix(b"\xEF\xBB\xBF") {
                    Some(body) => (true, body),
                    None => (false, disk.as_slice()),
                };
                if body != before.as_bytes() {
                    bail!("`{}` changed while it was being fixed", change.path);
                }
                if bom {
                    bytes.extend_from_slice(b"\xEF\xBB\xBF");
                }
            }
            None if path.exists() => {
                bail!(
                    "`{}` exists: a fix that creates it never overwrites",
                    change.path
                )
            }
            None => {}
        }
        bytes.extend_from_slice(change.after.as_bytes());
        write_atomically(&path, &bytes)
            .with_context(|| format!("cannot write `{}`", change.path))?;
    }
    Ok(())
}

/// Write `bytes` to a temporary file beside `path`, then rename it over `path`: readers see the old file or
/// the new one, never half of one. An existing file keeps its permissions.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("no parent folder"))?;
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.shipready-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The changes as one unified diff (`--- a/path`, `+++ b/path`, three lines of context), `/dev/null` for
/// created files.
pub fn diff(out: &mut impl Write, plan: &FixPlan) -> io::Result<()> {
    for FileChange {
        path,
        before,
        after,
    } in &plan.changes
    {
        let old = before.as_deref().unwrap_or("");
        let from = match before {
            Some(_) => format!("a/{path}"),
            None => "/dev/null".to_owned(),
        };
        let text = TextDiff::from_lines(old, after.as_str());
        write!(
            out,
            "{}",
            text.unified_diff()
                .context_radius(3)
                .missing_newline_hint(true)
                .header(&from, &format!("b/{path}"))
        )?;
    }
    Ok(())
}
