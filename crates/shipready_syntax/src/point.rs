//! Tree-sitter points of byte offsets, for announcing edits to a kept tree (`Tree::edit`).

use tree_sitter::Point;

/// The tree-sitter point (row, byte column) of `offset`; tree-sitter counts rows by `\n` only.
pub(crate) fn point_at(text: &str, offset: usize) -> Point {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let column = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(before.len(), |i| before.len() - i - 1);
    Point { row, column }
}
