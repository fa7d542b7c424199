//! [`splice`] and [`splice_apart`]: the facts of a large module after an edit among a few of its top-level
//! statements, from those statements and the module's others but its functions.
//!
//! A route module of thousands of handlers is mostly top-level functions. An edit inside one of them (or between
//! two, adding or removing a statement) leaves every other statement as it was, so the module's facts are the
//! old ones with the edited statements' share swapped: the facts of the module *without its other functions*
//! (its imports, apps, settings and other statements, plus the edited ones) are extracted before and after the
//! edit; the routes of the old view are taken out of the old facts and the new view's put in, and every other
//! fact must be the same in both views, only moved (else nothing is spliced and the module is extracted whole).
//!
//! [`splice_apart`] does not even reparse the module: it parses the edited statements alone (tree-sitter's
//! included ranges, so their nodes keep their offsets), and the module's tree stays behind there (a [`Piece`])
//! until the next whole parse. The document keeps an outline of its statements ([`Stmt`]) between such
//! splices, so that a keystroke looks up the few statements a view needs instead of stepping through them all.
//! [`splice`] is the same swap after a whole reparse.
//!
//! What the views cannot see is how the edited statements' facts depend on the functions left out (a handler
//! registered by name elsewhere, an app bound inside another function). The checks below refuse the cases the
//! old facts show (a route or another fact inside the edited statements that their view did not find, a
//! registration naming an edited function), and a spliced document is *unsettled*: the language server extracts
//! it whole once typing pauses, and republishes if the facts differ.

use std::sync::Arc;
use std::time::Duration;

use shipready_text::TextRange;
use tree_sitter::{Node, Parser, Tree};

use crate::budget::{self, Parse};

use super::document::{extract_indexed, syntax_errors, MAX_ERRORS};
use super::index::NodeIndex;
use super::reads::{self, Reads};
use super::shift::{without_routes, Displacement, Shift};
use super::ts::{self, Field, KindName};
use super::PythonFacts;

/// Top-level statements of a large module parsed apart from the rest: the main tree is behind the text inside
/// `range` (it was told of the edits there, not reparsed), and `tree`'s statements are the module's there.
#[derive(Clone)]
pub(super) struct Piece {
    pub(super) tree: Tree,
    pub(super) range: TextRange,
}

/// What a document keeps of its text before an edit, to splice the facts after it.
#[derive(Clone)]
pub(super) struct Before {
    /// The tree of the text before the edit (not announced the edit), and the piece parsed apart from it.
    pub(super) tree: Tree,
    pub(super) piece: Option<Piece>,
    /// The bytes the edit replaced.
    pub(super) removed: String,
    pub(super) by: Displacement,
    pub(super) facts: Arc<PythonFacts>,
    pub(super) reads: Reads,
    /// The outline of the statements before the edit, when the document kept one.
    pub(super) outline: Option<Vec<Stmt>>,
    /// Refuse views of more than `1 / MAX_VIEW_SHARE` of the module (tests splice small modules whole).
    pub(super) limit_view: bool,
}

/// The facts of `text` (parsed whole as `tree`), and what they were read from, spliced from the facts before the
/// edit (see the module documentation); `old_children` are the statements before the edit. `None` when the edit
/// is not among a few top-level statements whose share of the facts can be swapped.
pub(super) fn splice<'t>(
    before: &'t Before,
    old_children: &[Node<'t>],
    tree: &'t Tree,
    text: &str,
) -> Option<(PythonFacts, Reads)> {
    let by = before.by;
    let old_text = old_text(before, text)?;
    if migration(text) {
        return None;
    }
    let (old_root, new_root) = (before.tree.root_node(), tree.root_node());
    let new_children = statements(tree, None)?;
    // The statements before the edit are as they were, the ones after it only moved; the ones between (those
    // the edit touched, a few at most) can be anything.
    let edit_end = by.at + by.removed;
    let same = |old: &Node, new: &Node, moved: bool| {
        let range = ts::range(*old);
        old.kind_id() == new.kind_id()
            && ts::range(*new) == if moved { by.range(range) } else { range }
    };
    let before_edit = old_children
        .iter()
        .zip(&new_children)
        .take_while(|(old, new)| old.end_byte() < by.at && same(old, new, false))
        .count();
    let after_edit = old_children[before_edit..]
        .iter()
        .rev()
        .zip(new_children[before_edit..].iter().rev())
        .take_while(|(old, new)| old.start_byte() > edit_end && same(old, new, true))
        .count();
    let old_edited = &old_children[before_edit..old_children.len() - after_edit];
    let new_edited = &new_children[before_edit..new_children.len() - after_edit];
    if old_edited.len().max(new_edited.len()) > MAX_EDITED {
        return None;
    }
    // The statements in view: the edited ones, and all but the functions among the others.
    let view = |children: &[Node<'t>], edited: &[Node<'t>]| -> Vec<Node<'t>> {
        let (first, rest) = children.split_at(before_edit);
        let last = &rest[edited.len()..];
        let others = |c: &&Node| !is_function(**c);
        first
            .iter()
            .filter(others)
            .chain(edited)
            .chain(last.iter().filter(others))
            .copied()
            .collect()
    };
    let views = Views {
        old: view(old_children, old_edited),
        new: view(&new_children, new_edited),
        old_edited: old_edited.to_vec(),
        new_edited: new_edited.to_vec(),
    };
    swap(
        before,
        &views,
        (old_root, new_root),
        None,
        (&old_text, text),
    )
}

/// The statements two views hold (see the module documentation), and the edited ones among them.
struct Views<'t> {
    old: Vec<Node<'t>>,
    new: Vec<Node<'t>>,
    old_edited: Vec<Node<'t>>,
    new_edited: Vec<Node<'t>>,
}

/// Swap the edited statements' share of the facts (see the module documentation).
fn swap<'t>(
    before: &Before,
    views: &Views<'t>,
    (old_root, new_root): (Node<'t>, Node<'t>),
    piece: Option<&Piece>,
    (old_text, text): (&str, &str),
) -> Option<(PythonFacts, Reads)> {
    let by = before.by;
    let (old_statements, new_statements) = (&views.old, &views.new);
    let (old_edited, new_edited) = (&views.old_edited, &views.new_edited);
    // Two views of most of the module cost more than extracting it once (a module of settings, not functions).
    let bytes: usize = new_statements.iter().map(|s| s.byte_range().len()).sum();
    if before.limit_view && bytes > text.len() / MAX_VIEW_SHARE {
        return None;
    }
    let old_index = NodeIndex::of_statements(old_root, old_text, old_statements)?;
    let new_index = NodeIndex::of_statements(new_root, text, new_statements)?;
    // The old view is recorded apart, so that nothing it reads is taken for a read of the new text.
    let (old_view, _) = reads::recorded(old_text.len(), || {
        ts::memoized(|| {
            extract_indexed(old_root, &old_index, old_text, Some(old_statements), false)
        })
    });
    let (new_view, new_reads) = reads::recorded(text.len(), || {
        ts::memoized(|| extract_indexed(new_root, &new_index, text, Some(new_statements), false))
    });

    // Everything but the routes is the same in both views, only moved.
    let mut moved = rest(&old_view);
    moved.shift(&by);
    if moved != rest(&new_view) {
        return None;
    }
    // The old facts hold, inside the edited statements, the very offsets their view holds (else they came from
    // elsewhere).
    let statement = TextRange::new(
        old_edited.first().map_or(by.at, Node::start_byte),
        old_edited.last().map_or(by.at, Node::end_byte),
    );
    if offsets_inside(&before.facts, statement) != offsets_inside(&old_view, statement) {
        return None;
    }

    let mut facts = PythonFacts::clone(&before.facts);
    let mut routes = std::mem::take(&mut facts.web.routes);
    // Take the old view's routes out of the old facts: every one must be there.
    let mut taken = vec![false; routes.len()];
    for route in &old_view.web.routes {
        let from = routes.partition_point(|r| r.range.start < route.range.start);
        let at = (from..routes.len())
            .take_while(|&k| routes[k].range.start == route.range.start)
            .find(|&k| !taken[k] && routes[k] == *route)?;
        taken[at] = true;
    }
    let names: Vec<&str> = old_edited
        .iter()
        .filter_map(|s| function_name(*s, old_text))
        .chain(new_edited.iter().filter_map(|s| function_name(*s, text)))
        .collect();
    for (route, &taken) in routes.iter().zip(&taken) {
        let inside = statement.start <= route.range.start && route.range.end <= statement.end;
        // A route the view did not find in the function, or one registered elsewhere with the function as its
        // handler (whose touches come from the function's body), depends on more than the view.
        let registers_it = route.handler_range.is_none()
            && names.iter().any(|n| route.handler.as_deref() == Some(*n));
        if !taken && (inside || registers_it) {
            return None;
        }
    }
    let mut kept: Vec<_> = routes
        .drain(..)
        .zip(taken)
        .filter(|(_, taken)| !taken)
        .map(|(mut route, _)| {
            route.shift(&by);
            route
        })
        .collect();
    facts.shift(&by);
    // Both lists are in source order and hold routes of different statements: merge them by position.
    let mut fresh = new_view.web.routes;
    kept.append(&mut fresh);
    kept.sort_by_key(|r| r.range.start);
    facts.web.routes = kept;
    facts.errors = match piece {
        None => syntax_errors(new_root),
        // The old errors outside the edited statements, moved, and the piece's.
        Some(piece) => {
            let mut errors: Vec<_> = before
                .facts
                .errors
                .iter()
                .filter(|e| !(statement.start <= e.range.start && e.range.end <= statement.end))
                .cloned()
                .map(|mut e| {
                    e.range.shift(&by);
                    e
                })
                .collect();
            errors.extend(syntax_errors(piece.tree.root_node()));
            errors.sort_by_key(|e| e.range.start);
            errors.truncate(MAX_ERRORS);
            errors
        }
    };

    let mut reads = before.reads.clone();
    reads.shift(&by);
    reads.merge(new_reads);
    Some((facts, reads))
}

/// At most this many top-level statements are swapped: more, and the views are most of the module.
const MAX_EDITED: usize = 8;

/// A view holds at most this share of the module (`1 / MAX_VIEW_SHARE` of its bytes), else it is extracted whole.
const MAX_VIEW_SHARE: usize = 4;

/// The text before the edit, from the text after it and the bytes it replaced.
fn old_text(before: &Before, text: &str) -> Option<String> {
    let by = before.by;
    let mut old = String::with_capacity(text.len() + by.removed);
    old.push_str(text.get(..by.at)?);
    old.push_str(&before.removed);
    old.push_str(text.get(by.at + by.inserted..)?);
    Some(old)
}

/// The module's top-level statements: the main tree's, with those inside the piece's range replaced by the
/// piece's; `None` if a statement of the main tree straddles the piece's range.
pub(super) fn statements<'t>(main: &'t Tree, piece: Option<&'t Piece>) -> Option<Vec<Node<'t>>> {
    let root = main.root_node();
    let mut cursor = root.walk();
    let children = root.children(&mut cursor);
    let Some(piece) = piece else {
        return Some(children.collect());
    };
    let (start, end) = (piece.range.start, piece.range.end);
    let mut out = Vec::new();
    let mut placed = false;
    for child in children {
        let (s, e) = (child.start_byte(), child.end_byte());
        if start <= s && e <= end {
            continue;
        }
        if s < end && e > start {
            return None;
        }
        if !placed && s >= end {
            out.extend(piece_statements(piece));
            placed = true;
        }
        out.push(child);
    }
    if !placed {
        out.extend(piece_statements(piece));
    }
    Some(out)
}

fn piece_statements(piece: &Piece) -> Vec<Node<'_>> {
    let root = piece.tree.root_node();
    let mut cursor = root.walk();
    root.children(&mut cursor).collect()
}

/// A top-level statement as the document's outline keeps it between edits: where it is, its kind, whether it is
/// a function. Looking a few statements up by their ranges costs less than stepping through a large module's
/// thousands of statements on every keystroke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stmt {
    range: TextRange,
    kind: u16,
    function: bool,
}

/// The outline of `statements`.
pub(super) fn outline(statements: &[Node]) -> Vec<Stmt> {
    statements
        .iter()
        .map(|&n| Stmt {
            range: ts::range(n),
            kind: n.kind_id(),
            function: is_function(n),
        })
        .collect()
}

/// The statement `stmt` of the module whose tree is `tree`, with the piece's statements in place of its own.
fn node_for<'t>(tree: &'t Tree, piece: Option<&'t Piece>, stmt: &Stmt) -> Option<Node<'t>> {
    let inside =
        piece.filter(|p| p.range.start <= stmt.range.start && stmt.range.end <= p.range.end);
    let root = inside.map_or_else(|| tree.root_node(), |p| p.tree.root_node());
    let descendant = root.descendant_for_byte_range(stmt.range.start, stmt.range.end)?;
    let node = root.child_with_descendant(descendant)?;
    (ts::range(node) == stmt.range && node.kind_id() == stmt.kind).then_some(node)
}

/// What [`splice_apart`] gives: the piece, the facts and what they were read from, and the new outline.
pub(super) type Apart = (Piece, PythonFacts, Reads, Vec<Stmt>);

/// The facts after the edit in `before`, the top-level statements it touched parsed alone from `text`
/// (tree-sitter's included ranges: the nodes keep their offsets in the module) when they parse complete: the
/// main tree `tree` (told of the edit) need not be reparsed. `outline` holds the statements before the edit. A
/// piece kept from an earlier edit must lie inside the touched statements (one piece at a time). `None` when the
/// edit is not spliced this way; the module is then reparsed.
pub(super) fn splice_apart(
    before: &Before,
    outline: &[Stmt],
    tree: &Tree,
    text: &str,
    budget: Duration,
) -> Option<Apart> {
    let by = before.by;
    let edit_end = by.at + by.removed;
    let old_text = old_text(before, text)?;
    if migration(text) {
        return None;
    }
    let from = outline.partition_point(|s| s.range.end < by.at);
    let to = outline.partition_point(|s| s.range.start <= edit_end);
    let touched = outline.get(from..to)?;
    let (first, last) = (touched.first()?, touched.last()?);
    if touched.len() > MAX_EDITED || first.range.start > by.at || last.range.end < edit_end {
        return None;
    }
    let old_range = TextRange::new(first.range.start, last.range.end);
    if let Some(piece) = &before.piece {
        if piece.range.start < old_range.start || piece.range.end > old_range.end {
            return None;
        }
    }
    let old_piece = before.piece.as_ref();
    let start_point = node_for(&before.tree, old_piece, first)?.start_position();
    // Text inserted at the first statement's start is the piece's too.
    let range = TextRange::new(old_range.start, by.offset(old_range.end));
    let piece = parse_piece(text, range, start_point, budget)?;
    let (facts, reads, outline_after) = {
        let new_edited = piece_statements(&piece);
        let old_node = |s: &Stmt| node_for(&before.tree, old_piece, s);
        let old_edited: Vec<Node> = touched.iter().map(old_node).collect::<Option<_>>()?;
        let (head, tail) = (&outline[..from], &outline[to..]);
        let moved = |s: &Stmt| Stmt {
            range: by.range(s.range),
            ..*s
        };
        let old = view(head, &old_edited, tail, old_node)?;
        let new = view(head, &new_edited, tail, |s| node_for(tree, None, &moved(s)))?;
        let mut outline_after = head.to_vec();
        outline_after.extend(self::outline(&new_edited));
        outline_after.extend(tail.iter().map(moved));
        let views = Views {
            old,
            new,
            old_edited,
            new_edited,
        };
        let roots = (before.tree.root_node(), tree.root_node());
        let (facts, reads) = swap(before, &views, roots, Some(&piece), (&old_text, text))?;
        (facts, reads, outline_after)
    };
    Some((piece, facts, reads, outline_after))
}

/// The nodes of a view: the statements other than functions of `head` and `tail` (the outline before and after
/// the edited statements), found with `node`, around `edited`.
fn view<'t>(
    head: &[Stmt],
    edited: &[Node<'t>],
    tail: &[Stmt],
    node: impl Fn(&Stmt) -> Option<Node<'t>>,
) -> Option<Vec<Node<'t>>> {
    let others = |s: &&Stmt| !s.function;
    let mut out: Vec<Node<'t>> = head
        .iter()
        .filter(others)
        .map(&node)
        .collect::<Option<_>>()?;
    out.extend(edited);
    for s in tail.iter().filter(others) {
        out.push(node(s)?);
    }
    Some(out)
}

/// Whether the text is an Alembic migration's: its two halves are read together from every top-level function
/// of the module's tree (`observe::migration`), which a splice may leave behind, so no edit of one is spliced. A
/// text before the edit that spelled the word where this one does not is refused anyway: its migration was
/// read from inside the edited statements, which the view after the edit no longer finds.
fn migration(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"downgrade").is_some()
}

/// The statements of `text` in `range` (which starts at `start_point`), parsed alone, when they parse
/// complete (see [`complete`]).
fn parse_piece(
    text: &str,
    range: TextRange,
    start_point: tree_sitter::Point,
    budget: Duration,
) -> Option<Piece> {
    let chunk = text.get(range.start..range.end)?;
    let mut end_point = start_point;
    for byte in chunk.bytes() {
        if byte == b'\n' {
            end_point.row += 1;
            end_point.column = 0;
        } else {
            end_point.column += 1;
        }
    }
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .ok()?;
    parser
        .set_included_ranges(&[tree_sitter::Range {
            start_byte: range.start,
            end_byte: range.end,
            start_point,
            end_point,
        }])
        .ok()?;
    let Parse::Tree(tree) = budget::parse(&mut parser, text, None, budget) else {
        return None;
    };
    complete(&tree, text, range)?;
    Some(Piece { tree, range })
}

/// Whether the piece `tree` of `range` holds complete statements: nothing of its text outside them but blanks,
/// and none of them an error. Half-typed code inside a statement stays there until the document settles (the
/// text has errors however it is parsed); an error between statements (a decorator left without its function)
/// can be the start of the statement after the piece in a whole parse, so the module is reparsed instead.
fn complete(tree: &Tree, text: &str, range: TextRange) -> Option<()> {
    let root = tree.root_node();
    let mut covered = range.start;
    let mut cursor = root.walk();
    for statement in root.children(&mut cursor) {
        if statement.is_error() || statement.is_missing() {
            return None;
        }
        let (s, e) = (statement.start_byte(), statement.end_byte());
        if s < covered || e > range.end || !blank(text.get(covered..s)?) {
            return None;
        }
        covered = e;
    }
    (covered > range.start && blank(text.get(covered..range.end)?)).then_some(())
}

fn blank(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_whitespace())
}

/// A top-level function, decorated or not: what a view leaves out unless the edit touched it.
fn is_function(node: Node) -> bool {
    match node.kind_name() {
        "function_definition" => true,
        "decorated_definition" => node
            .field("definition")
            .is_some_and(|d| d.kind_name() == "function_definition"),
        _ => false,
    }
}

fn function_name<'s>(node: Node, text: &'s str) -> Option<&'s str> {
    let function = match node.kind_name() {
        "decorated_definition" => node.field("definition")?,
        _ => node,
    };
    text.get(function.field("name")?.byte_range())
}

/// The facts but their routes and syntax errors, which a splice takes from elsewhere.
fn rest(facts: &PythonFacts) -> PythonFacts {
    let mut rest = without_routes(facts);
    rest.errors.clear();
    rest
}

/// The offsets inside `statement` that the facts but their routes and errors hold, sorted.
fn offsets_inside(facts: &PythonFacts, statement: TextRange) -> Vec<usize> {
    let mut all = Vec::new();
    rest(facts).offsets(&mut all);
    all.retain(|&o| statement.start <= o && o <= statement.end);
    all.sort_unstable();
    all
}
