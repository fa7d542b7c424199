//! Open buffers whose text is newer than their analysis' copy. A `didChange` only edits the buffer (rope, and
//! for Python `Tree::edit` plus one reparse) and marks it pending; its facts are derived once, just before the
//! next audit or request reads the analysis, and outside the session lock, so a burst of changes costs one
//! derivation and keystrokes are never queued behind one.

use std::collections::HashSet;
use std::sync::{Arc, MutexGuard};

use shipready_rules::SourceFile;
use tower_lsp::lsp_types::Url;

use crate::document::Document;
use crate::session::{lock, Session, Shared};

/// How many times facts are derived outside the lock for buffers that keep changing meanwhile, before the rest
/// are derived under it (so a client that never stops typing still gets results).
const ATTEMPTS: usize = 3;

/// The pending buffers of a session (a field of [`Session`]).
pub type Pending = HashSet<Url>;

/// A pending buffer as it was when taken: what its facts are derived from, off the lock.
struct Taken {
    uri: Url,
    version: i32,
    path: String,
    doc: Document,
}

/// Lock the session with its analysis up to date with every open buffer. Facts of pending buffers are derived
/// with the lock released (a copy of the buffer is cheap: the rope and tree are shared), then installed when
/// the buffer has not changed meanwhile; whatever is still pending after a few attempts is derived under the
/// lock, so the snapshot always matches the buffers' versions.
pub fn current(shared: &Shared) -> MutexGuard<'_, Session> {
    for _ in 0..ATTEMPTS {
        let taken = lock(shared).take_pending();
        if taken.is_empty() {
            break;
        }
        let derived: Vec<(Taken, Option<Arc<SourceFile>>)> = taken
            .into_iter()
            .map(|mut t| {
                t.doc.refresh();
                let analysed = t.doc.kind.filter(|_| t.doc.too_large().is_none());
                let file = analysed.map(|kind| t.doc.source_file(&t.path, kind));
                (t, file)
            })
            .collect();
        let mut s = lock(shared);
        for (t, file) in derived {
            s.install_derived(t, file);
        }
    }
    let mut s = lock(shared);
    s.flush();
    s
}

/// Parse every unsettled Python buffer afresh (see `PythonDocument::settle`), with the lock released, and mark
/// it pending for the next audit unless it changed meanwhile. Returns whether any was settled.
pub fn settle_idle(shared: &Shared) -> bool {
    let taken: Vec<(Url, i32, Document)> = lock(shared)
        .docs
        .iter()
        .filter(|(_, d)| d.unsettled())
        .map(|(uri, d)| (uri.clone(), d.version, d.clone()))
        .collect();
    let mut settled = false;
    for (uri, version, mut doc) in taken {
        doc.settle();
        let mut s = lock(shared);
        if s.docs
            .get(&uri)
            .is_some_and(|d| d.version == version && d.unsettled())
        {
            tracing::debug!("settled {uri} at version {version}: parsed afresh");
            s.docs.insert(uri.clone(), doc);
            s.pending.insert(uri);
            s.dirty = true;
            settled = true;
        }
    }
    settled
}

impl Session {
    /// Copies of the pending buffers that have a place in the index.
    fn take_pending(&self) -> Vec<Taken> {
        self.pending
            .iter()
            .filter_map(|uri| {
                let doc = self.docs.get(uri)?;
                let (_, path) = self.locate(uri)?;
                Some(Taken {
                    uri: uri.clone(),
                    version: doc.version,
                    path,
                    doc: doc.clone(),
                })
            })
            .collect()
    }

    /// Install facts derived off the lock, unless the buffer changed (or closed) since they were taken.
    fn install_derived(&mut self, taken: Taken, file: Option<Arc<SourceFile>>) {
        let Taken {
            uri, version, doc, ..
        } = taken;
        let uri = &uri;
        let unchanged = self.docs.get(uri).is_some_and(|d| d.version == version);
        if !unchanged || !self.pending.contains(uri) {
            return;
        }
        // The copy holds the reparsed tree of the same version: keep it, so the next change starts from it.
        self.docs.insert(uri.clone(), doc);
        self.pending.remove(uri);
        if self.docs.get(uri).is_some_and(|d| d.too_large().is_some()) {
            self.sync(uri);
            return;
        }
        let root = self.locate(uri).map(|(i, _)| i);
        if let (Some(file), Some(i)) = (file, root) {
            if let Some(r) = self.roots.get_mut(i) {
                tracing::debug!("derived the facts of {uri} at version {version}");
                self.touched.file(i, &file.path);
                r.analysis.set_parsed(file);
            }
        }
    }

    /// Derive the facts of every pending buffer now, under the lock.
    pub fn flush(&mut self) {
        let pending: Vec<Url> = self.pending.drain().collect();
        for uri in pending {
            self.sync(&uri);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use shipready_analysis::Profile;
    use shipready_syntax::FileKind;
    use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

    use super::*;

    const APP: &str = "from fastapi import FastAPI\n\napp = FastAPI()\n";

    fn insert(line: u32, text: &str) -> TextDocumentContentChangeEvent {
        let at = Position::new(line, 0);
        TextDocumentContentChangeEvent {
            range: Some(Range::new(at, at)),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn changes_reach_the_analysis_once_derived_with_the_facts_of_a_fresh_parse() {
        let shared: Shared = Arc::new(Mutex::new(Session::default()));
        let uri = Url::parse("file:///w/app/main.py").ok();
        let root = Url::parse("file:///w").ok();
        let (Some(uri), Some(root)) = (uri, root) else {
            panic!("bad test URIs");
        };
        {
            let mut s = lock(&shared);
            s.config.profile = Profile::Seed;
            assert_eq!(s.add_root(&root), Some(0));
            s.open(uri.clone(), APP, 1);
            s.flush();
            for (version, line) in [(2, 3), (3, 4)] {
                let change = insert(
                    line,
                    "\n@app.get(\"/health\")\ndef health():\n    return {}\n",
                );
                assert_eq!(s.change(&uri, version, &[change]), Ok(()));
            }
            // Only the buffer changed: the analysis still has the text of version 1.
            let indexed = s.roots[0]
                .analysis
                .file("app/main.py")
                .map(|f| f.text.clone());
            assert_eq!(indexed.as_deref(), Some(APP));
        }
        let s = current(&shared);
        assert!(s.pending.is_empty());
        let text = s.docs.get(&uri).map(|d| d.text()).unwrap_or_default();
        let fresh = SourceFile::new("app/main.py", FileKind::Python, text.clone());
        let indexed = s.roots[0].analysis.file("app/main.py");
        assert_eq!(indexed.map(|f| f.text.to_string()), Some(text));
        assert_eq!(indexed.map(|f| &f.facts), Some(&fresh.facts));
    }

    /// A change that leaves a syntax error is derived from the incremental reparse, and the buffer is
    /// unsettled; `settle_idle` parses it afresh and marks it pending, and the next derivation has the facts
    /// of a fresh parse. A buffer that changed after it was taken is left for later.
    #[test]
    fn an_unsettled_buffer_is_parsed_afresh_when_idle() {
        let shared: Shared = Arc::new(Mutex::new(Session::default()));
        let (Some(uri), Some(root)) = (
            Url::parse("file:///w/app/main.py").ok(),
            Url::parse("file:///w").ok(),
        ) else {
            panic!("bad test URIs");
        };
        {
            let mut s = lock(&shared);
            assert_eq!(s.add_root(&root), Some(0));
            s.open(uri.clone(), APP, 1);
        }
        drop(current(&shared));
        assert!(!settle_idle(&shared), "nothing to settle");
        {
            let mut s = lock(&shared);
            let change = insert(2, "x = foo(\n");
            assert_eq!(s.change(&uri, 2, &[change]), Ok(()));
        }
        {
            let s = current(&shared);
            assert!(s.docs.get(&uri).is_some_and(Document::unsettled));
            assert!(s.pending.is_empty());
        }
        lock(&shared).dirty = false;
        assert!(settle_idle(&shared));
        {
            let s = lock(&shared);
            assert!(s.docs.get(&uri).is_some_and(|d| !d.unsettled()));
            assert!(s.pending.contains(&uri) && s.dirty);
        }
        let s = current(&shared);
        let text = s.docs.get(&uri).map(|d| d.text()).unwrap_or_default();
        let fresh = SourceFile::new("app/main.py", FileKind::Python, text);
        let indexed = s.roots[0].analysis.file("app/main.py");
        assert_eq!(indexed.map(|f| &f.facts), Some(&fresh.facts));
    }
}
