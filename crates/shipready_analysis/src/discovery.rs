//! Workspace discovery: walks a folder respecting `.gitignore`, skips vendored and build folders, classifies
//! files by name, and reads the relevant ones in parallel. Every file it cannot use is listed with a reason.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use shipready_syntax::FileKind;

use crate::fs::FileSystem;

/// Files larger than this are skipped: no deployment file is this big, and parsing one would stall the editor.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Folders that hold vendored, generated or cached files, never the project's own deployment files.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".venv",
    "venv",
    "virtualenv",
    "site-packages",
    "__pycache__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "cdk.out",
    "dist",
    "build",
    "target",
    "vendor",
    "third_party",
    ".terraform",
    ".next",
    ".serverless",
    ".aws-sam",
    ".idea",
    ".vscode",
];

/// A file shipready could not use, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// What discovery found: readable files with their kind and text, and the files it skipped.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<(String, FileKind, String)>,
    pub skipped: Vec<Skipped>,
}

/// Walk `root` and read every file shipready understands.
pub fn discover(root: &Path, fs: &dyn FileSystem) -> Discovered {
    let found: Mutex<Vec<(String, PathBuf, FileKind)>> = Mutex::new(Vec::new());
    let skipped: Mutex<Vec<Skipped>> = Mutex::new(Vec::new());
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .parents(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && e.depth() > 0 && e.file_name().to_str().is_some_and(is_skipped_dir))
        })
        .build_parallel();
    walker.run(|| {
        let found = &found;
        let skipped = &skipped;
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file {
                        let rel = relative(root, entry.path());
                        if let Some(kind) = FileKind::classify(&rel) {
                            push(found, (rel, entry.path().to_path_buf(), kind));
                        }
                    }
                }
                Err(err) => {
                    // Dangling symlinks, loops and unreadable folders: reported, never fatal.
                    let path = error_path(&err)
                        .map(|p| relative(root, p))
                        .unwrap_or_default();
                    push(
                        skipped,
                        Skipped {
                            path,
                            reason: describe_walk_error(&err),
                        },
                    );
                }
            }
            ignore::WalkState::Continue
        })
    });
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut skipped = skipped.into_inner().unwrap_or_else(|e| e.into_inner());
    let (found, links) = drop_linked_copies(root, found);
    skipped.extend(links);
    let results: Vec<Result<(String, FileKind, String), Skipped>> = found
        .into_par_iter()
        .map(|(rel, abs, kind)| read_one(fs, rel, &abs, kind))
        .collect();
    let mut files = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(s) => skipped.push(s),
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Discovered { files, skipped }
}

/// Splits off files reached through a symlink (the file itself, or a linked folder above it) whose target is
/// another discovered file of the workspace: that file is counted, the link is skipped with the reason, so a
/// `Dockerfile -> docker/Dockerfile.prod` is one Dockerfile. A link to a file outside the workspace, or to one
/// discovery leaves out, is that file's only appearance and stays.
fn drop_linked_copies(
    root: &Path,
    found: Vec<(String, PathBuf, FileKind)>,
) -> (Vec<(String, PathBuf, FileKind)>, Vec<Skipped>) {
    let Ok(real_root) = std::fs::canonicalize(root) else {
        return (found, Vec::new());
    };
    let rels: std::collections::HashSet<String> = found.iter().map(|f| f.0.clone()).collect();
    let mut kept = Vec::with_capacity(found.len());
    let mut skipped = Vec::new();
    for entry in found {
        let target = link_target(&real_root, &entry.0, &entry.1).filter(|t| rels.contains(t));
        match target {
            Some(target) => skipped.push(Skipped {
                path: entry.0,
                reason: format!("symlink to {target}, counted once"),
            }),
            None => kept.push(entry),
        }
    }
    (kept, skipped)
}

/// The workspace path of the file `abs` (workspace path `rel`) really is, when it is reached through a
/// symlink and lies inside the workspace (`real_root`, canonical).
fn link_target(real_root: &Path, rel: &str, abs: &Path) -> Option<String> {
    let real = std::fs::canonicalize(abs).ok()?;
    if !real.starts_with(real_root) {
        return None;
    }
    let target = relative(real_root, &real);
    (target != rel).then_some(target)
}

/// Whether discovery leaves out the file at workspace-relative `rel_path` (`/` separators): it lies in a
/// skipped folder, or a `.gitignore` (of the root, a folder above it or one on the way down) or
/// `.git/info/exclude` excludes it, or it is a symlink to another file of the workspace that discovery keeps
/// (counted once, under its real path). For single paths, such as files an editor reports as created;
/// `discover` applies the same rules while it walks.
pub fn is_ignored(root: &Path, rel_path: &str) -> bool {
    if is_ignored_path(root, rel_path) {
        return true;
    }
    let linked = std::fs::canonicalize(root)
        .ok()
        .and_then(|real_root| link_target(&real_root, rel_path, &root.join(rel_path)));
    linked.is_some_and(|target| {
        FileKind::classify(&target).is_some() && !is_ignored_path(root, &target)
    })
}

/// [`is_ignored`] by path alone: skipped folders and ignore files.
fn is_ignored_path(root: &Path, rel_path: &str) -> bool {
    let parts: Vec<&str> = rel_path.split('/').filter(|p| !p.is_empty()).collect();
    let Some((_, dirs)) = parts.split_last() else {
        return false;
    };
    if dirs.iter().any(|d| is_skipped_dir(d)) {
        return true;
    }
    // Every folder whose ignore files apply, outermost first, with the path of the file relative to it.
    let mut scopes: Vec<(PathBuf, PathBuf)> = Vec::new();
    let rel: PathBuf = parts.iter().collect();
    for ancestor in root.ancestors().skip(1) {
        if let Ok(below) = root.strip_prefix(ancestor) {
            scopes.push((ancestor.to_path_buf(), below.join(&rel)));
        }
    }
    scopes.reverse();
    let mut dir = root.to_path_buf();
    for (i, d) in std::iter::once("").chain(dirs.iter().copied()).enumerate() {
        if !d.is_empty() {
            dir.push(d);
        }
        let below: PathBuf = parts.iter().skip(i).collect();
        scopes.push((dir.clone(), below));
    }
    // The deepest ignore file that has a say decides, as in git.
    for (dir, below) in scopes.iter().rev() {
        let mut files = vec![dir.join(".gitignore")];
        if dir == root {
            files.push(dir.join(".git/info/exclude"));
        }
        for file in files.iter().filter(|f| f.is_file()) {
            let (matcher, _) = ignore::gitignore::Gitignore::new(file);
            match matcher.matched_path_or_any_parents(below, false) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
    }
    false
}

/// Whether a folder of this name holds vendored, generated or cached files.
fn is_skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.contains(&name)
}

fn push<T>(m: &Mutex<Vec<T>>, v: T) {
    match m.lock() {
        Ok(mut g) => g.push(v),
        Err(poisoned) => poisoned.into_inner().push(v),
    }
}

/// Read and decode one file; a skip reason for anything that is not usable text.
pub(crate) fn read_one(
    fs: &dyn FileSystem,
    rel: String,
    abs: &Path,
    kind: FileKind,
) -> Result<(String, FileKind, String), Skipped> {
    let skip = |reason: String| Skipped {
        path: rel.clone(),
        reason,
    };
    if let Ok(meta) = std::fs::metadata(abs) {
        if meta.len() > MAX_FILE_BYTES {
            return Err(skip(format!(
                "larger than {} MiB ({} bytes)",
                MAX_FILE_BYTES / (1024 * 1024),
                meta.len()
            )));
        }
    }
    let bytes = fs.read(abs).map_err(|e| skip(format!("unreadable: {e}")))?;
    let text = decode(&bytes).map_err(skip)?;
    Ok((rel, kind, text))
}

/// Decode file bytes as UTF-8 text, dropping a byte-order mark; binary or non-UTF-8 content is refused.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "larger than {} MiB ({} bytes)",
            MAX_FILE_BYTES / (1024 * 1024),
            bytes.len()
        ));
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err("binary file (contains NUL bytes)".to_owned());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(format!(
            "not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        )),
    }
}

/// The workspace-relative path with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn describe_walk_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::Loop { ancestor, .. } => {
            format!("symlink loop back to {}", ancestor.display())
        }
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => describe_walk_error(err),
        ignore::Error::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
            "dangling symlink or vanished file".to_owned()
        }
        other => format!("unreadable: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RealFs;

    fn write(root: &Path, rel: &str, bytes: &[u8]) {
        let p = root.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, bytes).expect("write");
    }

    #[test]
    fn respects_gitignore_and_skips_vendored_folders() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, ".gitignore", b"generated/\n");
        write(root, "Dockerfile", b"FROM python:3.12\n");
        write(root, "generated/Dockerfile", b"FROM x\n");
        write(root, "node_modules/pkg/Dockerfile", b"FROM x\n");
        write(root, "app/main.py", b"from fastapi import FastAPI\n");
        write(root, "notes.txt", b"hello");
        let d = discover(root, &RealFs);
        let paths: Vec<&str> = d.files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(paths, ["Dockerfile", "app/main.py"]);
    }

    #[test]
    fn is_ignored_agrees_with_discovery() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, ".gitignore", b"generated/\n*.local.md\n");
        write(
            root,
            "services/api/.gitignore",
            b"Dockerfile.dev\n!keep.local.md\n",
        );
        let all = [
            "Dockerfile",
            "generated/Dockerfile",
            "generated/deep/compose.yaml",
            "node_modules/pkg/Dockerfile",
            "app/.venv/lib/x.py",
            "notes.local.md",
            "services/api/Dockerfile",
            "services/api/Dockerfile.dev",
            "services/api/keep.local.md",
            "services/web/Dockerfile.dev",
        ];
        for rel in all {
            write(root, rel, b"FROM python:3.12\n");
        }
        let found: Vec<String> = discover(root, &RealFs)
            .files
            .into_iter()
            .map(|f| f.0)
            .collect();
        let kept: Vec<&str> = all
            .iter()
            .copied()
            .filter(|rel| !is_ignored(root, rel))
            .collect();
        assert_eq!(found, kept);
        assert!(kept.contains(&"services/api/keep.local.md"), "{kept:?}");
    }

    #[test]
    fn bad_files_are_skipped_with_reasons() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "README.md", b"\xEF\xBB\xBF# Title\n");
        write(root, "bad.md", b"caf\xE9\n");
        write(root, "bin.md", b"\x00\x01\x02");
        let d = discover(root, &RealFs);
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.files[0].2, "# Title\n", "BOM is dropped");
        let reasons: Vec<(&str, &str)> = d
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(reasons[0].0, "bad.md");
        assert!(reasons[0].1.contains("not valid UTF-8"));
        assert_eq!(reasons[1].0, "bin.md");
        assert!(reasons[1].1.contains("binary"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_file_is_counted_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "docker/Dockerfile.prod", b"FROM python:3.12\n");
        std::os::unix::fs::symlink("docker/Dockerfile.prod", root.join("Dockerfile"))
            .expect("symlink");
        // A linked folder reaches the same file a third time.
        std::os::unix::fs::symlink("docker", root.join("images")).expect("symlink");
        // A link to a file outside the workspace is the only copy the workspace has.
        let outside = tempfile::tempdir().expect("tempdir");
        write(outside.path(), "compose.yaml", b"services: {}\n");
        std::os::unix::fs::symlink(
            outside.path().join("compose.yaml"),
            root.join("compose.yaml"),
        )
        .expect("symlink");
        let d = discover(root, &RealFs);
        let paths: Vec<&str> = d.files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(paths, ["compose.yaml", "docker/Dockerfile.prod"]);
        // An editor that opens or reports the link gets the same answer.
        assert!(is_ignored(root, "Dockerfile"));
        assert!(is_ignored(root, "images/Dockerfile.prod"));
        assert!(!is_ignored(root, "docker/Dockerfile.prod"));
        assert!(!is_ignored(root, "compose.yaml"));
        let reasons: Vec<(&str, &str)> = d
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (
                    "Dockerfile",
                    "symlink to docker/Dockerfile.prod, counted once"
                ),
                (
                    "images/Dockerfile.prod",
                    "symlink to docker/Dockerfile.prod, counted once"
                )
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn survives_dangling_symlinks_and_loops() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "Dockerfile", b"FROM python:3.12\n");
        std::os::unix::fs::symlink(root.join("missing"), root.join("compose.yaml"))
            .expect("symlink");
        std::fs::create_dir(root.join("sub")).expect("mkdir");
        std::os::unix::fs::symlink(root, root.join("sub/loop")).expect("symlink");
        let d = discover(root, &RealFs);
        assert_eq!(d.files.len(), 1);
        assert!(
            d.skipped.iter().any(|s| s.reason.contains("loop")),
            "{:?}",
            d.skipped
        );
        assert!(
            d.skipped.iter().any(|s| s.path == "compose.yaml"),
            "{:?}",
            d.skipped
        );
    }
}
