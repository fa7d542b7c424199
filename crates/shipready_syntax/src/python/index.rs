//! [`NodeIndex`]: the nodes of a Python tree that facts can come from, in source order, recorded by one cursor
//! walk with their kind, parent and subtree extent, so the import, web and CDK extractors share that walk instead
//! of each walking the tree.
//!
//! A tree-sitter cursor spends about 100 ns per node, a quarter of what parsing the node cost, so the walk does
//! not enter subtrees that cannot hold a fact: every node an extractor reads is a call or contains one (an app,
//! client or stack assignment, a route decorator, a `with` item, a class with bases), a subscript
//! (`os.environ["X"]`), an import, or a syntax error. A subtree without an error, without a `(` or `[` after
//! its first byte and without an `import` ending inside it is skipped, which leaves out most of a typical
//! handler body. And tree-sitter's `Node::parent` searches
//! down from the root, so parents are looked up in this table instead.

use std::ops::Range;
use std::sync::OnceLock;

use tree_sitter::Node;

/// The node kinds the extractors select by; everything else is [`Kind::Other`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Call,
    Assignment,
    DecoratedDefinition,
    ClassDefinition,
    FunctionDefinition,
    Subscript,
    WithItem,
    ImportStatement,
    ImportFromStatement,
    FutureImportStatement,
    Error,
    Other,
}

/// A position in a [`NodeIndex`].
pub(crate) type NodeId = usize;

#[derive(Clone, Copy)]
struct Entry<'t> {
    node: Node<'t>,
    kind: Kind,
    /// The parent's position; `u32::MAX` for the root.
    parent: u32,
    /// One past the position of the last node of this node's subtree.
    end: u32,
}

/// The named nodes of a tree (and any anonymous node with children) in pre-order, outside the skipped subtrees
/// (see the module documentation). Anonymous leaves (`(`, `def`) are left out: no extractor selects them, and
/// they are nobody's parent.
pub(crate) struct NodeIndex<'t> {
    entries: Vec<Entry<'t>>,
}

impl<'t> NodeIndex<'t> {
    /// The index of the tree `root` of `src`.
    pub(crate) fn new(root: Node<'t>, src: &str) -> Self {
        let kinds = kind_table(root);
        let marks = Marks::new(src.as_bytes());
        let mut entries: Vec<Entry<'t>> = Vec::with_capacity(root.descendant_count());
        walk_subtree(&mut entries, root, kinds, &marks);
        // The walk records its top's parent as the module; the root has none.
        if let Some(root) = entries.first_mut() {
            root.parent = u32::MAX;
        }
        Self { entries }
    }

    /// [`NodeIndex::new`] with the module's statements walked on two threads, split where their bytes are
    /// halved: the same index (a test compares them), for large modules, where the walk is a quarter of an
    /// extraction.
    pub(crate) fn new_parallel(root: Node<'t>, src: &str) -> Self {
        let kinds = kind_table(root);
        let marks = Marks::new(src.as_bytes());
        let mut cursor = root.walk();
        let children: Vec<Node<'t>> = if worth_entering(root, &marks) {
            root.children(&mut cursor).collect()
        } else {
            Vec::new()
        };
        if children.is_empty() {
            return Self::new(root, src);
        }
        let middle = (root.start_byte() + root.end_byte()) / 2;
        let split = children.partition_point(|c| c.start_byte() < middle);
        let (first, second) = children.split_at(split);
        let walk = |statements: &[Node<'t>]| walk_statements(statements, kinds, &marks);
        let (first, second) = super::reads::join(|| walk(first), || walk(second));
        Self::assembled(root, kinds, [first, second])
    }

    /// The index of the module `root` and the walks of its statements `parts` (from [`walk_statements`], in
    /// source order): each part's positions moved past the root's and the parts' before it.
    fn assembled(
        root: Node<'t>,
        kinds: &[Kind],
        parts: impl IntoIterator<Item = Vec<Entry<'t>>>,
    ) -> Self {
        let mut entries = vec![Entry {
            node: root,
            kind: kind_of(kinds, root),
            parent: u32::MAX,
            end: 1,
        }];
        for part in parts {
            let base = u32::try_from(entries.len()).unwrap_or(u32::MAX);
            entries.extend(part.into_iter().map(|mut e| {
                e.parent = if e.parent == TOP { 0 } else { e.parent + base };
                e.end += base;
                e
            }));
        }
        entries[0].end = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        Self { entries }
    }

    /// The index of the module `root` holding only its top-level `statements` (in source order): what a single
    /// statement's facts are extracted from when the rest of a large module is unchanged (see `python::splice`).
    /// `None` when the walk would not enter the module at all.
    pub(crate) fn of_statements(
        root: Node<'t>,
        src: &str,
        statements: &[Node<'t>],
    ) -> Option<Self> {
        let kinds = kind_table(root);
        // Only the statements' marks: whether a node inside one is worth entering reads no others.
        let marks = Marks::within(
            src.as_bytes(),
            statements.iter().map(|s| (s.start_byte(), s.end_byte())),
        );
        if root.child_count() == 0 {
            return None;
        }
        let walked = walk_statements(statements, kinds, &marks);
        Some(Self::assembled(root, kinds, [walked]))
    }

    pub(crate) fn node(&self, id: NodeId) -> Option<Node<'t>> {
        self.entries.get(id).map(|e| e.node)
    }

    pub(crate) fn kind(&self, id: NodeId) -> Kind {
        self.entries.get(id).map_or(Kind::Other, |e| e.kind)
    }

    pub(crate) fn parent(&self, id: NodeId) -> Option<NodeId> {
        let parent = self.entries.get(id)?.parent;
        (parent != u32::MAX).then_some(parent as NodeId)
    }

    /// The positions of `id`'s subtree, itself included; its descendants are exactly the ones after it.
    pub(crate) fn subtree(&self, id: NodeId) -> Range<NodeId> {
        match self.entries.get(id) {
            Some(entry) => id..(entry.end as NodeId).min(self.entries.len()),
            None => id..id,
        }
    }

    /// The positions of the nodes of `kind`, in source order.
    pub(crate) fn of_kind(&self, kind: Kind) -> impl Iterator<Item = NodeId> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.kind == kind)
            .map(|(id, _)| id)
    }

    /// Every position with its kind and node, in source order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (NodeId, Kind, Node<'t>)> + '_ {
        self.entries
            .iter()
            .enumerate()
            .map(|(id, e)| (id, e.kind, e.node))
    }
}

/// Whether a subtree can hold a node some extractor reads (see the module documentation).
///
/// The first byte is left out: a call's `(` and a subscript's `[` follow the expression they apply to, so the
/// parentheses of `(a, b)` or the parameters `(q: str)` alone do not make a subtree worth entering.
fn worth_entering(node: Node, marks: &Marks) -> bool {
    node.has_error() || marks.any_in(node.start_byte() + 1, node.end_byte())
}

/// The bytes that open a call or a subscript, and the word whose last byte is a mark too (see [`Marks`]).
const OPENERS: [u8; 2] = [b'(', b'['];
const IMPORT: &[u8] = b"import";

/// The offsets of the bytes that make a subtree worth entering: `(`, `[` and the last byte of `import`, sorted,
/// so that whether a byte range holds one is a binary search. Found with `memchr`, not byte by byte: a large
/// module's marks are a few percent of its bytes.
struct Marks {
    at: Vec<u32>,
    len: usize,
}

impl Marks {
    fn new(src: &[u8]) -> Self {
        Self::within(src, [(0, src.len())])
    }

    /// [`Marks::new`] of the byte ranges `spans` only (sorted, disjoint): the statements of a view.
    fn within(src: &[u8], spans: impl IntoIterator<Item = (usize, usize)>) -> Self {
        Self::searched();
        let to_u32 = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        let mut at: Vec<u32> = Vec::new();
        for (start, end) in spans {
            let end = end.min(src.len());
            let Some(bytes) = src.get(start..end) else {
                continue;
            };
            let first = at.len();
            at.extend(
                memchr::memchr2_iter(OPENERS[0], OPENERS[1], bytes).map(|i| to_u32(start + i)),
            );
            // `import` ending inside the span, wherever it starts.
            let from = start.saturating_sub(IMPORT.len() - 1);
            if let Some(window) = src.get(from..end) {
                at.extend(
                    memchr::memmem::find_iter(window, IMPORT)
                        .map(|i| from + i + IMPORT.len() - 1)
                        .filter(|&m| m >= start)
                        .map(to_u32),
                );
            }
            at[first..].sort_unstable();
        }
        Self { at, len: src.len() }
    }

    fn searched() {
        for opener in OPENERS {
            super::reads::searched(&[opener], false);
        }
        super::reads::searched(IMPORT, false);
    }

    /// Whether `start..end` holds a mark; a range outside the text is assumed to.
    fn any_in(&self, start: usize, end: usize) -> bool {
        if start > self.len || end > self.len {
            return true;
        }
        let first = self.at.partition_point(|&m| (m as usize) < start);
        self.at.get(first).is_some_and(|&m| (m as usize) < end)
    }
}

/// The entries of `statements` (top-level, in source order) walked one after another (see [`walk_subtree`]).
fn walk_statements<'t>(statements: &[Node<'t>], kinds: &[Kind], marks: &Marks) -> Vec<Entry<'t>> {
    let mut entries = Vec::new();
    for &statement in statements {
        walk_subtree(&mut entries, statement, kinds, marks);
    }
    entries
}

/// The parent a statement walked by [`walk_subtree`] records: the module, whose position is known only after.
const TOP: u32 = u32::MAX - 1;

/// Append the index entries of `top`'s subtree to `entries`, positions counted from the vector's start and the
/// module (whose child `top` is) recorded as [`TOP`]: the walk of [`NodeIndex::new`] below the root.
fn walk_subtree<'t>(entries: &mut Vec<Entry<'t>>, top: Node<'t>, kinds: &[Kind], marks: &Marks) {
    let mut open: Vec<u32> = Vec::new();
    // A cursor made at `top` has it as its root: it neither leaves it for a sibling nor climbs above it.
    let mut cursor = top.walk();
    loop {
        let node = cursor.node();
        let descends = worth_entering(node, marks) && cursor.goto_first_child();
        if node.is_named() || descends {
            let id = u32::try_from(entries.len()).unwrap_or(u32::MAX);
            entries.push(Entry {
                node,
                kind: kind_of(kinds, node),
                parent: open.last().copied().unwrap_or(TOP),
                end: id.saturating_add(1),
            });
            if descends {
                open.push(id);
                continue;
            }
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                for &id in &open {
                    close(entries, id);
                }
                return;
            }
            if let Some(parent) = open.pop() {
                close(entries, parent);
            }
        }
    }
}

fn close(entries: &mut [Entry], id: u32) {
    let end = u32::try_from(entries.len()).unwrap_or(u32::MAX);
    if let Some(entry) = entries.get_mut(id as usize) {
        entry.end = end;
    }
}

fn kind_of(kinds: &[Kind], node: Node) -> Kind {
    if node.is_error() {
        return Kind::Error;
    }
    kinds
        .get(usize::from(node.kind_id()))
        .copied()
        .unwrap_or(Kind::Other)
}

/// [`Kind`] by node kind id, built once from the grammar's names: several ids can share a name (aliases), and
/// matching the names keeps every one of them.
fn kind_table(root: Node) -> &'static [Kind] {
    static TABLE: OnceLock<Vec<Kind>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let language = root.language();
        (0..language.node_kind_count())
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                if !language.node_kind_is_named(id) {
                    return Kind::Other;
                }
                match language.node_kind_for_id(id).unwrap_or("") {
                    "call" => Kind::Call,
                    "assignment" => Kind::Assignment,
                    "decorated_definition" => Kind::DecoratedDefinition,
                    "class_definition" => Kind::ClassDefinition,
                    "function_definition" => Kind::FunctionDefinition,
                    "subscript" => Kind::Subscript,
                    "with_item" => Kind::WithItem,
                    "import_statement" => Kind::ImportStatement,
                    "import_from_statement" => Kind::ImportFromStatement,
                    "future_import_statement" => Kind::FutureImportStatement,
                    _ => Kind::Other,
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::ts::{self, parse_tree, walk_with_ancestors};

    /// The module documentation's rule, spelled out on the text: a subtree is entered when it has an error, or
    /// a `(` or `[` after its first byte, or an `import` that ends inside it.
    fn worth(node: Node, src: &str) -> bool {
        let bytes = src.as_bytes();
        node.has_error()
            || (node.start_byte() + 1..node.end_byte()).any(|i| {
                matches!(bytes.get(i), Some(b'(' | b'['))
                    || bytes.get(..=i).is_some_and(|b| b.ends_with(b"import"))
            })
    }

    fn expected<'t>(root: Node<'t>, src: &str) -> Vec<Node<'t>> {
        let mut expected = Vec::new();
        walk_with_ancestors(root, |node, ancestors| {
            let reached = ancestors.iter().all(|&a| worth(a, src));
            let entered = worth(node, src) && node.child_count() > 0;
            if reached && (node.is_named() || entered) {
                expected.push(node);
            }
        });
        expected
    }

    #[test]
    fn the_index_holds_every_node_a_fact_can_come_from() {
        let src = "import os\n@app.get('/x')\ndef f(a):\n    y = b\n    return {'k': os.getenv('A', g[a])}\n\
                   def h():\n    return {'k': v}\nz = (t, 1)\nx = foo(1, 2\n";
        let tree = parse_tree(src);
        let index = NodeIndex::new(tree.root_node(), src);
        let indexed: Vec<Node> = index.iter().map(|(_, _, n)| n).collect();
        assert_eq!(indexed, expected(tree.root_node(), src));
        let texts: Vec<&str> = indexed.iter().map(|&n| ts::text(n, src)).collect();
        assert!(texts.contains(&"g[a]") && texts.contains(&"os.getenv('A', g[a])"));
        // Neither the assignment without a call, the body of `h` nor a parenthesized tuple is entered.
        assert!(!texts.contains(&"b") && !texts.contains(&"v") && !texts.contains(&"t"));
        for (id, kind, node) in index.iter() {
            assert_eq!(index.parent(id).and_then(|p| index.node(p)), node.parent());
            let expected_kind = match node.kind() {
                "call" => Kind::Call,
                "ERROR" => Kind::Error,
                "function_definition" => Kind::FunctionDefinition,
                "decorated_definition" => Kind::DecoratedDefinition,
                "import_statement" => Kind::ImportStatement,
                "assignment" => Kind::Assignment,
                "subscript" => Kind::Subscript,
                _ => Kind::Other,
            };
            assert_eq!(kind, expected_kind, "{}", node.kind());
            let subtree = expected(node, src).len();
            assert_eq!(index.subtree(id).len(), subtree, "{}", node.kind());
        }
        assert!(index.of_kind(Kind::Error).count() > 0);
    }

    /// The two-thread walk gives the very index the one-thread walk does: the nodes, kinds, parents and subtree
    /// extents, for every Python fixture, a module with syntax errors, one with nothing worth entering, and the
    /// benchmark's shape of module.
    #[test]
    fn two_threads_walk_to_the_same_index() {
        let mut sources: Vec<String> = crate::test_fixtures::python_sources()
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        let mut large = String::from("from fastapi import APIRouter\n\nrouter = APIRouter()\n");
        for i in 0..300 {
            large.push_str(&format!(
                "\n@router.get(\"/t/{i}\")\nasync def t_{i}(q):\n    return {{\"id\": f(q)}}\n"
            ));
        }
        sources.extend([
            large,
            "x = 1\ny = 2\n".to_owned(),
            String::new(),
            "def f(:\n  g(\nclass".to_owned(),
        ]);
        assert!(sources.len() > 100);
        for src in &sources {
            let tree = parse_tree(src);
            let one = NodeIndex::new(tree.root_node(), src);
            let two = NodeIndex::new_parallel(tree.root_node(), src);
            let entries = |index: &NodeIndex| -> Vec<(usize, u16, u32, u32)> {
                index
                    .entries
                    .iter()
                    .map(|e| (e.node.id(), e.node.kind_id(), e.parent, e.end))
                    .collect()
            };
            assert_eq!(entries(&one), entries(&two), "{src}");
            assert!(one.iter().zip(two.iter()).all(|(a, b)| a.1 == b.1));
        }
    }
}
