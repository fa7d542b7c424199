//! Which line repairs to try on a YAML text that does not parse: tab indentation expanded, a line re-indented like
//! its neighbours, a line blanked out, or a whole orphaned block blanked out. [`super::repair`] scores each try by
//! how much of the text then parses and keeps the best.

use std::collections::BTreeMap;

use shipready_text::TextRange;
use tree_sitter::Tree;

use super::repair::visit_errors;

/// At most this many lines of one error are tried as repair candidates.
const MAX_ERROR_LINES: usize = 6;
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum LineEdit {
    /// Every byte of the line is replaced by a space, which keeps all offsets.
    Blank,
    /// The line's leading whitespace is replaced by this many spaces.
    Indent(usize),
}

/// Edits that expand tab indentation to tab stops of `width` columns; comment lines indented with tabs are blanked.
pub(super) fn expand_tabs(
    text: &str,
    lines: &[TextRange],
    width: usize,
) -> BTreeMap<usize, LineEdit> {
    let mut edits = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let body = line.slice(text);
        let prefix = body.get(..indent_prefix(body)).unwrap_or("");
        if !prefix.contains('\t') {
            continue;
        }
        if is_comment_or_blank(body) {
            edits.insert(i, LineEdit::Blank);
            continue;
        }
        let columns = prefix.chars().fold(0, |col, c| match c {
            '\t' => (col / width + 1) * width,
            ' ' => col + 1,
            _ => col,
        });
        edits.insert(i, LineEdit::Indent(columns));
    }
    edits
}

pub(super) fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim_start_matches(['\u{feff}', ' ', '\t']);
    t.trim().is_empty() || t.starts_with('#')
}

/// The length of a line's leading spaces and tabs (and a byte-order mark, which never belongs to the content).
pub(super) fn indent_prefix(line: &str) -> usize {
    let without_bom = line.strip_prefix('\u{feff}').unwrap_or(line);
    let bom = line.len() - without_bom.len();
    bom + without_bom.len() - without_bom.trim_start_matches([' ', '\t']).len()
}

/// The repairs worth trying: lines around the first error, and the line where the tree stops covering the text.
pub(super) fn candidates(
    tree: &Tree,
    text: &str,
    lines: &[TextRange],
    edits: &BTreeMap<usize, LineEdit>,
) -> Vec<Vec<(usize, LineEdit)>> {
    let root = tree.root_node();
    let mut first: Option<(usize, usize)> = None;
    visit_errors(root, &mut |n| {
        if first.is_none() {
            first = Some((n.start_byte(), n.end_byte()));
        }
    });
    let line_of = |offset: usize| {
        lines
            .partition_point(|l| l.end < offset)
            .min(lines.len().saturating_sub(1))
    };
    let is_content = |i: usize| {
        lines.get(i).is_some_and(|l| {
            let t = l.slice(text).trim();
            !t.is_empty() && !t.starts_with('#')
        })
    };
    let next_content = |from: usize| (from..lines.len()).find(|&i| is_content(i));
    let mut targets = Vec::new();
    if let Some((start, end)) = first {
        // Every line the error spans (up to a few), then the line after it.
        let (first_line, last_line) = (line_of(start), line_of(end.saturating_sub(1).max(start)));
        targets.extend(first_line..=last_line.min(first_line + MAX_ERROR_LINES));
        targets.push(last_line);
        targets.extend(next_content(last_line + 1));
    }
    if text
        .get(root.end_byte()..)
        .is_some_and(|t| !t.trim().is_empty())
    {
        targets.extend(next_content(line_of(root.end_byte())));
        targets.extend(next_content(line_of(root.end_byte()) + 1));
    }
    targets.extend((0..lines.len()).find(|&i| {
        is_content(i)
            && lines.get(i).is_some_and(|l| {
                l.slice(text).starts_with([' ', '\t'])
                    && l.slice(text).trim_start_matches(' ').starts_with('\t')
            })
    }));
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for line in targets {
        if edits.contains_key(&line) || !is_content(line) || seen.contains(&line) {
            continue;
        }
        seen.push(line);
        let indent_of = |i: usize| lines.get(i).map_or(0, |l| indent_prefix(l.slice(text)));
        let own = lines.get(line).map_or(0, |l| {
            l.slice(text).len() - l.slice(text).trim_start_matches(' ').len()
        });
        let has_tab = lines.get(line).is_some_and(|l| {
            l.slice(text)
                .get(..indent_of(line))
                .is_some_and(|p| p.contains('\t'))
        });
        let prev = (0..line).rev().find(|&i| is_content(i)).map(indent_of);
        let next = next_content(line + 1).map(indent_of);
        // The sibling indentation of the previous line comes first: when several widths parse, it is the likeliest.
        let mut widths: Vec<usize> = Vec::new();
        for w in [prev, next, prev.map(|p| p + 2)].into_iter().flatten() {
            if !widths.contains(&w) {
                widths.push(w);
            }
        }
        for width in widths {
            if width != own || has_tab {
                out.push(vec![(line, LineEdit::Indent(width))]);
            }
        }
        out.push(vec![(line, LineEdit::Blank)]);
        // A block whose parent line was deleted hangs more indented than anything around it; dropping the whole
        // block keeps the rest of the file readable.
        let own_indent = indent_of(line);
        let block: Vec<usize> = (line + 1..lines.len())
            .filter(|&i| is_content(i))
            .take_while(|&i| indent_of(i) >= own_indent)
            .filter(|i| !edits.contains_key(i))
            .collect();
        if !block.is_empty() {
            let mut edits: Vec<(usize, LineEdit)> = vec![(line, LineEdit::Blank)];
            edits.extend(block.into_iter().map(|i| (i, LineEdit::Blank)));
            out.push(edits);
        }
    }
    out
}
