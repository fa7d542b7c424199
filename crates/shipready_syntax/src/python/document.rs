//! [`PythonDocument`]: Python source plus its tree-sitter tree, kept up to date incrementally.
//!
//! Edits follow the tree-sitter "Editing" recipe: each edit is applied to the text and announced to the old tree
//! with `Tree::edit`, then a single reparse reuses every untouched subtree. Facts are derived from the current
//! tree and kept with the bytes they were read from ([`Reads`]); an edit inside one token whose bytes no fact was
//! read from (a comment, a local name, the text of a string; see [`token_edit`]) moves the kept facts instead of
//! parsing and deriving again. Either way an incrementally maintained document and a fresh parse of the same
//! text agree (the differential tests and the `python_document` fuzz target check it), with two exceptions made
//! for speed, after which the document is *unsettled* until [`PythonDocument::settle`] parses and extracts it
//! afresh (the language server does when the buffer has been idle a moment); a settled document always agrees
//! with a fresh parse:
//! - tree-sitter's error recovery can differ between an incremental reparse and a fresh parse of the same
//!   invalid text, and a fresh parse of a large module costs tens of milliseconds, which half-typed code would
//!   pay on most keystrokes: a reparse that leaves errors is kept;
//! - in a large module, the facts after an edit among a few top-level statements are spliced from theirs and
//!   the old facts ([`splice`]), which is exact unless the edited statements' facts depend on functions the
//!   splice does not look at in a way its guards do not see.

use crate::python::ts::KindName;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use shipready_text::TextRange;
use tree_sitter::{InputEdit, Node, Parser, Point, Tree};

use super::index::NodeIndex;
use super::reads::{self, Reads};
use super::shift::{Displacement, Shift};
use super::splice::{outline, splice, splice_apart, statements, Before, Piece, Stmt};
use super::{cdk, imports, observe, security, token_edit, ts, web, PythonFacts};
use crate::budget::{self, Parse};
use crate::point::point_at;
use crate::SyntaxError;

/// A replacement of the bytes `range` (in the text before the edit) with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// Python text and its syntax tree. Each edit is applied to the old tree with `Tree::edit`, then one reparse
/// reuses it, so typing in a large file costs a fraction of a fresh parse.
#[derive(Clone)]
pub struct PythonDocument {
    text: String,
    /// `None` only if tree-sitter could not produce any tree (it does not for Python, but the API allows it).
    tree: Option<Tree>,
    /// The last parse ran out of its time budget: the facts are only a notice saying so.
    cut_off: bool,
    /// Edits were applied to the text and the tree since the last parse (see [`PythonDocument::edit`]).
    stale: bool,
    /// The tree came from an incremental reparse and has errors: a fresh parse may recover from them
    /// differently (see [`PythonDocument::settle`]).
    unsettled: bool,
    budget: Duration,
    /// The facts of the current text once asked for; an edit of bytes they were not read from moves them
    /// instead of extracting again.
    facts: OnceLock<Derived>,
    /// The tree and facts before the one edit made since the last parse, when the module is large enough to
    /// splice the facts after it ([`splice`]).
    before: Option<Box<Before>>,
    /// Modules of at least this many bytes are spliced.
    splice_from: usize,
    /// Statements parsed apart since the last parse of the whole module: `tree` is behind the text there.
    piece: Option<Piece>,
    /// The module's top-level statements as the last splice left them (see `splice::Stmt`).
    outline: Option<Vec<Stmt>>,
    /// The facts of the last parse were spliced.
    spliced: bool,
}

/// Facts and the bytes of the text they were read from.
#[derive(Clone)]
struct Derived {
    facts: Arc<PythonFacts>,
    reads: Reads,
}

impl std::fmt::Debug for PythonDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PythonDocument")
            .field("len", &self.text.len())
            .finish_non_exhaustive()
    }
}

impl PythonDocument {
    pub fn new(text: &str) -> Self {
        Self::with_budget(text, budget::budget())
    }

    /// A document whose parses may take at most `budget` each (see [`crate::budget`]).
    pub fn with_budget(text: &str, budget: Duration) -> Self {
        let mut doc = Self {
            text: text.to_owned(),
            tree: None,
            cut_off: false,
            stale: false,
            unsettled: false,
            budget,
            facts: OnceLock::new(),
            before: None,
            splice_from: PARALLEL_FROM,
            piece: None,
            outline: None,
            spliced: false,
        };
        doc.reparse();
        doc
    }

    /// Splice the facts of modules of at least `bytes` (64 KiB unless set), and below 64 KiB whatever share of
    /// the module the spliced view holds: tests splice small modules.
    #[doc(hidden)]
    pub fn splice_from(mut self, bytes: usize) -> Self {
        self.splice_from = bytes;
        self
    }

    /// Whether the last parse was cut off by the time budget.
    pub fn cut_off(&self) -> bool {
        self.cut_off
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The module's syntax tree, `None` only if tree-sitter never produced one. Inside statements parsed apart
    /// since its last whole parse (see `python::splice`) it is behind the text until the document settles.
    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// Apply edits in order (each range refers to the text as left by the previous edit), then reparse once.
    pub fn apply_edits(&mut self, edits: &[TextEdit]) {
        self.edit(edits);
        self.refresh();
    }

    /// Apply edits to the text and announce them to the tree with `Tree::edit`, without reparsing: an editor's
    /// change costs no parse, and the next [`PythonDocument::refresh`] reparses once for all the edits since.
    ///
    /// Out-of-range ends are clamped to the text, ends inside a UTF-8 character are widened to the whole
    /// character (an insertion inside one goes before it), so a confused client cannot make the document panic.
    pub fn edit(&mut self, edits: &[TextEdit]) {
        if edits.is_empty() {
            return;
        }
        for edit in edits {
            self.edit_one(edit, None);
        }
    }

    /// [`PythonDocument::edit`] of one edit whose range is already valid, with the (row, byte column) of its
    /// start and end known to the caller (from a rope, in O(log n)), so an edit at the end of a large module
    /// does not count its lines. Positions that do not fit the range are recomputed.
    pub fn edit_at(&mut self, edit: &TextEdit, start: (usize, usize), old_end: (usize, usize)) {
        self.edit_one(edit, Some((start, old_end)));
    }

    fn edit_one(&mut self, edit: &TextEdit, known: Option<((usize, usize), (usize, usize))>) {
        {
            let (start, old_end) = clamp(&self.text, edit.range);
            let moves_only = self.moves_only(start, old_end, &edit.new_text);
            let fits =
                |(row, column): (usize, usize), offset: usize| column <= offset && row <= offset;
            let (start_position, old_end_position) = match known {
                Some((a, b))
                    if (start, old_end) == (edit.range.start, edit.range.end)
                        && fits(a, start)
                        && fits(b, old_end) =>
                {
                    (
                        Point {
                            row: a.0,
                            column: a.1,
                        },
                        Point {
                            row: b.0,
                            column: b.1,
                        },
                    )
                }
                _ => (point_at(&self.text, start), point_at(&self.text, old_end)),
            };
            let new_end_position = advance(start_position, &edit.new_text);
            let by = Displacement {
                at: start,
                removed: old_end - start,
                inserted: edit.new_text.len(),
            };
            // The first edit since the last parse of a large module keeps what a splice needs.
            let before = match (&self.tree, self.facts.get()) {
                (Some(tree), Some(derived))
                    if !moves_only
                        && !self.stale
                        && !self.cut_off
                        && self.text.len() >= self.splice_from =>
                {
                    Some(Box::new(Before {
                        tree: tree.clone(),
                        piece: self.piece.clone(),
                        removed: self.text[start..old_end].to_owned(),
                        by,
                        facts: Arc::clone(&derived.facts),
                        reads: derived.reads.clone(),
                        outline: self.outline.take(),
                        limit_view: self.splice_from >= PARALLEL_FROM,
                    }))
                }
                _ => None,
            };
            self.text.replace_range(start..old_end, &edit.new_text);
            // Kept only by the splice that follows an edit (in `before`).
            self.outline = None;
            if moves_only {
                // No fact was read from the token: the tree keeps its shape (announced below, no reparse
                // needed) and the facts only move. Facts ending before the edit stay the very same `Arc`,
                // which the route table's memo reuses. A tree with errors is not a fresh parse's any more.
                if self
                    .tree
                    .as_ref()
                    .is_some_and(|t| t.root_node().has_error())
                {
                    self.unsettled = true;
                }
                if let Some(derived) = self.facts.get_mut() {
                    if derived.facts.last() >= start {
                        Arc::make_mut(&mut derived.facts).shift(&by);
                    }
                    derived.reads.shift(&by);
                }
            } else {
                self.facts = OnceLock::new();
                self.stale = true;
                self.before = before;
            }
            let input = InputEdit {
                start_byte: start,
                old_end_byte: old_end,
                new_end_byte: start + edit.new_text.len(),
                start_position,
                old_end_position,
                new_end_position,
            };
            if let Some(tree) = &mut self.tree {
                tree.edit(&input);
            }
            if let Some(piece) = &mut self.piece {
                piece.tree.edit(&input);
                piece.range = by.range(piece.range);
            }
        }
    }

    /// Whether replacing `start..old_end` with `new_text` only moves the facts (see [`token_edit`]): it needs
    /// facts of the current text and what they were read from, and a tree that is not behind the text.
    fn moves_only(&self, start: usize, old_end: usize, new_text: &str) -> bool {
        match (&self.tree, self.facts.get()) {
            (Some(tree), Some(derived)) if !self.stale && !self.cut_off && self.piece.is_none() => {
                token_edit::moves_only(tree, &self.text, start, old_end, new_text, &derived.reads)
            }
            _ => false,
        }
    }

    /// Reparse once if edits came since the last parse.
    pub fn refresh(&mut self) {
        if self.stale {
            self.reparse();
        }
    }

    /// Whether the tree is the one a fresh parse gives (always, unless an incremental reparse left errors).
    pub fn settled(&self) -> bool {
        !self.unsettled
    }

    /// Parse an unsettled document afresh, so that its tree and facts are a fresh parse's: error recovery can
    /// differ between a reparse that started from an older tree and a parse from scratch. Nothing happens to a
    /// settled document.
    pub fn settle(&mut self) {
        self.refresh();
        if self.unsettled {
            self.parse(false);
        }
    }

    /// Reparse with the current (edited) tree. The last good tree is kept if tree-sitter gives up or runs out
    /// of time: it is already edited, so its ranges stay aligned and the next reparse can still reuse it.
    fn reparse(&mut self) {
        self.parse(true);
    }

    /// Parse the text, from the current (edited) tree when `incremental`, else from scratch.
    fn parse(&mut self, incremental: bool) {
        self.stale = false;
        self.facts = OnceLock::new();
        let before = self.before.take();
        self.spliced = false;
        // An edit among a few statements of a large module: those statements parsed alone and their facts
        // spliced, without reparsing the module (see `splice`).
        if let (true, Some(before), Some(tree)) = (incremental, &before, &self.tree) {
            let spliced = match &before.outline {
                Some(kept) => splice_apart(before, kept, tree, &self.text, self.budget),
                None => statements(&before.tree, before.piece.as_ref()).and_then(|old| {
                    splice_apart(before, &outline(&old), tree, &self.text, self.budget)
                }),
            };
            if let Some((piece, facts, reads, outline)) = spliced {
                self.piece = Some(piece);
                self.outline = Some(outline);
                self.adopt_spliced(facts, reads);
                return;
            }
        }
        let mut parser = Parser::new();
        if parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .is_err()
        {
            return;
        }
        let old = self.tree.as_ref().filter(|_| incremental);
        let parsed = budget::parse(&mut parser, &self.text, old, self.budget);
        // Tree-sitter's error recovery can differ between an incremental reparse and a fresh parse of the same
        // text (found by fuzzing: a route include seen by one and not the other): such a tree leaves the
        // document unsettled. An error-free tree is the same either way.
        self.unsettled =
            old.is_some() && matches!(&parsed, Parse::Tree(t) if t.root_node().has_error());
        match parsed {
            Parse::Tree(tree) => {
                self.piece = None;
                self.outline = None;
                // The edited statements could not be parsed apart, but their facts can still be spliced after
                // the whole reparse (see `splice`).
                let spliced = before.filter(|_| incremental).and_then(|before| {
                    let old = statements(&before.tree, before.piece.as_ref())?;
                    splice(&before, &old, &tree, &self.text)
                });
                if let Some((facts, reads)) = spliced {
                    self.adopt_spliced(facts, reads);
                }
                self.tree = Some(tree);
                self.cut_off = false;
            }
            Parse::CutOff => self.cut_off = true,
            Parse::Failed => self.cut_off = false,
        }
    }

    /// Keep spliced facts: the document is unsettled until extracted whole (see `splice`).
    fn adopt_spliced(&mut self, facts: PythonFacts, reads: Reads) {
        self.facts = OnceLock::from(Derived {
            facts: Arc::new(facts),
            reads,
        });
        self.unsettled = true;
        self.spliced = true;
    }

    /// The facts of the current text; a document with edits not yet parsed is parsed on a copy (call
    /// [`PythonDocument::refresh`] first to keep that parse).
    pub fn facts(&self) -> PythonFacts {
        PythonFacts::clone(&self.shared_facts())
    }

    /// [`PythonDocument::facts`] without a copy: the document keeps them until an edit changes bytes they were
    /// read from.
    pub fn shared_facts(&self) -> Arc<PythonFacts> {
        if self.stale {
            let mut current = self.clone();
            current.refresh();
            return current.shared_facts();
        }
        Arc::clone(&self.derived().facts)
    }

    fn derived(&self) -> &Derived {
        self.facts.get_or_init(|| {
            let (facts, reads) = reads::recorded(self.text.len(), || self.extract());
            Derived {
                facts: Arc::new(facts),
                reads,
            }
        })
    }

    /// The facts of a document that will not be edited: nothing is recorded for later edits.
    pub(crate) fn into_facts(mut self) -> PythonFacts {
        self.refresh();
        match self.facts.take() {
            Some(derived) => Arc::unwrap_or_clone(derived.facts),
            None => self.extract(),
        }
    }

    fn extract(&self) -> PythonFacts {
        let parallel = self.text.len() >= PARALLEL_FROM;
        ts::memoized(|| self.extract_from_tree(parallel))
    }

    fn extract_from_tree(&self, parallel: bool) -> PythonFacts {
        if self.cut_off {
            // A stale tree would give facts of older text: say why there are none instead.
            return PythonFacts {
                errors: vec![SyntaxError {
                    range: TextRange::empty(0),
                    message: budget::notice(self.budget),
                }],
                ..PythonFacts::default()
            };
        }
        let Some(tree) = &self.tree else {
            return PythonFacts::default();
        };
        let root = tree.root_node();
        let text = self.text.as_str();
        // One walk records every node; the extractors select from it instead of walking the tree again.
        let index = if parallel {
            NodeIndex::new_parallel(root, text)
        } else {
            NodeIndex::new(root, text)
        };
        extract_indexed(root, &index, text, None, parallel)
    }
}

/// The facts of the module `root` of `text` from its node `index`, which holds the top-level statements `view`
/// when given (a spliced statement's facts: see [`super::splice`]), else all.
pub(super) fn extract_indexed(
    root: Node,
    index: &NodeIndex,
    text: &str,
    view: Option<&[Node]>,
    parallel: bool,
) -> PythonFacts {
    let imports = imports::extract(index, text);
    let rest = || {
        let cdk = cdk::extract(index, text);
        let observe = observe::extract(root, index, text, &imports, &cdk);
        let loads_env_file = super::env_files::loads_env_file(index, text);
        (
            cdk,
            observe,
            loads_env_file,
            security::extract(root, text, view),
        )
    };
    let (web, (cdk, observe, loads_env_file, security)) = if parallel {
        reads::join(|| web::extract(index, text, &imports, true), rest)
    } else {
        (web::extract(index, text, &imports, false), rest())
    };
    PythonFacts {
        web,
        cdk,
        errors: syntax_errors(root),
        imports,
        observe,
        loads_env_file,
        security,
    }
}

/// Modules this large are extracted on two threads (the web facts on one, the rest on the other, and the web
/// facts' two halves likewise): a 10,000-line module's extraction takes about 10 ms on one core, a typical
/// module's well under the cost of handing work to another thread.
const PARALLEL_FROM: usize = 64 * 1024;

/// The edit's byte range made valid for `text`: ordered, inside the text, on character boundaries.
fn clamp(text: &str, range: TextRange) -> (usize, usize) {
    let (mut start, mut end) = (range.start.min(range.end), range.start.max(range.end));
    start = start.min(text.len());
    end = end.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    // An insertion inside a character goes before it rather than replacing it.
    if range.start == range.end {
        end = start;
    }
    (start, end)
}

/// The point reached from `start` after inserting `inserted`.
fn advance(start: Point, inserted: &str) -> Point {
    let bytes = inserted.as_bytes();
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(last) => Point {
            row: start.row + bytes.iter().filter(|&&b| b == b'\n').count(),
            column: bytes.len() - last - 1,
        },
        None => Point {
            row: start.row,
            column: start.column + bytes.len(),
        },
    }
}

/// Syntax errors cap: a binary file misnamed `.py` would otherwise produce one error per line.
pub(super) const MAX_ERRORS: usize = 100;

/// `ERROR` nodes become "syntax error" and zero-width `MISSING` tokens "missing `)`". Only subtrees that contain an
/// error are entered, so a valid file costs one check at the root.
pub(super) fn syntax_errors(root: Node) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    if !root.has_error() {
        return errors;
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let mut descend = node.has_error();
        if node.is_missing() {
            errors.push(SyntaxError {
                range: ts::range(node),
                message: format!("missing `{}`", node.kind_name()),
            });
            descend = false;
        } else if node.is_error() {
            // Errors nested in an error say nothing new; the outer node already covers their bytes.
            errors.push(SyntaxError {
                range: ts::range(node),
                message: "syntax error".to_owned(),
            });
            descend = false;
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return errors;
            }
        }
    }
    errors
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "document_props.rs"]
mod props;

#[cfg(test)]
#[path = "document_comment_tests.rs"]
mod comment_tests;

#[cfg(test)]
#[path = "document_token_tests.rs"]
mod token_tests;

#[cfg(test)]
#[path = "document_parallel_tests.rs"]
mod parallel_tests;

#[cfg(test)]
#[path = "document_splice_tests.rs"]
mod splice_tests;
