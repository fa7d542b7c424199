//! The repository's fixture files, for the differential tests that edit real files (test-only).

use std::path::{Path, PathBuf};

/// Every file under `tests/fixtures` whose name `keep` accepts, in path order.
pub(crate) fn files(keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures"),
        &keep,
        &mut out,
    );
    out
}

/// Every Python file of the fixtures, as `(path, text)`.
pub(crate) fn python_sources() -> Vec<(String, String)> {
    files(|n| n.ends_with(".py"))
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)))
        .collect()
}

fn walk(dir: &Path, keep: &dyn Fn(&str) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, keep, out);
        } else if path.file_name().and_then(|n| n.to_str()).is_some_and(keep) {
            out.push(path);
        }
    }
}
