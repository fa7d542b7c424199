//! [`Document`]: an open editor buffer. Its text is a rope edited in place by incremental changes; a Python
//! buffer also keeps a [`PythonDocument`] whose tree is edited with the same changes and reparsed once when
//! facts are next wanted (once per audit, however many changes came), so a change never waits for a parse. A
//! Dockerfile buffer keeps its last parse, which the next parse starts from.

use std::sync::Arc;

use ropey::Rope;
use shipready_analysis::MAX_FILE_BYTES;
use shipready_rules::SourceFile;
use shipready_syntax::dockerfile::{self, DockerfileFacts, LastParse};
use shipready_syntax::python::{self, PythonDocument, TextEdit};
use shipready_syntax::{FileFacts, FileKind};
use shipready_text::{PositionEncoding, TextRange};
use tower_lsp::lsp_types::TextDocumentContentChangeEvent;

use crate::conv;

/// Buffers larger than this are not analysed, as files on disk larger than it are not read: a tree and facts
/// of a multi-megabyte buffer would cost more than anything in it is worth to a readiness audit.
pub const MAX_BUFFER_BYTES: usize = MAX_FILE_BYTES as usize;

/// An open document: its text, version and, for Python, its incrementally maintained tree. A clone is cheap
/// apart from one copy of the Python text: the rope's chunks and the tree are shared.
#[derive(Clone)]
pub struct Document {
    rope: Rope,
    pub version: i32,
    pub kind: Option<FileKind>,
    python: Option<PythonDocument>,
    dockerfile: Option<DockerfileBuffer>,
}

/// A Dockerfile buffer's last parse and, once derived, its current text with that text's facts (the text is
/// kept so that the workspace file shares it instead of copying the rope again).
#[derive(Clone, Default)]
struct DockerfileBuffer {
    last: Option<LastParse>,
    derived: Option<(Arc<str>, DockerfileFacts)>,
}

impl Document {
    /// A document for `text`; `kind` is what its path classifies as (`None` for files shipready ignores).
    pub fn new(text: &str, version: i32, kind: Option<FileKind>) -> Self {
        Document {
            rope: Rope::from_str(text),
            version,
            kind,
            python: (kind == Some(FileKind::Python) && text.len() <= MAX_BUFFER_BYTES)
                .then(|| PythonDocument::new(text)),
            dockerfile: (kind == Some(FileKind::Dockerfile)).then(DockerfileBuffer::default),
        }
    }

    /// Whether a syntax tree is held for this buffer (Python buffers under the size limit).
    #[cfg(test)]
    pub fn has_tree(&self) -> bool {
        self.python.is_some()
    }

    /// The buffer's size when it is too large to analyse (see [`MAX_BUFFER_BYTES`]).
    pub fn too_large(&self) -> Option<usize> {
        let len = self.rope.len_bytes();
        (len > MAX_BUFFER_BYTES).then_some(len)
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Apply a notification's changes in order: each range refers to the text left by the previous change, and
    /// a change without a range replaces the whole text. Ranges past the end are clamped.
    pub fn apply_changes(
        &mut self,
        changes: &[TextDocumentContentChangeEvent],
        enc: PositionEncoding,
    ) {
        let mut edits = Vec::with_capacity(changes.len());
        for change in changes {
            let (start, end) = match change.range {
                Some(range) => {
                    let a = conv::rope_offset(&self.rope, range.start, enc);
                    let b = conv::rope_offset(&self.rope, range.end, enc);
                    (a.min(b), a.max(b))
                }
                None => (0, self.rope.len_bytes()),
            };
            let start_char = self.rope.byte_to_char(start);
            let end_char = self.rope.byte_to_char(end);
            // Tree-sitter points (rows by `\n`, byte columns) from the rope, before it changes: O(log n).
            let point = |rope: &Rope, at: usize| {
                let row = rope.byte_to_line(at);
                (row, at - rope.line_to_byte(row))
            };
            let points = (point(&self.rope, start), point(&self.rope, end));
            self.rope.remove(start_char..end_char);
            self.rope.insert(start_char, &change.text);
            edits.push((
                TextEdit {
                    range: TextRange::new(start, end),
                    new_text: change.text.clone(),
                },
                points,
            ));
        }
        if let Some(buffer) = &mut self.dockerfile {
            buffer.derived = None;
        }
        if self.too_large().is_some() {
            // No tree is kept for a buffer that is not analysed; it is parsed afresh if it shrinks again.
            self.python = None;
            if let Some(buffer) = &mut self.dockerfile {
                buffer.last = None;
            }
        } else if let Some(doc) = &mut self.python {
            // Text and tree are edited now; the reparse waits until facts are wanted (once per audit).
            for (edit, (start, end)) in &edits {
                doc.edit_at(edit, *start, *end);
            }
        } else if self.kind == Some(FileKind::Python) {
            self.python = Some(PythonDocument::new(&self.text()));
        }
    }

    /// Whether a Python buffer's tree came from a reparse that left errors and may differ from a fresh parse
    /// (see `PythonDocument::settle`); the publisher settles such buffers once they are idle.
    pub fn unsettled(&self) -> bool {
        self.python.as_ref().is_some_and(|d| !d.settled())
    }

    /// Parse an unsettled Python buffer afresh.
    pub fn settle(&mut self) {
        if let Some(doc) = &mut self.python {
            doc.settle();
        }
    }

    /// Reparse the Python tree once for every change since the last parse; derive a Dockerfile's facts from
    /// its last parse.
    pub fn refresh(&mut self) {
        if let Some(doc) = &mut self.python {
            doc.refresh();
        }
        if self.too_large().is_some() {
            return;
        }
        if let Some(buffer) = self.dockerfile.as_mut().filter(|b| b.derived.is_none()) {
            let text: Arc<str> = Arc::from(self.rope.to_string());
            let (facts, last) = dockerfile::reparse(&text, buffer.last.as_ref());
            buffer.derived = Some((text, facts));
            buffer.last = last;
        }
    }

    /// The document as a workspace file at `path`, with facts from the incremental tree for Python (reparsed
    /// on a copy if changes are not parsed yet: call [`Document::refresh`] first to keep that parse) and from
    /// the last refresh for a Dockerfile (parsed afresh if there was none since the last change).
    pub fn source_file(&self, path: &str, kind: FileKind) -> Arc<SourceFile> {
        let derived = self.dockerfile.as_ref().and_then(|b| b.derived.as_ref());
        if let Some((text, facts)) = derived.filter(|_| kind == FileKind::Dockerfile) {
            let facts = FileFacts::Dockerfile(facts.clone());
            return Arc::new(SourceFile::with_facts(path, kind, Arc::clone(text), facts));
        }
        let text = self.text();
        match &self.python {
            Some(doc) if kind == FileKind::Python => {
                // The same byte search as a fresh parse decides whether the file matters, so an open buffer and
                // the file on disk give identical facts.
                let facts = if python::is_relevant(text.as_bytes()) {
                    FileFacts::Python(doc.shared_facts())
                } else {
                    FileFacts::PythonSkipped
                };
                Arc::new(SourceFile::with_facts(path, kind, text, facts))
            }
            _ => Arc::new(SourceFile::new(path, kind, text)),
        }
    }
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
