//! [`NodeIndex`]: the nodes of a Python tree in source order, recorded by one cursor walk with their kind, parent
//! and subtree extent, so the import, web and CDK extractors share that walk instead of each walking the tree.
//!
//! Walking a tree costs about as much per node as the extractors' own work, and tree-sitter's `Node::parent`
//! searches down from the root, so looking parents up in this flat table is what keeps facts extraction cheap
//! next to the parse itself.

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
    Identifier,
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

/// Every named node of a tree (and any anonymous node with children) in pre-order. Anonymous leaves (`(`, `def`)
/// are left out: no extractor selects them, and they are nobody's parent.
pub(crate) struct NodeIndex<'t> {
    entries: Vec<Entry<'t>>,
}

impl<'t> NodeIndex<'t> {
    pub(crate) fn new(root: Node<'t>) -> Self {
        let kinds = kind_table(root);
        let mut entries: Vec<Entry<'t>> = Vec::with_capacity(root.descendant_count());
        // Positions of the recorded ancestors of the cursor's node, innermost last.
        let mut open: Vec<u32> = Vec::new();
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let descends = cursor.goto_first_child();
            if node.is_named() || descends {
                let id = u32::try_from(entries.len()).unwrap_or(u32::MAX);
                entries.push(Entry {
                    node,
                    kind: kind_of(kinds, node),
                    parent: open.last().copied().unwrap_or(u32::MAX),
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
                    return Self::closed(entries, &open);
                }
                if let Some(parent) = open.pop() {
                    close(&mut entries, parent);
                }
            }
        }
    }

    fn closed(mut entries: Vec<Entry<'t>>, open: &[u32]) -> Self {
        for &id in open {
            close(&mut entries, id);
        }
        Self { entries }
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

    /// The recorded children of `id`, in source order.
    pub(crate) fn children(&self, id: NodeId) -> impl Iterator<Item = (NodeId, Node<'t>)> + '_ {
        let end = self.subtree(id).end;
        let mut next = id + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let child = next;
            // The next child starts where this child's subtree ends.
            next = self.subtree(child).end.max(child + 1);
            Some((child, self.node(child)?))
        })
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
                    "identifier" => Kind::Identifier,
                    _ => Kind::Other,
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::ts::{parse_tree, walk};

    #[test]
    fn the_index_agrees_with_the_tree() {
        let src =
            "import os\n@app.get('/x')\ndef f(a):\n    return os.getenv('A', g(a))\nx = foo(1, 2\n";
        let tree = parse_tree(src);
        let index = NodeIndex::new(tree.root_node());
        let mut named = Vec::new();
        walk(tree.root_node(), |n| {
            if n.is_named() || n.child_count() > 0 {
                named.push(n);
            }
        });
        let indexed: Vec<Node> = index.iter().map(|(_, _, n)| n).collect();
        assert_eq!(indexed, named);
        for (id, kind, node) in index.iter() {
            assert_eq!(index.parent(id).and_then(|p| index.node(p)), node.parent());
            let expected = match node.kind() {
                "call" => Kind::Call,
                "identifier" => Kind::Identifier,
                "ERROR" => Kind::Error,
                "function_definition" => Kind::FunctionDefinition,
                "decorated_definition" => Kind::DecoratedDefinition,
                "import_statement" => Kind::ImportStatement,
                "assignment" => Kind::Assignment,
                _ => Kind::Other,
            };
            assert_eq!(kind, expected, "{}", node.kind());
            let mut subtree = 0;
            walk(node, |d| {
                subtree += usize::from(d.is_named() || d.child_count() > 0)
            });
            assert_eq!(index.subtree(id).len(), subtree, "{}", node.kind());
        }
        assert!(index.of_kind(Kind::Error).count() > 0);
    }
}
