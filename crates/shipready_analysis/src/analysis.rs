//! [`Analysis`]: the workspace's files with their cached facts, updated file by file, and the audit over them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use shipready_rules::{Profile, SourceFile, Workspace, WorkspaceAudit};
use shipready_syntax::FileKind;

use crate::discovery::{self, Skipped};
use crate::fs::FileSystem;
use crate::report::Report;

/// A workspace under analysis. Each file is parsed once when it is added or changed; the audit is recomputed
/// from the cached facts only when something changed. A clone is cheap: files and the audit are shared.
#[derive(Clone)]
pub struct Analysis {
    root: PathBuf,
    profile: Profile,
    files: BTreeMap<String, Arc<SourceFile>>,
    skipped: Vec<Skipped>,
    audit: Option<Arc<WorkspaceAudit>>,
}

impl Analysis {
    /// An empty analysis rooted at `root`.
    pub fn new(root: impl Into<PathBuf>, profile: Profile) -> Self {
        Analysis {
            root: root.into(),
            profile,
            files: BTreeMap::new(),
            skipped: Vec::new(),
            audit: None,
        }
    }

    /// Discover and parse every relevant file under `root`, reading and parsing in parallel.
    pub fn load(root: impl Into<PathBuf>, profile: Profile, fs: &dyn FileSystem) -> Self {
        let mut analysis = Analysis::new(root, profile);
        let found = discovery::discover(&analysis.root, fs);
        let parsed: Vec<Arc<SourceFile>> = found
            .files
            .into_par_iter()
            .map(|(path, kind, text)| Arc::new(SourceFile::new(path, kind, text)))
            .collect();
        analysis.files = parsed.into_iter().map(|f| (f.path.clone(), f)).collect();
        analysis.skipped = found.skipped;
        analysis
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn profile(&self) -> Profile {
        self.profile
    }

    pub fn set_profile(&mut self, profile: Profile) {
        if profile != self.profile {
            self.profile = profile;
            self.audit = None;
        }
    }

    /// Files skipped during discovery, with reasons.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    pub fn file(&self, path: &str) -> Option<&Arc<SourceFile>> {
        self.files.get(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Set the text of the file at workspace-relative `path` (an editor buffer or a changed file on disk).
    /// Only this file is re-parsed. Returns false when shipready has no use for a file of that name.
    pub fn set_file_text(&mut self, path: &str, text: impl Into<Arc<str>>) -> bool {
        let Some(kind) = FileKind::classify(path) else {
            return false;
        };
        self.set_parsed(Arc::new(SourceFile::new(path, kind, text)));
        true
    }

    /// Insert a file whose facts were computed elsewhere (e.g. from an incrementally edited tree).
    pub fn set_parsed(&mut self, file: Arc<SourceFile>) {
        self.skipped.retain(|s| s.path != file.path);
        self.files.insert(file.path.clone(), file);
        self.audit = None;
    }

    /// Re-read one file from disk (created or changed outside the editor).
    pub fn reload_from_disk(&mut self, path: &str, fs: &dyn FileSystem) {
        let Some(kind) = FileKind::classify(path) else {
            return;
        };
        let abs = self.root.join(path);
        match discovery::read_one(fs, path.to_owned(), &abs, kind) {
            Ok((path, kind, text)) => self.set_parsed(Arc::new(SourceFile::new(path, kind, text))),
            Err(skip) => {
                self.remove_file(path);
                self.skipped.push(skip);
            }
        }
    }

    pub fn remove_file(&mut self, path: &str) -> bool {
        self.skipped.retain(|s| s.path != path);
        let removed = self.files.remove(path).is_some();
        if removed {
            self.audit = None;
        }
        removed
    }

    /// The audit of the current files (every deployable unit's), computed at most once per change.
    pub fn audit(&mut self) -> Arc<WorkspaceAudit> {
        if let Some(a) = &self.audit {
            return a.clone();
        }
        let ws = Workspace::new(self.files.values().cloned().collect());
        let audit = Arc::new(shipready_rules::audit_workspace(&ws, self.profile));
        self.audit = Some(audit.clone());
        audit
    }

    /// The full report: the audit in the seed's shape, with positions.
    pub fn report(&mut self) -> Report {
        let audit = self.audit();
        Report::new(&self.root, &audit, &self.files, &self.skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_to_one_file_updates_the_audit() {
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text(
            "app/main.py",
            "from fastapi import FastAPI\napp = FastAPI()\n",
        );
        let before = a.audit();
        assert!(before.findings.iter().any(|f| f.code == "HC001"));
        a.set_file_text("app/main.py", "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\ndef health():\n    return {}\n");
        let after = a.audit();
        assert!(!after.findings.iter().any(|f| f.code == "HC001"));
        assert!(after.score.overall > before.score.overall);
        assert_eq!(after.units.len(), 1);
    }

    #[test]
    fn unknown_file_kinds_are_ignored() {
        let mut a = Analysis::new("/w", Profile::Standard);
        assert!(!a.set_file_text("notes.txt", "x"));
        assert_eq!(a.paths().count(), 0);
    }
}
