//! [`Workspace`]: the parsed files the rules run over, in a stable (path) order.

use std::sync::Arc;

use shipready_syntax::{FileFacts, FileKind};

use crate::reads::{self, Reads};

/// One parsed workspace file.
#[derive(Debug)]
pub struct SourceFile {
    /// Workspace-relative path with `/` separators.
    pub path: String,
    pub kind: FileKind,
    pub text: Arc<str>,
    pub facts: FileFacts,
    /// The file's suppression comments, scanned on first use: every audit of its unit reads them, and a
    /// keystroke elsewhere in the unit should not search a 10,000-line module's text again.
    suppressions: std::sync::OnceLock<Vec<crate::suppress::Suppression>>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, kind: FileKind, text: impl Into<Arc<str>>) -> Self {
        let path = path.into();
        let text: Arc<str> = text.into();
        let facts = shipready_syntax::parse_file(kind, &path, &text);
        SourceFile {
            path,
            kind,
            text,
            facts,
            suppressions: std::sync::OnceLock::new(),
        }
    }

    /// A file whose facts were computed elsewhere, e.g. from an incrementally edited syntax tree. The facts
    /// must be those `parse_file` would give for `text`.
    pub fn with_facts(
        path: impl Into<String>,
        kind: FileKind,
        text: impl Into<Arc<str>>,
        facts: FileFacts,
    ) -> Self {
        SourceFile {
            path: path.into(),
            kind,
            text: text.into(),
            facts,
            suppressions: std::sync::OnceLock::new(),
        }
    }

    /// The file's inline suppression comments (see [`crate::suppress::scan`]).
    pub fn suppressions(&self) -> &[crate::suppress::Suppression] {
        self.suppressions
            .get_or_init(|| crate::suppress::scan(self))
    }

    /// The folder holding the file (`""` at the workspace root).
    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
    }

    /// The file name.
    pub fn name(&self) -> &str {
        self.path
            .rsplit_once('/')
            .map(|(_, n)| n)
            .unwrap_or(&self.path)
    }
}

/// All files of a workspace, sorted by path. Files shipready has no use for are not in it.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Shared with the caller's sorted list ([`Workspace::from_shared`]), so that an audit per keystroke does
    /// not copy 10,000 file handles.
    files: Arc<Vec<Arc<SourceFile>>>,
    /// The folder the files are judged from: a deployable unit's root (`""` for the workspace root).
    root: String,
    /// When the unit is one sample of a collection no CI workflow names: how many units the collection has.
    collection: Option<usize>,
    /// What the unit keeps between audits: its route table and its guide (see `index::UnitMemo`).
    unit_memo: Option<Arc<crate::index::UnitMemo>>,
}

/// Whether two lists hold the very same files (the same `Arc`s, in the same order): what a memo kept from an
/// earlier audit checks before it is reused, since files are replaced, never edited, when they change.
pub(crate) fn same_files<'a>(
    kept: &[Arc<SourceFile>],
    now: impl ExactSizeIterator<Item = &'a Arc<SourceFile>>,
) -> bool {
    same_files_by(kept, now, |_, _| false)
}

/// [`same_files`], also accepting a pair of different files that `alike` says serve the memo equally.
pub(crate) fn same_files_by<'a>(
    kept: &[Arc<SourceFile>],
    now: impl ExactSizeIterator<Item = &'a Arc<SourceFile>>,
    alike: impl Fn(&SourceFile, &SourceFile) -> bool,
) -> bool {
    kept.len() == now.len()
        && kept
            .iter()
            .zip(now)
            .all(|(a, b)| Arc::ptr_eq(a, b) || alike(a, b))
}

impl Workspace {
    pub fn new(mut files: Vec<Arc<SourceFile>>) -> Self {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        Workspace {
            files: Arc::new(files),
            root: String::new(),
            collection: None,
            unit_memo: None,
        }
    }

    /// [`Workspace::new`] for files the caller keeps sorted by path with no path twice, and updates in place
    /// between audits: not sorted or copied again on each keystroke's audit. Debug builds check the order.
    pub fn from_shared(files: Arc<Vec<Arc<SourceFile>>>) -> Self {
        debug_assert!(files.windows(2).all(|w| w[0].path < w[1].path));
        Workspace {
            files,
            root: String::new(),
            collection: None,
            unit_memo: None,
        }
    }

    /// The files of a deployable unit rooted at folder `root`.
    pub fn with_root(files: Vec<Arc<SourceFile>>, root: impl Into<String>) -> Self {
        Workspace {
            root: root.into(),
            ..Workspace::new(files)
        }
    }

    /// The same files, as one sample of a collection of `count` units that no CI workflow names.
    pub fn in_collection(mut self, count: Option<usize>) -> Self {
        self.collection = count;
        self
    }

    /// The same files, keeping the route table and the guide in `slot` between audits.
    pub(crate) fn with_unit_memo(mut self, slot: Arc<crate::index::UnitMemo>) -> Self {
        self.unit_memo = Some(slot);
        self
    }

    pub(crate) fn unit_memo(&self) -> Option<&crate::index::UnitMemo> {
        self.unit_memo.as_deref()
    }

    /// How many units the collection this unit is a sample of has, if it is one.
    pub fn collection(&self) -> Option<usize> {
        self.collection
    }

    /// The folder the files are judged from (`""` for the workspace root).
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The file list, shared (not recorded as a read: for the audit's own bookkeeping).
    pub(crate) fn shared_files(&self) -> &Arc<Vec<Arc<SourceFile>>> {
        &self.files
    }

    /// Every file (a rule that calls this reads every kind of file: see `crate::reads`).
    pub fn files(&self) -> &[Arc<SourceFile>] {
        reads::note(Reads::FILES);
        &self.files
    }

    /// The file at `path` (a rule that calls this reads the kind of file `path` would be, present or not).
    pub fn file(&self, path: &str) -> Option<&SourceFile> {
        let found = self
            .files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &*self.files[i]);
        let kind = match found {
            Some(f) => Some(f.kind),
            None if reads::active() => FileKind::classify(path),
            None => None,
        };
        if let Some(kind) = kind {
            reads::note(Reads::kind(kind));
        }
        found
    }

    /// The files of any of `kinds`, in path order (a rule that calls this reads those kinds).
    pub fn of_kinds<'a>(&'a self, kinds: &'a [FileKind]) -> impl Iterator<Item = &'a SourceFile> {
        for &kind in kinds {
            reads::note(Reads::kind(kind));
        }
        self.files
            .iter()
            .map(|f| &**f)
            .filter(move |f| kinds.contains(&f.kind))
    }

    /// The files of one kind (a rule that calls this reads that kind).
    pub fn of_kind(&self, kind: FileKind) -> impl Iterator<Item = &SourceFile> {
        reads::note(Reads::kind(kind));
        self.files
            .iter()
            .map(|f| &**f)
            .filter(move |f| f.kind == kind)
    }

    /// A workspace from `(path, text)` pairs, classifying each path; for tests and fixtures.
    pub fn from_texts<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let files = files
            .into_iter()
            .filter_map(|(path, text)| {
                FileKind::classify(path).map(|kind| Arc::new(SourceFile::new(path, kind, text)))
            })
            .collect();
        Workspace::new(files)
    }
}
