//! [`Session`]: the server's whole mutable state behind one lock: client capabilities, configuration, one
//! [`Analysis`] per workspace root and the open documents. Every change happens in one critical section and
//! marks the session dirty; publishing reads a consistent snapshot under the same lock.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use shipready_analysis::config::{ConfigError, CONFIG_FILES};
use shipready_analysis::{is_ignored, Analysis, RealFs};
use shipready_syntax::FileKind;
use shipready_text::PositionEncoding;
use tower_lsp::lsp_types::{TextDocumentContentChangeEvent, Url};

use crate::config::Config;
use crate::document::Document;
use crate::pending::Pending;

/// What the client can do, decided once at `initialize`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Caps {
    pub encoding: PositionEncoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`), so the server does not push them.
    pub pull_diagnostics: bool,
    pub work_done_progress: bool,
    pub watch_files: bool,
    pub document_changes: bool,
    pub create_files: bool,
    /// The client re-asks for code lenses on `workspace/codeLens/refresh`, so lenses follow the score.
    pub code_lens_refresh: bool,
}

/// A workspace folder and its analysis.
#[derive(Clone)]
pub struct Root {
    /// The folder as a directory URI (with a trailing slash), to resolve workspace-relative paths against.
    pub uri: Url,
    /// The folder's URI exactly as the client sent it (VS Code's have no trailing slash): what the server names
    /// the folder by in messages to the client, so the client can match it with its own folders.
    pub client_uri: Url,
    pub path: PathBuf,
    pub analysis: Analysis,
    /// The folder's configuration file is invalid: shown on it, and the defaults are used meanwhile.
    pub config_error: Option<ConfigError>,
    /// The folder's scan has finished: until then its analysis holds only the open buffers, and an answer
    /// computed from it would be wrong (every gap open), so requests about its files answer as partial.
    pub loaded: bool,
}

#[derive(Default)]
pub struct Session {
    pub caps: Caps,
    pub config: Config,
    pub roots: Vec<Root>,
    pub docs: HashMap<Url, Document>,
    /// Open buffers changed since their facts were last given to the analysis; see [`crate::pending`].
    pub pending: Pending,
    /// Something changed since the last snapshot was published.
    pub dirty: bool,
    /// Line indexes of the texts diagnostics were last computed in (see [`crate::diagnostics::DiagnosticCache`]),
    /// shared with the session's views so the publisher's snapshots reuse them.
    pub diagnostic_cache: Arc<Mutex<crate::diagnostics::DiagnosticCache>>,
    /// The units' score messages of the last snapshot, shared with the session's views like the diagnostics.
    pub unit_scores: Arc<Mutex<crate::score::UnitScores>>,
    /// The files whose place in an analysis changed since the last snapshot: their diagnostics are converted
    /// again even when no unit with findings in them was re-audited (see [`crate::delta`]).
    pub touched: crate::delta::Touched,
    /// What the last snapshot published, for the next one to send only what changed; shared with the views.
    pub published: Arc<Mutex<crate::delta::Published>>,
}

pub type Shared = Arc<Mutex<Session>>;

/// Lock the session. A handler that panicked while holding the lock poisons it; the state is still the best we
/// have, so the server keeps serving with it rather than failing every later request.
pub fn lock(shared: &Shared) -> MutexGuard<'_, Session> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Test sessions.
#[cfg(test)]
impl Session {
    /// A session with the one root `file:///w`, for a test to install an analysis of `/w` in.
    pub fn on_test_root() -> Session {
        let mut s = Session::default();
        let Some(root) = Url::parse("file:///w").ok() else {
            panic!("bad test URI");
        };
        assert_eq!(s.add_root(&root), Some(0));
        s
    }
}

impl Session {
    /// Whether a root lies inside another: a file there is reported by both, which a delta or a single
    /// document's list cannot express.
    pub fn has_nested_roots(&self) -> bool {
        let roots = &self.roots;
        roots.iter().enumerate().any(|(i, a)| {
            roots
                .iter()
                .enumerate()
                .any(|(j, b)| i != j && a.path.starts_with(&b.path))
        })
    }

    /// Add a workspace root; `None` for URIs that are not local folders.
    pub fn add_root(&mut self, uri: &Url) -> Option<usize> {
        let path = uri.to_file_path().ok()?;
        if let Some(i) = self.roots.iter().position(|r| r.path == path) {
            return Some(i);
        }
        let mut dir = Url::from_directory_path(&path).ok()?;
        dir.set_fragment(None);
        let analysis = Analysis::new(path.clone(), self.config.profile);
        self.roots.push(Root {
            uri: dir,
            client_uri: uri.clone(),
            path,
            analysis,
            config_error: None,
            loaded: false,
        });
        self.touched.everything();
        Some(self.roots.len() - 1)
    }

    /// The root holding `uri` (the innermost one when roots nest) and the workspace-relative path.
    pub fn locate(&self, uri: &Url) -> Option<(usize, String)> {
        let path = uri.to_file_path().ok()?;
        let (i, root) = self
            .roots
            .iter()
            .enumerate()
            .filter(|(_, r)| path.starts_with(&r.path))
            .max_by_key(|(_, r)| r.path.components().count())?;
        let rel = relative(&root.path, &path)?;
        Some((i, rel))
    }

    /// The root holding `uri` and the path in it, when that root's scan has finished; `Err(())` while it
    /// runs (the answer would be computed from a half-loaded index), `Ok(None)` outside every root.
    #[allow(clippy::result_unit_err)]
    pub fn locate_loaded(&self, uri: &Url) -> Result<Option<(usize, String)>, ()> {
        match self.locate(uri) {
            Some((i, path)) if self.roots.get(i).is_some_and(|r| r.loaded) => Ok(Some((i, path))),
            Some(_) => Err(()),
            None => Ok(None),
        }
    }

    /// A folder whose scan failed is served from what it holds, rather than answered as partial forever.
    pub fn mark_loaded(&mut self, path: &std::path::Path) {
        for r in self.roots.iter_mut().filter(|r| r.path == path) {
            r.loaded = true;
        }
    }

    /// Whether every workspace folder's scan has finished.
    pub fn all_loaded(&self) -> bool {
        self.roots.iter().all(|r| r.loaded)
    }

    /// The URI of workspace-relative `path` in root `root`.
    pub fn uri_of(&self, root: usize, path: &str) -> Option<Url> {
        let root = self.roots.get(root)?;
        Url::from_file_path(root.path.join(path)).ok()
    }

    /// The URI for workspace-relative `path`: the one the client opened it under when it is open.
    pub fn uri_for(&self, root: usize, path: &str) -> Option<Url> {
        let open = self
            .docs
            .keys()
            .find(|u| self.locate(u).is_some_and(|(i, p)| i == root && p == path));
        open.cloned().or_else(|| self.uri_of(root, path))
    }

    /// Open a buffer: its text wins over the file on disk until it is closed (from the next audit on, which
    /// derives its facts). A file discovery leaves out
    /// (ignored by git, in a vendored folder) stays out of the index while open, unless it is already in it.
    pub fn open(&mut self, uri: Url, text: &str, version: i32) {
        let kind = self.locate(&uri).and_then(|(root, p)| {
            let r = self.roots.get(root)?;
            let wanted = r.analysis.file(&p).is_some() || !is_ignored(&r.path, &p);
            FileKind::classify(&p).filter(|_| wanted)
        });
        self.docs
            .insert(uri.clone(), Document::new(text, version, kind));
        self.pending.insert(uri);
        self.dirty = true;
    }

    /// Apply incremental changes to the buffer only: its facts are derived once for the next audit, however
    /// many changes come before it. Unknown documents and versions that do not move forward are refused with a
    /// reason, and the buffer is left as it was.
    pub fn change(
        &mut self,
        uri: &Url,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
    ) -> Result<(), String> {
        let encoding = self.caps.encoding;
        let doc = self
            .docs
            .get_mut(uri)
            .ok_or_else(|| format!("didChange for {uri}, which is not open: ignored"))?;
        if version <= doc.version {
            return Err(format!(
                "didChange for {uri} with version {version}, not after {}: ignored",
                doc.version
            ));
        }
        doc.apply_changes(changes, encoding);
        doc.version = version;
        self.pending.insert(uri.clone());
        self.dirty = true;
        Ok(())
    }

    /// A copy of what a published snapshot reads (capabilities, configuration, roots and open buffers), for
    /// computing it with the lock released: analyses and ropes are shared, not copied.
    pub fn view(&self) -> Session {
        Session {
            caps: self.caps,
            config: self.config.clone(),
            roots: self.roots.clone(),
            docs: self.docs.clone(),
            pending: Pending::default(),
            dirty: false,
            diagnostic_cache: self.diagnostic_cache.clone(),
            unit_scores: self.unit_scores.clone(),
            touched: crate::delta::Touched::default(),
            published: self.published.clone(),
        }
    }

    /// How many syntax trees the open buffers hold: trees live with open buffers only.
    #[cfg(test)]
    pub fn trees_held(&self) -> usize {
        self.docs.values().filter(|d| d.has_tree()).count()
    }

    /// Close a buffer: the file on disk (or its absence) is the truth again.
    pub fn close(&mut self, uri: &Url) -> bool {
        if self.docs.remove(uri).is_none() {
            return false;
        }
        self.pending.remove(uri);
        self.reload_from_disk(uri);
        true
    }

    /// A file changed on disk. Open buffers win, so their files are left alone.
    pub fn disk_changed(&mut self, uri: &Url) {
        if self.reload_config(uri) {
            return;
        }
        if !self.docs.contains_key(uri) {
            self.reload_from_disk(uri);
        }
    }

    /// When `uri` is a root's configuration file (created, changed or deleted), load that root again under the
    /// new configuration (what it excludes, its units and rules may all change); true when it was one.
    pub fn reload_config(&mut self, uri: &Url) -> bool {
        let Some((root, rel)) = self.locate(uri) else {
            return false;
        };
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        if !CONFIG_FILES.contains(&name) {
            return false;
        }
        let Some(path) = self.roots.get(root).map(|r| r.path.clone()) else {
            return false;
        };
        let (analysis, error) = Analysis::load_configured(path, Some(self.config.profile), &RealFs);
        self.install(analysis, error);
        // pyproject.toml is also a dependency file the analysis reads: it was loaded again with the rest.
        true
    }

    /// A file or folder was deleted on disk.
    pub fn disk_deleted(&mut self, uri: &Url) {
        if self.reload_config(uri) || self.docs.contains_key(uri) {
            return;
        }
        let Some((root, rel)) = self.locate(uri) else {
            return;
        };
        let Some(r) = self.roots.get_mut(root) else {
            return;
        };
        let prefix = format!("{rel}/");
        let under: Vec<String> = r
            .analysis
            .paths()
            .filter(|p| p.starts_with(&prefix))
            .map(str::to_owned)
            .collect();
        for p in under.iter().chain(std::iter::once(&rel)) {
            r.analysis.remove_file(p);
            self.touched.file(root, p);
        }
        self.dirty = true;
    }

    /// Replace the analysis of the root at the new analysis' path with it, keeping the open buffers' text over
    /// the disk's. Ignored when that folder was removed from the workspace meanwhile.
    pub fn install(&mut self, analysis: Analysis, config_error: Option<ConfigError>) {
        let Some(root) = self.roots.iter().position(|r| r.path == analysis.root()) else {
            return;
        };
        let Some(r) = self.roots.get_mut(root) else {
            return;
        };
        r.analysis = analysis;
        r.config_error = config_error;
        r.loaded = true;
        r.analysis.set_profile(self.config.profile);
        self.touched.everything();
        let open: Vec<Url> = self.docs.keys().cloned().collect();
        for uri in open {
            if self.locate(&uri).is_some_and(|(i, _)| i == root) {
                self.sync(&uri);
            }
        }
        self.dirty = true;
    }

    /// Drop a workspace folder and its analysis; its files' diagnostics are then cleared. False when it was not
    /// a folder of the workspace.
    pub fn remove_root(&mut self, uri: &Url) -> bool {
        let Ok(path) = uri.to_file_path() else {
            return false;
        };
        let before = self.roots.len();
        self.roots.retain(|r| r.path != path);
        let removed = self.roots.len() != before;
        if removed {
            self.touched.everything();
        }
        self.dirty |= removed;
        removed
    }

    pub fn set_config(&mut self, config: Config) {
        for r in &mut self.roots {
            r.analysis.set_profile(config.profile);
        }
        self.config = config;
        self.touched.everything();
        self.dirty = true;
    }

    /// Push an open buffer's text and facts into its root's analysis, deriving them here.
    pub(crate) fn sync(&mut self, uri: &Url) {
        self.pending.remove(uri);
        let Some((root, rel)) = self.locate(uri) else {
            return;
        };
        let (Some(doc), Some(r)) = (self.docs.get_mut(uri), self.roots.get_mut(root)) else {
            return;
        };
        doc.refresh();
        let Some(kind) = doc.kind else {
            return;
        };
        if let Some(len) = doc.too_large() {
            // Not analysed, as a file on disk of this size is not read: its findings go with it.
            tracing::info!("{uri} is {len} bytes: not analysed");
            r.analysis.remove_file(&rel);
            self.touched.file(root, &rel);
            self.dirty = true;
            return;
        }
        tracing::debug!("derived the facts of {uri} at version {}", doc.version);
        r.analysis.set_parsed(doc.source_file(&rel, kind));
        self.touched.file(root, &rel);
        self.dirty = true;
    }

    fn reload_from_disk(&mut self, uri: &Url) {
        let Some((root, rel)) = self.locate(uri) else {
            return;
        };
        let Some(r) = self.roots.get_mut(root) else {
            return;
        };
        if is_ignored(&r.path, &rel) {
            // Also drops a file that was open, and so indexed, while ignored files stay out.
            r.analysis.remove_file(&rel);
        } else if r.path.join(&rel).is_file() {
            r.analysis.reload_from_disk(&rel, &RealFs);
        } else {
            r.analysis.remove_file(&rel);
        }
        self.touched.file(root, &rel);
        self.dirty = true;
    }
}

/// `path` relative to `root` with `/` separators.
pub(crate) fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
